package testkit

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/platform/sqlitedb"
)

// LoadResult is the outcome of one load run.
type LoadResult struct {
	RPS      float64 // requests per second
	P50, P99 float64 // latency in milliseconds
	Failed   int     // requests without a 2xx answer
}

// Load sends n JSON POSTs to url from `clients` goroutines over keep-alive
// connections, as a busy counter and kiosks would, and measures throughput
// and latency; body(i) is request i. For benchmarks.
func Load(url string, headers map[string]string, clients, n int, body func(i int) []byte) LoadResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	lat := make([]time.Duration, n)
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body(i)))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range headers {
					req.Header.Set(k, v)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || res.StatusCode/100 != 2 {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(float64(n-1)*q)].Microseconds()) / 1000 }
	return LoadResult{RPS: float64(n) / elapsed.Seconds(), P50: ms(0.50), P99: ms(0.99), Failed: int(failed.Load())}
}

// BenchApp returns an app for benchmarks over many complaints, wired like
// the real binary: the data directory in $SIMPUL_BENCH_DATA, opened in
// place (seed one with "simpul demo seed --count N --dir DIR"), or else a
// fresh test app seeded with $SIMPUL_BENCH_COUNT demo complaints (default
// n).
func BenchApp(b *testing.B, n int) core.App {
	b.Helper()
	if dir := os.Getenv("SIMPUL_BENCH_DATA"); dir != "" {
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env", DBConnect: sqlitedb.Connect})
		if err := app.Bootstrap(); err != nil {
			b.Fatal(err)
		}
		if err := app.RunAllMigrations(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { app.ResetBootstrapState() })
		register(app, Config())
		return app
	}
	if v, err := strconv.Atoi(os.Getenv("SIMPUL_BENCH_COUNT")); err == nil && v > 0 {
		n = v
	}
	app := New(b)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: n, Batch: 5000}); err != nil {
		b.Fatal(err)
	}
	return app
}

// SampleHeap samples the Go heap in use every interval until the returned
// function is called, which stops and returns the largest value seen
// (bytes): the peak memory of what ran in between.
func SampleHeap(interval time.Duration) func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sample()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		sample()
		return peak.Load()
	}
}
