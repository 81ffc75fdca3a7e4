package ui_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/platform/token"
	"simpul/ui"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

const hostile = `<script>alert(1)</script>`

// client is a browser-like HTTP client for a served app: it keeps cookies
// and does not follow redirects, so tests see every 303.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, srv *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a urlencoded form with a same-origin Origin header, as a
// browser does.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	return c.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page body.
func (c *client) csrf(body string) string {
	c.t.Helper()
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no csrf field in page:\n%s", body)
	}
	return m[1]
}

// login signs in at /loket and fails the test unless it worked.
func (c *client) login(email string) {
	c.t.Helper()
	_, body := c.get("/loket")
	res, body := c.post("/loket/masuk", url.Values{"csrf": {c.csrf(body)}, "email": {email}, "password": {"rahasia-123456"}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d\n%s", email, res.StatusCode, body)
	}
}

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	for _, path := range []string{"/lapor", "/q/pintu-depan", "/q/tidak-ada", "/lacak", "/lacak/0000-0000-000", "/loket", "/kiosk"} {
		res, _ := c.get(path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: hardening headers missing: %v", path, h)
		}
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	// The CSP forbids inline script; a page that relied on one would break
	// silently in the browser, so the templates must not contain any.
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	for _, path := range []string{"/lapor", "/q/pintu-depan", "/lacak", "/loket"} {
		_, body := c.get(path)
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+="|style="`).MatchString(body) {
			t.Errorf("%s has inline script, handler or style", path)
		}
	}
}

func TestCitizenFormPages(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name: "form in Indonesian by default, every API field present", Method: http.MethodGet, URL: "/lapor",
			ExpectedStatus: 200,
			ExpectedContent: []string{`<html lang="id">`, "Buat laporan", `name="type"`, `name="title"`, `name="body"`,
				`name="category"`, `name="incident_date"`, `name="location"`, `name="privacy"`, `name="reporter_name"`,
				`name="reporter_phone"`, `name="reporter_email"`, `name="client_ref" value="f-`, `name="attachments"`,
				`enctype="multipart/form-data"`, `<optgroup label="Kesehatan">`, `value="anonymous"`, "Anonim", "Rahasia"},
			NotExpectedContent: []string{`name="qr"`, "Anda melapor dari"},
		},
		{
			Name: "English switch", Method: http.MethodGet, URL: "/lapor?lang=en",
			ExpectedStatus:     200,
			ExpectedContent:    []string{`<html lang="en">`, "Make a report", "Anonymous", `<optgroup label="Health">`},
			NotExpectedContent: []string{"Buat laporan</h1>"},
		},
		{
			Name: "QR landing prefilled and says where", Method: http.MethodGet, URL: "/q/pintu-depan",
			ExpectedStatus: 200,
			ExpectedContent: []string{"Anda melapor dari:", "Pintu depan / ruang tunggu", `name="qr" value="pintu-depan"`,
				`action="/q/pintu-depan#form-errors"`, `value="Ruang tunggu pelayanan"`, `name="unit" value="UMUM"`},
		},
		{
			Name: "unknown QR slug: friendly 404 with a link to the form", Method: http.MethodGet, URL: "/q/tidak-ada",
			ExpectedStatus: 404, ExpectedContent: []string{"Kode QR tidak dikenal", `href="/lapor"`},
		},
		{
			Name: "hostile QR slug: 404, not echoed", Method: http.MethodGet, URL: "/q/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
			ExpectedStatus: 404, NotExpectedContent: []string{hostile},
		},
		{
			Name: "inactive QR point: 404", Method: http.MethodGet, URL: "/q/pintu-depan",
			TestAppFactory: testkit.Factory(func(t testing.TB, app *tests.TestApp) {
				qr, err := app.FindFirstRecordByData(model.QRPoints, "slug", "pintu-depan")
				if err != nil {
					t.Fatal(err)
				}
				qr.Set("active", false)
				if err := app.Save(qr); err != nil {
					t.Fatal(err)
				}
			}),
			ExpectedStatus: 404, ExpectedContent: []string{"Kode QR tidak dikenal"},
		},
		{
			Name: "QR label with hostile HTML is escaped", Method: http.MethodGet, URL: "/q/pintu-depan",
			TestAppFactory: testkit.Factory(func(t testing.TB, app *tests.TestApp) {
				qr, _ := app.FindFirstRecordByData(model.QRPoints, "slug", "pintu-depan")
				qr.Set("label", hostile)
				qr.Set("location", `"><img src=x onerror=alert(1)>`)
				if err := app.Save(qr); err != nil {
					t.Fatal(err)
				}
			}),
			ExpectedStatus:     200,
			ExpectedContent:    []string{"&lt;script&gt;alert(1)&lt;/script&gt;", `value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"`},
			NotExpectedContent: []string{hostile, "<img src=x"},
		},
	}
	for _, s := range scenarios {
		if s.TestAppFactory == nil {
			s.TestAppFactory = testkit.Factory(nil)
		}
		s.Test(t)
	}
}

