package lapor_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The sync page names SP4N-LAPOR! as the parent and, when LAPOR! refuses
// the token, says to check SIMPUL_LAPOR_TOKEN (not a Simpul hub's node
// credentials).
func TestSyncPageSaysWhatToCheck(t *testing.T) {
	f := newFakeLapor(t)
	app, _ := newNode(t, f)
	setMapping(t, app, `{"default_topic": "99"}`)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	addComplaint(t, app, spec{})
	// Serving starts the scheduler, which runs a pass at once: it meets
	// the refusal too.
	f.set("401")
	srv := testkit.Serve(t, app)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := ""
	do := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		var res *http.Response
		var err error
		if method == http.MethodPost {
			res, err = c.PostForm(srv.URL+path, form)
		} else {
			res, err = c.Get(srv.URL + path)
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
	if st, _ := do(http.MethodPost, "/staf/masuk", url.Values{"csrf": {csrf}, "email": {"admin@simpul.test"}, "password": {"rahasia-123456"}}); st != http.StatusSeeOther {
		t.Fatalf("login: %d", st)
	}
	do(http.MethodGet, "/staf/sinkron", nil)

	st, body := do(http.MethodPost, "/staf/sinkron", url.Values{"csrf": {csrf}})
	if st != http.StatusOK || !strings.Contains(body, `<dd id="parent">SP4N-LAPOR!</dd>`) ||
		!strings.Contains(body, "Periksa SIMPUL_LAPOR_TOKEN") || strings.Contains(body, "SIMPUL_NODE_SECRET") ||
		!strings.Contains(body, `<dd id="pending">1</dd>`) {
		t.Fatalf("sync page after a 401: %d\n%s", st, body)
	}
	f.set("ok")
	st, body = do(http.MethodPost, "/staf/sinkron", url.Values{"csrf": {csrf}})
	if st != http.StatusOK || !strings.Contains(body, "Sinkronisasi selesai") || !strings.Contains(body, `<dd id="pending">0</dd>`) {
		t.Fatalf("sync page after a good run: %d\n%s", st, body)
	}
	if n := len(f.reports()); n != 1 {
		t.Errorf("%d reports at LAPOR!", n)
	}
}
