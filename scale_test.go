package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/sqlitedb"
	"simpul/sync/upstream"
	"simpul/ui"
)

// BenchmarkAtScale measures what staff and the public read from a big
// office (issue 15, items 2, 3 and 5) on the real binary as a small server
// runs it: a 256 MB memory cgroup and GOMEMLIMIT=200MiB (startCapped), on
// the data directory $SIMPUL_BENCH_DATA (e.g. 1,000,000 demo complaints;
// the benchmark adds a superuser and a coordinator to it). Each case runs
// over HTTP with a coordinator's token; its peak RSS is VmHWM reset before
// the case (/proc/PID/clear_refs). Reported per case: time (median, and
// p95 where it repeats), rows/s for the exports, peak RSS in MB; idle RSS
// after start-up and again after the work; the baseline GET /api/health in
// the same run. Skipped without $SIMPUL_BENCH_DATA; $SIMPUL_BENCH_CASES
// (e.g. csv-year,search-hit) runs only the cases it names.
//
//	SIMPUL_BENCH_DATA=/path/to/pb_data go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" \
//	  -run '^$' -bench AtScale -benchtime 1x -timeout 60m .
func BenchmarkAtScale(b *testing.B) {
	dir := os.Getenv("SIMPUL_BENCH_DATA")
	if dir == "" {
		b.Skip("SIMPUL_BENCH_DATA names no data directory")
	}
	if code, out := simpul(b, "superuser", "upsert", "root@simpul.test", "rahasia-123456", "--dir", dir); code != 0 {
		b.Fatalf("superuser: %s", out)
	}
	cg := newMemCgroup(b, 256<<20)
	app := startCapped(b, dir, cg)
	defer app.stop()
	time.Sleep(5 * time.Second)
	b.ReportMetric(app.status("VmRSS")/1024, "idle-rss-MB")
	b.ReportMetric(app.status("RssAnon")/1024, "idle-rss-anon-MB")
	b.ReportMetric(app.status("RssFile")/1024, "idle-rss-file-MB")

	token := coordinatorToken(b, app.base)
	now := time.Now()
	year := "from=" + now.AddDate(-1, 0, 1).Format("2006-01-02") + "&to=" + now.Format("2006-01-02")
	lastMonth := now.AddDate(0, -1, 0)
	month := "from=" + time.Date(lastMonth.Year(), lastMonth.Month(), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02") +
		"&to=" + time.Date(now.Year(), now.Month(), 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02")

	// received is the number of reports in a period, from /api/stats: the
	// rows an export of that period holds.
	received := func(period string) float64 {
		code, body := get(b, app.base+"/api/stats?"+period, "Authorization", token)
		if code != http.StatusOK {
			b.Fatalf("stats: %d %s", code, body)
		}
		var s struct {
			Totals struct{ Received float64 }
		}
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			b.Fatalf("stats: %v", err)
		}
		return s.Totals.Received
	}
	type scaleCase struct {
		name, path string
		runs       int
		period     string // the export's period ("year", "month"): rows/s from /api/stats's count, read afterwards
		csvRows    bool   // rows/s from the CSV's own rows
	}
	cases := []scaleCase{
		{"health", "/api/health", 50, "", false},
		{"search-miss", "/api/staff/complaints?queue=all&q=zzkatatakada", 20, "", false},
		{"search-hit", "/api/staff/complaints?queue=all&q=lampu", 20, "", false},
		{"search-hit-2words", "/api/staff/complaints?queue=all&q=jembatan+rapuh", 20, "", false},
		{"search-hit-open", "/api/staff/complaints?queue=open&q=antrean", 20, "", false},
		{"public-list", "/laporan", 20, "", false},
		{"public-list-page-200", "/laporan?page=200", 10, "", false},
		{"stats-month", "/api/stats?" + month, 10, "", false},
		{"stats-year", "/api/stats?" + year, 10, "", false},
		{"pdf-month", "/api/stats/monthly.pdf?month=" + lastMonth.Format("2006-01"), 5, "", false},
		{"csv-year", "/api/exports/complaints.csv?" + year, 1, "year", false},
		{"events-csv-month", "/api/exports/events.csv?" + month, 1, "", true},
		{"xlsx-month", "/api/exports/complaints.xlsx?" + month, 1, "month", false},
		{"opendata-csv", "/data/laporan.csv", 1, "", true},
	}
	// SIMPUL_BENCH_CASES (names, comma-separated) runs only those cases
	// besides the baseline: a case's peak then starts from the idle
	// process, not from what the cases before it left resident.
	if only := os.Getenv("SIMPUL_BENCH_CASES"); only != "" {
		cases = slices.DeleteFunc(cases, func(c scaleCase) bool {
			return c.name != "health" && !slices.Contains(strings.Split(only, ","), c.name)
		})
	}
	p50 := map[string]float64{}
	var peakAll float64
	for _, c := range cases {
		app.resetPeak(b)
		var times []float64
		rows := 0.0
		cpu0 := app.cpuTime()
		for range c.runs {
			t0 := time.Now()
			code, n, lines := stream(b, app.base+c.path, token)
			d := time.Since(t0).Seconds() * 1000
			if code != 200 {
				b.Fatalf("%s: %d", c.name, code)
			}
			if c.csvRows {
				rows = float64(lines - 1) // less the header
			}
			times = append(times, d)
			if c.runs == 1 {
				b.ReportMetric(float64(n)/(1<<20), c.name+"-MB")
			}
		}
		// The server's CPU time per request: what a busy box's wait for a
		// core leaves out of the wall time.
		b.ReportMetric(float64((app.cpuTime()-cpu0).Microseconds())/1000/float64(c.runs), c.name+"-cpu-ms/req")
		slices.Sort(times)
		p50[c.period] = times[len(times)/2]
		b.ReportMetric(times[len(times)/2], c.name+"-p50-ms")
		if c.runs >= 10 {
			b.ReportMetric(times[(len(times)*95+99)/100-1], c.name+"-p95-ms")
		}
		if rows > 0 {
			b.ReportMetric(rows/(times[len(times)/2]/1000), c.name+"-rows/s")
		}
		peak := app.status("VmHWM") / 1024
		peakAll = max(peakAll, peak)
		b.ReportMetric(peak, c.name+"-peak-rss-MB")
	}
	b.ReportMetric(peakAll, "peak-rss-MB")
	yearRows, monthRows := received(year), received(month)
	b.ReportMetric(yearRows, "year-complaints")
	b.ReportMetric(monthRows, "month-complaints")
	if p50["year"] > 0 {
		b.ReportMetric(yearRows/(p50["year"]/1000), "csv-year-rows/s")
	}
	if p50["month"] > 0 {
		b.ReportMetric(monthRows/(p50["month"]/1000), "xlsx-month-complaints/s")
	}
	time.Sleep(10 * time.Second)
	b.ReportMetric(app.status("VmRSS")/1024, "after-rss-MB")
	cg.check(b)
	b.ReportMetric(map[bool]float64{true: 1, false: 0}[cg.path != ""], "cgroup-cap")
	b.ReportMetric(0, "ns/op")
}

// resetPeak sets the process's VmHWM back to its current RSS.
func (r *running) resetPeak(b *testing.B) {
	b.Helper()
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", r.cmd.Process.Pid), []byte("5"), 0o200); err != nil {
		b.Logf("cannot reset the peak RSS (%v): peaks are cumulative", err)
	}
}

