package cases_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// hubNow is the fixed "now" of the hub fixture: Wednesday 11 November
// 2026, 10:00 WIB.
var hubNow = time.Date(2026, time.November, 11, 3, 0, 0, 0, time.UTC)

// hubFixture is a kabupaten hub (KAB) with two registered child offices
// (PKM-A, PKM-Z), holding its own cases and copies of cases other offices
// handle: PKM-A's (a child), PKM-B's (an office whose cases reached the
// hub but which is not registered here) and PKM-C's (a grandchild). Staff
// of every role, with their tokens.
type hubFixture struct {
	dir                                     string
	coord, admin, supervisor, handler, desk string
	codes                                   map[string]string // name → tracking code
}

func newHubFixture(t *testing.T) *hubFixture {
	t.Helper()
	app := testkit.NewUnmanaged(t, testkit.Config())
	defer app.Cleanup()
	clock.Set(app, clock.Fixed(hubNow))
	setOffice(t, app, "KAB", "Dinas Kominfo Kabupaten")
	testkit.Node(t, app, "nodepkma0000001", "PKM-A", "rahasia-a", true)
	testkit.Node(t, app, "nodepkmz0000001", "PKM-Z", "rahasia-z", true)
	f := &hubFixture{codes: map[string]string{}}
	day := func(d int) string { return hubNow.AddDate(0, 0, d).UTC().Format("2006-01-02 15:04:05.000Z") }
	for _, c := range []struct {
		name, office, officeName, status, due string
		unit                                  string
	}{
		{"local-baru", "KAB", "", model.StatusBaru, day(2), ""},
		{"local-disposed", "KAB", "", model.StatusTerdisposisi, day(4), "UMUM"},
		{"local-closed", "KAB", "", model.StatusSelesai, "", "UMUM"},
		{"a-baru", "PKM-A", "Puskesmas A", model.StatusBaru, day(1), ""},
		{"a-proses-late", "PKM-A", "Puskesmas A", model.StatusProses, day(-3), ""},
		{"a-closed", "PKM-A", "Puskesmas A", model.StatusSelesai, "", ""},
		{"b-disposed", "PKM-B", "", model.StatusTerdisposisi, day(3), ""},
		{"c-proses", "PKM-C", "Puskesmas C", model.StatusProses, day(5), ""},
	} {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: c.unit, Status: c.status, Reporter: "Siti Aminah"})
		if _, err := app.DB().Update(model.Complaints, dbx.Params{"office": c.office, "office_name": c.officeName,
			"due_at": c.due}, dbx.HashExp{"id": rec.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		f.codes[c.name] = rec.GetString("tracking_code")
	}
	_, f.coord = testkit.Staff(t, app, "koordinator@kab.test", model.RoleCoordinator, "")
	_, f.admin = testkit.Staff(t, app, "admin@kab.test", model.RoleAdmin, "")
	_, f.handler = testkit.Staff(t, app, "unit@kab.test", model.RoleHandler, "UMUM")
	_, f.desk = testkit.Staff(t, app, "loket@kab.test", model.RoleFrontdesk, "")
	_, f.supervisor = testkit.Staff(t, app, "inspektorat@kab.test", model.RoleSupervisor, "")
	f.dir = testkit.Snapshot(t, app)
	return f
}

func (f *hubFixture) factory(t testing.TB) *tests.TestApp {
	app := testkit.NewFromDir(t, f.dir, testkit.Config())
	clock.Set(app, clock.Fixed(hubNow))
	return app
}

// setOffice gives the app's office a code and a name.
func setOffice(t testing.TB, app core.App, code, name string) {
	t.Helper()
	o, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	o.Set("code", code)
	o.Set("name", name)
	if err := app.Save(o); err != nil {
		t.Fatal(err)
	}
}

