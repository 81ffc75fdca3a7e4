package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/ui"
	"simpul/ui/testkit"
	"simpul/ui/testkit/pdfcheck"
)

// A CSRF value the scenarios put both in the cookie and in the form.
const testCSRF = "csrf-token-for-tests-0123456789abcdef"

// qrFixture: staff of three roles and, besides the seeded "pintu-depan",
// a QR point whose label is hostile markup.
type qrFixture struct{ staff map[string]string }

func seedQR(t testing.TB, app core.App) expander {
	t.Helper()
	fx := &qrFixture{staff: map[string]string{}}
	for name, role := range map[string]string{"coordinator": model.RoleCoordinator, "admin": model.RoleAdmin,
		"frontdesk": model.RoleFrontdesk} {
		_, fx.staff[name] = testkit.Staff(t, app, name+"@simpul.test", role, "")
	}
	_, fx.staff["handler"] = testkit.Staff(t, app, "handler@simpul.test", model.RoleHandler, "UMUM")
	col, err := app.FindCollectionByNameOrId(model.QRPoints)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.NewRecord(col)
	rec.Set("slug", "xss")
	rec.Set("label", hostile)
	rec.Set("location", `"><img src=x onerror=alert(1)>`)
	rec.Set("active", true)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("public_base_url", officeURL)
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	return fx
}

func (fx *qrFixture) expand(s string) string {
	var r []string
	for name, tok := range fx.staff {
		r = append(r, "{session:"+name+"}", ui.SessionCookie+"="+tok+"; "+ui.CSRFCookie+"="+testCSRF)
	}
	return strings.NewReplacer(r...).Replace(s)
}

func form(v url.Values) *strings.Reader {
	v.Set(ui.CSRFField, testCSRF)
	return strings.NewReader(v.Encode())
}

// pointCount asserts how many QR points exist with slug.
func pointCount(slug string, want int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		n, err := app.CountRecords(model.QRPoints, dbx.HashExp{"slug": slug})
		if err != nil || int(n) != want {
			t.Fatalf("%d QR points with slug %q, want %d (%v)", n, slug, want, err)
		}
	}
}

