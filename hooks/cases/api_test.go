package cases_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// client does real HTTP against a served test app.
type client struct {
	t   *testing.T
	srv *httptest.Server
}

func (c client) do(method, path, token, contentType string, body io.Reader) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if out == nil {
		out = map[string]any{"_raw": string(raw)}
	}
	return res.StatusCode, out
}

func (c client) json(method, path, token, body string) (int, map[string]any) {
	c.t.Helper()
	return c.do(method, path, token, "application/json", strings.NewReader(body))
}

func raw(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestFollowupRoute(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	_, hTok := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	_, otherTok := testkit.Staff(t, app, "o@simpul.test", model.RoleHandler, "KES")
	_, fdTok := testkit.Staff(t, app, "f@simpul.test", model.RoleFrontdesk, "")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusTerdisposisi})
	code := rec.GetString("tracking_code")
	base := "/api/complaints/" + code + "/followups"

	if st, _ := c.json("POST", base, "", `{"note":"x"}`); st != 401 {
		t.Fatalf("no auth: %d", st)
	}
	if st, _ := c.json("POST", base, otherTok, `{"note":"x"}`); st != 403 {
		t.Fatalf("other unit's handler: %d", st)
	}
	if st, _ := c.json("POST", base, fdTok, `{"note":"x"}`); st != 403 {
		t.Fatalf("front desk: %d", st)
	}
	if st, out := c.json("POST", base, hTok, `{"note":"  "}`); st != 400 || !strings.Contains(raw(out), "note_required") {
		t.Fatalf("empty note: %d %v", st, out)
	}
	if st, out := c.json("POST", base, hTok, `{"canned":"NOPE"}`); st != 400 || !strings.Contains(raw(out), "unknown_canned") {
		t.Fatalf("unknown canned: %d %v", st, out)
	}

	// Multipart, a canned response plus a note and a PNG attachment.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("canned", "survei")
	mw.WriteField("note", "Jadwal: Senin pagi.")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	fw, _ := mw.CreateFormFile("attachments", "foto.png")
	fw.Write(png)
	mw.Close()
	st, out := c.do("POST", base, hTok, mw.FormDataContentType(), &body)
	if st != 200 || out["status"] != model.StatusProses || out["autoclose_at"] == "" {
		t.Fatalf("first follow-up: %d %v", st, out)
	}
	evs, _ := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": rec.Id})
	if len(evs) != 3 || evs[1].GetString("kind") != model.EventFollowUp || evs[2].GetString("to_status") != model.StatusProses {
		t.Fatalf("timeline after follow-up: %d events", len(evs))
	}
	fu := evs[1]
	if !strings.HasPrefix(fu.GetString("note"), "Petugas kami telah menjadwalkan") || !strings.HasSuffix(fu.GetString("note"), "Jadwal: Senin pagi.") {
		t.Fatalf("canned text not used: %q", fu.GetString("note"))
	}
	files, _ := app.FindRecordsByFilter(cases.CaseFiles, "complaint = {:c}", "", 0, 0, dbx.Params{"c": rec.Id})
	if len(files) != 1 || files[0].GetString("event_uid") != fu.GetString("uid") || len(files[0].GetString("sha256")) != 64 {
		t.Fatalf("attachment not stored beside its event: %d", len(files))
	}
	if !strings.Contains(fu.GetString("data"), files[0].GetString("sha256")) {
		t.Fatal("the event does not carry the attachment's hash")
	}

	// A hostile attachment (not an allowed type) is refused and nothing is written.
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("note", "lagi")
	fw, _ = mw.CreateFormFile("attachments", "x.html")
	fw.Write([]byte("<script>alert(1)</script>"))
	mw.Close()
	if st, out := c.do("POST", base, hTok, mw.FormDataContentType(), &body); st != 400 {
		t.Fatalf("html attachment: %d %v", st, out)
	}
	if n, _ := app.CountRecords(model.ComplaintEvents, dbx.HashExp{"complaint": rec.Id}); n != 3 {
		t.Fatalf("a refused follow-up left %d events", n)
	}

	// A second follow-up keeps proses and moves the auto-close clock.
	if st, out := c.json("POST", base, hTok, `{"note":"Perbaikan selesai hari ini."}`); st != 200 || out["status"] != model.StatusProses {
		t.Fatalf("second follow-up: %d %v", st, out)
	}
	if _, err := events.Verify(app); err != nil {
		t.Fatal(err)
	}
	// No follow-up on a closed report.
	closed := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusSelesai})
	if st, _ := c.json("POST", "/api/complaints/"+closed.GetString("tracking_code")+"/followups", hTok, `{"note":"x"}`); st != 400 {
		t.Fatalf("follow-up on selesai: %d", st)
	}
}

