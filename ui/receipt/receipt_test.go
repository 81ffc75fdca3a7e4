package receipt

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"simpul/ui/testkit/pdfcheck"
)

func render(t *testing.T, r Receipt, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, f); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	return buf.Bytes()
}

func renderPoster(t *testing.T, p Poster) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderPoster(&buf, p); err != nil {
		t.Fatalf("poster %s: %v", p.Size, err)
	}
	return buf.Bytes()
}

// checkPDF asserts a one-page PDF of the given width (mm), and height
// when h > 0, no larger than maxBytes.
func checkPDF(t *testing.T, name string, pdf []byte, w, h float64, maxBytes int) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("%s: not a complete PDF", name)
	}
	if n := pdfcheck.PageCount(pdf); n != 1 {
		t.Fatalf("%s: %d pages, want 1", name, n)
	}
	gw, gh := pdfcheck.MediaBox(t, pdf)
	if math.Abs(gw-w) > 0.1 || (h > 0 && math.Abs(gh-h) > 0.1) {
		t.Fatalf("%s: page %.1f × %.1f mm, want width %.0f (height %.0f)", name, gw, gh, w, h)
	}
	if len(pdf) > maxBytes {
		t.Fatalf("%s: %d bytes, more than %d", name, len(pdf), maxBytes)
	}
}

func TestRenderFormats(t *testing.T) {
	r := sampleReceipt()
	for _, tc := range []struct {
		f    Format
		w, h float64
	}{{Format58, 58, 0}, {Format80, 80, 0}, {FormatA4, 210, 297}} {
		pdf := render(t, r, tc.f)
		checkPDF(t, string(tc.f), pdf, tc.w, tc.h, 40<<10) // issue 3: an 80 mm receipt ≤ 40 KB
		if tc.h == 0 {
			_, h := pdfcheck.MediaBox(t, pdf)
			if h < 80 || h > 297 {
				t.Fatalf("%s: roll height %.0f mm", tc.f, h)
			}
		}
	}
	for _, tc := range []struct {
		s    PosterSize
		w, h float64
	}{{PosterA4, 210, 297}, {PosterA5, 148, 210}} {
		checkPDF(t, "poster "+string(tc.s), renderPoster(t, samplePoster(tc.s)), tc.w, tc.h, 40<<10)
	}
}

