// Package receipt lays out Simpul's printed paper: the receipt a reporter
// takes home (58 mm and 80 mm thermal rolls, A4) and the QR posters an
// office puts on its walls (A4, A5). It is pure layout on gofpdf, with the
// Go fonts embedded as subset TrueType fonts (see font.go) and QR codes
// drawn as vectors; it reads no database. Callers pass strings already
// localised and formatted (dates in the office's zone with their
// WIB/WITA/WIT label, category names, type labels).
//
// Receipts are rendered on request, never on the intake path.
//
// Example:
//
//	var buf bytes.Buffer
//	err := receipt.Render(&buf, receipt.Receipt{TrackingCode: "ABCD-EFGH-JKMN", ...}, receipt.Format80)
package receipt

import (
	"errors"
	"fmt"
	"io"
	"simpul/hooks/domain/vocab"
	"strings"
)

// Format is a receipt's paper.
type Format string

// Receipt formats: thermal rolls 58 and 80 mm wide (the page is as tall as
// the content) and A4.
const (
	Format58 Format = "58mm"
	Format80 Format = "80mm"
	FormatA4 Format = "a4"
)

// Formats lists the receipt formats.
var Formats = []Format{Format58, Format80, FormatA4}

// ErrFormat is returned by ParseFormat for an unknown format.
var ErrFormat = errors.New("receipt: unknown format")

// ParseFormat reads a ?format= value: "58mm", "80mm" or "a4" (any case);
// empty means 80mm, the counter's usual roll.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return Format80, nil
	case "58mm", "58":
		return Format58, nil
	case "80mm", "80":
		return Format80, nil
	case "a4":
		return FormatA4, nil
	}
	return "", ErrFormat
}

// Office is the identity printed at the top of every receipt and poster.
type Office struct {
	Name    string
	Code    string
	Address string
	Phone   string
	Email   string
	Logo    []byte // PNG or JPEG; optional
}

// Receipt is what a receipt shows. Every string is printed as given.
type Receipt struct {
	Lang         string // "id" (default) or "en": the receipt's own labels
	Office       Office
	TrackingCode string
	Received     string // date and time in the office's zone, with its label
	Type         string
	Category     string
	Title        string // empty for a confidential report the reader may not see
	Channel      string
	Deadline     string // the next deadline; empty: not shown
	PIN          string
	// Copy marks a reprint: it never carries the PIN (only the reporter
	// saw it, once) and says how to get a new one.
	Copy     bool
	TrackURL string // absolute tracking URL: the QR code and the printed address
	HubID    string // the hub's tracking id, when known
	LaporID  string // the SP4N-LAPOR! tracking id, when known
}

// formatSpec is one paper's measures.
type formatSpec struct {
	width, margin      float64 // mm
	body, small, big   float64 // pt
	head               float64
	qr, logoH, labelFr float64
	minHeight          float64
	fixedHeight        float64 // 0: as tall as the content (rolls)
}

var specs = map[Format]formatSpec{
	// Thermal printers print about 48 mm of a 58 mm roll and 72 mm of an
	// 80 mm roll.
	Format58: {width: 58, margin: 5, body: 7.5, small: 6.5, big: 19, head: 9.5, qr: 32, logoH: 12, labelFr: 0.38, minHeight: 80},
	Format80: {width: 80, margin: 4, body: 9, small: 7.5, big: 24, head: 11, qr: 40, logoH: 15, labelFr: 0.36, minHeight: 80},
	FormatA4: {width: 210, margin: 20, body: 11, small: 9, big: 34, head: 15, qr: 55, logoH: 22, labelFr: 0.3, fixedHeight: 297},
}

// Render writes r as a one-page PDF in format f.
func Render(w io.Writer, r Receipt, f Format) error {
	p, err := layoutReceipt(r, f)
	if err != nil {
		return err
	}
	pdf, err := p.draw(label(r.Lang, "title") + " " + r.TrackingCode)
	if err != nil {
		return err
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("receipt: write: %w", err)
	}
	return nil
}

// scale shrinks a spec's type and QR code by k.
func (s formatSpec) scale(k float64) formatSpec {
	s.body, s.small, s.big, s.head, s.qr, s.logoH = s.body*k, s.small*k, s.big*k, s.head*k, s.qr*k, s.logoH*k
	return s
}

// shrinkSteps are the scales tried, in turn, when a fixed page (A4, a
// poster) cannot hold its content: long names and titles make the type
// smaller instead of failing.
var shrinkSteps = []float64{1, 0.88, 0.77, 0.67, 0.58, 0.5, 0.43}