func TestReplyAndRatingRoutes(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses, Unit: "UMUM"})
	setField(t, app, rec, "pin_hash", pinHash("246810"))
	setField(t, app, rec, "autoclose_at", endOf(2026, 12, 1))
	code := rec.GetString("tracking_code")
	reply := "/api/track/" + strings.ToLower(strings.ReplaceAll(code, "-", "")) + "/reply"

	if st, out := c.json("POST", reply, "", `{"pin":"000000","message":"halo"}`); st != 403 || !strings.Contains(raw(out), "bad_pin") {
		t.Fatalf("wrong PIN: %d %v", st, out)
	}
	if st, _ := c.json("POST", reply, "", `{"pin":"246810","message":""}`); st != 400 {
		t.Fatalf("empty reply: %d", st)
	}
	if st, _ := c.json("POST", reply, "", `{"pin":"246810","message":"`+strings.Repeat("x", 2001)+`"}`); st != 400 {
		t.Fatalf("long reply: %d", st)
	}
	if st, out := c.json("POST", reply, "", `{"pin":"246810","message":"Masih bocor."}`); st != 200 || out["status"] != model.StatusProses {
		t.Fatalf("reply: %d %v", st, out)
	}
	rec, _ = app.FindRecordById(model.Complaints, rec.Id)
	if rec.GetString("autoclose_at") != "" || rec.GetString("last_reply_at") == "" {
		t.Fatal("a reply must stop the auto-close clock")
	}
	rate := "/api/track/" + code + "/rating"
	if st, out := c.json("POST", rate, "", `{"pin":"246810","rating":5}`); st != 400 || !strings.Contains(raw(out), "not_completed") {
		t.Fatalf("rating before selesai: %d %v", st, out)
	}
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	move(t, app, rec, cases.StaffActor(coord, "TEST"), cases.Request{To: model.StatusSelesai})
	for _, bad := range []string{`{"pin":"246810","rating":0}`, `{"pin":"246810","rating":6}`, `{"pin":"246810","rating":"5"}`, `{"pin":"246810"}`} {
		if st, _ := c.json("POST", rate, "", bad); st != 400 {
			t.Fatalf("bad rating %s: %d", bad, st)
		}
	}
	if st, out := c.json("POST", rate, "", `{"pin":"246810","rating":4,"comment":"Cepat"}`); st != 200 || out["rating"] != float64(4) {
		t.Fatalf("rating: %d %v", st, out)
	}
	if st, _ := c.json("POST", rate, "", `{"pin":"246810","rating":1}`); st != 409 {
		t.Fatalf("second rating: %d", st)
	}
	// A reply after closure reopens proses.
	if st, out := c.json("POST", reply, "", `{"pin":"246810","message":"Rusak lagi."}`); st != 200 || out["status"] != model.StatusProses {
		t.Fatalf("reopen by reply: %d %v", st, out)
	}
	// Five wrong PINs lock the code for a while, even for the right PIN.
	for i := 0; i < 5; i++ {
		c.json("POST", reply, "", `{"pin":"111111","message":"x"}`)
	}
	if st, _ := c.json("POST", reply, "", `{"pin":"246810","message":"x"}`); st != 429 {
		t.Fatalf("after five wrong PINs: %d", st)
	}
	if _, err := events.Verify(app); err != nil {
		t.Fatal(err)
	}
}

