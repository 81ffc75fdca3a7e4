package stats

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/workdays"
	"simpul/hooks/sla"
)

// The statistics store (issue 15, item 2): figures kept up to date by
// SQLite triggers on complaints, in the transaction of every write to a
// complaint whatever path writes it (intake's prepared INSERTs and group
// commit, PocketBase saves, sync, imports, migrations, the demo seed), so a
// query reads a few thousand rows instead of a period's reports.
//
// Every figure of docs/statistics.md is a function of one complaint's row,
// except "overdue now" (it depends on now: the cells count it as of a due
// mark, the start of a day, and Compute reads only the open reports due
// between the mark and now) and the working days of the medians (they
// depend on the calendar in force: see stats_days). A trigger subtracts a
// row's old contribution and adds its new one.
//
//   - stats_n: per grain (d: the office's day of receipt, m: its month),
//     bucket, dimension (h channel, c category id, y type, g gender when
//     given, o office), key, unit and status: received, routed, followed
//     up, within the deadline, disability declared, and open with a
//     deadline before the due mark (od, stats_meta 'due'). The channel rows carry
//     the totals, units, statuses and months too (every report has one
//     channel).
//   - stats_w: the same keys (without status) × working days from
//     disposition to the first follow-up: a histogram, exact medians.
//   - stats_t: the same keys (dimensions h, c, y, g) × that delay in whole
//     hours (h), with ten counters t0…t9 of the delays in tenths of an hour
//     rounded half up (10h + i): a histogram of tenths, exact medians (see
//     median.go), in a tenth of the rows a row per tenth takes where the
//     delays are dense (a month's cells; a hub's year read 1,000,000 rows
//     of such a histogram per query). Category, type and gender rows are
//     kept for every unit at once (u = allUnits) and per unit (cellsT).
//   - stats_f: one row per followed-up report (v, created, id, the delay in
//     ms, working days, keys): the exact values behind a histogram bucket
//     when a median needs them, and per-office medians by walking
//     (o, ms, created) in order.
//   - stats_days: per day (days since 1970-01-01 in the office's zone) the
//     working days up to and including it (w), so a trigger counts working
//     days as w(follow-up day) − w(disposition day).
//   - stats_meta: the office's UTC offset the buckets were made with (tz),
//     a fingerprint of the calendar stats_days holds (calendar) and the due
//     mark (due).
const (
	tableMeta  = "stats_meta"
	tableDays  = "stats_days"
	tableN     = "stats_n"
	tableW     = "stats_w"
	tableT     = "stats_t"
	tableOldR  = "stats_r" // the tenths histogram with a row per tenth, before stats_t (UpgradeHours)
	tableF     = "stats_f"
	firstDay   = 0     // 1970-01-01
	lastDay    = 84000 // 2199-12-28
	msPerTenth = 360000
)

// Store dimensions (the d column).
const (
	storeChannel  = "h"
	storeCategory = "c"
	storeType     = "y"
	storeGender   = "g"
	storeOffice   = "o"
)

var storeTables = []string{
	`CREATE TABLE IF NOT EXISTS stats_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_days (day INTEGER PRIMARY KEY, w INTEGER NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS stats_n (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL,
		u TEXT NOT NULL, st TEXT NOT NULL, n INTEGER NOT NULL, routed INTEGER NOT NULL, followed INTEGER NOT NULL,
		within INTEGER NOT NULL, dis INTEGER NOT NULL, od INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (g, b, d, k, u, st)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_w (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL,
		u TEXT NOT NULL, v INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (g, b, d, k, u, v)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_t (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL,
		u TEXT NOT NULL, h INTEGER NOT NULL, ` + tenthColumns(" INTEGER NOT NULL DEFAULT 0, ") + ` PRIMARY KEY (g, b, d, k, u, h)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_f (v INTEGER NOT NULL, created TEXT NOT NULL, id TEXT NOT NULL, ms INTEGER NOT NULL,
		wd INTEGER NOT NULL, u TEXT NOT NULL, c TEXT NOT NULL, h TEXT NOT NULL, y TEXT NOT NULL, gn TEXT NOT NULL,
		o TEXT NOT NULL, PRIMARY KEY (v, created, id)) WITHOUT ROWID`,
	`CREATE INDEX IF NOT EXISTS stats_f_office ON stats_f (o, ms, created)`,
}

