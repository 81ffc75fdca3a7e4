package cases_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/platform/clock"
	"simpul/hooks/search"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

// timed runs f b.N times and reports the p50 and p99 latency. A case that
// is slow by design (a search no index serves) stops after about 10 s of
// samples; "samples" says how many the percentiles are of.
func timed(b *testing.B, f func()) {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N && (total < 10*time.Second || len(d) < 5); i++ {
		t0 := time.Now()
		f()
		el := time.Since(t0)
		d = append(d, el)
		total += el
	}
	b.StopTimer()
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(float64(len(d)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(len(d)), "samples")
}

// listCase is one first page the staff desk asks for.
type listCase struct {
	name  string
	actor cases.Actor
	query cases.ListQuery
}

// listCases are the staff-queue pages measured and plan-checked: every
// queue as a coordinator and as a unit handler, a front-desk clerk's, the
// filters, the search box and a later page. The handler is of PUPR, a demo
// unit; code is an existing tracking code.
func listCases(unitID, code string) []listCase {
	coord := cases.Actor{Role: model.RoleCoordinator, ID: "benchcoordinat"}
	handler := cases.Actor{Role: model.RoleHandler, ID: "benchhandler00", UnitID: unitID}
	desk := cases.Actor{Role: model.RoleFrontdesk, ID: benchDesk}
	var out []listCase
	for _, q := range cases.Queues {
		out = append(out, listCase{"list/" + q + "/coordinator", coord, cases.ListQuery{Queue: q}})
	}
	for _, q := range cases.Queues {
		out = append(out, listCase{"list/" + q + "/handler", handler, cases.ListQuery{Queue: q}})
	}
	return append(out,
		listCase{"list/open/frontdesk", desk, cases.ListQuery{Queue: cases.QueueOpen}},
		listCase{"list/all/frontdesk", desk, cases.ListQuery{Queue: cases.QueueAll}},

		listCase{"filter/all/status=proses", coord, cases.ListQuery{Queue: cases.QueueAll, Status: model.StatusProses}},
		listCase{"filter/all/type=aspirasi", coord, cases.ListQuery{Queue: cases.QueueAll, Type: model.TypeAspirasi}},
		listCase{"filter/all/unit=DINKES", coord, cases.ListQuery{Queue: cases.QueueAll, Unit: "DINKES"}},
		listCase{"filter/all/category=INF", coord, cases.ListQuery{Queue: cases.QueueAll, Category: "INF"}},
		listCase{"filter/open/unit=DINKES", coord, cases.ListQuery{Queue: cases.QueueOpen, Unit: "DINKES"}},
		listCase{"filter/open/category=INF-JALAN", coord, cases.ListQuery{Queue: cases.QueueOpen, Category: "INF-JALAN"}},
		listCase{"filter/verify/category=KES", coord, cases.ListQuery{Queue: cases.QueueVerify, Category: "KES"}},
		listCase{"filter/closed/unit=DINKES", coord, cases.ListQuery{Queue: cases.QueueClosed, Unit: "DINKES"}},
		listCase{"filter/unit/handler/status=proses", handler, cases.ListQuery{Queue: cases.QueueUnit, Status: model.StatusProses}},

		listCase{"search/all/code", coord, cases.ListQuery{Queue: cases.QueueAll, Search: code}},
		listCase{"search/all/common-word", coord, cases.ListQuery{Queue: cases.QueueAll, Search: "jalan"}},
		listCase{"search/all/rarer-word", coord, cases.ListQuery{Queue: cases.QueueAll, Search: "jembatan"}},
		listCase{"search/open/rarer-word", coord, cases.ListQuery{Queue: cases.QueueOpen, Search: "jembatan"}},
		listCase{"search/unit/handler/common-word", handler, cases.ListQuery{Queue: cases.QueueUnit, Search: "jalan"}},
		listCase{"search/all/no-match", coord, cases.ListQuery{Queue: cases.QueueAll, Search: "tidak ada yang cocok"}},

		listCase{"page/all/page=10", coord, cases.ListQuery{Queue: cases.QueueAll, Page: 10}},
		listCase{"page/open/page=10", coord, cases.ListQuery{Queue: cases.QueueOpen, Page: 10}},
	)
}

// listPlans runs cases.List once and returns the EXPLAIN QUERY PLAN lines
// of each complaints query it ran.
func listPlans(app core.App, actor cases.Actor, q cases.ListQuery) ([]string, error) {
	db, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		return nil, fmt.Errorf("not a *dbx.DB: %T", app.ConcurrentDB())
	}
	var sqls []string
	prev := db.QueryLogFunc
	db.QueryLogFunc = func(_ context.Context, _ time.Duration, s string, _ *sql.Rows, _ error) {
		if strings.Contains(s, "complaints") {
			sqls = append(sqls, s)
		}
	}
	_, err := cases.List(app, actor, q)
	db.QueryLogFunc = prev
	if err != nil {
		return nil, err
	}
	var plan []string
	for _, s := range sqls {
		var rows []struct {
			ID     int    `db:"id"`
			Parent int    `db:"parent"`
			NotUse int    `db:"notused"`
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + s).All(&rows); err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
	}
	return plan, nil
}

