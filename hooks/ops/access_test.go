package ops_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/ops"
	"simpul/ui/testkit"
)

// Who may scrape /metrics. ApiScenario requests come from 192.0.2.1 (a
// remote peer, httptest's default), so credentials decide; the loopback
// cases run on a real listener below.
func TestMetricsAccessRemote(t *testing.T) {
	// Fixtures once, then a clone of them per scenario.
	app := testkit.New(t)
	tokens := map[string]string{}
	for _, role := range model.Roles {
		_, tokens[role] = testkit.Staff(t, app, role+"@simpul.test", role, unitFor(role))
	}
	r, tok := testkit.Staff(t, app, "mantan@simpul.test", model.RoleAdmin, "")
	r.Set("active", false)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	tokens["inactive"] = tok
	tokens["superuser"] = testkit.SuperuserToken(t, app)
	// A long-lived token for a scraper, as a superuser's "impersonate"
	// gives it (docs/operator.md, "Pemantauan").
	scraper, _ := testkit.Staff(t, app, "prometheus@simpul.test", model.RoleAdmin, "")
	static, err := scraper.NewStaticAuthToken(365 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokens["static"] = static
	dir := testkit.Snapshot(t, app)
	factory := func(t testing.TB) *tests.TestApp { return testkit.NewFromDir(t, dir, testkit.Config()) }
	auth := func(who string) map[string]string { return map[string]string{"Authorization": tokens[who]} }
	ok := []string{"# TYPE simpul_complaints gauge", "simpul_complaints_overdue"}
	scenarios := []tests.ApiScenario{
		{Name: "no credentials", ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, NotExpectedContent: ok},
		{Name: "forged X-Forwarded-For 127.0.0.1", Headers: map[string]string{"X-Forwarded-For": "127.0.0.1"},
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, NotExpectedContent: ok},
		{Name: "frontdesk", Headers: auth(model.RoleFrontdesk), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: ok},
		{Name: "handler", Headers: auth(model.RoleHandler), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: ok},
		{Name: "coordinator", Headers: auth(model.RoleCoordinator), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: ok},
		{Name: "inactive admin", Headers: auth("inactive"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: ok},
		{Name: "admin", Headers: auth(model.RoleAdmin), ExpectedStatus: 200, ExpectedContent: ok},
		{Name: "superuser", Headers: auth("superuser"), ExpectedStatus: 200, ExpectedContent: ok},
		{Name: "admin static token, Bearer", Headers: map[string]string{"Authorization": "Bearer " + tokens["static"]}, ExpectedStatus: 200, ExpectedContent: ok},
	}
	for _, s := range scenarios {
		s.Method, s.URL, s.TestAppFactory = http.MethodGet, ops.MetricsPath, factory
		// A scrape writes nothing: no record or model event fires.
		s.ExpectedEvents = map[string]int{"*": 0}
		s.Test(t)
	}
}

func unitFor(role string) string {
	if role == model.RoleHandler {
		return "UMUM"
	}
	return ""
}

// From the machine itself no credentials are needed, unless the request
// was relayed by a reverse proxy (a forwarding header): then it is a
// remote client's.
func TestMetricsAccessLoopback(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	cases := []struct {
		name   string
		header []string
		want   int
	}{
		{"loopback", nil, 200},
		{"through a proxy (X-Forwarded-For)", []string{"X-Forwarded-For", "203.0.113.9"}, 401},
		{"through a proxy (X-Real-IP)", []string{"X-Real-IP", "203.0.113.9"}, 401},
		{"through a proxy (Forwarded)", []string{"Forwarded", "for=203.0.113.9"}, 401},
	}
	for _, c := range cases {
		if code, body := do(t, http.MethodGet, srv.URL+ops.MetricsPath, "", c.header...); code != c.want {
			t.Errorf("%s: %d, want %d\n%.300s", c.name, code, c.want, body)
		}
	}
}

func TestIsLocal(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:5000": true, "[::1]:5000": true, "127.8.9.10:1": true, "[::ffff:127.0.0.1]:80": true,
		"192.0.2.1:1234": false, "10.0.0.1:80": false, "[2001:db8::1]:80": false, "bukan-alamat": false, "": false,
	} {
		r := httptest.NewRequest(http.MethodGet, ops.MetricsPath, nil)
		r.RemoteAddr = addr
		if got := ops.IsLocal(r); got != want {
			t.Errorf("IsLocal(%q) = %v, want %v", addr, got, want)
		}
	}
}