// row is the SQL of one complaint's contribution, for the row alias p
// ("new", "old" or a table alias).
type row struct{ p string }

func (r row) col(name string) string { return r.p + "." + name }

const tzMod = "(SELECT v FROM stats_meta WHERE k = 'tz')"

func (r row) day() string { return "date(" + r.col("created") + ", " + tzMod + ")" }

func (r row) routed() string { return "(" + r.col("disposed_at") + " != '')" }

func (r row) followed() string {
	return "(" + r.col("disposed_at") + " != '' AND " + r.col("first_followup_at") + " != '')"
}

func (r row) within() string {
	return "(" + r.followed() + " AND " + r.col("followup_due_at") + " != '' AND " + r.col("first_followup_at") +
		" <= " + r.col("followup_due_at") + ")"
}

func (r row) dis() string { return "(" + r.col("reporter_disability") + " = 1)" }

// dueMark is the moment the stats_n cells count overdue reports at (od):
// stats_meta's 'due', a stored date; ” (none yet) counts none.
const dueMark = "coalesce((SELECT v FROM stats_meta WHERE k = 'due'), '')"

// openTerms are the terms of idx_complaints_overdue's WHERE as written
// there (a partial index serves a query whose WHERE repeats them).
func (r row) openTerms() string {
	return "(" + r.col("status") + " = 'baru' OR " + r.col("status") + " = 'terdisposisi' OR " + r.col("status") + " = 'proses')"
}

// od: open with a deadline before the store's due mark.
func (r row) od() string {
	return "(" + r.openTerms() + " AND " + r.col("due_at") + " != '' AND " + r.col("due_at") + " < " + dueMark + ")"
}

// timed: followed up, with both dates readable after 1970 (what the medians
// count, as the scan of Compute did).
func (r row) timed() string {
	return "(" + r.followed() + " AND coalesce(unixepoch(" + r.col("disposed_at") + ", 'subsec'), 0) > 0 AND coalesce(unixepoch(" +
		r.col("first_followup_at") + ", 'subsec'), 0) > 0)"
}

// ms is the delay from disposition to the first follow-up in whole
// milliseconds (stored dates have millisecond precision), 0 when negative.
func (r row) ms() string {
	return "max(0, CAST(round((unixepoch(" + r.col("first_followup_at") + ", 'subsec') - unixepoch(" + r.col("disposed_at") +
		", 'subsec')) * 1000) AS INTEGER))"
}

func (r row) dayNum(col string) string {
	return "CAST(julianday(date(" + r.col(col) + ", " + tzMod + ")) - 2440587.5 AS INTEGER)"
}

// wd is workdays.Calendar.WorkingDaysBetween(disposed, first follow-up)
// through stats_days.
func (r row) wd() string {
	return "max(0, coalesce((SELECT w FROM stats_days WHERE day = " + r.dayNum("first_followup_at") +
		") - (SELECT w FROM stats_days WHERE day = " + r.dayNum("disposed_at") + "), 0))"
}

// keys are the row's dimension values as columns of the inner SELECT x.
func (r row) keys() string {
	return r.col("channel") + " AS kh, " + r.col("category") + " AS kc, " + r.col("type") + " AS ky, " +
		r.col("reporter_gender") + " AS kg, " + r.col("office") + " AS ko"
}

// grains and dims are constant rows to expand a complaint into its cells.
const (
	grains   = "(SELECT 'd' AS g UNION ALL SELECT 'm') gr"
	dimsAll  = "(SELECT 'h' AS d UNION ALL SELECT 'c' UNION ALL SELECT 'y' UNION ALL SELECT 'g' UNION ALL SELECT 'o') dm"
	dimsHist = "(SELECT 'h' AS d UNION ALL SELECT 'c' UNION ALL SELECT 'y' UNION ALL SELECT 'g') dm"
	bucket   = "CASE gr.g WHEN 'd' THEN x.day ELSE substr(x.day, 1, 7) END"
	key      = "CASE dm.d WHEN 'h' THEN x.kh WHEN 'c' THEN x.kc WHEN 'y' THEN x.ky WHEN 'g' THEN x.kg ELSE x.ko END"
	notEmpty = "(dm.d != 'g' OR x.kg != '')"
)

