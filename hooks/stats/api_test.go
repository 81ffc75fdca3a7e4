package stats_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

// apiFixture is a data directory holding the fixed data set and staff of
// every role, cloned for each scenario, with their auth tokens.
type apiFixture struct {
	dir                                                      string
	coordinator, admin, handlerKES, handlerNoUnit, frontdesk string
	inactive, superuser                                      string
	codes                                                    []string
}

func newAPIFixture(t *testing.T) *apiFixture {
	app := testkit.NewUnmanaged(t, testkit.Config())
	a := &apiFixture{}
	for name, rec := range testkit.LoadStatsRows(t, app) {
		_ = name
		a.codes = append(a.codes, rec.GetString("tracking_code"))
	}
	_, a.coordinator = testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	_, a.admin = testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	_, a.handlerKES = testkit.Staff(t, app, "kes@simpul.test", model.RoleHandler, "KES")
	_, a.handlerNoUnit = testkit.Staff(t, app, "tanpa-unit@simpul.test", model.RoleHandler, "")
	_, a.frontdesk = testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	off, tok := testkit.Staff(t, app, "nonaktif@simpul.test", model.RoleCoordinator, "")
	off.Set("active", false)
	if err := app.Save(off); err != nil {
		t.Fatal(err)
	}
	a.inactive = tok
	a.superuser = testkit.SuperuserToken(t, app)
	a.dir = testkit.Snapshot(t, app)
	return a
}

// factory clones the fixture and fixes "now" at 10 April 2026, 09:00 WIB.
func (a *apiFixture) factory(t testing.TB) *tests.TestApp {
	app := testkit.NewFromDir(t, a.dir, testkit.Config())
	clock.Set(app, clock.Fixed(testkit.StatsNow))
	return app
}

// decode reads a /api/stats answer and checks that it carries nothing
// personal and no complaint text or code.
func (a *apiFixture) decode(t testing.TB, res *http.Response) stats.Report {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	for _, s := range append([]string{testkit.ReporterName, testkit.ReporterPhone, "6281299887766", testkit.ReporterEmail,
		"Jalan rusak", "Lubang", "reporter"}, a.codes...) {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("/api/stats carries %q", s)
		}
	}
	var rep stats.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return rep
}

func TestStatsAPI(t *testing.T) {
	a := newAPIFixture(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }
	period := "/api/stats?from=2026-02-01&to=2026-04-30"
	// Reading statistics writes nothing: no model event fires.
	readOnly := map[string]int{"*": 0}
	scenarios := []tests.ApiScenario{
		{Name: "guest", Method: http.MethodGet, URL: period,
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, ExpectedEvents: readOnly},
		{Name: "inactive staff", Method: http.MethodGet, URL: period, Headers: auth(a.inactive),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly},
		{Name: "coordinator sees every unit", Method: http.MethodGet, URL: period, Headers: auth(a.coordinator),
			ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"from":"2026-02-01"`, `"to":"2026-04-30"`, `"timezone":"Asia/Jakarta"`, `"unit":null`,
				`"totals":{"received":9,"routed":{"num":6,"den":9,"pct":66.7}`,
				`"capaian_tindak_lanjut":{"num":4,"den":5,"pct":80}`,
				`"followup_within_deadline":{"num":3,"den":4,"pct":75}`,
				`"median_followup_working_days":4,"median_followup_hours":252.5,"overdue_now":2`,
				`"overdue_all_periods":{"total":3,"verification":2,"followup":1,"completion":0}`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				rep := a.decode(t, res)
				if len(rep.ByUnit) != 4 || len(rep.ByMonth) != 3 || len(rep.ByGender) != 2 || rep.GenderNotGiven != 2 {
					t.Errorf("breakdowns: %d units, %d months, %d genders, %d not given", len(rep.ByUnit), len(rep.ByMonth), len(rep.ByGender), rep.GenderNotGiven)
				}
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
				}
			}},
		{Name: "coordinator picks a unit", Method: http.MethodGet, URL: period + "&unit=pupr", Headers: auth(a.coordinator),
			ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"unit":{"code":"PUPR","name":"Unit PUPR"}`, `"totals":{"received":3,`,
				`"overdue_all_periods":{"total":1,`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if rep := a.decode(t, res); len(rep.ByUnit) != 1 || rep.ByUnit[0].Key != "PUPR" {
					t.Errorf("units %+v", rep.ByUnit)
				}
			}},
		{Name: "a handler sees only their own unit, whatever they ask", Method: http.MethodGet,
			URL: period + "&unit=PUPR", Headers: auth(a.handlerKES), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent:    []string{`"unit":{"code":"KES","name":"Unit KES"}`, `"totals":{"received":3,`},
			NotExpectedContent: []string{`"key":"PUPR"`, `"key":"UMUM"`},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				rep := a.decode(t, res)
				if len(rep.ByUnit) != 1 || rep.ByUnit[0].Key != "KES" || rep.OverdueAllPeriods.Total != 0 {
					t.Errorf("handler: units %+v, overdue %+v", rep.ByUnit, rep.OverdueAllPeriods)
				}
			}},
		{Name: "a handler without a unit sees nothing", Method: http.MethodGet, URL: period, Headers: auth(a.handlerNoUnit),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly},
		{Name: "front desk sees the aggregates of every unit", Method: http.MethodGet, URL: period, Headers: auth(a.frontdesk),
			ExpectedStatus: 200, ExpectedContent: []string{`"totals":{"received":9,`}, ExpectedEvents: readOnly,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) { a.decode(t, res) }},
		{Name: "superuser", Method: http.MethodGet, URL: period, Headers: auth(a.superuser),
			ExpectedStatus: 200, ExpectedContent: []string{`"totals":{"received":9,`}, ExpectedEvents: readOnly},
		{Name: "default period: this month to date", Method: http.MethodGet, URL: "/api/stats", Headers: auth(a.admin),
			ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"from":"2026-04-01","to":"2026-04-10"`, `"totals":{"received":2,`}},
		{Name: "bad date", Method: http.MethodGet, URL: "/api/stats?from=2026-13-01", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"status":400`, `"data":{"from":{"code":"invalid_date"`}},
		{Name: "not a date", Method: http.MethodGet, URL: "/api/stats?to=kemarin", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"invalid_date"`}, ExpectedEvents: readOnly},
		{Name: "end before start", Method: http.MethodGet, URL: "/api/stats?from=2026-03-02&to=2026-03-01", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"period_reversed"`}, ExpectedEvents: readOnly},
		{Name: "longer than five years", Method: http.MethodGet, URL: "/api/stats?from=2020-01-01&to=2026-01-01", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"period_too_long"`}, ExpectedEvents: readOnly},
		{Name: "unknown unit", Method: http.MethodGet, URL: period + "&unit=NOPE", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"unit":{"code":"unknown_unit"`}, ExpectedEvents: readOnly},
	}
	for _, s := range scenarios {
		s.TestAppFactory = a.factory
		s.Test(t)
	}
}

