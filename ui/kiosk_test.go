package ui_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

// registerKiosk signs in as an admin and registers this browser as the
// kiosk with idle seconds, as docs/kiosk.md says.
func registerKiosk(b *testkit.Browser, idle string) {
	browserLogin(b, "admin@simpul.test")
	b.Go("/kiosk/setup")
	b.Fill("#token", kioskToken)
	b.Fill("#idle", idle)
	b.Click("#save")
	b.WaitVisible("#start")
}

// smallTargets lists the visible controls on the page smaller than 48 × 48
// CSS pixels (WCAG 2.2's 24 px is the floor; a kiosk wants 48). A radio or
// checkbox counts by the label that wraps it.
const smallTargets = `Array.from(document.querySelectorAll("a, button, input:not([type=hidden]), select, textarea, label.choice"))
  .filter(function(e){ if (e.closest("[hidden]") || e.closest(".hp") || e.closest(".sprite")) return false;
    var t = e; if ((e.type === "radio" || e.type === "checkbox") && e.closest("label")) t = e.closest("label");
    var r = t.getBoundingClientRect(); if (r.width === 0 && r.height === 0) return false;
    return r.width < 48 || r.height < 48; })
  .map(function(e){ return (e.id || e.name || e.className || e.tagName) + " " + Math.round(e.getBoundingClientRect().width) + "x" + Math.round(e.getBoundingClientRect().height); })`

// The kiosk on its portrait touch screen (1080 × 1920): the start screen
// fills it, each step fills it, every target is at least 48 px, topics are
// tiles with icons, "Lanjut" checks its step, choosing Anonim hides the
// identity fields, and the slip carries the full tracking address and a QR
// code of it (the PDF receipt stays a touch away).
func TestBrowserKioskPortrait(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Kiosk)
	registerKiosk(b, "600")

	// The start screen: the button in the middle of the screen.
	var start struct{ X, Y, W, H float64 }
	b.Eval(`(function(){var r=document.getElementById("start").getBoundingClientRect();
	  return {X:r.left+r.width/2, Y:r.top+r.height/2, W:r.width, H:r.height};})()`, &start)
	if start.X < 440 || start.X > 640 || start.Y < 1920/4 || start.Y > 1920*3/4 || start.H < 96 {
		t.Errorf("the start button sits at (%.0f, %.0f), %.0f×%.0f: not a big button in the middle of the screen", start.X, start.Y, start.W, start.H)
	}
	b.Screenshot("start")
	b.Click("#start")
	b.WaitText("#guide", "1/4")
	checkStep := func(n string) {
		t.Helper()
		var h float64
		b.Eval(`document.querySelector('fieldset[data-step="`+n+`"]').getBoundingClientRect().height`, &h)
		if h < 1920*0.7 {
			t.Errorf("step %s is %.0f px high: it does not fill the portrait screen", n, h)
		}
		var small []string
		b.Eval(smallTargets, &small)
		if len(small) > 0 {
			t.Errorf("step %s: targets under 48 px: %v", n, small)
		}
	}
	checkStep("1")
	b.Screenshot("step1")
	b.Click(`fieldset[data-step="1"] .next`)
	b.WaitText("#guide", "2/4")

	// Topics: groups as tiles with icons, no dropdown.
	var groups, icons, selects int
	b.Eval(`document.querySelectorAll(".group-tile").length`, &groups)
	b.Eval(`document.querySelectorAll(".group-tile svg.caticon").length`, &icons)
	b.Eval(`document.querySelectorAll('fieldset[data-step="2"] select#category').length`, &selects)
	if groups < 8 || icons != groups || selects != 0 {
		t.Errorf("topic picker: %d group tiles, %d with icons, %d dropdowns", groups, icons, selects)
	}
	checkStep("2")
	b.Screenshot("step2-groups")
	// "Lanjut" without a topic: told on this step, and it stays.
	b.Click(`fieldset[data-step="2"] .next`)
	b.WaitVisible(".step-error")
	if got := b.Text("#guide"); !strings.HasPrefix(got, "2/4") {
		t.Errorf("Lanjut without a topic moved on to %q", got)
	}
	b.Click("#pick-KES")
	b.WaitVisible("#group-KES")
	checkStep("2")
	b.Screenshot("step2-topics")
	b.Click(`input[name="category"][value="KES-PUSK"]`)
	b.WaitText("#guide", "3/4")

	// The report: checked before moving on; the category's own hint shows.
	if got := b.Text("#body-cat-hint"); !strings.Contains(got, "puskesmas") {
		t.Errorf("no health-specific guidance beside the report: %q", got)
	}
	b.Click(`fieldset[data-step="3"] .next`)
	b.WaitVisible("#title-check")
	if got := b.Focused(); got != "title" {
		t.Errorf("after Lanjut on an empty step the focus is on %q, want the title", got)
	}
	b.Fill("#title", "Antrean obat lama")
	b.Fill("#body", "Menunggu obat di apotek puskesmas lebih dari dua jam pada hari Senin pagi.")
	checkStep("3")
	b.Screenshot("step3")
	b.Click(`fieldset[data-step="3"] .next`)
	b.WaitText("#guide", "4/4")

	// Anonim hides the identity fields.
	if !b.InView("#reporter_name") {
		t.Error("the name field is not shown before choosing Anonim")
	}
	b.Click(`input[name="privacy"][value="anonymous"]`)
	var hidden bool
	b.Eval(`document.getElementById("identity-fields").hidden`, &hidden)
	if !hidden {
		t.Error("choosing Anonim left the name and contact fields on the screen")
	}
	checkStep("4")
	b.Screenshot("step4-anonymous")
	b.Click("#submit")
	b.WaitText("h1", "Laporan diterima")
	b.Screenshot("slip")

	code := strings.TrimSpace(b.Text("#tracking-code"))
	want := srv.URL + "/lacak/" + code
	if got := strings.TrimSpace(b.Text("#track-url")); got != want {
		t.Errorf("the slip's tracking address %q, want the full %q", got, want)
	}
	img, err := png.Decode(bytes.NewReader(b.ElementPNG("#slip-qr svg")))
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfcheck.DecodeQRImage(t, img); got != want {
		t.Errorf("the slip's QR code says %q, want %q", got, want)
	}
	if href := b.Attr("#receipt-pdf", "href"); !strings.Contains(href, "/api/receipts/") {
		t.Errorf("no PDF receipt on the done screen: %q", href)
	}
	// The slip prints on 80 mm paper: a @page size the browser accepts.
	var page string
	b.Eval(`(function(){for (var s of document.styleSheets) { try { for (var r of s.cssRules) {
	  if (r.type === CSSRule.PAGE_RULE && r.selectorText === "slip") return r.style.getPropertyValue("size"); } } catch(e){} } return ""; })()`, &page)
	if !strings.HasPrefix(page, "80mm ") {
		t.Errorf("the slip's @page size is %q, want 80 mm wide", page)
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("channel") != model.ChannelKiosk || rec.GetString("privacy") != model.PrivacyAnonymous {
		t.Errorf("stored as %s/%s", rec.GetString("channel"), rec.GetString("privacy"))
	}
}

