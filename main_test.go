package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"simpul/hooks/platform/sqlitedb"
)

// These tests run the real binary, as an operator would. It is built with
// the tag simpul_testclock (testclock.go): a process given
// SIMPUL_TEST_CLOCK_FILE reads its time from that file, so a tree of
// processes can share one fake clock; without the variable it runs on the
// wall clock as a release build does.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "simpul-bin-*")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "simpul")
	build := exec.Command("go", "build", "-tags", "no_default_driver sqlite_math_functions sqlite_fts5 simpul_testclock", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build failed:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// simpul runs the binary to completion and returns its exit code and output.
func simpul(t testing.TB, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return 0, string(out)
}

// serve starts "simpul serve" and waits for /api/health.
func serve(t *testing.T, dir string) (base string, stop func()) {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(binary, "serve", "--http", addr, "--dir", dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	base = "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return base, stop
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	t.Fatalf("simpul serve never became healthy:\n%s", out.String())
	return "", nil
}

func get(t testing.TB, url string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestFreshStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pb_data")
	base, stop := serve(t, dir)
	defer stop()

	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, `lang="id"`) || !strings.Contains(body, "/lapor") {
		t.Errorf("start page: %d %.200s", code, body)
	}
	if code, _ := get(t, base+"/_/"); code != 200 {
		t.Errorf("admin UI: %d", code)
	}
	if code, body := get(t, base+"/api/collections/categories/records?perPage=100"); code != 200 || !strings.Contains(body, `"code":"KES"`) {
		t.Errorf("seeded categories: %d %.200s", code, body)
	}
	if code, body := get(t, base+"/api/collections/complaints/records"); code != 200 || !strings.Contains(body, `"totalItems":0`) {
		t.Errorf("guests must see no complaints: %d %.200s", code, body)
	}
	// The container health check needs no curl: the binary checks itself.
	if code, out := simpul(t, "healthcheck", "--url", base+"/api/health"); code != 0 {
		t.Errorf("healthcheck against a healthy server: exit %d\n%s", code, out)
	}
	if code, _ := simpul(t, "healthcheck", "--url", "http://"+freePort(t)+"/api/health", "--timeout", "1s"); code == 0 {
		t.Error("healthcheck against a closed port exited 0")
	}
}

// A probe every 30 seconds must not open a data directory: opening one
// clears .pb_temp_to_delete, where a running backup is staged.
func TestHealthcheckOpensNoDataDir(t *testing.T) {
	base, stop := serve(t, filepath.Join(t.TempDir(), "pb_data"))
	defer stop()
	cwd := t.TempDir()
	staged := filepath.Join(cwd, "pb_data", ".pb_temp_to_delete", "backup-in-progress")
	if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(staged, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "healthcheck", "--url", base+"/api/health")
	cmd.Dir = cwd // the default data directory is ./pb_data
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("healthcheck: %v\n%s", err, out)
	}
	if _, err := os.Stat(staged); err != nil {
		t.Fatalf("the probe touched the data directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cwd, "pb_data", "data.db")); err == nil {
		t.Fatal("the probe created a database")
	}
}

func TestCommandsWorkOnAFreshDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pb_data")
	if code, out := simpul(t, "audit", "verify", "--dir", dir); code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("audit verify on a fresh dir: exit %d\n%s", code, out)
	}
	if code, out := simpul(t, "superuser", "upsert", "admin@simpul.test", "rahasia-123456", "--dir", dir); code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	if code, out := simpul(t, "superuser", "upsert", "bukan-email", "rahasia-123456", "--dir", dir); code == 0 {
		t.Fatalf("superuser upsert with a bad e-mail exited 0\n%s", out)
	}
}

