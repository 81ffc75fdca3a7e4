package ui

import (
	"html/template"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"simpul/ui/receipt"
)

// qrSVG draws text as a QR code in inline SVG (one path of the dark runs,
// with the quiet zone), for pages that print it: the kiosk's slip. It is
// markup built from numbers only, so it is safe to put in the page as is.
func qrSVG(text string) template.HTML {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return ""
	}
	bm := code.Bitmap() // with its 4-module quiet zone
	n := strconv.Itoa(len(bm))
	px := strconv.Itoa(len(bm) * 8) // on screen: 8 px a module, every module the same size
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n + `" width="` + px + `" height="` + px +
		`" shape-rendering="crispEdges" role="img" aria-label="QR">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y, row := range bm {
		receipt.DarkRuns(row, func(x, w int) {
			b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h" + strconv.Itoa(w) + "v1h-" + strconv.Itoa(w) + "z")
		})
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // #nosec: built from integers
}
