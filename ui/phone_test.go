package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// A citizen on a 360 × 740 phone: the public list of reports fits the
// screen; a form that comes back with an error shows the error summary on
// the screen with the focus on it and keeps the chosen photo; a wrong PIN
// on the tracking page is told where the person is looking.
func TestBrowserPhone(t *testing.T) {
	app := testkit.New(t)
	for range 4 {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusProses})
		rec.Set("title", "Pelayanan KTP elektronik di kecamatan sangat lambat sekali")
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
	}
	pending := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTertunda})
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Phone)

	// /laporan: every cell on the screen, nothing to scroll sideways.
	b.Go("/laporan")
	b.WaitVisible("#public-reports")
	if over := b.Overflow(); over > 0 {
		t.Errorf("/laporan is %d px wider than a 360 px phone", over)
	}
	var offside int
	b.Eval(`Array.from(document.querySelectorAll("#public-reports td")).filter(function(td){
	  var r = td.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth;}).length`, &offside)
	if offside > 0 {
		t.Errorf("%d cells of /laporan stick out of the phone's screen", offside)
	}
	b.Screenshot("laporan")

	// The citizen form: a photo chosen, the title forgotten.
	pic := filepath.Join(t.TempDir(), "lubang.png")
	if err := os.WriteFile(pic, photo(t), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Go("/lapor")
	if over := b.Overflow(); over > 0 {
		t.Errorf("/lapor is %d px wider than the phone", over)
	}
	b.Select("#category", "INF-JALAN")
	b.Fill("#body", "Lubang besar di depan pasar, sudah dua minggu, motor sering jatuh.")
	b.Upload("#attachments", pic)
	b.Click(`input[name="privacy"][value="anonymous"]`)
	b.Click("#submit")
	b.WaitVisible("#form-errors")
	if got := b.Focused(); got != "form-errors" {
		t.Errorf("after the error the focus is on %q, want the error summary", got)
	}
	if !b.InView("#form-errors") {
		t.Error("the error summary is below the fold")
	}
	if got := b.Text("#held-files"); !strings.Contains(got, "lubang.png") {
		t.Errorf("the chosen photo is not kept: %q", got)
	}
	b.Screenshot("lapor-error")
	b.Fill("#title", "Jalan berlubang di depan pasar")
	b.Click("#submit")
	b.WaitText("h1", "Laporan diterima")
	if over := b.Overflow(); over > 0 {
		t.Errorf("the receipt page is %d px wider than the phone", over)
	}
	var codeOneLine bool
	b.Eval(`(function(){var e=document.getElementById("tracking-code"); return e.getClientRects().length === 1 &&
	  e.getBoundingClientRect().right <= window.innerWidth;})()`, &codeOneLine)
	if !codeOneLine {
		t.Error("the tracking code breaks across lines or runs off the phone's screen")
	}
	b.Screenshot("lapor-done")
	code := strings.TrimSpace(b.Text("#tracking-code"))
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.GetStringSlice("attachments")); n != 1 {
		t.Errorf("the report was stored with %d attachments, want the kept photo", n)
	}

	// Tracking: a wrong PIN is told on the screen, with the focus on it.
	b.Go("/lacak/" + pending.GetString("tracking_code"))
	b.Fill("#message", "Ini fotonya sudah saya kirim lewat loket.")
	b.Fill("#pin", "000000")
	b.Click("#reply-submit")
	b.WaitVisible("#reply-err")
	if got := b.Focused(); got != "reply-err" {
		t.Errorf("after a wrong PIN the focus is on %q", got)
	}
	if !b.InView("#reply-err") {
		t.Error("the wrong-PIN message is below the fold")
	}
	b.Screenshot("lacak-wrong-pin")
}
