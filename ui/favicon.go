package ui

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// favicon is /favicon.ico, drawn once at start: a knot ("simpul") of
// three white nodes on the pages' blue, in an ICO container holding one
// 32×32 PNG (every browser since IE 11 reads PNG inside ICO).
var favicon = func() []byte {
	const n = 32
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue := color.NRGBA{0x0b, 0x53, 0x94, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	disc := func(cx, cy, r float64, c color.NRGBA) {
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				dx, dy := float64(x)+.5-cx, float64(y)+.5-cy
				if dx*dx+dy*dy <= r*r {
					img.Set(x, y, c)
				}
			}
		}
	}
	line := func(x0, y0, x1, y1 float64) {
		for i := 0; i <= 64; i++ {
			t := float64(i) / 64
			disc(x0+(x1-x0)*t, y0+(y1-y0)*t, 1.6, white)
		}
	}
	disc(16, 16, 16, blue)
	line(9, 21, 16, 9)
	line(16, 9, 23, 21)
	line(9, 21, 23, 21)
	for _, p := range [][2]float64{{9, 21}, {16, 9}, {23, 21}} {
		disc(p[0], p[1], 4, white)
	}
	var pngBuf bytes.Buffer
	_ = png.Encode(&pngBuf, img)
	var ico bytes.Buffer
	// ICONDIR, then one ICONDIRENTRY pointing at the PNG right after it.
	_ = binary.Write(&ico, binary.LittleEndian, [3]uint16{0, 1, 1})
	_ = binary.Write(&ico, binary.LittleEndian, struct {
		W, H, Colors, Reserved uint8
		Planes, Bits           uint16
		Size, Offset           uint32
	}{n, n, 0, 0, 1, 32, uint32(pngBuf.Len()), 6 + 16})
	ico.Write(pngBuf.Bytes())
	return ico.Bytes()
}()

func serveFavicon(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "public, max-age=604800")
	return e.Blob(http.StatusOK, "image/x-icon", favicon)
}