// Guessing PINs for made-up codes is answered like a wrong PIN and costs
// the PIN guard no memory: only real codes have a PIN to protect. The
// made-up codes spend the address's budget of unknown codes instead (30
// per 15 minutes, docs/security.md §6), shared with tracking and Open311.
func TestPINGuardIgnoresUnknownCodes(t *testing.T) {
	app := testkit.New(t)
	before := cases.PINGuardSize(app)
	for i := range 200 {
		want := cases.ErrBadPIN
		if i >= 30 {
			want = cases.ErrCodesLimited
		}
		if _, err := cases.Reply(app, cases.Proof{Code: trackcode.New(), PIN: "123456", Address: "203.0.113.9"}, "halo"); err != want {
			t.Fatalf("made-up code %d: %v, want %v", i+1, err, want)
		}
	}
	if after := cases.PINGuardSize(app); after != before {
		t.Fatalf("the guard grew from %d to %d codes on made-up codes", before, after)
	}
}

// One address may not spread its guesses over many codes: after 20 wrong
// PINs in 15 minutes, over any number of real codes (4 each here, under
// the per-code lock), every attempt from it is refused with 429, the
// right PIN included; another address is not affected.
func TestPINGuardLimitsAnAddressAcrossCodes(t *testing.T) {
	app := testkit.New(t)
	const guesser, reporter = "198.51.100.77", "198.51.100.78"
	var codes []string
	for range 6 {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses})
		setField(t, app, rec, "pin_hash", pinHash("424242"))
		codes = append(codes, rec.GetString("tracking_code"))
	}
	for _, code := range codes[:5] {
		for range 4 {
			if _, err := cases.Reply(app, cases.Proof{Code: code, PIN: "000000", Address: guesser}, "tebak"); err != cases.ErrBadPIN {
				t.Fatalf("guess on %s: %v", code, err)
			}
		}
	}
	if _, err := cases.Reply(app, cases.Proof{Code: codes[5], PIN: "424242", Address: guesser}, "halo"); err != cases.ErrPINLocked {
		t.Fatalf("the guessing address still gets through: %v", err)
	}
	// Same /64 for IPv6 is covered by websec.AddressKey; another IPv4
	// address, with the right PIN, is served.
	if _, err := cases.Reply(app, cases.Proof{Code: codes[5], PIN: "424242", Address: reporter}, "halo"); err != nil {
		t.Fatalf("another address is locked out too: %v", err)
	}
}

// Thirty wrong PINs sent at the same instant for one code get at most 5
// checked (docs/security.md §6): each reserves its slot before the PIN is
// compared. The right PIN after them is refused too (the code is locked).
func TestPINGuessesAtOnce(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses})
	setField(t, app, rec, "pin_hash", pinHash("246810"))
	url := srv.URL + "/api/track/" + rec.GetString("tracking_code") + "/reply"
	// A comparison that takes as long as a password hash: the window in
	// which checking first and counting after lets every guess through.
	orig := cases.PINMatches
	cases.PINMatches = func(hash, pin string) bool { time.Sleep(20 * time.Millisecond); return orig(hash, pin) }
	t.Cleanup(func() { cases.PINMatches = orig })
	const burst = 30
	codes := testkit.AtOnce(t, burst, func(int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"pin":"000000","message":"tebak"}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	})
	checked := testkit.Tally(t, codes, http.StatusForbidden)
	if checked != 5 {
		t.Fatalf("%d of %d simultaneous PIN guesses were checked, want 5: %v", checked, burst, codes)
	}
	c := client{t, srv}
	if st, _ := c.json("POST", "/api/track/"+rec.GetString("tracking_code")+"/reply", "", `{"pin":"246810","message":"halo"}`); st != 429 {
		t.Fatalf("the right PIN after the burst: %d, want 429", st)
	}
}

// A reply is refused on an archived report and on one handed up
// (bukan_wewenang: this office no longer handles it), and leaves no event.
func TestReplyOnArchivedRefused(t *testing.T) {
	app := testkit.New(t)
	for _, status := range []string{model.StatusDiarsipkan, model.StatusBukanWewenang} {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: status})
		setField(t, app, rec, "pin_hash", pinHash("13579"))
		before, _ := app.CountRecords(model.ComplaintEvents)
		if _, err := cases.Reply(app, cases.Proof{Code: rec.GetString("tracking_code"), PIN: "13579"}, "halo"); err != cases.ErrClosed {
			t.Errorf("%s: got %v, want ErrClosed", status, err)
		}
		if after, _ := app.CountRecords(model.ComplaintEvents); after != before {
			t.Errorf("%s: a refused reply wrote %d events", status, after-before)
		}
	}
}

