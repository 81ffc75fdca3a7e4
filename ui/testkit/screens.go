package testkit

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// Screen sizes the pages are used at (issue 13): a cheap phone, a portrait
// touch kiosk, a counter PC.
type Screen struct {
	Name          string
	Width, Height int64
	Touch         bool
}

var (
	Phone   = Screen{"phone", 360, 740, true}
	Kiosk   = Screen{"kiosk", 1080, 1920, true}
	Counter = Screen{"counter", 1366, 768, false}
)

// Resize sets the tab's viewport to s (device scale 1; touch emulated for
// phones and kiosks) and reloads nothing: call it before Go.
func (b *Browser) Resize(s Screen) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if s.Touch {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.Run("resize "+s.Name, chromedp.EmulateViewport(s.Width, s.Height, opts...))
}

// ScreenshotDir is where Screenshot writes: $SIMPUL_SCREENSHOTS when set
// (CI keeps that directory as a build artifact), else a directory of the
// test's own that is removed with it.
func ScreenshotDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("SIMPUL_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("testkit: screenshots: %v", err)
		}
		return d
	}
	return t.TempDir()
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG of the tab as <test>-<name>.png in
// ScreenshotDir and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	var png []byte
	b.Run("screenshot "+name, chromedp.FullScreenshot(&png, 100))
	path := filepath.Join(ScreenshotDir(b.t), unsafeName.ReplaceAllString(b.t.Name()+"-"+name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("testkit: screenshot: %v", err)
	}
	b.t.Logf("screenshot %s", path)
	return path
}

// ElementPNG returns a PNG screenshot of the element matched by sel.
func (b *Browser) ElementPNG(sel string) []byte {
	b.t.Helper()
	var png []byte
	b.Run("screenshot of "+sel, chromedp.Screenshot(sel, &png, chromedp.ByQuery))
	return png
}

// Upload sets the files of the file input matched by sel (absolute paths).
func (b *Browser) Upload(sel string, paths ...string) {
	b.t.Helper()
	b.Run("upload "+sel, chromedp.SetUploadFiles(sel, paths, chromedp.ByQuery))
}

// Overflow returns how many CSS pixels the page is wider than the
// viewport (0 when nothing sticks out sideways).
func (b *Browser) Overflow() int {
	b.t.Helper()
	var over int
	b.Eval(`Math.max(0, document.documentElement.scrollWidth - window.innerWidth)`, &over)
	return over
}

// InView reports whether the element matched by sel is inside the
// viewport (at least partly, vertically and horizontally).
func (b *Browser) InView(sel string) bool {
	b.t.Helper()
	var in bool
	b.Eval(`(function(){var e=document.querySelector(`+jsString(sel)+`); if(!e) return false;
	  var r=e.getBoundingClientRect(); return r.bottom>0 && r.top<window.innerHeight && r.right>0 && r.left<window.innerWidth;})()`, &in)
	return in
}

// Focused returns the id of the element that has the focus ("" for none).
func (b *Browser) Focused() string {
	b.t.Helper()
	var id string
	b.Eval(`document.activeElement ? document.activeElement.id : ""`, &id)
	return id
}
