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

// Reading the store (store.go). A period is whole months (grain m) plus
// the days at either end that do not make a whole month (grain d), so a
// year reads about twelve months of cells and a month-to-date period its
// days. Each breakdown's counts come from the cells of its dimension
// (totals, units, statuses and months from the channel cells), summed in
// SQL; medians from the histograms; "overdue now" from the open reports
// past their deadline, counted at query time.

// span is the store's buckets covering [from, end) (local midnights).
type span struct {
	where  string // SQL condition on (g, b)
	params dbx.Params
}

// spanOf lists the buckets of [from, end): whole months (grain m) and the
// days at either end that do not make a whole month (grain d).
//
// The buckets are listed one by one (b IN (…)) rather than as ranges: with
// every column before d fixed, SQLite seeks each bucket's rows of the
// dimension asked for through the primary key (g, b, d, …) instead of
// reading every dimension's rows of the period and dropping most (a hub's
// office rows outnumber the rest).
func spanOf(from, end time.Time) span {
	params := dbx.Params{}
	var days, months []string
	bucket := func(list *[]string, v string) {
		p := fmt.Sprintf("b%d", len(params))
		params[p] = v
		*list = append(*list, "{:"+p+"}")
	}
	addDays := func(a, b time.Time) { // [a, b) whole days
		for d := a; d.Before(b); d = d.AddDate(0, 0, 1) {
			bucket(&days, d.Format(time.DateOnly))
		}
	}
	firstMonth := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location())
	if !firstMonth.Equal(from) {
		firstMonth = firstMonth.AddDate(0, 1, 0)
	}
	lastMonth := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, end.Location()) // exclusive
	if !firstMonth.Before(lastMonth) {
		addDays(from, end)
	} else {
		addDays(from, firstMonth)
		for m := firstMonth; m.Before(lastMonth); m = m.AddDate(0, 1, 0) {
			bucket(&months, m.Format("2006-01"))
		}
		addDays(lastMonth, end)
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
	return span{where: "(" + strings.Join(parts, " OR ") + ")", params: params}
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
	sp       span
	total    *sgroup
	dims     map[string]map[string]*sgroup
	status   map[string]int
	dis      int
	cellDims map[string]string // store dimension → breakdown
}

