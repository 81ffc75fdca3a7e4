package lapor_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"simpul/hooks/domain/model"
	"simpul/sync/lapor"
	"simpul/ui/testkit"
)

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// staffPages signs email in on the staff pages of srv and returns a
// function that makes a request there (the CSRF field filled from the
// last page) and answers status and body.
func staffPages(t *testing.T, srvURL, email string) func(method, path string, form url.Values) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := ""
	do := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		var res *http.Response
		var err error
		if method == http.MethodPost {
			if form == nil {
				form = url.Values{}
			}
			form.Set("csrf", csrf)
			res, err = c.PostForm(srvURL+path, form)
		} else {
			res, err = c.Get(srvURL + path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if m := csrfRe.FindSubmatch(b); m != nil {
			csrf = string(m[1])
		}
		return res.StatusCode, string(b)
	}
	do(http.MethodGet, "/staf", nil)
	if st, _ := do(http.MethodPost, "/staf/masuk", url.Values{"email": {email}, "password": {"rahasia-123456"}}); st != http.StatusSeeOther {
		t.Fatalf("login: %d", st)
	}
	do(http.MethodGet, "/staf/sinkron", nil)
	return do
}

// The sync page names SP4N-LAPOR! as the parent and, when LAPOR! refuses
// the token, says to check SIMPUL_LAPOR_TOKEN (not a Simpul hub's node
// credentials); after a good run, it shows nothing waiting.
func TestSyncPageSaysWhatToCheck(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, `{"default_topic": "99"}`)
	testkit.Staff(t, n.app, "admin@simpul.test", model.RoleAdmin, "")
	n.dispose(n.add(spec{}))
	// Serving starts the scheduler, which runs a pass at once: it meets
	// the refusal too.
	f.set("create", "401", 0)
	srv := testkit.Serve(t, n.app)
	do := staffPages(t, srv.URL, "admin@simpul.test")

	st, body := do(http.MethodPost, "/staf/sinkron", nil)
	if st != http.StatusOK || !strings.Contains(body, `<dd id="parent">SP4N-LAPOR!</dd>`) ||
		!strings.Contains(body, "Periksa SIMPUL_LAPOR_TOKEN") || strings.Contains(body, "SIMPUL_NODE_SECRET") ||
		!strings.Contains(body, `<dd id="lapor-due">1</dd>`) {
		t.Fatalf("sync page after a 401: %d\n%s", st, body)
	}
	f.set("create", "", 0)
	st, body = do(http.MethodPost, "/staf/sinkron", nil)
	if st != http.StatusOK || !strings.Contains(body, "Sinkronisasi selesai") || !strings.Contains(body, `<dd id="lapor-due">0</dd>`) ||
		!strings.Contains(body, `<dd id="lapor-held-count">0</dd>`) {
		t.Fatalf("sync page after a good run: %d\n%s", st, body)
	}
	if n := len(f.reports()); n != 1 {
		t.Errorf("%d reports at LAPOR!", n)
	}
}

// A refused report and one LAPOR! did not confirm (no look-up call) are
// listed for staff with why; a coordinator resends the first after the
// fix and links the second to the number found on LAPOR!; each goes once.
// A front-desk clerk may do neither.
func TestSyncPageResendsAndLinksHeldReports(t *testing.T) {
	f := newFakeLapor(t)
	mapping := strings.Replace(fullMapping, `"lookup": {"path": "/api/v1/laporan/cari", "method": "GET", "fields": {"reference": "external_id"}},`, "", 1)
	n := newNode(t, f, mapping)
	testkit.Staff(t, n.app, "koordinator2@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, n.app, "loket@simpul.test", model.RoleFrontdesk, "")
	refused := n.add(spec{})
	lost := n.add(spec{})
	// LAPOR! stores one report but its answer is lost; with no look-up
	// call, the retry holds it for staff.
	n.dispose(lost)
	f.set("create", "lost", 1)
	if _, err := n.pass(); err == nil {
		t.Fatal("a lost answer passed")
	}
	n.clock.add(time.Hour)
	n.mustPass()
	// LAPOR! refuses the other one.
	n.dispose(refused)
	f.refuse(refused, true)
	n.mustPass()
	if a, b := n.row(refused).GetString("held_reason"), n.row(lost).GetString("held_reason"); a != lapor.HeldRefused || b != lapor.HeldUnconfirmed {
		t.Fatalf("held: %q, %q", a, b)
	}
	srv := testkit.Serve(t, n.app)
	do := staffPages(t, srv.URL, "koordinator2@simpul.test")
	_, body := do(http.MethodGet, "/staf/sinkron", nil)
	if !strings.Contains(body, `id="held-`+refused+`"`) || !strings.Contains(body, "Topik tidak dikenal") ||
		!strings.Contains(body, `id="held-`+lost+`"`) || !strings.Contains(body, `id="link-`+lost+`"`) ||
		strings.Contains(body, `id="link-`+refused+`"`) || !strings.Contains(body, `<dd id="lapor-held-count">2</dd>`) {
		t.Fatalf("sync page with held reports:\n%s", body)
	}

	// A clerk may not release anything.
	clerk := staffPages(t, srv.URL, "loket@simpul.test")
	if st, _ := clerk(http.MethodPost, "/staf/sinkron", url.Values{"action": {"resend"}, "code": {refused}}); st != http.StatusForbidden {
		t.Fatalf("a clerk's resend: %d", st)
	}
	if n.row(refused).GetString("state") != lapor.StateHeld {
		t.Fatal("a clerk released a report")
	}

	f.refuse(refused, false)
	st, body := do(http.MethodPost, "/staf/sinkron", url.Values{"action": {"resend"}, "code": {refused}})
	if st != http.StatusOK || !strings.Contains(body, `id="held-result"`) || strings.Contains(body, `id="held-`+refused+`"`) {
		t.Fatalf("resend: %d\n%s", st, body)
	}
	st, _ = do(http.MethodPost, "/staf/sinkron", url.Values{"action": {"link"}, "code": {lost}, "lapor_id": {"bukan nomor"}})
	if st != http.StatusBadRequest {
		t.Fatalf("link with a bad number: %d", st)
	}
	st, _ = do(http.MethodPost, "/staf/sinkron", url.Values{"action": {"link"}, "code": {lost}, "lapor_id": {f.idOf(lost)}})
	if st != http.StatusOK {
		t.Fatalf("link: %d", st)
	}
	st, _ = do(http.MethodPost, "/staf/sinkron", url.Values{"action": {"resend"}, "code": {lost}})
	if st != http.StatusNotFound {
		t.Fatalf("resending a report no longer held: %d", st)
	}
	n.mustPass()
	if got := f.byRef(); got[refused] != 1 || got[lost] != 1 || n.laporID(lost) != f.idOf(lost) {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
}
