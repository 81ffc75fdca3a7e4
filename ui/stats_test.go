package ui_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// TestStatsPage renders /staf/statistik over the fixed data set of
// hooks/stats (its figures are checked by hand there) for each kind of
// staff session.
func TestStatsPage(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)
	clock.Set(app, clock.Fixed(testkit.StatsNow))
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "kes@simpul.test", model.RoleHandler, "KES")
	srv := testkit.Serve(t, app)

	anon := newDeskClient(t, srv.URL)
	if st, _ := anon.get("/staf/statistik"); st != http.StatusSeeOther {
		t.Fatalf("guest: %d, want a redirect to the login", st)
	}
	if st, _ := anon.get("/staf/statistik/bulanan.pdf?month=2026-03"); st != http.StatusSeeOther {
		t.Fatalf("guest pdf: %d", st)
	}

	coord := newDeskClient(t, srv.URL)
	coord.login("koordinator@simpul.test")
	if _, body := coord.get("/staf"); !strings.Contains(body, `href="/staf/statistik"`) {
		t.Error("the staff desk has no link to the statistics")
	}
	st, body := coord.get("/staf/statistik?from=2026-02-01&to=2026-04-30")
	if st != 200 {
		t.Fatalf("coordinator: %d\n%s", st, body)
	}
	for _, want := range []string{
		// Big numbers with their fractions (Indonesian decimal comma).
		`id="kpi-received"><span class="kpi-label">Laporan masuk</span> <span class="kpi-value">9</span>`,
		`<span class="kpi-value">66,7 %</span> <span class="kpi-frac">6/9 dari laporan masuk</span>`,
		`<span class="kpi-value">80 %</span> <span class="kpi-frac">4/5 (proses &#43; selesai) / (terdisposisi &#43; proses &#43; selesai)</span>`,
		`<span class="kpi-value">75 %</span> <span class="kpi-frac">3/4 dari yang ditindaklanjuti</span>`,
		`<span class="kpi-value">4</span> <span class="kpi-frac">= 252,5 jam</span>`,
		`class="kpi warn" id="kpi-overdue"`,
		// Every chart, each an image with a title and a text description.
		`id="chart-month"`, `id="chart-unit"`, `id="chart-unit-capaian"`, `id="chart-category"`,
		`id="chart-channel"`, `id="chart-type"`, `id="chart-gender"`,
		`role="img" aria-labelledby="chart-month-t chart-month-d"`,
		`<desc id="chart-month-d">Laporan masuk — Per bulan: Februari 2026 3; Maret 2026 4; April 2026 2.</desc>`,
		`<desc id="chart-unit-capaian-d">Capaian tindak lanjut — Per unit: Unit KES 100 % (2/2); Unit PUPR 66,7 % (2/3).</desc>`,
		// The tables behind the charts.
		`<th scope="row">Unit PUPR</th><td class="num">3</td><td class="num">100 % (3/3)</td>`,
		`<th scope="row">Perempuan</th><td class="num">4</td>`,
		`2 laporan tanpa isian`,
		`id="overdue-all"><strong>Laporan terlambat saat ini, semua periode: 3</strong>`,
		`id="pdf-form"`, `name="month" value="2026-04"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// CSP: no inline script, handler or style anywhere (ui/security.go).
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+="|style="|<style`).MatchString(body) {
		t.Error("inline script or style on the statistics page")
	}
	for _, s := range []string{testkit.ReporterName, "6281299887766", testkit.ReporterEmail, "Jalan rusak"} {
		if strings.Contains(body, s) {
			t.Errorf("the page shows %q", s)
		}
	}

	// Filters: one unit, in English.
	_, body = coord.get("/staf/statistik?from=2026-03-01&to=2026-03-31&unit=PUPR&lang=en")
	for _, want := range []string{`Key figures`, `<option value="PUPR" selected>`, `<span class="kpi-value">3</span>`,
		`<span class="kpi-value">66.7 %</span> <span class="kpi-frac">2/3 (in progress &#43; completed) / (routed &#43; in progress &#43; completed)</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("PUPR in English lacks %s", want)
		}
	}
	// Bad filters: 400 with the form and a message, no figures.
	st, body = coord.get("/staf/statistik?from=2026-02-30")
	if st != 400 || !strings.Contains(body, `id="stats-error"`) || !strings.Contains(body, `id="stats-filters"`) || strings.Contains(body, `id="kpis"`) {
		t.Errorf("bad date: %d", st)
	}

	// The monthly report from the page's form.
	res, err := coord.c.Get(srv.URL + "/staf/statistik/bulanan.pdf?month=2026-03&unit=")
	if err != nil {
		t.Fatal(err)
	}
	pdf := readAll(t, res)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" ||
		len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)) != 1 {
		t.Errorf("monthly pdf: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if st, _ := coord.get("/staf/statistik/bulanan.pdf?month=maret"); st != 400 {
		t.Errorf("bad month: %d", st)
	}

	// A handler sees their own unit only, whatever the URL asks, and no PDF.
	h := newDeskClient(t, srv.URL)
	h.login("kes@simpul.test")
	st, body = h.get("/staf/statistik?from=2026-02-01&to=2026-04-30&unit=PUPR")
	if st != 200 || !strings.Contains(body, `id="unit-fixed">Unit KES</span>`) ||
		!strings.Contains(body, `<span class="kpi-value">3</span>`) || strings.Contains(body, "Unit PUPR") ||
		strings.Contains(body, `id="pdf-form"`) || strings.Contains(body, `<select id="unit"`) {
		t.Errorf("handler page: %d", st)
	}
	if st, _ := h.get("/staf/statistik/bulanan.pdf?month=2026-03"); st != http.StatusForbidden {
		t.Errorf("handler pdf: %d", st)
	}
}

func readAll(t *testing.T, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBrowserStatsPage checks in Chromium that the charts are drawn under
// the page's CSP: the stylesheet reaches the SVG (the bars get their fill
// from a class, never an inline style) and every bar has its width.
func TestBrowserStatsPage(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)
	clock.Set(app, clock.Fixed(testkit.StatsNow))
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Go("/staf")
	b.Fill("#email", "koordinator@simpul.test")
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#stats-link")
	b.Click("#stats-link")
	b.WaitVisible("#stats-filters")
	b.Eval(`document.querySelector('#from').value = '2026-02-01'; document.querySelector('#to').value = '2026-04-30'`, nil)
	b.Click("#apply")
	b.WaitText("#period", "2026-02-01")
	if got := b.Text("#kpi-received .kpi-value"); got != "9" {
		t.Errorf("received: %q", got)
	}
	var fill string
	b.Eval(`getComputedStyle(document.querySelector('#chart-unit .bar')).fill`, &fill)
	if fill != "rgb(11, 83, 148)" {
		t.Errorf("bar fill %q: stats.css did not reach the SVG", fill)
	}
	var widths []float64
	b.Eval(`[...document.querySelectorAll('#chart-month .bar')].map(r => r.getBBox().width)`, &widths)
	// Months: Feb 3, Mar 4, Apr 2 → 300 × 3/4, 300, 300 × 2/4.
	if len(widths) != 3 || widths[0] != 225 || widths[1] != 300 || widths[2] != 150 {
		t.Errorf("month bars %v, want [225 300 150]", widths)
	}
}

// TestStatsOfficesRanking: on a hub the page ranks the offices by capaian
// tindak lanjut (hooks/stats.RankOffices) beside each office's volume, with
// offices below the minimum listed unranked, and an office filter that
// restricts the whole page to one office's cases.
func TestStatsOfficesRanking(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)
	clock.Set(app, clock.Fixed(testkit.StatsNow))
	testkit.Node(t, app, "nodepkma0000001", "PKM-A", "rahasia-a", true)
	testkit.Node(t, app, "nodepkmb0000001", "PKM-B", "rahasia-b", true)
	// Twelve more routed reports at PKM-A (10 followed up), two at PKM-B.
	for i := 0; i < 14; i++ {
		c := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTerdisposisi, Unit: "KES"})
		office, status := "PKM-A", model.StatusProses
		if i >= 12 {
			office = "PKM-B"
		} else if i >= 10 {
			status = model.StatusTerdisposisi
		}
		if _, err := app.DB().NewQuery("UPDATE complaints SET office = {:o}, status = {:s}, disposed_at = {:d}, created = {:c} WHERE id = {:id}").
			Bind(map[string]any{"o": office, "s": status, "d": "2026-03-02 03:00:00.000Z", "c": "2026-03-02 02:00:00.000Z", "id": c.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	coord := newDeskClient(t, srv.URL)
	coord.login("koordinator@simpul.test")
	st, body := coord.get("/staf/statistik?from=2026-02-01&to=2026-04-30")
	if st != 200 {
		t.Fatalf("coordinator: %d\n%s", st, body)
	}
	table := body[strings.Index(body, `id="table-office"`):]
	table = table[:strings.Index(table, "</table>")]
	rows := regexp.MustCompile(`<tr><td class="num">([^<]*)</td><th scope="row"><a href="[^"]*office=([A-Z0-9-]+)"`).FindAllStringSubmatch(table, -1)
	var got []string
	for _, r := range rows {
		got = append(got, r[1]+" "+r[2])
	}
	// PKM-A: 10 of 12 (83,3 %), ranked. PKM-B: 2 in the rate, too few. The
	// hub's own reports (the fixture's office, 5 in the rate): too few.
	if len(got) != 3 || got[0] != "1 PKM-A" || !strings.HasPrefix(got[1], "belum ") || !strings.HasPrefix(got[2], "belum ") {
		t.Fatalf("ranking rows %q in\n%s", got, table)
	}
	if !strings.Contains(table, `<td class="num">83,3 % (10/12)</td><td class="num">12</td><td class="num">12</td>`) {
		t.Errorf("PKM-A's rate, counted and received:\n%s", table)
	}
	if !strings.Contains(body, "paling sedikit 10 laporannya") {
		t.Error("the page does not say when an office is ranked")
	}

	st, body = coord.get("/staf/statistik?from=2026-02-01&to=2026-04-30&office=PKM-B")
	if st != 200 || !strings.Contains(body, `<strong id="office-name">Puskesmas PKM-B</strong>`) ||
		!strings.Contains(body, `id="kpi-received"><span class="kpi-label">Laporan masuk</span> <span class="kpi-value">2</span>`) ||
		strings.Contains(body, `id="table-office"`) {
		t.Fatalf("one office: %d\n%s", st, body)
	}
	if st, _ := coord.get("/staf/statistik?office=bukan%20kode"); st != http.StatusBadRequest {
		t.Fatalf("a bad office code: %d", st)
	}
}
