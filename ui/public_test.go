package ui_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

const rpHostile = `<script>alert("laporan")</script><img src=x onerror=alert(1)>`

// rpClient is a cookie-keeping HTTP client that does not follow redirects.
type rpClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newRPClient(t *testing.T, base string) *rpClient {
	jar, _ := cookiejar.New(nil)
	return &rpClient{t: t, base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *rpClient) get(path string) (*http.Response, []byte) {
	c.t.Helper()
	res, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

var rpCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *rpClient) login(email string) {
	c.t.Helper()
	_, page := c.get("/staf")
	m := rpCSRF.FindSubmatch(page)
	if m == nil {
		c.t.Fatal("no CSRF field on /staf")
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+"/staf/masuk", strings.NewReader(url.Values{
		"csrf": {string(m[1])}, "email": {email}, "password": {"rahasia-123456"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d", email, res.StatusCode)
	}
}

// rpComplaint adds a complaint with a title of its own.
func rpComplaint(t *testing.T, app core.App, spec testkit.ComplaintSpec, title, body string) string {
	t.Helper()
	rec := testkit.Complaint(t, app, spec)
	rec.Set("title", title)
	rec.Set("body", body)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	return rec.GetString("tracking_code")
}

func TestPublicReportsPage(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newRPClient(t, srv.URL)
	road := rpComplaint(t, app, testkit.ComplaintSpec{Unit: "JALAN", Category: "INF-JALAN", Status: model.StatusTerdisposisi,
		Reporter: "Siti Aminah", Phone: "081234567890"}, rpHostile, "Isi laporan dengan nomor 081234567890.")
	clinic := rpComplaint(t, app, testkit.ComplaintSpec{Unit: "PUSK", Category: "KES-PUSK", Status: model.StatusSelesai,
		Reporter: "Siti Aminah"}, "Antrean puskesmas terlalu lama", "Isi laporan puskesmas.")
	hidden := map[string]string{}
	hidden["new"] = rpComplaint(t, app, testkit.ComplaintSpec{Category: "INF-JALAN", Reporter: "Siti Aminah"},
		"Belum diverifikasi sama sekali", "Isi laporan baru.")
	hidden["confidential"] = rpComplaint(t, app, testkit.ComplaintSpec{Unit: "JALAN", Category: "INF-JALAN", Status: model.StatusProses,
		Privacy: model.PrivacyConfidential, Reporter: "Budi Rahasia"}, "Laporan rahasia pungli", "Isi laporan rahasia.")
	hidden["anonymous"] = rpComplaint(t, app, testkit.ComplaintSpec{Unit: "JALAN", Category: "INF-JALAN", Status: model.StatusProses,
		Privacy: model.PrivacyAnonymous}, "Laporan anonim jalan", "Isi laporan anonim.")
	hidden["archived"] = rpComplaint(t, app, testkit.ComplaintSpec{Category: "LAIN", Status: model.StatusDiarsipkan,
		Reporter: "Siti Aminah"}, "Spam yang diarsipkan", "Isi spam.")

	res, b := c.get("/laporan")
	page := string(b)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("/laporan: %d, CSP %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
	}
	for _, code := range []string{road, clinic} {
		if !strings.Contains(page, `href="/lacak/`+code+`"`) {
			t.Errorf("verified public report %s not listed", code)
		}
	}
	for name, code := range hidden {
		if strings.Contains(page, code) {
			t.Errorf("%s report %s listed", name, code)
		}
	}
	for _, secret := range []string{"Siti Aminah", "081234567890", "Budi Rahasia", "Isi laporan", "Belum diverifikasi sama",
		"rahasia pungli", "anonim jalan", "Spam yang"} {
		if strings.Contains(page, secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
	// Hostile HTML in a title is inert: escaped, and no inline script on
	// the page (only the site's own script files, which the CSP allows).
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]`).MatchString(page) || strings.Count(page, "<script") != strings.Count(page, `<script src="/static/`) || strings.Contains(page, "<img src=x") || !strings.Contains(page, "&lt;script&gt;") {
		t.Fatalf("hostile title not escaped:\n%s", page)
	}
	if regexp.MustCompile(`\son[a-z]+=`).MatchString(strings.ReplaceAll(page, "onerror=alert", "")) {
		t.Error("inline handler on the page")
	}
	if !strings.Contains(page, `action="/laporan"`) || !strings.Contains(page, `name="category"`) || !strings.Contains(page, `href="/data/laporan.csv"`) {
		t.Error("filter form or open-data link missing")
	}
	if !strings.Contains(page, "Terdisposisi (Belum Ditindaklanjuti)") || !strings.Contains(page, "Jalan dan Jembatan") {
		t.Error("status label or category missing")
	}
	// Newest first.
	if strings.Index(page, clinic) > strings.Index(page, road) {
		t.Error("not newest first")
	}

	for _, tc := range []struct {
		query     string
		see, miss []string
	}{
		{"category=INF", []string{road}, []string{clinic}}, // a parent selects its children
		{"category=kes-pusk", []string{clinic}, []string{road}},
		{"unit=PUSK", []string{clinic}, []string{road}},
		{"unit=JALAN&category=KES-PUSK", nil, []string{road, clinic}},
		{"category=%27%20OR%201%3D1--", []string{road, clinic}, nil}, // unknown codes are ignored
	} {
		res, b := c.get("/laporan?" + tc.query)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.query, res.StatusCode)
		}
		for _, code := range tc.see {
			if !bytes.Contains(b, []byte(code)) {
				t.Errorf("%s: %s missing", tc.query, code)
			}
		}
		for _, code := range tc.miss {
			if bytes.Contains(b, []byte(code)) {
				t.Errorf("%s: %s listed", tc.query, code)
			}
		}
	}
	_, b = c.get("/laporan?category=kes&unit=pusk")
	if !bytes.Contains(b, []byte(`<option value="KES" selected>`)) || !bytes.Contains(b, []byte(`<option value="PUSK" selected>`)) {
		t.Error("the chosen filters are not kept in the form")
	}
	_, b = c.get("/laporan?lang=en")
	if !bytes.Contains(b, []byte("Verified citizen reports")) || !bytes.Contains(b, []byte("Roads and bridges")) ||
		!bytes.Contains(b, []byte("Assigned (awaiting follow-up)")) {
		t.Error("English page incomplete")
	}
	// The start page links to it.
	if _, b := c.get("/?lang=id"); !bytes.Contains(b, []byte(`href="/laporan"`)) {
		t.Error("no link to /laporan on the start page")
	}
}

func TestPublicReportsPaging(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newRPClient(t, srv.URL)
	var codes []string
	for i := range 23 {
		code := rpComplaint(t, app, testkit.ComplaintSpec{Category: "LAIN", Status: model.StatusProses},
			fmt.Sprintf("Laporan nomor %02d", i), "Isi laporan.")
		// Distinct creation times, a minute apart: newest first is well defined.
		if _, err := app.DB().NewQuery("UPDATE complaints SET created = {:c} WHERE tracking_code = {:code}").Bind(dbx.Params{
			"c": clock.Now(app).Add(time.Duration(i-30) * time.Minute).UTC().Format("2006-01-02 15:04:05.000Z"), "code": code}).Execute(); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	_, b := c.get("/laporan")
	if n := bytes.Count(b, []byte(`class="code-link"`)); n != 20 {
		t.Fatalf("page 1 has %d reports", n)
	}
	if !bytes.Contains(b, []byte(codes[22])) || bytes.Contains(b, []byte(codes[2])) || !bytes.Contains(b, []byte(`href="/laporan?page=2"`)) {
		t.Fatal("page 1: newest 20 and a next link")
	}
	_, b = c.get("/laporan?page=2")
	if n := bytes.Count(b, []byte(`class="code-link"`)); n != 3 || !bytes.Contains(b, []byte(codes[0])) ||
		bytes.Contains(b, []byte(`rel="next"`)) || !bytes.Contains(b, []byte(`href="/laporan?page=1"`)) {
		t.Fatalf("page 2 has %d reports", n)
	}
}

func TestExportPages(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	testkit.Staff(t, app, "seksi-a@simpul.test", model.RoleHandler, "UNIT-A")
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	own := rpComplaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Siti Aminah", Phone: "081234567890"},
		"=CMD|' /C calc'!A0", "Isi laporan unit A.")
	conf := rpComplaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Privacy: model.PrivacyConfidential, Reporter: "Budi Rahasia"},
		"Laporan rahasia unit A", "Isi laporan rahasia.")
	other := rpComplaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-B", Reporter: "Citra"}, "Laporan unit B", "Isi laporan unit B.")

	anon := newRPClient(t, srv.URL)
	for _, path := range []string{"/staf/ekspor", "/staf/ekspor/unduh?file=complaints.csv"} {
		if res, _ := anon.get(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staf" {
			t.Fatalf("%s without a session: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}

	c := newRPClient(t, srv.URL)
	c.login("seksi-a@simpul.test")
	if _, b := c.get("/staf"); !bytes.Contains(b, []byte(`href="/staf/ekspor"`)) {
		t.Fatal("no export link on the staff desk")
	}
	res, b := c.get("/staf/ekspor")
	if res.StatusCode != 200 || !bytes.Contains(b, []byte(`action="/staf/ekspor/unduh"`)) || !bytes.Contains(b, []byte(`value="complaints.xlsx"`)) ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("/staf/ekspor: %d\n%s", res.StatusCode, b)
	}
	// Periods are days in the office's zone (WIB), not the process's: from
	// 17:00 UTC a report made now belongs to tomorrow there.
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	today := testkit.Now().In(wib).Format("2006-01-02")
	week := testkit.Now().In(wib).AddDate(0, 0, -7).Format("2006-01-02")
	res, b = c.get("/staf/ekspor/unduh?file=complaints.csv&from=" + week + "&to=" + today)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("CSV download: %d %v", res.StatusCode, res.Header)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r
	}
	if len(got) != 2 || got[own] == nil || got[conf] == nil || got[other] != nil {
		t.Fatalf("handler export rows: %v", got)
	}
	text := string(b)
	if !strings.Contains(text, "Siti Aminah") || strings.Contains(text, "Budi Rahasia") || !strings.Contains(text, `'=CMD|`) {
		t.Fatalf("handler export privacy or formula guard wrong:\n%s", text)
	}
	res, b = c.get("/staf/ekspor/unduh?file=complaints.xlsx&from=" + week + "&to=" + today)
	if res.StatusCode != 200 {
		t.Fatalf("XLSX download: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("complaints")
	if len(rows) != 3 {
		t.Fatalf("XLSX rows %d", len(rows))
	}
	for _, bad := range []string{"?file=complaints.csv&from=" + today + "&to=" + week, "?file=rahasia.csv", "?file=complaints.csv&from=kemarin"} {
		res, b := c.get("/staf/ekspor/unduh" + bad)
		if res.StatusCode != 400 || !bytes.Contains(b, []byte(`id="export-err"`)) {
			t.Fatalf("%s: %d", bad, res.StatusCode)
		}
	}
	// A coordinator's export has every report, but never a confidential
	// reporter: an export cannot ask why (the desk reveals one, logged).
	k := newRPClient(t, srv.URL)
	k.login("koordinator@simpul.test")
	_, b = k.get("/staf/ekspor/unduh?file=complaints.csv")
	if bytes.Contains(b, []byte("Budi Rahasia")) || !bytes.Contains(b, []byte(other)) || !bytes.Contains(b, []byte(conf)) {
		t.Fatal("coordinator export: every report, no confidential reporter")
	}
}
