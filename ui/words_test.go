package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

// No raw internals on the pages (review item 10): roles and channels in
// words, no environment variable or file path, dates with their zone
// (WIB/WITA/WIT), no claim of a SP4N-LAPOR! link an office does not have,
// English category names on staff pages in English.
func TestPagesSpeakWordsNotInternals(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Category: "INF-PJU", Reporter: "Siti", Phone: "081234567890"})
	rec.Set("channel", model.ChannelQR)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	code := rec.GetString("tracking_code")
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	c.loginDesk("koordinator@simpul.test")

	internals := regexp.MustCompile(`\((coordinator|admin|handler|frontdesk|qr|web|kiosk|counter)\)|SIMPUL_[A-Z_]+|docs/[a-z_-]+\.md`)
	dated := regexp.MustCompile(`\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} (WIB|WITA|WIT)`)
	pages := map[string]bool{"/staf": false, "/staf/laporan/" + code: true, "/loket": false, "/staf/sinkron": false,
		"/staf/statistik": false, "/staf/qr": false, "/": false, "/lapor": false}
	for path, hasDates := range pages {
		res, body := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		text := visibleText(body)
		if m := internals.FindString(text); m != "" {
			t.Errorf("%s shows %q", path, m)
		}
		if hasDates && !dated.MatchString(text) {
			t.Errorf("%s: no date with its time zone", path)
		}
		if strings.Contains(text, "Terhubung dengan SP4N-LAPOR!") || strings.Contains(text, "diteruskan ke SP4N-LAPOR!") {
			t.Errorf("%s claims a SP4N-LAPOR! link this office does not have", path)
		}
	}
	_, body := c.get("/staf/laporan/" + code)
	if !strings.Contains(body, "(Kode QR)") || !strings.Contains(body, "Koordinator") {
		t.Error("the case page does not name the channel and role in words")
	}

	// English on the staff pages, category names included.
	_, body = c.get("/staf?lang=en&queue=all")
	if !strings.Contains(body, "Street lighting") || strings.Contains(body, "Penerangan Jalan Umum") {
		t.Error("the staff queue keeps the Indonesian category name in English")
	}
	_, body = c.get("/staf/laporan/" + code)
	if !strings.Contains(body, `id="category">Street lighting`) {
		t.Error("the case page keeps the Indonesian category name in English")
	}
	_, _ = c.get("/staf?lang=id")

	// The monthly PDF names no file.
	res, pdf := c.get("/staf/statistik/bulanan.pdf?month=2026-03")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("monthly pdf: %d", res.StatusCode)
	}
	if txt := pdfcheck.Text(t, []byte(pdf)); internals.MatchString(txt) {
		t.Errorf("the monthly PDF shows %q", internals.FindString(txt))
	}
}

var tagRe = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]+>`)

// visibleText is body without its markup (attributes and scripts gone).
func visibleText(body string) string { return tagRe.ReplaceAllString(body, " ") }