// smsSink is a fake SMS gateway (the process edge).
type smsSink struct {
	mu   gosync.Mutex
	got  []map[string]string
	auth []string
}

func (s *smsSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	json.NewDecoder(r.Body).Decode(&m)
	s.mu.Lock()
	s.got = append(s.got, m)
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func TestReporterNotices(t *testing.T) {
	sink := &smsSink{}
	gw := httptest.NewServer(sink)
	defer gw.Close()
	t.Setenv("SIMPUL_SMS_WEBHOOK_URL", gw.URL)
	t.Setenv("SIMPUL_SMS_WEBHOOK_TOKEN", "rahasia")
	app := testkit.New(t)
	app.Settings().SMTP.Enabled = true
	c := client{t, testkit.Serve(t, app)}
	_, tok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")

	public := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti Aminah", Phone: "+6281234567890"})
	setField(t, app, public, "reporter_email", "siti@contoh.id")
	anon := testkit.Complaint(t, app, testkit.ComplaintSpec{Privacy: model.PrivacyAnonymous, Phone: "+6280000000000"})

	for _, rec := range []*core.Record{public, anon} {
		st, out := c.json("POST", "/api/complaints/"+rec.GetString("tracking_code")+"/transitions", tok,
			`{"to":"tertunda","note":"Mohon kirim foto lokasi."}`)
		if st != 200 {
			t.Fatalf("postpone: %d %v", st, out)
		}
	}
	cases.WaitNotices(app)
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("sent %d e-mails, want 1 (none to the anonymous reporter)", n)
	}
	msg := app.TestMailer.LastMessage()
	if msg.To[0].Address != "siti@contoh.id" || !strings.Contains(msg.Text, public.GetString("tracking_code")) ||
		!strings.Contains(msg.Text, "Mohon kirim foto lokasi.") {
		t.Fatalf("e-mail: %v %q", msg.To, msg.Text)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.got) != 1 || sink.got[0]["to"] != "+6281234567890" || sink.auth[0] != "Bearer rahasia" ||
		!strings.Contains(sink.got[0]["message"], "Tertunda") {
		t.Fatalf("SMS: %v %v", sink.got, sink.auth)
	}
}

func TestOverdueDigest(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	testkit.Staff(t, app, "handler@simpul.test", model.RoleHandler, "UMUM")
	late := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Budi Santoso", Phone: "+6281111111111"})
	setField(t, app, late, "due_at", endOf(2026, 3, 2))
	fine := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	setField(t, app, fine, "due_at", endOf(2026, 3, 20))

	// Without SMTP nothing is sent.
	if n, err := cases.SendOverdueDigest(app, at(2026, 3, 10, 7, 0)); err != nil || n != 0 {
		t.Fatalf("without SMTP: %d %v", n, err)
	}
	app.Settings().SMTP.Enabled = true
	n, err := cases.SendOverdueDigest(app, at(2026, 3, 10, 7, 0))
	if err != nil || n != 2 || app.TestMailer.TotalSend() != 2 {
		t.Fatalf("digest: %d sent (%v), mailer %d", n, err, app.TestMailer.TotalSend())
	}
	text := app.TestMailer.LastMessage().Text
	if !strings.Contains(text, late.GetString("tracking_code")) || strings.Contains(text, fine.GetString("tracking_code")) {
		t.Fatalf("digest lists the wrong complaints: %q", text)
	}
	if strings.Contains(text, "Budi") || strings.Contains(text, "6281111111111") || strings.Contains(text, "Jalan rusak") {
		t.Fatalf("digest carries reporter data or complaint text: %q", text)
	}
	for _, m := range app.TestMailer.Messages() {
		if m.To[0].Address == "handler@simpul.test" {
			t.Fatal("handlers do not get the digest")
		}
	}
}

