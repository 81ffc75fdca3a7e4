// Package stats computes the figures offices are judged by (docs/architecture.md, "Domain"):
// reports received, the share routed, followed up and completed, the
// "capaian tindak lanjut", the share of first follow-ups within the
// working-day deadline, the median time to a first follow-up, and what is
// overdue now — for the whole office and broken down by unit, top-level
// category, channel, type, month and the reporter's gender where given.
//
// Every figure is defined in docs/statistics.md. They are read from the
// statistics store (store.go: cells and histograms kept by triggers in the
// transaction of every write to a complaint), so a year costs about as
// much as a month; a query for one office (Query.Office) and an office
// whose time zone changes its offset read the period's reports in one SQL
// pass instead (scan), which is also the definition the store is tested
// against. Nothing personal leaves this package: the output holds counts,
// shares, unit, category and office names, and nothing else.
package stats

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
)

// MaxPeriod bounds a query: periods longer than this many years are refused.
const MaxPeriod = 5

// Query selects the reports a Report counts: those received (created) from
// From to To, both inclusive, as dates in the office's time zone (only the
// calendar date of each value counts), optionally of one unit (its id) and
// of one handling office (its code: the complaint's office field).
type Query struct {
	From, To time.Time
	UnitID   string
	Office   string
}

// Ratio is a share with its parts, so a reader can check it.
type Ratio struct {
	Num int      `json:"num"`
	Den int      `json:"den"`
	Pct *float64 `json:"pct"` // Num/Den × 100, one decimal; null when Den is 0
}

// Percent is Pct or -1 when there is no denominator (for templates).
func (r Ratio) Percent() float64 {
	if r.Pct == nil {
		return -1
	}
	return *r.Pct
}

func ratio(num, den int) Ratio {
	r := Ratio{Num: num, Den: den}
	if den > 0 {
		p := math.Round(float64(num)*1000/float64(den)) / 10
		r.Pct = &p
	}
	return r
}

// Figures are the core figures, for the whole selection and for each group
// of a breakdown. docs/statistics.md defines each one.
type Figures struct {
	Received       int   `json:"received"`
	Routed         Ratio `json:"routed"`                   // disposed_at set / received
	FollowedUp     Ratio `json:"followed_up"`              // first_followup_at set / routed
	Completed      Ratio `json:"completed"`                // status selesai / routed
	Capaian        Ratio `json:"capaian_tindak_lanjut"`    // (proses + selesai) / (terdisposisi + proses + selesai), routed only
	WithinDeadline Ratio `json:"followup_within_deadline"` // first_followup_at <= followup_due_at / followed up
	// Median time from disposition to the first follow-up, in working days
	// (workdays.Calendar.WorkingDaysBetween) and in hours; null when no
	// report in the group has been followed up.
	MedianWorkingDays *float64 `json:"median_followup_working_days"`
	MedianHours       *float64 `json:"median_followup_hours"`
	OverdueNow        int      `json:"overdue_now"` // open (baru, terdisposisi, proses) with due_at < now
}

// OfficeRef names an office.
type OfficeRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Group is one row of a breakdown: a key (unit code, category code,
// channel, type, "YYYY-MM" or gender), a label for people, and the figures.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Figures
}

// StatusCount is how many reports of the selection are in a status now.
type StatusCount struct {
	Status string `json:"status"`
	Count  int    `json:"count"`
}

// Overdue counts the open reports past their deadline now, whenever they
// were received, by the stage whose deadline passed.
type Overdue struct {
	Total        int `json:"total"`
	Verification int `json:"verification"` // baru: verify_due_at passed (or the completion limit)
	Followup     int `json:"followup"`     // terdisposisi: followup_due_at passed (or the completion limit)
	Completion   int `json:"completion"`   // proses: completion_due_at passed
}

