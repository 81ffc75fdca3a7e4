package ui_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"

	"strings"
	"testing"
	"time"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

// settingsPost sends one section of /staf/pengaturan as the browser would
// (multipart for the office section, which carries the logo).
func (c *hostClient) settingsPost(t *testing.T, fields url.Values, logo []byte) (*http.Response, string) {
	t.Helper()
	_, page := c.get("/staf/pengaturan")
	fields.Set("csrf", c.csrf(page))
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if logo != nil {
		fw, _ := w.CreateFormFile("logo", "logo.png")
		_, _ = fw.Write(logo)
	}
	_ = w.Close()
	return c.send(http.MethodPost, "/staf/pengaturan", w.FormDataContentType(), &buf)
}

// An admin sets the office up on /staf/pengaturan, without /_/: identity,
// time zone, working days, public address, SLA, next year's holidays with
// their decree, staff. Each save takes effect at once; the first-run
// checklist on /staf goes once the essentials are done.
func TestSettingsPage(t *testing.T) {
	app := testkit.New(t)
	clock.Set(app, clock.Fixed(time.Date(2026, 12, 9, 3, 0, 0, 0, time.UTC))) // a Wednesday
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)

	coord := newHostClient(t, srv, lanHost)
	coord.login("koordinator@simpul.test")
	if res, _ := coord.get("/staf/pengaturan"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a coordinator opened the settings: %d", res.StatusCode)
	}
	if res, _ := newHostClient(t, srv, lanHost).get("/staf/pengaturan"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.StatusCode)
	}

	admin := newHostClient(t, srv, lanHost)
	admin.login("admin@simpul.test")
	_, desk := admin.get("/staf")
	for _, step := range []string{`id="setup.name"`, `id="setup.url"`, `id="setup.poster"`} {
		if !strings.Contains(desk, step) {
			t.Errorf("the first-run checklist lacks %s", step)
		}
	}
	res, page := admin.get("/staf/pengaturan")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("settings: %d", res.StatusCode)
	}
	for _, raw := range []string{"verified:", "received:", "other_unit:", "keep:"} {
		if strings.Contains(page, raw) {
			t.Errorf("the SLA section shows the stored choice %q instead of words", raw)
		}
	}
	for _, name := range []string{"name", "code", "timezone", "working_days", "public_base_url", "address", "phone", "email", "logo"} {
		if !strings.Contains(page, `name="`+name+`"`) {
			t.Errorf("the set-up form has no input named %s (docs/api.md)", name)
		}
	}
	// No CSRF token, no change.
	if res, _ := admin.post("/staf/pengaturan", url.Values{"action": {"office"}, "name": {"X"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: %d", res.StatusCode)
	}

	// Refused values come back with their message and as typed.
	office := url.Values{"action": {"office"}, "name": {"UPT Puskesmas Sukamaju"}, "code": {"pkm-sukamaju"},
		"address": {"Jl. Merdeka 1, Sukamaju"}, "phone": {"0261 123456"}, "email": {"pkm@sukamaju.go.id"},
		"timezone": {"Asia/Makassar"}, "working_days": {"1", "2", "3", "4", "5", "6"}, "public_base_url": {"http://127.0.0.1:8090"},
		"counter_printer": {"192.168.1.51:9100"}}
	res, page = admin.settingsPost(t, office, nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "127.0.0.1 atau localhost hanya") ||
		!strings.Contains(page, `value="UPT Puskesmas Sukamaju"`) {
		t.Fatalf("a loopback public address: %d", res.StatusCode)
	}
	if !strings.Contains(page, `id="counter_printer-err"`) || !strings.Contains(page, `value="192.168.1.51:9100"`) {
		t.Error("a printer address without tcp:// is not refused with its message, as typed")
	}
	office.Set("public_base_url", "http://192.168.1.10:8090/")
	office.Set("counter_printer", "tcp://192.168.1.51:9100")
	logo := photo(t)
	res, page = admin.settingsPost(t, office, logo)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save office (logo of %d bytes): %d\n%s", len(logo), res.StatusCode, page)
	}
	// In force at once: the row, the calendar, the links, the header, /_/'s name.
	rec, _ := settings.OfficeRecord(app)
	if rec.GetString("name") != "UPT Puskesmas Sukamaju" || rec.GetString("code") != "PKM-SUKAMAJU" ||
		rec.GetString("public_base_url") != "http://192.168.1.10:8090" || rec.GetString("timezone") != "Asia/Makassar" ||
		rec.GetString("counter_printer") != "tcp://192.168.1.51:9100" {
		t.Errorf("office row: %v", rec.FieldsData())
	}
	if rec.GetString("logo") == "" {
		t.Error("the logo was not stored")
	}
	cal, err := sla.CalendarFor(app)
	if err != nil {
		t.Fatal(err)
	}
	saturday := time.Date(2026, 12, 12, 12, 0, 0, 0, time.UTC)
	if !cal.IsWorkingDay(saturday) {
		t.Error("Saturday is not a working day after saving Monday–Saturday")
	}
	if app.Settings().Meta.AppName != "UPT Puskesmas Sukamaju" {
		t.Errorf("/_/ is still named %q", app.Settings().Meta.AppName)
	}
	res, body := newHostClient(t, srv, "10.0.0.5:8090").send(http.MethodPost, "/api/complaints", "application/json", strings.NewReader(
		`{"type":"pengaduan","title":"Air keran mati","body":"Air keran di toilet umum mati.","category":"LAIN","privacy":"anonymous"}`))
	var created struct {
		TrackURL string `json:"track_url"`
	}
	_ = json.Unmarshal([]byte(body), &created)
	if res.StatusCode != http.StatusCreated || !strings.HasPrefix(created.TrackURL, "http://192.168.1.10:8090/lacak/") {
		t.Errorf("a report after the save links to %q", created.TrackURL)
	}
	if _, page = admin.get("/staf/pengaturan?ok=office"); !strings.Contains(page, "UPT Puskesmas Sukamaju") || !strings.Contains(page, `id="saved"`) {
		t.Error("the page does not show the new name and the saved message")
	}

	// SLA: every rule with its value and legal basis.
	slaForm := func(over map[string]string) url.Values {
		v := url.Values{"action": {"sla"}}
		for _, r := range sla.Rules {
			v.Set(r.Code, r.Default)
			v.Set("basis_"+r.Code, r.LegalBasis)
		}
		for k, x := range over {
			v.Set(k, x)
		}
		return v
	}
	res, _ = admin.settingsPost(t, slaForm(map[string]string{"verify_days": "2", "basis_verify_days": "Keputusan Kepala Puskesmas No. 1/2027"}), nil)
	if pol, err := sla.PolicyFor(app); res.StatusCode != http.StatusSeeOther || err != nil || pol.VerifyDays != 2 {
		t.Errorf("SLA: %d, policy %+v %v", res.StatusCode, pol, err)
	}
	if _, page = admin.get("/staf/pengaturan"); !strings.Contains(page, "Keputusan Kepala Puskesmas No. 1/2027") {
		t.Error("the rule's new legal basis is not shown")
	}
	if res, page = admin.settingsPost(t, slaForm(map[string]string{"verify_days": "0"}), nil); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(page, "Angka 1 sampai 365") {
		t.Errorf("0 verification days: %d", res.StatusCode)
	}
	if pol, _ := sla.PolicyFor(app); pol.VerifyDays != 2 {
		t.Errorf("a refused save changed the policy: %+v", pol)
	}

	// Next year's holidays, each with its decree.
	hol := url.Values{"action": {"holiday_add"}, "date": {"2027-08-18"}, "type": {model.HolidayLokal},
		"hol_name": {"Hari jadi kabupaten"}}
	if res, page = admin.settingsPost(t, hol, nil); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "dasar hukum") {
		t.Errorf("a holiday without its legal basis: %d", res.StatusCode)
	}
	hol.Set("legal_basis", "Keputusan Bupati Sukamaju No. 12 Tahun 2026")
	if res, _ = admin.settingsPost(t, hol, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a holiday: %d", res.StatusCode)
	}
	if cal, _ = sla.CalendarFor(app); cal.IsWorkingDay(time.Date(2027, 8, 18, 4, 0, 0, 0, time.UTC)) {
		t.Error("the new holiday is still a working day")
	}
	_, page = admin.get("/staf/pengaturan")
	if !strings.Contains(page, "Hari jadi kabupaten") || !strings.Contains(page, "Keputusan Bupati Sukamaju") {
		t.Error("next year's holiday is not listed with its decree")
	}

	// Staff: a coordinator added here can sign in at once; the checklist
	// ends once a poster is printed for an address phones can open.
	if res, _ = admin.settingsPost(t, url.Values{"action": {"staff_add"}, "staff_name": {"Bu Rina"}, "staff_email": {"rina@simpul.test"},
		"staff_password": {"kata-sandi-rina"}, "role": {model.RoleHandler}, "unit": {""}}, nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a handler without a unit: %d", res.StatusCode)
	}
	if res, _ = admin.settingsPost(t, url.Values{"action": {"staff_add"}, "staff_name": {"Bu Rina"}, "staff_email": {"rina@simpul.test"},
		"staff_password": {"kata-sandi-rina"}, "role": {model.RoleCoordinator}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a coordinator: %d", res.StatusCode)
	}
	rina := newHostClient(t, srv, lanHost)
	_, form := rina.get("/staf")
	if res, _ := rina.post("/staf/masuk", url.Values{"csrf": {rina.csrf(form)}, "email": {"rina@simpul.test"},
		"password": {"kata-sandi-rina"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the new coordinator cannot sign in: %d", res.StatusCode)
	}
	if res, _ := admin.get("/staf/qr/pintu-depan/poster?size=a4"); res.StatusCode != http.StatusOK {
		t.Fatalf("poster: %d", res.StatusCode)
	}
	if _, desk = admin.get("/staf"); strings.Contains(desk, `id="setup"`) {
		t.Error("the checklist stays after every step is done")
	}
}

// A field the server's environment sets is shown but cannot be changed on
// the page: the variable wins at every start.
func TestSettingsFieldSetByTheEnvironment(t *testing.T) {
	cfg, err := config.Load(env{"SIMPUL_PUBLIC_URL": "https://lapor.pkm-sukamaju.go.id"}.get)
	if err != nil {
		t.Fatal(err)
	}
	app := testkit.NewUnmanaged(t, cfg)
	t.Cleanup(app.Cleanup)
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := testkit.Serve(t, app)
	admin := newHostClient(t, srv, lanHost)
	admin.login("admin@simpul.test")
	_, page := admin.get("/staf/pengaturan")
	if !strings.Contains(page, `value="https://lapor.pkm-sukamaju.go.id"`) || !strings.Contains(page, "SIMPUL_PUBLIC_URL") {
		t.Fatal("the page does not show the environment's public address and where it is set")
	}
	res, _ := admin.settingsPost(t, url.Values{"action": {"office"}, "name": {"Puskesmas"}, "code": {"PKM"}, "timezone": {"Asia/Jakarta"},
		"working_days": {"1", "2", "3", "4", "5"}, "public_base_url": {"http://10.9.9.9"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if rec, _ := settings.OfficeRecord(app); rec.GetString("public_base_url") != "https://lapor.pkm-sukamaju.go.id" {
		t.Errorf("the page overwrote the environment's address: %q", rec.GetString("public_base_url"))
	}
}

type env map[string]string

func (e env) get(k string) string { return e[k] }

// A list that cannot be read fails the page (a logged 500) instead of
// showing it empty: staff accounts, holidays and units on the settings
// page, the child offices and canned responses on a case. Each table is
// renamed away in turn, as a broken or half-restored database would lose it.
func TestPageListFailureIsVisible(t *testing.T) {
	for _, c := range []struct{ table, page string }{
		{"holidays", "/staf/pengaturan"},
		{"units", "/staf/pengaturan"},
		{"nodes", "/staf/laporan/CODE"},
		{"canned_responses", "/staf/laporan/CODE"},
	} {
		t.Run(c.table, func(t *testing.T) {
			app := testkit.New(t)
			testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
			testkit.Unit(t, app, "KES")
			rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses, Unit: "KES"})
			srv := testkit.Serve(t, app)
			admin := newHostClient(t, srv, lanHost)
			admin.login("admin@simpul.test")
			page := strings.Replace(c.page, "CODE", rec.GetString("tracking_code"), 1)
			if res, _ := admin.get(page); res.StatusCode != http.StatusOK {
				t.Fatalf("%s before: %d", page, res.StatusCode)
			}
			if _, err := app.DB().NewQuery("ALTER TABLE " + c.table + " RENAME TO gone_" + c.table).Execute(); err != nil {
				t.Fatal(err)
			}
			if res, body := admin.get(page); res.StatusCode != http.StatusInternalServerError {
				t.Errorf("%s without %s: %d, want 500\n%.300s", page, c.table, res.StatusCode, body)
			}
		})
	}
}