// The jobs run while the app serves: auto-close, and the overdue digest at
// 07:00 office time; they stop when it terminates.
func TestJobsStartAndStop(t *testing.T) {
	app := testkit.NewUnmanaged(t, testkit.Config())
	if n := len(cases.Jobs(app)); n != 0 {
		t.Fatalf("%d jobs before serving", n)
	}
	testkit.Serve(t, app) // triggers OnServe: the scheduler starts
	jobs := cases.Jobs(app)
	wib, _ := time.LoadLocation("Asia/Jakarta") // the seeded office's zone
	if jobs["cases.autoclose"].IsZero() || jobs["cases.digest"].In(wib).Hour() != 7 ||
		jobs["cases.digest"].In(wib).Minute() != 0 {
		t.Fatalf("jobs after serving: %v", jobs)
	}
	app.Cleanup() // OnTerminate: it stops; a second terminate must not panic
	if n := len(cases.Jobs(app)); n != 0 {
		t.Fatalf("%d jobs still running after terminate", n)
	}
	app2 := testkit.NewUnmanaged(t, testkit.Config())
	app2.Cleanup() // never served: the nil guard
}

// TestEditRoute: verification edits are for verifiers and are logged.
func TestEditRoute(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	_, coordTok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	_, hTok := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Reporter: "Wayan Sudarta", Phone: "+6285555555555"})
	path := "/api/complaints/" + rec.GetString("tracking_code") + "/edit"
	if st, _ := c.json("POST", path, hTok, `{"title":"Ringkasan baru"}`); st != 403 {
		t.Fatalf("handler edit: %d", st)
	}
	if st, _ := c.json("POST", path, coordTok, `{}`); st != 400 {
		t.Fatalf("empty edit: %d", st)
	}
	if st, _ := c.json("POST", path, coordTok, `{"category":"NOPE"}`); st != 400 {
		t.Fatalf("unknown category: %d", st)
	}
	if st, _ := c.json("POST", path, coordTok, `{"privacy":"secret"}`); st != 400 {
		t.Fatalf("unknown privacy: %d", st)
	}
	st, out := c.json("POST", path, coordTok, `{"title":"Jalan berlubang depan Puskesmas Sukamaju","category":"INF-JALAN","type":"aspirasi","privacy":"anonymous"}`)
	if st != 200 || out["privacy"] != "anonymous" || out["type"] != "aspirasi" {
		t.Fatalf("edit: %d %v", st, out)
	}
	rec, _ = app.FindRecordById(model.Complaints, rec.Id)
	if rec.GetString("reporter_name") != "" || rec.GetString("reporter_phone") != "" {
		t.Fatal("making a report anonymous must erase the identity")
	}
	ev, err := app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && kind = 'edit'", dbx.Params{"c": rec.Id})
	if err != nil || ev.GetBool("public") || !strings.Contains(ev.GetString("data"), "INF-JALAN") {
		t.Fatalf("edit event: %v", err)
	}
	if strings.Contains(ev.GetString("data"), "Wayan") || strings.Contains(ev.GetString("data"), "555555") {
		t.Fatal("the edit event must not keep the erased identity")
	}

	// A verifier writes the public version (issue 12 item 3): the
	// reporter's own words stay for staff.
	if st, _ := c.json("POST", path, coordTok, `{"public_title":"abc"}`); st != 400 {
		t.Fatalf("a too short public title: %d", st)
	}
	st, out = c.json("POST", path, coordTok, `{"public_title":"Jalan berlubang di depan Puskesmas","public_body":"Jalan berlubang besar di depan Puskesmas Sukamaju."}`)
	if st != 200 || out["public_title"] != "Jalan berlubang di depan Puskesmas" {
		t.Fatalf("public version: %d %v", st, out)
	}
	rec, _ = app.FindRecordById(model.Complaints, rec.Id)
	if rec.GetString("title") != "Jalan berlubang depan Puskesmas Sukamaju" ||
		rec.GetString("public_body") != "Jalan berlubang besar di depan Puskesmas Sukamaju." {
		t.Fatalf("after the public version: title %q public_body %q", rec.GetString("title"), rec.GetString("public_body"))
	}
	if st, d := c.json("GET", "/api/staff/complaints/"+rec.GetString("tracking_code"), coordTok, ""); st != 200 ||
		d["public_title"] != "Jalan berlubang di depan Puskesmas" {
		t.Fatalf("staff detail: %d %v", st, d["public_title"])
	}
}

