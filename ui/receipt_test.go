package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/logger"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/intake"
	"simpul/ui"
	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

const (
	officeURL     = "https://pengaduan.sukamaju.go.id"
	officeAddress = "Jl. Sudirman — Pasar Baru №5 · Müller · é"
)

// receiptFixture is what the receipt scenarios' apps hold: a complaint of
// unit UMUM with a receipt token, and staff of every role.
type receiptFixture struct {
	complaint *core.Record
	code      string
	token     string
	staff     map[string]string // name → auth token
}

func seedReceipts(t testing.TB, app core.App) *receiptFixture {
	t.Helper()
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("public_base_url", officeURL+"/")
	office.Set("address", officeAddress)
	office.Set("phone", "0761-123456")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Reporter: "Siti Aminah"})
	fx := &receiptFixture{complaint: rec, code: rec.GetString("tracking_code"), token: intake.NewReceiptToken(),
		staff: map[string]string{}}
	rec.Set("receipt_token", fx.token)
	rec.Set("hub_tracking_id", "KAB-7H2K-9QXM")
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string][2]string{
		"frontdesk": {model.RoleFrontdesk, ""}, "coordinator": {model.RoleCoordinator, ""},
		"handler-umum": {model.RoleHandler, "UMUM"}, "handler-kes": {model.RoleHandler, "KES"},
	} {
		_, fx.staff[name] = testkit.Staff(t, app, name+"@simpul.test", s[0], s[1])
	}
	return fx
}

// expand fills a scenario's placeholders: {code}, {sloppy} (lowercase,
// no dashes), {token}, {other} (a well-formed code nobody has) and
// {session:NAME} (a staff session cookie).
func (fx *receiptFixture) expand(s string) string {
	r := []string{"{code}", fx.code, "{sloppy}", strings.ToLower(strings.ReplaceAll(fx.code, "-", "")),
		"{token}", fx.token, "{other}", trackcode.New()}
	for name, tok := range fx.staff {
		r = append(r, "{session:"+name+"}", ui.SessionCookie+"="+tok)
	}
	return strings.NewReplacer(r...).Replace(s)
}

// expander fills a scenario's placeholders once its app is seeded.
type expander interface{ expand(string) string }

// runScenarios runs scenarios on apps seeded by seed, expanding the
// placeholders in URL and headers once the app exists.
func runScenarios(t *testing.T, scenarios []tests.ApiScenario, seed func(testing.TB, core.App) expander) {
	for i := range scenarios {
		s := &scenarios[i]
		s.TestAppFactory = testkit.Factory(func(t testing.TB, app *tests.TestApp) {
			fx := seed(t, app)
			s.URL = fx.expand(s.URL)
			headers := make(map[string]string, len(s.Headers)) // tables share header maps
			for k, v := range s.Headers {
				headers[k] = fx.expand(v)
			}
			s.Headers = headers
		})
		s.Test(t)
	}
}

func seedReceiptsAny(t testing.TB, app core.App) expander {
	return seedReceipts(t, app)
}

// pdfHeaders checks what a receipt answer must carry besides the PDF.
func pdfHeaders(t testing.TB, res *http.Response, filename string) {
	t.Helper()
	h := res.Header
	if h.Get("Content-Type") != "application/pdf" || h.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), `inline; filename="`+filename) ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
		t.Fatalf("headers: %v", h)
	}
	// Browsers' PDF viewers run under the response's CSP; the pages'
	// policy would break them.
	if h.Get("Content-Security-Policy") != "" {
		t.Fatalf("a PDF carries the pages' CSP: %v", h)
	}
}

