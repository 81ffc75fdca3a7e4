package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"simpul/ui/testkit"
)

// BenchmarkAppliance measures the real binary as an office would run it on
// a small server (issue 7, item 4): under a 256 MB memory cap (a cgroup
// when this machine lets us make one, and GOMEMLIMIT) it starts, idles and
// takes the intake load of 64 concurrent clients (b.N reports, at least
// 5,000) without failing. Reported: start-up to healthy (fresh and
// existing data directory), idle and peak RSS, intake throughput and p99,
// binary size (test build and stripped release build) and data size per
// 10,000 complaints.
//
//	go test -tags "no_default_driver sqlite_math_functions sqlite_fts5" -run '^$' -bench Appliance -benchtime 10000x .
func BenchmarkAppliance(b *testing.B) {
	n := max(b.N, 5000)
	dir := filepath.Join(b.TempDir(), "pb_data")
	if code, out := simpul(b, "superuser", "upsert", "root@simpul.test", "rahasia-123456", "--dir", dir); code != 0 {
		b.Fatalf("superuser: %s", out)
	}
	cg := newMemCgroup(b, 256<<20)

	// Start on the fresh (just migrated) directory, stop, measure its size,
	// then start again: the figure an office sees after a power cut.
	first := startCapped(b, dir, cg)
	first.stop()
	emptySize := dataSize(b, dir)
	app := startCapped(b, dir, cg)
	defer app.stop()

	time.Sleep(3 * time.Second)
	idle := app.status("VmRSS")

	token := staffToken(b, app.base)
	res := testkit.Load(app.base+"/api/complaints", map[string]string{"Authorization": token}, 64, n, applianceReport)
	peak := app.status("VmHWM")
	if res.Failed > 0 {
		b.Fatalf("%d of %d reports failed under the memory cap", res.Failed, n)
	}
	if code, _ := get(b, app.base+"/api/health"); code != 200 {
		b.Fatal("not healthy after the load")
	}
	cg.check(b)
	app.stop()
	perTenK := float64(dataSize(b, dir)-emptySize) / float64(n) * 10000

	b.ReportMetric(first.ready.Seconds()*1000, "start-fresh-ms")
	b.ReportMetric(app.ready.Seconds()*1000, "start-ms")
	b.ReportMetric(idle/1024, "idle-rss-MB")
	b.ReportMetric(peak/1024, "peak-rss-MB")
	b.ReportMetric(res.RPS, "intake-req/s")
	b.ReportMetric(res.P99, "intake-p99-ms")
	b.ReportMetric(perTenK/(1<<20), "MB-per-10k-complaints")
	b.ReportMetric(fileMB(b, binary), "test-binary-MB")
	b.ReportMetric(fileMB(b, strippedBinary(b)), "release-binary-MB")
	b.ReportMetric(map[bool]float64{true: 1, false: 0}[cg.path != ""], "cgroup-cap")
	b.ReportMetric(0, "ns/op")
}

func applianceReport(i int) []byte {
	body, _ := json.Marshal(map[string]any{
		"type": "pengaduan", "title": fmt.Sprintf("Antrean loket KTP tidak dilayani %d", i),
		"body": "Sudah tiga hari berturut-turut antrean loket KTP tidak dilayani sejak pukul sepuluh pagi. " +
			"Petugas tidak ada di tempat dan tidak ada pengumuman. Warga yang datang dari desa jauh pulang dengan tangan kosong.",
		"category": "ADM-KTP", "privacy": "public", "location": "Kantor Kecamatan, loket 3",
		"reporter_name": "Budi Santoso", "reporter_phone": "081298765432",
	})
	return body
}

// running is a started "simpul serve".
type running struct {
	cmd   *exec.Cmd
	base  string
	ready time.Duration // start to the first 200 on /api/health
}

// startCapped starts the binary inside the cgroup (when there is one) with
// GOMEMLIMIT set under the cap, and waits for /api/health.
func startCapped(b *testing.B, dir string, cg *memCgroup) *running {
	b.Helper()
	return startCappedBin(b, binary, dir, cg)
}

