package sectest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
	"simpul/hooks/export"
	"simpul/hooks/intake"
	"simpul/hooks/platform/routes"
	"simpul/hooks/websec"
	"simpul/ui"
	"simpul/ui/testkit"
)

// route is one registered method and path pattern.
type route struct{ Method, Path string }

// routesOf lists every route of r (routes.Walk, which fails loudly if a
// PocketBase upgrade changes its router's insides).
func routesOf(t *testing.T, r *router.Router[*core.RequestEvent]) []route {
	t.Helper()
	lines, err := routes.Walk(r)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]route, len(lines))
	for i, l := range lines {
		out[i] = route{l.Method, l.Path}
	}
	return out
}

// served builds app's router as "serve" does, serves it and returns the
// server and Simpul's own routes (PocketBase's built-in API routes and its
// dashboard are left out: they are PocketBase's).
func served(t *testing.T, app core.App) (*httptest.Server, []route) {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	builtin := map[route]bool{} // what PocketBase binds before OnServe
	for _, x := range routesOf(t, r) {
		builtin[x] = true
	}
	var mux http.Handler
	var all []route
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		all = routesOf(t, e.Router) // before BuildMux adds its catch-all
		mux, err = e.Router.BuildMux()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	var own []route
	for _, x := range all {
		if !builtin[x] && !strings.HasPrefix(x.Path, "/_/") {
			own = append(own, x)
		}
	}
	sort.Slice(own, func(i, j int) bool { return own[i].Path+own[i].Method < own[j].Path+own[j].Method })
	return srv, own
}

// fixture is what the sample URLs point at.
type fixture struct {
	code, receiptToken string
	admin              string // admin's auth token
}

func newFixture(t *testing.T, app core.App) fixture {
	t.Helper()
	_, tok := testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	res, err := intake.Submit(app, intake.Request{Type: "pengaduan", Title: "Lampu jalan mati di depan pasar",
		Body: "Sudah seminggu lampu jalan mati.", Category: "LAIN", Privacy: "public", ReporterName: "Siti Aminah",
		RemoteIP: "192.0.2.10"})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := app.FindRecordById(model.Complaints, res.ComplaintID)
	return fixture{code: res.TrackingCode, receiptToken: c.GetString("receipt_token"), admin: tok}
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// sampleURL fills a route's wildcards with values that reach its handler.
func (f fixture) sampleURL(path string) string {
	files := map[string]string{
		intake.ReceiptRoute:           f.code + ".pdf?token=" + url.QueryEscape(f.receiptToken),
		"/open311/v2/{file}":          "discovery.json",
		"/open311/v2/requests/{file}": f.code + ".json",
		"/open311/v2/services/{file}": "LAIN.json",
		"/open311/v2/tokens/{file}":   "x.json",
		export.APIPath:                export.FileComplaintsCSV,
	}
	return wildcard.ReplaceAllStringFunc(path, func(w string) string {
		switch w {
		case "{$}":
			return ""
		case "{code}":
			return f.code
		case "{slug}":
			return "pintu-depan"
		case "{path...}":
			return "simpul.css"
		case "{file}":
			if v := files[path]; v != "" {
				return v
			}
		}
		return "x"
	})
}

// staffBrowser is a browser with an admin session, a CSRF cookie and a
// kiosk cookie, so every page renders what its users see.
func staffBrowser(t *testing.T, base string, f fixture, kioskToken string) (*browser, string) {
	b := newBrowser(t, base)
	const csrf = "csrf-token-for-the-route-walk-0123456789"
	u, _ := url.Parse(base)
	b.c.Jar.SetCookies(u, []*http.Cookie{
		{Name: ui.SessionCookie, Value: f.admin, Path: "/"},
		{Name: ui.CSRFCookie, Value: csrf, Path: "/"},
		{Name: ui.KioskCookie, Value: kioskToken, Path: "/"},
	})
	return b, csrf
}

// Every GET route Simpul adds answers with the hardening headers: the
// full page set (CSP, nosniff, Referrer-Policy, X-Frame-Options) on every
// path outside /api/ and on any HTML answer wherever it is, nosniff on the
// rest. Routes are read from the router, so a page added later is checked
// without touching this test.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	app := testkit.New(t)
	f := newFixture(t, app)
	kiosk, err := intake.AddKiosk(app, "Kios Lobi", "", "")
	if err != nil {
		t.Fatal(err)
	}
	srv, rs := served(t, app)
	b, _ := staffBrowser(t, srv.URL, f, kiosk.Token)
	var gets int
	for _, r := range rs {
		if r.Method != http.MethodGet {
			continue
		}
		gets++
		target := f.sampleURL(r.Path)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+target, nil)
		if strings.HasPrefix(r.Path, "/api/") {
			req.Header.Set("Authorization", f.admin)
		}
		res := b.do(req)
		h := res.header
		t.Logf("%s %-40s %s → %d %s", r.Method, r.Path, target, res.status, h.Get("Content-Type"))
		if res.status >= 500 {
			t.Errorf("%s: %d", target, res.status)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no X-Content-Type-Options: nosniff", target)
		}
		ct := h.Get("Content-Type")
		pdf := strings.HasPrefix(ct, "application/pdf")
		if strings.HasPrefix(r.Path, "/api/") && !strings.HasPrefix(ct, "text/html") {
			// JSON, CSV and the staff API's PDF, fetched with an
			// Authorization header (no ambient authority to frame or
			// leak): nosniff is what matters. The receipt is checked below.
			continue
		}
		if h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: Referrer-Policy %q, X-Frame-Options %q", target, h.Get("Referrer-Policy"), h.Get("X-Frame-Options"))
		}
		// A PDF shown in the browser may drop the CSP (ui.sendPDF says why:
		// Chromium's viewer renders a sliver under default-src 'none');
		// everything else carries it exactly.
		if csp := h.Get("Content-Security-Policy"); csp != websec.ContentSecurityPolicy && !(pdf && csp == "") {
			t.Errorf("%s: Content-Security-Policy %q", target, csp)
		}
	}
	if gets < 25 {
		t.Errorf("only %d GET routes checked", gets)
	}
	// The receipt PDF, a citizen's page although it lives under /api/,
	// is framed by nobody, leaks no URL and is never cached (its PIN).
	res := b.get(f.sampleURL(intake.ReceiptRoute))
	if res.status != http.StatusOK || res.header.Get("X-Frame-Options") != "DENY" || res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("receipt: %d %v", res.status, res.header)
	}
}