var pageObj = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pages counts the page objects of a PDF ("/Type /Page", not "/Pages").
func pages(b []byte) int { return len(pageObj.FindAll(b, -1)) }

func TestMonthlyPDFRoute(t *testing.T) {
	a := newAPIFixture(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }
	onePage := func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		b, _ := io.ReadAll(res.Body)
		if !bytes.HasPrefix(b, []byte("%PDF")) || pages(b) != 1 {
			t.Errorf("want a one-page PDF, got %d pages", pages(b))
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "2026-03") {
			t.Errorf("Content-Disposition %q", cd)
		}
	}
	for _, s := range []tests.ApiScenario{
		{Name: "guest", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03",
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "handler", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03", Headers: auth(a.handlerKES),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "front desk", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03", Headers: auth(a.frontdesk),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "bad month", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-3x", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"invalid_month"`}},
		{Name: "unknown unit", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03&unit=NOPE", Headers: auth(a.coordinator),
			ExpectedStatus: 400, ExpectedContent: []string{`"unit":{"code":"unknown_unit"`}},
		{Name: "coordinator", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03", Headers: auth(a.coordinator),
			ExpectedStatus: 200, ExpectedContent: []string{"%PDF"}, AfterTestFunc: onePage},
		{Name: "admin, one unit, English", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-03&unit=KES&lang=en",
			Headers: auth(a.admin), ExpectedStatus: 200, ExpectedContent: []string{"%PDF"}, AfterTestFunc: onePage},
	} {
		s.TestAppFactory = a.factory
		s.Test(t)
	}
}

// TestMonthlyPDFManyUnits: however many units an office has, the report
// stays on one A4 page; the smallest units share an "other units" row.
func TestMonthlyPDFManyUnits(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)
	for i := 0; i < 60; i++ {
		code := "U" + string(rune('A'+i/26)) + string(rune('A'+i%26))
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: code, Category: "KES-RS"})
		// A long unit name, to be cut to its column.
		u := testkit.Unit(t, app, code)
		u.Set("name", "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan "+code)
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		if _, err := app.DB().NewQuery("UPDATE complaints SET created = '2026-03-10 03:00:00.000Z' WHERE id = {:id}").
			Bind(map[string]any{"id": rec.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"id", "en"} {
		b, err := stats.MonthlyPDF(app, testkit.At("2026-03-01 00:00"), "", testkit.StatsNow, lang)
		if err != nil {
			t.Fatal(err)
		}
		if n := pages(b); n != 1 {
			t.Errorf("%s: %d pages, want 1", lang, n)
		}
	}
	// An empty month is one page too.
	b, err := stats.MonthlyPDF(app, testkit.At("2027-07-01 00:00"), "", testkit.StatsNow, "id")
	if err != nil || pages(b) != 1 {
		t.Errorf("empty month: %v, %d pages", err, pages(b))
	}
	_ = core.App(nil)
}
