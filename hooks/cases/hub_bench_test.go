package cases_test

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

// BenchmarkHub measures what a hub's overseers ask of a tree of child
// offices (issues 11 and 15): the year's statistics with by_office (the
// rolling year up to today and the last twelve whole months), one
// office's year (the busiest and a quiet one), and the overdue list, of
// every office and of one office, on its first page and a later one. The
// tree is "simpul demo hub": 2,000 offices with a long tail of sizes and
// $SIMPUL_BENCH_COUNT cases (default 100,000), or the data directory in
// $SIMPUL_BENCH_DATA (generate one with "simpul demo hub --offices 2000
// --count 5000000 --dir DIR").
//
// Baseline, measured in the same run: COUNT(*) of the year's cases on the
// index on created (x-count), the least any answer about the year's cases
// can cost when it reads them.
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench BenchmarkHub -benchtime 5x ./hooks/cases/
//	SIMPUL_BENCH_DATA=/work/benchdata/hub5m go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" \
//	  -run '^$' -bench BenchmarkHub -benchtime 5x -timeout 60m ./hooks/cases/
func BenchmarkHub(b *testing.B) {
	app := hubBenchApp(b)
	cal, err := sla.CalendarFor(app)
	if err != nil {
		b.Fatal(err)
	}
	loc := cal.Location()
	var last string
	if err := app.DB().NewQuery("SELECT MAX(created) FROM complaints").Row(&last); err != nil {
		b.Fatal(err)
	}
	l, err := types.ParseDateTime(last)
	if err != nil {
		b.Fatal(err)
	}
	now := l.Time().Add(time.Hour)
	to := now.In(loc)
	year := stats.Query{From: to.AddDate(-1, 0, 1), To: to}
	// The last twelve whole months: the store's month buckets alone (a
	// rolling year adds about a month of day buckets at its two ends).
	thisMonth := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, loc)
	months := stats.Query{From: thisMonth.AddDate(-1, 0, 0), To: thisMonth.AddDate(0, 0, -1)}
	lo := time.Date(year.From.Year(), year.From.Month(), year.From.Day(), 0, 0, 0, 0, loc)
	hi := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	count := func() int {
		var n int
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE created >= {:lo} AND created < {:hi}").
			Bind(dbx.Params{"lo": lo.UTC().Format(types.DefaultDateLayout), "hi": hi.UTC().Format(types.DefaultDateLayout)}).
			Row(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	// The busiest office and the quietest one with a case in the year.
	var busy, quiet string
	if err := app.DB().NewQuery("SELECT o FROM (SELECT k AS o, SUM(n) AS n FROM stats_n WHERE d = 'o' AND g = 'm' GROUP BY k)" +
		" ORDER BY n DESC, o LIMIT 1").Row(&busy); err != nil {
		b.Fatal(err)
	}
	if err := app.DB().NewQuery("SELECT o FROM (SELECT k AS o, SUM(n) AS n FROM stats_n WHERE d = 'o' AND g = 'm' GROUP BY k)" +
		" ORDER BY n, o LIMIT 1").Row(&quiet); err != nil {
		b.Fatal(err)
	}
	b.Logf("cases: %d in %s…%s; busiest office %s, quietest %s", count(), year.From.Format(time.DateOnly),
		year.To.Format(time.DateOnly), busy, quiet)

	var baseMS float64
	b.Run("baseline-count/year", func(b *testing.B) {
		baseMS = hubTimed(b, func() { count() })
	})
	ratio := func(b *testing.B, ms float64) {
		if baseMS > 0 {
			b.ReportMetric(ms/baseMS, "x-count")
		}
	}
	for _, c := range []struct {
		name string
		q    stats.Query
	}{
		{"stats/by-office/year", year},
		{"stats/by-office/12-months", months},
		{"stats/office-busiest/year", stats.Query{From: year.From, To: year.To, Office: busy}},
		{"stats/office-quiet/year", stats.Query{From: year.From, To: year.To, Office: quiet}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var rep *stats.Report
			ratio(b, hubTimed(b, func() {
				var err error
				if rep, err = stats.Compute(app, c.q, now); err != nil {
					b.Fatal(err)
				}
			}))
			b.ReportMetric(float64(rep.Totals.Received), "cases")
			b.ReportMetric(float64(len(rep.ByOffice)), "offices")
		})
	}
	supervisor := cases.Actor{Role: model.RoleSupervisor}
	for _, c := range []struct {
		name string
		q    cases.OversightQuery
	}{
		{"overdue/all/page-1", cases.OversightQuery{Queue: cases.QueueOverdue, Page: 1}},
		{"overdue/all/page-100", cases.OversightQuery{Queue: cases.QueueOverdue, Page: 100}},
		{"overdue/busiest/page-1", cases.OversightQuery{Queue: cases.QueueOverdue, Office: busy, Page: 1}},
		{"overdue/busiest/page-10", cases.OversightQuery{Queue: cases.QueueOverdue, Office: busy, Page: 10}},
		{"open/busiest/page-1", cases.OversightQuery{Queue: cases.QueueOpen, Office: busy, Page: 1}},
	} {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.Now, q.PerPage = now, 30
			var res cases.OversightResult
			ratio(b, hubTimed(b, func() {
				var err error
				if res, err = cases.Oversight(app, supervisor, q); err != nil {
					b.Fatal(err)
				}
			}))
			b.ReportMetric(float64(len(res.Items)), "items")
			b.ReportMetric(float64(len(res.Offices)), "offices")
		})
	}
}

// hubTimed runs f b.N times, reports the median and the slowest run, and
// returns the median in ms.
func hubTimed(b *testing.B, f func()) float64 {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		f()
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(d)
	p50 := float64(d[len(d)/2].Microseconds()) / 1000
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, "max-ms")
	return p50
}

// hubBenchApp opens $SIMPUL_BENCH_DATA, or generates a tree of 2,000
// offices and $SIMPUL_BENCH_COUNT cases (default 100,000).
func hubBenchApp(b *testing.B) core.App {
	b.Helper()
	if os.Getenv("SIMPUL_BENCH_DATA") != "" {
		return testkit.BenchApp(b, 0)
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SIMPUL_BENCH_COUNT")); err == nil && v > 0 {
		n = v
	}
	app := testkit.New(b)
	if _, err := cases.SeedHub(app, cases.HubOptions{Offices: 2000, Count: n, Batch: 5000,
		Now: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatal(err)
	}
	return app
}
