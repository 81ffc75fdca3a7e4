package main

import (
	"bytes"
	"encoding/base64"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

// The newcomer's walk (issue 13, "Done when"), as README's first hour says
// it, on the real binary serving an address of this machine's network that
// is not loopback: the first admin from "simpul staff add" signs in at
// /staf; the settings page names the office, sets its public address and
// makes a clerk; a QR point's poster carries a code that decodes to the
// network address of the form, which another browser opens; the clerk takes
// a walk-in complaint at /loket, and the admin's open desk shows it.
func TestNewcomerWalk(t *testing.T) {
	ip := lanIP(t)
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := filepath.Join(t.TempDir(), "pb_data")
	cmd := exec.Command(binary, "serve", "--http", addr, "--dir", dir)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	base := "http://" + addr
	waitHealthy(t, base, log.String)
	// The start-up says how to make the first admin, instead of
	// PocketBase's link to /_/.
	for range 100 {
		if strings.Contains(log.String(), "staff add EMAIL") {
			break
		}
		time.Sleep(50 * time.Millisecond) // the installer runs in its own goroutine
	}
	if s := log.String(); !strings.Contains(s, "staff add EMAIL") || strings.Contains(s, "pbinstall") {
		t.Errorf("the start-up does not point at 'simpul staff add' (or still at /_/):\n%s", s)
	}

	// 2. The first admin, in a second terminal while the server runs.
	code, out := simpul(t, "staff", "add", "admin@kantor.go.id", "--name", "Ibu Admin", "--dir", dir)
	m := regexp.MustCompile(`Kata sandi \(password\): (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("staff add: exit %d\n%s", code, out)
	}

	// 3–4. Sign in at /staf; the checklist; the settings page.
	desk := testkit.NewBrowser(t, base)
	desk.Resize(testkit.Counter)
	desk.Go("/staf")
	desk.Fill("#email", "admin@kantor.go.id")
	desk.Fill("#password", m[1])
	desk.Click("#login")
	desk.WaitVisible("#logout")
	desk.WaitVisible(`[id="setup.url"]`)
	desk.Go("/staf/pengaturan")
	desk.Fill("#name", "Puskesmas Sukamaju")
	desk.Fill("#public_base_url", base)
	desk.Click("#save-office")
	desk.WaitVisible("#saved")
	desk.Screenshot("settings")
	desk.Fill("#staff_name", "Pak Loket")
	desk.Fill("#staff_email", "loket@kantor.go.id")
	desk.Fill("#staff_password", "sandi-loket-123")
	desk.Click(`input[name="role"][value="frontdesk"]`)
	desk.Click("#add-staff")
	desk.WaitText("#staff-list", "loket@kantor.go.id")

	// 5. A QR point and its poster.
	desk.Go("/staf/qr")
	desk.Fill("#qr-label", "Ruang tunggu")
	desk.Click("#qr-create")
	desk.WaitVisible("#qr-created")
	poster := desk.Attr("#qr-created a", "href")
	var b64 string
	desk.Run("fetch the poster", chromedp.Evaluate(`fetch(`+jsQuote(poster)+`, {credentials: "same-origin"})
		.then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
		.then(b => { let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s); })`,
		&b64, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	pdf, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the poster is not a PDF (%d bytes, %v)", len(pdf), err)
	}
	landing := pdfcheck.DecodeQR(t, pdf)
	if want := base + "/q/ruang-tunggu"; landing != want {
		t.Fatalf("the poster's QR code opens %q, want %q", landing, want)
	}
	desk.Go("/staf")
	desk.WaitVisible("#queue-box")
	waitTrue(t, desk, `document.body.getAttribute("data-live") === "1"`, "the desk subscribed to new reports")

	// Another device on the network scans it.
	phone := testkit.NewBrowser(t, base)
	phone.Resize(testkit.Phone)
	phone.Go(landing)
	phone.WaitVisible("#title")
	phone.Screenshot("qr-form")

	// 6. The walk-in complaint at the counter.
	counter := testkit.NewBrowser(t, base)
	counter.Resize(testkit.Counter)
	counter.Go("/loket")
	counter.Fill("#email", "loket@kantor.go.id")
	counter.Fill("#password", "sandi-loket-123")
	counter.Click("#login")
	counter.WaitVisible("#logout")
	counter.Select("#category", "ADM-KTP")
	counter.Fill("#title", "KTP belum jadi setelah tiga bulan")
	counter.Fill("#body", "Warga datang ke loket, KTP elektronik belum dicetak sejak Agustus di kantor kecamatan.")
	counter.Fill("#reporter_name", "Ibu Warsini")
	counter.Fill("#reporter_phone", "0812 7777 8888")
	counter.Screenshot("counter")
	counter.Click("#submit")
	counter.WaitText("h1", "Laporan diterima")
	tracking := strings.TrimSpace(counter.Text("#tracking-code"))

	// 7. The report is on the admin's open desk, without a reload.
	waitTrue(t, desk, `!!document.querySelector('#queue a[href="/staf/laporan/`+tracking+`"]')`, "the walk-in report on the desk")
	desk.Screenshot("desk")
}

// lanIP is an IPv4 address of this machine that is not loopback (the
// office network's, in the walk).
func lanIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no non-loopback IPv4 address on this machine")
	}
	t.Skip("no non-loopback IPv4 address on this machine")
	return ""
}

// syncBuffer is a process's output, read while the process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitHealthy(t *testing.T, base string, log func() string) {
	t.Helper()
	for range 400 {
		if res, err := http.Get(base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond) // waiting for a process to start, not domain time
	}
	t.Fatalf("simpul serve never became healthy:\n%s", log())
}

// waitTrue polls js in b's page until it is true, for up to 15 s.
func waitTrue(t *testing.T, b *testkit.Browser, js, what string) {
	t.Helper()
	for range 150 {
		var ok bool
		b.Eval(js, &ok)
		if ok {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling a browser, not domain time
	}
	t.Fatalf("waited 15 s for %s", what)
}

func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
