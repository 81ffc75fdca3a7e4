package intake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/intake"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// report is a valid submission; tests change one thing at a time.
func report(over map[string]any) string {
	r := map[string]any{
		"type": "pengaduan", "title": "Lampu jalan mati di depan pasar",
		"body":     "Sudah seminggu lampu jalan mati, jalan gelap dan rawan kecelakaan.",
		"category": "INF-PJU", "privacy": "public",
		"reporter_name": "Siti Aminah", "reporter_phone": "+62 812-3456-7890", "reporter_email": "siti@contoh.id",
	}
	for k, v := range over {
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
	}
	b, _ := json.Marshal(r)
	return string(b)
}

var jsonHeaders = map[string]string{"Content-Type": "application/json"}

// onlyComplaint returns the one complaint in the database.
func onlyComplaint(t testing.TB, app core.App) *core.Record {
	t.Helper()
	recs, err := app.FindAllRecords(model.Complaints)
	if err != nil || len(recs) != 1 {
		t.Fatalf("want exactly one complaint, have %d (%v)", len(recs), err)
	}
	return recs[0]
}

// nothingWritten fails unless the refused submission left no trace.
func nothingWritten(t testing.TB, app *tests.TestApp, _ *http.Response) {
	t.Helper()
	for _, c := range []string{model.Complaints, model.ComplaintEvents, model.SyncOutbox} {
		if n, _ := app.CountRecords(c); n != 0 {
			t.Fatalf("a refused submission wrote %d rows to %s", n, c)
		}
	}
}

