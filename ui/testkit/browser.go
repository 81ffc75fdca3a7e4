// Browser drives a real headless Chromium against a real Simpul
// app in tests: Serve starts the app's own router (every route bound in
// OnServe, exactly as "simpul serve" builds it) on an httptest server, and
// NewBrowser starts Chromium over the DevTools protocol with chromedp.
//
// Chromium is found at $SIMPUL_CHROMIUM, /usr/bin/chromium,
// chromium-browser, chromium or google-chrome. When it is missing the test
// is skipped with a message, except when $CI is set: then it fails, so CI
// can never pass by silently skipping the browser tests.
//
// Example:
//
//	app := New(t)
//	srv := Serve(t, app)
//	b := NewBrowser(t, srv.URL)
//	b.Go("/lapor")
//	b.Fill(`#title`, "Lampu jalan mati")
//	b.Click(`button[type=submit]`)
//	if !strings.Contains(b.Text("h1"), "Laporan diterima") { t.Fatal("…") }
//
// Every method fails the test (t.Fatalf) on error or after BrowserTimeout, with
// the page's URL and visible text, so a failing step says what was on the
// screen.

package testkit

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserTimeout bounds every browser step; a whole browser test gets ten times
// as long.
var BrowserTimeout = 15 * time.Second

// ChromiumPath returns the Chromium binary to use, or "" when none is
// installed.
func ChromiumPath() string {
	if p := os.Getenv("SIMPUL_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium-browser", "chromium", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser is one headless Chromium tab pointed at a base URL.
type Browser struct {
	t    testing.TB
	ctx  context.Context
	Base string // the server's URL, e.g. httptest.Server.URL
}

// NewBrowser starts a headless Chromium with a fresh profile for the test and
// returns its first tab. It skips the test when Chromium is missing and CI
// is unset, and fails it when CI is set.
func NewBrowser(t testing.TB, baseURL string) *Browser {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("testkit: Chromium not found but CI is set: install chromium (or set SIMPUL_CHROMIUM)")
		}
		t.Skip("testkit: Chromium not found (set SIMPUL_CHROMIUM or install chromium); browser test skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI containers run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1024, 900),
		// No UserDataDir: chromedp then makes a fresh --user-data-dir per
		// browser and removes it (with retries) after Chromium has exited,
		// which t.TempDir cannot do while child processes still write.
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*BrowserTimeout)
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // closes the browser gracefully
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil { // starts the browser
		t.Fatalf("testkit: start %s: %v", path, err)
	}
	return &Browser{t: t, ctx: ctx, Base: strings.TrimRight(baseURL, "/")}
}

// Run runs chromedp actions with the step timeout, failing the test on
// error; it is the escape hatch for anything the helpers below lack.
func (b *Browser) Run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, BrowserTimeout)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.t.Fatalf("testkit: %s: %v\n%s", what, err, b.describe())
	}
}

// describe reports where the browser is, for failure messages.
func (b *Browser) describe() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	var url, text string
	_ = chromedp.Run(ctx, chromedp.Location(&url), chromedp.Text("body", &text, chromedp.ByQuery))
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	return "page " + url + ":\n" + text
}

// Go navigates to path (relative to Base, or an absolute URL) and waits
// for the page to load.
func (b *Browser) Go(path string) {
	b.t.Helper()
	url := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		url = b.Base + path
	}
	b.Run("go "+path, chromedp.Navigate(url))
}

// Fill clears the input or textarea matched by the CSS selector sel and
// types value into it, as a user would.
func (b *Browser) Fill(sel, value string) {
	b.t.Helper()
	b.Run("fill "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery),
		// Cleared by script: chromedp.Clear fails on an empty textarea and
		// SetValue cannot set "".
		chromedp.Evaluate(`document.querySelector(`+jsString(sel)+`).value = ""`, nil),
		chromedp.SendKeys(sel, value, chromedp.ByQuery))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Select sets a <select> matched by sel to value.
func (b *Browser) Select(sel, value string) {
	b.t.Helper()
	b.Run("select "+sel, chromedp.SetValue(sel, value, chromedp.ByQuery))
}

// Click clicks the first visible element matched by sel (a button, a link,
// a radio). A click that submits a form does not wait for the next page:
// follow it with WaitVisible or WaitText.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Run("click "+sel, chromedp.Click(sel, chromedp.ByQuery, chromedp.NodeVisible))
}

// WaitVisible waits until an element matched by sel is visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	b.Run("wait visible "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery))
}

// WaitText waits until the text of the element matched by sel contains
// want, and returns that text.
func (b *Browser) WaitText(sel, want string) string {
	b.t.Helper()
	deadline := time.Now().Add(BrowserTimeout)
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		err := chromedp.Run(ctx, chromedp.Text(sel, &last, chromedp.ByQuery, chromedp.AtLeast(0)))
		cancel()
		if err == nil && strings.Contains(last, want) {
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("testkit: %q never contained %q (last: %q)\n%s", sel, want, last, b.describe())
	return ""
}

// Text returns the visible text of the first element matched by sel.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	var s string
	b.Run("text "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// Value returns the current value of the form control matched by sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	var s string
	b.Run("value "+sel, chromedp.Value(sel, &s, chromedp.ByQuery))
	return s
}

// Attr returns attribute name of the first element matched by sel ("" when
// absent).
func (b *Browser) Attr(sel, name string) string {
	b.t.Helper()
	var s string
	var ok bool
	b.Run("attr "+sel, chromedp.AttributeValue(sel, name, &s, &ok, chromedp.ByQuery))
	return s
}

// Eval evaluates a JavaScript expression in the page and stores its JSON
// result in out (may be nil).
func (b *Browser) Eval(js string, out any) {
	b.t.Helper()
	b.Run("eval", chromedp.Evaluate(js, out))
}

// URL returns the tab's current URL.
func (b *Browser) URL() string {
	b.t.Helper()
	var s string
	b.Run("location", chromedp.Location(&s))
	return s
}

// WaitURL waits until the tab's URL path (without query) ends with suffix,
// as after a click that navigates, and returns the full URL. Location
// changes only once the next page commits, so reading URL straight after
// Click races the navigation.
func (b *Browser) WaitURL(suffix string) string {
	b.t.Helper()
	deadline := time.Now().Add(BrowserTimeout)
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		err := chromedp.Run(ctx, chromedp.Location(&last))
		cancel()
		path, _, _ := strings.Cut(last, "?")
		if err == nil && strings.HasSuffix(path, suffix) {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("testkit: URL never ended with %q (last: %q)\n%s", suffix, last, b.describe())
	return ""
}

// Context is the tab's context, for chromedp calls the helpers lack (e.g.
// network.GetCookies).
func (b *Browser) Context() context.Context { return b.ctx }
