package stats

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
)

// PDFFilename is the download name of the monthly report of month.
func PDFFilename(lang string, month time.Time) string {
	return text(lang, "filename") + "-" + month.Format("2006-01") + ".pdf"
}

// A4 portrait layout, in millimetres.
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 15.0
	marginTop    = 14.0
	marginBottom = 12.0
	contentW     = pageW - 2*marginX
	rowH         = 5.0
)

// MonthlyPDF renders the one-page monthly report for the head of office:
// the office, the month, the key figures of the reports received that
// month, a small table per unit, the breakdowns by channel, type, gender
// and category, and how many reports are overdue now. It always fits one
// A4 page: when the units do not fit, the smallest are summed in one
// "other units" row. unitID narrows it to one unit (empty: every unit).
func MonthlyPDF(app core.App, month time.Time, unitID string, now time.Time, lang string) ([]byte, error) {
	loc := sla.Zone(app)
	first := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, loc)
	last := first.AddDate(0, 1, -1)
	rep, err := Compute(app, Query{From: first, To: last, UnitID: unitID}, now)
	if err != nil {
		return nil, err
	}
	office, tzLabel := officeIdentity(app, loc)

	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetMargins(marginX, marginTop, marginX)
	pdf.SetAutoPageBreak(false, marginBottom) // the layout below is measured to fit
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	monthLabel := vocab.Month(lang, int(first.Month())) + " " + strconv.Itoa(first.Year())
	pdf.SetTitle(text(lang, "title")+" — "+monthLabel, true)
	pdf.AddPage()
	l := &layout{pdf: pdf}

	// Header.
	l.line("B", 14, 7, office)
	l.line("B", 12, 6.5, text(lang, "title")+" — "+monthLabel)
	unitLabel := text(lang, "all_units")
	if rep.Unit != nil {
		unitLabel = rep.Unit.Name + " (" + rep.Unit.Code + ")"
	}
	l.para("", 8.5, 4.2, fmt.Sprintf("%s: %s – %s (%s) · %s: %s · %s: %s %s",
		text(lang, "period"), first.Format("02-01-2006"), last.Format("02-01-2006"), tzLabel,
		text(lang, "unit"), unitLabel,
		text(lang, "generated"), now.In(loc).Format("02-01-2006 15:04"), tzLabel))
	l.gap(2)

	// Key figures: two rows of four boxes.
	t := rep.Totals
	pct := func(r Ratio) string {
		if r.Pct == nil {
			return "—"
		}
		return vocab.Pct(lang, *r.Pct)
	}
	frac := func(r Ratio, of string) string { return fmt.Sprintf("%d/%d %s", r.Num, r.Den, text(lang, of)) }
	median, medianSub := "—", ""
	if t.MedianWorkingDays != nil {
		median = vocab.Num(lang, *t.MedianWorkingDays)
		medianSub = fmt.Sprintf(text(lang, "median_value"), vocab.Num(lang, *t.MedianHours))
	}
	boxes := [][3]string{
		{text(lang, "received"), strconv.Itoa(t.Received), text(lang, "in_month")},
		{text(lang, "routed"), pct(t.Routed), frac(t.Routed, "of_received")},
		{text(lang, "followed"), pct(t.FollowedUp), frac(t.FollowedUp, "of_routed")},
		{text(lang, "completed"), pct(t.Completed), frac(t.Completed, "of_routed")},
		{text(lang, "capaian"), pct(t.Capaian), fmt.Sprintf("%d/%d %s", t.Capaian.Num, t.Capaian.Den, text(lang, "of_flow"))},
		{fmt.Sprintf(text(lang, "within"), rep.FollowupDays), pct(t.WithinDeadline), frac(t.WithinDeadline, "of_followed")},
		{text(lang, "median"), median, medianSub},
		{text(lang, "overdue"), strconv.Itoa(t.OverdueNow), text(lang, "overdue_in_month_caption")},
	}
	l.boxes(boxes)
	l.gap(2)

	// Status line.
	var st []string
	for _, s := range rep.ByStatus {
		st = append(st, Label(lang, "status", s.Status)+" "+strconv.Itoa(s.Count))
	}
	l.para("", 8, 4, text(lang, "statuses")+": "+strings.Join(st, " · "))
	l.gap(2)

	// Everything below the unit table is measured first, so the table gets
	// exactly the rows that still fit.
	join := func(dim string, gs []Group, limit int, extra ...string) string {
		var parts []string
		for i, g := range gs {
			if limit > 0 && i == limit {
				break
			}
			parts = append(parts, groupLabel(lang, dim, g)+" "+strconv.Itoa(g.Received))
		}
		parts = append(parts, extra...)
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, " · ")
	}
	after := []struct {
		style     string
		size, lh  float64
		text      string
		gapBefore float64
	}{
		{"", 8.5, 4.2, text(lang, "by_channel") + ": " + join(DimChannel, rep.ByChannel, 0), 1},
		{"", 8.5, 4.2, text(lang, "by_type") + ": " + join(DimType, rep.ByType, 0), 0},
		{"", 8.5, 4.2, text(lang, "by_gender") + ": " + join(DimGender, rep.ByGender, 0,
			text(lang, "gender_not_given")+" "+strconv.Itoa(rep.GenderNotGiven),
			text(lang, "disability")+" "+strconv.Itoa(rep.DisabilityDeclared)), 0},
		{"", 8.5, 4.2, text(lang, "by_category") + ": " + join(DimCategory, rep.ByCategory, 6), 0},
		{"B", 9.5, 5, fmt.Sprintf("%s: %d", text(lang, "overdue_all"), rep.OverdueAllPeriods.Total), 2},
		{"", 8.5, 4.2, fmt.Sprintf(text(lang, "overdue_stages"), rep.OverdueAllPeriods.Verification,
			rep.OverdueAllPeriods.Followup, rep.OverdueAllPeriods.Completion), 0},
		{"", 7, 3.5, text(lang, "footnote"), 3},
	}
	const signatureH = 26.0
	need := signatureH
	for _, a := range after {
		need += a.gapBefore + l.measure(a.style, a.size, a.lh, a.text)
	}

	// Unit table.
	l.line("B", 10, 6, text(lang, "by_unit"))
	tableTop := pdf.GetY()
	room := pageH - marginBottom - need - tableTop - 6.5 // header row
	maxRows := max(int(room/rowH), 1)
	units := rep.ByUnit
	var others []Group
	if len(units) > maxRows {
		units, others = units[:maxRows-1], units[maxRows-1:]
	}
	cols := []struct {
		w     float64
		title string
	}{
		{50, text(lang, "col.unit")}, {14, text(lang, "col.received")}, {21, text(lang, "col.routed")},
		{21, text(lang, "col.followed")}, {21, text(lang, "col.completed")},
		{21, fmt.Sprintf(text(lang, "col.within"), rep.FollowupDays)}, {16, text(lang, "col.median")},
		{16, text(lang, "col.overdue")},
	}
	pdf.SetFont("go", "B", 8)
	pdf.SetFillColor(230, 236, 244)
	for i, c := range cols {
		align := "R"
		if i == 0 {
			align = "L"
		}
		pdf.CellFormat(c.w, 6.5, c.title, "B", 0, align, true, 0, "")
	}
	pdf.Ln(6.5)
	pdf.SetFont("go", "", 7.5)
	cell := func(r Ratio) string { // count and share; the denominator is the row's previous column
		if r.Pct == nil {
			return "—"
		}
		return fmt.Sprintf("%d (%s%%)", r.Num, vocab.Num(lang, *r.Pct))
	}
	row := func(name string, f Figures) {
		med := "—"
		if f.MedianWorkingDays != nil {
			med = vocab.Num(lang, *f.MedianWorkingDays)
		}
		vals := []string{fit(pdf, name, cols[0].w-2), strconv.Itoa(f.Received), cell(f.Routed), cell(f.FollowedUp),
			cell(f.Completed), cell(f.WithinDeadline), med, strconv.Itoa(f.OverdueNow)}
		for i, v := range vals {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(cols[i].w, rowH, v, "B", 0, align, false, 0, "")
		}
		pdf.Ln(rowH)
	}
	if len(rep.ByUnit) == 0 {
		pdf.CellFormat(contentW, rowH, text(lang, "none"), "B", 1, "L", false, 0, "")
	}
	for _, g := range units {
		name := groupLabel(lang, DimUnit, g)
		if g.Key != "" {
			name = g.Key + " · " + name // the code tells apart names cut short
		}
		row(name, g.Figures)
	}
	if len(others) > 0 {
		var c counts
		for _, g := range others {
			f := g.Figures
			c.received += f.Received
			c.routed += f.Routed.Num
			c.followed += f.FollowedUp.Num
			c.completed += f.Completed.Num
			c.within += f.WithinDeadline.Num
			c.overdue += f.OverdueNow
			c.inFlow += f.Capaian.Den
			c.flowDone += f.Capaian.Num
		}
		row(fmt.Sprintf(text(lang, "other_units"), len(others)), c.figures()) // no medians: they do not add up
	}

	for _, a := range after {
		l.gap(a.gapBefore)
		l.para(a.style, a.size, a.lh, a.text)
	}

	// Signature block for the head of office.
	l.gap(4)
	pdf.SetFont("go", "", 9)
	pdf.SetX(pageW - marginX - 70)
	pdf.CellFormat(70, 5, text(lang, "signature"), "", 1, "C", false, 0, "")
	pdf.SetY(pdf.GetY() + 14)
	pdf.SetX(pageW - marginX - 70)
	pdf.CellFormat(70, 5, "", "T", 1, "C", false, 0, "")

	if pdf.PageNo() != 1 || pdf.GetY() > pageH-marginBottom+0.01 {
		return nil, fmt.Errorf("stats: monthly report overflows one page (y=%.1f mm)", pdf.GetY())
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("stats: pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("stats: pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// groupLabel names a group of dimension dim in lang: enumerations and
// months are translated, units and categories keep their names.
func groupLabel(lang, dim string, g Group) string {
	switch dim {
	case DimUnit, DimCategory:
		if g.Key == "" {
			return Label(lang, dim, "")
		}
		return g.Label
	}
	return Label(lang, dim, g.Key)
}

// layout writes measured lines down the page.
type layout struct{ pdf *gofpdf.Fpdf }

func (l *layout) gap(h float64) { l.pdf.SetY(l.pdf.GetY() + h) }

// line writes one line, cut to the page width.
func (l *layout) line(style string, size, h float64, s string) {
	l.pdf.SetFont("go", style, size)
	l.pdf.CellFormat(contentW, h, fit(l.pdf, s, contentW-2), "", 1, "L", false, 0, "")
}

// para writes s wrapped to the page width.
func (l *layout) para(style string, size, h float64, s string) {
	l.pdf.SetFont("go", style, size)
	for _, ln := range l.pdf.SplitText(s, contentW) {
		l.pdf.CellFormat(contentW, h, ln, "", 1, "L", false, 0, "")
	}
}

// measure is the height para would take.
func (l *layout) measure(style string, size, h float64, s string) float64 {
	l.pdf.SetFont("go", style, size)
	return float64(len(l.pdf.SplitText(s, contentW))) * h
}

// boxes draws the key figures, four to a row: label, big value, and a
// note of up to two lines (the fraction and what it is of).
func (l *layout) boxes(items [][3]string) {
	const perRow, boxH, gapX, gapY = 4, 21.0, 2.0, 2.0
	w := (contentW - gapX*(perRow-1)) / perRow
	p := l.pdf
	p.SetDrawColor(160, 170, 185)
	p.SetFillColor(243, 246, 250)
	y0 := p.GetY()
	for i, it := range items {
		x := marginX + float64(i%perRow)*(w+gapX)
		y := y0 + float64(i/perRow)*(boxH+gapY)
		p.Rect(x, y, w, boxH, "FD")
		p.SetXY(x+1, y+1)
		p.SetFont("go", "", 7.5)
		p.CellFormat(w-2, 4, fit(p, it[0], w-4), "", 0, "L", false, 0, "")
		p.SetXY(x+1, y+5.5)
		p.SetFont("go", "B", 15)
		p.CellFormat(w-2, 7, fit(p, it[1], w-4), "", 0, "L", false, 0, "")
		p.SetFont("go", "", 6.5)
		lines := p.SplitText(it[2], w-2)
		if len(lines) > 2 {
			lines = append(lines[:1], fit(p, strings.Join(lines[1:], " "), w-4))
		}
		for j, ln := range lines {
			p.SetXY(x+1, y+13.3+float64(j)*3.2)
			p.CellFormat(w-2, 3.2, ln, "", 0, "L", false, 0, "")
		}
	}
	rows := (len(items) + perRow - 1) / perRow
	p.SetXY(marginX, y0+float64(rows)*(boxH+gapY))
}

// fit cuts s with an ellipsis to at most w millimetres in the current font.
func fit(p *gofpdf.Fpdf, s string, w float64) string {
	if p.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// officeIdentity is the office's name and its zone label (WIB, WITA, WIT).
func officeIdentity(app core.App, loc *time.Location) (string, string) {
	name := config.DefaultOfficeName
	if o, _ := settings.OfficeOf(app); o.Name != "" {
		name = o.Name
	}
	return name, vocab.Zone(loc.String())
}
