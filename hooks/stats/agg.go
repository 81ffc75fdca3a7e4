package stats

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
)

// Reading the store (store.go). A period is whole months (grain m) plus,
// at either end, the days of a partial month (grain d) or the month minus
// the days it leaves out (spanOf), so a year reads about twelve months of
// cells and a few days. Each breakdown's counts come from the cells of its dimension
// (totals, units, statuses and months from the channel cells), summed in
// SQL; medians from the histograms; "overdue now" from the cells' counts
// as of the due mark, corrected to now from the reports due in between.

// span is the store's buckets covering [from, end) (local midnights).
type span struct {
	plus   string // SQL condition on (g, b): the buckets added up
	minus  string // the days subtracted from their month ("" for none)
	params dbx.Params
}

// spanOf lists the buckets of [from, end): whole months (grain m), and for
// a month the period covers in part, its days (grain d) or, when fewer
// days are to be read that way, the month minus the days left out. Days
// after today (from now's local date on) hold no reports, so they cost
// nothing to subtract: a rolling year up to today reads the month it
// starts in minus the days before its start, eleven months, and this month
// minus the days still to come — six days with reports instead of 31.
//
// The buckets are listed one by one (b IN (…)) rather than as ranges: with
// every column before d fixed, SQLite seeks each bucket's rows of the
// dimension asked for through the primary key (g, b, d, …) instead of
// reading every dimension's rows of the period and dropping most (a hub's
// office rows outnumber the rest).
func spanOf(from, end, now time.Time) span {
	today := now.In(from.Location())
	tomorrow := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, from.Location())
	params := dbx.Params{}
	var days, minus, months []string
	bucket := func(list *[]string, v string) {
		p := fmt.Sprintf("b%d", len(params))
		params[p] = v
		*list = append(*list, "{:"+p+"}")
	}
	addDays := func(list *[]string, a, b time.Time) int { // [a, b) whole days; the number to read
		n := 0
		for d := a; d.Before(b); d = d.AddDate(0, 0, 1) {
			if list != nil {
				bucket(list, d.Format(time.DateOnly))
			}
			if d.Before(tomorrow) {
				n++
			}
		}
		return n
	}
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location()); m.Before(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		lo, hi := m, next
		if from.After(lo) {
			lo = from
		}
		if end.Before(hi) {
			hi = end
		}
		switch covered, left := addDays(nil, lo, hi), addDays(nil, m, lo)+addDays(nil, hi, next); {
		case lo.Equal(m) && hi.Equal(next):
			bucket(&months, m.Format("2006-01"))
		case covered <= left:
			addDays(&days, lo, hi)
		default:
			bucket(&months, m.Format("2006-01"))
			addDays(&minus, m, lo)
			addDays(&minus, hi, next)
		}
	}
	var parts []string
	if len(days) > 0 {
		parts = append(parts, "(g = 'd' AND b IN ("+strings.Join(days, ", ")+"))")
	}
	if len(months) > 0 {
		parts = append(parts, "(g = 'm' AND b IN ("+strings.Join(months, ", ")+"))")
	}
	if len(parts) == 0 {
		parts = append(parts, "0")
	}
	sp := span{plus: "(" + strings.Join(parts, " OR ") + ")", params: params}
	if len(minus) > 0 {
		sp.minus = "(g = 'd' AND b IN (" + strings.Join(minus, ", ") + "))"
	}
	return sp
}

// sgroup is one group as the store path builds it: its counts, its
// histograms, and how to find its followed-up reports in stats_f.
type sgroup struct {
	c      *counts
	wd, hr hist
	col    string          // stats_f column of the group's key ("" for totals and months)
	raw    map[string]bool // the stored values that make up the key (ids of a unit code, leaves of a category)
	month  string          // "YYYY-MM" for a month group
}

func newSGroup(col string) *sgroup {
	return &sgroup{c: &counts{}, wd: hist{}, hr: hist{}, col: col, raw: map[string]bool{}}
}