// cellsN is the SELECT of r's stats_n cells, each count multiplied by sign.
// from is "" in a trigger (r is new or old) and " FROM complaints c" in a
// rebuild (which sums the cells).
func cellsN(r row, sign, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, x.u AS u, x.st AS st, " +
		sign + " AS n, " + sign + " * x.routed AS routed, " + sign + " * x.followed AS followed, " +
		sign + " * x.within AS within, " + sign + " * x.dis AS dis, " + sign + " * x.od AS od FROM " + grains + ", " + dimsAll + ", " +
		"(SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.col("status") + " AS st, " + r.routed() +
		" AS routed, " + r.followed() + " AS followed, " + r.within() + " AS within, " + r.dis() + " AS dis, " +
		r.od() + " AS od, " + r.keys() + from + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// cellsW is the SELECT of r's working-day histogram cells (timed rows only).
func cellsW(r row, sign, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, x.u AS u, x.v AS v, " + sign + " AS n FROM " +
		grains + ", " + dimsAll + ", (SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.wd() + " AS v, " +
		r.keys() + and(from, r.timed()) + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// tenthColumns lists t0…t9, each followed by sep.
func tenthColumns(sep string) string {
	var b strings.Builder
	for i := range 10 {
		fmt.Fprintf(&b, "t%d%s", i, sep)
	}
	return b.String()
}

// tenthCounters are the SQL of t0…t9 for a delay of v tenths counted n
// times: n in the counter of v's tenth, 0 in the others.
func tenthCounters(v, n string) string {
	var b strings.Builder
	for i := range 10 {
		fmt.Fprintf(&b, ", CASE %s %% 10 WHEN %d THEN %s ELSE 0 END AS t%d", v, i, n, i)
	}
	return b.String()
}

// cellsT is the SELECT of r's delay histogram cells: the whole hours and
// the counter of the tenth (tenths of an hour rounded half up, median.go's
// tenths). The category, type and gender cells are kept for every unit at
// once (u = allUnits), which is what a query without a unit reads (a unit's
// categories' histograms summed over six units took 70 % of a year's
// statistics at 1,000,000), and for the report's own unit when it has one,
// which is what a query for one unit reads (no query asks for the reports
// without a unit). The channel cells carry the units' breakdown and keep
// their unit, "" included.
func cellsT(r row, sign, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, CASE us.every WHEN 1 THEN '" + allUnits +
		"' ELSE x.u END AS u, x.v / 10 AS h" + tenthCounters("x.v", sign) + " FROM " + grains + ", " + dimsHist + ", " + unitRows +
		", (SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, (" + r.ms() + " + 180000) / 360000 AS v, " + r.keys() +
		and(from, r.timed()) + ") x WHERE x.day IS NOT NULL AND " + notEmpty +
		" AND (CASE us.every WHEN 1 THEN dm.d != 'h' ELSE dm.d = 'h' OR x.u != '' END)"
}

// allUnits is stats_t's u of the cells of every unit at once, and unitRows
// the constant rows that expand a report into its unit's cells and those.
const (
	allUnits = "*"
	unitRows = "(SELECT 0 AS every UNION ALL SELECT 1) us"
)

// and adds cond to from's WHERE (or makes one).
func and(from, cond string) string {
	if strings.Contains(from, " WHERE ") {
		return from + " AND " + cond
	}
	return from + " WHERE " + cond
}

const (
	upsertN = " ON CONFLICT (g, b, d, k, u, st) DO UPDATE SET n = n + excluded.n, routed = routed + excluded.routed, " +
		"followed = followed + excluded.followed, within = within + excluded.within, dis = dis + excluded.dis, od = od + excluded.od"
	upsertW = " ON CONFLICT (g, b, d, k, u, v) DO UPDATE SET n = n + excluded.n"
)

// upsertT adds a stats_t row's counters to the stored row's.
var upsertT = func() string {
	var sets []string
	for i := range 10 {
		sets = append(sets, fmt.Sprintf("t%d = t%d + excluded.t%d", i, i, i))
	}
	return " ON CONFLICT (g, b, d, k, u, h) DO UPDATE SET " + strings.Join(sets, ", ")
}()

// tenthCounts are stats_t's counters t0…t9.
var tenthCounts = strings.Split(strings.TrimSuffix(tenthColumns(","), ","), ",")

// insertT is the INSERT of stats_t rows.
var insertT = "INSERT INTO stats_t (g, b, d, k, u, h, " + strings.TrimSuffix(tenthColumns(", "), ", ") + ") "

// The trigger statements of one row (new or old) with a sign.
func countStatements(r row, sign string) string {
	return "INSERT INTO stats_n (g, b, d, k, u, st, n, routed, followed, within, dis, od) " + cellsN(r, sign, "") + upsertN + ";\n"
}

func delayStatements(r row, sign string) string {
	// In a trigger the row is new or old itself: the inner SELECTs have no
	// FROM, and their WHERE is the timed test.
	s := "INSERT INTO stats_w (g, b, d, k, u, v, n) " + cellsW(r, sign, "") + upsertW + ";\n" +
		insertT + cellsT(r, sign, "") + upsertT + ";\n"
	if sign == "1" {
		s += "INSERT INTO stats_f (v, created, id, ms, wd, u, c, h, y, gn, o) SELECT (" + r.ms() + " + 180000) / 360000, " +
			r.col("created") + ", " + r.col("id") + ", " + r.ms() + ", " + r.wd() + ", " + r.col("unit") + ", " +
			r.col("category") + ", " + r.col("channel") + ", " + r.col("type") + ", " + r.col("reporter_gender") + ", " +
			r.col("office") + " WHERE " + r.timed() + ";\n"
	} else {
		s += "DELETE FROM stats_f WHERE " + r.timed() + " AND v = (" + r.ms() + " + 180000) / 360000 AND created = " +
			r.col("created") + " AND id = " + r.col("id") + ";\n"
	}
	return s
}

// countColumns and delayColumns are the complaint columns each part
// depends on: an UPDATE that changes none of them changes no figure.
var (
	countColumns = []string{"created", "status", "unit", "category", "channel", "type", "reporter_gender",
		"reporter_disability", "office", "disposed_at", "first_followup_at", "followup_due_at", "due_at"}
	delayColumns = []string{"created", "unit", "category", "channel", "type", "reporter_gender", "office",
		"disposed_at", "first_followup_at", "id"}
)

func changed(cols []string) string {
	var parts []string
	for _, c := range cols {
		parts = append(parts, "old."+c+" IS NOT new."+c)
	}
	return strings.Join(parts, " OR ")
}

func storeTriggers() []string {
	nw, od := row{"new"}, row{"old"}
	return []string{
		"CREATE TRIGGER IF NOT EXISTS stats_insert AFTER INSERT ON complaints BEGIN\n" + countStatements(nw, "1") + "END",
		"CREATE TRIGGER IF NOT EXISTS stats_insert_delay AFTER INSERT ON complaints WHEN " + nw.timed() + " BEGIN\n" +
			delayStatements(nw, "1") + "END",
		"CREATE TRIGGER IF NOT EXISTS stats_delete AFTER DELETE ON complaints BEGIN\n" + countStatements(od, "-1") + "END",
		"CREATE TRIGGER IF NOT EXISTS stats_delete_delay AFTER DELETE ON complaints WHEN " + od.timed() + " BEGIN\n" +
			delayStatements(od, "-1") + "END",
		"CREATE TRIGGER IF NOT EXISTS stats_update AFTER UPDATE ON complaints WHEN " + changed(countColumns) + " BEGIN\n" +
			countStatements(od, "-1") + countStatements(nw, "1") + "END",
		"CREATE TRIGGER IF NOT EXISTS stats_update_delay AFTER UPDATE ON complaints WHEN (" + od.timed() + " OR " + nw.timed() +
			") AND (" + changed(delayColumns) + ") BEGIN\n" + delayStatements(od, "-1") + delayStatements(nw, "1") + "END",
	}
}

var storeTriggerNames = []string{"stats_insert", "stats_insert_delay", "stats_delete", "stats_delete_delay",
	"stats_update", "stats_update_delay"}

// Install creates the store's tables and triggers and fills them from the
// complaints already stored (the statistics migration calls it; running it
// again changes nothing but the fill).
func Install(app core.App) error {
	for _, s := range storeTables {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("stats: install: %w", err)
		}
	}
	if err := installTriggers(app); err != nil {
		return err
	}
	return rebuild(app)
}

// installTriggers (re)creates the store's triggers as this version writes
// them.
func installTriggers(app core.App) error {
	if err := Pause(app); err != nil {
		return err
	}
	for _, s := range storeTriggers() {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("stats: install: %w\n%s", err, s)
		}
	}
	return nil
}