func TestClientRefIsFreshPerRender(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	re := regexp.MustCompile(`name="client_ref" value="(f-[A-Za-z0-9_-]{43})"`)
	_, a := c.get("/lapor")
	_, b := c.get("/lapor")
	ma, mb := re.FindStringSubmatch(a), re.FindStringSubmatch(b)
	if ma == nil || mb == nil || ma[1] == mb[1] {
		t.Fatalf("client_ref must be present and differ per render: %v %v", ma, mb)
	}
}

func TestPageWeight(t *testing.T) {
	// The citizen form must stay under 100 KB (HTML plus CSS) for a cheap
	// phone on a slow link.
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	for _, path := range []string{"/lapor", "/q/pintu-depan", "/lacak"} {
		_, html := c.get(path)
		total := len(html)
		for _, m := range regexp.MustCompile(`href="(/static/[^"]+\.css)"`).FindAllStringSubmatch(html, -1) {
			res, css := c.get(m[1])
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", m[1], res.StatusCode)
			}
			total += len(css)
		}
		t.Logf("%s weighs %d bytes (HTML + CSS)", path, total)
		if total >= 100*1024 {
			t.Errorf("%s weighs %d bytes, over 100 KB", path, total)
		}
	}
}

// --- tracking ---

func complaintFixture(t testing.TB, app core.App, privacy, title string) *core.Record {
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Privacy: privacy, Reporter: "Siti Rahayu", Phone: "081234567890"})
	if title != "" {
		rec = setField(t, app, rec, "title", title)
	}
	return rec
}

// setField changes one field of a saved complaint (fetched afresh, so the
// save is an ordinary update of that field).
func setField(t testing.TB, app core.App, rec *core.Record, field string, value any) *core.Record {
	t.Helper()
	fresh, err := app.FindRecordById(model.Complaints, rec.Id)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Set(field, value)
	if err := app.Save(fresh); err != nil {
		t.Fatal(err)
	}
	return fresh
}