func TestSubmitJSON(t *testing.T) {
	// No public base URL is configured in test apps: links use the
	// request's origin (httptest requests go to example.com).
	created := []string{`"tracking_code":"`, `"status":"baru"`, `"due_at":"`, `"track_url":"http://example.com/lacak/`,
		`"receipt_url":"http://example.com/api/receipts/`, `"pin":"`}
	scenarios := []tests.ApiScenario{
		{
			Name: "a public report is stored with its created event and outbox row", Method: "POST", URL: "/api/complaints",
			Body: strings.NewReader(report(nil)), Headers: jsonHeaders,
			ExpectedStatus: 201, ExpectedContent: created,
			NotExpectedContent: []string{"Siti", "0812"},
			// Intake writes its rows through prepared statements, not
			// PocketBase's Save: no record hooks run (submit.go says why),
			// only the created event once it committed (commit.go's
			// announce, for PocketBase's realtime).
			ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				for field, want := range map[string]string{"status": "baru", "channel": "web", "privacy": "public",
					"reporter_name": "Siti Aminah", "reporter_phone": "081234567890", "reporter_email": "siti@contoh.id",
					"authority": "local", "unit": ""} {
					if got := c.GetString(field); got != want {
						t.Errorf("%s = %q, want %q", field, got, want)
					}
				}
				// The completion limit counts from verification (policy row
				// completion_from): none runs at intake.
				if c.GetDateTime("due_at").IsZero() || c.GetDateTime("due_at").Time() != c.GetDateTime("verify_due_at").Time() ||
					!c.GetDateTime("completion_due_at").IsZero() {
					t.Error("deadlines: want verification only")
				}
				// The token in receipt_url is the stored one.
				var answer struct {
					ReceiptURL string `json:"receipt_url"`
				}
				if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
					t.Fatal(err)
				}
				u, err := url.Parse(answer.ReceiptURL)
				if err != nil || !intake.TokenMatches(c.GetString("receipt_token"), u.Query().Get("token")) ||
					!strings.HasPrefix(c.GetString("pin_hash"), "sha256:") {
					t.Errorf("receipt_url %q does not carry the stored receipt token, or no PIN hash", answer.ReceiptURL)
				}
				ev, err := app.FindFirstRecordByData(model.ComplaintEvents, "complaint", c.Id)
				if err != nil || ev.GetString("kind") != model.EventCreated || ev.GetInt("seq") != 1 || !ev.GetBool("public") ||
					ev.GetString("to_status") != model.StatusBaru || ev.GetString("actor_name") != "" {
					t.Fatalf("created event: %v %v", ev, err)
				}
				ob, err := app.FindFirstRecordByData(model.SyncOutbox, "uid", ev.GetString("uid"))
				if err != nil || ob.GetString("status") != model.OutboxPending || ob.GetString("complaint") != c.Id {
					t.Fatalf("the created event is not queued for sync: %v", err)
				}
				// The rows intake writes without Save are rows Save would accept.
				for _, r := range []*core.Record{c, ev, ob} {
					if err := app.Validate(r); err != nil {
						t.Errorf("%s row fails the collection's own validation: %v", r.Collection().Name, err)
					}
				}
			},
		},
		{
			Name: "an anonymous report keeps no identity even when one was typed", Method: "POST", URL: "/api/complaints",
			Body: strings.NewReader(report(map[string]any{"privacy": "anonymous", "reporter_gender": "perempuan"})), Headers: jsonHeaders,
			ExpectedStatus: 201, ExpectedContent: created, ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				for _, f := range []string{"reporter_name", "reporter_phone", "reporter_email", "reporter_nik"} {
					if c.GetString(f) != "" {
						t.Errorf("anonymous report stored %s", f)
					}
				}
				if c.GetString("reporter_gender") != "perempuan" {
					t.Error("voluntary statistics were dropped")
				}
			},
		},
		{
			Name: "an anonymous report needs no identity", Method: "POST", URL: "/api/complaints",
			Body:    strings.NewReader(report(map[string]any{"privacy": "anonymous", "reporter_name": nil, "reporter_phone": nil, "reporter_email": nil})),
			Headers: jsonHeaders, ExpectedStatus: 201, ExpectedContent: created, ExpectedEvents: created1,
		},
		{
			Name: "unknown fields, a client-sent status and tracking code are ignored", Method: "POST", URL: "/api/complaints",
			Body:    strings.NewReader(report(map[string]any{"status": "selesai", "tracking_code": "AAAA-AAAA-AAA", "channel": "counter", "created_by": "x"})),
			Headers: jsonHeaders, ExpectedStatus: 201, ExpectedContent: created, NotExpectedContent: []string{"AAAA-AAAA-AAA"},
			ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				if c.GetString("status") != "baru" || c.GetString("channel") != "web" || c.GetString("created_by") != "" {
					t.Fatalf("client controlled %q %q %q", c.GetString("status"), c.GetString("channel"), c.GetString("created_by"))
				}
			},
		},
		{
			Name: "a public NIK and identity_checked are ignored (counter only)", Method: "POST", URL: "/api/complaints",
			Body:    strings.NewReader(report(map[string]any{"reporter_nik": "3201234567890001", "identity_checked": true})),
			Headers: jsonHeaders, ExpectedStatus: 201, ExpectedContent: created, ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if c := onlyComplaint(t, app); c.GetString("reporter_nik") != "" || c.GetBool("identity_checked") {
					t.Fatal("a guest set the NIK or identity_checked")
				}
			},
		},
		{
			Name: "a posted QR slug links the point, takes its unit and counts the scan", Method: "POST", URL: "/api/complaints",
			Body: strings.NewReader(report(map[string]any{"qr": "pintu-depan"})), Headers: jsonHeaders,
			ExpectedStatus: 201, ExpectedContent: created, ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				qr, _ := app.FindFirstRecordByData(model.QRPoints, "slug", "pintu-depan")
				umum, _ := app.FindFirstRecordByData(model.Units, "code", "UMUM")
				if c.GetString("channel") != "qr" || c.GetString("qr_point") != qr.Id || c.GetString("unit") != umum.Id || qr.GetInt("scans") != 1 {
					t.Fatalf("channel %q qr %q unit %q scans %d", c.GetString("channel"), c.GetString("qr_point"), c.GetString("unit"), qr.GetInt("scans"))
				}
			},
		},
		{
			Name: "hostile text is stored as text, never as markup", Method: "POST", URL: "/api/complaints",
			Body: strings.NewReader(report(map[string]any{
				"title":    `<script>alert(1)</script> jalan "rusak"`,
				"body":     `'; DROP TABLE complaints; -- <img src=x onerror=alert(1)> ` + "\u202Eevil\u0000",
				"location": `<iframe src="javascript:alert(1)">`, "reporter_name": `Robert'); DROP TABLE staff;--`,
			})),
			Headers: jsonHeaders, ExpectedStatus: 201, ExpectedContent: created, ExpectedEvents: created1,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				if c.GetString("title") != `<script>alert(1)</script> jalan "rusak"` {
					t.Errorf("title changed: %q", c.GetString("title"))
				}
				if strings.ContainsAny(c.GetString("body"), "\u202E\u0000") {
					t.Error("bidi override or NUL kept in the body")
				}
				if n, _ := app.CountRecords(model.Staff); n != 0 {
					t.Error("unexpected staff rows")
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testkit.Factory(nil)
		s.Test(t)
	}
}