// Upgrade brings a store of the first format (stats_n without od, the
// delay histogram stats_r with a row per tenth) to this one without
// reading the complaints' rows: the od column (0 in every cell, which the
// absent due mark means), stats_t filled from stats_r one bucket at a
// time, the triggers that keep them, and a due mark at the start of now's
// day, so that a query reads only the reports whose deadline lies between
// that mark and now (the statistics migration 1763866000 calls it; on a
// store already in this format it changes nothing but the triggers and,
// possibly, the mark).
func Upgrade(app core.App, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		var hasOD, hasR int
		if err := tx.DB().NewQuery("SELECT (SELECT COUNT(*) FROM pragma_table_info('stats_n') WHERE name = 'od'),"+
			" (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'stats_r')").Row(&hasOD, &hasR); err != nil {
			return fmt.Errorf("stats: upgrade: %w", err)
		}
		stmts := slices.Clone(storeTables)
		if hasOD == 0 {
			stmts = append(stmts, "ALTER TABLE stats_n ADD COLUMN od INTEGER NOT NULL DEFAULT 0", "DELETE FROM stats_meta WHERE k = 'due'")
		}
		for _, q := range stmts {
			if _, err := tx.DB().NewQuery(q).Execute(); err != nil {
				return fmt.Errorf("stats: upgrade: %w", err)
			}
		}
		if hasR > 0 {
			if err := hoursFromTenths(tx); err != nil {
				return err
			}
		}
		if err := installTriggers(tx); err != nil {
			return err
		}
		cal, err := sla.CalendarFor(tx)
		if err != nil {
			return fmt.Errorf("stats: upgrade: calendar: %w", err)
		}
		return advanceDue(tx, dueMarkFor(now, cal.Location()))
	})
}