// TestQueuesAndOversightAPI: on a hub, the queues of work to do list only
// the hub's own cases; the oversight view lists the cases other offices
// handle, per office, with counts, to coordinators, admins and
// supervisors only, and writes nothing.
func TestQueuesAndOversightAPI(t *testing.T) {
	f := newHubFixture(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }
	readOnly := map[string]int{"*": 0}
	code := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, `"tracking_code":"`+f.codes[n]+`"`)
		}
		return out
	}
	foreign := code("a-baru", "a-proses-late", "a-closed", "b-disposed", "c-proses")
	scenarios := []tests.ApiScenario{
		{Name: "open queue: the hub's own open cases only", Method: http.MethodGet, URL: "/api/staff/complaints?queue=open",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent:    code("local-baru", "local-disposed"),
			NotExpectedContent: slices.Concat(foreign, code("local-closed"))},
		{Name: "verify queue: not a child's unverified case", Method: http.MethodGet, URL: "/api/staff/complaints?queue=verify",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: code("local-baru"), NotExpectedContent: slices.Concat(foreign, code("local-disposed"))},
		{Name: "unit and overdue queues", Method: http.MethodGet, URL: "/api/staff/complaints?queue=unit",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: code("local-disposed"), NotExpectedContent: foreign},
		{Name: "overdue: a child's late case is not the hub's", Method: http.MethodGet, URL: "/api/staff/complaints?queue=overdue",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"items":[]`}},
		{Name: "the queue of all: every case held, each saying who handles it", Method: http.MethodGet,
			URL: "/api/staff/complaints?queue=all", Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: slices.Concat(code("local-baru", "local-closed", "a-closed", "c-proses"), []string{
				`"office":"PKM-A","office_name":"Puskesmas A","handled_here":false`,
				`"office":"PKM-B","office_name":"PKM-B","handled_here":false`,
				`"office":"KAB","handled_here":true`})},
		{Name: "guest", Method: http.MethodGet, URL: "/api/staff/oversight", ExpectedStatus: 401, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"status":401`}},
		{Name: "a unit handler has no oversight", Method: http.MethodGet, URL: "/api/staff/oversight", Headers: auth(f.handler),
			ExpectedStatus: 403, ExpectedEvents: readOnly, ExpectedContent: []string{`"status":403`}, NotExpectedContent: foreign},
		{Name: "the front desk has no oversight", Method: http.MethodGet, URL: "/api/staff/oversight", Headers: auth(f.desk),
			ExpectedStatus: 403, ExpectedEvents: readOnly, ExpectedContent: []string{`"status":403`}},
		{Name: "every other office's open cases, by deadline, with counts", Method: http.MethodGet,
			URL: "/api/staff/oversight", Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{
				// by deadline: A's late one, A's new one, B's, C's
				`"items":[{"tracking_code":"` + f.codes["a-proses-late"] + `"`,
				`"tracking_code":"` + f.codes["a-baru"] + `"`, `"tracking_code":"` + f.codes["b-disposed"] + `"`,
				`"tracking_code":"` + f.codes["c-proses"] + `"`,
				`"overdue":true`,
				`"offices":[{"code":"KAB","name":"Dinas Kominfo Kabupaten","local":true,"child":false,"open":2,"verify":1,"postponed":0,"assigned":1,"overdue":0}`,
				`{"code":"PKM-A","name":"Puskesmas PKM-A","local":false,"child":true,"open":2,"verify":1,"postponed":0,"assigned":1,"overdue":1}`,
				`{"code":"PKM-B","name":"PKM-B","local":false,"child":false,"open":1,"verify":0,"postponed":0,"assigned":1,"overdue":0}`,
				`{"code":"PKM-C","name":"Puskesmas C","local":false,"child":false,"open":1,"verify":0,"postponed":0,"assigned":1,"overdue":0}`,
				`{"code":"PKM-Z","name":"Puskesmas PKM-Z","local":false,"child":true,"open":0,`,
			},
			// no reporter names, no closed cases, none of the hub's own
			NotExpectedContent: slices.Concat(code("a-closed", "local-baru", "local-disposed"), []string{"Siti Aminah", "reporter_name"}),
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				if res.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
				}
			}},
		{Name: "one office", Method: http.MethodGet, URL: "/api/staff/oversight?office=PKM-A", Headers: auth(f.admin),
			ExpectedStatus: 200, ExpectedEvents: readOnly, ExpectedContent: slices.Concat(code("a-baru", "a-proses-late"), []string{`"office":"PKM-A"`}),
			NotExpectedContent: code("b-disposed", "c-proses", "a-closed")},
		{Name: "one office, overdue", Method: http.MethodGet, URL: "/api/staff/oversight?office=PKM-A&queue=overdue",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: code("a-proses-late"), NotExpectedContent: code("a-baru")},
		{Name: "one status across offices", Method: http.MethodGet, URL: "/api/staff/oversight?status=proses",
			Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: code("a-proses-late", "c-proses"), NotExpectedContent: code("a-baru", "b-disposed")},
		{Name: "the supervisor reads it too", Method: http.MethodGet, URL: "/api/staff/oversight", Headers: auth(f.supervisor),
			ExpectedStatus: 200, ExpectedEvents: readOnly, ExpectedContent: code("a-baru", "c-proses")},
		{Name: "a closed status is refused", Method: http.MethodGet, URL: "/api/staff/oversight?status=selesai",
			Headers: auth(f.coord), ExpectedStatus: 400, ExpectedEvents: readOnly, ExpectedContent: []string{`"unknown_status"`}},
		{Name: "an unknown queue is refused", Method: http.MethodGet, URL: "/api/staff/oversight?queue=verify",
			Headers: auth(f.coord), ExpectedStatus: 400, ExpectedEvents: readOnly, ExpectedContent: []string{`"unknown_queue"`}},
		{Name: "a child's case: the hub oversees it and may still act", Method: http.MethodGet,
			URL: "/api/staff/complaints/" + f.codes["a-baru"], Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"office":"PKM-A"`, `"office_name":"Puskesmas A"`, `"handled_here":false`, `"read_only":false`,
				`"allowed_transitions":["tertunda","diarsipkan","bukan_wewenang","terdisposisi"]`}},
		{Name: "a grandchild's case: read-only here", Method: http.MethodGet,
			URL: "/api/staff/complaints/" + f.codes["c-proses"], Headers: auth(f.coord), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"office":"PKM-C"`, `"handled_here":false`, `"read_only":true`, `"allowed_transitions":[]`}},
		{Name: "moving a grandchild's case: 409, ditangani oleh", Method: http.MethodPost,
			URL: "/api/complaints/" + f.codes["c-proses"] + "/transitions", Headers: auth(f.coord),
			Body: strings.NewReader(`{"to":"selesai","note":"tutup"}`), ExpectedStatus: 409, ExpectedEvents: readOnly,
			ExpectedContent: []string{"Puskesmas C"}},
		{Name: "editing a grandchild's case: 409", Method: http.MethodPost,
			URL: "/api/complaints/" + f.codes["c-proses"] + "/edit", Headers: auth(f.coord),
			Body: strings.NewReader(`{"title":"Judul baru yang cukup panjang"}`), ExpectedStatus: 409, ExpectedEvents: readOnly,
			ExpectedContent: []string{"Puskesmas C"}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = f.factory
		s.Test(t)
	}
}

