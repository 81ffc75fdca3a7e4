package receipt

import (
	"fmt"
	"strconv"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// drawQR draws a QR code as vector rectangles, one per run of dark
// modules in a row, filled as a single path: no PNG is encoded and decoded
// again, and the code stays sharp at any printer resolution.
func drawQR(pdf *gofpdf.Fpdf, q qrOp, pageHeight float64) error {
	code, err := qrcode.New(q.content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("receipt: qr code: %w", err)
	}
	code.DisableBorder = true
	bm := code.Bitmap()
	k := 72 / 25.4 // points per millimetre
	module := q.size / float64(len(bm)) * k
	// Module coordinates: x right, y down from the code's top-left corner.
	b := make([]byte, 0, 4096)
	b = fmt.Appendf(b, "q 0 g %.4f 0 0 %.4f %.3f %.3f cm\n", module, -module, q.x*k, (pageHeight-q.y)*k)
	for y, row := range bm {
		DarkRuns(row, func(x, n int) {
			b = strconv.AppendInt(b, int64(x), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, " 1 re "...)
		})
		b = append(b, '\n')
	}
	b = append(b, "f Q"...)
	pdf.RawWriteStr(string(b))
	return nil
}

// DarkRuns calls run for each run of dark modules in one row of a QR
// bitmap, left to right: where it starts and how many modules it spans.
// A code drawn one rectangle per run (the receipt's PDF, the kiosk slip's
// SVG) is a fraction of the shapes of one per module.
func DarkRuns(row []bool, run func(x, n int)) {
	for x := 0; x < len(row); {
		if !row[x] {
			x++
			continue
		}
		start := x
		for x < len(row) && row[x] {
			x++
		}
		run(start, x-start)
	}
}
