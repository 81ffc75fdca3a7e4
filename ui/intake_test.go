package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// submitJSON posts a report to the API and returns its tracking code.
func submitJSON(t *testing.T, c *client, report map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(report)
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/complaints", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	res, body := c.do(req)
	var out struct {
		TrackingCode string `json:"tracking_code"`
	}
	if res.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	return out.TrackingCode
}

// Hostile markup typed into every text field comes back as text on every
// page that shows it: the public tracking page, the staff desk and the
// counter's lookup.
func TestHostileTextIsInertOnEveryPage(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	code := submitJSON(t, c, map[string]any{
		"type": "pengaduan", "title": "Judul " + hostile, "body": "Isi laporan " + hostile + ` <img src=x onerror=alert(2)>`,
		"category": "INF-JALAN", "location": "Lokasi " + hostile, "privacy": "public",
		"reporter_name": "Nama " + hostile, "reporter_phone": "081234567890",
	})
	_, track := c.get("/lacak/" + code)
	c.login("koordinator@simpul.test")
	_, desk := c.get("/staf/laporan/" + code)
	_, lookup := c.get("/loket/cari?q=" + url.QueryEscape(code))
	for page, body := range map[string]string{"tracking": track, "staff desk": desk, "counter lookup": lookup} {
		if strings.Contains(body, hostile) || strings.Contains(body, "<img src=x") {
			t.Errorf("%s page renders the markup", page)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s page does not show the title as text", page)
		}
	}
	if !strings.Contains(desk, "Nama &lt;script&gt;") {
		t.Error("the coordinator's view does not show the reporter's name as text")
	}
	// The desk prints the receipt again, with the report's own PIN.
	if !strings.Contains(desk, `href="/loket/struk/`+code+`?format=80mm"`) {
		t.Fatal("no receipt reprint on the staff desk")
	}
	res, pdf := c.get("/loket/struk/" + code + "?format=80mm")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("reprint from the desk: %d", res.StatusCode)
	}
}

// The tracking page names the two ids a report gets above: the hub's and
// SP4N-LAPOR!'s.
func TestTrackingShowsParentIDs(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	code := submitJSON(t, c, map[string]any{"type": "aspirasi", "title": "Usulan taman bermain",
		"body": "Mohon dibangun taman bermain di dekat balai desa.", "category": "LING-TAMAN", "privacy": "anonymous"})
	if _, err := app.DB().NewQuery("UPDATE complaints SET hub_tracking_id = 'KAB-00042', lapor_tracking_id = '5512345'").Execute(); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/lacak/" + code)
	if !strings.Contains(body, `id="hub-id">KAB-00042<`) || !strings.Contains(body, `id="lapor-id">5512345<`) ||
		!strings.Contains(body, "Nomor pelacakan SP4N-LAPOR!") {
		t.Fatalf("ids not shown:\n%s", body)
	}
}

// Intake's messages are bilingual; a page shows only its own language.
func TestFormErrorsInThePageLanguage(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	form := url.Values{"type": {"pengaduan"}, "title": {"abc"}, "body": {"isi yang cukup panjang"},
		"category": {"LAIN"}, "privacy": {"anonymous"}}
	res, id := c.post("/lapor", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(id, "Terlalu singkat.") || strings.Contains(id, "Too short.") {
		t.Fatalf("Indonesian page: %d", res.StatusCode)
	}
	res, en := c.post("/lapor?lang=en", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(en, "Too short.") || strings.Contains(en, "Terlalu singkat.") {
		t.Fatalf("English page: %d", res.StatusCode)
	}
	if n, _ := app.CountRecords(model.Complaints); n != 0 {
		t.Fatalf("%d complaints written by refused forms", n)
	}
}

// The citizen form shares the guest rate limit with the API and says so
// plainly, keeping what was typed.
func TestFormRateLimit(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	form := func(i int) url.Values {
		return url.Values{"type": {"pengaduan"}, "title": {"Laporan warga nomor " + string(rune('A'+i))},
			"body": {"Isi laporan yang cukup panjang."}, "category": {"LAIN"}, "privacy": {"anonymous"}}
	}
	for i := 0; i < intake.GuestLimit.Burst; i++ {
		if res, body := c.post("/lapor", form(i)); res.StatusCode != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, res.StatusCode, body)
		}
	}
	res, body := c.post("/lapor", form(20))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "Terlalu banyak laporan") || !strings.Contains(body, "Laporan warga nomor U") {
		t.Fatalf("over the limit: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// bukan_wewenang hands a report up only where there is an "up": an office
// with no parent (no SIMPUL_UPSTREAM_URL, no SIMPUL_LAPOR_URL) must not
// tell the reporter the report went to a parent office, and its staff see
// that the note must name the competent agency (review network.md: "on a
// node with no parent, bukan_wewenang is a dead end while the citizen is
// told it went up").
func TestNotOurAuthorityWithoutAParent(t *testing.T) {
	const handedUp = "diteruskan ke instansi atas"
	for _, linked := range []bool{false, true} {
		t.Run(fmt.Sprintf("linked=%v", linked), func(t *testing.T) {
			cfg := testkit.Config()
			if linked {
				cfg.UpstreamURL = "https://kab.example"
			}
			app := testkit.NewUnmanaged(t, cfg)
			t.Cleanup(app.Cleanup)
			testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
			srv := testkit.Serve(t, app)
			c := newClient(t, srv)
			code := submitJSON(t, c, map[string]any{"type": "pengaduan", "title": "Izin usaha tambang pasir",
				"body": "Tambang pasir di sungai tanpa izin, mohon ditindak.", "category": "LAIN", "privacy": "anonymous"})

			staff := newClient(t, srv)
			staff.login("koordinator@simpul.test")
			_, staffPage := staff.get("/staf/laporan/" + code)
			if has := strings.Contains(staffPage, "tanpa instansi atas"); has == linked {
				t.Errorf("staff move label names the missing parent: %v, want %v", has, !linked)
			}
			testkit.Move(t, app, code, model.StatusBukanWewenang, "")
			_, body := c.get("/lacak/" + code)
			if !strings.Contains(body, "Catatan petugas untuk bukan_wewenang") {
				t.Fatal("the staff's public note is not on the tracking page")
			}
			unlinkedText := strings.Contains(body, "tidak terhubung ke instansi atas")
			if unlinkedText == linked || strings.Contains(body, handedUp) != linked {
				t.Fatalf("linked=%v: tracking page says handed up %v, not linked %v",
					linked, strings.Contains(body, handedUp), unlinkedText)
			}
		})
	}
}
