package stats_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

// BenchmarkStats measures stats.Compute over a seeded database (a year of
// demo complaints) for the whole year, the last month and one unit's year,
// and the monthly PDF. Baselines, measured in the same run over the same
// rows (the same period filter on created): the scan engine the statistics
// store replaced (stats.ComputeScan, "x-scan-engine"), a plain SELECT
// COUNT(*) ("x-count") and a full scan summing one column.
//
//	SIMPUL_BENCH_DATA=/work/benchdata/1m/pb_data go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" \
//	  -run '^$' -bench BenchmarkStats -benchtime 20x ./hooks/stats/
func BenchmarkStats(b *testing.B) {
	app := testkit.BenchApp(b, 100_000)
	cal, err := sla.CalendarFor(app)
	if err != nil {
		b.Fatal(err)
	}
	loc := cal.Location()
	var first, last string
	if err := app.DB().NewQuery("SELECT MIN(created), MAX(created) FROM complaints").Row(&first, &last); err != nil {
		b.Fatal(err)
	}
	f, _ := types.ParseDateTime(first)
	l, _ := types.ParseDateTime(last)
	from, to := f.Time().In(loc), l.Time().In(loc)
	now := to.Add(time.Hour)
	monthFrom := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, loc)
	unit, err := app.FindFirstRecordByData(model.Units, "code", "PUPR")
	if err != nil {
		b.Fatal(err)
	}

	count := func(q stats.Query) int {
		lo := time.Date(q.From.Year(), q.From.Month(), q.From.Day(), 0, 0, 0, 0, loc)
		hi := time.Date(q.To.Year(), q.To.Month(), q.To.Day()+1, 0, 0, 0, 0, loc)
		var n int
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE created >= {:lo} AND created < {:hi}").
			Bind(dbx.Params{"lo": lo.UTC().Format(types.DefaultDateLayout), "hi": hi.UTC().Format(types.DefaultDateLayout)}).
			Row(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	year := stats.Query{From: from, To: to}
	month := stats.Query{From: monthFrom, To: to}
	b.Logf("complaints: %d in %s…%s; %d in the last month", count(year), from.Format(time.DateOnly), to.Format(time.DateOnly), count(month))

	// Baselines over the same rows: COUNT(*) (the created index alone), and
	// the cheapest read of every row's columns (a full scan summing one
	// column), which is what any figure beyond a count must at least pay.
	scan := func(q stats.Query) {
		lo := time.Date(q.From.Year(), q.From.Month(), q.From.Day(), 0, 0, 0, 0, loc)
		hi := time.Date(q.To.Year(), q.To.Month(), q.To.Day()+1, 0, 0, 0, 0, loc)
		var n int
		if err := app.DB().NewQuery("SELECT COALESCE(SUM(length(status)), 0) FROM complaints NOT INDEXED WHERE created >= {:lo} AND created < {:hi}").
			Bind(dbx.Params{"lo": lo.UTC().Format(types.DefaultDateLayout), "hi": hi.UTC().Format(types.DefaultDateLayout)}).
			Row(&n); err != nil {
			b.Fatal(err)
		}
	}
	var base = map[string]float64{}
	perOp := func(b *testing.B, start time.Time) float64 {
		return float64(time.Since(start).Nanoseconds()) / float64(b.N)
	}
	for _, c := range []struct {
		name string
		q    stats.Query
	}{{"year", year}, {"month", month}} {
		b.Run("baseline-count/"+c.name, func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				count(c.q)
			}
			base[c.name] = perOp(b, start)
		})
		b.Run("baseline-scan/"+c.name, func(b *testing.B) {
			start := time.Now()
			for i := 0; i < b.N; i++ {
				scan(c.q)
			}
			base["scan-"+c.name] = perOp(b, start)
		})
	}
	// Compute through the store, and the scan it replaced (ComputeScan,
	// the definition) as the baseline of the same run; each reports the
	// median and p95 of its runs.
	var scanP50 = map[string]float64{}
	for _, c := range []struct {
		name, base string
		q          stats.Query
	}{
		{"year", "year", year},
		{"month", "month", month},
		{"year-one-unit", "year", stats.Query{From: from, To: to, UnitID: unit.Id}},
	} {
		for _, engine := range []string{"scan", "compute"} {
			b.Run(engine+"/"+c.name, func(b *testing.B) {
				var rep *stats.Report
				d := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					var err error
					t0 := time.Now()
					if engine == "scan" {
						rep, err = stats.ComputeScan(app, c.q, now)
					} else {
						rep, err = stats.Compute(app, c.q, now)
					}
					d = append(d, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
				}
				slices.Sort(d)
				p50 := float64(d[len(d)/2].Microseconds()) / 1000
				b.ReportMetric(p50, "p50-ms")
				b.ReportMetric(float64(d[(len(d)-1)*95/100].Microseconds())/1000, "p95-ms")
				if engine == "scan" {
					scanP50[c.name] = p50
				} else if scanP50[c.name] > 0 {
					b.ReportMetric(p50/scanP50[c.name], "x-scan-engine")
				}
				if base[c.base] > 0 {
					b.ReportMetric(p50*1e6/base[c.base], "x-count")
				}
				b.ReportMetric(float64(rep.Totals.Received), "reports")
			})
		}
	}
	b.Run("monthly-pdf", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := stats.MonthlyPDF(app, monthFrom, "", now, "id"); err != nil {
				b.Fatal(err)
			}
		}
		if ns := perOp(b, start); base["month"] > 0 {
			b.ReportMetric(ns/base["month"], "x-count")
		}
	})
}