// oversightCases are the oversight pages checked for plans and results.
func oversightCases() []cases.OversightQuery {
	var out []cases.OversightQuery
	for _, office := range []string{"", "PKM-A", "PKM-B", "TIDAK-ADA"} {
		for _, queue := range cases.OversightQueues {
			for _, status := range append([]string{""}, cases.OpenStatuses...) {
				out = append(out, cases.OversightQuery{Office: office, Queue: queue, Status: status})
			}
		}
	}
	return out
}

// sqlPlans runs f and returns the EXPLAIN QUERY PLAN lines of every
// statement it ran on the complaints table.
func sqlPlans(t testing.TB, app core.App, f func()) []string {
	t.Helper()
	db, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		t.Fatalf("not a *dbx.DB: %T", app.ConcurrentDB())
	}
	var sqls []string
	prev := db.QueryLogFunc
	db.QueryLogFunc = func(_ context.Context, _ time.Duration, s string, _ *sql.Rows, _ error) {
		if strings.Contains(s, model.Complaints) {
			sqls = append(sqls, s)
		}
	}
	f()
	db.QueryLogFunc = prev
	var plan []string
	for _, s := range sqls {
		var rows []struct {
			ID     int    `db:"id"`
			Parent int    `db:"parent"`
			NotUse int    `db:"notused"`
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + s).All(&rows); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
	}
	return plan
}