func TestQRPointsPage(t *testing.T) {
	post := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": "{session:coordinator}"}
	noWriteOf := map[string]int{"OnRecordCreate": 0, "OnRecordUpdate": 0}
	scenarios := []tests.ApiScenario{
		{Name: "no session: the staff login", Method: "GET", URL: "/staf/qr", ExpectedStatus: 303,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if res.Header.Get("Location") != "/staf" {
					t.Fatalf("Location %q", res.Header.Get("Location"))
				}
			}},
		{Name: "a handler is refused", Method: "GET", URL: "/staf/qr", Headers: map[string]string{"Cookie": "{session:handler}"},
			ExpectedStatus: 403, ExpectedContent: []string{"khusus koordinator dan admin"}, NotExpectedContent: []string{"qr-form"}},
		{Name: "the front desk is refused", Method: "GET", URL: "/staf/qr", Headers: map[string]string{"Cookie": "{session:frontdesk}"},
			ExpectedStatus: 403, ExpectedContent: []string{"khusus koordinator"}},
		{Name: "coordinator: list, poster links and the form; hostile labels inert", Method: "GET", URL: "/staf/qr",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 200,
			ExpectedContent: []string{`id="qr-pintu-depan"`, "Pintu depan / ruang tunggu", "Ruang tunggu pelayanan",
				`href="/staf/qr/pintu-depan/poster?size=a4"`, `href="/staf/qr/pintu-depan/poster?size=a5"`, `id="qr-form"`,
				`name="csrf"`, "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"},
			NotExpectedContent: []string{hostile, "<img src=x"}},
		{Name: "admin sees the page", Method: "GET", URL: "/staf/qr?lang=en", Headers: map[string]string{"Cookie": "{session:admin}"},
			ExpectedStatus: 200, ExpectedContent: []string{"QR code points", "Reports received"}},
		{Name: "create: the slug is suggested from the label", Method: "POST", URL: "/staf/qr", Headers: post,
			Body: form(url.Values{"label": {"Loket 2 — Poli Gigi (Lantai 1)"}, "unit": {"UMUM"}, "category": {"LAIN"},
				"location": {"Lantai 1, dekat apotek"}}),
			ExpectedStatus: 303, ExpectedEvents: map[string]int{"OnRecordCreate": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if loc := res.Header.Get("Location"); loc != "/staf/qr?ok=loket-2-poli-gigi-lantai-1" {
					t.Fatalf("Location %q", loc)
				}
				rec, err := app.FindFirstRecordByData(model.QRPoints, "slug", "loket-2-poli-gigi-lantai-1")
				if err != nil {
					t.Fatal(err)
				}
				unit, _ := app.FindFirstRecordByData(model.Units, "code", "UMUM")
				cat, _ := app.FindFirstRecordByData(model.Categories, "code", "LAIN")
				if rec.GetString("label") != "Loket 2 — Poli Gigi (Lantai 1)" || rec.GetString("unit") != unit.Id ||
					rec.GetString("category") != cat.Id || rec.GetString("location") != "Lantai 1, dekat apotek" ||
					!rec.GetBool("active") || rec.GetInt("scans") != 0 {
					t.Fatalf("saved point: %v", rec.FieldsData())
				}
			}},
		{Name: "create with a typed slug, hostile label kept as text", Method: "POST", URL: "/staf/qr", Headers: post,
			Body:           form(url.Values{"label": {hostile}, "slug": {"ruang-tunggu-2"}}),
			ExpectedStatus: 303, ExpectedEvents: map[string]int{"OnRecordCreate": 1},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				rec, err := app.FindFirstRecordByData(model.QRPoints, "slug", "ruang-tunggu-2")
				if err != nil || rec.GetString("label") != hostile {
					t.Fatalf("saved: %v %v", rec, err)
				}
			}},
		{Name: "a suggested slug that is taken gets a suffix", Method: "POST", URL: "/staf/qr", Headers: post,
			Body:           form(url.Values{"label": {"Pintu Depan"}}),
			ExpectedStatus: 303, AfterTestFunc: pointCount("pintu-depan-2", 1)},
		{Name: "duplicate slug: field error, everything typed kept, nothing written", Method: "POST", URL: "/staf/qr", Headers: post,
			Body: form(url.Values{"label": {"Ruang tunggu — lantai 2"}, "slug": {"pintu-depan"}, "unit": {"UMUM"},
				"location": {"Lantai 2"}}),
			ExpectedStatus: 400, ExpectedEvents: noWriteOf,
			ExpectedContent: []string{`id="slug-err"`, "sudah dipakai", `value="Ruang tunggu — lantai 2"`, `value="pintu-depan"`,
				`value="Lantai 2"`, `<option value="UMUM" selected>`, `aria-invalid="true"`},
			AfterTestFunc: pointCount("pintu-depan", 1)},
		{Name: "malformed slug and missing label", Method: "POST", URL: "/staf/qr", Headers: post,
			Body:           form(url.Values{"label": {"  "}, "slug": {"Bad Slug!"}, "unit": {"NOPE"}}),
			ExpectedStatus: 400, ExpectedEvents: noWriteOf,
			ExpectedContent: []string{`id="label-err"`, `id="slug-err"`, `id="unit-err"`, `value="Bad Slug!"`}},
		{Name: "no CSRF field: refused, nothing written", Method: "POST", URL: "/staf/qr", Headers: post,
			Body:           strings.NewReader(url.Values{"label": {"Tanpa CSRF"}, "slug": {"tanpa-csrf"}}.Encode()),
			ExpectedStatus: 403, ExpectedContent: []string{"Permintaan ditolak"}, ExpectedEvents: noWriteOf,
			AfterTestFunc: pointCount("tanpa-csrf", 0)},
		{Name: "a handler cannot create", Method: "POST", URL: "/staf/qr",
			Headers:        map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": "{session:handler}"},
			Body:           form(url.Values{"label": {"Titik handler"}, "slug": {"titik-handler"}}),
			ExpectedStatus: 403, ExpectedContent: []string{"khusus koordinator"}, ExpectedEvents: noWriteOf,
			AfterTestFunc: pointCount("titik-handler", 0)},
		{Name: "cross-site post", Method: "POST", URL: "/staf/qr",
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": "{session:coordinator}",
				"Origin": "https://evil.example"},
			Body:           form(url.Values{"label": {"Dari luar"}, "slug": {"dari-luar"}}),
			ExpectedStatus: 403, ExpectedContent: []string{"situs lain"}, ExpectedEvents: noWriteOf},
	}
	runScenarios(t, scenarios, seedQR)
}

