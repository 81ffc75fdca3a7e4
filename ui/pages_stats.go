package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
	"simpul/hooks/stats"
)

// The statistics page (/staf/statistik): the figures offices are judged by
// (hooks/stats) for a period and a unit, as big numbers with their
// fractions, server-rendered SVG bar charts, each with a title, a text
// description and a table, and the monthly report PDF. No script, no
// inline style: the charts are styled by classes from stats.css.

// statsPageData is the data of statistik.html.
type statsPageData struct {
	Error     string // an i18n message when the filters were refused
	From, To  string // YYYY-MM-DD
	Unit      string // unit code
	Units     []choice
	UnitFixed string // a handler's own unit, instead of the choice
	Month     string // YYYY-MM for the monthly report form
	CanPrint  bool
	Report    *stats.Report
	KPIs      []statsKPI
	Sections  []statsSection
	Statuses  []choice // label, count
	Overdue   []choice // stage, count
	Periods   []statsPeriod
	// A hub's offices: the filter, and the ranking (shown with two or
	// more offices).
	Office        string // office code
	OfficeChoices []choice
	Offices       []statsOfficeRow
	OfficesNote   string
}

// statsOfficeRow is one office of the ranking.
type statsOfficeRow struct {
	Rank, Label, Code, Capaian, Within string
	Counted, Received, Overdue         int
}

// statsPeriod is a quick choice of period: this month, last month, this
// year.
type statsPeriod struct {
	Label, From, To string
}

func statsPeriods(lang string, now time.Time, tz string) []statsPeriod {
	today := inZone(now, tz)
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	return []statsPeriod{
		{vocab.T(lang, "stats.period.this_month"), day(first), day(today)},
		{vocab.T(lang, "stats.period.last_month"), day(first.AddDate(0, -1, 0)), day(first.AddDate(0, 0, -1))},
		{vocab.T(lang, "stats.period.this_year"), day(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, today.Location())), day(today)},
	}
}

// statsKPI is one big number with its fraction.
type statsKPI struct {
	ID, Label, Value, Fraction string
	Warn                       bool
}

// statsSection is one breakdown: its charts and a table of every figure.
type statsSection struct {
	ID, Title, Note string
	Charts          []statsChart
	Rows            []statsRow
}

// statsChart is a horizontal bar chart laid out for inline SVG.
type statsChart struct {
	ID, Title, Desc string
	Height          int
	Percent         bool // bars are shares of 100 % (a track is drawn)
	Bars            []statsBar
}

type statsBar struct {
	Full, Value         string
	Lines               []string // the label on one or two lines, never cut mid-word
	Y, W, TextY, ValueX int
	LineY               []int // each line's baseline
}

type statsRow struct {
	Label                                                                string
	Received                                                             int
	Routed, Followed, Completed, Capaian, Within, Median, Overdue, Hours string
}

// Chart geometry, in SVG user units (the chart scales to the page width).
const (
	chartLabelX = 212 // labels end here
	chartBarX   = 220 // bars start here
	chartBarMax = 300 // the longest bar (a value label follows it)
	chartRowH   = 36  // room for a label on two lines
	chartBarH   = 18
	chartWidth  = 640
)