// TestOversightPlans: every oversight page and the counts per office read
// an index (no table scan, no sort), before and after ANALYZE; one
// office's page searches its own range.
func TestOversightPlans(t *testing.T) {
	app := testkit.New(t)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 1000, Batch: 1000, Now: hubNow}); err != nil {
		t.Fatal(err)
	}
	foreignCopies(t, app)
	coord := cases.Actor{Role: model.RoleCoordinator}
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			if _, err := app.DB().NewQuery("ANALYZE").Execute(); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range oversightCases() {
			q.Now = hubNow
			plan := sqlPlans(t, app, func() {
				if _, err := cases.Oversight(app, coord, q); err != nil {
					t.Fatal(err)
				}
			})
			joined := strings.Join(plan, " | ")
			for _, p := range plan {
				if p == "SCAN c" || p == "SCAN complaints" || strings.Contains(p, "TEMP B-TREE") {
					t.Errorf("analyzed=%v %+v: %q in %s", analyzed, q, p, joined)
				}
			}
			if q.Office != "" && !strings.Contains(joined, "SEARCH c USING INDEX idx_complaints_office") {
				t.Errorf("analyzed=%v %+v: one office's page does not search its range: %s", analyzed, q, joined)
			}
			if !strings.Contains(joined, "USING COVERING INDEX idx_complaints_office (office>?)") {
				t.Errorf("analyzed=%v: the offices are not found by skipping through the office index: %s", analyzed, joined)
			}
			// Each office's counts, overdue included, from one index alone
			// (no case row read per overdue case).
			if !strings.Contains(joined, "SEARCH complaints USING COVERING INDEX idx_complaints_office (office=? AND status=?)") ||
				q.Office == "" && strings.Contains(joined, "idx_complaints_office_due") {
				t.Errorf("analyzed=%v %+v: the counts per office read more than the office index: %s", analyzed, q, joined)
			}
		}
	}
}

