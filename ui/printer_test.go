package ui_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui"
	"simpul/ui/testkit"
)

// The receipt as an ESC/POS job (docs/api.md, a contract): for
// the token's holder, with the PIN, the tracking code as text and the
// tracking URL as a native QR code; 58 and 80 mm; the same 404 as the PDF
// for a wrong token.
func TestReceiptESCPOS(t *testing.T) {
	app := testkit.New(t)
	fx := seedReceipts(t, app)
	srv := testkit.Serve(t, app)
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	base := "/api/receipts/" + fx.code + ".escpos?token=" + url.QueryEscape(fx.token)
	for width, cols := range map[string]int{"": 48, "&width=80mm": 48, "&width=58mm": 32} {
		res, body := get(base + width)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/octet-stream" ||
			res.Header.Get("Cache-Control") != "no-store" || !strings.Contains(res.Header.Get("Content-Disposition"), ".escpos") {
			t.Fatalf("%q: %d %v", width, res.StatusCode, res.Header)
		}
		job, err := testkit.DecodeESCPOS(body)
		if err != nil {
			t.Fatalf("%q: %v", width, err)
		}
		want := officeURL + "/lacak/" + fx.code
		if !job.Init || !job.Cut || len(job.QR) != 1 || job.QR[0] != want {
			t.Errorf("%q: init %v cut %v QR %q, want %q", width, job.Init, job.Cut, job.QR, want)
		}
		text := strings.Join(job.Lines, "\n")
		pin := intake.PIN(fx.token)
		if !strings.Contains(strings.Join(job.BigText, " "), fx.code) || !strings.Contains(strings.Join(job.BigText, " "), pin) {
			t.Errorf("%q: the code and the PIN are not printed large: %q", width, job.BigText)
		}
		for _, l := range job.Lines {
			if len(l) > cols {
				t.Errorf("%q: a line of %d characters on a %d-column roll: %q", width, len(l), cols, l)
			}
		}
		if !strings.Contains(text, "PIN") || strings.Contains(text, "SALINAN") {
			t.Errorf("%q: the reporter's own receipt is not the original:\n%s", width, text)
		}
	}
	for name, path := range map[string]string{
		"wrong token":  "/api/receipts/" + fx.code + ".escpos?token=x" + fx.token,
		"no token":     "/api/receipts/" + fx.code + ".escpos",
		"unknown code": "/api/receipts/" + strings.Replace(fx.code, fx.code[:4], "AAAA", 1) + ".escpos?token=" + fx.token,
	} {
		if res, _ := get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", name, res.StatusCode)
		}
	}
	if res, body := get(base + "&width=a4"); res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "width") {
		t.Errorf("an A4 ESC/POS job: %d %s", res.StatusCode, body)
	}
}

var pinRe = regexp.MustCompile(`id="pin">(\d{6})<`)