// hoursFromTenths fills stats_t from the histogram of the first format
// (stats_r: a row per tenth, v) and drops that, one bucket at a time (a
// sorter then holds one bucket's rows).
func hoursFromTenths(tx core.App) error {
	var buckets []struct {
		G string `db:"g"`
		B string `db:"b"`
	}
	if err := tx.DB().NewQuery("SELECT DISTINCT g, b FROM stats_r").All(&buckets); err != nil {
		return fmt.Errorf("stats: upgrade: %w", err)
	}
	// The channel cells and the units' cells as they are, and the cells
	// of every unit at once (cellsT says which stats_t keeps).
	q := insertT + "SELECT g, b, d, k, u, h, " + sums(tenthCounts) + " FROM (SELECT g, b, d, k, u, v / 10 AS h" +
		tenthCounters("v", "n") + " FROM stats_r WHERE g = {:g} AND b = {:b} AND n != 0 AND (d = 'h' OR u != '')" +
		" UNION ALL SELECT g, b, d, k, '" + allUnits + "' AS u, v / 10 AS h" + tenthCounters("v", "n") +
		" FROM stats_r WHERE g = {:g} AND b = {:b} AND n != 0 AND d != 'h') GROUP BY g, b, d, k, u, h" + upsertT
	for _, bk := range buckets {
		if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"g": bk.G, "b": bk.B}).Execute(); err != nil {
			return fmt.Errorf("stats: upgrade: %w", err)
		}
	}
	if _, err := tx.DB().NewQuery("DROP TABLE stats_r").Execute(); err != nil {
		return fmt.Errorf("stats: upgrade: %w", err)
	}
	return nil
}

// dueMarkFor is the due mark a query at now wants: the start of now's day
// in the office's zone, as a stored date.
func dueMarkFor(now time.Time, loc *time.Location) string {
	n := now.In(loc)
	return dbTime(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc))
}

// currentDueMark reads the store's due mark ("" for none).
func currentDueMark(app core.App) (string, error) {
	var mark string
	if err := app.DB().NewQuery("SELECT " + dueMark).Row(&mark); err != nil {
		return "", fmt.Errorf("stats: due mark: %w", err)
	}
	return mark, nil
}

