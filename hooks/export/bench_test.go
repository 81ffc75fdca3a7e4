package export_test

import (
	"io"
	"os"
	"strconv"
	"testing"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/export"
	"simpul/hooks/platform/clock"
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