func TestSubmitRefused(t *testing.T) {
	long := strings.Repeat("a", 201)
	for _, tc := range []struct {
		name, body  string
		status      int
		field, code string
	}{
		{"missing type", report(map[string]any{"type": nil}), 400, "type", "required"},
		{"unknown type", report(map[string]any{"type": "keluhan"}), 400, "type", "invalid_choice"},
		{"missing title", report(map[string]any{"title": "   "}), 400, "title", "required"},
		{"short title", report(map[string]any{"title": "abc"}), 400, "title", "too_short"},
		{"long title", report(map[string]any{"title": long}), 400, "title", "too_long"},
		{"title not a string", report(map[string]any{"title": 42}), 400, "title", "invalid_type"},
		{"missing body", report(map[string]any{"body": nil}), 400, "body", "required"},
		{"long body", report(map[string]any{"body": strings.Repeat("é", 10001)}), 400, "body", "too_long"},
		{"missing category", report(map[string]any{"category": nil}), 400, "category", "required"},
		{"unknown category", report(map[string]any{"category": "TIDAK-ADA"}), 400, "category", "unknown"},
		{"category injection", report(map[string]any{"category": "LAIN' OR '1'='1"}), 400, "category", "unknown"},
		{"unknown unit", report(map[string]any{"unit": "NOPE"}), 400, "unit", "unknown"},
		{"bad date", report(map[string]any{"incident_date": "17/08/2026"}), 400, "incident_date", "invalid_date"},
		{"future date", report(map[string]any{"incident_date": "2999-01-01"}), 400, "incident_date", "future_date"},
		{"half a point", report(map[string]any{"lat": -6.2}), 400, "lat", "incomplete_point"},
		{"point off the globe", report(map[string]any{"lat": 91, "lon": 106.8}), 400, "lat", "invalid_point"},
		{"unknown privacy", report(map[string]any{"privacy": "secret"}), 400, "privacy", "invalid_choice"},
		{"public report without a name", report(map[string]any{"reporter_name": nil}), 400, "reporter_name", "required"},
		{"bad phone", report(map[string]any{"reporter_phone": "call me maybe"}), 400, "reporter_phone", "invalid_phone"},
		{"bad e-mail", report(map[string]any{"reporter_email": "siti@"}), 400, "reporter_email", "invalid_email"},
		{"e-mail with a display name", report(map[string]any{"reporter_email": "Siti <siti@contoh.id>"}), 400, "reporter_email", "invalid_email"},
		{"unknown QR point", report(map[string]any{"qr": "tidak-ada"}), 400, "qr", "unknown"},
		{"bad client_ref", report(map[string]any{"client_ref": "spasi tidak boleh"}), 400, "client_ref", "invalid"},
		{"honeypot filled", report(map[string]any{"website": "http://spam.example"}), 400, "website", "rejected"},
	} {
		(&tests.ApiScenario{
			Name: tc.name, Method: "POST", URL: "/api/complaints", Body: strings.NewReader(tc.body), Headers: jsonHeaders,
			ExpectedStatus:  tc.status,
			ExpectedContent: []string{`"` + tc.field + `":{"code":"` + tc.code + `"`},
			ExpectedEvents:  map[string]int{"*": 0},
			TestAppFactory:  testkit.Factory(nil),
			AfterTestFunc:   nothingWritten,
		}).Test(t)
	}
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		content                 string
	}{
		{"not JSON", "application/json", `{"title":`, 400, `"message":"JSON tidak valid`},
		{"a JSON array", "application/json", `[1,2]`, 400, `"message":"JSON tidak valid`},
		{"text/plain", "text/plain", report(nil), 415, `"status":415`},
		{"no content type", "", report(nil), 415, `"status":415`},
		{"JSON over 128 KB", "application/json", report(map[string]any{"body": strings.Repeat("x", 130<<10)}), 413, `"status":413`},
	} {
		(&tests.ApiScenario{
			Name: tc.name, Method: "POST", URL: "/api/complaints", Body: strings.NewReader(tc.body),
			Headers:        map[string]string{"Content-Type": tc.contentType},
			ExpectedStatus: tc.status, ExpectedContent: []string{tc.content},
			ExpectedEvents: map[string]int{"*": 0}, TestAppFactory: testkit.Factory(nil), AfterTestFunc: nothingWritten,
		}).Test(t)
	}
}