// startCappedBin is startCapped with the binary at bin.
func startCappedBin(b *testing.B, bin, dir string, cg *memCgroup) *running {
	b.Helper()
	addr := freePort(b)
	args := []string{bin, "serve", "--http", addr, "--dir", dir}
	var cmd *exec.Cmd
	if cg.path != "" {
		// The shell joins the cgroup, then becomes simpul: no moment outside it.
		cmd = exec.Command("sh", append([]string{"-c", `echo $$ > "$CG/cgroup.procs" && exec "$@"`, "sh"}, args...)...)
		cmd.Env = append(os.Environ(), "CG="+cg.path)
	} else {
		cmd = exec.Command(args[0], args[1:]...)
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "GOMEMLIMIT=200MiB")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r := &running{cmd: cmd, base: "http://" + addr}
	for time.Since(t0) < 30*time.Second {
		if probe(r.base+"/api/health") == 200 {
			r.ready = time.Since(t0)
			return r
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	b.Fatalf("not healthy within 30 s:\n%s", out.String())
	return nil
}

func (r *running) stop() {
	if r.cmd.ProcessState == nil {
		r.cmd.Process.Signal(os.Interrupt)
		r.cmd.Wait()
	}
}

// status reads a kB figure (VmRSS, VmHWM) of the running process.
func (r *running) status(field string) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
			return kb
		}
	}
	return 0
}

// memCgroup is a cgroup v1 memory group with a hard limit, or nothing
// (path "") where this machine does not allow making one.
type memCgroup struct{ path string }

func newMemCgroup(b *testing.B, limit int64) *memCgroup {
	b.Helper()
	path := fmt.Sprintf("/sys/fs/cgroup/memory/simpul-bench-%d", os.Getpid())
	if err := os.Mkdir(path, 0o755); err != nil {
		b.Logf("no cgroup memory cap here (%v): only GOMEMLIMIT applies", err)
		return &memCgroup{}
	}
	b.Cleanup(func() { os.Remove(path) })
	if err := os.WriteFile(filepath.Join(path, "memory.limit_in_bytes"), []byte(strconv.FormatInt(limit, 10)), 0o644); err != nil {
		b.Logf("cannot set the cgroup limit (%v): only GOMEMLIMIT applies", err)
		return &memCgroup{}
	}
	return &memCgroup{path: path}
}

// check fails the benchmark if the kernel had to kill anything in the group.
func (c *memCgroup) check(b *testing.B) {
	b.Helper()
	if c.path == "" {
		return
	}
	raw, err := os.ReadFile(filepath.Join(c.path, "memory.oom_control"))
	if err == nil && strings.Contains(string(raw), "oom_kill ") && !strings.Contains(string(raw), "oom_kill 0") {
		b.Fatalf("the OOM killer ran inside the 256 MB cap:\n%s", raw)
	}
}

// dataSize is data.db with its WAL, in bytes.
func dataSize(b *testing.B, dir string) int64 {
	var total int64
	for _, f := range []string{"data.db", "data.db-wal"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			total += st.Size()
		}
	}
	return total
}

func fileMB(b *testing.B, path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(st.Size()) / (1 << 20)
}

// strippedBinary builds the release binary the way the Dockerfile does
// (minus static linking): -trimpath, -s -w.
func strippedBinary(b *testing.B) string {
	out := filepath.Join(b.TempDir(), "simpul-release")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "no_default_driver sqlite_math_functions sqlite_fts5",
		"-ldflags", "-s -w", "-o", out, ".")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("release build: %v\n%s", err, msg)
	}
	return out
}

// postJSON sends body as JSON to base+path, with token as its
// Authorization when given, and returns the status and the decoded answer.
func postJSON(tb testing.TB, base, path, token string, body any) (int, map[string]any) {
	tb.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// staffToken makes a counter clerk through the superuser API and logs in.
func staffToken(b *testing.B, base string) string {
	b.Helper()
	post := func(path, token string, body any) map[string]any {
		code, out := postJSON(b, base, path, token, body)
		if code != 200 {
			b.Fatalf("%s: %d %v", path, code, out)
		}
		return out
	}
	root := post("/api/collections/_superusers/auth-with-password", "", map[string]string{
		"identity": "root@simpul.test", "password": "rahasia-123456"})["token"].(string)
	post("/api/collections/staff/records", root, map[string]any{"email": "loket@simpul.test", "password": "rahasia-123456",
		"passwordConfirm": "rahasia-123456", "name": "Petugas Loket", "role": "frontdesk", "active": true})
	return post("/api/collections/staff/auth-with-password", "", map[string]string{
		"identity": "loket@simpul.test", "password": "rahasia-123456"})["token"].(string)
}

// probe is a GET that tolerates a server not listening yet.
func probe(url string) int {
	res, err := http.Get(url)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
