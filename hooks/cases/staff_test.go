package cases_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// TestStaffAccess checks who sees which complaint and which reporter
// fields, per role, in lists and in the detail view.
func TestStaffAccess(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	fd, fdTok := testkit.Staff(t, app, "fd@simpul.test", model.RoleFrontdesk, "")
	_, hTok := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	_, h2Tok := testkit.Staff(t, app, "h2@simpul.test", model.RoleHandler, "KES")
	_, coordTok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	_, adminTok := testkit.Staff(t, app, "a@simpul.test", model.RoleAdmin, "")

	pub := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Reporter: "Siti Aminah", Phone: "+6281234567890", CreatedBy: fd.Id})
	setField(t, app, pub, "reporter_email", "siti@contoh.id")
	conf := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Privacy: model.PrivacyConfidential, Reporter: "Rahmat Hidayat", Phone: "+6289999999999"})
	anon := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Privacy: model.PrivacyAnonymous})
	other := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "KES", Reporter: "Ketut Arya"})

	list := func(tok, query string) (int, map[string]any, []map[string]any) {
		st, out := c.json("GET", "/api/staff/complaints"+query, tok, "")
		var items []map[string]any
		if arr, ok := out["items"].([]any); ok {
			for _, it := range arr {
				items = append(items, it.(map[string]any))
			}
		}
		return st, out, items
	}
	codes := func(items []map[string]any) map[string]bool {
		m := map[string]bool{}
		for _, it := range items {
			m[it["tracking_code"].(string)] = true
		}
		return m
	}
	code := func(r interface{ GetString(string) string }) string { return r.GetString("tracking_code") }

	if st, _, _ := list("", "?queue=all"); st != 401 {
		t.Fatalf("no auth: %d", st)
	}
	// Coordinators and admins see everything; lists never carry phone or e-mail.
	for _, tok := range []string{coordTok, adminTok} {
		st, out, items := list(tok, "?queue=all")
		if st != 200 || len(items) != 4 {
			t.Fatalf("coordinator/admin list: %d, %d items", st, len(items))
		}
		body := raw(out)
		for _, secret := range []string{"+628", "siti@contoh.id", "reporter_phone", "reporter_email"} {
			if strings.Contains(body, secret) {
				t.Fatalf("a list shows %q", secret)
			}
		}
		if !strings.Contains(body, "Rahmat Hidayat") || !strings.Contains(body, "Siti Aminah") {
			t.Fatal("coordinators see reporters' names in lists")
		}
	}
	// A handler sees their unit only, and not a confidential report's reporter.
	_, out, items := list(hTok, "?queue=all")
	got := codes(items)
	if len(items) != 3 || got[code(other)] || !got[code(conf)] {
		t.Fatalf("handler list: %v", got)
	}
	if strings.Contains(raw(out), "Rahmat") || !strings.Contains(raw(out), "Siti Aminah") {
		t.Fatal("handler list privacy wrong")
	}
	// Asking for another unit's queue does not widen the scope.
	if _, _, items := list(hTok, "?queue=all&unit=KES"); len(items) != 0 {
		t.Fatalf("handler saw %d reports of another unit", len(items))
	}
	if _, _, items := list(h2Tok, "?queue=all"); len(items) != 1 || items[0]["tracking_code"] != code(other) {
		t.Fatalf("the KES handler's list: %v", items)
	}
	// Front desk sees what they took in.
	if _, _, items := list(fdTok, "?queue=all"); len(items) != 1 || items[0]["tracking_code"] != code(pub) {
		t.Fatalf("front desk list: %v", items)
	}

	// Detail views.
	view := func(tok string, r interface{ GetString(string) string }) (int, map[string]any) {
		return c.json("GET", "/api/staff/complaints/"+code(r), tok, "")
	}
	if st, _ := view(h2Tok, pub); st != 403 {
		t.Fatalf("another unit's handler viewing: %d", st)
	}
	if st, _ := view(fdTok, conf); st != 403 {
		t.Fatalf("front desk viewing what they did not take in: %d", st)
	}
	st, d := view(hTok, pub)
	if st != 200 || d["reporter"] == nil || !strings.Contains(raw(d["reporter"]), "+6281234567890") {
		t.Fatalf("handler sees a public report's reporter: %d %v", st, d["reporter"])
	}
	if tl, _ := d["timeline"].([]any); len(tl) != 1 {
		t.Fatalf("timeline: %v", d["timeline"])
	}
	if st, d := view(hTok, conf); st != 200 || d["reporter"] != nil || strings.Contains(raw(d), "Rahmat") {
		t.Fatalf("handler must not see a confidential reporter: %v", d["reporter"])
	}
	if st, d := view(coordTok, conf); st != 200 || !strings.Contains(raw(d["reporter"]), "Rahmat Hidayat") {
		t.Fatalf("coordinator sees a confidential reporter: %v", d["reporter"])
	}
	if _, d := view(adminTok, anon); d["reporter"] != nil {
		t.Fatalf("an anonymous report has no reporter: %v", d["reporter"])
	}
	if _, d := view(hTok, pub); !strings.Contains(raw(d["allowed_transitions"]), "[]") && d["allowed_transitions"] != nil {
		t.Fatalf("a handler cannot verify: %v", d["allowed_transitions"])
	}
	if _, d := view(coordTok, pub); !strings.Contains(raw(d["allowed_transitions"]), "terdisposisi") {
		t.Fatalf("a coordinator may dispose: %v", d["allowed_transitions"])
	}
}

