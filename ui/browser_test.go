package ui_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/ui/testkit"
)

// browserLogin signs in at /loket in the browser.
func browserLogin(b *testkit.Browser, email string) {
	b.Go("/loket")
	b.Fill("#email", email)
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#logout")
}

func TestBrowserKioskIdleReset(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)

	// Register this browser as the kiosk, the way docs/kiosk.md says.
	browserLogin(b, "admin@simpul.test")
	b.Go("/kiosk/setup")
	b.Fill("#token", kioskToken)
	b.Fill("#idle", "3")
	b.Click("#save")
	b.WaitVisible("#start")

	// With JavaScript the form is hidden behind the start screen and shown
	// one step at a time.
	var formHidden bool
	b.Eval(`document.getElementById("complaint-form").hidden`, &formHidden)
	if !formHidden {
		t.Fatal("the kiosk form must start hidden behind the welcome screen")
	}
	b.Click("#start")
	b.WaitText("#guide", "1/4")
	b.Click(`fieldset[data-step="1"] .next`)
	b.Click("#pick-PEL") // a group of topics, then a topic: the kiosk moves on by itself
	b.Click(`input[name="category"][value="PEL-ANTRE"]`)
	b.WaitText("#guide", "3/4")
	b.Fill("#title", "Antrean panjang sekali")
	b.Fill("#body", "Rahasia yang tidak boleh tertinggal di layar")
	if got := b.Value("#title"); got != "Antrean panjang sekali" {
		t.Fatalf("typed title not in the field: %q", got)
	}

	// No touch: first "Masih di sana?", then everything typed is gone and
	// the start screen is back.
	b.WaitVisible("#still-there")
	b.WaitVisible("#start")
	if got := b.Value("#title"); got != "" {
		t.Fatalf("title survived the idle reset: %q", got)
	}
	if got := b.Value("#body"); got != "" {
		t.Fatalf("body survived the idle reset: %q", got)
	}
	if strings.Contains(b.Text("body"), "Rahasia yang tidak boleh") {
		t.Fatal("typed text still on the screen")
	}
}

func TestBrowserQRLandingToReceipt(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)

	b.Go("/q/pintu-depan")
	if got := b.Text(".where"); !strings.Contains(got, "Pintu depan / ruang tunggu") {
		t.Fatalf("QR landing says %q", got)
	}
	if got := b.Value("#location"); got != "Ruang tunggu pelayanan" {
		t.Fatalf("location not prefilled: %q", got)
	}
	b.Select("#category", "INF-PJU")
	b.Fill("#title", "Lampu jalan mati di depan puskesmas")
	b.Fill("#body", "Sudah seminggu lampu jalan mati, jalan gelap dan rawan.")
	b.Click(`input[name="privacy"][value="anonymous"]`)
	b.Click("#submit")
	b.WaitText("h1", "Laporan diterima")
	code := strings.TrimSpace(b.Text("#tracking-code"))
	if _, err := trackcode.Normalize(code); err != nil {
		t.Fatalf("success page shows %q: %v", code, err)
	}
	if pin := b.Text("#pin"); strings.TrimSpace(pin) == "" {
		t.Fatal("no PIN on the success page")
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatalf("complaint %s not stored: %v", code, err)
	}
	if rec.GetString("channel") != model.ChannelQR || rec.GetString("qr_point") == "" {
		t.Errorf("channel %q qr_point %q", rec.GetString("channel"), rec.GetString("qr_point"))
	}
	if rec.GetString("reporter_name") != "" || rec.GetString("privacy") != model.PrivacyAnonymous {
		t.Error("anonymous report stored identity")
	}

	// The receipt link answers with a PDF, fetched as the browser would.
	href := b.Attr("#receipt-80", "href")
	if href == "" {
		t.Fatal("no receipt link")
	}
	res, err := http.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("receipt %s: %d %s", href, res.StatusCode, res.Header.Get("Content-Type"))
	}

	// The tracking link leads to the public page.
	b.Click(`a[href="/lacak/` + code + `"]`)
	b.WaitText("#status", "Belum Terverifikasi")
}

func TestBrowserCounterFlow(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)

	browserLogin(b, "loket@simpul.test")
	b.Select("#category", "ADM-KTP")
	b.Fill("#title", "KTP belum jadi setelah tiga bulan")
	b.Fill("#body", "Warga datang ke loket, KTP elektronik belum dicetak sejak Agustus.")
	b.Fill("#reporter_name", "Ibu Warsini")
	b.Fill("#reporter_phone", "0812 7777 8888")
	b.Click(`input[name="identity_checked"]`)
	b.Click("#submit")
	b.WaitText("h1", "Laporan diterima")
	code := strings.TrimSpace(b.Text("#tracking-code"))
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatalf("complaint %s not stored: %v", code, err)
	}
	if rec.GetString("channel") != model.ChannelCounter || rec.GetString("created_by") == "" || !rec.GetBool("identity_checked") {
		t.Errorf("counter intake: channel %q created_by %q identity_checked %v",
			rec.GetString("channel"), rec.GetString("created_by"), rec.GetBool("identity_checked"))
	}
	href := b.Attr("#receipt-80", "href")
	res, err := http.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt %s: %d %s", href, res.StatusCode, res.Header.Get("Content-Type"))
	}

	// Back at the counter: look the citizen up by phone, spelled differently.
	b.Click("#again")
	b.Fill("#q", "+62 812-7777-8888")
	b.Click("#lookup")
	got := b.WaitText("#results", code)
	if strings.Contains(got, "Ibu Warsini") {
		t.Error("the lookup shows the reporter's name")
	}

	b.Click("#logout")
	b.WaitVisible("#login")
}
