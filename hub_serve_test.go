package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkHubServe asks a real "simpul serve" on a hub's data what its
// overseers ask (issues 11 and 15): the year's statistics with by_office
// (the rolling year up to today and the last twelve whole months), one
// office's year (the busiest and the quietest), and the overdue list of
// every office and of the busiest one, first page and a later page;
// each request b.N times over HTTP with a staff session, the server under
// the small-server memory cap of BenchmarkAppliance (256 MB cgroup when
// this machine allows one, GOMEMLIMIT=200MiB). Reported per request: the
// median and slowest time and the ratio to GET /api/health measured in the
// same run (x-health: the HTTP and session cost every request pays); and
// the server's RSS idle and at its peak (VmHWM) after every request.
//
// The data: $SIMPUL_HUB_DATA (a data directory made by "simpul demo hub
// --offices 2000 --count 5000000 --dir DIR"; the benchmark adds a
// superuser to it), or else a tree of 2,000 offices and 20,000 cases made
// for the run. SIMPUL_HUB_NOCAP=1 runs the server without the cgroup (a
// hub of millions of cases is no 256 MB appliance: there the cap's OOM
// killer ends the server during the whole-hub statistics; GOMEMLIMIT
// stays).
//
//	SIMPUL_HUB_DATA=/work/benchdata/hub5m SIMPUL_HUB_NOCAP=1 go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" \
//	  -run '^$' -bench BenchmarkHubServe -benchtime 5x -timeout 30m .
func BenchmarkHubServe(b *testing.B) {
	dir := os.Getenv("SIMPUL_HUB_DATA")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "pb_data")
		if code, out := simpul(b, "demo", "hub", "--offices", "2000", "--count", "20000", "--dir", dir); code != 0 {
			b.Fatalf("demo hub: %s", out)
		}
	}
	if code, out := simpul(b, "superuser", "upsert", "hub-bench@simpul.test", "rahasia-123456", "--dir", dir); code != 0 {
		b.Fatalf("superuser: %s", out)
	}
	cg := &memCgroup{}
	if os.Getenv("SIMPUL_HUB_NOCAP") == "" {
		cg = newMemCgroup(b, 256<<20)
	}
	app := startCapped(b, dir, cg)
	defer app.stop()
	time.Sleep(3 * time.Second)
	idle := app.status("VmRSS")
	token := superuserToken(b, app.base, "hub-bench@simpul.test", "rahasia-123456")

	call := func(b *testing.B, path string, out any) {
		req, _ := http.NewRequest(http.MethodGet, app.base+path, nil)
		req.Header.Set("Authorization", token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			b.Fatalf("GET %s: %v", path, err)
		}
	}
	// The period: the year up to today in the office's zone, as the
	// server sees it (the hub's data ends today).
	var rep struct {
		To       string `json:"to"`
		Totals   struct{ Received int }
		ByOffice []struct {
			Key      string `json:"key"`
			Received int    `json:"received"`
		} `json:"by_office"`
	}
	call(b, "/api/stats", &rep)
	today, err := time.Parse(time.DateOnly, rep.To)
	if err != nil {
		b.Fatal(err)
	}
	year := "from=" + today.AddDate(-1, 0, 1).Format(time.DateOnly) + "&to=" + today.Format(time.DateOnly)
	thisMonth := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := "from=" + thisMonth.AddDate(-1, 0, 0).Format(time.DateOnly) + "&to=" + thisMonth.AddDate(0, 0, -1).Format(time.DateOnly)
	call(b, "/api/stats?"+year, &rep)
	if len(rep.ByOffice) == 0 {
		b.Fatal("no office in the year's statistics")
	}
	busy, quiet := rep.ByOffice[0].Key, rep.ByOffice[len(rep.ByOffice)-1].Key // by received, most first
	b.Logf("%d cases in the year, %d offices; busiest %s (%d), quietest %s (%d)", rep.Totals.Received, len(rep.ByOffice),
		busy, rep.ByOffice[0].Received, quiet, rep.ByOffice[len(rep.ByOffice)-1].Received)

	var healthMS float64
	measure := func(name, path string) {
		b.Run(name, func(b *testing.B) {
			d := make([]time.Duration, 0, b.N)
			cpu0 := app.cpuTime()
			for range b.N {
				var v any
				t0 := time.Now()
				call(b, path, &v)
				d = append(d, time.Since(t0))
			}
			// The server's CPU time per request: what a busy box's wait
			// for a core leaves out of the figure (wall time is the target).
			b.ReportMetric(float64((app.cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/req")
			slices.Sort(d)
			p50 := float64(d[len(d)/2].Microseconds()) / 1000
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(float64(d[len(d)-1].Microseconds())/1000, "max-ms")
			if name == "baseline-health" {
				healthMS = p50
			} else if healthMS > 0 {
				b.ReportMetric(p50/healthMS, "x-health")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
	measure("baseline-health", "/api/health")
	measure("stats/by-office/year", "/api/stats?"+year)
	measure("stats/by-office/12-months", "/api/stats?"+months)
	measure("stats/office-busiest/year", "/api/stats?"+year+"&office="+url.QueryEscape(busy))
	measure("stats/office-quiet/year", "/api/stats?"+year+"&office="+url.QueryEscape(quiet))
	measure("overdue/all/page-1", "/api/staff/oversight?queue=overdue&page=1")
	measure("overdue/all/page-100", "/api/staff/oversight?queue=overdue&page=100")
	measure("overdue/busiest/page-1", "/api/staff/oversight?queue=overdue&office="+url.QueryEscape(busy)+"&page=1")
	measure("overdue/busiest/page-10", "/api/staff/oversight?queue=overdue&office="+url.QueryEscape(busy)+"&page=10")
	peak := app.status("VmHWM")
	cg.check(b)
	b.Run("rss", func(b *testing.B) {
		b.ReportMetric(idle/1024, "idle-rss-MB")
		b.ReportMetric(peak/1024, "peak-rss-MB")
		b.ReportMetric(float64(rep.Totals.Received), "cases-in-year")
		b.ReportMetric(map[bool]float64{true: 1, false: 0}[cg.path != ""], "cgroup-cap")
		b.ReportMetric(0, "ns/op")
	})
}

// cpuTime is the CPU time (user and system) the running process has used,
// from /proc/PID/stat (in clock ticks of 10 ms).
func (r *running) cpuTime() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (in parentheses, which may hold
	// spaces): state is the 3rd field, utime and stime the 14th and 15th.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// superuserToken signs a superuser in.
func superuserToken(b *testing.B, base, email, password string) string {
	b.Helper()
	res, err := http.Post(base+"/api/collections/_superusers/auth-with-password", "application/json",
		strings.NewReader(`{"identity":`+strconv.Quote(email)+`,"password":`+strconv.Quote(password)+`}`))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		b.Fatalf("superuser sign-in: %d %v", res.StatusCode, err)
	}
	return out.Token
}