func TestFailuresExitNonZero(t *testing.T) {
	t.Run("port in use", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		code, out := simpul(t, "serve", "--http", l.Addr().String(), "--dir", filepath.Join(t.TempDir(), "d"))
		if code == 0 || !strings.Contains(out, "address already in use") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("corrupt database", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "data.db"), bytes.Repeat([]byte("bukan database "), 400), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out := simpul(t, "serve", "--http", freePort(t), "--dir", dir)
		if code == 0 || !strings.Contains(out, "not a database") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("unwritable data dir", func(t *testing.T) {
		// A regular file where the directory should be fails even for root,
		// whom permission bits do not stop.
		parent := t.TempDir()
		file := filepath.Join(parent, "berkas")
		if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out := simpul(t, "serve", "--http", freePort(t), "--dir", filepath.Join(file, "pb_data"))
		if code == 0 || !strings.Contains(out, "not a directory") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("bad configuration", func(t *testing.T) {
		cmd := exec.Command(binary, "serve", "--dir", t.TempDir())
		cmd.Env = append(os.Environ(), "SIMPUL_TIMEZONE=Mars/Olympus")
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 || !strings.Contains(string(out), "SIMPUL_TIMEZONE") {
			t.Fatalf("err %v, output:\n%s", err, out)
		}
	})
}

// A migration that fails leaves no half-migrated database: all migrations
// run in one transaction, so nothing of the failed run stays behind and the
// next start migrates from the same point.
func TestFailedMigrationRollsBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pb_data")
	// An office code with spaces passes the config check but fails the
	// offices row pattern in the seed migration, after the schema migration.
	cmd := exec.Command(binary, "audit", "verify", "--dir", dir)
	cmd.Env = append(os.Environ(), "SIMPUL_OFFICE_CODE=kode dengan spasi!")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 || !strings.Contains(string(out), "seed") {
		t.Fatalf("bad seed did not fail clearly: %v\n%s", err, out)
	}
	db, err := sqlitedb.Connect(filepath.Join(dir, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	var tables int
	if err := db.NewQuery("SELECT count(*) FROM sqlite_master WHERE name IN ('complaints','categories')").Row(&tables); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if tables != 0 {
		t.Fatalf("the failed migration left %d of its tables behind", tables)
	}

	base, stop := serve(t, dir)
	defer stop()
	if code, body := get(t, base+"/api/collections/categories/records?filter=code='LAIN'"); code != 200 || !strings.Contains(body, `"code":"LAIN"`) {
		t.Fatalf("after a good start: %d %.200s", code, body)
	}
}

// The binary links mattn/go-sqlite3 and not PocketBase's pure-Go driver.
func TestBinaryUsesCgoDriverOnly(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", binary).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "github.com/mattn/go-sqlite3") || strings.Contains(string(out), "modernc.org/sqlite") {
		t.Fatalf("driver modules in the binary:\n%s", out)
	}
}

// "simpul routes" (DESIGN §3 "The surface, listed"): one route a line,
// METHOD /path then who may call it; Simpul's pages and API, and
// PocketBase's own.
func TestRoutesCommand(t *testing.T) {
	code, out := simpul(t, "routes", "--dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	want := map[string]string{
		"POST /api/complaints":                    "anyone",
		"GET /api/track/{code}":                   "anyone",
		"POST /api/complaints/{code}/transitions": "staff",
		"GET /lapor":                              "anyone",
		"GET /staf":                               "staff",
		"GET /metrics":                            "admin",
		"POST /api/sync/v1/push":                  "node",
		"GET /api/health":                         "PocketBase",
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 100 {
		t.Fatalf("only %d lines:\n%s", len(lines), out)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasPrefix(f[1], "/") {
			t.Errorf("not METHOD /path who: %q", l)
			continue
		}
		if who, ok := want[f[0]+" "+f[1]]; ok {
			if !strings.Contains(strings.Join(f[2:], " "), who) {
				t.Errorf("%s: who %q, want it to name %q", l, strings.Join(f[2:], " "), who)
			}
			delete(want, f[0]+" "+f[1])
		}
	}
	for r := range want {
		t.Errorf("%s is not listed", r)
	}
}