func TestQRPoster(t *testing.T) {
	pdf := []string{"%PDF-", "%%EOF"}
	isPDF := func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		pdfHeaders(t, res, "poster-pintu-depan-a4.pdf")
	}
	scenarios := []tests.ApiScenario{
		{Name: "coordinator, A4", Method: "GET", URL: "/staf/qr/pintu-depan/poster?size=a4",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 200, ExpectedContent: pdf, AfterTestFunc: isPDF},
		{Name: "admin, A5", Method: "GET", URL: "/staf/qr/pintu-depan/poster?size=a5",
			Headers: map[string]string{"Cookie": "{session:admin}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "default size", Method: "GET", URL: "/staf/qr/pintu-depan/poster",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "hostile label prints", Method: "GET", URL: "/staf/qr/xss/poster?size=a4",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 200, ExpectedContent: pdf},
		{Name: "handler refused", Method: "GET", URL: "/staf/qr/pintu-depan/poster?size=a4",
			Headers: map[string]string{"Cookie": "{session:handler}"}, ExpectedStatus: 403, NotExpectedContent: pdf},
		{Name: "guest refused", Method: "GET", URL: "/staf/qr/pintu-depan/poster?size=a4",
			ExpectedStatus: 303, NotExpectedContent: pdf},
		{Name: "bad size", Method: "GET", URL: "/staf/qr/pintu-depan/poster?size=a3",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 400, ExpectedContent: []string{"a4 atau a5"}},
		{Name: "unknown point", Method: "GET", URL: "/staf/qr/tidak-ada/poster",
			Headers: map[string]string{"Cookie": "{session:coordinator}"}, ExpectedStatus: 404, NotExpectedContent: pdf},
	}
	runScenarios(t, scenarios, seedQR)
}

// The poster's QR code, decoded from a 300 dpi raster, is the point's
// landing page on the office's public URL; its text names the point.
// The staff desk links to the page for coordinators only.
func TestQRPosterContent(t *testing.T) {
	app := testkit.New(t)
	seedQR(t, app)
	srv := testkit.Serve(t, app)
	coord := newDeskClient(t, srv.URL)
	coord.login("coordinator@simpul.test")
	if _, body := coord.get("/staf"); !strings.Contains(body, `href="/staf/qr"`) {
		t.Fatal("the staff desk has no link to the QR page for a coordinator")
	}
	st, body := coord.get("/staf/qr/pintu-depan/poster?size=a5")
	if st != 200 {
		t.Fatalf("poster: %d", st)
	}
	if got, want := pdfcheck.DecodeQR(t, []byte(body)), officeURL+"/q/pintu-depan"; got != want {
		t.Errorf("poster QR: %q, want %q", got, want)
	}
	txt := strings.ReplaceAll(pdfcheck.Text(t, []byte(body)), "\n", " ")
	for _, want := range []string{"Pintu depan / ruang tunggu", "Ruang tunggu pelayanan", officeURL + "/q/pintu-depan", "Pindai kode QR"} {
		if !strings.Contains(txt, want) {
			t.Errorf("poster text lacks %q:\n%s", want, txt)
		}
	}
	_, body = coord.get("/staf/qr/xss/poster?size=a4")
	if txt := pdfcheck.Text(t, []byte(body)); !strings.Contains(txt, hostile) {
		t.Errorf("the hostile label is not printed as text:\n%s", txt)
	}
	handler := newDeskClient(t, srv.URL)
	handler.login("handler@simpul.test")
	if _, body := handler.get("/staf"); strings.Contains(body, `href="/staf/qr"`) {
		t.Error("a handler is shown the QR page link")
	}
}