func newStoreQuery(app core.App, n *names, loc *time.Location, from, end time.Time, unitID string, now time.Time) *storeQuery {
	s := &storeQuery{app: app, names: n, loc: loc, from: from, end: end, unitID: unitID, now: now,
		sp: spanOf(from, end), total: newSGroup(""), dims: map[string]map[string]*sgroup{}, status: map[string]int{},
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

func (s *storeQuery) filter() (string, dbx.Params) {
	params := dbx.Params{}
	for k, v := range s.sp.params {
		params[k] = v
	}
	where := s.sp.where
	if s.unitID != "" {
		where += " AND u = {:unit}"
		params["unit"] = s.unitID
	}
	return where, params
}

// run reads everything the report needs. The queries are independent, so
// they run two at a time on the read pool (a hub's year is about a million
// store rows: two cores read it in about half the time; more at once would
// only add each query's page cache and sorter to the peak memory), the
// largest first; their rows are then added up in one goroutine, in a fixed
// order.
func (s *storeQuery) run() error {
	where, params := s.filter()
	var (
		cellsH, cellsO     []cellRow
		over               []overdueRow
		wdH, wdO, hrH, hrO []histRow
		errs               [7]error
	)
	fetches := []func(){
		func() { over, errs[0] = s.fetchOverdue() },
		func() { hrO, errs[1] = s.fetchHist(tableR, "", where, params) },
		func() { hrH, errs[2] = s.fetchHist(tableR, storeChannel, where, params) },
		func() { wdO, errs[3] = s.fetchHist(tableW, "", where, params) },
		func() { cellsO, errs[4] = s.fetchCells("", where, params) },
		func() { cellsH, errs[5] = s.fetchCells(storeChannel, where, params) },
		func() { wdH, errs[6] = s.fetchHist(tableW, storeChannel, where, params) },
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
	D, K, U, St, Mon                 string
	N, Routed, Followed, Within, Dis int
}

func (r *cellRow) cell() *cell {
	return &cell{status: r.St, n: r.N, routed: r.Routed, followed: r.Followed, within: r.Within, dis: r.Dis}
}

// fetchCells reads the period's cells of the channel dimension (d "h":
// they carry the totals, units, statuses and months too) or, for d "", of
// the other dimensions.
func (s *storeQuery) fetchCells(d, where string, params dbx.Params) ([]cellRow, error) {
	q := "SELECT 'h' AS d, k, u, st, substr(b, 1, 7) AS mon, SUM(n), SUM(routed), SUM(followed), SUM(within), SUM(dis)" +
		" FROM stats_n WHERE d = 'h' AND " + where + " GROUP BY k, u, st, mon"
	if d == "" {
		q = "SELECT d, k, '' AS u, st, '' AS mon, SUM(n), SUM(routed), SUM(followed), SUM(within), SUM(dis)" +
			" FROM stats_n WHERE d IN ('c', 'y', 'g', 'o') AND " + where + " GROUP BY d, k, st"
	}
	rows, err := s.app.DB().NewQuery(q).Bind(params).Rows()
	if err != nil {
		return nil, fmt.Errorf("stats: store counts: %w", err)
	}
	defer rows.Close()
	var out []cellRow
	for rows.Next() {
		var r cellRow
		if err := rows.Scan(&r.D, &r.K, &r.U, &r.St, &r.Mon, &r.N, &r.Routed, &r.Followed, &r.Within, &r.Dis); err != nil {
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

// fetchOverdue counts the period's open reports past their deadline now,
// per group, from the complaints: from idx_complaints_overdue alone (the
// open cases with a deadline, by deadline, with every column grouped by),
// reading the open reports past their deadline, of any period.
func (s *storeQuery) fetchOverdue() ([]overdueRow, error) {
	month, monthParams := monthExpr(s.loc, s.from, s.end)
	params := dbx.Params{"from": dbTime(s.from), "end": dbTime(s.end), "now": dbTime(s.now)}
	for k, v := range monthParams {
		params[k] = v
	}
	// The terms of idx_complaints_overdue's WHERE, as written there (a
	// partial index serves a query whose WHERE repeats them).
	where := "(c.status = 'baru' OR c.status = 'terdisposisi' OR c.status = 'proses') AND c.due_at != '' AND c.due_at < {:now}" +
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
// others.
func (s *storeQuery) fetchHist(table, d, where string, params dbx.Params) ([]histRow, error) {
	q := "SELECT 'h' AS d, k, u, substr(b, 1, 7) AS mon, v, SUM(n) AS n FROM " + table + " WHERE d = 'h' AND " + where +
		" GROUP BY k, u, mon, v"
	if d == "" {
		q = "SELECT d, k, '' AS u, '' AS mon, v, SUM(n) AS n FROM " + table + " WHERE d IN ('c', 'y', 'g', 'o') AND " + where +
			" GROUP BY d, k, v"
	}
	rows, err := s.app.DB().NewQuery(q).Bind(params).Rows()
	if err != nil {
		return nil, fmt.Errorf("stats: store histograms: %w", err)
	}
	defer rows.Close()
	var out []histRow
	for rows.Next() {
		var r histRow
		if err := rows.Scan(&r.D, &r.K, &r.U, &r.Mon, &r.V, &r.N); err != nil {
			return nil, fmt.Errorf("stats: store histograms: %w", err)
		}
		if r.N != 0 {
			out = append(out, r)
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
	s := newStoreQuery(app, n, cal.Location(), from, end, unitID, now)
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.aggregator(), nil
}

// officeHoldsAll tells whether office handles every report of the period
// (with unitID, of that unit).
func officeHoldsAll(app core.App, from, end time.Time, unitID, office string) (bool, error) {
	s := &storeQuery{sp: spanOf(from, end), unitID: unitID}
	where, params := s.filter()
	params["office"] = office
	var mine, all int
	// Two sums, each seeking its own rows (an office's are few on a hub).
	err := app.DB().NewQuery("SELECT (SELECT coalesce(SUM(n), 0) FROM stats_n WHERE d = 'o' AND k = {:office} AND "+where+"),"+
		" (SELECT coalesce(SUM(n), 0) FROM stats_n WHERE d = 'h' AND "+where+")").
		Bind(params).Row(&mine, &all)
	if err != nil {
		return false, fmt.Errorf("stats: office share: %w", err)
	}
	return mine == all, nil
}
