// Package pdfcheck checks generated PDFs with tools that share no code with
// gofpdf: poppler's pdftoppm and pdftotext (Debian package poppler-utils)
// to rasterise and extract text, and gozxing to decode QR codes. It is
// imported by tests only.
//
// A test that needs a poppler tool skips, with a message, only when the
// tool is missing and the environment variable CI is unset; CI (.ci/run
// exports CI=1 and installs poppler-utils) fails instead.
package pdfcheck

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Need skips or fails t when the poppler tool is not installed.
func Need(t testing.TB, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "" {
		t.Skipf("%s is not installed (Debian package poppler-utils); CI installs it and runs this test", tool)
	}
	t.Fatalf("%s is required in CI (apt-get install poppler-utils): %v", tool, err)
	return ""
}

func write(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Rasterise renders the first page of pdf at dpi with pdftoppm.
func Rasterise(t testing.TB, pdf []byte, dpi int) image.Image {
	t.Helper()
	tool := Need(t, "pdftoppm")
	in := write(t, pdf)
	out := filepath.Join(filepath.Dir(in), "page")
	cmd := exec.Command(tool, "-r", strconv.Itoa(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("pdftoppm output: %v", err)
	}
	return img
}

// DecodeQR rasterises the first page at 300 dpi and returns the text of
// the QR code on it, decoded by gozxing.
//
// gozxing's finder-pattern search now and then misjudges one rendering of
// a page (seen about once in a few hundred receipts at 300 dpi): a code
// that does not decode at 300 dpi is tried at 200 and 450 before the test
// fails.
func DecodeQR(t testing.TB, pdf []byte) string {
	t.Helper()
	first := Rasterise(t, pdf, 300)
	if text, err := decodeQR(first); err == nil {
		return text
	}
	for _, dpi := range []int{200, 450} {
		if text, err := decodeQR(Rasterise(t, pdf, dpi)); err == nil {
			return text
		}
	}
	return DecodeQRImage(t, first)
}

func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// DecodeQRImage returns the text of the QR code in img (a screenshot, a
// rasterised page), decoded by gozxing.
func DecodeQRImage(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil { // a code drawn alone on a screenshot: read it as a pure barcode
		res, err = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	}
	if err != nil {
		t.Fatalf("no QR code decoded from the page: %v", err)
	}
	return res.GetText()
}

// Text extracts the text of pdf with pdftotext (reading order, no layout).
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	tool := Need(t, "pdftotext")
	cmd := exec.Command(tool, "-enc", "UTF-8", write(t, pdf), "-")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, errb.String())
	}
	return out.String()
}

// Word is a word pdftotext found, with its box in points.
type Word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// Page is a page's size in points and its words.
type Page struct {
	Width, Height float64
	Words         []Word
}

var (
	pageRe = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// Words extracts every word with its bounding box (pdftotext -bbox), one
// Page per page.
func Words(t testing.TB, pdf []byte) []Page {
	t.Helper()
	tool := Need(t, "pdftotext")
	cmd := exec.Command(tool, "-bbox", "-enc", "UTF-8", write(t, pdf), "-")
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages []Page
	for _, chunk := range strings.Split(string(b), "</page>") {
		m := pageRe.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		p := Page{Width: num(m[1]), Height: num(m[2])}
		for _, w := range wordRe.FindAllStringSubmatch(chunk, -1) {
			p.Words = append(p.Words, Word{Text: unescape(w[5]), XMin: num(w[1]), YMin: num(w[2]), XMax: num(w[3]), YMax: num(w[4])})
		}
		pages = append(pages, p)
	}
	return pages
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'")

func unescape(s string) string { return unescaper.Replace(s) }

// PageCount counts the page objects of a PDF (gofpdf writes one
// "/Type /Page" dictionary per page).
func PageCount(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page[^s]`).FindAll(pdf, -1))
}

var mediaBoxRe = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)

// MediaBox returns the page size in millimetres.
func MediaBox(t testing.TB, pdf []byte) (w, h float64) {
	t.Helper()
	m := mediaBoxRe.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no /MediaBox in the PDF")
	}
	return num(string(m[1])) * 25.4 / 72, num(string(m[2])) * 25.4 / 72
}