// benchDesk is the front-desk clerk of the benchmark: demo data has no
// counter clerk, so benchFixtures gives them one counter complaint in ten
// (about 20,000 of 1,000,000).
const benchDesk = "benchfrontdesk"

// benchFixtures finds the PUPR unit and an existing tracking code, and
// makes benchDesk the clerk of some counter complaints.
func benchFixtures(tb testing.TB, app core.App) (unitID, code string) {
	tb.Helper()
	if _, err := app.DB().NewQuery("UPDATE complaints SET created_by = {:desk} WHERE channel = 'counter' AND rowid % 10 = 0 AND created_by = ''").
		Bind(dbx.Params{"desk": benchDesk}).Execute(); err != nil {
		tb.Fatal(err)
	}
	unit, err := app.FindFirstRecordByData(model.Units, "code", "PUPR")
	if err != nil {
		tb.Fatal(err)
	}
	if err := app.DB().NewQuery("SELECT tracking_code FROM complaints ORDER BY rowid DESC LIMIT 1").Row(&code); err != nil {
		tb.Fatal(err)
	}
	return unit.Id, code
}

// BenchmarkStaffQueue measures the first page (30 rows) of each staff
// queue, as a coordinator, a unit handler and a front-desk clerk, with
// filters and the search box, through cases.List (the query and privacy
// filter), and some through HTTP (routing, auth token, JSON). Baseline:
// GET /api/health on the same router, measured in the same run. Each
// case's query plan is logged.
func BenchmarkStaffQueue(b *testing.B) {
	app := testkit.BenchApp(b, 20000)
	var count int
	app.DB().NewQuery("SELECT COUNT(*) FROM complaints").Row(&count)
	b.Logf("complaints in the database: %d", count)
	unitID, code := benchFixtures(b, app)

	col, _ := app.FindCollectionByNameOrId(model.Staff)
	staff, err := app.FindAuthRecordByEmail(model.Staff, "bench-koordinator@simpul.test")
	if err != nil {
		staff = core.NewRecord(col)
		staff.SetEmail("bench-koordinator@simpul.test")
		staff.SetPassword("rahasia-123456")
		staff.Set("name", "Bench")
		staff.Set("role", model.RoleCoordinator)
		staff.Set("active", true)
		if err := app.Save(staff); err != nil {
			b.Fatal(err)
		}
	}
	tok, _ := staff.NewAuthToken()
	srv := testkit.Serve(b, app)
	get := func(b *testing.B, path string, auth bool) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	// The baseline first and last: the machine is shared, so a drift in
	// load shows as a difference between the two.
	b.Run("http/baseline-health", func(b *testing.B) { timed(b, func() { get(b, "/api/health", false) }) })

	for _, c := range listCases(unitID, code) {
		if plan, err := listPlans(app, c.actor, c.query); err != nil {
			b.Fatal(err)
		} else {
			b.Logf("plan %s: %s", c.name, strings.Join(plan, " | "))
		}
		b.Run(c.name, func(b *testing.B) {
			timed(b, func() {
				if _, err := cases.List(app, c.actor, c.query); err != nil {
					b.Fatal(err)
				}
			})
		})
	}

	for _, q := range []string{"queue=open", "queue=verify", "queue=overdue", "queue=unit", "queue=closed", "queue=all",
		"queue=all&q=" + url.QueryEscape("jalan")} {
		b.Run("http/"+q, func(b *testing.B) {
			timed(b, func() { get(b, "/api/staff/complaints?"+q, true) })
		})
	}
	b.Run("http/baseline-health-again", func(b *testing.B) { timed(b, func() { get(b, "/api/health", false) }) })
}

