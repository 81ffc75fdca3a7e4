// Package testkit is the one package of test helpers, imported by tests
// only. It builds real Simpul test apps (a fresh data directory, the cgo
// SQLite driver, every migration and every Register call main makes: see
// New), serves them on a real HTTP server (Serve), drives a real headless
// Chromium against them (NewBrowser), loads fixtures (Complaint, Staff,
// Unit, Node, LoadStatsRows) and generates load (Load). PDF checks live in
// the leaf package testkit/pdfcheck, because receipt's own tests need them
// without an app.
//
// It sits under ui/ because it wires everything (hooks, sync, ui), and ui is
// the outermost layer: hooks imports neither sync nor ui, sync imports
// hooks, ui imports both.
package testkit

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks"
	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/sqlitedb"
	_ "simpul/migrations"
	"simpul/sync/upstream"
	"simpul/ui"
)

// Config is the configuration test apps get: the defaults with no upstream.
func Config() config.Config {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		panic(err)
	}
	return cfg
}

// New returns a migrated, seeded app wired like the real binary. It is
// cleaned up when the test ends.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	app := NewUnmanaged(t, Config())
	t.Cleanup(app.Cleanup)
	return app
}

// NewUnmanaged is New without the automatic cleanup, for
// tests.ApiScenario's TestAppFactory (the scenario cleans up itself).
func NewUnmanaged(t testing.TB, cfg config.Config) *tests.TestApp {
	t.Helper()
	return NewFromDir(t, templateDir(t), cfg)
}

// NewFromDir returns an unmanaged app on a clone of dataDir (see Snapshot).
func NewFromDir(t testing.TB, dataDir string, cfg config.Config) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{
		DataDir:       dataDir,
		EncryptionEnv: "pb_test_env",
		DBConnect:     sqlitedb.Connect,
	})
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	if _, ok := StartTime(); ok {
		clock.Set(app, Now)
	}
	register(app, cfg)
	return app
}

// NowEnv names the variable that sets the day every test app lives on:
// SIMPUL_TEST_NOW=2026-12-26 (a Saturday), =2026-12-31, =2026-12-24 (cuti
// bersama), or a full RFC 3339 time. Each app's clock (clock.Now) starts
// there and then runs with the wall clock. Unset: the wall clock. A test
// that passes on the wall clock but fails under this variable reads the
// wall clock for domain time.
const NowEnv = "SIMPUL_TEST_NOW"

// testClock is the one clock of every test app in this process when NowEnv
// is set: all apps (a node and its hub, say) and the test itself agree.
var testClock = sync.OnceValue(func() func() time.Time {
	t, _ := StartTime()
	return clock.From(t)
})

// Now is what the clocks of test apps say now: NowEnv's time plus what has
// passed since, or the wall clock when NowEnv is unset. A test that needs
// "now" before its app exists (a signed request built for an ApiScenario)
// uses this; with an app, clock.Now(app).
func Now() time.Time {
	if _, ok := StartTime(); ok {
		return testClock()()
	}
	return time.Now()
}

// StartTime is the time NowEnv names (a bare date is 09:30 in Jakarta,
// office hours), and false when it is unset.
func StartTime() (time.Time, bool) {
	s := os.Getenv(NowEnv)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	wib := time.FixedZone("WIB", 7*3600)
	t, err := time.ParseInLocation("2006-01-02", s, wib)
	if err != nil {
		panic("testkit: " + NowEnv + " is neither a date (2006-01-02) nor an RFC 3339 time: " + s)
	}
	return t.Add(9*time.Hour + 30*time.Minute), true
}

// register wires app as main does. A test app queues its changes in the
// outbox, as an office with a parent does, whatever cfg says: most tests
// attach a parent by hand; the top of a tree is tested with
// outbox.SetTop (sync/upstream TestTopOfficeQueuesNothingUntilItHasAParent).
func register(app core.App, cfg config.Config) {
	hooks.Register(app, cfg)
	ui.Register(app, cfg)
	upstream.Register(app, cfg)
	outbox.SetTop(app, false)
}