// stream GETs url and reads the answer to its end, counting bytes and
// CRLF-ended lines (a CSV's rows: no demo text holds a CRLF).
func stream(b *testing.B, url, token string) (code int, n int64, lines int) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, 256<<10)
	last := byte(0)
	for {
		m, err := res.Body.Read(buf)
		if m > 0 {
			n += int64(m)
			lines += bytes.Count(buf[:m], []byte("\r\n"))
			if last == '\r' && buf[0] == '\n' {
				lines++
			}
			last = buf[m-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	return res.StatusCode, n, lines
}

// coordinatorToken signs in the benchmark's coordinator, creating it
// through the superuser API on the first run over a data directory.
func coordinatorToken(b *testing.B, base string) string {
	b.Helper()
	post := func(path, token string, body any) (int, map[string]any) {
		return postJSON(b, base, path, token, body)
	}
	login := map[string]string{"identity": "koordinator-bench@simpul.test", "password": "rahasia-123456"}
	if code, out := post("/api/collections/staff/auth-with-password", "", login); code == 200 {
		return out["token"].(string)
	}
	code, out := post("/api/collections/_superusers/auth-with-password", "", map[string]string{
		"identity": "root@simpul.test", "password": "rahasia-123456"})
	if code != 200 {
		b.Fatalf("superuser login: %d %v", code, out)
	}
	if code, out := post("/api/collections/staff/records", out["token"].(string), map[string]any{
		"email": login["identity"], "password": login["password"], "passwordConfirm": login["password"],
		"name": "Koordinator Bench", "role": "coordinator", "active": true}); code != 200 {
		b.Fatalf("coordinator: %d %v", code, out)
	}
	code, out = post("/api/collections/staff/auth-with-password", "", login)
	if code != 200 {
		b.Fatalf("coordinator login: %d %v", code, out)
	}
	return out["token"].(string)
}

// BenchmarkIdleRSS measures an idle appliance's resident memory (issue 15,
// item 5; docs/benchmarks.md 9.3) as BenchmarkAtScale starts it (256 MB
// cgroup, GOMEMLIMIT=200MiB), 5 s after start on an existing data
// directory, twice: from a copy of the binary just written, whose pages the
// page cache holds as a build or an install leaves them, and from the same
// copy read back from disk, as after a reboot (its cached pages dropped
// first). The two differ in the binary's pages (RssFile) alone where the
// kernel keeps a freshly written file in large folios (ext4 since Linux
// 6.16): a process then maps whole 2 MB folios of its code although
// start-up touches only part of them.
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench IdleRSS -benchtime 1x -count 3 .
func BenchmarkIdleRSS(b *testing.B) {
	dir := b.TempDir()
	cg := newMemCgroup(b, 256<<20)
	startCapped(b, dir, cg).stop() // migrations and seed: the directory exists from here on
	for _, mode := range []string{"written", "from-disk"} {
		bin := filepath.Join(b.TempDir(), "simpul")
		raw, err := os.ReadFile(binary)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(bin, raw, 0o755); err != nil {
			b.Fatal(err)
		}
		if mode == "from-disk" {
			dropCached(b, bin)
		}
		app := startCappedBin(b, bin, dir, cg)
		time.Sleep(5 * time.Second)
		b.ReportMetric(app.status("VmRSS")/1024, mode+"-idle-rss-MB")
		b.ReportMetric(app.status("RssAnon")/1024, mode+"-idle-rss-anon-MB")
		b.ReportMetric(app.status("RssFile")/1024, mode+"-idle-rss-file-MB")
		app.stop()
	}
	cg.check(b)
	b.ReportMetric(map[bool]float64{true: 1, false: 0}[cg.path != ""], "cgroup-cap")
	b.ReportMetric(0, "ns/op")
}

// dropCached writes path's pages to disk and drops them from the page cache
// (posix_fadvise DONTNEED), so the next reader faults them in from disk.
func dropCached(b *testing.B, path string) {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	const fadvDontNeed = 4
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0); errno != 0 {
		b.Fatalf("fadvise: %v", errno)
	}
}

// BenchmarkIdleHeap says where an idle appliance's Go heap goes (issue 15,
// item 5): it builds the app as main does (every hook, page and the sync
// scheduler registered), opens a fresh data directory, runs the
// migrations and the serve hooks (routes, templates, jobs), collects
// garbage and writes a heap profile to $SIMPUL_HEAP_PROFILE (default: a
// temporary file). Reported: the Go heap in use and the runtime's other
// memory, and SQLite's own (C) memory with the connections it holds open.
// Read the profile with
//
//	go tool pprof -top -inuse_space -nodecount 40 $SIMPUL_HEAP_PROFILE
//
//	SIMPUL_HEAP_PROFILE=/tmp/idle.heap go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench IdleHeap -benchtime 1x .
func BenchmarkIdleHeap(b *testing.B) {
	runtime.MemProfileRate = 4096
	cfg, err := config.FromEnv()
	if err != nil {
		b.Fatal(err)
	}
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: sqlitedb.Connect, DefaultDataDir: b.TempDir()})
	hooks.Register(app, cfg)
	ui.Register(app, cfg)
	upstream.Register(app, cfg)
	if err := app.Bootstrap(); err != nil {
		b.Fatal(err)
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		b.Fatal(err)
	}
	router, err := apis.NewRouter(app)
	if err != nil {
		b.Fatal(err)
	}
	var mux http.Handler
	if err := app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		mux, err = e.Router.BuildMux()
		return err
	}); err != nil {
		b.Fatal(err)
	}
	defer app.OnTerminate().Trigger(&core.TerminateEvent{App: app})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/health", nil))
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	path := os.Getenv("SIMPUL_HEAP_PROFILE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "idle.heap")
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	b.ReportMetric(mb(m.HeapInuse), "heap-inuse-MB")
	b.ReportMetric(mb(m.HeapAlloc), "heap-live-MB")
	b.ReportMetric(mb(m.StackInuse), "stacks-MB")
	b.ReportMetric(mb(m.Sys), "go-sys-MB")
	b.ReportMetric(mb(uint64(sqlitedb.MemoryUsed())), "sqlite-MB")
	b.ReportMetric(float64(app.ConcurrentDB().(*dbx.DB).DB().Stats().OpenConnections+
		app.NonconcurrentDB().(*dbx.DB).DB().Stats().OpenConnections+
		app.AuxConcurrentDB().(*dbx.DB).DB().Stats().OpenConnections+
		app.AuxNonconcurrentDB().(*dbx.DB).DB().Stats().OpenConnections), "sqlite-connections")
	b.ReportMetric(0, "ns/op")
}
