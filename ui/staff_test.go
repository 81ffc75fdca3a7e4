package ui_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

var staffCSRFRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// deskClient is a browser-like HTTP client (cookies, CSRF) for /staf.
type deskClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newDeskClient(t *testing.T, base string) *deskClient {
	jar, _ := cookiejar.New(nil)
	return &deskClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (d *deskClient) get(path string) (int, string) {
	d.t.Helper()
	res, err := d.c.Get(d.base + path)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := staffCSRFRe.FindSubmatch(b); m != nil {
		d.csrf = string(m[1])
	}
	return res.StatusCode, string(b)
}

func (d *deskClient) post(path string, form url.Values) (int, string, string) {
	d.t.Helper()
	res, err := d.c.PostForm(d.base+path, form)
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func (d *deskClient) login(email string) {
	d.t.Helper()
	d.get("/staf")
	st, loc, _ := d.post("/staf/masuk", url.Values{"csrf": {d.csrf}, "email": {email}, "password": {"rahasia-123456"}})
	if st != http.StatusSeeOther || loc != "/staf" {
		d.t.Fatalf("login %s: %d %s", email, st, loc)
	}
	d.get("/staf")
}

func TestStaffDeskHTTP(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "kes@simpul.test", model.RoleHandler, "KES")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Reporter: "Siti Aminah", Phone: "+6281234567890",
		Privacy: model.PrivacyConfidential})
	code := rec.GetString("tracking_code")

	anon := newDeskClient(t, srv.URL)
	if st, body := anon.get("/staf"); st != 200 || !strings.Contains(body, `id="login-form"`) {
		t.Fatalf("login page: %d", st)
	}
	if st, loc, _ := anon.post("/staf/laporan/"+code, url.Values{"csrf": {anon.csrf}, "action": {"move"}, "to": {"tertunda"}, "note": {"x"}}); st != http.StatusSeeOther || loc != "/staf" {
		t.Fatalf("action without a session: %d %s", st, loc)
	}
	if st, _, _ := anon.post("/staf/masuk", url.Values{"csrf": {anon.csrf}, "email": {"koordinator@simpul.test"}, "password": {"salah"}}); st != 401 {
		t.Fatalf("bad password: %d", st)
	}

	coord := newDeskClient(t, srv.URL)
	coord.login("koordinator@simpul.test")
	st, body := coord.get("/staf?queue=verify")
	if st != 200 || !strings.Contains(body, code) || strings.Contains(body, "Siti Aminah") || strings.Contains(body, "6281234567890") {
		t.Fatalf("queue: %d; a confidential reporter is on no list, not even a coordinator's", st)
	}
	st, body = coord.get("/staf/laporan/" + strings.ToLower(code))
	if st != 200 || strings.Contains(body, "6281234567890") || !strings.Contains(body, `id="reveal-form"`) || !strings.Contains(body, `id="move-terdisposisi"`) {
		t.Fatalf("detail for the coordinator: the identity is behind the reveal form: %d\n%s", st, body)
	}
	// Opening the identity needs a reason; it is shown and logged, and the
	// page then lists who looked.
	if st, _, _ := coord.post("/staf/laporan/"+code, url.Values{"csrf": {coord.csrf}, "action": {"reveal"}, "reason": {"x"}}); st != 400 {
		t.Fatalf("reveal without a real reason: %d", st)
	}
	st, _, body = coord.post("/staf/laporan/"+code, url.Values{"csrf": {coord.csrf}, "action": {"reveal"}, "reason": {"Verifikasi lewat telepon"}})
	if st != 200 || !strings.Contains(body, "6281234567890") || !strings.Contains(body, `id="access-log"`) || !strings.Contains(body, "Verifikasi lewat telepon") {
		t.Fatalf("reveal: %d\n%s", st, body)
	}
	if _, body = coord.get("/staf/laporan/" + code); strings.Contains(body, "6281234567890") || !strings.Contains(body, "Verifikasi lewat telepon") {
		t.Fatal("after the reveal the page hides the identity again and shows who looked")
	}
	// No CSRF token: refused, nothing changes.
	if st, _, _ := coord.post("/staf/laporan/"+code, url.Values{"action": {"move"}, "to": {"tertunda"}, "note": {"x"}}); st != 403 {
		t.Fatalf("without CSRF: %d", st)
	}
	// An illegal move shows the state machine's message and changes nothing.
	st, _, body = coord.post("/staf/laporan/"+code, url.Values{"csrf": {coord.csrf}, "action": {"move"}, "to": {"selesai"}})
	if st != 400 || !strings.Contains(body, `id="action-err"`) {
		t.Fatalf("illegal move: %d", st)
	}
	// A legal one redirects back with the new status.
	st, loc, _ := coord.post("/staf/laporan/"+code, url.Values{"csrf": {coord.csrf}, "action": {"move"}, "to": {"terdisposisi"}, "unit": {"UMUM"}})
	if st != http.StatusSeeOther || !strings.Contains(loc, code) {
		t.Fatalf("dispose: %d %s", st, loc)
	}
	if c, _ := app.FindRecordById(model.Complaints, rec.Id); c.GetString("status") != model.StatusTerdisposisi {
		t.Fatalf("status %s", c.GetString("status"))
	}
	st, body = coord.get("/staf/laporan/" + code + "/ringkasan")
	if st != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("summary PDF: %d", st)
	}

	// A handler of another unit sees neither the report nor its PDF.
	kes := newDeskClient(t, srv.URL)
	kes.login("kes@simpul.test")
	if st, body := kes.get("/staf?queue=all"); st != 200 || strings.Contains(body, code) {
		t.Fatalf("another unit's queue shows the report: %d", st)
	}
	if st, _ := kes.get("/staf/laporan/" + code); st != 403 {
		t.Fatalf("another unit's handler opens the report: %d", st)
	}
	if st, _ := kes.get("/staf/laporan/" + code + "/ringkasan"); st != 403 {
		t.Fatalf("another unit's handler prints the report: %d", st)
	}
	if st, _, _ := kes.post("/staf/laporan/"+code, url.Values{"csrf": {kes.csrf}, "action": {"followup"}, "note": {"x"}}); st != 403 {
		t.Fatalf("another unit's handler follows up: %d", st)
	}
}