// BenchmarkDueDate measures the deadline arithmetic: the working-day
// calculator alone (5 and 10 working days across the seeded 2025–2027
// holidays) and a whole transition's date update (every SLA field of a
// record). Baseline: time.Time.AddDate.
func BenchmarkDueDate(b *testing.B) {
	app := testkit.New(b)
	cal, err := sla.CalendarFor(app)
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2026, 3, 16, 10, 0, 0, 0, cal.Location()) // just before Nyepi and Idul Fitri
	var sink time.Time
	b.Run("baseline-AddDate", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink = from.AddDate(0, 0, 5+i%3)
		}
	})
	for _, n := range []int{3, 5, 10} {
		b.Run(fmt.Sprintf("AddWorkingDays-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink = cal.AddWorkingDays(from.Add(time.Duration(i%7)*24*time.Hour), n)
			}
		})
	}
	b.Run("CalendarFor-cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := sla.CalendarFor(app); err != nil {
				b.Fatal(err)
			}
		}
	})
	c := testkit.Complaint(b, app, testkit.ComplaintSpec{})
	b.Run("transition-deadlines", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cases.BenchDeadlines(app, c, model.StatusBaru, model.StatusTerdisposisi, from)
		}
	})
	_ = sink
}

// TestStaffQueuePlans checks every page the benchmark measures, on a
// seeded app before and after ANALYZE: the query goes through an index (no
// table scan) that also gives its order, so nothing is sorted, except
// complaints created in the same millisecond (by id, in the queue of all)
// and a front-desk clerk's own postponed and closed reports. A word search
// starts from the full-text index's ranked candidates instead.
func TestStaffQueuePlans(t *testing.T) {
	app := testkit.New(t)
	// The seed and the queues' "today" (due soon, overdue) on the app's
	// clock, stopped on a fixed Wednesday as in TestStaffQueueResults.
	clock.Set(app, clock.Fixed(time.Date(2026, time.November, 11, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))))
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 1000, Batch: 1000}); err != nil {
		t.Fatal(err)
	}
	unitID, code := benchFixtures(t, app)
	foreignCopies(t, app)
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			if _, err := app.DB().NewQuery("ANALYZE").Execute(); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range listCases(unitID, code) {
			plan, err := listPlans(app, c.actor, c.query)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			usesIndex, sorts, tieSort, scans := false, false, false, false
			for _, p := range plan {
				usesIndex = usesIndex || strings.HasPrefix(p, "SEARCH c USING INDEX ") || strings.HasPrefix(p, "SCAN c USING INDEX ")
				sorts = sorts || p == "USE TEMP B-TREE FOR ORDER BY"
				tieSort = tieSort || p == "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"
				scans = scans || p == "SCAN c"
			}
			if words := c.query.Search != "" && c.query.Search != code; words {
				// A word search is driven by the full-text index: its ranked
				// candidates (kept to the best {:candidates} by the one sort
				// inside the co-routine m, search.Candidates), then each
				// complaint by id in the candidates' order: nothing sorted
				// after them.
				candidates, rest, ok := strings.Cut(strings.Join(plan, "|"), "|SCAN m|")
				if !ok || !strings.Contains(candidates, "SCAN search_fts VIRTUAL TABLE") ||
					!strings.Contains(rest, "SEARCH c USING INDEX sqlite_autoindex_complaints_1 (id=?)") || scans ||
					strings.Contains(rest, "USE TEMP B-TREE") {
					t.Errorf("analyzed=%v %s: plan %q", analyzed, c.name, plan)
				}
				continue
			}
			clerkSorts := c.actor.Role == model.RoleFrontdesk &&
				(c.query.Queue == cases.QueuePostponed || c.query.Queue == cases.QueueClosed)
			if !usesIndex || scans || (sorts && !clerkSorts) || (tieSort && c.query.Queue != cases.QueueAll && !clerkSorts) {
				t.Errorf("analyzed=%v %s: plan %q", analyzed, c.name, plan)
			}
			if c.query.Search == code && !strings.Contains(strings.Join(plan, "|"), "idx_complaints_tracking_code") {
				t.Errorf("%s: a tracking code is not looked up by its index: %q", c.name, plan)
			}
		}
	}
}