// cellsDue is the SELECT of the stats_n cell keys of r's reports with
// n = 1 each, from the columns idx_complaints_overdue carries (so reading
// them needs no row of the table).
func cellsDue(r row, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, x.u AS u, x.st AS st, 1 AS n FROM " +
		grains + ", " + dimsAll + ", (SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.col("status") + " AS st, " +
		r.keys() + from + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// advanceDue moves the store's due mark forward to mark in one
// transaction: the cells then also count the open reports whose deadline
// lies in [old mark, mark), read from idx_complaints_overdue, one day of
// deadlines at a time (a sorter holds a day's cells: the first mark of a
// large store counts every overdue report). A mark at or before the
// current one changes nothing: the queries correct for any distance
// between the mark and now (agg.go), the mark only keeps that distance
// short.
func advanceDue(app core.App, mark string) error {
	return app.RunInTransaction(func(tx core.App) error {
		cur, err := currentDueMark(tx)
		if err != nil || mark <= cur {
			return err
		}
		c := row{"c"}
		from := " FROM complaints c INDEXED BY idx_complaints_overdue WHERE " + c.openTerms() +
			" AND c.due_at != '' AND c.due_at >= {:lo} AND c.due_at < {:hi}"
		q := "INSERT INTO stats_n (g, b, d, k, u, st, n, routed, followed, within, dis, od) SELECT g, b, d, k, u, st, 0, 0, 0, 0, 0," +
			" SUM(n) FROM (" + cellsDue(c, from) + ") GROUP BY g, b, d, k, u, st ON CONFLICT (g, b, d, k, u, st) DO UPDATE SET od = od + excluded.od"
		for lo := cur; lo < mark; {
			// The next deadline in range (the index is ordered by due_at)
			// and the end of its UTC day.
			var next string
			if err := tx.DB().NewQuery("SELECT coalesce(min(c.due_at), '')" + from).
				Bind(dbx.Params{"lo": lo, "hi": mark}).Row(&next); err != nil {
				return fmt.Errorf("stats: due mark: %w", err)
			}
			if next == "" {
				break
			}
			hi := mark
			if day, err := time.Parse(time.DateOnly, next[:min(10, len(next))]); err == nil {
				hi = min(mark, day.AddDate(0, 0, 1).Format(time.DateOnly))
			}
			if hi <= lo { // a deadline that is no date: the rest at once
				hi = mark
			}
			if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"lo": lo, "hi": hi}).Execute(); err != nil {
				return fmt.Errorf("stats: due mark: %w", err)
			}
			lo = hi
		}
		if _, err := tx.DB().NewQuery("INSERT OR REPLACE INTO stats_meta (k, v) VALUES ('due', {:m})").
			Bind(dbx.Params{"m": mark}).Execute(); err != nil {
			return fmt.Errorf("stats: due mark: %w", err)
		}
		return nil
	})
}

// Uninstall drops the store (the migration's down).
func Uninstall(app core.App) error {
	var stmts []string
	for _, t := range storeTriggerNames {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+t)
	}
	for _, t := range []string{tableF, tableT, tableOldR, tableW, tableN, tableDays, tableMeta} {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
	}
	for _, s := range stmts {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("stats: uninstall: %w", err)
		}
	}
	return nil
}

// Rebuild recomputes the whole store from the complaints in one
// transaction ("simpul stats rebuild"): the office's zone and calendar as
// they are now, then every cell. About 10 s per 1,000,000 complaints on a
// 2-core server.
func Rebuild(app core.App) error {
	return app.RunInTransaction(func(tx core.App) error { return rebuild(tx) })
}