// multipartBody builds a multipart submission with files (name → bytes).
func multipartBody(t testing.TB, fields map[string]string, files ...[2]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="attachments"; filename=%q`, f[0]))
		h.Set("Content-Type", "image/jpeg") // what a client claims counts for nothing
		part, _ := w.CreatePart(h)
		part.Write([]byte(f[1]))
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func formReport() map[string]string {
	return map[string]string{"type": "pengaduan", "title": "Jalan berlubang dekat sekolah",
		"body": "Lubang besar di jalan dekat SD Negeri 2, sudah ada yang jatuh.", "category": "INF-JALAN", "privacy": "anonymous"}
}

func TestSubmitMultipart(t *testing.T) {
	pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
	pngFile := tinyPNG(2, 2)
	type want struct {
		status int
		field  string // "" for success
		code   string
	}
	for _, tc := range []struct {
		name  string
		files [][2]string
		want  want
	}{
		{"no attachments", nil, want{201, "", ""}},
		{"a PNG and a PDF, whatever their names", [][2]string{{"../../etc/passwd", pngFile}, {"surat.exe", pdf}}, want{201, "", ""}},
		{"a text file claiming to be a JPEG", [][2]string{{"foto.jpg", "just text, not a photo"}}, want{415, "attachments", "unsupported_type"}},
		{"an HTML page named .png", [][2]string{{"x.png", "<html><script>alert(1)</script></html>"}}, want{415, "attachments", "unsupported_type"}},
		{"a PNG that claims 60000×60000 pixels", [][2]string{{"bom.png", tinyPNG(60000, 60000)}}, want{413, "attachments", "too_many_pixels"}},
		{"a PNG with a broken header", [][2]string{{"rusak.png", "\x89PNG\r\n\x1a\nnot really"}}, want{415, "attachments", "broken_image"}},
		{"six files", [][2]string{{"1", pdf}, {"2", pdf}, {"3", pdf}, {"4", pdf}, {"5", pdf}, {"6", pdf}}, want{400, "attachments", "too_many"}},
		{"one file over 10 MB", [][2]string{{"besar.pdf", pdf + strings.Repeat(" ", 10<<20)}}, want{413, "attachments", "too_large"}},
	} {
		body, ct := multipartBody(t, formReport(), tc.files...)
		s := tests.ApiScenario{
			Name: tc.name, Method: "POST", URL: "/api/complaints", Body: body,
			Headers: map[string]string{"Content-Type": ct}, ExpectedStatus: tc.want.status,
			TestAppFactory: testkit.Factory(nil),
		}
		if tc.want.field == "" {
			s.ExpectedContent = []string{`"tracking_code":"`}
			// Only a complaint with files is saved through PocketBase
			// (which stores the files): one record create.
			s.ExpectedEvents = map[string]int{"OnRecordCreate": min(len(tc.files), 1)}
			n := len(tc.files)
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
				c := onlyComplaint(t, app)
				names := c.GetStringSlice("attachments")
				if len(names) != n {
					t.Fatalf("stored %d attachments, want %d", len(names), n)
				}
				for _, name := range names {
					if !strings.HasPrefix(name, "lampiran_") || strings.ContainsAny(name, "/\\") || strings.Contains(name, "passwd") {
						t.Errorf("attachment stored as %q", name)
					}
				}
			}
		} else {
			s.ExpectedContent = []string{`"` + tc.want.field + `":{"code":"` + tc.want.code + `"`}
			s.ExpectedEvents = map[string]int{"*": 0}
			s.AfterTestFunc = nothingWritten
		}
		s.Test(t)
	}
	// A whole request over the body limit is refused before it is read.
	big := strings.Repeat("x", intake.MaxRequestSize+1)
	body, ct := multipartBody(t, map[string]string{"title": big})
	(&tests.ApiScenario{
		Name: "a request over 32 MB", Method: "POST", URL: "/api/complaints", Body: body,
		Headers: map[string]string{"Content-Type": ct}, ExpectedStatus: 413, ExpectedContent: []string{`"status":413`},
		ExpectedEvents: map[string]int{"*": 0}, TestAppFactory: testkit.Factory(nil), AfterTestFunc: nothingWritten,
	}).Test(t)
	// Invalid UTF-8 can only arrive in a form (JSON decoding repairs it).
	f := formReport()
	f["title"] = "Jalan \xff\xfe rusak parah"
	body, ct = multipartBody(t, f)
	(&tests.ApiScenario{
		Name: "a title that is not UTF-8", Method: "POST", URL: "/api/complaints", Body: body,
		Headers: map[string]string{"Content-Type": ct}, ExpectedStatus: 400,
		ExpectedContent: []string{`"title":{"code":"invalid_encoding"`},
		ExpectedEvents:  map[string]int{"*": 0}, TestAppFactory: testkit.Factory(nil), AfterTestFunc: nothingWritten,
	}).Test(t)
}