// TestStaffDeskBrowserLifecycle drives one complaint through every LAPOR!
// step at the desk in headless Chromium: postpone, resume, dispose with an
// internal note, the unit's follow-up with a canned response, close, and a
// coordinator's reopen; then the timeline verifies.
func TestStaffDeskBrowserLifecycle(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "umum@simpul.test", model.RoleHandler, "UMUM")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Budi Santoso"})
	code := rec.GetString("tracking_code")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)

	login := func(email string) {
		b.Go("/staf")
		b.Fill("#email", email)
		b.Fill("#password", "rahasia-123456")
		b.Click("#login")
		b.WaitVisible("#logout")
	}
	// waitStatus waits for the page after a form post to show status s
	// (the old page may still be on screen right after the click).
	waitStatus := func(s string) { b.WaitVisible(`#action-ok ~ .card #status[data-status="` + s + `"]`) }
	// open unfolds an action that is not the page's next step.
	open := func(to string) {
		b.Eval(`(function(){var d=document.getElementById("action-`+to+`"); if (d.tagName === "DETAILS") d.open = true;})()`, nil)
	}

	login("koordinator@simpul.test")
	b.Click("#queue-verify")
	b.WaitVisible("#queue")
	b.Click(`a[href="/staf/laporan/` + code + `"]`)
	b.WaitVisible("#move-tertunda")

	open("tertunda")
	b.Fill("#note-tertunda", "Mohon lampirkan foto lokasi.")
	b.Click("#do-tertunda")
	waitStatus(model.StatusTertunda)
	open("baru")
	b.Fill("#note-baru", "Foto diterima di loket.")
	b.Click("#do-baru")
	waitStatus(model.StatusBaru)
	b.Select("#unit-terdisposisi", "UMUM")
	b.Fill("#note-terdisposisi", "Cek lokasi minggu ini.")
	b.Click("#do-terdisposisi")
	waitStatus(model.StatusTerdisposisi)
	b.Click("#logout")
	b.WaitVisible("#login-form")

	login("umum@simpul.test")
	b.Go("/staf/laporan/" + code)
	b.WaitVisible("#followup-form")
	// Choosing a canned text writes it into the box (staf.js), to adapt.
	b.Eval(`(function(){var s=document.getElementById("canned"); s.value="SURVEI"; s.dispatchEvent(new Event("change", {bubbles: true}));})()`, nil)
	if got := b.Value("#fu-note"); got == "" {
		t.Fatal("the canned text did not fill the follow-up box")
	}
	b.Fill("#fu-note", "Dijadwalkan Senin.")
	b.Click("#do-followup")
	waitStatus(model.StatusProses)
	b.Click("#do-selesai")
	waitStatus(model.StatusSelesai)
	b.Click("#logout")
	b.WaitVisible("#login-form")

	login("koordinator@simpul.test")
	b.Go("/staf/laporan/" + code)
	open("proses")
	b.Fill("#note-proses", "Pelapor menelepon: masih rusak.")
	b.Click("#do-proses")
	waitStatus(model.StatusProses)
	tl := b.Text("#timeline")
	for _, want := range []string{"Mohon lampirkan foto lokasi.", "Cek lokasi minggu ini.", "Dijadwalkan Senin.", "Pelapor menelepon"} {
		if !strings.Contains(tl, want) {
			t.Fatalf("timeline lacks %q:\n%s", want, tl)
		}
	}
	evs, err := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": rec.Id})
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, ev := range evs {
		if ev.GetString("kind") == model.EventTransition {
			moves = append(moves, ev.GetString("to_status"))
		}
	}
	if got := strings.Join(moves, ","); got != "tertunda,baru,terdisposisi,proses,selesai,proses" {
		t.Fatalf("moves: %s", got)
	}
	if _, err := events.Verify(app); err != nil {
		t.Fatal(err)
	}
}