func rebuild(tx core.App) error {
	cal, err := sla.CalendarFor(tx)
	if err != nil {
		return fmt.Errorf("stats: rebuild: calendar: %w", err)
	}
	off, ok := fixedOffset(cal.Location())
	if !ok {
		off = 0 // the store is not used for such a zone (see Ready); keep it consistent anyway
	}
	stmts := []string{
		"DELETE FROM stats_n", "DELETE FROM stats_w", "DELETE FROM stats_t", "DELETE FROM stats_f",
		"INSERT OR REPLACE INTO stats_meta (k, v) VALUES ('tz', '" + fmt.Sprintf("%+d seconds", off) + "')",
	}
	for _, s := range stmts {
		if _, err := tx.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("stats: rebuild: %w", err)
		}
	}
	if err := writeDays(tx, cal); err != nil {
		return err
	}
	c := row{"c"}
	return eachDay(tx, func(from string, params dbx.Params) error {
		for _, q := range []string{
			"INSERT INTO stats_n (g, b, d, k, u, st, n, routed, followed, within, dis, od) SELECT g, b, d, k, u, st, SUM(n), SUM(routed)," +
				" SUM(followed), SUM(within), SUM(dis), SUM(od) FROM (" + cellsN(c, "1", from) + ") GROUP BY g, b, d, k, u, st" + upsertN,
			"INSERT INTO stats_w (g, b, d, k, u, v, n) SELECT g, b, d, k, u, v, SUM(n) FROM (" + cellsW(c, "1", from) +
				") GROUP BY g, b, d, k, u, v" + upsertW,
			insertT + "SELECT g, b, d, k, u, h, " + sums(tenthCounts) + " FROM (" + cellsT(c, "1", from) + ") GROUP BY g, b, d, k, u, h" + upsertT,
			"INSERT INTO stats_f (v, created, id, ms, wd, u, c, h, y, gn, o) SELECT (" + c.ms() + " + 180000) / 360000, c.created, c.id, " +
				c.ms() + ", " + c.wd() + ", c.unit, c.category, c.channel, c.type, c.reporter_gender, c.office" + and(from, c.timed()),
		} {
			if _, err := tx.DB().NewQuery(q).Bind(params).Execute(); err != nil {
				return fmt.Errorf("stats: rebuild: %w", err)
			}
		}
		return nil
	})
}

// eachDay calls fill with the FROM clause (with its WHERE) of the
// complaints received on each UTC day from the first to the last, so that
// a rebuild sums one day of reports at a time: SQLite's sorter (in memory:
// temp_store=MEMORY) then holds a day's cells, not a million reports' (a
// single GROUP BY over 1,000,000 complaints took 2.4 GB).
func eachDay(tx core.App, fill func(from string, params dbx.Params) error) error {
	var first, last string
	if err := tx.DB().NewQuery("SELECT coalesce(min(created), ''), coalesce(max(created), '') FROM complaints").Row(&first, &last); err != nil {
		return fmt.Errorf("stats: rebuild: %w", err)
	}
	if first == "" {
		return nil
	}
	lo, err := time.Parse(time.DateOnly, first[:min(10, len(first))])
	if err != nil {
		lo = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	from := " FROM complaints c INDEXED BY idx_complaints_created WHERE c.created >= {:lo} AND c.created < {:hi}"
	for d := lo; d.Format(time.DateOnly) <= last; d = d.AddDate(0, 0, 1) {
		if err := fill(from, dbx.Params{"lo": d.Format(time.DateOnly), "hi": d.AddDate(0, 0, 1).Format(time.DateOnly)}); err != nil {
			return err
		}
	}
	// A created that is no date at all (the scan would skip it too) is
	// outside every day; nothing else is.
	return nil
}

// fixedOffset is loc's UTC offset in seconds when it has kept one offset
// from 1990 to 2100 (every Indonesian zone); ok is false otherwise, and
// Compute then reads the complaints instead of the store.
func fixedOffset(loc *time.Location) (int, bool) {
	_, off := time.Date(1990, 1, 1, 0, 0, 0, 0, loc).Zone()
	for y := 1990; y <= 2100; y++ {
		for _, m := range []time.Month{time.January, time.April, time.July, time.October} {
			if _, o := time.Date(y, m, 1, 0, 0, 0, 0, loc).Zone(); o != off {
				return 0, false
			}
		}
	}
	return off, true
}

// dayTime is noon of day number d in loc.
func dayTime(d int, loc *time.Location) time.Time {
	return time.Date(1970, 1, 1+d, 12, 0, 0, 0, loc)
}

// calendarDays is w for every day of the store's range, and a fingerprint
// of it.
func calendarDays(cal *workdays.Calendar) ([]int32, string) {
	loc := cal.Location()
	ws := make([]int32, lastDay-firstDay+1)
	h := sha256.New()
	var w int32
	var buf [4]byte
	for d := firstDay; d <= lastDay; d++ {
		if cal.IsWorkingDay(dayTime(d, loc)) {
			w++
		}
		ws[d-firstDay] = w
		binary.LittleEndian.PutUint32(buf[:], uint32(w))
		h.Write(buf[:])
	}
	h.Write([]byte(loc.String()))
	return ws, hex.EncodeToString(h.Sum(nil)[:16])
}

// writeDays stores the calendar's cumulative working days and its
// fingerprint.
func writeDays(tx core.App, cal *workdays.Calendar) error {
	ws, fp := calendarDays(cal)
	if _, err := tx.DB().NewQuery("DELETE FROM stats_days").Execute(); err != nil {
		return fmt.Errorf("stats: days: %w", err)
	}
	const chunk = 500
	for start := 0; start < len(ws); start += chunk {
		end := min(start+chunk, len(ws))
		var b strings.Builder
		b.WriteString("INSERT INTO stats_days (day, w) VALUES ")
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d,%d)", firstDay+i, ws[i])
		}
		if _, err := tx.DB().NewQuery(b.String()).Execute(); err != nil {
			return fmt.Errorf("stats: days: %w", err)
		}
	}
	_, err := tx.DB().NewQuery("INSERT OR REPLACE INTO stats_meta (k, v) VALUES ('calendar', {:fp})").
		Bind(map[string]any{"fp": fp}).Execute()
	if err != nil {
		return fmt.Errorf("stats: days: %w", err)
	}
	return nil
}

