package stats_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

// The statistics store must give exactly the figures of the scan (the
// definition, docs/statistics.md) for every query. TestStoreMatchesScan
// builds a data set no office would make by hand and compares the two on
// many periods, units and moments, after every kind of change.

// storeNow is a Wednesday (the demo's mix depends on the weekday).
var storeNow = time.Date(2026, time.November, 11, 10, 0, 0, 0, testkit.WIB)

// compareAll compares Compute with ComputeScan on every period and unit of
// the list, at now and 40 days later.
func compareAll(t *testing.T, app core.App, step string) {
	t.Helper()
	var units []string
	if err := app.DB().NewQuery("SELECT id FROM units").Column(&units); err != nil {
		t.Fatal(err)
	}
	units = append(units, "")
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, testkit.WIB)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	periods := [][2]string{
		{"2025-11-11", "2026-11-11"}, // the year
		{"2021-11-12", "2026-11-11"}, // five years
		{"2026-01-01", "2026-12-31"},
		{"2026-02-01", "2026-02-28"}, // one whole month
		{"2026-03-15", "2026-04-14"}, // two partial months
		{"2026-03-16", "2026-03-16"}, // one day
		{"2026-02-28", "2026-03-01"}, // across a month boundary
		{"2026-04-01", "2026-06-30"}, // whole months only
		{"2025-12-31", "2026-01-01"}, // across a year boundary
		{"2026-11-01", "2026-11-11"}, // month to date (the default)
		{"2026-10-02", "2026-11-30"},
		{"2026-05-02", "2026-05-30"}, // a month without its first and last days
		{"2025-11-12", "2026-11-12"}, // a rolling year: the first month minus its first 11 days
	}
	// The store answers: no statement of Compute reads the complaints
	// except the count of the open reports whose deadline lies between
	// the store's due mark and now.
	dbc := app.ConcurrentDB().(*dbx.DB)
	var read []string
	dbc.QueryLogFunc = func(_ context.Context, _ time.Duration, sql string, _ *sql.Rows, _ error) {
		if strings.Contains(sql, "FROM complaints") && !strings.Contains(sql, "c.due_at >= ") {
			read = append(read, sql)
		}
	}
	_, err := stats.Compute(app, stats.Query{From: day(periods[0][0]), To: day(periods[0][1])}, storeNow)
	dbc.QueryLogFunc = nil
	if err != nil || len(read) > 0 {
		t.Fatalf("%s: Compute read the complaints (%v): %q", step, err, read)
	}
	checked := 0
	for _, now := range []time.Time{storeNow, storeNow.AddDate(0, 0, 40)} {
		for i, p := range periods {
			for _, u := range units {
				q := stats.Query{From: day(p[0]), To: day(p[1]), UnitID: u}
				switch {
				case i%3 == 1: // one child office: its reports
					q.Office = "PKM-A"
				case p[0] == "2026-11-01": // the office that holds every report of the period: the store
					q.Office = localOffice
				}
				got, err := stats.Compute(app, q, now)
				if err != nil {
					t.Fatalf("%s: %v: %v", step, p, err)
				}
				want, err := stats.ComputeScan(app, q, now)
				if err != nil {
					t.Fatalf("%s: %v: scan: %v", step, p, err)
				}
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Fatalf("%s: period %v unit %q now %s: the store differs from the scan at %s",
						step, p, u, now.Format(time.DateOnly), firstDiff(string(g), string(w)))
				}
				checked += want.Totals.Received
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("%s: only %d report-figures compared", step, checked)
	}
}

// firstDiff shows where two JSON texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("byte %d:\n store %s\n  scan %s", i, a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}

