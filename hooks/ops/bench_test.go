package ops_test

import (
	"io"
	"net/http"
	"testing"

	"simpul/hooks/ops"
	"simpul/ui/testkit"
)

// BenchmarkScrape times a /metrics scrape over HTTP on a database of
// $SIMPUL_BENCH_COUNT demo complaints (default 20,000), against GET
// /api/health on the same server as the baseline, and without the
// channel/status index the ops migration adds. Compare the ns/op of the
// sub-benchmarks as ratios:
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench Scrape -benchtime 100x ./hooks/ops/
func BenchmarkScrape(b *testing.B) {
	app := testkit.BenchApp(b, 20000)
	srv := testkit.Serve(b, app)
	get := func(b *testing.B, path string) {
		for i := 0; i < b.N; i++ {
			res, err := http.Get(srv.URL + path)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("%s: %d", path, res.StatusCode)
			}
		}
	}
	b.Run("health", func(b *testing.B) { get(b, "/api/health") })
	b.Run("metrics", func(b *testing.B) { get(b, ops.MetricsPath) })
	b.Run("metrics_without_index", func(b *testing.B) {
		if _, err := app.DB().NewQuery("DROP INDEX idx_complaints_channel_status").Execute(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			app.DB().NewQuery("CREATE INDEX idx_complaints_channel_status ON complaints (channel, status)").Execute()
		})
		get(b, ops.MetricsPath)
	})
}
