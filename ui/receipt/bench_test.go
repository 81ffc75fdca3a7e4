package receipt

import (
	"bytes"
	"io"
	"testing"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Benchmarks. Each one also runs, in the same process, two references
// drawing the very same laid-out page:
//
//   - baseline: gofpdf's core Helvetica (cp1252, nothing embedded) and no
//     QR code, the cheapest gofpdf can do;
//   - gofpdf-utf8: the Go fonts through gofpdf's own UTF-8 path
//     (AddUTF8FontFromBytes) and the QR code as a PNG image, the obvious
//     way to meet the brief without the work in font.go and qr.go.
//
// Compare ns/op as ratios to the baseline of the same run; "B/pdf" is the
// size of one document.
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench . -benchmem ./ui/receipt/

func BenchmarkReceipt(b *testing.B) {
	r := sampleReceipt()
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			benchDoc(b, func(w io.Writer) error { return Render(w, r, f) })
		})
	}
	b.Run("80mm-baseline", func(b *testing.B) {
		benchDoc(b, func(w io.Writer) error {
			p, err := layoutReceipt(r, Format80)
			if err != nil {
				return err
			}
			return drawCore(w, p)
		})
	})
	b.Run("80mm-gofpdf-utf8", func(b *testing.B) {
		benchDoc(b, func(w io.Writer) error {
			p, err := layoutReceipt(r, Format80)
			if err != nil {
				return err
			}
			return drawGofpdfUTF8(w, p)
		})
	})
}

func BenchmarkPoster(b *testing.B) {
	for _, s := range []PosterSize{PosterA4, PosterA5} {
		b.Run(string(s), func(b *testing.B) {
			benchDoc(b, func(w io.Writer) error { return RenderPoster(w, samplePoster(s)) })
		})
	}
	b.Run("a4-baseline", func(b *testing.B) {
		benchDoc(b, func(w io.Writer) error {
			p, err := layoutPoster(samplePoster(PosterA4))
			if err != nil {
				return err
			}
			return drawCore(w, p)
		})
	})
	b.Run("a4-gofpdf-utf8", func(b *testing.B) {
		benchDoc(b, func(w io.Writer) error {
			p, err := layoutPoster(samplePoster(PosterA4))
			if err != nil {
				return err
			}
			return drawGofpdfUTF8(w, p)
		})
	})
}

func benchDoc(b *testing.B, render func(io.Writer) error) {
	if err := loadFonts(); err != nil { // once per process, as in the server
		b.Fatal(err)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := render(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "B/pdf")
}

// drawCore draws p's text and rules with gofpdf's core Helvetica, without
// QR codes or images: the baseline.
func drawCore(w io.Writer, p *page) error {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: p.width, Ht: p.height}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	for _, r := range p.rects {
		style := "F"
		if r.lineWidth > 0 {
			style = "D"
		}
		pdf.Rect(r.x, r.y, r.w, r.h, style)
	}
	for _, t := range p.texts {
		st := ""
		if t.style == bold {
			st = "B"
		}
		pdf.SetFont("Helvetica", st, t.size)
		pdf.Text(t.x, t.y, cp1252(t.text))
	}
	return pdf.Output(w)
}

// cp1252 is gofpdf's translator to the core fonts' encoding, built once.
var cp1252 = func() func(string) string {
	var tr func(string) string
	pdf := gofpdf.New("P", "mm", "A4", "")
	tr = pdf.UnicodeTranslatorFromDescriptor("")
	return tr
}()

// drawGofpdfUTF8 draws p with gofpdf's UTF-8 font path and a PNG QR code.
func drawGofpdfUTF8(w io.Writer, p *page) error {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: p.width, Ht: p.height}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddPage()
	for _, r := range p.rects {
		style := "F"
		if r.lineWidth > 0 {
			style = "D"
		}
		pdf.Rect(r.x, r.y, r.w, r.h, style)
	}
	for i, q := range p.qrs {
		png, err := qrcode.Encode(q.content, qrcode.Medium, 256)
		if err != nil {
			return err
		}
		name := "qr" + string(rune('0'+i))
		opt := gofpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
		pdf.ImageOptions(name, q.x, q.y, q.size, q.size, false, opt, 0, "")
	}
	for _, t := range p.texts {
		st := ""
		if t.style == bold {
			st = "B"
		}
		pdf.SetFont("go", st, t.size)
		pdf.Text(t.x, t.y, t.text)
	}
	return pdf.Output(w)
}