func TestReceiptRoute(t *testing.T) {
	pdf := []string{"%PDF-", "%%EOF"}
	okHeaders := func(t testing.TB, _ *tests.TestApp, res *http.Response) { pdfHeaders(t, res, "struk-") }
	notFound := []string{`"status":404`}
	scenarios := []tests.ApiScenario{
		{Name: "good token, default 80 mm", Method: "GET", URL: "/api/receipts/{code}.pdf?token={token}",
			ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: okHeaders},
		{Name: "58 mm", Method: "GET", URL: "/api/receipts/{code}.pdf?token={token}&format=58mm",
			ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: okHeaders},
		{Name: "80 mm", Method: "GET", URL: "/api/receipts/{code}?token={token}&format=80mm",
			ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: okHeaders},
		{Name: "A4", Method: "GET", URL: "/api/receipts/{code}.pdf?format=a4&token={token}",
			ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: okHeaders},
		{Name: "code typed lowercase without dashes", Method: "GET", URL: "/api/receipts/{sloppy}.pdf?token={token}",
			ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: okHeaders},
		{Name: "wrong token", Method: "GET", URL: "/api/receipts/{code}.pdf?token=x{token}",
			ExpectedStatus: 404, ExpectedContent: notFound, NotExpectedContent: pdf},
		{Name: "no token", Method: "GET", URL: "/api/receipts/{code}.pdf",
			ExpectedStatus: 404, ExpectedContent: notFound, NotExpectedContent: pdf},
		{Name: "empty token", Method: "GET", URL: "/api/receipts/{code}.pdf?token=",
			ExpectedStatus: 404, ExpectedContent: notFound},
		{Name: "unknown code with a real token", Method: "GET", URL: "/api/receipts/{other}.pdf?token={token}",
			ExpectedStatus: 404, ExpectedContent: notFound},
		{Name: "malformed code", Method: "GET", URL: "/api/receipts/abc.pdf?token={token}",
			ExpectedStatus: 404, ExpectedContent: notFound},
		{Name: "hostile code", Method: "GET", URL: "/api/receipts/%3Cscript%3E.pdf?token={token}",
			ExpectedStatus: 404, ExpectedContent: notFound, NotExpectedContent: []string{"<script>"}},
		{Name: "bad format", Method: "GET", URL: "/api/receipts/{code}.pdf?token={token}&format=a5",
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`, `"format":{"code":"validation_invalid_format"`}},
		{Name: "bad format with a wrong token says nothing about the code", Method: "GET",
			URL: "/api/receipts/{other}.pdf?token=nope&format=pdf", ExpectedStatus: 400, ExpectedContent: []string{`"format"`}},
	}
	runScenarios(t, scenarios, seedReceiptsAny)
}

func TestCounterReprint(t *testing.T) {
	pdf := []string{"%PDF-"}
	scenarios := []tests.ApiScenario{
		{Name: "no session: to the counter login", Method: "GET", URL: "/loket/struk/{code}",
			ExpectedStatus: 303, NotExpectedContent: pdf,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if res.Header.Get("Location") != "/loket" {
					t.Fatalf("Location %q", res.Header.Get("Location"))
				}
			}},
		{Name: "front desk", Method: "GET", URL: "/loket/struk/{code}", Headers: map[string]string{"Cookie": "{session:frontdesk}"},
			ExpectedStatus: 200, ExpectedContent: pdf,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) { pdfHeaders(t, res, "struk-") }},
		{Name: "front desk, 58 mm, sloppy code", Method: "GET", URL: "/loket/struk/{sloppy}?format=58mm",
			Headers: map[string]string{"Cookie": "{session:frontdesk}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "coordinator, A4", Method: "GET", URL: "/loket/struk/{code}?format=a4",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "handler of the complaint's unit", Method: "GET", URL: "/loket/struk/{code}",
			Headers: map[string]string{"Cookie": "{session:handler-umum}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "handler of another unit", Method: "GET", URL: "/loket/struk/{code}",
			Headers: map[string]string{"Cookie": "{session:handler-kes}"}, ExpectedStatus: 403,
			ExpectedContent: []string{"bukan milik unit Anda"}, NotExpectedContent: pdf},
		{Name: "bad format", Method: "GET", URL: "/loket/struk/{code}?format=letter",
			Headers: map[string]string{"Cookie": "{session:frontdesk}"}, ExpectedStatus: 400, ExpectedContent: []string{`"format"`}},
		{Name: "unknown code", Method: "GET", URL: "/loket/struk/{other}",
			Headers: map[string]string{"Cookie": "{session:frontdesk}"}, ExpectedStatus: 404, ExpectedContent: []string{"tidak ditemukan"}},
		{Name: "a session cookie that is not a staff token", Method: "GET", URL: "/loket/struk/{code}",
			Headers: map[string]string{"Cookie": ui.SessionCookie + "=forged"}, ExpectedStatus: 303, NotExpectedContent: pdf},
	}
	runScenarios(t, scenarios, seedReceiptsAny)
}

// TestReceiptContent reads a served receipt back with independent tools:
// the text (pdftotext) carries the code, the PIN derived from the token,
// the office's UTF-8 address and the time in the office's zone; the QR
// code (pdftoppm + gozxing) points at the office's public tracking URL;
// the counter's reprint is a copy that never carries the PIN (review
// item 2: it used to print any reporter's PIN for any clerk); the counter
// lookup links to the reprint.
func TestReceiptContent(t *testing.T) {
	app := testkit.New(t)
	if err := app.ReloadSettings(); err != nil { // logs on, as stored
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Settings().Logs.MaxDays = 0 }) // log writes are asynchronous
	fx := seedReceipts(t, app)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	res, body := c.get("/api/receipts/" + fx.code + ".pdf?token=" + fx.token + "&format=58mm")
	if res.StatusCode != 200 {
		t.Fatalf("receipt: %d %s", res.StatusCode, body)
	}
	pin := intake.PIN(fx.token)
	txt := pdfcheck.Text(t, []byte(body))
	for _, want := range []string{fx.code, pin, officeAddress, "WIB", "Pengaduan", "Jalan rusak di depan puskesmas", "Situs web",
		"KAB-7H2K-9QXM", "Rahasiakan PIN ini", officeURL + "/lacak/"} {
		if !strings.Contains(strings.ReplaceAll(txt, "\n", " "), want) {
			t.Errorf("receipt text lacks %q:\n%s", want, txt)
		}
	}
	if got, want := pdfcheck.DecodeQR(t, []byte(body)), officeURL+"/lacak/"+fx.code; got != want {
		t.Errorf("QR code: %q, want %q", got, want)
	}
	_, body = c.get("/api/receipts/" + fx.code + ".pdf?token=" + fx.token + "&lang=en&format=a4")
	if txt := pdfcheck.Text(t, []byte(body)); !strings.Contains(txt, "COMPLAINT RECEIPT") || !strings.Contains(txt, "Website") {
		t.Errorf("English receipt:\n%s", txt)
	}

	desk := newClient(t, srv)
	desk.login("frontdesk@simpul.test")
	_, page := desk.get("/loket/cari?q=" + strings.ToLower(fx.code))
	if !strings.Contains(page, `href="/loket/struk/`+fx.code+`?format=80mm"`) || !strings.Contains(page, "Cetak ulang") {
		t.Fatalf("the counter lookup has no reprint link:\n%s", page)
	}
	res, body = desk.get("/loket/struk/" + fx.code + "?format=80mm")
	if res.StatusCode != 200 {
		t.Fatalf("reprint: %d", res.StatusCode)
	}
	txt = strings.ReplaceAll(pdfcheck.Text(t, []byte(body)), "\n", " ")
	if strings.Contains(txt, pin) || strings.Contains(txt, "Rahasiakan PIN ini") || !strings.Contains(txt, fx.code) ||
		!strings.Contains(txt, "SALINAN") || !strings.Contains(txt, "PIN tidak dicetak ulang") {
		t.Errorf("the reprint must be a copy without the PIN %s:\n%s", pin, txt)
	}

	// The reprint is logged with the clerk's id and the code, nothing else.
	frontdesk, err := app.FindAuthRecordByEmail(model.Staff, "frontdesk@simpul.test")
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := app.Logger().Handler().(*logger.BatchHandler); ok {
		if err := h.WriteAll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var rows []struct {
		Data string `db:"data"`
	}
	if err := app.AuxDB().Select("data").From("_logs").Where(dbx.HashExp{"message": "receipt_reprinted"}).All(&rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d receipt_reprinted logs, want 1", len(rows))
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(rows[0].Data), &data); err != nil {
		t.Fatal(err)
	}
	if len(data) != 2 || data["staff_id"] != frontdesk.Id || data["tracking_code"] != fx.code {
		t.Errorf("log data %v", data)
	}
}

// A confidential report's title stays off a reprint made by the front
// desk, as it stays off the counter lookup.
func TestReprintConfidentialTitle(t *testing.T) {
	app := testkit.New(t)
	fx := seedReceipts(t, app)
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Privacy: model.PrivacyConfidential})
	rec.Set("title", "Dugaan pungutan liar oleh petugas")
	rec.Set("receipt_token", intake.NewReceiptToken())
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	for role, shown := range map[string]bool{"frontdesk": false, "coordinator": true} {
		c := newClient(t, srv)
		req, _ := http.NewRequest("GET", srv.URL+"/loket/struk/"+rec.GetString("tracking_code")+"?format=a4", nil)
		req.Header.Set("Cookie", ui.SessionCookie+"="+fx.staff[role])
		res, body := c.do(req)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", role, res.StatusCode)
		}
		if got := strings.Contains(pdfcheck.Text(t, []byte(body)), "pungutan liar"); got != shown {
			t.Errorf("%s: title shown %v, want %v", role, got, shown)
		}
	}
}

// The office's uploaded logo is printed, fitted once: a large transparent
// PNG neither bloats the receipt nor gives it a soft mask.
func TestReceiptOfficeLogo(t *testing.T) {
	app := testkit.New(t)
	fx := seedReceipts(t, app)
	img := image.NewNRGBA(image.Rect(0, 0, 1600, 800))
	for x := 0; x < 1600; x++ {
		for y := 0; y < 800; y++ {
			if dx, dy := x-400, y-400; dx*dx+dy*dy < 350*350 {
				img.Set(x, y, color.NRGBA{0, 100, 50, 255})
			}
		}
	}
	var raw bytes.Buffer
	if err := png.Encode(&raw, img); err != nil {
		t.Fatal(err)
	}
	office, _ := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	f, err := filesystem.NewFileFromBytes(raw.Bytes(), "logo.png")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("logo", f)
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	for i := 0; i < 2; i++ { // the second time from the app's store
		res, body := c.get("/api/receipts/" + fx.code + ".pdf?token=" + fx.token)
		if res.StatusCode != 200 || !strings.Contains(body, "/Subtype /Image") || strings.Contains(body, "/SMask") {
			t.Fatalf("receipt with a logo: %d, image %v", res.StatusCode, strings.Contains(body, "/Subtype /Image"))
		}
		if len(body) > 40<<10 {
			t.Fatalf("receipt with a logo: %d bytes", len(body))
		}
	}
}