func TestStaffQueues(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	_, tok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	baru := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	setField(t, app, baru, "due_at", endOf(2020, 1, 2)) // long overdue
	tunda := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTertunda})
	unit := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTerdisposisi, Unit: "UMUM"})
	setField(t, app, unit, "due_at", endOf(2099, 1, 2))
	done := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusSelesai})

	cases := []struct {
		query string
		want  []string
	}{
		{"?queue=verify", []string{baru.GetString("tracking_code")}},
		{"?queue=postponed", []string{tunda.GetString("tracking_code")}},
		{"?queue=unit", []string{unit.GetString("tracking_code")}},
		{"?queue=overdue", []string{baru.GetString("tracking_code")}},
		{"?queue=closed", []string{done.GetString("tracking_code")}},
		{"", []string{baru.GetString("tracking_code"), unit.GetString("tracking_code")}}, // open, nearest deadline first
		{"?queue=all&q=" + strings.ToLower(done.GetString("tracking_code")), []string{done.GetString("tracking_code")}},
		{"?queue=all&q=" + "lubang+%22OR%22+tidakada", nil}, // every word is required; FTS5 syntax is text
		{"?queue=all&q=" + "Lubang+JALAN", []string{baru.GetString("tracking_code"), tunda.GetString("tracking_code"),
			unit.GetString("tracking_code"), done.GetString("tracking_code")}}, // body and title, any case, equal rank: oldest first
		{"?queue=all&status=tertunda", []string{tunda.GetString("tracking_code")}},
		{"?queue=all&category=LAIN&perPage=2&page=2", nil},
	}
	for _, tc := range cases {
		st, out := c.json("GET", "/api/staff/complaints"+tc.query, tok, "")
		if st != 200 {
			t.Fatalf("%s: %d %v", tc.query, st, out)
		}
		items, _ := out["items"].([]any)
		if tc.want == nil && tc.query == "?queue=all&category=LAIN&perPage=2&page=2" {
			if len(items) != 2 || out["hasMore"] != false {
				t.Fatalf("%s: %d items, hasMore %v", tc.query, len(items), out["hasMore"])
			}
			continue
		}
		var got []string
		for _, it := range items {
			got = append(got, it.(map[string]any)["tracking_code"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Fatalf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}
	if st, _ := c.json("GET", "/api/staff/complaints?queue=nope", tok, ""); st != 400 {
		t.Fatalf("unknown queue: %d", st)
	}
}

// TestStaffListScenario: the list route as an ApiScenario (no auth, a
// non-staff token).
func TestStaffListScenario(t *testing.T) {
	(&tests.ApiScenario{Name: "guest", Method: http.MethodGet, URL: "/api/staff/complaints",
		ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		TestAppFactory: testkit.Factory(nil)}).Test(t)
}