// fingerprints caches a calendar's fingerprint (sla.CalendarFor returns
// the same *Calendar until the holidays or the office change).
var fingerprints sync.Map // *workdays.Calendar → string

func fingerprint(cal *workdays.Calendar) string {
	if fp, ok := fingerprints.Load(cal); ok {
		return fp.(string)
	}
	_, fp := calendarDays(cal)
	fingerprints.Store(cal, fp)
	return fp
}

// ready makes the store match the office's zone and calendar before a
// query: when the holidays, the working weekdays or the zone changed since
// the store was written, the working days of every followed-up report are
// counted again (or, for a new zone, everything is rebuilt). ok is false
// when the store cannot serve this office (a zone whose offset changes, or
// no store): Compute then reads the complaints.
func ready(app core.App, cal *workdays.Calendar) (bool, error) {
	off, fixed := fixedOffset(cal.Location())
	if !fixed {
		return false, nil
	}
	var meta []struct {
		K string `db:"k"`
		V string `db:"v"`
	}
	if err := app.DB().NewQuery("SELECT k, v FROM stats_meta").All(&meta); err != nil {
		return false, nil // no store (yet)
	}
	m := map[string]string{}
	for _, r := range meta {
		m[r.K] = r.V
	}
	if m["tz"] != fmt.Sprintf("%+d seconds", off) {
		return true, Rebuild(app)
	}
	if m["calendar"] == fingerprint(cal) {
		return true, nil
	}
	return true, app.RunInTransaction(func(tx core.App) error { return recountWorkdays(tx, cal) })
}

// recountWorkdays rewrites stats_days for cal and the working days of
// every followed-up report (stats_w and stats_f.wd) from the complaints.
func recountWorkdays(tx core.App, cal *workdays.Calendar) error {
	if err := writeDays(tx, cal); err != nil {
		return err
	}
	c := row{"c"}
	for _, q := range []string{
		"DELETE FROM stats_w",
		"UPDATE stats_f SET wd = (SELECT " + c.wd() + " FROM complaints c WHERE c.id = stats_f.id)",
	} {
		if _, err := tx.DB().NewQuery(q).Execute(); err != nil {
			return fmt.Errorf("stats: working days: %w", err)
		}
	}
	return eachDay(tx, func(from string, params dbx.Params) error {
		_, err := tx.DB().NewQuery("INSERT INTO stats_w (g, b, d, k, u, v, n) SELECT g, b, d, k, u, v, SUM(n) FROM (" +
			cellsW(c, "1", from) + ") GROUP BY g, b, d, k, u, v" + upsertW).Bind(params).Execute()
		if err != nil {
			return fmt.Errorf("stats: working days: %w", err)
		}
		return nil
	})
}

// Pause drops the store's triggers for a bulk load (the hub generator):
// the store then no longer follows the complaints until Install rebuilds
// it, which a bulk load must call when it ends.
func Pause(app core.App) error {
	for _, t := range storeTriggerNames {
		if _, err := app.DB().NewQuery("DROP TRIGGER IF EXISTS " + t).Execute(); err != nil {
			return fmt.Errorf("stats: pause: %w", err)
		}
	}
	return nil
}