// storeQuery is one Compute through the store.
type storeQuery struct {
	app      core.App
	names    *names
	loc      *time.Location
	from     time.Time // local midnight
	end      time.Time // exclusive local midnight
	unitID   string
	now      time.Time
	mark     string // the store's due mark (stored date): the cells count as overdue the open reports due before it
	sp       span
	total    *sgroup
	dims     map[string]map[string]*sgroup
	status   map[string]int
	dis      int
	cellDims map[string]string // store dimension → breakdown
}

func newStoreQuery(app core.App, n *names, loc *time.Location, from, end time.Time, unitID string, now time.Time) *storeQuery {
	s := &storeQuery{app: app, names: n, loc: loc, from: from, end: end, unitID: unitID, now: now,
		sp: spanOf(from, end, now), total: newSGroup(""), dims: map[string]map[string]*sgroup{}, status: map[string]int{},
		cellDims: map[string]string{storeChannel: DimChannel, storeCategory: DimCategory, storeType: DimType,
			storeGender: DimGender, storeOffice: DimOffice}}
	for _, d := range dimOrder {
		s.dims[d] = map[string]*sgroup{}
	}
	return s
}

// fCol is the stats_f column of each breakdown.
var fCol = map[string]string{DimUnit: "u", DimCategory: "c", DimChannel: "h", DimType: "y", DimGender: "gn", DimOffice: "o"}

func (s *storeQuery) group(dim, key string) *sgroup {
	g := s.dims[dim][key]
	if g == nil {
		g = newSGroup(fCol[dim])
		if dim == DimMonth {
			g.month = key
		}
		s.dims[dim][key] = g
	}
	return g
}

// unitKey is a stored unit id as the breakdown names it (its code; "?"
// for an id no unit has any more; "" for none).
func (s *storeQuery) unitKey(id string) string {
	if id == "" {
		return ""
	}
	if u, ok := s.names.units[id]; ok {
		return u.code
	}
	return "?"
}

// key turns a stored key of a store dimension into the breakdown's key.
func (s *storeQuery) key(dim, k string) string {
	if dim == DimCategory {
		if c, ok := s.names.categories[k]; ok {
			return c.code
		}
		return ""
	}
	return k
}

// params are the parameters of the queries signed builds.
func (s *storeQuery) params() dbx.Params {
	params := dbx.Params{}
	for k, v := range s.sp.params {
		params[k] = v
	}
	if s.unitID != "" {
		params["unit"] = s.unitID
	}
	return params
}

// signed is the rows of table that match cond in the period (and the
// unit), with the columns cols and the counts, a subtracted day's counts
// negated: the source a query sums. (A UNION ALL rather than a sign
// computed per row and count: a hub's year took a quarter less.)
func (s *storeQuery) signed(table, cond, cols string, counts []string) string {
	if s.unitID != "" {
		cond += " AND u = {:unit}"
	}
	q := "SELECT " + cols + ", " + strings.Join(counts, ", ") + " FROM " + table + " WHERE " + cond + " AND " + s.sp.plus
	if s.sp.minus != "" {
		neg := make([]string, len(counts))
		for i, c := range counts {
			neg[i] = "-" + c + " AS " + c
		}
		q += " UNION ALL SELECT " + cols + ", " + strings.Join(neg, ", ") + " FROM " + table + " WHERE " + cond + " AND " + s.sp.minus
	}
	return "(" + q + ")"
}

// sums is the SUM of each count.
func sums(counts []string) string {
	out := make([]string, len(counts))
	for i, c := range counts {
		out[i] = "SUM(" + c + ")"
	}
	return strings.Join(out, ", ")
}

// cellCounts are stats_n's counts.
var cellCounts = []string{"n", "routed", "followed", "within", "dis", "od"}