// Factory is a TestAppFactory for tests.ApiScenario; setup (may be nil)
// runs on the fresh app before the request, e.g. to add staff.
func Factory(setup func(t testing.TB, app *tests.TestApp)) func(testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		app := NewUnmanaged(t, Config())
		if setup != nil {
			setup(t, app)
		}
		return app
	}
}

// Staff creates an active staff member with role in the unit with code
// unitCode (empty: no unit) and returns the record and an auth token.
func Staff(t testing.TB, app core.App, email, role, unitCode string) (*core.Record, string) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(model.Staff)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.SetEmail(email)
	r.SetPassword("rahasia-123456")
	r.Set("name", "Petugas "+role)
	r.Set("role", role)
	r.Set("active", true)
	if unitCode != "" {
		r.Set("unit", Unit(t, app, unitCode).Id)
	}
	if err := app.Save(r); err != nil {
		t.Fatalf("testkit: staff %s: %v", email, err)
	}
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return r, tok
}

// Unit returns the unit with code, creating it when missing.
func Unit(t testing.TB, app core.App, code string) *core.Record {
	t.Helper()
	if u, err := app.FindFirstRecordByData(model.Units, "code", code); err == nil {
		return u
	}
	col, err := app.FindCollectionByNameOrId(model.Units)
	if err != nil {
		t.Fatal(err)
	}
	u := core.NewRecord(col)
	u.Set("code", code)
	u.Set("name", "Unit "+code)
	u.Set("active", true)
	if err := app.Save(u); err != nil {
		t.Fatalf("testkit: unit %s: %v", code, err)
	}
	return u
}

// SuperuserToken creates a superuser and returns its auth token.
func SuperuserToken(t testing.TB, app core.App) string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.SetEmail("root@simpul.test")
	r.SetPassword("rahasia-123456")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	tok, err := r.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

var (
	templateOnce sync.Once
	templatePath string
	templateErr  error
)

// templateDir migrates and seeds one data directory per test binary;
// NewTestAppWithConfig clones it for every app, which is far cheaper than
// running the migrations again.
func templateDir(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() {
		dir, err := os.MkdirTemp("", "simpul-testapp-*")
		if err != nil {
			templateErr = err
			return
		}
		templatePath = filepath.Join(dir, "pb_data")
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: templatePath, EncryptionEnv: "pb_test_env", DBConnect: sqlitedb.Connect})
		if templateErr = app.Bootstrap(); templateErr != nil {
			return
		}
		templateErr = app.RunAllMigrations()
		app.ResetBootstrapState()
	})
	if templateErr != nil {
		t.Fatalf("testkit: template data dir: %v", templateErr)
	}
	return templatePath
}

// Run runs a package's tests and removes the template data directory; call
// it from TestMain: func TestMain(m *testing.M) { os.Exit(Run(m)) }.
func Run(m *testing.M) int {
	code := m.Run()
	if templatePath != "" {
		os.RemoveAll(filepath.Dir(templatePath))
	}
	return code
}

// Snapshot closes app and copies its data directory to a directory owned by
// the test, so many apps can start from the same fixtures without paying for
// them (password hashing, inserts) again. Pass the result to NewFromDir.
func Snapshot(t testing.TB, app *tests.TestApp) string {
	t.Helper()
	src := app.DataDir()
	if err := app.ResetBootstrapState(); err != nil { // closes the databases, flushing the WAL
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "pb_data")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("testkit: snapshot: %v", err)
	}
	app.Cleanup()
	return dst
}

// Serve starts a real HTTP server on app's router, exactly as "serve"
// builds it (every OnServe hook runs), and closes it when the test ends.
func Serve(t testing.TB, app core.App) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(t, app))
	t.Cleanup(srv.Close)
	return srv
}

// Handler builds app's HTTP handler exactly as "serve" does (every
// OnServe hook runs), for tests and fuzzers that call it without a
// network.
func Handler(t testing.TB, app core.App) http.Handler {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatalf("testkit: router: %v", err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		t.Fatalf("testkit: serve: %v", err)
	}
	return mux
}