// The counter's "Cetak" button sends the receipt to the counter's network
// printer: right after intake with the PIN, and the page says it printed;
// with the printer off, the page says so and keeps the PDFs.
func TestCounterPrintsToItsPrinter(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	testkit.Staff(t, app, "petugas@simpul.test", model.RoleHandler, "UMUM")
	printer := testkit.NewPrinter(t)
	setOffice(t, app, "counter_printer", printer.Addr)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	c.login("loket@simpul.test")
	_, body := c.get("/loket")
	res, body := c.post("/loket", url.Values{"csrf": {c.csrf(body)}, "type": {"pengaduan"}, "category": {"ADM-KTP"},
		"title": {"KTP belum jadi setelah tiga bulan"}, "body": {"Warga datang ke loket, KTP elektronik belum dicetak sejak Agustus."},
		"privacy": {"public"}, "reporter_name": {"Ibu Warsini"}, "reporter_phone": {"081277778888"}, "identity_checked": {"1"}})
	if res.StatusCode != http.StatusCreated || !strings.Contains(body, `id="print-thermal"`) {
		t.Fatalf("counter intake: %d\n%s", res.StatusCode, body)
	}
	code := regexp.MustCompile(`id="tracking-code">([0-9A-Z-]+)<`).FindStringSubmatch(body)[1]
	pin := pinRe.FindStringSubmatch(body)[1]
	token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(body)
	if token == nil {
		t.Fatalf("the print form carries no receipt token:\n%s", body)
	}
	form := url.Values{"csrf": {c.csrf(body)}, "token": {token[1]}}
	res, body = c.post("/loket/cetak/"+code, form)
	if res.StatusCode != 200 || !strings.Contains(body, `id="print-status"`) || strings.Contains(body, `class="errors error"`) ||
		!strings.Contains(body, `id="pin">`+pin+`<`) {
		t.Fatalf("print: %d\n%s", res.StatusCode, body)
	}
	job := printer.Job(t)
	if len(job.QR) != 1 || !strings.HasSuffix(job.QR[0], "/lacak/"+code) || !strings.Contains(strings.Join(job.BigText, " "), pin) {
		t.Errorf("the printed job: QR %q, large %q; want the tracking URL and the PIN", job.QR, job.BigText)
	}

	// Without the receipt's token (a reprint): a copy, no PIN on paper or page.
	res, body = c.post("/loket/cetak/"+code, url.Values{"csrf": {c.csrf(body)}})
	if res.StatusCode != 200 || strings.Contains(body, pin) {
		t.Fatalf("reprint: %d, PIN shown: %v", res.StatusCode, strings.Contains(body, pin))
	}
	if job := printer.Job(t); strings.Contains(strings.Join(job.Lines, " "), pin) || !strings.Contains(strings.Join(job.Lines, " "), "SALINAN") {
		t.Errorf("the reprint: %q", job.Lines)
	}

	// Refused without CSRF, for a handler, for an unknown code.
	if res, _ := c.post("/loket/cetak/"+code, url.Values{"token": {token[1]}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("print without csrf: %d", res.StatusCode)
	}
	h := newClient(t, srv)
	h.login("petugas@simpul.test")
	_, hb := h.get("/loket")
	if res, _ := h.post("/loket/cetak/"+code, url.Values{"csrf": {h.csrf(hb)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("print by a handler: %d", res.StatusCode)
	}

	// The printer is off: the page says so.
	setOffice(t, app, "counter_printer", "tcp://127.0.0.1:1")
	res, body = c.post("/loket/cetak/"+code, url.Values{"csrf": {c.csrf(body)}, "token": {token[1]}})
	if res.StatusCode != 200 || !strings.Contains(body, `class="errors error"`) || !strings.Contains(body, `id="receipt-80"`) {
		t.Errorf("printer off: %d\n%s", res.StatusCode, body)
	}
}

// A kiosk with its own printer prints the reporter's receipt as soon as
// the report is saved; the browser does not print.
func TestKioskPrintsToItsPrinter(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	printer := testkit.NewPrinter(t)
	k, err := app.FindFirstRecordByData(model.Kiosks, "name", "Kios Lobi")
	if err != nil {
		t.Fatal(err)
	}
	k.Set("printer", printer.Addr)
	if err := app.Save(k); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	u, _ := url.Parse(srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: ui.KioskCookie, Value: kioskToken, Path: "/"}})
	res, body := c.post("/kiosk", url.Values{"type": {"pengaduan"}, "category": {"ADM-KTP"},
		"title": {"Antrean KTP tidak bergerak"}, "body": {"Sudah dua jam menunggu di loket KTP tanpa panggilan."},
		"privacy": {"anonymous"}})
	if res.StatusCode != http.StatusCreated || strings.Contains(body, `data-print="1"`) {
		t.Fatalf("kiosk intake: %d (the browser prints: %v)\n%s", res.StatusCode, strings.Contains(body, `data-print="1"`), body)
	}
	pin := pinRe.FindStringSubmatch(body)[1]
	job := printer.Job(t)
	if len(job.QR) != 1 || !strings.Contains(job.QR[0], "/lacak/") || !strings.Contains(strings.Join(job.BigText, " "), pin) {
		t.Errorf("the kiosk's job: QR %q, large %q", job.QR, job.BigText)
	}
}

func setOffice(t *testing.T, app core.App, field, value string) {
	t.Helper()
	o, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	o.Set(field, value)
	if err := app.Save(o); err != nil {
		t.Fatal(err)
	}
}

func TestParsePrinter(t *testing.T) {
	for in, want := range map[string]string{
		"": "", " tcp://192.168.1.50:9100 ": "tcp://192.168.1.50:9100", "TCP://printer.lan:9100/": "tcp://printer.lan:9100",
		"tcp://[fd00::5]:9100": "tcp://[fd00::5]:9100",
	} {
		if got, err := ui.ParsePrinter(in); err != nil || got != want {
			t.Errorf("ParsePrinter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"192.168.1.50:9100", "http://192.168.1.50:9100", "tcp://192.168.1.50", "tcp://:9100",
		"tcp://h:0", "tcp://h:70000", "tcp://u@h:9100", "tcp://h:9100/x", "tcp://h:9100?a=b"} {
		if _, err := ui.ParsePrinter(bad); err == nil {
			t.Errorf("ParsePrinter(%q) accepted", bad)
		}
	}
}
