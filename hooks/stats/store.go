package stats

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
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
// except "overdue now" (it depends on now: Compute counts it from the
// open reports at query time) and the working days of the medians (they
// depend on the calendar in force: see stats_days). A trigger subtracts a
// row's old contribution and adds its new one.
//
//   - stats_n: per grain (d: the office's day of receipt, m: its month),
//     bucket, dimension (h channel, c category id, y type, g gender when
//     given, o office), key, unit and status: received, routed, followed
//     up, within the deadline, disability declared. The channel rows carry
//     the totals, units, statuses and months too (every report has one
//     channel).
//   - stats_w: the same keys (without status) × working days from
//     disposition to the first follow-up: a histogram, exact medians.
//   - stats_r: the same keys (dimensions h, c, y, g) × that delay in tenths
//     of an hour rounded half up (v): a histogram, exact medians (see
//     median.go).
//   - stats_f: one row per followed-up report (v, created, id, the delay in
//     ms, working days, keys): the exact values behind a histogram bucket
//     when a median needs them, and per-office medians by walking
//     (o, ms, created) in order.
//   - stats_days: per day (days since 1970-01-01 in the office's zone) the
//     working days up to and including it (w), so a trigger counts working
//     days as w(follow-up day) − w(disposition day).
//   - stats_meta: the office's UTC offset the buckets were made with (tz)
//     and a fingerprint of the calendar stats_days holds (calendar).
const (
	tableMeta  = "stats_meta"
	tableDays  = "stats_days"
	tableN     = "stats_n"
	tableW     = "stats_w"
	tableR     = "stats_r"
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
		within INTEGER NOT NULL, dis INTEGER NOT NULL, PRIMARY KEY (g, b, d, k, u, st)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_w (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL,
		u TEXT NOT NULL, v INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (g, b, d, k, u, v)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS stats_r (g TEXT NOT NULL, b TEXT NOT NULL, d TEXT NOT NULL, k TEXT NOT NULL,
		u TEXT NOT NULL, v INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (g, b, d, k, u, v)) WITHOUT ROWID`,
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
		sign + " * x.within AS within, " + sign + " * x.dis AS dis FROM " + grains + ", " + dimsAll + ", " +
		"(SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.col("status") + " AS st, " + r.routed() +
		" AS routed, " + r.followed() + " AS followed, " + r.within() + " AS within, " + r.dis() + " AS dis, " +
		r.keys() + from + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// cellsW is the SELECT of r's working-day histogram cells (timed rows only).
func cellsW(r row, sign, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, x.u AS u, x.v AS v, " + sign + " AS n FROM " +
		grains + ", " + dimsAll + ", (SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.wd() + " AS v, " +
		r.keys() + and(from, r.timed()) + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// cellsR is the SELECT of r's delay histogram cells: tenths of an hour
// rounded half up (median.go's tenths).
func cellsR(r row, sign, from string) string {
	return "SELECT gr.g AS g, " + bucket + " AS b, dm.d AS d, " + key + " AS k, x.u AS u, (x.ms + 180000) / 360000 AS v, " +
		sign + " AS n FROM " + grains + ", " +
		dimsHist + ", (SELECT " + r.day() + " AS day, " + r.col("unit") + " AS u, " + r.ms() + " AS ms, " +
		r.keys() + and(from, r.timed()) + ") x WHERE x.day IS NOT NULL AND " + notEmpty
}

// and adds cond to from's WHERE (or makes one).
func and(from, cond string) string {
	if strings.Contains(from, " WHERE ") {
		return from + " AND " + cond
	}
	return from + " WHERE " + cond
}

const (
	upsertN = " ON CONFLICT (g, b, d, k, u, st) DO UPDATE SET n = n + excluded.n, routed = routed + excluded.routed, " +
		"followed = followed + excluded.followed, within = within + excluded.within, dis = dis + excluded.dis"
	upsertW = " ON CONFLICT (g, b, d, k, u, v) DO UPDATE SET n = n + excluded.n"
)

// The trigger statements of one row (new or old) with a sign.
func countStatements(r row, sign string) string {
	return "INSERT INTO stats_n (g, b, d, k, u, st, n, routed, followed, within, dis) " + cellsN(r, sign, "") + upsertN + ";\n"
}

func delayStatements(r row, sign string) string {
	// In a trigger the row is new or old itself: the inner SELECTs have no
	// FROM, and their WHERE is the timed test.
	s := "INSERT INTO stats_w (g, b, d, k, u, v, n) " + cellsW(r, sign, "") + upsertW + ";\n" +
		"INSERT INTO stats_r (g, b, d, k, u, v, n) " + cellsR(r, sign, "") + upsertW + ";\n"
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
		"reporter_disability", "office", "disposed_at", "first_followup_at", "followup_due_at"}
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
	for _, s := range storeTriggers() {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("stats: install: %w\n%s", err, s)
		}
	}
	return rebuild(app)
}

// Uninstall drops the store (the migration's down).
func Uninstall(app core.App) error {
	var stmts []string
	for _, t := range storeTriggerNames {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+t)
	}
	for _, t := range []string{tableF, tableR, tableW, tableN, tableDays, tableMeta} {
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
		"DELETE FROM stats_n", "DELETE FROM stats_w", "DELETE FROM stats_r", "DELETE FROM stats_f",
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
			"INSERT INTO stats_n (g, b, d, k, u, st, n, routed, followed, within, dis) SELECT g, b, d, k, u, st, SUM(n), SUM(routed)," +
				" SUM(followed), SUM(within), SUM(dis) FROM (" + cellsN(c, "1", from) + ") GROUP BY g, b, d, k, u, st" + upsertN,
			"INSERT INTO stats_w (g, b, d, k, u, v, n) SELECT g, b, d, k, u, v, SUM(n) FROM (" + cellsW(c, "1", from) +
				") GROUP BY g, b, d, k, u, v" + upsertW,
			"INSERT INTO stats_r (g, b, d, k, u, v, n) SELECT g, b, d, k, u, v, SUM(n) FROM (" + cellsR(c, "1", from) +
				") GROUP BY g, b, d, k, u, v" + upsertW,
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
