package receipt

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Logo sizes: a logo is printed at most 22 mm tall (A4 receipt; 15 mm on
// an 80 mm roll, whose printers have 203 dpi), so 200 pixels is over
// 230 dpi; wide logos may be up to three times as wide.
const (
	logoMaxH = 200
	logoMaxW = 600
)

// FitLogo prepares an office logo (PNG or JPEG, up to the 1 MB the offices
// collection allows) for printing: scaled down to at most 200 pixels tall
// and 600 wide, flattened onto white (gofpdf would otherwise split and
// recompress an alpha channel for every document) and encoded as PNG or
// JPEG, whichever is smaller (flat artwork or photograph); gofpdf embeds
// both without decoding them. Call it once per logo and keep the result,
// so what an office uploads does not make every receipt large or slow.
func FitLogo(b []byte) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("receipt: logo: %w", err)
	}
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("receipt: logo: empty image")
	}
	k := min(1, float64(logoMaxH)/float64(h), float64(logoMaxW)/float64(w))
	dw, dh := max(1, int(float64(w)*k+0.5)), max(1, int(float64(h)*k+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	stddraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, stddraw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Over, nil)
	var pngOut, jpgOut bytes.Buffer // opaque: image/png writes RGB without alpha
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&pngOut, dst); err != nil {
		return nil, fmt.Errorf("receipt: logo: %w", err)
	}
	if err := jpeg.Encode(&jpgOut, dst, &jpeg.Options{Quality: 88}); err != nil {
		return nil, fmt.Errorf("receipt: logo: %w", err)
	}
	if jpgOut.Len() < pngOut.Len() {
		return jpgOut.Bytes(), nil
	}
	return pngOut.Bytes(), nil
}
