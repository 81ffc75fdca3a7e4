package receipt

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// PosterSize is a poster's paper.
type PosterSize string

// Poster sizes.
const (
	PosterA4 PosterSize = "a4"
	PosterA5 PosterSize = "a5"
)

// ErrPosterSize is returned by ParsePosterSize for an unknown size.
var ErrPosterSize = errors.New("receipt: unknown poster size")

// ParsePosterSize reads a ?size= value: "a4" or "a5" (any case); empty
// means A4.
func ParsePosterSize(s string) (PosterSize, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "a4":
		return PosterA4, nil
	case "a5":
		return PosterA5, nil
	}
	return "", ErrPosterSize
}

// Poster is a QR point's poster: a large QR code of the point's landing
// page ({public base URL}/q/{slug}) with instructions in Bahasa Indonesia
// and a line in English.
type Poster struct {
	Size     PosterSize
	Office   Office
	Label    string // the point's label, e.g. "Pintu depan / ruang tunggu"
	Location string
	URL      string // absolute
	// Linked: the office syncs to SP4N-LAPOR! (directly or through a
	// hub); only then does the poster say it is connected.
	Linked bool
}

type posterSpec struct {
	width, height, margin  float64
	head, sub, body, small float64
	qr, logoH              float64
}

var posterSpecs = map[PosterSize]posterSpec{
	PosterA4: {width: 210, height: 297, margin: 18, head: 26, sub: 15, body: 13, small: 11, qr: 110, logoH: 20},
	PosterA5: {width: 148, height: 210, margin: 12, head: 18, sub: 11, body: 10, small: 8.5, qr: 76, logoH: 14},
}

// RenderPoster writes p as a one-page PDF.
func RenderPoster(w io.Writer, p Poster) error {
	pg, err := layoutPoster(p)
	if err != nil {
		return err
	}
	pdf, err := pg.draw(label("id", "poster.title") + " — " + clean(p.Label))
	if err != nil {
		return err
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("receipt: write poster: %w", err)
	}
	return nil
}

func layoutPoster(p Poster) (*page, error) {
	size := p.Size
	if size == "" {
		size = PosterA4
	}
	spec, ok := posterSpecs[size]
	if !ok {
		return nil, ErrPosterSize
	}
	if err := loadFonts(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.URL) == "" {
		return nil, errors.New("receipt: poster URL is required")
	}
	p.Office.Name, p.Label, p.Location = clip(p.Office.Name, 200), clip(p.Label, 200), clip(p.Location, 300)
	for _, k := range shrinkSteps {
		if pg := layoutPosterAt(p, spec.scale(k)); pg.y <= pg.height-spec.margin/2 {
			return pg, nil
		}
	}
	return nil, errors.New("receipt: poster content does not fit the page")
}

func (s posterSpec) scale(k float64) posterSpec {
	s.head, s.sub, s.body, s.small, s.qr, s.logoH = s.head*k, s.sub*k, s.body*k, s.small*k, s.qr*k, s.logoH*k
	return s
}

func layoutPosterAt(p Poster, spec posterSpec) *page {
	pg := newPage(spec.width, spec.margin)
	pg.height = spec.height
	if len(p.Office.Logo) > 0 {
		pg.logo(p.Office.Logo, spec.logoH, pg.contentWidth())
	}
	pg.para(p.Office.Name, bold, spec.sub, center)
	pg.rule()
	pg.space(2)
	pg.para(label("id", "poster.title"), bold, spec.head, center)
	pg.para(label("en", "poster.title"), regular, spec.sub, center)
	pg.space(3)
	pg.para(p.Label, bold, spec.sub, center)
	pg.para(p.Location, regular, spec.body, center)
	pg.qr(p.URL, spec.qr)
	pg.para(label("id", "poster.steps"), regular, spec.body, center)
	pg.para(label("en", "poster.steps"), regular, spec.small, center)
	pg.space(3)
	pg.para(label("id", "poster.url")+" / "+label("en", "poster.url"), regular, spec.small, center)
	pg.para(clip(p.URL, 300), bold, spec.body, center)
	pg.space(2)
	if p.Linked {
		pg.para(label("id", "poster.lapor"), regular, spec.small, center)
	}
	return pg
}