// A report the server refuses comes back on the step of the first error,
// and the error summary's link to a field on another step opens that step.
func TestBrowserKioskServerErrorOpensItsStep(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Kiosk)
	registerKiosk(b, "600")
	b.Click("#start")
	b.Click(`fieldset[data-step="1"] .next`)
	b.Click("#pick-INF")
	b.Click(`input[name="category"][value="INF-JALAN"]`)
	b.WaitText("#guide", "3/4")
	b.Fill("#title", "Jalan berlubang")
	b.Fill("#body", "Lubang besar di depan pasar, sudah dua minggu.")
	// A date after today: only the server knows the office's today.
	b.Eval(`document.getElementById("incident_date").removeAttribute("max"); document.getElementById("incident_date").value = "2099-01-01"`, nil)
	b.Click(`fieldset[data-step="3"] .next`)
	b.Click(`input[name="privacy"][value="anonymous"]`)
	b.Click("#submit")
	b.WaitVisible("#form-errors")
	if got := b.Text("#guide"); !strings.HasPrefix(got, "3/4") {
		t.Errorf("the refused report opened on %q, want the step with the date", got)
	}
	b.Click(`fieldset[data-step="3"] .back`)
	b.WaitText("#guide", "2/4")
	b.Click(`#form-errors a[href="#incident_date"]`)
	b.WaitText("#guide", "3/4")
	if got := b.Focused(); got != "incident_date" {
		t.Errorf("the error link put the focus on %q", got)
	}
}
