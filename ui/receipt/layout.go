package receipt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/jpeg" // logo headers
	_ "image/png"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// The layout is computed first, as a list of drawing operations with their
// positions (millimetres from the page's top-left corner), and drawn with
// gofpdf afterwards: a thermal roll's page is exactly as tall as its
// content, and the fonts are subset to exactly the runes the page uses.

type align int

const (
	left align = iota
	center
	right
)

type textOp struct {
	style style
	size  float64 // points
	x, y  float64 // baseline start
	w     float64 // measured width
	text  string
}

type rectOp struct {
	x, y, w, h float64
	lineWidth  float64 // 0: filled
}

type qrOp struct {
	x, y, size float64
	content    string
}

type imageOp struct {
	x, y, w, h float64
	kind       string // PNG or JPG
	data       []byte
}

// page is a laid-out page.
type page struct {
	width, height float64
	margin        float64
	y             float64 // next free line, from the top
	texts         []textOp
	rects         []rectOp
	qrs           []qrOp
	images        []imageOp
	used          [numStyles]map[rune]bool
}

func newPage(width, margin float64) *page {
	p := &page{width: width, margin: margin, y: margin}
	for s := range p.used {
		p.used[s] = map[rune]bool{}
	}
	return p
}

func (p *page) contentWidth() float64 { return p.width - 2*p.margin }

// lineHeight is the distance between baselines for a font size.
func lineHeight(sizePt float64) float64 { return sizePt * 1.22 * mmPerPt }