func (p *renderer) statsPage(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/staf")
	}
	lang := Lang(e)
	v := stats.StaffViewer(staff)
	now := clock.Now(p.app)
	d := &statsPageData{CanPrint: v.MayPrint()}
	if v.SeesAllUnits() {
		units, err := p.unitChoices(lang, true)
		if err != nil {
			return p.listFailed(e, err)
		}
		d.Units = units
	} else if u, err := p.app.FindRecordById(model.Units, v.UnitID); err == nil {
		d.UnitFixed = u.GetString("name")
	}
	values := e.Request.URL.Query()
	d.Periods = statsPeriods(lang, now, p.office().TimeZone)
	if values.Get("from") == "" && values.Get("to") == "" {
		// Offices report by the month: the last whole month, not the few
		// days of this one.
		values.Set("from", d.Periods[1].From)
		values.Set("to", d.Periods[1].To)
	}
	d.From, d.To, d.Unit, d.Office = values.Get("from"), values.Get("to"), strings.ToUpper(values.Get("unit")), values.Get("office")
	q, err := stats.ParseQuery(p.app, v, values, now)
	if err != nil {
		var qe *stats.QueryError
		if !errors.As(err, &qe) {
			return err
		}
		d.Error = vocab.T(lang, "stats.err."+qe.Code)
		return p.render(e, qe.Status, "statistik.html", d)
	}
	rep, err := stats.Compute(p.app, q, now)
	if err != nil {
		p.app.Logger().Error("ui: statistics failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	d.From, d.To = rep.From, rep.To
	d.Month = rep.To[:7]
	if rep.Unit != nil && v.SeesAllUnits() {
		d.Unit = rep.Unit.Code
	}
	fillStats(d, rep, lang)
	if q.Office == "" && len(rep.ByOffice) > 1 {
		fillOffices(d, rep, lang)
	} else if q.Office != "" {
		d.OfficeChoices = []choice{{Value: "", Label: vocab.T(lang, "stats.all_offices")}, {Value: q.Office, Label: rep.Office.Name}}
	}
	return p.render(e, http.StatusOK, "statistik.html", d)
}

// statsPDF is the monthly report for a staff session (the page's link);
// GET /api/stats/monthly.pdf serves the same to an auth token.
func (p *renderer) statsPDF(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/staf")
	}
	v := stats.StaffViewer(staff)
	if !v.MayPrint() {
		return p.staffForbidden(e)
	}
	lang := Lang(e)
	now := clock.Now(p.app)
	values := e.Request.URL.Query()
	month, err := stats.ParseMonth(p.app, values.Get("month"), now)
	if err != nil {
		return p.statsBadRequest(e, lang)
	}
	unitID, err := stats.UnitScope(p.app, v, values.Get("unit"))
	if err != nil {
		return p.statsBadRequest(e, lang)
	}
	b, err := stats.MonthlyPDF(p.app, month, unitID, now, lang)
	if err != nil {
		p.app.Logger().Error("ui: monthly report failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return sendPDF(e, stats.PDFFilename(lang, month), b)
}

func (p *renderer) statsBadRequest(e *core.RequestEvent, lang string) error {
	return p.render(e, http.StatusBadRequest, "notfound.html", notFoundPage{
		Title: "stats.title", Body: "stats.err.bad_pdf", Links: []link{{"/staf/statistik", "stats.title"}},
	})
}

// fillStats turns a report into what the page shows.
func fillStats(d *statsPageData, rep *stats.Report, lang string) {
	d.Report = rep
	t := rep.Totals
	pct := func(r stats.Ratio) string {
		if r.Pct == nil {
			return "—"
		}
		return vocab.Pct(lang, *r.Pct)
	}
	frac := func(r stats.Ratio, of string) string {
		return fmt.Sprintf("%d/%d %s", r.Num, r.Den, vocab.T(lang, of))
	}
	median, medianNote := "—", vocab.T(lang, "stats.kpi.median.none")
	if t.MedianWorkingDays != nil {
		median = vocab.Num(lang, *t.MedianWorkingDays)
		medianNote = fmt.Sprintf(vocab.T(lang, "stats.kpi.median.note"), vocab.Num(lang, *t.MedianHours))
	}
	d.KPIs = []statsKPI{
		{ID: "received", Label: vocab.T(lang, "stats.kpi.received"), Value: strconv.Itoa(t.Received), Fraction: vocab.T(lang, "stats.kpi.received.note")},
		{ID: "routed", Label: vocab.T(lang, "stats.kpi.routed"), Value: pct(t.Routed), Fraction: frac(t.Routed, "stats.of_received")},
		{ID: "followed", Label: vocab.T(lang, "stats.kpi.followed"), Value: pct(t.FollowedUp), Fraction: frac(t.FollowedUp, "stats.of_routed")},
		{ID: "completed", Label: vocab.T(lang, "stats.kpi.completed"), Value: pct(t.Completed), Fraction: frac(t.Completed, "stats.of_routed")},
		{ID: "capaian", Label: vocab.T(lang, "stats.kpi.capaian"), Value: pct(t.Capaian), Fraction: frac(t.Capaian, "stats.of_flow")},
		{ID: "within", Label: fmt.Sprintf(vocab.T(lang, "stats.kpi.within"), rep.FollowupDays), Value: pct(t.WithinDeadline), Fraction: frac(t.WithinDeadline, "stats.of_followed")},
		{ID: "median", Label: vocab.T(lang, "stats.kpi.median"), Value: median, Fraction: medianNote},
		{ID: "overdue", Label: vocab.T(lang, "stats.kpi.overdue"), Value: strconv.Itoa(t.OverdueNow), Fraction: vocab.T(lang, "stats.kpi.overdue.note"), Warn: t.OverdueNow > 0},
	}
	for _, s := range rep.ByStatus {
		d.Statuses = append(d.Statuses, choice{Value: strconv.Itoa(s.Count), Label: vocab.Status(lang, s.Status)})
	}
	o := rep.OverdueAllPeriods
	d.Overdue = []choice{
		{Value: strconv.Itoa(o.Verification), Label: vocab.T(lang, "stats.overdue.verification")},
		{Value: strconv.Itoa(o.Followup), Label: vocab.T(lang, "stats.overdue.followup")},
		{Value: strconv.Itoa(o.Completion), Label: vocab.T(lang, "stats.overdue.completion")},
	}

	name := func(dim string) func(g stats.Group) string {
		return func(g stats.Group) string {
			switch dim {
			case stats.DimUnit, stats.DimCategory:
				if g.Key == "" {
					return stats.Label(lang, dim, "")
				}
				return g.Label
			}
			return stats.Label(lang, dim, g.Key)
		}
	}
	section := func(id, dim string, gs []stats.Group, note string, withCapaian bool) statsSection {
		label := name(dim)
		s := statsSection{ID: id, Title: vocab.T(lang, "stats.by."+id), Note: note}
		s.Charts = append(s.Charts, countChart(lang, "chart-"+id, s.Title, gs, label))
		if withCapaian {
			s.Charts = append(s.Charts, capaianChart(lang, "chart-"+id+"-capaian", vocab.T(lang, "stats.kpi.capaian")+" — "+s.Title, gs, label))
		}
		for _, g := range gs {
			s.Rows = append(s.Rows, statsRowOf(lang, label(g), g.Figures))
		}
		return s
	}
	genderNote := fmt.Sprintf(vocab.T(lang, "stats.gender.note"), rep.GenderNotGiven, rep.DisabilityDeclared)
	d.Sections = []statsSection{
		section("month", stats.DimMonth, rep.ByMonth, "", false),
		section("unit", stats.DimUnit, rep.ByUnit, "", true),
		section("category", stats.DimCategory, rep.ByCategory, "", false),
		section("channel", stats.DimChannel, rep.ByChannel, "", false),
		section("type", stats.DimType, rep.ByType, "", false),
		section("gender", stats.DimGender, rep.ByGender, genderNote, false),
	}
}

// fillOffices ranks a hub's offices (stats.RankOffices) and offers them as
// a filter.
func fillOffices(d *statsPageData, rep *stats.Report, lang string) {
	d.OfficesNote = fmt.Sprintf(vocab.T(lang, "stats.offices.note"), stats.MinRanked)
	d.OfficeChoices = []choice{{Value: "", Label: vocab.T(lang, "stats.all_offices")}}
	for _, o := range stats.RankOffices(rep.ByOffice) {
		r := statsRowOf(lang, o.Label, o.Figures)
		row := statsOfficeRow{Rank: vocab.T(lang, "stats.offices.unranked"), Label: o.Label, Code: o.Key, Capaian: r.Capaian,
			Within: r.Within, Counted: o.Capaian.Den, Received: o.Received, Overdue: o.OverdueNow}
		if o.Rank > 0 {
			row.Rank = strconv.Itoa(o.Rank)
		}
		d.Offices = append(d.Offices, row)
		d.OfficeChoices = append(d.OfficeChoices, choice{Value: o.Key, Label: o.Label + " (" + o.Key + ")"})
	}
}

func statsRowOf(lang, label string, f stats.Figures) statsRow {
	cell := func(r stats.Ratio) string {
		if r.Pct == nil {
			return "—"
		}
		return fmt.Sprintf("%s (%d/%d)", vocab.Pct(lang, *r.Pct), r.Num, r.Den)
	}
	r := statsRow{Label: label, Received: f.Received, Routed: cell(f.Routed), Followed: cell(f.FollowedUp),
		Completed: cell(f.Completed), Capaian: cell(f.Capaian), Within: cell(f.WithinDeadline),
		Median: "—", Hours: "—", Overdue: strconv.Itoa(f.OverdueNow)}
	if f.MedianWorkingDays != nil {
		r.Median = vocab.Num(lang, *f.MedianWorkingDays)
		r.Hours = vocab.Num(lang, *f.MedianHours)
	}
	return r
}

// countChart draws the reports received per group.
func countChart(lang, id, title string, gs []stats.Group, label func(stats.Group) string) statsChart {
	top := 0
	for _, g := range gs {
		top = max(top, g.Received)
	}
	c := statsChart{ID: id, Title: vocab.T(lang, "stats.chart.received") + " — " + title}
	var desc []string
	for i, g := range gs {
		w := 0
		if top > 0 {
			w = g.Received * chartBarMax / top
		}
		if g.Received > 0 {
			w = max(w, 2) // a small count still shows
		}
		c.Bars = append(c.Bars, bar(i, label(g), strconv.Itoa(g.Received), w))
		desc = append(desc, label(g)+" "+strconv.Itoa(g.Received))
	}
	c.Height = len(gs)*chartRowH + 8
	c.Desc = c.Title + ": " + strings.Join(desc, "; ") + "."
	if len(gs) == 0 {
		c.Desc = c.Title + ": " + vocab.T(lang, "stats.empty")
	}
	return c
}

// capaianChart draws each group's capaian tindak lanjut as a share of 100 %.
func capaianChart(lang, id, title string, gs []stats.Group, label func(stats.Group) string) statsChart {
	c := statsChart{ID: id, Title: title, Percent: true}
	var desc []string
	i := 0
	for _, g := range gs {
		r := g.Capaian
		if r.Pct == nil {
			continue // nothing routed: no share to draw
		}
		v := fmt.Sprintf("%s (%d/%d)", vocab.Pct(lang, *r.Pct), r.Num, r.Den)
		b := bar(i, label(g), v, int(*r.Pct*chartBarMax/100))
		b.ValueX = chartBarX + chartBarMax + 6 // after the 100 % track, never over it
		c.Bars = append(c.Bars, b)
		desc = append(desc, label(g)+" "+v)
		i++
	}
	c.Height = i*chartRowH + 8
	c.Desc = c.Title + ": " + strings.Join(desc, "; ") + "."
	if i == 0 {
		c.Desc = c.Title + ": " + vocab.T(lang, "stats.empty")
	}
	return c
}

func bar(i int, label, value string, w int) statsBar {
	y := 4 + i*chartRowH
	b := statsBar{Full: label, Value: value, Y: y, W: w, TextY: y + chartBarH - 4, ValueX: chartBarX + w + 6}
	b.Lines = labelLines(label, 28)
	if len(b.Lines) == 1 {
		b.LineY = []int{b.TextY}
	} else {
		b.LineY = []int{y + 7, y + 21}
	}
	return b
}

// labelLines breaks label into at most two lines of max runes at spaces;
// only a name longer than two lines loses its end (to "…"; the table
// below the chart and the bar's tooltip have it whole).
func labelLines(label string, max int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(label) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= max:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	lines = append(lines, line)
	for i, l := range lines {
		if r := []rune(l); len(r) > max {
			lines[i] = string(r[:max-1]) + "…"
		}
	}
	if len(lines) > 2 {
		second := []rune(lines[1])
		if len(second) > max-1 {
			second = second[:max-1]
		}
		lines = []string{lines[0], string(second) + "…"}
	}
	return lines
}
