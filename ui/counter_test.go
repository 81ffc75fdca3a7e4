package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// The counter as a clerk's tool at 1366 × 768: the report and the
// reporter side by side, the channel first, Tab through the report then
// the reporter, Enter saves, Ctrl+Enter saves from the report's text, a
// scanned letter attached, and the citizen found again by name.
func TestBrowserCounterClerk(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Counter)
	browserLogin(b, "loket@simpul.test")

	// Two columns, nothing sideways; the header leads to staff pages only.
	var cols struct{ LeftTop, RightTop, LeftX, RightX float64 }
	b.Eval(`(function(){var a=document.querySelector(".col-report").getBoundingClientRect(),
	  b=document.querySelector(".col-reporter").getBoundingClientRect();
	  return {LeftTop:a.top, RightTop:b.top, LeftX:a.left, RightX:b.left};})()`, &cols)
	if cols.RightX <= cols.LeftX+300 || cols.RightTop-cols.LeftTop > 50 {
		t.Errorf("the counter form is not two columns side by side: %+v", cols)
	}
	if over := b.Overflow(); over > 0 {
		t.Errorf("the counter is %d px wider than 1366", over)
	}
	var publicLinks int
	b.Eval(`document.querySelectorAll('header a[href="/lapor"], header a[href="/lacak"]').length`, &publicLinks)
	if publicLinks != 0 {
		t.Error("the counter's header sends the clerk to the public form")
	}
	b.Screenshot("counter")

	// Keyboard first: the channel has the focus; Tab walks the report, then
	// the reporter, then the button.
	if got := b.Focused(); got != "channel" {
		t.Errorf("the counter opens with the focus on %q, want the channel", got)
	}
	var order []string
	for range 40 {
		b.Run("tab", chromedp.KeyEvent(kb.Tab))
		id := b.Focused()
		if id == "" {
			var name string
			b.Eval(`document.activeElement.name || ""`, &name)
			id = "name:" + name
		}
		order = append(order, id)
		if id == "submit" {
			break
		}
	}
	want := []string{"category", "title", "body", "incident_date", "location", "attachments",
		"reporter_name", "reporter_nik", "reporter_phone", "reporter_email", "identity_checked", "reporter_disability", "submit"}
	at := 0
	for _, id := range order {
		if at < len(want) && id == want[at] {
			at++
		}
	}
	if at != len(want) {
		t.Errorf("Tab order %v does not go through %v in that order", order, want)
	}

	// A letter, typed in with a scan of it; Enter in a field saves.
	scan := filepath.Join(t.TempDir(), "surat.pdf")
	if err := os.WriteFile(scan, []byte(tinyPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Select("#channel", model.ChannelLetter)
	b.Select("#category", "ADM-KTP")
	b.Fill("#title", "KTP belum jadi setelah tiga bulan")
	b.Fill("#body", "Surat warga: KTP elektronik belum dicetak sejak Agustus.")
	b.Upload("#attachments", scan)
	b.Fill("#reporter_name", "Ibu Warsini")
	b.Fill("#reporter_nik", "3201234567890123")
	b.Click(`input[name="reporter_gender"][value="perempuan"]`)
	b.Click("#reporter_disability")
	b.Click("#identity_checked")
	b.Fill("#reporter_phone", "0812 7777 8888\n") // Enter
	b.WaitText("h1", "Laporan diterima")
	code := strings.TrimSpace(b.Text("#tracking-code"))
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatalf("complaint %s: %v", code, err)
	}
	for field, want := range map[string]any{"channel": model.ChannelLetter, "reporter_nik": "3201234567890123",
		"reporter_gender": "perempuan", "reporter_disability": true, "identity_checked": true} {
		if got := rec.Get(field); got != want {
			t.Errorf("%s = %v, want %v", field, got, want)
		}
	}
	if n := len(rec.GetStringSlice("attachments")); n != 1 {
		t.Errorf("the scanned letter: %d attachments", n)
	}
	b.Screenshot("counter-done")

	// Ctrl+Enter from the report's text saves too.
	b.Click("#again")
	b.WaitVisible("#channel")
	b.Select("#channel", model.ChannelWhatsApp)
	b.Select("#category", "PEL-ANTRE")
	b.Fill("#title", "Antrean loket lama")
	b.Fill("#reporter_name", "Pak Darto")
	b.Fill("#body", "Pesan WhatsApp: antrean loket KTP lebih dari tiga jam.")
	b.Run("ctrl+enter", chromedp.KeyEvent("\r", chromedp.KeyModifiers(2))) // 2 = Ctrl
	b.WaitText("h1", "Laporan diterima")
	second := strings.TrimSpace(b.Text("#tracking-code"))
	if r, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", second); err != nil || r.GetString("channel") != model.ChannelWhatsApp {
		t.Errorf("Ctrl+Enter: %v", err)
	}

	// Found again by name.
	b.Click("#again")
	b.Fill("#q", "warsini")
	b.Click("#lookup")
	if got := b.WaitText("#results", code); strings.Contains(got, second) {
		t.Error("a lookup by name found another reporter's report")
	}
}