// clean turns control characters and runs of white space into one space
// and drops invisible format characters, so text typed by anyone lays out
// on the page as written.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if unicode.Is(unicode.Cf, r) { // soft hyphens, zero-width and bidi marks: nothing to print
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// clip is clean(s) cut to at most n characters, an ellipsis marking a cut.
func clip(s string, n int) string {
	s = clean(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// wrap breaks s into lines no wider than width at sizePt: at spaces where
// it can, inside a word (URLs, codes) where it must.
func wrap(s string, st style, sizePt, width float64) []string {
	f := fonts[st]
	s = clean(s)
	if s == "" {
		return nil
	}
	var lines []string
	var line strings.Builder
	lineW := 0.0
	spaceW := f.textWidth(" ", sizePt)
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW = 0
	}
	for _, word := range strings.Split(s, " ") {
		ww := f.textWidth(word, sizePt)
		if line.Len() > 0 && lineW+spaceW+ww <= width {
			line.WriteByte(' ')
			line.WriteString(word)
			lineW += spaceW + ww
			continue
		}
		if line.Len() > 0 {
			flush()
		}
		if ww <= width {
			line.WriteString(word)
			lineW = ww
			continue
		}
		// A word wider than the line: break it, preferably after '/', '-'
		// or '.', so a URL stays readable.
		rest := word
		for rest != "" {
			cut, lastSoft, w := 0, 0, 0.0
			for i, r := range rest {
				rw := f.textWidth(string(r), sizePt)
				if w+rw > width && cut > 0 {
					break
				}
				w += rw
				cut = i + utf8.RuneLen(r)
				if r == '/' || r == '-' || r == '.' || r == '?' || r == '&' {
					lastSoft = cut
				}
			}
			if cut < len(rest) && lastSoft > cut/2 {
				cut = lastSoft
			}
			piece := rest[:cut]
			rest = rest[cut:]
			if rest == "" {
				line.WriteString(piece)
				lineW = f.textWidth(piece, sizePt)
				break
			}
			lines = append(lines, piece)
		}
	}
	if line.Len() > 0 {
		flush()
	}
	return lines
}

// textLine places one line of text at the current position.
func (p *page) textLine(s string, st style, sizePt float64, a align, x, width float64) {
	f := fonts[st]
	w := f.textWidth(s, sizePt)
	switch a {
	case center:
		x += (width - w) / 2
	case right:
		x += width - w
	}
	lh := lineHeight(sizePt)
	// Centre the font's ascent..descent box in the line.
	asc, desc := float64(f.ascent)*sizePt/1000*mmPerPt, float64(-f.descent)*sizePt/1000*mmPerPt
	baseline := p.y + (lh-asc-desc)/2 + asc
	p.texts = append(p.texts, textOp{style: st, size: sizePt, x: x, y: baseline, w: w, text: s})
	for _, r := range s {
		p.used[st][r] = true
	}
}

// para lays out a paragraph across the content width.
func (p *page) para(s string, st style, sizePt float64, a align) {
	p.paraAt(s, st, sizePt, a, p.margin, p.contentWidth())
}

func (p *page) paraAt(s string, st style, sizePt float64, a align, x, width float64) {
	for _, line := range wrap(s, st, sizePt, width) {
		p.textLine(line, st, sizePt, a, x, width)
		p.y += lineHeight(sizePt)
	}
}

// row lays out "label  value" in two columns; both wrap.
func (p *page) row(label, value string, sizePt, labelW float64) {
	value = clean(value)
	if value == "" {
		return
	}
	gap := 1.5
	top := p.y
	p.paraAt(label, regular, sizePt, left, p.margin, labelW)
	endLabel := p.y
	p.y = top
	p.paraAt(value, bold, sizePt, left, p.margin+labelW+gap, p.contentWidth()-labelW-gap)
	p.y = max(p.y, endLabel) + 0.6
}

// labelWidth is the label column: as wide as the widest label, at most
// frac of the content width.
func (p *page) labelWidth(sizePt, frac float64, labels ...string) float64 {
	w := 0.0
	for _, l := range labels {
		w = max(w, fonts[regular].textWidth(l, sizePt))
	}
	return min(w+0.5, p.contentWidth()*frac)
}

// fitSize is the largest size up to maxPt at which s fits width.
func fitSize(s string, st style, maxPt, width float64) float64 {
	w := fonts[st].textWidth(s, maxPt)
	if w <= width || w == 0 {
		return maxPt
	}
	return maxPt * width / w * 0.98
}

func (p *page) space(mm float64) { p.y += mm }

// rule draws a thin line across the content width.
func (p *page) rule() {
	p.y += 1.2
	p.rects = append(p.rects, rectOp{x: p.margin, y: p.y, w: p.contentWidth(), h: 0.25})
	p.y += 1.8
}

// box draws a frame from top to the current position.
func (p *page) box(top, pad float64) {
	p.rects = append(p.rects, rectOp{x: p.margin, y: top - pad, w: p.contentWidth(), h: p.y - top + 2*pad, lineWidth: 0.4})
}

// qr lays out a QR code of content, size millimetres wide, with a quiet
// zone of at least four modules (any QR version from 2 up has 25 or more
// modules, so 4/25 of the size is enough). The code itself is encoded when
// the page is drawn.
func (p *page) qr(content string, size float64) {
	quiet := size * 4 / 25
	p.y += quiet
	p.qrs = append(p.qrs, qrOp{x: p.margin + (p.contentWidth()-size)/2, y: p.y, size: size, content: content})
	p.y += size + quiet
}

// logo lays out an office logo, centred, at most maxH tall. A logo gofpdf
// cannot embed (not PNG or JPEG, interlaced or 16-bit PNG) is left out
// rather than failing the receipt.
func (p *page) logo(data []byte, maxH, maxW float64) {
	kind := logoKind(data)
	if kind == "" {
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return
	}
	h := maxH
	w := h * float64(cfg.Width) / float64(cfg.Height)
	if w > maxW {
		w, h = maxW, maxW*float64(cfg.Height)/float64(cfg.Width)
	}
	p.images = append(p.images, imageOp{x: p.margin + (p.contentWidth()-w)/2, y: p.y, w: w, h: h, kind: kind, data: data})
	p.y += h + 1.5
}

func logoKind(b []byte) string {
	switch {
	case len(b) > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "JPG"
	case len(b) > 33 && string(b[:8]) == "\x89PNG\r\n\x1a\n" && string(b[12:16]) == "IHDR":
		depth, interlace := b[24], b[28]
		if depth > 8 || interlace != 0 || binary.BigEndian.Uint32(b[16:]) == 0 {
			return ""
		}
		return "PNG"
	}
	return ""
}

// draw renders the page with gofpdf.
func (p *page) draw(title string) (*gofpdf.Fpdf, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: p.width, Ht: p.height}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Simpul", false)
	// gofpdf compresses the page with a new zlib writer per document
	// (about 1 MB allocated); the page is a few kilobytes of text and
	// rectangles, so leaving it plain costs little size and saves more
	// time than anything else here.
	pdf.SetCompression(false)
	var enc [numStyles]*encoding
	for s := range enc {
		if len(p.used[s]) > 0 {
			enc[s] = newEncoding(style(s), p.used[s])
			if err := enc[s].register(pdf); err != nil {
				return nil, fmt.Errorf("receipt: fonts: %w", err)
			}
		}
	}
	pdf.AddPage()
	for i, im := range p.images {
		name := "logo" + strconv.Itoa(i)
		opt := gofpdf.ImageOptions{ImageType: im.kind}
		pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(im.data))
		pdf.ImageOptions(name, im.x, im.y, im.w, im.h, false, opt, 0, "")
	}
	for _, r := range p.rects {
		if r.lineWidth > 0 {
			pdf.SetLineWidth(r.lineWidth)
			pdf.Rect(r.x, r.y, r.w, r.h, "D")
		} else {
			pdf.Rect(r.x, r.y, r.w, r.h, "F")
		}
	}
	for _, q := range p.qrs {
		if err := drawQR(pdf, q, p.height); err != nil {
			return nil, err
		}
	}
	for _, t := range p.texts {
		e := enc[t.style]
		x := t.x
		// Split the line into runs of one face each.
		var run []byte
		face := -1
		flush := func() {
			if len(run) == 0 {
				return
			}
			pdf.SetFont(e.family(face), "", t.size)
			pdf.Text(x, t.y, string(run))
			x += pdf.GetStringWidth(string(run))
			run = run[:0]
		}
		for _, r := range t.text {
			s := e.slots[r]
			if s.face != face {
				flush()
				face = s.face
			}
			run = append(run, s.code)
		}
		flush()
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("receipt: pdf: %w", err)
	}
	return pdf, nil
}