// publicPosts are the POST pages that carry no staff authority: a citizen's
// report, a kiosk's report (its cookie is SameSite=Strict) and a reporter's
// reply, which is proven by the receipt PIN in the form. They are guarded
// by SameOriginPost only.
var publicPosts = map[string]bool{"/lapor": true, "/q/{slug}": true, "/kiosk": true, "/lacak/{code}": true}

// dbState sums every collection's row count and latest update, to see
// that a refused request wrote nothing.
func dbState(t *testing.T, app core.App) string {
	t.Helper()
	cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cols {
		var row struct {
			N       int    `db:"n"`
			Updated string `db:"u"`
		}
		sel := "count(*) AS n, '' AS u"
		if c.Fields.GetByName("updated") != nil {
			sel = "count(*) AS n, coalesce(max([[updated]]), '') AS u"
		}
		if err := app.DB().NewQuery("SELECT " + sel + " FROM {{" + c.Name + "}}").One(&row); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d@%s; ", c.Name, row.N, row.Updated)
	}
	return b.String()
}

// Every POST page with staff authority refuses a request that has the
// session cookie (and a CSRF cookie) but no or a wrong CSRF field, and
// writes nothing; the public POST pages refuse another site's Origin.
// Routes are read from the router, so a form added later is checked too.
func TestCSRFOnEveryStaffPost(t *testing.T) {
	app := testkit.New(t)
	f := newFixture(t, app)
	kiosk, err := intake.AddKiosk(app, "Kios Lobi", "", "")
	if err != nil {
		t.Fatal(err)
	}
	srv, rs := served(t, app)
	b, csrf := staffBrowser(t, srv.URL, f, kiosk.Token)
	before := dbState(t, app)
	form := url.Values{"title": {"Laporan lewat serangan CSRF"}, "body": {"Isi"}, "category": {"LAIN"}, "type": {"pengaduan"},
		"privacy": {"anonymous"}, "action": {"move"}, "to": {model.StatusDiarsipkan}, "reason": {"spam"}, "note": {"x"},
		"label": {"Titik CSRF"}, "slug": {"titik-csrf"}, "token": {kiosk.Token}, "idle": {"60"},
		"email": {"admin@simpul.test"}, "password": {password}, "message": {"balasan"}, "pin": {"000000"}}
	var posts int
	for _, r := range rs {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/open311/") {
			continue
		}
		posts++
		target := f.sampleURL(r.Path)
		t.Logf("POST %s (public: %v)", r.Path, publicPosts[r.Path])
		if publicPosts[r.Path] {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			if res := b.do(req); res.status != http.StatusForbidden {
				t.Errorf("cross-site POST %s: %d", target, res.status)
			}
			continue
		}
		for name, field := range map[string][]string{"no csrf field": nil, "wrong csrf field": {strings.ToUpper(csrf)}} {
			v := url.Values{}
			for k, x := range form {
				v[k] = x
			}
			if field != nil {
				v[ui.CSRFField] = field
			}
			res := b.post(target, v)
			if res.status != http.StatusForbidden {
				t.Errorf("POST %s with %s: %d, want 403", target, name, res.status)
			}
			if res.header.Get("Content-Security-Policy") != websec.ContentSecurityPolicy {
				t.Errorf("POST %s: the refusal has no CSP", target)
			}
		}
	}
	if posts < 8 {
		t.Errorf("only %d POST pages found", posts)
	}
	if after := dbState(t, app); after != before {
		t.Errorf("refused posts changed the database:\n%s\n%s", before, after)
	}
}