// tinyPNG is a PNG header claiming w×h pixels (its pixel data is not valid
// for that size: only the header is ever read).
func tinyPNG(w, h uint32) string {
	return string(pngHeader(w, h))
}

func TestClientRefIdempotency(t *testing.T) {
	app := testkit.New(t)
	srv := serve(t, app)
	body := report(map[string]any{"client_ref": "f-0123456789abcdef"})
	first := post(t, srv, body, nil)
	again := post(t, srv, body, nil)
	if first.status != 201 || again.status != 201 {
		t.Fatalf("statuses %d, %d", first.status, again.status)
	}
	if first.body["tracking_code"] != again.body["tracking_code"] || first.body["pin"] != again.body["pin"] {
		t.Fatalf("a retry gave another complaint: %v vs %v", first.body, again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
		t.Error("replay header wrong")
	}
	if n, _ := app.CountRecords(model.Complaints); n != 1 {
		t.Fatalf("%d complaints for one client_ref", n)
	}
	if n, _ := app.CountRecords(model.SyncOutbox); n != 1 {
		t.Fatalf("%d outbox rows for one client_ref", n)
	}
	// The same key on a different report must not reveal the first one.
	other := post(t, srv, report(map[string]any{"client_ref": "f-0123456789abcdef", "title": "Laporan yang lain sama sekali"}), nil)
	if other.status != 409 || other.body["tracking_code"] != nil || !strings.Contains(other.raw, `"client_ref":{"code":"reused"`) {
		t.Fatalf("reused key: %d %s", other.status, other.raw)
	}
}

// The intake rate limits as docs/api.md writes them down: 10 reports per
// address, then one a minute; 30 per kiosk. The app's clock stands still
// while the test posts, so the counts are exact on any machine.
func TestRateLimits(t *testing.T) {
	const guestBurst, kioskBurst = 10, 30 // docs/api.md, "Rate limits"
	app := testkit.New(t)
	var mu sync.Mutex
	now := testkit.Now()
	clock.Set(app, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	srv := serve(t, app)
	complaints := func() int {
		var n int
		if err := app.DB().NewQuery("SELECT count(*) FROM complaints").Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Invalid submissions do not spend the budget: more of them than the
	// burst, then the whole burst of valid ones is still accepted.
	for i := 0; i < guestBurst+2; i++ {
		if r := post(t, srv, report(map[string]any{"title": "x"}), nil); r.status != 400 {
			t.Fatalf("invalid report %d: %d %s", i, r.status, r.raw)
		}
	}
	for i := 0; i < guestBurst; i++ {
		over := map[string]any{"title": fmt.Sprintf("Laporan warga nomor %d", i)}
		if i == 0 {
			over["client_ref"] = "retry-0123456789"
		}
		if r := post(t, srv, report(over), nil); r.status != 201 {
			t.Fatalf("report %d refused: %d %s", i, r.status, r.raw)
		}
	}
	r := post(t, srv, report(nil), nil)
	if r.status != 429 || r.header.Get("Retry-After") != "60" || !strings.Contains(r.raw, `"status":429`) {
		t.Fatalf("over the guest limit: %d Retry-After %q (want 60: one a minute) %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	// A retry of an accepted report is answered although the budget is spent.
	again := post(t, srv, report(map[string]any{"title": "Laporan warga nomor 0", "client_ref": "retry-0123456789"}), nil)
	if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry of an accepted report over the limit: %d %s", again.status, again.raw)
	}
	if n := complaints(); n != guestBurst {
		t.Fatalf("%d complaints written, want %d", n, guestBurst)
	}
	// A minute later exactly one more.
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if r := post(t, srv, report(map[string]any{"title": "Laporan warga semenit kemudian"}), nil); r.status != 201 {
		t.Fatalf("a minute later: %d %s", r.status, r.raw)
	}
	if r := post(t, srv, report(map[string]any{"title": "Laporan warga berikutnya"}), nil); r.status != 429 {
		t.Fatalf("two a minute later: %d", r.status)
	}

	// A registered kiosk has its own, larger budget; an unknown token is refused.
	creds, err := intake.AddKiosk(app, "Kios Lobi", "Lobi utama", "UMUM")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < kioskBurst; i++ {
		r := post(t, srv, report(map[string]any{"title": fmt.Sprintf("Laporan di kios nomor %d", i)}), map[string]string{intake.KioskHeader: creds.Token})
		if r.status != 201 {
			t.Fatalf("kiosk report %d: %d %s", i, r.status, r.raw)
		}
	}
	if r := post(t, srv, report(map[string]any{"title": "Laporan kios berlebih"}), map[string]string{intake.KioskHeader: creds.Token}); r.status != 429 {
		t.Fatalf("kiosk report %d: %d, want 429", kioskBurst+1, r.status)
	}
	if n := complaints(); n != guestBurst+1+kioskBurst {
		t.Fatalf("%d complaints written, want %d", n, guestBurst+1+kioskBurst)
	}
	if r := post(t, srv, report(nil), map[string]string{intake.KioskHeader: "bukan-token"}); r.status != 401 || !strings.Contains(r.raw, "unknown_kiosk") {
		t.Fatalf("unknown kiosk token: %d %s", r.status, r.raw)
	}
	kiosk, _ := app.FindRecordById(model.Kiosks, creds.KioskID)
	if c, err := app.FindFirstRecordByFilter(model.Complaints, "kiosk = {:k}", dbx.Params{"k": creds.KioskID}); err != nil ||
		c.GetString("channel") != model.ChannelKiosk || kiosk.GetDateTime("last_seen_at").IsZero() {
		t.Fatalf("kiosk reports not recorded as such: %v", err)
	}
	// Retiring the kiosk stops its token at once.
	kiosk.Set("active", false)
	if err := app.Save(kiosk); err != nil {
		t.Fatal(err)
	}
	if r := post(t, srv, report(nil), map[string]string{intake.KioskHeader: creds.Token}); r.status != 401 {
		t.Fatalf("retired kiosk: %d", r.status)
	}
}

func TestCounterThroughTheAPI(t *testing.T) {
	app := testkit.New(t)
	clerk, token := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := serve(t, app)
	body := report(map[string]any{"reporter_nik": "3201234567890001", "identity_checked": true})
	r := post(t, srv, body, map[string]string{"Authorization": token})
	if r.status != 201 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	c := onlyComplaint(t, app)
	if c.GetString("channel") != model.ChannelCounter || c.GetString("created_by") != clerk.Id ||
		c.GetString("reporter_nik") != "3201234567890001" || !c.GetBool("identity_checked") {
		t.Fatalf("counter intake: channel %q created_by %q nik %q checked %v", c.GetString("channel"),
			c.GetString("created_by"), c.GetString("reporter_nik"), c.GetBool("identity_checked"))
	}
	ev, _ := app.FindFirstRecordByData(model.ComplaintEvents, "complaint", c.Id)
	if ev.GetString("actor_type") != "staff" || ev.GetString("actor") != clerk.Id {
		t.Fatalf("created event actor %q %q", ev.GetString("actor_type"), ev.GetString("actor"))
	}
	if r := post(t, srv, report(map[string]any{"reporter_nik": "12345"}), map[string]string{"Authorization": token}); r.status != 400 ||
		!strings.Contains(r.raw, "invalid_nik") {
		t.Fatalf("bad NIK at the counter: %d %s", r.status, r.raw)
	}
}

func TestTrackAPI(t *testing.T) {
	app := testkit.New(t)
	srv := serve(t, app)
	public := post(t, srv, report(nil), nil)
	conf := post(t, srv, report(map[string]any{"privacy": "confidential", "title": "Pungutan liar di loket KTP"}), nil)
	code := public.body["tracking_code"].(string)
	// What tracking must keep back: an internal note (public: false) on the
	// public report, and a public note on the confidential one.
	const internal, confNote = "Catatan internal: pelapor kerabat kepala seksi", "Petugas mendatangi rumah pelapor di Gang Mawar"
	addEvent(t, app, code, events.Event{Kind: model.EventNote, ActorType: "staff", Note: internal, Origin: "TEST"})
	addEvent(t, app, conf.body["tracking_code"].(string), events.Event{Kind: model.EventTransition, ActorType: "staff",
		From: model.StatusBaru, To: model.StatusTerdisposisi, Note: confNote, Public: true, Origin: "TEST"})

	// Tolerant lookup: lower case, no dashes, and never the reporter.
	r := get(t, srv, "/api/track/"+strings.ToLower(strings.ReplaceAll(code, "-", "")))
	if r.status != 200 || r.body["tracking_code"] != code || r.body["status_label"] != "Belum Terverifikasi" ||
		r.body["title"] != "Lampu jalan mati di depan pasar" || r.body["due_at"] == nil {
		t.Fatalf("track: %d %s", r.status, r.raw)
	}
	for _, secret := range []string{"Siti", "0812", "contoh.id", "receipt", "pin", internal} {
		if strings.Contains(r.raw, secret) {
			t.Errorf("tracking answer carries %q", secret)
		}
	}
	if tl, _ := r.body["timeline"].([]any); len(tl) != 1 {
		t.Errorf("timeline: %v", r.body["timeline"])
	}
	c := get(t, srv, "/api/track/"+conf.body["tracking_code"].(string))
	if c.status != 200 || c.body["confidential"] != true || c.body["title"] != nil || c.body["body"] != nil ||
		strings.Contains(c.raw, "Pungutan") || strings.Contains(c.raw, "Gang Mawar") {
		t.Fatalf("confidential track: %s", c.raw)
	}
	if tl, _ := c.body["timeline"].([]any); len(tl) != 2 {
		t.Errorf("confidential timeline: the public steps stay (without notes): %v", c.body["timeline"])
	}
	// A typo is caught by the check character; junk is malformed; an
	// unknown code is a plain 404.
	typo := code[:len(code)-1] + map[bool]string{true: "1", false: "2"}[code[len(code)-1] != '1']
	if r := get(t, srv, "/api/track/"+typo); r.status != 400 || !strings.Contains(r.raw, `"code":"typo"`) {
		t.Errorf("typo: %d %s", r.status, r.raw)
	}
	if r := get(t, srv, "/api/track/'%20OR%201=1"); r.status != 400 || !strings.Contains(r.raw, "malformed") {
		t.Errorf("junk: %d %s", r.status, r.raw)
	}
	if r := get(t, srv, "/api/track/"+trackcode.New()); r.status != 404 {
		t.Errorf("unknown code: %d %s", r.status, r.raw)
	}
}

// addEvent appends ev to the timeline of the complaint with code.
func addEvent(t *testing.T, app core.App, code string, ev events.Event) {
	t.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		if err != nil {
			return err
		}
		_, err = events.Append(tx, c, ev)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// created1 is what a report without files fires: the record-created event
// once, after its transaction committed, and no other hook.
var created1 = map[string]int{"OnModelAfterCreateSuccess": 1, "OnRecordAfterCreateSuccess": 1}