// The JSON transitions route sends the reporter only what is public (review
// item 3): a disposition's note is an instruction to the unit and reaches
// neither the e-mail nor the SMS, nor the public timeline; the move itself
// is still told. Before, the route mailed the note as typed.
func TestDispositionNoteNeverReachesTheReporter(t *testing.T) {
	sink := &smsSink{}
	gw := httptest.NewServer(sink)
	defer gw.Close()
	t.Setenv("SIMPUL_SMS_WEBHOOK_URL", gw.URL)
	const internal = "Tolong cek ulang, pelapor ini sering mengadu."
	var code string
	var token string
	s := &tests.ApiScenario{
		Name:   "dispose with an internal note",
		Method: http.MethodPost,
		Body:   strings.NewReader(`{"to":"terdisposisi","unit":"UMUM","note":"` + internal + `"}`),
		TestAppFactory: func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			app.Settings().SMTP.Enabled = true
			_, token = testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
			rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti Aminah", Phone: "+6281234567890"})
			setField(t, app, rec, "reporter_email", "siti@contoh.id")
			code = rec.GetString("tracking_code")
			return app
		},
		ExpectedStatus:     200,
		ExpectedContent:    []string{`"status":"terdisposisi"`},
		NotExpectedContent: []string{internal},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			cases.WaitNotices(app)
			if app.TestMailer.TotalSend() != 1 {
				t.Fatalf("%d e-mails, want the one telling the move", app.TestMailer.TotalSend())
			}
			if msg := app.TestMailer.LastMessage(); strings.Contains(msg.Text, internal) || !strings.Contains(msg.Text, "Terdisposisi") {
				t.Fatalf("e-mail to the reporter: %q", msg.Text)
			}
			sink.mu.Lock()
			defer sink.mu.Unlock()
			if len(sink.got) != 1 || strings.Contains(sink.got[0]["message"], internal) {
				t.Fatalf("SMS to the reporter: %v", sink.got)
			}
			if pv, err := intake.Track(app, code, "203.0.113.5"); err != nil || strings.Contains(fmt.Sprint(pv.Timeline), internal) {
				t.Fatalf("public timeline: %+v %v", pv, err)
			}
		},
	}
	s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		s.URL = "/api/complaints/" + code + "/transitions"
		s.Headers = map[string]string{"Authorization": token, "Content-Type": "application/json"}
	}
	s.Test(t)
}

// The reporter's notice of bukan_wewenang says "handed up" only where
// there is a parent to hand it to (SIMPUL_UPSTREAM_URL or SIMPUL_LAPOR_URL);
// an office with none says it is not passed on and points to the staff's
// note, as its tracking page does (ui TestNotOurAuthorityWithoutAParent).
func TestNotOurAuthorityNoticeWithoutAParent(t *testing.T) {
	for _, linked := range []bool{false, true} {
		cfg := testkit.Config()
		if linked {
			cfg.LaporURL = "https://lapor.example/api"
		}
		app := testkit.NewUnmanaged(t, cfg)
		app.Settings().SMTP.Enabled = true
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti Aminah", Phone: "+6281234567890"})
		setField(t, app, rec, "reporter_email", "siti@contoh.id")
		testkit.Move(t, app, rec.GetString("tracking_code"), model.StatusBukanWewenang, "")
		rec, _ = app.FindRecordById(model.Complaints, rec.Id)
		cases.NotifyStep(app, rec)
		cases.WaitNotices(app)
		if app.TestMailer.TotalSend() != 1 {
			t.Fatalf("linked=%v: %d notices, want 1", linked, app.TestMailer.TotalSend())
		}
		mail := app.TestMailer.LastMessage().Text
		if strings.Contains(mail, "tidak diteruskan otomatis") == linked || strings.Contains(mail, "diteruskan ke instansi atas") != linked {
			t.Errorf("linked=%v: notice %q", linked, mail)
		}
		app.Cleanup()
	}
}