// UnitRef names a unit.
type UnitRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Report is the statistics of a Query.
type Report struct {
	From         string     `json:"from"` // YYYY-MM-DD, office time zone
	To           string     `json:"to"`
	TimeZone     string     `json:"timezone"`
	Unit         *UnitRef   `json:"unit"`   // null: every unit the viewer may see
	Office       *OfficeRef `json:"office"` // null: every office
	GeneratedAt  string     `json:"generated_at"`
	FollowupDays int        `json:"followup_days"` // the SLA policy's working days to a first follow-up

	Totals     Figures       `json:"totals"`
	ByStatus   []StatusCount `json:"by_status"`
	ByUnit     []Group       `json:"by_unit"`
	ByCategory []Group       `json:"by_category"` // top-level categories
	ByChannel  []Group       `json:"by_channel"`
	ByType     []Group       `json:"by_type"`
	ByMonth    []Group       `json:"by_month"` // every month of the period, empty ones too
	ByGender   []Group       `json:"by_gender"`
	ByOffice   []Group       `json:"by_office"` // the handling office (complaints.office): a hub's own and each office below

	GenderNotGiven     int `json:"gender_not_given"`
	DisabilityDeclared int `json:"disability_declared"`

	OverdueAllPeriods Overdue `json:"overdue_all_periods"`
}

// Dimensions of the breakdowns, as Label kinds.
const (
	DimUnit     = "unit"
	DimCategory = "category"
	DimChannel  = "channel"
	DimType     = "type"
	DimMonth    = "month"
	DimGender   = "gender"
	DimOffice   = "office"
)

// Genders a reporter may give (the complaints.reporter_gender values).
var Genders = []string{"perempuan", "laki_laki"}

// ErrPeriod is wrapped by Compute's errors for an impossible period.
var ErrPeriod = errors.New("stats: bad period")

// dbTime formats t as PocketBase stores dates ("2006-01-02 15:04:05.000Z"),
// so stored dates compare as strings in SQL.
func dbTime(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }

// dateOnly is t's calendar date at midnight in loc.
func dateOnly(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Compute counts the reports q selects as of now.
func Compute(app core.App, q Query, now time.Time) (*Report, error) {
	return compute(app, q, now, false)
}

// ComputeScan is Compute reading the period's reports themselves instead of
// the statistics store: the definition the store must match ("simpul stats
// check" and the tests compare the two).
func ComputeScan(app core.App, q Query, now time.Time) (*Report, error) {
	return compute(app, q, now, true)
}

func compute(app core.App, q Query, now time.Time, scan bool) (*Report, error) {
	cal, err := sla.CalendarFor(app)
	if err != nil {
		return nil, fmt.Errorf("stats: calendar: %w", err)
	}
	policy, err := sla.PolicyFor(app)
	if err != nil {
		return nil, fmt.Errorf("stats: policy: %w", err)
	}
	loc := cal.Location()
	from, to := dateOnly(q.From, loc), dateOnly(q.To, loc)
	if q.From.IsZero() || q.To.IsZero() || to.Before(from) {
		return nil, fmt.Errorf("%w: from %s to %s", ErrPeriod, from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	if to.After(from.AddDate(MaxPeriod, 0, 0)) {
		return nil, fmt.Errorf("%w: longer than %d years", ErrPeriod, MaxPeriod)
	}
	end := to.AddDate(0, 0, 1) // exclusive

	rep := &Report{
		From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), TimeZone: loc.String(),
		GeneratedAt: now.In(loc).Format(time.RFC3339), FollowupDays: policy.FollowupDays,
	}
	names, err := loadNames(app)
	if err != nil {
		return nil, err
	}
	if q.UnitID != "" {
		u, ok := names.units[q.UnitID]
		if !ok {
			return nil, fmt.Errorf("stats: unknown unit %q", q.UnitID)
		}
		rep.Unit = &UnitRef{Code: u.code, Name: u.name}
	}
	if q.Office != "" {
		rep.Office = &OfficeRef{Code: q.Office, Name: names.office(q.Office)}
	}

	var agg *aggregator
	useStore := false
	if !scan {
		if useStore, err = ready(app, cal); err != nil {
			return nil, err
		}
		if useStore && q.Office != "" {
			// The store has no office × breakdown cells: one office's
			// figures come from its own reports (few, on a hub), unless it
			// holds every report of the period (a node's own office).
			if useStore, err = officeHoldsAll(app, from, end, now, q.UnitID, q.Office); err != nil {
				return nil, err
			}
		}
	}
	if useStore {
		agg, err = computeStore(app, cal, names, from, end, q.UnitID, now)
	} else {
		agg, err = computeScan(app, cal, names, loc, from, end, q, now)
	}
	if err != nil {
		return nil, err
	}
	agg.fill(rep, from, end)

	if rep.OverdueAllPeriods, err = overdueAll(app, q.UnitID, q.Office, now); err != nil {
		return nil, err
	}
	return rep, nil
}

// computeScan reads the period's reports in one pass (scan).
func computeScan(app core.App, cal *workdays.Calendar, names *names, loc *time.Location, from, end time.Time, q Query,
	now time.Time) (*aggregator, error) {
	where := "c.created >= {:from} AND c.created < {:end}"
	params := dbx.Params{"from": dbTime(from), "end": dbTime(end), "now": dbTime(now)}
	if q.UnitID != "" {
		where += " AND c.unit = {:unit}"
		params["unit"] = q.UnitID
	}
	if q.Office != "" {
		where += " AND c.office = {:office}"
		params["office"] = q.Office
	}
	month, monthParams := monthExpr(loc, from, end)
	for k, v := range monthParams {
		params[k] = v
	}
	hint := "" // one office's reports: the office index, not the whole table
	if q.Office == "" {
		var err error
		if hint, err = scanHint(app, params); err != nil {
			return nil, err
		}
	}
	agg := newAggregator(names)
	if err := agg.scan(app, cal, month, where, hint, params); err != nil {
		return nil, err
	}
	agg.rollUp()
	return agg, nil
}

// monthExpr is the SQL for a row's month ("YYYY-MM") in the office's time
// zone. Indonesian zones keep one UTC offset all year, so shifting by it is
// exact; a zone whose offset changes within the period gets a CASE over
// the month boundaries instead.
func monthExpr(loc *time.Location, from, end time.Time) (string, dbx.Params) {
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
	_, off := first.Zone()
	same := true
	for m := first; m.Before(end); m = m.AddDate(0, 1, 0) {
		if _, o := m.Zone(); o != off {
			same = false
		}
	}
	if _, o := end.Zone(); o != off {
		same = false
	}
	if same {
		return fmt.Sprintf("strftime('%%Y-%%m', c.created, '%+d seconds')", off), nil
	}
	var b strings.Builder
	params := dbx.Params{}
	b.WriteString("CASE")
	i := 0
	for m := first; m.Before(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		fmt.Fprintf(&b, " WHEN c.created < {:mb%d} THEN '%s'", i, m.Format("2006-01"))
		params[fmt.Sprintf("mb%d", i)] = dbTime(next)
		i++
	}
	b.WriteString(" ELSE '' END")
	return b.String(), params
}

// scanHint chooses how the scan reaches the period's rows. Through the
// index on created, each row costs a random lookup, measured about eight
// times a sequential read; so when the period holds more than an eighth of
// all reports the table is read straight through (NOT INDEXED), otherwise
// the index narrows it. Counting both on the index costs a few ms.
func scanHint(app core.App, params dbx.Params) (string, error) {
	var total, inPeriod int
	err := app.DB().NewQuery("SELECT COUNT(*), COALESCE(SUM(created >= {:from} AND created < {:end}), 0) FROM "+
		model.Complaints).Bind(params).Row(&total, &inPeriod)
	if err != nil {
		return "", fmt.Errorf("stats: count: %w", err)
	}
	if inPeriod*8 >= total {
		return "NOT INDEXED", nil
	}
	return "", nil
}

// names maps ids to what people read.
// namedBy labels dim's keys (codes) with the names in rows, falling back
// to the generic label of a code no row names.
func namedBy(dim string, rows map[string]struct{ code, name string }) func(string) string {
	byCode := make(map[string]string, len(rows))
	for _, r := range rows {
		byCode[r.code] = r.name
	}
	return func(k string) string {
		if n, ok := byCode[k]; ok {
			return n
		}
		return Label("id", dim, k)
	}
}

type names struct {
	units      map[string]struct{ code, name string }
	categories map[string]struct{ code, name string } // id → its top-level category
	offices    map[string]string                      // code → name: this office and the offices registered below it
}

// office names an office code (the code itself when no office has it).
func (n *names) office(code string) string {
	if name, ok := n.offices[code]; ok && name != "" {
		return name
	}
	return code
}

func loadNames(app core.App) (*names, error) {
	n := &names{units: map[string]struct{ code, name string }{}, categories: map[string]struct{ code, name string }{},
		offices: map[string]string{}}
	var nodes []struct {
		Code string `db:"code"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("code", "name").From(model.Nodes).All(&nodes); err != nil {
		return nil, fmt.Errorf("stats: nodes: %w", err)
	}
	for _, r := range nodes {
		n.offices[r.Code] = r.Name
	}
	if o, ok := settings.OfficeOf(app); ok && o.Code != "" { // this office's own name wins
		n.offices[o.Code] = o.Name
	}
	var units []struct {
		ID   string `db:"id"`
		Code string `db:"code"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "code", "name").From(model.Units).All(&units); err != nil {
		return nil, fmt.Errorf("stats: units: %w", err)
	}
	for _, u := range units {
		n.units[u.ID] = struct{ code, name string }{u.Code, u.Name}
	}
	var cats []struct {
		ID     string `db:"id"`
		Parent string `db:"parent"`
		Code   string `db:"code"`
		Name   string `db:"name"`
	}
	if err := app.DB().Select("id", "parent", "code", "name").From(model.Categories).All(&cats); err != nil {
		return nil, fmt.Errorf("stats: categories: %w", err)
	}
	byID := make(map[string]int, len(cats))
	for i, c := range cats {
		byID[c.ID] = i
	}
	for _, c := range cats {
		top := c
		// Walk up to the root; the bound stops a (corrupt) cycle.
		for hops := 0; top.Parent != "" && hops < len(cats); hops++ {
			i, ok := byID[top.Parent]
			if !ok {
				break
			}
			top = cats[i]
		}
		n.categories[c.ID] = struct{ code, name string }{top.Code, top.Name}
	}
	return n, nil
}

// overdueAll counts the open reports past their deadline now, of every
// period (the index on status, due_at serves it).
func overdueAll(app core.App, unitID, office string, now time.Time) (Overdue, error) {
	where := "status IN ('baru','terdisposisi','proses') AND due_at != '' AND due_at < {:now}"
	params := dbx.Params{"now": dbTime(now)}
	if unitID != "" {
		where += " AND unit = {:unit}"
		params["unit"] = unitID
	}
	if office != "" {
		where += " AND office = {:office}"
		params["office"] = office
	}
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := app.DB().Select("status", "COUNT(*) AS n").From(model.Complaints).
		Where(dbx.NewExp(where, params)).GroupBy("status").All(&rows)
	if err != nil {
		return Overdue{}, fmt.Errorf("stats: overdue: %w", err)
	}
	var o Overdue
	for _, r := range rows {
		o.Total += r.N
		switch r.Status {
		case model.StatusBaru:
			o.Verification += r.N
		case model.StatusTerdisposisi:
			o.Followup += r.N
		case model.StatusProses:
			o.Completion += r.N
		}
	}
	return o, nil
}

// counts accumulates one group's figures.
type counts struct {
	received, routed, followed, completed, within, overdue int
	inFlow, flowDone                                       int // capaian: terdisposisi+proses+selesai, proses+selesai
	workDays, hours                                        []float64
	// med: the medians below were computed already (from the store's
	// histograms) instead of from workDays and hours.
	med               bool
	medianWD, medianH *float64
}

func (c *counts) add(x *cell) {
	c.received += x.n
	c.routed += x.routed
	c.followed += x.followed
	c.within += x.within
	c.overdue += x.overdue
	switch x.status {
	case model.StatusSelesai:
		c.completed += x.routed
		c.inFlow += x.n
		c.flowDone += x.n
	case model.StatusProses:
		c.inFlow += x.n
		c.flowDone += x.n
	case model.StatusTerdisposisi:
		c.inFlow += x.n
	}
}

func (c *counts) figures() Figures {
	f := Figures{
		Received:       c.received,
		Routed:         ratio(c.routed, c.received),
		FollowedUp:     ratio(c.followed, c.routed),
		Completed:      ratio(c.completed, c.routed),
		Capaian:        ratio(c.flowDone, c.inFlow),
		WithinDeadline: ratio(c.within, c.followed),
		OverdueNow:     c.overdue,
	}
	if c.med {
		f.MedianWorkingDays, f.MedianHours = c.medianWD, c.medianH
	} else {
		f.MedianWorkingDays = median(c.workDays)
		f.MedianHours = median(c.hours)
	}
	return f
}

// median of xs (sorted in place), rounded to one decimal; nil when empty.
func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}

// cell holds the reports that share every breakdown key and the status;
// groups are the counts it adds to (the totals, then one per breakdown, nil
// for a gender not given), resolved once when the cell is first seen.
type cell struct {
	key                                       [7]string // unit code, top-level category code, channel, type, month, gender, office
	status                                    string
	n, routed, followed, within, overdue, dis int
	groups                                    [8]*counts
}

// Bits of the per-report flags the scan computes in SQL.
const (
	flagRouted     = 1 << iota // disposed_at set
	flagFollowed               // routed and first_followup_at set
	flagWithin                 // followed and first_followup_at <= followup_due_at
	flagOverdue                // open status and due_at < now
	flagDisability             // the reporter declared a disability
)

// sep joins the keys of a report into one string (ASCII unit separator:
// never in codes, ids or months).
const sep = "\x1f"

// scan reads the period's reports in one pass. SQL evaluates every
// condition of docs/statistics.md per report and packs them into flags,
// with the report's keys joined into one string; Go adds the reports up
// per cell (reports sharing all keys), so each distinct key is split and
// resolved only once. The two dates of a followed-up report come along for
// the medians (working days need the office calendar).
//
// One pass over the rows is measured faster here than GROUP BY: grouping
// by all six keys leaves about as many cells as reports, and one GROUP BY
// per breakdown reads the table six times (docs/statistics.md).
func (a *aggregator) scan(app core.App, cal *workdays.Calendar, month, where, hint string, params dbx.Params) error {
	followed := "c.disposed_at != '' AND c.first_followup_at != ''"
	key := "c.unit || char(31) || c.category || char(31) || c.channel || char(31) || c.type || char(31) || " +
		month + " || char(31) || c.reporter_gender || char(31) || c.office || char(31) || c.status"
	flags := fmt.Sprintf("(c.disposed_at != '') * %d + (%s) * %d + (%s AND c.followup_due_at != '' AND c.first_followup_at <= c.followup_due_at) * %d"+
		" + (c.status IN ('baru','terdisposisi','proses') AND c.due_at != '' AND c.due_at < {:now}) * %d + (c.reporter_disability = 1) * %d",
		flagRouted, followed, flagFollowed, followed, flagWithin, flagOverdue, flagDisability)
	q := "SELECT " + key + ", " + flags +
		", CASE WHEN " + followed + " THEN COALESCE(unixepoch(c.disposed_at, 'subsec'), 0) ELSE 0 END" +
		", CASE WHEN " + followed + " THEN COALESCE(unixepoch(c.first_followup_at, 'subsec'), 0) ELSE 0 END" +
		" FROM " + model.Complaints + " c " + hint + " WHERE " + where
	rows, err := app.DB().NewQuery(q).Bind(params).Rows()
	if err != nil {
		return fmt.Errorf("stats: scan: %w", err)
	}
	defer rows.Close()
	var (
		k               string
		f               int
		disposed, first float64 // Unix seconds
	)
	for rows.Next() {
		if err := rows.Scan(&k, &f, &disposed, &first); err != nil {
			return fmt.Errorf("stats: scan: %w", err)
		}
		c := a.cells[k]
		if c == nil {
			c = a.newCell(k)
			a.cells[k] = c
		}
		c.n++
		c.routed += f & flagRouted
		c.followed += (f & flagFollowed) >> 1
		c.within += (f & flagWithin) >> 2
		c.overdue += (f & flagOverdue) >> 3
		c.dis += (f & flagDisability) >> 4
		if f&flagFollowed != 0 && disposed > 0 && first > 0 { // 0: a date SQLite could not read
			d, t := unixTime(disposed), unixTime(first)
			wd, h := float64(cal.WorkingDaysBetween(d, t)), max(t.Sub(d).Hours(), 0)
			for _, g := range c.groups {
				if g != nil {
					g.workDays = append(g.workDays, wd)
					g.hours = append(g.hours, h)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("stats: scan: %w", err)
	}
	return nil
}

// newCell splits a joined key and resolves the unit to its code and the
// category to its top-level category's code.
func (a *aggregator) newCell(k string) *cell {
	parts := strings.Split(k, sep)
	for len(parts) < 8 {
		parts = append(parts, "")
	}
	c := &cell{status: parts[7]}
	c.key = [7]string{parts[0], "", parts[2], parts[3], parts[4], parts[5], parts[6]}
	if u := parts[0]; u != "" {
		c.key[0] = "?"
		if n, ok := a.names.units[u]; ok {
			c.key[0] = n.code
		}
	}
	if n, ok := a.names.categories[parts[1]]; ok {
		c.key[1] = n.code
	}
	c.groups[0] = &a.total
	for d, dim := range dimOrder {
		if dim == DimGender && c.key[d] == "" {
			continue // not given: counted in GenderNotGiven only
		}
		g := a.dims[dim][c.key[d]]
		if g == nil {
			g = &counts{}
			a.dims[dim][c.key[d]] = g
		}
		c.groups[d+1] = g
	}
	return c
}

// aggregator rolls cells up into the totals and each breakdown.
type aggregator struct {
	names      *names
	cells      map[string]*cell
	total      counts
	dims       map[string]map[string]*counts // dimension → key → counts
	status     map[string]int
	disability int
}

func newAggregator(n *names) *aggregator {
	a := &aggregator{names: n, cells: map[string]*cell{}, dims: map[string]map[string]*counts{}, status: map[string]int{}}
	for _, d := range dimOrder {
		a.dims[d] = map[string]*counts{}
	}
	return a
}

var dimOrder = [7]string{DimUnit, DimCategory, DimChannel, DimType, DimMonth, DimGender, DimOffice}

// rollUp adds every cell's counts to the totals and to its group of each
// breakdown (the follow-up delays went there during the scan).
func (a *aggregator) rollUp() {
	for _, c := range a.cells {
		for _, g := range c.groups {
			if g != nil {
				g.add(c)
			}
		}
		a.status[c.status] += c.n
		a.disability += c.dis
	}
}

// unixTime turns Unix seconds (with a fraction) into a time.
func unixTime(sec float64) time.Time {
	whole := math.Floor(sec)
	return time.Unix(int64(whole), int64(math.Round((sec-whole)*1e3))*1e6)
}

// fill writes the totals and the sorted breakdowns into rep.
func (a *aggregator) fill(rep *Report, from, end time.Time) {
	rep.Totals = a.total.figures()
	rep.DisabilityDeclared = a.disability
	rep.GenderNotGiven = a.total.received
	for _, c := range a.dims[DimGender] {
		rep.GenderNotGiven -= c.received
	}
	rep.ByStatus = make([]StatusCount, 0, len(model.Statuses))
	for _, s := range model.Statuses {
		rep.ByStatus = append(rep.ByStatus, StatusCount{Status: s, Count: a.status[s]})
	}

	groups := func(dim string, label func(key string) string) []Group {
		out := make([]Group, 0, len(a.dims[dim]))
		for k, c := range a.dims[dim] {
			out = append(out, Group{Key: k, Label: label(k), Figures: c.figures()})
		}
		return out
	}
	byCount := func(gs []Group) {
		slices.SortFunc(gs, func(x, y Group) int {
			if c := cmp.Compare(y.Received, x.Received); c != 0 {
				return c
			}
			return cmp.Compare(x.Key, y.Key)
		})
	}
	inOrder := func(gs []Group, order []string) {
		idx := func(k string) int {
			if i := slices.Index(order, k); i >= 0 {
				return i
			}
			return len(order)
		}
		slices.SortFunc(gs, func(x, y Group) int {
			if c := cmp.Compare(idx(x.Key), idx(y.Key)); c != 0 {
				return c
			}
			return cmp.Compare(x.Key, y.Key)
		})
	}

	rep.ByUnit = groups(DimUnit, namedBy(DimUnit, a.names.units))
	byCount(rep.ByUnit)
	rep.ByCategory = groups(DimCategory, namedBy(DimCategory, a.names.categories))
	byCount(rep.ByCategory)
	rep.ByChannel = groups(DimChannel, func(k string) string { return Label("id", DimChannel, k) })
	inOrder(rep.ByChannel, model.Channels)
	rep.ByType = groups(DimType, func(k string) string { return Label("id", DimType, k) })
	inOrder(rep.ByType, model.Types)
	rep.ByGender = groups(DimGender, func(k string) string { return Label("id", DimGender, k) })
	inOrder(rep.ByGender, Genders)
	rep.ByOffice = groups(DimOffice, a.names.office)
	byCount(rep.ByOffice)

	// Every month of the period, so a quiet month shows as zero, not as a gap.
	rep.ByMonth = nil
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location()); m.Before(end); m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		c := a.dims[DimMonth][k]
		if c == nil {
			c = &counts{}
		}
		rep.ByMonth = append(rep.ByMonth, Group{Key: k, Label: Label("id", DimMonth, k), Figures: c.figures()})
	}
}