// walk moves a complaint through random legal transitions as a
// coordinator, at times that move forward by random steps (milliseconds
// included): postponements and resumptions, re-dispositions, follow-ups,
// closures, reopenings, archives, hand-ups.
func walk(t *testing.T, app core.App, rng *rand.Rand, c *core.Record, start time.Time, units []string) {
	t.Helper()
	at := start
	actor := cases.Actor{Role: model.RoleCoordinator, Name: "Uji", Origin: "TEST"}
	for step := 0; step < 2+rng.IntN(9); step++ {
		to := lifecycle.Allowed(c.GetString("status"), model.RoleCoordinator, true)
		if len(to) == 0 {
			return
		}
		req := cases.Request{To: to[rng.IntN(len(to))]}
		switch req.To {
		case model.StatusTerdisposisi:
			req.Unit = units[rng.IntN(len(units))]
		case model.StatusDiarsipkan:
			req.Reason = []string{lifecycle.ReasonSpam, lifecycle.ReasonOutOfScope}[rng.IntN(2)]
		}
		req.Note = "Catatan uji." // some moves require a reason
		// Mostly hours apart, sometimes days, sometimes the same minute.
		switch rng.IntN(4) {
		case 0:
			at = at.Add(time.Duration(rng.Int64N(int64(90 * time.Second))))
		case 1:
			at = at.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		default:
			at = at.Add(time.Duration(rng.Int64N(int64(60 * time.Hour))))
		}
		req.At = at.Truncate(time.Millisecond)
		err := app.RunInTransaction(func(tx core.App) error {
			fresh, err := tx.FindRecordById(model.Complaints, c.Id)
			if err != nil {
				return err
			}
			if err := cases.Transition(tx, fresh, actor, req); err != nil {
				return err
			}
			*c = *fresh
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s → %s: %v", c.GetString("status"), req.To, err)
		}
	}
}

func exec(t *testing.T, app core.App, sql string, params dbx.Params) {
	t.Helper()
	if _, err := app.DB().NewQuery(sql).Bind(params).Execute(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// localOffice is the test app's own office code.
var localOffice string

func TestStoreMatchesScan(t *testing.T) {
	app := testkit.New(t)
	if err := app.DB().NewQuery("SELECT code FROM offices LIMIT 1").Row(&localOffice); err != nil {
		t.Fatal(err)
	}
	clock.Set(app, clock.Fixed(storeNow))
	rng := rand.New(rand.NewPCG(2026, 15))
	// The migrations put the store's due mark at the start of the wall
	// clock's day; without one (the store holds nothing yet) the first
	// query moves it to storeNow's, and the moment 40 days later then
	// leaves it after the later queries' now.
	exec(t, app, "DELETE FROM stats_meta WHERE k = 'due'", nil)

	// 1. A realistic year (the demo seed walks the lifecycle with the
	// office calendar).
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 1200, Batch: 400, Now: storeNow, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	units := []string{"DINKES", "PUPR", "DINSOS", "UMUM"}
	testkit.Unit(t, app, "UMUM")

	// 2. Lifecycles walked through cases.Transition at random moments:
	// postponed and resumed, disposed again, reopened.
	var walked []*core.Record
	for i := 0; i < 150; i++ {
		c := testkit.Complaint(t, app, testkit.ComplaintSpec{Category: []string{"LAIN", "KES-PUSK", "INF-JALAN"}[i%3]})
		created := storeNow.AddDate(0, 0, -rng.IntN(400)).Add(-time.Duration(rng.Int64N(int64(24 * time.Hour))))
		exec(t, app, "UPDATE complaints SET created = {:c} WHERE id = {:id}", dbx.Params{"c": db(created), "id": c.Id})
		c, _ = app.FindRecordById(model.Complaints, c.Id)
		walk(t, app, rng, c, created, units)
		walked = append(walked, c)
	}

	// 3. Rows no workflow makes but the store must count as the scan does:
	// delays exactly on a half tenth of an hour (the rounding's ties),
	// negative delays, follow-ups after their deadline, empty deadlines,
	// reports received around local midnight and at month ends, offices
	// below a hub, disabilities, genders, dates before 1970.
	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM complaints ORDER BY rowid").Column(&ids); err != nil {
		t.Fatal(err)
	}
	offices := []string{localOffice, "PKM-A", "PKM-B", "KAB-X", ""}
	for i, id := range ids {
		p := dbx.Params{"id": id}
		switch i % 11 {
		case 0: // a tie: disposed + (2k+1)·3 minutes exactly
			disposed := storeNow.AddDate(0, -rng.IntN(11), -rng.IntN(28)).Truncate(time.Second)
			p["d"], p["f"] = db(disposed), db(disposed.Add(time.Duration(2*rng.IntN(200)+1)*3*time.Minute))
			exec(t, app, "UPDATE complaints SET disposed_at = {:d}, first_followup_at = {:f} WHERE id = {:id} AND disposed_at != ''", p)
		case 1: // follow-up before the (last) disposition
			exec(t, app, "UPDATE complaints SET first_followup_at = strftime('%Y-%m-%d %H:%M:%fZ', disposed_at, '-3 hours') WHERE id = {:id} AND disposed_at != '' AND first_followup_at != ''", p)
		case 2: // received a minute either side of local midnight at a month's end
			m := time.Date(2026, time.Month(1+rng.IntN(10)), 1, 0, 0, 0, 0, testkit.WIB)
			p["c"] = db(m.Add(time.Duration(rng.IntN(3)-1) * time.Minute))
			exec(t, app, "UPDATE complaints SET created = {:c} WHERE id = {:id}", p)
		case 3:
			exec(t, app, "UPDATE complaints SET followup_due_at = '' WHERE id = {:id}", p)
		case 7: // a follow-up at the very last moment of its deadline
			exec(t, app, "UPDATE complaints SET first_followup_at = followup_due_at WHERE id = {:id} AND first_followup_at != '' AND followup_due_at != ''", p)
		case 4:
			exec(t, app, "UPDATE complaints SET reporter_disability = 1, reporter_gender = 'perempuan' WHERE id = {:id}", p)
		case 5: // milliseconds on both dates
			exec(t, app, "UPDATE complaints SET first_followup_at = strftime('%Y-%m-%d %H:%M:%fZ', first_followup_at, '+0.123 seconds'),"+
				" disposed_at = strftime('%Y-%m-%d %H:%M:%fZ', disposed_at, '-0.877 seconds') WHERE id = {:id} AND first_followup_at != ''", p)
		case 6:
			exec(t, app, "UPDATE complaints SET disposed_at = '1969-12-31 23:00:00.000Z' WHERE id = {:id} AND first_followup_at != ''", p)
		}
		// Offices below a hub, except this month's reports: this office's.
		p["o"] = offices[i%len(offices)]
		exec(t, app, "UPDATE complaints SET office = {:o} WHERE id = {:id} AND created < '2026-10-31 17:00:00.000Z'", p)
	}
	// Deadlines around the two moments compareAll asks at: passed earlier
	// today, at local midnight, a millisecond before it, exactly now (not
	// yet overdue), later today, tomorrow.
	var open []string
	if err := app.DB().NewQuery("SELECT id FROM complaints WHERE status IN ('baru', 'terdisposisi', 'proses') ORDER BY id").
		Column(&open); err != nil {
		t.Fatal(err)
	}
	var dues []time.Time
	for _, now := range []time.Time{storeNow, storeNow.AddDate(0, 0, 40)} {
		midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, testkit.WIB)
		dues = append(dues, now.Add(-time.Hour), midnight, midnight.Add(-time.Millisecond), now, now.Add(time.Hour),
			now.Add(-time.Millisecond), midnight.AddDate(0, 0, 1))
	}
	if len(open) < 4*len(dues) {
		t.Fatalf("only %d open reports", len(open))
	}
	for i, id := range open[:4*len(dues)] {
		exec(t, app, "UPDATE complaints SET due_at = {:d} WHERE id = {:id}", dbx.Params{"d": db(dues[i%len(dues)]), "id": id})
	}
	compareAll(t, app, "after writing")

	// 4. Changes after the fact: more moves, edits of unit, category,
	// channel and office, deletions.
	for _, c := range walked[:60] {
		walk(t, app, rng, c, storeNow.AddDate(0, 0, -rng.IntN(30)), units)
	}
	exec(t, app, "UPDATE complaints SET unit = (SELECT id FROM units WHERE code = 'UMUM'), channel = 'counter' WHERE rowid % 13 = 0", nil)
	exec(t, app, "UPDATE complaints SET category = (SELECT id FROM categories WHERE code = 'LAIN'), office = 'PKM-C' WHERE rowid % 17 = 0", nil)
	exec(t, app, "DELETE FROM complaints WHERE rowid % 19 = 0", nil)
	compareAll(t, app, "after changes")

	// 5. The calendar changes: a local holiday in the middle of the data
	// and a six-day week (working days of every follow-up are counted
	// again), then the office's time zone (every bucket moves).
	hol, err := app.FindCollectionByNameOrId(model.Holidays)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"2026-05-12", "2026-08-03", "2026-10-20"} {
		r := core.NewRecord(hol)
		r.Set("date", d)
		r.Set("type", model.HolidayLokal)
		r.Set("name", "Hari jadi kabupaten "+d)
		r.Set("legal_basis", "Perbup uji")
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("working_weekdays", []int{1, 2, 3, 4, 5, 6})
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	compareAll(t, app, "after a calendar change")
	office.Set("timezone", "Asia/Jayapura")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	compareAll(t, app, "after a time zone change")

	// 6. A store of the first format (no overdue counts in the cells, a
	// row per tenth of an hour in the delay histogram stats_r), brought up
	// to date by the migration's upgrade (no rebuild).
	old := []string{"ALTER TABLE stats_n DROP COLUMN od", "DELETE FROM stats_meta WHERE k = 'due'",
		"CREATE TABLE stats_r (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL, u TEXT NOT NULL," +
			" v INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (g, b, d, k, u, v)) WITHOUT ROWID"}
	// stats_r had the cells of category, type and gender for the reports
	// without a unit, not for every unit at once: those are every unit's
	// less the units'.
	for i := range 10 {
		old = append(old, fmt.Sprintf("INSERT INTO stats_r SELECT g, b, d, k, u, 10 * h + %d, t%d FROM stats_t WHERE u != '*'", i, i),
			fmt.Sprintf("INSERT INTO stats_r SELECT g, b, d, k, '', 10 * h + %d, SUM(CASE u WHEN '*' THEN t%d ELSE -t%d END) FROM stats_t"+
				" WHERE d != 'h' GROUP BY g, b, d, k, h", i, i, i))
	}
	old = append(old, "DROP TABLE stats_t")
	for _, name := range []string{"stats_insert", "stats_insert_delay", "stats_delete", "stats_delete_delay", "stats_update",
		"stats_update_delay"} {
		exec(t, app, "DROP TRIGGER "+name, nil)
	}
	for _, q := range old {
		exec(t, app, q, nil)
	}
	if err := stats.Upgrade(app, storeNow.AddDate(0, 0, 20)); err != nil {
		t.Fatal(err)
	}
	compareAll(t, app, "after the upgrade")

	// 7. "simpul stats rebuild" gives the same store.
	before := dump(t, app)
	if err := stats.Rebuild(app); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, app); after != before {
		t.Fatalf("rebuild changed the store:\n%s", firstDiff(after, before))
	}
}

func db(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// dump is the store's non-empty cells, in order.
func dump(t *testing.T, app core.App) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT g, b, d, k, u, st, n, routed, followed, within, dis, od FROM stats_n WHERE n != 0 OR routed != 0 OR followed != 0 ORDER BY 1, 2, 3, 4, 5, 6",
		"SELECT k, v FROM stats_meta ORDER BY k",
		"SELECT g, b, d, k, u, v, n FROM stats_w WHERE n != 0 ORDER BY 1, 2, 3, 4, 5, 6",
		"SELECT * FROM stats_t WHERE t0 != 0 OR t1 != 0 OR t2 != 0 OR t3 != 0 OR t4 != 0 OR t5 != 0 OR t6 != 0 OR t7 != 0" +
			" OR t8 != 0 OR t9 != 0 ORDER BY 1, 2, 3, 4, 5, 6",
		"SELECT v, created, id, ms, wd, u, c, h, y, gn, o FROM stats_f ORDER BY 1, 2, 3",
	} {
		rows, err := app.DB().NewQuery(q).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}