func TestTrackingPages(t *testing.T) {
	app := testkit.New(t)
	pub := complaintFixture(t, app, model.PrivacyPublic, hostile)
	conf := complaintFixture(t, app, model.PrivacyConfidential, "Pungli di loket KTP")
	dir := testkit.Snapshot(t, app)
	factory := func(t testing.TB) *tests.TestApp { return testkit.NewFromDir(t, dir, testkit.Config()) }

	pubCode, confCode := pub.GetString("tracking_code"), conf.GetString("tracking_code")
	sloppy := strings.ToLower(strings.ReplaceAll(pubCode, "-", ""))
	// a well-formed code nobody was given
	var unknown string
	for unknown = trackcode.New(); unknown == pubCode || unknown == confCode; unknown = trackcode.New() {
	}
	typo := pubCode[:len(pubCode)-1] + map[bool]string{true: "1", false: "0"}[pubCode[len(pubCode)-1] == '0']

	scenarios := []tests.ApiScenario{
		{Name: "lookup form", Method: "GET", URL: "/lacak", ExpectedStatus: 200,
			ExpectedContent: []string{"Lacak laporan", `name="code"`}},
		{Name: "lookup form in English", Method: "GET", URL: "/lacak?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"Track a report", "Tracking code"}},
		{Name: "tolerant input redirects to the canonical page", Method: "GET", URL: "/lacak?code=" + sloppy,
			ExpectedStatus: 303},
		{Name: "malformed code: helpful message", Method: "GET", URL: "/lacak?code=abc", ExpectedStatus: 400,
			ExpectedContent: []string{"tidak sesuai format", `aria-invalid="true"`}},
		{Name: "typo in the check character", Method: "GET", URL: "/lacak?code=" + url.QueryEscape(typo), ExpectedStatus: 400,
			ExpectedContent: []string{"salah ketik"}},
		{Name: "hostile input is not echoed raw", Method: "GET", URL: "/lacak?code=" + url.QueryEscape(hostile), ExpectedStatus: 400,
			NotExpectedContent: []string{hostile}},
		{Name: "unknown code: 404", Method: "GET", URL: "/lacak/" + unknown, ExpectedStatus: 404,
			ExpectedContent: []string{"Laporan tidak ditemukan"}},
		{Name: "public report: status, next step, timeline, hostile title inert, no identity", Method: "GET",
			URL: "/lacak/" + pubCode, ExpectedStatus: 200,
			ExpectedContent: []string{pubCode, "Belum Terverifikasi", "Petugas akan memeriksa", "Laporan diterima",
				"&lt;script&gt;alert(1)&lt;/script&gt;", "WIB"},
			NotExpectedContent: []string{hostile, "Siti Rahayu", "081234567890"}},
		{Name: "public report in English", Method: "GET", URL: "/lacak/" + pubCode + "?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"Awaiting verification", "What happens next"}},
		{Name: "lower-case code redirects", Method: "GET", URL: "/lacak/" + sloppy, ExpectedStatus: 301},
		{Name: "confidential report: no title, no identity", Method: "GET", URL: "/lacak/" + confCode, ExpectedStatus: 200,
			ExpectedContent:    []string{"rahasia dan tidak ditampilkan"},
			NotExpectedContent: []string{"Pungli di loket KTP", "Siti Rahayu", "081234567890"}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = factory
		s.Test(t)
	}
}

// --- counter ---

func TestCounterLoginAndSession(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := testkit.Serve(t, app)

	t.Run("login form and csrf cookie", func(t *testing.T) {
		c := newClient(t, srv)
		res, body := c.get("/loket")
		if res.StatusCode != 200 || !strings.Contains(body, `action="/loket/masuk"`) {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Error("counter page must not be cached")
		}
		var found bool
		for _, ck := range res.Cookies() {
			if ck.Name == ui.CSRFCookie {
				found = ck.HttpOnly && ck.SameSite == http.SameSiteStrictMode
			}
		}
		if !found {
			t.Errorf("csrf cookie missing or not HttpOnly+Strict: %v", res.Header["Set-Cookie"])
		}
	})
	t.Run("login without csrf is refused", func(t *testing.T) {
		c := newClient(t, srv)
		c.get("/loket")
		res, _ := c.post("/loket/masuk", url.Values{"email": {"loket@simpul.test"}, "password": {"rahasia-123456"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("got %d", res.StatusCode)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		c := newClient(t, srv)
		_, body := c.get("/loket")
		res, body := c.post("/loket/masuk", url.Values{"csrf": {c.csrf(body)}, "email": {"loket@simpul.test"}, "password": {"salah"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "kata sandi salah") {
			t.Fatalf("got %d", res.StatusCode)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == ui.SessionCookie && ck.Value != "" {
				t.Fatal("a failed login must not start a session")
			}
		}
	})
	t.Run("cross-site post is refused", func(t *testing.T) {
		c := newClient(t, srv)
		_, body := c.get("/loket")
		form := url.Values{"csrf": {c.csrf(body)}, "email": {"loket@simpul.test"}, "password": {"rahasia-123456"}}
		req, _ := http.NewRequest("POST", srv.URL+"/loket/masuk", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		res, _ := c.do(req)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("got %d", res.StatusCode)
		}
	})
	t.Run("login, session cookie flags, logout", func(t *testing.T) {
		c := newClient(t, srv)
		_, body := c.get("/loket")
		res, _ := c.post("/loket/masuk", url.Values{"csrf": {c.csrf(body)}, "email": {"loket@simpul.test"}, "password": {"rahasia-123456"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("got %d", res.StatusCode)
		}
		var sess *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == ui.SessionCookie {
				sess = ck
			}
		}
		if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode {
			t.Fatalf("session cookie %+v", sess)
		}
		_, body = c.get("/loket")
		if !strings.Contains(body, "Petugas frontdesk") || !strings.Contains(body, `action="/loket#form-errors"`) || !strings.Contains(body, `name="identity_checked"`) {
			t.Fatalf("logged-in counter page:\n%s", body)
		}
		res, _ = c.post("/loket/keluar", url.Values{"csrf": {c.csrf(body)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout %d", res.StatusCode)
		}
		_, body = c.get("/loket")
		if !strings.Contains(body, `action="/loket/masuk"`) {
			t.Fatal("still logged in after logout")
		}
	})
	t.Run("a forged session cookie is ignored", func(t *testing.T) {
		c := newClient(t, srv)
		u, _ := url.Parse(srv.URL)
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: ui.SessionCookie, Value: "eyJhbGciOiJIUzI1NiJ9.e30.x"}})
		_, body := c.get("/loket")
		if !strings.Contains(body, `action="/loket/masuk"`) {
			t.Fatal("forged cookie accepted")
		}
	})
}

// The counter's lookup by phone or name finds only reports whose reporter
// the clerk may know (review item 1): never a confidential one for the
// front desk or a handler (before, every clerk found every report filed
// with a number, confidential ones included), a handler only their unit's;
// coordinators find all. A tracking code finds its report for anyone at
// the counter. Every lookup is in the access log with how many it found,
// never with what was searched.
func TestCounterLookup(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	testkit.Staff(t, app, "koord@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "seksi-a@simpul.test", model.RoleHandler, "UNIT-A")
	testkit.Staff(t, app, "seksi-b@simpul.test", model.RoleHandler, "UNIT-B")
	mine := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Siti Aminah", Phone: "081234567890"})
	conf := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Siti Aminah", Phone: "081234567890", Privacy: model.PrivacyConfidential})
	conf = setField(t, app, conf, "title", "Pungli rahasia")
	other := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Budi", Phone: "089999999999"})
	srv := testkit.Serve(t, app)

	anon := newClient(t, srv)
	if res, _ := anon.get("/loket/cari?q=081234567890"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lookup without a session: %d", res.StatusCode)
	}
	pub, secret := mine.GetString("tracking_code"), conf.GetString("tracking_code")
	for _, tc := range []struct {
		who       string
		found     []string
		notFound  []string
		byPhone   int // results of the phone search
		seesTitle bool
	}{
		{"loket@simpul.test", []string{pub}, []string{secret, "Pungli rahasia"}, 1, false},
		// The unit's handler reads the confidential report it handles (by
		// its code) but does not find it by who reported it.
		{"seksi-a@simpul.test", []string{pub}, []string{secret, "Pungli rahasia"}, 1, true},
		{"seksi-b@simpul.test", nil, []string{pub, secret, "Pungli rahasia"}, 0, false},
		{"koord@simpul.test", []string{pub, secret, "Pungli rahasia"}, nil, 2, true},
	} {
		c := newClient(t, srv)
		c.login(tc.who)
		for _, q := range []string{"+62 812-3456-7890", "siti aminah"} {
			_, body := c.get("/loket/cari?q=" + url.QueryEscape(q))
			for _, want := range tc.found {
				if !strings.Contains(body, want) {
					t.Errorf("%s searching %q: misses %q", tc.who, q, want)
				}
			}
			for _, bad := range append(tc.notFound, other.GetString("tracking_code"), "Siti", "Budi", "089999999999") {
				if strings.Contains(body, bad) {
					t.Errorf("%s searching %q: shows %q", tc.who, q, bad)
				}
			}
		}
		// A tracking code finds its report; the title only where the
		// clerk may read it.
		_, body := c.get("/loket/cari?q=" + strings.ToLower(secret))
		if !strings.Contains(body, secret) || strings.Contains(body, "Pungli rahasia") != tc.seesTitle || strings.Contains(body, "Siti") {
			t.Errorf("%s: code lookup of the confidential report:\n%s", tc.who, body)
		}
		staff, _ := app.FindAuthRecordByEmail(model.Staff, tc.who)
		var logs []struct {
			Detail    string `db:"detail"`
			Found     int    `db:"found"`
			Complaint string `db:"complaint"`
			Reason    string `db:"reason"`
		}
		if err := app.DB().NewQuery("SELECT detail, found, complaint, reason FROM access_log WHERE actor = {:a} AND action = 'counter_lookup' ORDER BY rowid").
			Bind(dbx.Params{"a": staff.Id}).All(&logs); err != nil {
			t.Fatal(err)
		}
		if len(logs) != 3 || logs[0].Detail != "phone" || logs[0].Found != tc.byPhone || logs[1].Detail != "name" ||
			logs[2].Detail != "code" || logs[2].Found != 1 || logs[2].Complaint != conf.Id {
			t.Errorf("%s: access log %+v", tc.who, logs)
		}
	}
	// The log never holds what was searched.
	var raw string
	if err := app.DB().NewQuery("SELECT group_concat(detail || reason || actor_name, '|') FROM access_log").Row(&raw); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"0812", "3456", "Siti", "siti"} {
		if strings.Contains(raw, bad) {
			t.Errorf("the access log holds %q: %s", bad, raw)
		}
	}

	c := newClient(t, srv)
	c.login("loket@simpul.test")
	_, body := c.get("/loket/cari?q=" + strings.ToLower(other.GetString("tracking_code")))
	if !strings.Contains(body, other.GetString("tracking_code")) || strings.Contains(body, "Budi") {
		t.Error("code lookup must find the report and show no identity")
	}
	_, body = c.get("/loket/cari?q=" + url.QueryEscape(hostile))
	if strings.Contains(body, hostile) || !strings.Contains(body, "Tidak ada laporan yang cocok") {
		t.Error("hostile query must be inert and find nothing")
	}
}

// --- kiosk ---

const kioskToken = "kiosk-token-0123456789abcdef"

func addKiosk(t testing.TB, app core.App, active bool) {
	col, err := app.FindCollectionByNameOrId(model.Kiosks)
	if err != nil {
		t.Fatal(err)
	}
	k := core.NewRecord(col)
	k.Set("name", "Kios Lobi")
	k.Set("token_hash", token.Hash(kioskToken))
	k.Set("active", active)
	if err := app.Save(k); err != nil {
		t.Fatal(err)
	}
}

func TestKioskSetup(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := testkit.Serve(t, app)

	c := newClient(t, srv)
	if res, body := c.get("/kiosk"); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "belum terdaftar") {
		t.Fatalf("unregistered kiosk: %d", res.StatusCode)
	}
	if res, _ := c.get("/kiosk/setup"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("setup without login: %d", res.StatusCode)
	}
	f := newClient(t, srv)
	f.login("loket@simpul.test")
	if res, _ := f.get("/kiosk/setup"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("setup by frontdesk: %d", res.StatusCode)
	}

	c.login("admin@simpul.test")
	_, body := c.get("/kiosk/setup")
	csrf := c.csrf(body)
	if res, _ := c.post("/kiosk/setup", url.Values{"csrf": {csrf}, "token": {"wrong"}, "idle": {"60"}}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad token: %d", res.StatusCode)
	}
	if res, _ := c.post("/kiosk/setup", url.Values{"token": {kioskToken}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("setup without csrf: %d", res.StatusCode)
	}
	res, _ := c.post("/kiosk/setup", url.Values{"csrf": {csrf}, "token": {kioskToken}, "idle": {"45"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.StatusCode)
	}
	res, body = c.get("/kiosk")
	if res.StatusCode != 200 || !strings.Contains(body, `data-idle="45"`) || !strings.Contains(body, `src="/static/kiosk.js"`) {
		t.Fatalf("registered kiosk: %d\n%s", res.StatusCode, body)
	}
	if strings.Contains(body, `name="attachments"`) {
		t.Error("the kiosk has no file input")
	}
	// Setting up the kiosk ended the admin's session on it.
	if _, body := c.get("/loket"); !strings.Contains(body, `action="/loket/masuk"`) {
		t.Error("the admin session must end after kiosk setup")
	}
}

func TestTrackingReplyWithPIN(t *testing.T) {
	app := testkit.New(t)
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTertunda, Reporter: "Siti"})
	sum := sha256.Sum256([]byte("482913"))
	rec = setField(t, app, rec, "pin_hash", "sha256:"+hex.EncodeToString(sum[:]))
	code := rec.GetString("tracking_code")
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)

	_, body := c.get("/lacak/" + code)
	if !strings.Contains(body, `id="reply-form"`) || !strings.Contains(body, "Tertunda") {
		t.Fatalf("a tertunda report offers the reply form:\n%s", body)
	}
	res, body := c.post("/lacak/"+code, url.Values{"action": {"reply"}, "pin": {"000000"}, "message": {"Foto kuitansi terlampir"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "PIN salah") || !strings.Contains(body, "Foto kuitansi terlampir") {
		t.Fatalf("wrong PIN: %d\n%s", res.StatusCode, body)
	}
	res, _ = c.post("/lacak/"+code, url.Values{"action": {"reply"}, "pin": {"482913"}, "message": {"  "}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("empty message: %d", res.StatusCode)
	}
	res, _ = c.post("/lacak/"+code, url.Values{"action": {"reply"}, "pin": {"482913"}, "message": {hostile}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	after, err := app.FindRecordById(model.Complaints, rec.Id)
	if err != nil {
		t.Fatal(err)
	}
	if after.GetString("status") != model.StatusBaru {
		t.Fatalf("a reply to tertunda sends the report back to verification, got %s", after.GetString("status"))
	}
	_, body = c.get("/lacak/" + code + "?sent=1")
	if !strings.Contains(body, "sudah diterima") || strings.Contains(body, hostile) || !strings.Contains(body, "Tanggapan pelapor") {
		t.Fatalf("after the reply:\n%s", body)
	}
}

func TestRefusedPosts(t *testing.T) {
	// A report intake would accept: only the gate under test stands
	// between it and a new complaint.
	form := "title=Lampu+jalan+mati&body=Sudah+seminggu+lampu+jalan+mati.&category=LAIN&type=pengaduan&privacy=anonymous"
	scenarios := []tests.ApiScenario{
		{Name: "cross-site POST to the citizen form", Method: "POST", URL: "/lapor", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"},
			ExpectedStatus: 403, ExpectedContent: []string{"situs lain"},
			ExpectedEvents: noWrites},
		{Name: "cross-site POST by Referer", Method: "POST", URL: "/q/pintu-depan", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Referer": "https://evil.example/x"},
			ExpectedStatus: 403, ExpectedContent: []string{"situs lain"}, ExpectedEvents: noWrites},
		{Name: "counter POST without a session", Method: "POST", URL: "/loket", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			ExpectedStatus: 403, ExpectedContent: []string{"Sesi Anda berakhir"}, ExpectedEvents: noWrites},
		{Name: "kiosk POST without a kiosk token", Method: "POST", URL: "/kiosk", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			ExpectedStatus: 403, ExpectedContent: []string{"belum terdaftar"}, ExpectedEvents: noWrites},
		{Name: "kiosk POST with an unknown token", Method: "POST", URL: "/kiosk", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": ui.KioskCookie + "=nope"},
			ExpectedStatus: 403, ExpectedContent: []string{"belum terdaftar"}, ExpectedEvents: noWrites},
		{Name: "POST to an unknown QR point", Method: "POST", URL: "/q/tidak-ada", Body: strings.NewReader(form),
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			ExpectedStatus: 404, ExpectedContent: []string{"Kode QR tidak dikenal"}, ExpectedEvents: noWrites},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testkit.Factory(nil)
		s.AfterTestFunc = noRows
		s.Test(t)
	}
}

// noWrites asserts that a refused request saved no record through
// PocketBase; noRows, that it wrote no row at all (intake writes with
// prepared statements, which no record hook sees).
var noWrites = map[string]int{"OnRecordCreate": 0, "OnModelCreate": 0, "OnRecordUpdate": 0}

func noRows(t testing.TB, app *tests.TestApp, _ *http.Response) {
	t.Helper()
	for _, table := range []string{model.Complaints, model.ComplaintEvents, model.SyncOutbox} {
		var n int
		if err := app.DB().NewQuery("SELECT count(*) FROM " + table).Row(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("a refused POST wrote %d rows to %s", n, table)
		}
	}
}

// A foreign number is stored in E.164 (+14155550100, review item 9); the
// counter finds it as the clerk types it.
func TestCounterLookupForeignPhone(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koord@simpul.test", model.RoleCoordinator, "")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "John Tourist", Phone: "+14155550100"})
	c := newClient(t, testkit.Serve(t, app))
	c.login("koord@simpul.test")
	if _, body := c.get("/loket/cari?q=" + url.QueryEscape("+1 415 555 0100")); !strings.Contains(body, rec.GetString("tracking_code")) {
		t.Fatalf("the counter does not find a foreign number:\n%s", body)
	}
}
