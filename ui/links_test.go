package ui_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

// lanHost is the address a phone on the office LAN reaches the server at.
const lanHost = "192.168.1.10:8090"

// hostClient talks to srv as if the server were reached at host: the
// request goes to srv's listener with "Host: host" (and a matching Origin
// on POSTs), as a browser on another device on the LAN would send it.
type hostClient struct {
	*client
	host string
}

func newHostClient(t *testing.T, srv *httptest.Server, host string) *hostClient {
	jar, _ := cookiejar.New(nil)
	return &hostClient{client: &client{t: t, base: srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, host: host}
}

func (c *hostClient) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Host = c.host
	return c.do(req)
}

func (c *hostClient) send(method, path, contentType string, body io.Reader) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, body)
	req.Host = c.host
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", "http://"+c.host)
	return c.do(req)
}

func (c *hostClient) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	return c.send(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (c *hostClient) login(email string) {
	c.t.Helper()
	_, body := c.get("/staf")
	res, body := c.post("/staf/masuk", url.Values{"csrf": {c.csrf(body)}, "email": {email}, "password": {"rahasia-123456"}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d\n%s", email, res.StatusCode, body)
	}
}

var receiptHref = regexp.MustCompile(`id="receipt-80" href="([^"]+)"`)

// With no public base URL configured, every link built for a request uses
// that request's origin: a server reached at 192.168.1.10:8090 prints
// receipts, QR codes and posters for that address, never 127.0.0.1.
func TestLinksFollowTheRequestOrigin(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	lan := newHostClient(t, srv, lanHost)

	// The API's links.
	res, body := lan.send(http.MethodPost, "/api/complaints", "application/json", strings.NewReader(
		`{"type":"pengaduan","title":"Lampu jalan mati","body":"Sudah seminggu lampu jalan mati.","category":"INF-PJU","privacy":"anonymous"}`))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	var created struct {
		TrackingCode string `json:"tracking_code"`
		TrackURL     string `json:"track_url"`
		ReceiptURL   string `json:"receipt_url"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatal(err)
	}
	if want := "http://" + lanHost + "/lacak/" + created.TrackingCode; created.TrackURL != want {
		t.Errorf("track_url %q, want %q", created.TrackURL, want)
	}
	if !strings.HasPrefix(created.ReceiptURL, "http://"+lanHost+"/api/receipts/") {
		t.Errorf("receipt_url %q is not on the request's origin", created.ReceiptURL)
	}

	// The citizen form's receipt: its QR code opens the tracking page on
	// the LAN address.
	_, form := lan.get("/lapor")
	res, body = lan.post("/lapor", url.Values{"client_ref": {clientRef(form)}, "type": {"pengaduan"}, "category": {"INF-PJU"},
		"title": {"Jalan berlubang"}, "body": {"Lubang besar di depan pasar, sudah dua minggu."}, "privacy": {"anonymous"}})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("form: %d", res.StatusCode)
	}
	code := trackingCodeOf(t, body)
	m := receiptHref.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no receipt link on the success page")
	}
	res, pdf := lan.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("receipt: %d", res.StatusCode)
	}
	if got, want := pdfcheck.DecodeQR(t, []byte(pdf)), "http://"+lanHost+"/lacak/"+code; got != want {
		t.Errorf("receipt QR %q, want %q", got, want)
	}

	// The poster: printed for the LAN address, its QR code opens the form
	// there; refused for the loopback address, with the way out.
	lan.login("koordinator@simpul.test")
	res, pdf = lan.get("/staf/qr/pintu-depan/poster?size=a4")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("poster on the LAN address: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if got, want := pdfcheck.DecodeQR(t, []byte(pdf)), "http://"+lanHost+"/q/pintu-depan"; got != want {
		t.Errorf("poster QR %q, want %q", got, want)
	}
	local := newClient(t, srv) // srv.URL is http://127.0.0.1:PORT
	local.login("koordinator@simpul.test")
	res, page := local.get("/staf/qr/pintu-depan/poster?size=a4")
	if res.StatusCode != http.StatusConflict || strings.HasPrefix(page, "%PDF") {
		t.Fatalf("poster on 127.0.0.1: %d, want 409 and no PDF", res.StatusCode)
	}
	if !strings.Contains(page, "127.0.0.1 atau localhost") {
		t.Errorf("the refusal does not say why:\n%s", page)
	}

	// Staff pages say where links point.
	_, desk := lan.get("/staf")
	if !strings.Contains(desk, `id="link-warning"`) || !strings.Contains(desk, "http://"+lanHost) {
		t.Errorf("the staff desk does not say links use %s", lanHost)
	}
	_, desk = local.get("/staf/qr")
	if !strings.Contains(desk, `class="linkwarn bad"`) {
		t.Error("the QR page on 127.0.0.1 does not warn that posters cannot be printed")
	}

	// A configured public base URL wins over the request's origin, and
	// the warning goes.
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("public_base_url", "https://lapor.pkm-sukamaju.go.id")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	res, body = lan.send(http.MethodPost, "/api/complaints", "application/json", strings.NewReader(
		`{"type":"pengaduan","title":"Air keran mati","body":"Air keran di toilet umum mati.","category":"INF-PJU","privacy":"anonymous"}`))
	if res.StatusCode != http.StatusCreated || !strings.Contains(body, `"track_url":"https://lapor.pkm-sukamaju.go.id/lacak/`) {
		t.Errorf("with a public URL configured: %d %s", res.StatusCode, body)
	}
	res, pdf = local.get("/staf/qr/pintu-depan/poster?size=a5")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("poster with a public URL, opened on 127.0.0.1: %d", res.StatusCode)
	}
	if got := pdfcheck.DecodeQR(t, []byte(pdf)); got != "https://lapor.pkm-sukamaju.go.id/q/pintu-depan" {
		t.Errorf("poster QR %q", got)
	}
	if _, desk = lan.get("/staf"); strings.Contains(desk, `id="link-warning"`) {
		t.Error("the warning stays although a public URL is set")
	}
}

var (
	clientRefRe    = regexp.MustCompile(`name="client_ref" value="([^"]+)"`)
	trackingCodeRe = regexp.MustCompile(`id="tracking-code">([^<]+)<`)
)

func clientRef(page string) string {
	if m := clientRefRe.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

func trackingCodeOf(t *testing.T, page string) string {
	t.Helper()
	m := trackingCodeRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no tracking code on the page:\n%s", page)
	}
	return strings.TrimSpace(m[1])
}