// TestOversightResults compares each oversight page, page after page,
// with the straightforward query (oversightReference), and the counts per
// office with a GROUP BY over the whole table.
func TestOversightResults(t *testing.T) {
	app := testkit.New(t)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 1500, Batch: 1500, Now: hubNow}); err != nil {
		t.Fatal(err)
	}
	foreignCopies(t, app)
	testkit.Node(t, app, "nodepkmz0000001", "PKM-Z", "rahasia-z", true)
	coord := cases.Actor{Role: model.RoleCoordinator}
	checked := 0
	for _, q := range oversightCases() {
		for page := 1; page <= 3; page++ {
			q.Page, q.PerPage, q.Now = page, 10, hubNow
			got, err := cases.Oversight(app, coord, q)
			if err != nil {
				t.Fatal(err)
			}
			want, more := oversightReference(t, app, q)
			var codes []string
			for _, it := range got.Items {
				codes = append(codes, it.TrackingCode)
				if it.HandledHere || it.Office == "" || it.OfficeName == "" || it.ReporterName != "" {
					t.Fatalf("%+v: row %+v", q, it)
				}
			}
			if got.HasMore != more || !slices.Equal(codes, want) {
				t.Fatalf("%+v page %d:\n got %v %v\nwant %v %v", q, page, got.HasMore, codes, more, want)
			}
			checked += len(codes)
		}
	}
	// 96 pages of up to 10 rows; many filters leave a few (one office's
	// postponed cases): the rows compared must still be hundreds.
	if checked < 300 {
		t.Fatalf("only %d rows compared", checked)
	}

	got, err := cases.OfficeCounts(app, hubNow)
	if err != nil {
		t.Fatal(err)
	}
	local := cases.OfficeCode(app)
	var want []string
	var rows []struct {
		Office  string `db:"office"`
		Open    int    `db:"open"`
		Verify  int    `db:"verify"`
		Post    int    `db:"post"`
		Overdue int    `db:"overdue"`
	}
	now := hubNow.UTC().Format("2006-01-02 15:04:05.000Z")
	if err := app.DB().NewQuery(`SELECT office,
		sum(status IN ('baru','tertunda','terdisposisi','proses')) AS open, sum(status = 'baru') AS verify,
		sum(status = 'tertunda') AS post, sum(due_at != '' AND due_at < {:now}) AS overdue
		FROM complaints GROUP BY office ORDER BY office != {:local}, office`).
		Bind(dbx.Params{"now": now, "local": local}).All(&rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		want = append(want, fmt.Sprintf("%s open %d verify %d postponed %d assigned %d overdue %d", r.Office, r.Open, r.Verify,
			r.Post, r.Open-r.Verify-r.Post, r.Overdue))
		if r.Office == "PKM-B" {
			want = append(want, "PKM-Z open 0 verify 0 postponed 0 assigned 0 overdue 0") // a child with no case yet
		}
	}
	var have []string
	for _, oc := range got {
		have = append(have, fmt.Sprintf("%s open %d verify %d postponed %d assigned %d overdue %d", oc.Code, oc.Open, oc.Verify,
			oc.Postponed, oc.Assigned, oc.Overdue))
	}
	if !slices.Equal(have, want) || want[0] == "" || len(want) != 4 {
		t.Fatalf("counts per office:\n got %q\nwant %q", have, want)
	}
}

// oversightReference is the oversight page as the plain query it stands
// for, with the planner free to choose.
func oversightReference(t testing.TB, app core.App, q cases.OversightQuery) ([]string, bool) {
	t.Helper()
	where := "due_at != ''"
	params := dbx.Params{"local": cases.OfficeCode(app), "office": q.Office, "status": q.Status,
		"now": q.Now.UTC().Format("2006-01-02 15:04:05.000Z")}
	if q.Office != "" {
		where += " AND office = {:office}"
	} else {
		where += " AND office != {:local}"
	}
	if q.Status != "" {
		where += " AND status = {:status}"
	}
	if q.Queue == cases.QueueOverdue {
		where += " AND due_at < {:now}"
	}
	var codes []string
	if err := app.DB().Select("tracking_code").From(model.Complaints).Where(dbx.NewExp(where, params)).
		OrderBy("due_at", "id").Limit(int64(q.PerPage + 1)).Offset(int64((q.Page - 1) * q.PerPage)).Column(&codes); err != nil {
		t.Fatal(err)
	}
	if len(codes) > q.PerPage {
		return codes[:q.PerPage], true
	}
	return codes, false
}

// A change of the office's code carries the cases it handles and took in
// (the code before the change is the stored one), and every reader of the
// office sees the new code at once.
func TestOfficeCodeChangeCarriesItsCases(t *testing.T) {
	app := testkit.New(t)
	before := cases.OfficeCode(app)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusTerdisposisi})
	if c.GetString("office") != before || before == "" {
		t.Fatalf("a new case's office %q, this office %q", c.GetString("office"), before)
	}
	setOffice(t, app, "PKM-BARU", "Puskesmas Baru")
	if got := cases.OfficeCode(app); got != "PKM-BARU" {
		t.Errorf("OfficeCode after the change: %q", got)
	}
	c, err := app.FindRecordById(model.Complaints, c.Id)
	if err != nil {
		t.Fatal(err)
	}
	if c.GetString("office") != "PKM-BARU" || c.GetString("origin_office") != "PKM-BARU" {
		t.Errorf("the case did not follow the code: office %q, origin_office %q", c.GetString("office"), c.GetString("origin_office"))
	}
}
