package export_test

import (
	"database/sql"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/export"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

// BenchmarkExport writes every export of $SIMPUL_BENCH_COUNT demo
// complaints (default 10,000, a year of a busy office) to io.Discard. The
// baseline is a bare scan of the same rows' text columns, measured in the
// same run: report each export as a ratio to it.
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench Export -benchmem ./hooks/export/
func BenchmarkExport(b *testing.B) {
	n := 10_000
	if s := os.Getenv("SIMPUL_BENCH_COUNT"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	app := testkit.New(b)
	now := clock.Now(app)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: n, Now: now}); err != nil {
		b.Fatal(err)
	}
	admin := cases.Actor{Role: model.RoleAdmin}
	all := export.Period{From: now.AddDate(-2, 0, 0), To: now.AddDate(0, 0, 1)}

	b.Run("baseline_scan", func(b *testing.B) {
		for b.Loop() {
			rows, err := app.DB().NewQuery("SELECT tracking_code, title, body, reporter_name FROM complaints ORDER BY created").Rows()
			if err != nil {
				b.Fatal(err)
			}
			var code, title, body, name string
			for rows.Next() {
				if err := rows.Scan(&code, &title, &body, &name); err != nil {
					b.Fatal(err)
				}
			}
			rows.Close()
		}
	})
	b.Run("complaints_csv", func(b *testing.B) {
		for b.Loop() {
			if m, err := export.WriteComplaintsCSV(app, io.Discard, admin, all); err != nil || m != n {
				b.Fatalf("%d rows: %v", m, err)
			}
		}
	})
	b.Run("events_csv", func(b *testing.B) {
		for b.Loop() {
			if _, err := export.WriteEventsCSV(app, io.Discard, admin, all); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("xlsx", func(b *testing.B) {
		for b.Loop() {
			if m, err := export.WriteXLSX(app, io.Discard, admin, all); err != nil || m != n {
				b.Fatalf("%d rows: %v", m, err)
			}
		}
	})
	b.Run("open_data_csv", func(b *testing.B) {
		for b.Loop() {
			if _, err := export.WriteOpenDataCSV(app, io.Discard, export.Period{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExportMonth exports the last whole month of a large data set
// ($SIMPUL_BENCH_DATA, e.g. 1,000,000 demo complaints: about 83,000 in a
// month) as each staff file, and the complaints CSV of the whole last year
// (the 1,000,000), reporting rows per second, the process's CPU time and
// the peak of the Go heap during the export (sampled every 5 ms) beside
// the baselines of a bare scan of the same rows: the month's text columns,
// and for the year every column the complaints CSV reads, in its order,
// with no Go work on them (raw SQLite read rate).
//
//	SIMPUL_BENCH_DATA=/work/benchdata/1m/pb_data go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" \
//	  -run '^$' -bench ExportMonth -benchtime 1x ./hooks/export/
func BenchmarkExportMonth(b *testing.B) {
	app := testkit.BenchApp(b, 100_000)
	admin := cases.Actor{Role: model.RoleAdmin}
	var last string
	if err := app.DB().NewQuery("SELECT max(created) FROM complaints").Row(&last); err != nil {
		b.Fatal(err)
	}
	end, err := time.Parse("2006-01-02 15:04:05.000Z", last)
	if err != nil {
		b.Fatal(err)
	}
	loc := sla.Zone(app)
	first := time.Date(end.In(loc).Year(), end.In(loc).Month(), 1, 0, 0, 0, 0, loc)
	p := export.Period{From: first.AddDate(0, -1, 0), To: first}
	year := export.Period{From: end.AddDate(-1, 0, 0), To: end.Add(time.Second)}
	for _, c := range []struct {
		name  string
		write func(io.Writer) (int, error)
	}{
		{"baseline_scan", func(io.Writer) (int, error) {
			rows, err := app.DB().NewQuery("SELECT tracking_code, title, body, reporter_name FROM complaints WHERE created >= {:f} AND created < {:t} ORDER BY created").
				Bind(map[string]any{"f": p.From.UTC().Format("2006-01-02 15:04:05.000Z"), "t": p.To.UTC().Format("2006-01-02 15:04:05.000Z")}).Rows()
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			n := 0
			var code, title, body, name string
			for rows.Next() {
				if err := rows.Scan(&code, &title, &body, &name); err != nil {
					return n, err
				}
				n++
			}
			return n, rows.Err()
		}},
		{"complaints_csv", func(w io.Writer) (int, error) { return export.WriteComplaintsCSV(app, w, admin, p) }},
		{"events_csv", func(w io.Writer) (int, error) { return export.WriteEventsCSV(app, w, admin, p) }},
		{"xlsx", func(w io.Writer) (int, error) { return export.WriteXLSX(app, w, admin, p) }},
		{"baseline_scan_year", func(io.Writer) (int, error) {
			rows, err := app.DB().NewQuery(`SELECT id, tracking_code, created, type, category, unit, channel, privacy, status,
 title, body, location, incident_date, due_at, verify_due_at, followup_due_at, completion_due_at, autoclose_at,
 verified_at, disposed_at, first_followup_at, last_followup_at, closed_at, COALESCE(rating,0), reporter_name,
 reporter_phone, reporter_email, created_by FROM complaints WHERE created >= {:f} AND created < {:t} ORDER BY created, id`).
				Bind(map[string]any{"f": year.From.UTC().Format("2006-01-02 15:04:05.000Z"), "t": year.To.UTC().Format("2006-01-02 15:04:05.000Z")}).Rows()
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			cells := make([]any, 28)
			for i := range cells {
				cells[i] = new(sql.RawBytes)
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(cells...); err != nil {
					return n, err
				}
				n++
			}
			return n, rows.Err()
		}},
		{"complaints_csv_year", func(w io.Writer) (int, error) { return export.WriteComplaintsCSV(app, w, admin, year) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				peak := testkit.SampleHeap(5 * time.Millisecond)
				cw := &countWriter{}
				c0, t0 := cpuTime(), time.Now()
				n, err := c.write(cw)
				el, cpu := time.Since(t0), cpuTime()-c0
				heap := peak()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(n)/el.Seconds(), "rows/s")
				b.ReportMetric(cpu.Seconds()*1000, "cpu-ms")
				b.ReportMetric(float64(n), "rows")
				b.ReportMetric(float64(cw.n)/1e6, "MB-out")
				b.ReportMetric(float64(heap)/1e6, "peak-heap-MB")
			}
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine a steadier measure than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