// run reads everything the report needs. The queries are independent, so
// they run two at a time on the read pool (a hub's year is about a million
// store rows: two cores read it in about half the time; more at once would
// only add each query's page cache and sorter to the peak memory), the
// largest first; their rows are then added up in one goroutine, in a fixed
// order.
func (s *storeQuery) run() error {
	params := s.params()
	var (
		cellsH, cellsO     []cellRow
		over               []overdueRow
		wdH, wdO, hrH, hrO []histRow
		errs               [7]error
	)
	fetches := []func(){
		func() { over, errs[0] = s.fetchOverdue() },
		func() { hrO, errs[1] = s.fetchHist(tableT, "", params) },
		func() { hrH, errs[2] = s.fetchHist(tableT, storeChannel, params) },
		func() { wdO, errs[3] = s.fetchHist(tableW, "", params) },
		func() { cellsO, errs[4] = s.fetchCells("", params) },
		func() { cellsH, errs[5] = s.fetchCells(storeChannel, params) },
		func() { wdH, errs[6] = s.fetchHist(tableW, storeChannel, params) },
	}
	next := make(chan func())
	var wg sync.WaitGroup
	for range storeWorkers {
		wg.Go(func() {
			for f := range next {
				f()
			}
		})
	}
	for _, f := range fetches {
		next <- f
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	s.addCells(cellsH, cellsO)
	s.addOverdue(over)
	s.addHist(wdH, wdO, func(g *sgroup) hist { return g.wd })
	s.addHist(hrH, hrO, func(g *sgroup) hist { return g.hr })
	return s.medians()
}

type cellRow struct {
	D, K, U, St, Mon                     string
	N, Routed, Followed, Within, Dis, Od int
}

func (r *cellRow) cell() *cell {
	return &cell{status: r.St, n: r.N, routed: r.Routed, followed: r.Followed, within: r.Within, dis: r.Dis, overdue: r.Od}
}

// fetchCells reads the period's cells of the channel dimension (d "h":
// they carry the totals, units, statuses and months too) or, for d "", of
// the other dimensions.
func (s *storeQuery) fetchCells(d string, params dbx.Params) ([]cellRow, error) {
	q := "SELECT 'h' AS d, k, u, st, mon, " + sums(cellCounts) + " FROM " +
		s.signed(tableN, "d = 'h'", "k, u, st, substr(b, 1, 7) AS mon", cellCounts) + " GROUP BY k, u, st, mon"
	if d == "" {
		q = "SELECT d, k, '' AS u, st, '' AS mon, " + sums(cellCounts) + " FROM " +
			s.signed(tableN, "d IN ('c', 'y', 'g', 'o')", "d, k, st", cellCounts) + " GROUP BY d, k, st"
	}
	rows, err := s.app.DB().NewQuery(q).Bind(params).Rows()
	if err != nil {
		return nil, fmt.Errorf("stats: store counts: %w", err)
	}
	defer rows.Close()
	var out []cellRow
	for rows.Next() {
		var r cellRow
		if err := rows.Scan(&r.D, &r.K, &r.U, &r.St, &r.Mon, &r.N, &r.Routed, &r.Followed, &r.Within, &r.Dis, &r.Od); err != nil {
			return nil, fmt.Errorf("stats: store counts: %w", err)
		}
		if r.N != 0 {
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: store counts: %w", err)
	}
	return out, nil
}

// addCells adds the cells to their groups: the channel cells to the
// totals, channels, units, statuses and months, the others to theirs.
func (s *storeQuery) addCells(channel, other []cellRow) {
	for i := range channel {
		r := &channel[i]
		x := r.cell()
		s.total.c.add(x)
		s.status[r.St] += r.N
		s.dis += r.Dis
		cg := s.group(DimChannel, r.K)
		cg.c.add(x)
		cg.raw[r.K] = true
		ug := s.group(DimUnit, s.unitKey(r.U))
		ug.c.add(x)
		ug.raw[r.U] = true
		s.group(DimMonth, r.Mon).c.add(x)
	}
	for i := range other {
		r := &other[i]
		dim := s.cellDims[r.D]
		g := s.group(dim, s.key(dim, r.K))
		g.c.add(r.cell())
		g.raw[r.K] = true
	}
}

type overdueRow struct {
	Unit, Category, Channel, Type, Gender, Office, Month string
	N                                                    int
}

// fetchOverdue brings the cells' overdue counts (od: the open reports
// whose deadline is before the store's due mark, at most a day before
// now) to now, per group: the period's open reports whose deadline lies
// between the mark and now, added when now is after the mark and
// subtracted when before (a moment in the past), read from
// idx_complaints_overdue alone (the open cases with a deadline, by
// deadline, with every column grouped by).
func (s *storeQuery) fetchOverdue() ([]overdueRow, error) {
	lo, hi, sign := s.mark, dbTime(s.now), 1
	if hi < lo {
		lo, hi, sign = hi, lo, -1
	}
	if lo == hi {
		return nil, nil
	}
	month, monthParams := monthExpr(s.loc, s.from, s.end)
	params := dbx.Params{"from": dbTime(s.from), "end": dbTime(s.end), "lo": lo, "hi": hi}
	for k, v := range monthParams {
		params[k] = v
	}
	where := row{"c"}.openTerms() + " AND c.due_at != '' AND c.due_at >= {:lo} AND c.due_at < {:hi}" +
		" AND c.created >= {:from} AND c.created < {:end}"
	if s.unitID != "" {
		where += " AND c.unit = {:unit}"
		params["unit"] = s.unitID
	}
	rows, err := s.app.DB().NewQuery("SELECT c.unit, c.category, c.channel, c.type, c.reporter_gender, c.office, " + month +
		" AS month, COUNT(*) AS n FROM " + model.Complaints + " c INDEXED BY idx_complaints_overdue WHERE " + where +
		" GROUP BY 1, 2, 3, 4, 5, 6, 7").Bind(params).Rows()
	if err != nil {
		return nil, fmt.Errorf("stats: store overdue: %w", err)
	}
	defer rows.Close()
	var out []overdueRow
	for rows.Next() {
		var r overdueRow
		if err := rows.Scan(&r.Unit, &r.Category, &r.Channel, &r.Type, &r.Gender, &r.Office, &r.Month, &r.N); err != nil {
			return nil, fmt.Errorf("stats: store overdue: %w", err)
		}
		r.N *= sign
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: store overdue: %w", err)
	}
	return out, nil
}

func (s *storeQuery) addOverdue(rows []overdueRow) {
	for _, r := range rows {
		s.total.c.overdue += r.N
		s.group(DimUnit, s.unitKey(r.Unit)).c.overdue += r.N
		s.group(DimCategory, s.key(DimCategory, r.Category)).c.overdue += r.N
		s.group(DimChannel, r.Channel).c.overdue += r.N
		s.group(DimType, r.Type).c.overdue += r.N
		s.group(DimMonth, r.Month).c.overdue += r.N
		if r.Gender != "" {
			s.group(DimGender, r.Gender).c.overdue += r.N
		}
		s.group(DimOffice, r.Office).c.overdue += r.N
	}
}

type histRow struct {
	D, K, U, Mon string
	V            int64
	N            int
}

// fetchHist reads one histogram table's rows of the period: of the
// channel dimension (by channel, unit and month) or, for d "", of the
// others. A stats_t row (an hour and its ten tenths) gives a row per tenth
// counted.
func (s *storeQuery) fetchHist(table, d string, params dbx.Params) ([]histRow, error) {
	v, counts, width, others := "v", []string{"n"}, 1, "d IN ('c', 'y', 'g', 'o')"
	if table == tableT {
		v, counts, width = "h", tenthCounts, 10
		if s.unitID == "" { // every unit's cells at once (cellsT)
			others += " AND u = '" + allUnits + "'"
		}
	}
	q := "SELECT 'h' AS d, k, u, mon, " + v + ", " + sums(counts) + " FROM " +
		s.signed(table, "d = 'h'", "k, u, substr(b, 1, 7) AS mon, "+v, counts) + " GROUP BY k, u, mon, " + v
	if d == "" {
		q = "SELECT d, k, '' AS u, '' AS mon, " + v + ", " + sums(counts) + " FROM " + s.signed(table, others, "d, k, "+v, counts) +
			" GROUP BY d, k, " + v
	}
	rows, err := s.app.DB().NewQuery(q).Bind(params).Rows()
	if err != nil {
		return nil, fmt.Errorf("stats: store histograms: %w", err)
	}
	defer rows.Close()
	var out []histRow
	var r histRow
	ns := make([]int, width)
	dest := []any{&r.D, &r.K, &r.U, &r.Mon, &r.V}
	for i := range ns {
		dest = append(dest, &ns[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("stats: store histograms: %w", err)
		}
		at := r.V * int64(width)
		for i, c := range ns {
			if c != 0 {
				out = append(out, histRow{D: r.D, K: r.K, U: r.U, Mon: r.Mon, V: at + int64(i), N: c})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stats: store histograms: %w", err)
	}
	return out, nil
}

// addHist adds one histogram table's rows to the groups' histograms.
func (s *storeQuery) addHist(channel, other []histRow, pick func(g *sgroup) hist) {
	for _, r := range channel {
		pick(s.total).add(r.V, r.N)
		pick(s.group(DimChannel, r.K)).add(r.V, r.N)
		pick(s.group(DimUnit, s.unitKey(r.U))).add(r.V, r.N)
		pick(s.group(DimMonth, r.Mon)).add(r.V, r.N)
	}
	for _, r := range other {
		dim := s.cellDims[r.D]
		pick(s.group(dim, s.key(dim, r.K))).add(r.V, r.N)
	}
}

// fWhere is the condition on stats_f rows of g in the period.
func (s *storeQuery) fWhere(g *sgroup, params dbx.Params) string {
	where := "created >= {:from} AND created < {:end}"
	params["from"], params["end"] = dbTime(s.from), dbTime(s.end)
	if s.unitID != "" {
		where += " AND u = {:unit}"
		params["unit"] = s.unitID
	}
	if g.month != "" {
		m, _ := time.ParseInLocation("2006-01", g.month, s.loc)
		where += " AND created >= {:mfrom} AND created < {:mend}"
		params["mfrom"], params["mend"] = dbTime(m), dbTime(m.AddDate(0, 1, 0))
	}
	if g.col != "" {
		var in []string
		i := 0
		for v := range g.raw {
			p := fmt.Sprintf("k%d", i)
			in = append(in, "{:"+p+"}")
			params[p] = v
			i++
		}
		if len(in) == 0 {
			in = append(in, "NULL")
		}
		where += " AND " + g.col + " IN (" + strings.Join(in, ", ") + ")"
	}
	return where
}

// medians computes every group's medians. The office groups have no delay
// histogram (a hub's thousands of offices would make it as large as the
// reports): their middle delays are read in order from stats_f's
// (o, ms, created) index, about half of each office's followed-up reports.
func (s *storeQuery) medians() error {
	all := []*sgroup{s.total}
	for _, gs := range s.dims {
		for _, g := range gs {
			all = append(all, g)
		}
	}
	for _, g := range all {
		g.c.med = true
		g.c.medianWD = medianInts(g.wd)
		if g.col == fCol[DimOffice] {
			continue
		}
		m, err := medianTenths(g.hr, func(v int64, j int) (int64, error) {
			params := dbx.Params{"v": v, "j": j}
			var ms int64
			err := s.app.DB().NewQuery("SELECT ms FROM stats_f WHERE v = {:v} AND " + s.fWhere(g, params) +
				" ORDER BY ms LIMIT 1 OFFSET {:j}").Bind(params).Row(&ms)
			return ms, err
		})
		if err != nil {
			return fmt.Errorf("stats: store median: %w", err)
		}
		g.c.medianH = m
	}
	// One query per office, on two connections at once.
	type job struct {
		key string
		g   *sgroup
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var errs [officeMedianWorkers]error
	for w := range officeMedianWorkers {
		wg.Go(func() {
			for j := range jobs {
				if errs[w] != nil {
					continue // drain
				}
				errs[w] = s.officeMedian(j.key, j.g)
			}
		})
	}
	for key, g := range s.dims[DimOffice] {
		n := g.wd.total()
		if n == 0 {
			continue
		}
		if other := s.total; n == other.wd.total() && g.c.received == other.c.received {
			g.c.medianH = other.c.medianH // the only office: the totals' median
			continue
		}
		jobs <- job{key, g}
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs[:]...)
}

// storeWorkers is how many of the store's queries run at once, and
// officeMedianWorkers how many office medians are read at once.
const (
	storeWorkers        = 2
	officeMedianWorkers = 2
)

// officeMedian reads an office's median delay from its middle followed-up
// reports in stats_f, in order of delay.
func (s *storeQuery) officeMedian(key string, g *sgroup) error {
	n := g.wd.total()
	params := dbx.Params{"o": key, "off": (n - 1) / 2, "lim": 2 - n%2}
	var ms []int64
	err := s.app.DB().NewQuery("SELECT ms FROM stats_f INDEXED BY stats_f_office WHERE o = {:o} AND " + s.fWhere(&sgroup{}, params) +
		" ORDER BY ms LIMIT {:lim} OFFSET {:off}").Bind(params).Column(&ms)
	if err != nil {
		return fmt.Errorf("stats: store office median: %w", err)
	}
	hs := make([]float64, len(ms))
	for i, x := range ms {
		hs[i] = hoursOf(x)
	}
	g.c.medianH = median(hs)
	return nil
}

// aggregator turns the groups into the scan's aggregator, whose fill
// writes the report.
func (s *storeQuery) aggregator() *aggregator {
	a := newAggregator(s.names)
	a.total = *s.total.c
	for dim, gs := range s.dims {
		for k, g := range gs {
			if g.c.received == 0 {
				continue
			}
			a.dims[dim][k] = g.c
		}
	}
	a.status = s.status
	a.disability = s.dis
	return a
}

// computeStore is Compute through the store.
func computeStore(app core.App, cal *workdays.Calendar, n *names, from, end time.Time, unitID string, now time.Time) (*aggregator, error) {
	// The day's first query moves the due mark to the start of today, so
	// that this one and the day's others read only today's deadlines. A
	// mark that cannot move now (the writer busy past its timeout) only
	// makes this query read more: it is corrected from wherever it is.
	mark, err := currentDueMark(app)
	if err != nil {
		return nil, err
	}
	if want := dueMarkFor(now, cal.Location()); want > mark {
		if err := advanceDue(app, want); err != nil {
			app.Logger().Warn("stats: the due mark could not move; this query reads more deadlines", "error", err)
		}
	}
	// The cells must be read with the mark they count by: a query whose
	// reads straddle another's move of the mark reads again.
	for attempt := 0; ; attempt++ {
		s := newStoreQuery(app, n, cal.Location(), from, end, unitID, now)
		if s.mark, err = currentDueMark(app); err != nil {
			return nil, err
		}
		if err := s.run(); err != nil {
			return nil, err
		}
		after, err := currentDueMark(app)
		if err != nil {
			return nil, err
		}
		if after == s.mark || attempt == 2 {
			return s.aggregator(), nil
		}
	}
}

// officeHoldsAll tells whether office handles every report of the period
// (with unitID, of that unit).
func officeHoldsAll(app core.App, from, end, now time.Time, unitID, office string) (bool, error) {
	s := &storeQuery{sp: spanOf(from, end, now), unitID: unitID}
	params := s.params()
	params["office"] = office
	var mine, all int
	// Two sums, each seeking its own rows (an office's are few on a hub).
	n := []string{"n"}
	err := app.DB().NewQuery("SELECT (SELECT coalesce(SUM(n), 0) FROM "+s.signed(tableN, "d = 'o' AND k = {:office}", "k", n)+"),"+
		" (SELECT coalesce(SUM(n), 0) FROM "+s.signed(tableN, "d = 'h'", "k", n)+")").
		Bind(params).Row(&mine, &all)
	if err != nil {
		return false, fmt.Errorf("stats: office share: %w", err)
	}
	return mine == all, nil
}