func layoutReceipt(r Receipt, f Format) (*page, error) {
	spec, ok := specs[f]
	if !ok {
		return nil, ErrFormat
	}
	if err := loadFonts(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(r.TrackingCode) == "" || strings.TrimSpace(r.TrackURL) == "" {
		return nil, errors.New("receipt: tracking code and URL are required")
	}
	// Bound what anyone can make a roll print (the fields' own limits).
	r.Office.Name, r.Office.Address = clip(r.Office.Name, 200), clip(r.Office.Address, 500)
	r.Office.Code, r.Office.Phone, r.Office.Email = clip(r.Office.Code, 32), clip(r.Office.Phone, 32), clip(r.Office.Email, 254)
	r.TrackingCode, r.PIN = clip(r.TrackingCode, 32), clip(r.PIN, 16)
	r.Received, r.Deadline, r.HubID, r.LaporID = clip(r.Received, 64), clip(r.Deadline, 64), clip(r.HubID, 64), clip(r.LaporID, 64)
	r.Type, r.Category, r.Title, r.Channel = clip(r.Type, 100), clip(r.Category, 200), clip(r.Title, 200), clip(r.Channel, 100)
	for _, k := range shrinkSteps {
		if p := layoutReceiptAt(r, spec.scale(k)); p.y <= p.height {
			return p, nil
		}
	}
	return nil, errors.New("receipt: content does not fit the page")
}

func layoutReceiptAt(r Receipt, spec formatSpec) *page {
	lang := r.Lang
	p := newPage(spec.width, spec.margin)
	cw := p.contentWidth()

	// Office identity.
	if len(r.Office.Logo) > 0 {
		p.logo(r.Office.Logo, spec.logoH, cw)
	}
	p.para(r.Office.Name, bold, spec.head, center)
	p.para(r.Office.Address, regular, spec.small, center)
	var contact []string
	if s := clean(r.Office.Code); s != "" {
		contact = append(contact, s)
	}
	if s := clean(r.Office.Phone); s != "" {
		contact = append(contact, label(lang, "phone")+" "+s)
	}
	if s := clean(r.Office.Email); s != "" {
		contact = append(contact, s)
	}
	p.para(strings.Join(contact, " · "), regular, spec.small, center)
	p.rule()

	// The tracking code, big.
	p.para(label(lang, "title"), bold, spec.body, center)
	p.space(1)
	p.para(label(lang, "code"), regular, spec.small, center)
	code := clean(r.TrackingCode)
	size := fitSize(code, bold, spec.big, cw)
	p.textLine(code, bold, size, center, p.margin, cw) // one line, never wrapped
	p.y += lineHeight(size)
	p.rule()

	// The report.
	labels := []string{label(lang, "received"), label(lang, "type"), label(lang, "category"), label(lang, "subject"),
		label(lang, "channel"), label(lang, "deadline"), label(lang, "hub"), label(lang, "lapor")}
	lw := p.labelWidth(spec.body, spec.labelFr, labels...)
	p.row(label(lang, "received"), r.Received, spec.body, lw)
	p.row(label(lang, "type"), r.Type, spec.body, lw)
	p.row(label(lang, "category"), r.Category, spec.body, lw)
	p.row(label(lang, "subject"), r.Title, spec.body, lw)
	p.row(label(lang, "channel"), r.Channel, spec.body, lw)
	p.row(label(lang, "deadline"), r.Deadline, spec.body, lw)
	p.row(label(lang, "lapor"), r.LaporID, spec.body, lw)
	p.row(label(lang, "hub"), r.HubID, spec.body, lw)

	// The PIN, framed, with what it is for.
	if pin := clean(r.PIN); pin != "" {
		p.space(3)
		top := p.y
		p.para(label(lang, "pin"), regular, spec.small, center)
		p.para(pin, bold, spec.big*0.8, center)
		p.para(label(lang, "pin.secret"), regular, spec.small, center)
		p.box(top, 1.2)
		p.space(2.5)
	} else if r.Copy {
		p.space(3)
		top := p.y
		p.para(label(lang, "copy"), bold, spec.small, center)
		p.para(label(lang, "copy.pin"), regular, spec.small, center)
		p.box(top, 1.2)
		p.space(2.5)
	} else {
		p.rule()
	}

	// Where to follow it.
	p.qr(clip(r.TrackURL, 1000), spec.qr) // the QR code holds the URL whole
	p.para(label(lang, "track"), regular, spec.small, center)
	p.para(clip(r.TrackURL, 300), bold, spec.small, center)
	p.space(1)
	p.para(label(lang, "keep"), regular, spec.small, center)
	p.y += spec.margin

	p.height = spec.fixedHeight
	if p.height == 0 {
		p.height = max(p.y, spec.minHeight)
	}
	return p
}

// label is the receipt's and poster's own word for key in lang
// (vocab's receipt.pdf.*); anything but "en" is Bahasa Indonesia.
func label(lang, key string) string { return vocab.T(lang, "receipt.pdf."+key) }