// A thermal roll's page is as tall as its content.
func TestRollHeightFollowsContent(t *testing.T) {
	short := sampleReceipt()
	long := sampleReceipt()
	long.Title = strings.Repeat("Lampu jalan padam di sepanjang jalan desa ", 4)
	long.LaporID, long.HubID = "LPR-2026-00012345", "KAB-7H2K-9QXM-A"
	_, hs := pdfcheck.MediaBox(t, render(t, short, Format58))
	_, hl := pdfcheck.MediaBox(t, render(t, long, Format58))
	if hl <= hs+10 {
		t.Fatalf("58 mm: a receipt with a long title and two more ids is %.0f mm, a short one %.0f mm", hl, hs)
	}
	_, a4 := pdfcheck.MediaBox(t, render(t, long, FormatA4))
	if math.Abs(a4-297) > 0.1 {
		t.Fatalf("A4 height %.1f", a4)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": Format80, "80mm": Format80, "58mm": Format58, "58MM": Format58, " a4 ": FormatA4, "A4": FormatA4} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"a5", "100mm", "pdf", "58mm;"} {
		if _, err := ParseFormat(in); err != ErrFormat {
			t.Errorf("ParseFormat(%q): %v", in, err)
		}
	}
	for in, want := range map[string]PosterSize{"": PosterA4, "a4": PosterA4, "A5": PosterA5} {
		if got, err := ParsePosterSize(in); err != nil || got != want {
			t.Errorf("ParsePosterSize(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePosterSize("a3"); err != ErrPosterSize {
		t.Errorf("ParsePosterSize(a3): %v", err)
	}
	var buf bytes.Buffer
	if err := Render(&buf, sampleReceipt(), "a5"); err != ErrFormat {
		t.Errorf("Render a5: %v", err)
	}
	if err := RenderPoster(&buf, Poster{Size: "a3", URL: "https://x/q/y"}); err != ErrPosterSize {
		t.Errorf("RenderPoster a3: %v", err)
	}
}

var (
	fontStreamRe = regexp.MustCompile(`<</Length (\d+)\n/Filter /FlateDecode\n/Length1 (\d+)\n>>\nstream\n`)
	diffRe       = regexp.MustCompile(`/Differences \[([^\]]*)\]`)
)

// embeddedFonts returns the TrueType files embedded in pdf.
func embeddedFonts(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, m := range fontStreamRe.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		raw, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		ttf, err := io.ReadAll(zr)
		if err != nil || len(ttf) != raw {
			t.Fatalf("font stream: %d bytes of %d, %v", len(ttf), raw, err)
		}
		out = append(out, ttf)
	}
	return out
}

// The sample's characters are drawn with real glyphs: the PDF's encoding
// names each of them, and the embedded subset fonts, read by an
// independent TrueType parser (x/image/font/sfnt), map each to a glyph
// with an outline.
func TestUTF8Glyphs(t *testing.T) {
	pdf := render(t, sampleReceipt(), Format80)
	var diffs string
	for _, m := range diffRe.FindAllSubmatch(pdf, -1) {
		diffs += " " + string(m[1])
	}
	fontsIn := embeddedFonts(t, pdf)
	if len(fontsIn) != 2 {
		t.Fatalf("%d embedded fonts, want 2 (regular and bold)", len(fontsIn))
	}
	regularFont, err := sfnt.Parse(fontsIn[0])
	if err != nil {
		t.Fatalf("embedded subset does not parse: %v", err)
	}
	if _, err := sfnt.Parse(fontsIn[1]); err != nil {
		t.Fatalf("embedded subset does not parse: %v", err)
	}
	var buf sfnt.Buffer
	for _, r := range utf8Sample {
		if r < 0x80 {
			continue
		}
		if name := fmt.Sprintf("/uni%04X", r); !strings.Contains(diffs, name) {
			t.Errorf("%q (%s) is not in the PDF's encoding: %s", r, name, diffs)
		}
		var found bool
		for _, ttf := range fontsIn {
			f, _ := sfnt.Parse(ttf)
			g, err := f.GlyphIndex(&buf, r)
			if err != nil || g == 0 {
				continue
			}
			segs, err := f.LoadGlyph(&buf, g, fixed.I(100), nil)
			if err != nil || len(segs) == 0 {
				t.Errorf("%q: glyph %d has no outline (%v)", r, g, err)
			}
			found = true
		}
		if !found {
			t.Errorf("%q has no glyph in the embedded fonts", r)
		}
	}
	// Glyphs the page does not use are not embedded.
	if g, _ := regularFont.GlyphIndex(&buf, 'Ж'); g != 0 {
		t.Error("the subset carries glyphs the page does not use")
	}
	var metrics font.Metrics
	if metrics, err = regularFont.Metrics(&buf, fixed.I(1000), font.HintingNone); err != nil || metrics.Ascent <= 0 {
		t.Errorf("subset metrics: %+v %v", metrics, err)
	}
}

// pdftotext (poppler, no shared code with gofpdf) reads back every label
// and value, the UTF-8 sample included.
func TestTextExtraction(t *testing.T) {
	r := sampleReceipt()
	r.HubID, r.LaporID = "KAB-7H2K-9QXM-A", "LPR-2026-00012345"
	txt := pdfcheck.Text(t, render(t, r, FormatA4))
	for _, want := range []string{utf8Sample, r.Office.Name, r.Office.Code, r.Office.Phone, r.TrackingCode, "TANDA TERIMA LAPORAN", "Kode pelacakan", r.Received, r.Type,
		r.Category, r.Title, r.Channel, "Batas waktu berikutnya", r.Deadline, "PIN", r.PIN, "Rahasiakan PIN ini",
		"ID SP4N-LAPOR!", r.LaporID, "ID pelacakan hub", r.HubID, r.TrackURL, "Lacak laporan Anda di"} {
		if !strings.Contains(txt, want) {
			t.Errorf("A4 receipt text lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "?") {
		t.Errorf("a character came out as '?':\n%s", txt)
	}
	r.Lang = "en"
	txt = pdfcheck.Text(t, render(t, r, FormatA4))
	for _, want := range []string{"COMPLAINT RECEIPT", "Tracking code", "Next deadline", "Keep this PIN secret", "Track your report at"} {
		if !strings.Contains(txt, want) {
			t.Errorf("English receipt lacks %q", want)
		}
	}
	// No ids, no rows.
	txt = pdfcheck.Text(t, render(t, sampleReceipt(), FormatA4))
	if strings.Contains(txt, "LAPOR!") || strings.Contains(txt, "hub") {
		t.Errorf("ids printed although unknown:\n%s", txt)
	}
	p := samplePoster(PosterA5)
	txt = pdfcheck.Text(t, renderPoster(t, p))
	for _, want := range []string{p.Label, p.Location, p.URL, "Pindai kode QR", "Scan this QR code"} {
		if !strings.Contains(strings.ReplaceAll(txt, "\n", " "), want) {
			t.Errorf("poster lacks %q:\n%s", want, txt)
		}
	}
}

// Long titles wrap inside the margins in every format: checked on the
// layout and, independently, on the word boxes pdftotext finds.
func TestLongTitleWraps(t *testing.T) {
	r := sampleReceipt()
	r.Title = "Pelayanan administrasi kependudukan sangat lambat dan petugas meminta biaya tambahan di luar ketentuan " +
		strings.Repeat("X", 90) + " " + utf8Sample
	r.Office.Name = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju Provinsi Jawa Barat"
	r.TrackURL = "https://pengaduan.dinas-kependudukan-dan-pencatatan-sipil.sukamaju.go.id/lacak/ABCD-EFGH-JKMN"
	for _, f := range Formats {
		p, err := layoutReceipt(r, f)
		if err != nil {
			t.Fatal(err)
		}
		titleLines := 0
		for _, op := range p.texts {
			if op.x < p.margin-0.01 || op.x+op.w > p.width-p.margin+0.01 {
				t.Errorf("%s: %q runs from %.2f to %.2f mm, outside %.2f–%.2f", f, op.text, op.x, op.x+op.w, p.margin, p.width-p.margin)
			}
			if strings.Contains(op.text, "XXXX") || strings.Contains(op.text, "Pelayanan") {
				titleLines++
			}
		}
		if titleLines < 2 {
			t.Errorf("%s: the title takes %d lines", f, titleLines)
		}
		pdf := render(t, r, f)
		spec := specs[f]
		for _, pg := range pdfcheck.Words(t, pdf) {
			right := (spec.width - spec.margin + 0.5) * 72 / 25.4
			for _, w := range pg.Words {
				if w.XMax > right || w.XMin < (spec.margin-0.5)*72/25.4 {
					t.Errorf("%s: %q spans %.1f–%.1f pt, page %.1f pt wide", f, w.Text, w.XMin, w.XMax, pg.Width)
				}
			}
		}
	}
}

// The QR codes decode, with an independent decoder on a 300 dpi raster,
// to the tracking URL (receipts) and the QR point's URL (posters).
func TestQRCodesDecode(t *testing.T) {
	r := sampleReceipt()
	for _, f := range Formats {
		if got := pdfcheck.DecodeQR(t, render(t, r, f)); got != r.TrackURL {
			t.Errorf("%s: QR says %q, want %q", f, got, r.TrackURL)
		}
	}
	for _, s := range []PosterSize{PosterA4, PosterA5} {
		p := samplePoster(s)
		if got := pdfcheck.DecodeQR(t, renderPoster(t, p)); got != p.URL {
			t.Errorf("poster %s: QR says %q, want %q", s, got, p.URL)
		}
	}
}

func testLogo(t *testing.T, kind string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 60, 30))
	for x := 0; x < 60; x++ {
		for y := 0; y < 30; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), 80, uint8(y * 8), 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if kind == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLogo(t *testing.T) {
	for _, kind := range []string{"png", "jpeg"} {
		r := sampleReceipt()
		r.Office.Logo = testLogo(t, kind)
		for _, f := range Formats {
			if pdf := render(t, r, f); !bytes.Contains(pdf, []byte("/Subtype /Image")) {
				t.Errorf("%s %s: logo not embedded", kind, f)
			}
		}
		p := samplePoster(PosterA4)
		p.Office.Logo = r.Office.Logo
		if pdf := renderPoster(t, p); !bytes.Contains(pdf, []byte("/Subtype /Image")) {
			t.Errorf("%s poster: logo not embedded", kind)
		}
	}
	// A logo gofpdf cannot read is left out; the receipt still prints.
	r := sampleReceipt()
	for _, bad := range [][]byte{[]byte("GIF89a not a logo"), []byte("\x89PNG\r\n\x1a\n broken"), {0xFF, 0xD8, 0xFF, 0x00}} {
		r.Office.Logo = bad
		if pdf := render(t, r, Format80); bytes.Contains(pdf, []byte("/Subtype /Image")) {
			t.Error("a broken logo was embedded")
		}
	}
}

// Whatever people type prints: markup stays text, control characters
// become spaces, unbroken strings wrap, and characters the Go fonts lack
// keep their Unicode name (text extraction finds them) instead of
// becoming '?'.
func TestOddInput(t *testing.T) {
	r := sampleReceipt()
	r.Title = "<script>alert(1)</script>\x00\x07\r\n\tTab (kurung) \\ garis\u00ad\u200b miring " + strings.Repeat("😀汉", 3) + strings.Repeat("W", 400)
	r.Category = ""
	r.PIN = ""
	for _, f := range Formats {
		pdf := render(t, r, f)
		if !bytes.Contains(pdf, []byte("/u01F600")) || !bytes.Contains(pdf, []byte("/uni6C49")) {
			t.Errorf("%s: characters without glyphs lost their names", f)
		}
		if bytes.Contains(pdf, []byte("/uni00AD")) || bytes.Contains(pdf, []byte("/uni200B")) {
			t.Errorf("%s: invisible format characters were printed", f)
		}
	}
	txt := pdfcheck.Text(t, render(t, r, FormatA4))
	for _, want := range []string{"<script>alert(1)</script>", "Tab (kurung) \\ garis miring", "😀汉😀汉"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if _, err := layoutReceipt(Receipt{TrackURL: "https://x/lacak/A"}, Format80); err == nil {
		t.Error("a receipt without a tracking code was laid out")
	}
}

// More distinct characters than one single-byte face holds spill into
// further faces of the same embedded font.
func TestManyDistinctCharacters(t *testing.T) {
	var b strings.Builder
	// Words of two letters: pdftotext joins runs of one-letter words
	// ("letter-spaced" text) whatever the gaps.
	for r := rune(0x100); r < 0x17F; r += 2 { // Latin Extended-A
		b.WriteRune(r)
		b.WriteRune(r + 1)
		b.WriteByte(' ')
	}
	var cyr strings.Builder
	for r := rune(0x410); r < 0x44F; r++ { // Cyrillic
		cyr.WriteRune(r)
	}
	r := sampleReceipt()
	r.Title, r.Category = b.String(), cyr.String()
	p, err := layoutReceipt(r, FormatA4)
	if err != nil {
		t.Fatal(err)
	}
	if e := newEncoding(bold, p.used[bold]); e.faces < 2 {
		t.Fatalf("%d runes in %d face(s)", len(p.used[bold]), e.faces)
	}
	pdf := render(t, r, FormatA4)
	if n := len(embeddedFonts(t, pdf)); n != 2 {
		t.Fatalf("%d embedded font files, want 2: faces must share their style's file", n)
	}
	txt := strings.ReplaceAll(pdfcheck.Text(t, pdf), "\n", " ")
	for _, want := range []string{"Āā Ăă", "żŽ žſ", "АБВГД", "эю"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// Render is safe for concurrent use (the fonts are parsed once and then
// only read; compressors come from a pool).
func TestConcurrentRender(t *testing.T) {
	done := make(chan []byte)
	for i := 0; i < 8; i++ {
		go func(i int) {
			r := sampleReceipt()
			r.Title = fmt.Sprintf("Laporan nomor %d — Müller", i)
			var buf bytes.Buffer
			if err := Render(&buf, r, Formats[i%len(Formats)]); err != nil {
				t.Error(err)
			}
			done <- buf.Bytes()
		}(i)
	}
	for i := 0; i < 8; i++ {
		if pdf := <-done; !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Error("not a PDF")
		}
	}
}

// FuzzRender: whatever a reporter or an office types, a receipt and a
// poster come out (the seeds run with every go test).
func FuzzRender(f *testing.F) {
	for _, s := range []string{"", " ", utf8Sample, "<script>alert(1)</script>", "\x00\xff\xfe", strings.Repeat("ǅ", 300),
		"😀汉\u200b\u00ad\u202e", strings.Repeat("a-/", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := sampleReceipt()
		r.Title, r.Office.Name, r.Office.Address, r.Category, r.Type, r.Channel = s, s, s, s, s, s
		for _, fm := range []Format{Format58, FormatA4} {
			if err := Render(io.Discard, r, fm); err != nil {
				t.Fatalf("%s: %v", fm, err)
			}
		}
		p := samplePoster(PosterA4)
		p.Label, p.Location, p.Office.Name = s, s, s
		if err := RenderPoster(io.Discard, p); err != nil {
			t.Fatal(err)
		}
	})
}

// FitLogo makes any uploaded logo small and opaque: a receipt with a big
// transparent logo stays within the size target and carries no soft mask.
func TestFitLogo(t *testing.T) {
	encode := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	// Flat artwork on a transparent background, 2400×1200.
	art := image.NewNRGBA(image.Rect(0, 0, 2400, 1200))
	for x := 0; x < 2400; x++ {
		for y := 0; y < 1200; y++ {
			if dx, dy := x-600, y-600; dx*dx+dy*dy < 500*500 {
				art.Set(x, y, color.NRGBA{0, 90, 160, 255})
			} else if x > 1200 && y > 400 && y < 800 && (x/100)%2 == 0 {
				art.Set(x, y, color.NRGBA{200, 30, 30, 255})
			}
		}
	}
	// A photograph-like noise, 900×900.
	photo := image.NewNRGBA(image.Rect(0, 0, 900, 900))
	for x := 0; x < 900; x++ {
		for y := 0; y < 900; y++ {
			photo.Set(x, y, color.NRGBA{uint8(x * y), uint8(x + 3*y), uint8(x ^ y), 255})
		}
	}
	for _, tc := range []struct {
		name string
		raw  []byte
		w, h int
	}{{"artwork", encode(art), 400, 200}, {"photo", encode(photo), 200, 200}, {"small jpeg", testLogo(t, "jpeg"), 60, 30}} {
		fitted, err := FitLogo(tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(fitted))
		if err != nil || cfg.Width != tc.w || cfg.Height != tc.h {
			t.Fatalf("%s: fitted %dx%d, want %dx%d (%v)", tc.name, cfg.Width, cfg.Height, tc.w, tc.h, err)
		}
		r := sampleReceipt()
		r.Office.Logo = fitted
		pdf := render(t, r, Format80)
		if !bytes.Contains(pdf, []byte("/Subtype /Image")) || bytes.Contains(pdf, []byte("/SMask")) {
			t.Fatalf("%s: not embedded, or with a soft mask", tc.name)
		}
		if len(pdf) > 40<<10 {
			t.Errorf("%s: an 80 mm receipt with the fitted logo is %d bytes (upload %d)", tc.name, len(pdf), len(tc.raw))
		}
	}
	if _, err := FitLogo([]byte("not an image")); err == nil {
		t.Fatal("garbage accepted as a logo")
	}
}