// TestStaffQueueResults compares cases.List, page after page, with the
// straightforward query it replaced (listReference), for every queue as a
// coordinator, two handlers and a front-desk clerk, and for the filters and
// searches of the benchmark.
func TestStaffQueueResults(t *testing.T) {
	app := testkit.New(t)
	// A fixed Wednesday: the demo's mix of statuses depends on the weekday
	// (a Saturday or Sunday "today" leaves fewer rows to compare).
	now := time.Date(2026, time.November, 11, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 2000, Batch: 2000, Now: now}); err != nil {
		t.Fatal(err)
	}
	unitID, code := benchFixtures(t, app)
	// Rows the demo does not make: an open complaint with no deadline, a
	// unit set at intake, a closure time left empty, ties on due_at.
	if _, err := app.DB().NewQuery(`UPDATE complaints SET due_at = '' WHERE status = 'proses' AND rowid % 7 = 0`).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery(`UPDATE complaints SET unit = {:u} WHERE status = 'baru' AND rowid % 3 = 0`).
		Bind(dbx.Params{"u": unitID}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery(`UPDATE complaints SET closed_at = '' WHERE status = 'selesai' AND rowid % 11 = 0`).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery(`UPDATE complaints SET due_at = (SELECT MIN(due_at) FROM complaints WHERE due_at > '')
		WHERE status = 'terdisposisi' AND rowid % 5 = 0`).Execute(); err != nil {
		t.Fatal(err)
	}
	foreignCopies(t, app)
	other := cases.Actor{Role: model.RoleHandler, UnitID: testkit.Unit(t, app, "UMUM").Id}
	all := listCases(unitID, code)
	for _, q := range cases.Queues {
		all = append(all, listCase{"list/" + q + "/handler-umum", other, cases.ListQuery{Queue: q}},
			listCase{"list/" + q + "/admin-unit-filter", cases.Actor{Role: model.RoleAdmin}, cases.ListQuery{Queue: q, Unit: "pupr"}},
			listCase{"list/" + q + "/handler-other-unit-filter", other, cases.ListQuery{Queue: q, Unit: "PUPR"}},
			listCase{"list/" + q + "/frontdesk-status", cases.Actor{Role: model.RoleFrontdesk, ID: benchDesk},
				cases.ListQuery{Queue: q, Status: model.StatusProses}})
	}
	all = append(all,
		listCase{"unknown queue", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: "nope"}},
		listCase{"no unit", cases.Actor{Role: model.RoleHandler}, cases.ListQuery{}},
		listCase{"unknown unit", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueAll, Unit: "TIDAKADA"}},
		listCase{"search syntax", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueAll, Search: `"jalan" OR -rusak*`}},
		listCase{"search punctuation only", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueAll, Search: `50%_\`}},
		listCase{"search body and place", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueAll, Search: "minggu sukamaju"}},
		listCase{"search follow-up", cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueClosed, Search: "dijadwalkan"}})
	checked := 0
	for _, c := range all {
		for page := 1; page <= 3; page++ {
			q := c.query
			q.Page, q.PerPage, q.Now = page, 10, now
			got, err := cases.List(app, c.actor, q)
			if err != nil {
				t.Fatalf("%s page %d: %v", c.name, page, err)
			}
			want, err := listReference(app, c.actor, q)
			if err != nil {
				t.Fatalf("%s page %d: reference: %v", c.name, page, err)
			}
			if got.HasMore != want.HasMore || !slices.Equal(got.Items, want.Items) {
				t.Fatalf("%s page %d:\n got %v %+v\nwant %v %+v", c.name, page, got.HasMore, got.Items, want.HasMore, want.Items)
			}
			checked += len(got.Items)
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d rows compared", checked)
	}
}

// foreignCopies makes about a third of the complaints copies of cases
// other offices handle, as a hub holds its child offices' (no local unit)
// and a node its own intake routed elsewhere (some keep the unit they had
// here): the queues of work to do must leave them out.
func foreignCopies(t testing.TB, app core.App) {
	t.Helper()
	if _, err := app.DB().NewQuery(`UPDATE complaints SET office = CASE WHEN rowid % 2 = 0 THEN 'PKM-A' ELSE 'PKM-B' END,
		office_name = CASE WHEN rowid % 2 = 0 THEN 'Puskesmas A' ELSE '' END,
		unit = CASE WHEN rowid % 7 = 0 THEN unit ELSE '' END
		WHERE rowid % 3 = 1`).Execute(); err != nil {
		t.Fatal(err)
	}
}

// listReference is cases.List as it was before the queue indexes: one
// query joined to units and categories, filtered on their codes, with the
// planner free to choose. The test's oracle.
func listReference(app core.App, actor cases.Actor, q cases.ListQuery) (cases.ListResult, error) {
	res := cases.ListResult{Page: q.Page, PerPage: q.PerPage, Items: []cases.ListItem{}}
	dt := func(t time.Time) string {
		d, _ := types.ParseDateTime(t.UTC())
		return d.String()
	}
	now := dt(q.Now)
	where := []string{}
	params := dbx.Params{"now": now}
	add := func(cond string) { where = append(where, cond) }
	switch actor.Role {
	case model.RoleAdmin, model.RoleCoordinator:
	case model.RoleHandler:
		if actor.UnitID == "" {
			return res, nil
		}
		add("c.unit = {:own_unit}")
		params["own_unit"] = actor.UnitID
	case model.RoleFrontdesk:
		add("c.created_by = {:own_id}")
		params["own_id"] = actor.ID
	default:
		return res, nil
	}
	order := []string{"c.due_at", "c.id"}
	switch q.Queue {
	case cases.QueueVerify:
		add("c.status = 'baru'")
	case cases.QueuePostponed:
		add("c.status = 'tertunda'")
		order = []string{"c.paused_at", "c.id"}
	case cases.QueueUnit:
		add("c.status IN ('terdisposisi','proses')")
	case cases.QueueDueSoon:
		cal, err := sla.CalendarFor(app)
		if err != nil {
			return res, err
		}
		add("c.due_at >= {:now} AND c.due_at <= {:soon}")
		params["soon"] = dt(cal.AddWorkingDays(q.Now, 2))
	case cases.QueueOverdue:
		add("c.due_at != '' AND c.due_at < {:now}")
	case cases.QueueClosed:
		add("c.status IN ('selesai','diarsipkan','bukan_wewenang')")
		order = []string{"c.closed_at DESC", "c.id"}
	case cases.QueueAll:
		order = []string{"c.created DESC", "c.id"}
	default:
		add("c.due_at != ''")
	}
	// The queues of work to do list only the cases this office handles.
	if q.Queue != cases.QueueClosed && q.Queue != cases.QueueAll {
		add("c.office = {:office}")
		params["office"] = cases.OfficeCode(app)
	}
	if q.Status != "" {
		add("c.status = {:status}")
		params["status"] = q.Status
	}
	if q.Type != "" {
		add("c.type = {:type}")
		params["type"] = q.Type
	}
	if q.Unit != "" {
		add("u.code = {:unit}")
		params["unit"] = strings.ToUpper(q.Unit)
	}
	if q.Category != "" {
		add("(cat.code = {:cat} OR cat.parent IN (SELECT id FROM categories WHERE code = {:cat}))")
		params["cat"] = strings.ToUpper(q.Category)
	}
	fts := false
	if s := strings.TrimSpace(q.Search); s != "" {
		if code, err := trackcode.Normalize(s); err == nil {
			add("c.tracking_code = {:code}")
			params["code"] = code
		} else {
			// Every match of the full-text index, best first: no candidate
			// limit to widen.
			match := search.Match(s)
			if match == "" {
				return res, nil
			}
			fts = true
			add(search.FTSTable + " MATCH {:match}")
			params["match"] = match
			order = []string{"f.rank", "d.docid"}
		}
	}
	sel := app.DB().Select("c.tracking_code", "c.title", "c.type", "c.status", "c.privacy", "c.channel",
		"COALESCE(cat.name,'') AS category_name", "COALESCE(cat.code,'') AS category_code", "COALESCE(u.code,'') AS unit_code", "COALESCE(u.name,'') AS unit_name",
		"c.created", "c.due_at", "c.reporter_name", "c.unit AS unit_id", "c.created_by", "c.office", "c.office_name")
	if fts {
		sel = sel.From(search.FTSTable+" f").InnerJoin(search.DocsTable+" d", dbx.NewExp("d.docid = f.rowid")).
			InnerJoin(model.Complaints+" c", dbx.NewExp("c.id = d.complaint"))
	} else {
		sel = sel.From(model.Complaints + " c")
	}
	sel = sel.LeftJoin(model.Units+" u", dbx.NewExp("u.id = c.unit")).
		LeftJoin(model.Categories+" cat", dbx.NewExp("cat.id = c.category"))
	if len(where) > 0 {
		sel = sel.Where(dbx.NewExp(strings.Join(where, " AND "), params))
	}
	sel = sel.OrderBy(order...).Limit(int64(q.PerPage + 1)).Offset(int64((q.Page - 1) * q.PerPage))
	var rows []cases.ListItem
	if err := sel.All(&rows); err != nil {
		return res, err
	}
	if len(rows) > q.PerPage {
		res.HasMore = true
		rows = rows[:q.PerPage]
	}
	for i := range rows {
		if !privacy.Shown(actor.Viewer(), privacy.Case{Privacy: rows[i].Privacy, Status: rows[i].Status,
			UnitID: rows[i].UnitID, CreatedBy: rows[i].CreatedBy}, privacy.Identity) {
			rows[i].ReporterName = ""
		}
		rows[i].Overdue = rows[i].DueAt != "" && rows[i].DueAt < now
		// "ditangani oleh": another office's name, or its code without one.
		rows[i].HandledHere = rows[i].Office == cases.OfficeCode(app)
		switch {
		case rows[i].HandledHere:
			rows[i].OfficeName = ""
		case rows[i].OfficeName == "":
			rows[i].OfficeName = rows[i].Office
		}
	}
	res.Items = rows
	return res, nil
}
