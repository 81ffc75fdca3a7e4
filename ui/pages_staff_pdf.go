package ui

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jung-kurt/gofpdf"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"simpul/hooks/cases"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
)

// staffSummaryPDF is GET /staf/laporan/{code}/ringkasan: an A4 case
// summary (the report, its deadlines and its whole timeline) for the file
// or a meeting. It applies the same field-level privacy as the desk: the
// reporter appears only where the viewer's role may see them.
func (p *renderer) staffSummaryPDF(e *core.RequestEvent) error {
	noStore(e)
	staff, rec, err := p.loadForStaff(e)
	if staff == nil || rec == nil {
		return err
	}
	lang := Lang(e)
	d, err := cases.ViewFor(p.app, cases.StaffActor(staff, p.office().Code), rec, clock.Now(p.app))
	if err != nil {
		return p.staffForbidden(e)
	}
	office := p.office()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetMargins(18, 16, 18)
	pdf.SetAutoPageBreak(true, 16)
	pdf.SetTitle(vocab.T(lang, "staff.summary")+" "+d.TrackingCode, true)
	pdf.AddPage()
	w, _ := pdf.GetPageSize()
	width := w - 36
	pdf.SetFont("go", "B", 14)
	pdf.MultiCell(width, 7, office.Name, "", "L", false)
	pdf.SetFont("go", "", 10)
	pdf.MultiCell(width, 5, vocab.T(lang, "staff.summary")+" — "+FormatTime(lang, clock.Now(p.app), office.TimeZone), "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("go", "B", 16)
	pdf.MultiCell(width, 8, d.TrackingCode, "", "L", false)
	row := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("go", "B", 10)
		pdf.CellFormat(45, 6, label, "", 0, "L", false, 0, "")
		pdf.SetFont("go", "", 10)
		pdf.MultiCell(width-45, 6, value, "", "L", false)
	}
	row(vocab.T(lang, "staff.col.status"), vocab.Status(lang, d.Status))
	row(vocab.T(lang, "staff.col.title"), d.Title)
	row(vocab.T(lang, "staff.type"), vocab.T(lang, "staff.type."+d.Type))
	row(vocab.T(lang, "staff.col.category"), d.CategoryName)
	row(vocab.T(lang, "staff.unit"), d.UnitName)
	row(vocab.T(lang, "staff.privacy"), vocab.T(lang, "staff.privacy."+d.Privacy))
	row(vocab.T(lang, "staff.received"), p.localTime(lang, d.Created, true))
	row(vocab.T(lang, "staff.col.due"), p.localTime(lang, d.Dates["due_at"], true))
	if d.DuplicateOf != "" {
		row(vocab.T(lang, "staff.duplicate_of"), d.DuplicateOf)
	}
	if d.Reporter != nil {
		var parts []string
		for _, k := range []string{"name", "phone", "email"} {
			if v, ok := d.Reporter[k].(string); ok {
				parts = append(parts, v)
			}
		}
		row(vocab.T(lang, "staff.reporter"), strings.Join(parts, ", "))
	}
	pdf.Ln(2)
	pdf.SetFont("go", "B", 11)
	pdf.MultiCell(width, 6, vocab.T(lang, "staff.body"), "", "L", false)
	pdf.SetFont("go", "", 10)
	pdf.MultiCell(width, 5, d.Body, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("go", "B", 11)
	pdf.MultiCell(width, 6, vocab.T(lang, "staff.timeline"), "", "L", false)
	for _, ev := range d.Timeline {
		what := vocab.T(lang, "staff.event."+ev.Kind)
		if ev.To != "" && ev.From != "" {
			what = vocab.Status(lang, ev.From) + " → " + vocab.Status(lang, ev.To)
		}
		vis := vocab.T(lang, "staff.internal")
		if ev.Public {
			vis = vocab.T(lang, "staff.public")
		}
		pdf.SetFont("go", "B", 9)
		pdf.MultiCell(width, 5, fmt.Sprintf("%d. %s — %s — %s (%s)", ev.Seq,
			p.localTime(lang, strings.Replace(ev.At, "T", " ", 1), true), what, ev.ActorName, vis), "", "L", false)
		if ev.Note != "" {
			pdf.SetFont("go", "", 9)
			pdf.MultiCell(width, 4.5, ev.Note, "", "L", false)
		}
	}
	if err := pdf.Error(); err != nil {
		p.app.Logger().Error("ui: case summary pdf failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return e.InternalServerError("", nil)
	}
	return sendPDF(e, "ringkasan-"+d.TrackingCode+".pdf", buf.Bytes())
}
