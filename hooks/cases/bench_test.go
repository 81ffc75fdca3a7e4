package cases_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/model"
	"simpul/hooks/sla"
	"simpul/hooks/sqlitedb"
	"simpul/hooks/testapp"
)

// benchApp opens the data directory in $SIMPUL_BENCH_DATA (seeded with
// "simpul demo seed --count N --dir DIR") or, without it, a fresh test app
// seeded with $SIMPUL_BENCH_COUNT complaints (default 20,000).
func benchApp(b *testing.B) core.App {
	b.Helper()
	if dir := os.Getenv("SIMPUL_BENCH_DATA"); dir != "" {
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env", DBConnect: sqlitedb.Connect})
		if err := app.Bootstrap(); err != nil {
			b.Fatal(err)
		}
		if err := app.RunAllMigrations(); err != nil {
			b.Fatal(err)
		}
		cases.Register(app, testapp.Config())
		b.Cleanup(func() { app.ResetBootstrapState() })
		return app
	}
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("SIMPUL_BENCH_COUNT")); err == nil && v > 0 {
		n = v
	}
	app := testapp.New(b)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: n, Batch: 5000}); err != nil {
		b.Fatal(err)
	}
	return app
}

// timed runs f b.N times and reports the p50 and p99 latency.
func timed(b *testing.B, f func()) {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f()
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(float64(len(d)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// BenchmarkStaffQueue measures the first page (30 rows) of each staff
// queue, as a coordinator and as a unit handler, through cases.List (the
// query and privacy filter) and through HTTP (routing, auth token, JSON).
// Baseline: GET /api/health on the same router.
func BenchmarkStaffQueue(b *testing.B) {
	app := benchApp(b)
	var count int
	app.DB().NewQuery("SELECT COUNT(*) FROM complaints").Row(&count)
	b.Logf("complaints in the database: %d", count)
	unit, err := app.FindFirstRecordByData(model.Units, "code", "PUPR")
	if err != nil {
		b.Fatal(err)
	}
	coord := cases.Actor{Role: model.RoleCoordinator}
	handler := cases.Actor{Role: model.RoleHandler, UnitID: unit.Id}
	for _, q := range []struct {
		name  string
		actor cases.Actor
		query cases.ListQuery
	}{
		{"list/open/coordinator", coord, cases.ListQuery{Queue: cases.QueueOpen}},
		{"list/verify/coordinator", coord, cases.ListQuery{Queue: cases.QueueVerify}},
		{"list/overdue/coordinator", coord, cases.ListQuery{Queue: cases.QueueOverdue}},
		{"list/due_soon/coordinator", coord, cases.ListQuery{Queue: cases.QueueDueSoon}},
		{"list/postponed/coordinator", coord, cases.ListQuery{Queue: cases.QueuePostponed}},
		{"list/unit/handler", handler, cases.ListQuery{Queue: cases.QueueUnit}},
		{"list/open/handler", handler, cases.ListQuery{Queue: cases.QueueOpen}},
		{"list/closed/coordinator", coord, cases.ListQuery{Queue: cases.QueueClosed}},
	} {
		b.Run(q.name, func(b *testing.B) {
			timed(b, func() {
				if _, err := cases.List(app, q.actor, q.query); err != nil {
					b.Fatal(err)
				}
			})
		})
	}

	// Over HTTP, with a real staff token.
	col, _ := app.FindCollectionByNameOrId(model.Staff)
	staff, err := app.FindAuthRecordByEmail(model.Staff, "bench-koordinator@simpul.test")
	if err != nil {
		staff = core.NewRecord(col)
		staff.SetEmail("bench-koordinator@simpul.test")
		staff.SetPassword("rahasia-123456")
		staff.Set("name", "Bench")
		staff.Set("role", model.RoleCoordinator)
		staff.Set("active", true)
		if err := app.Save(staff); err != nil {
			b.Fatal(err)
		}
	}
	tok, _ := staff.NewAuthToken()
	router, err := apis.NewRouter(app)
	if err != nil {
		b.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(b *testing.B, path string, auth bool) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	b.Run("http/baseline-health", func(b *testing.B) { timed(b, func() { get(b, "/api/health", false) }) })
	for _, q := range []string{"open", "verify", "overdue", "unit"} {
		b.Run("http/"+q, func(b *testing.B) {
			timed(b, func() { get(b, "/api/staff/complaints?queue="+q, true) })
		})
	}
}

// BenchmarkDueDate measures the deadline arithmetic: the working-day
// calculator alone (5 and 10 working days across the seeded 2025–2027
// holidays) and a whole transition's date update (every SLA field of a
// record). Baseline: time.Time.AddDate.
func BenchmarkDueDate(b *testing.B) {
	app := testapp.New(b)
	cal, err := sla.CalendarFor(app)
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2026, 3, 16, 10, 0, 0, 0, cal.Location()) // just before Nyepi and Idul Fitri
	var sink time.Time
	b.Run("baseline-AddDate", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink = from.AddDate(0, 0, 5+i%3)
		}
	})
	for _, n := range []int{3, 5, 10} {
		b.Run(fmt.Sprintf("AddWorkingDays-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink = cal.AddWorkingDays(from.Add(time.Duration(i%7)*24*time.Hour), n)
			}
		})
	}
	b.Run("CalendarFor-cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := sla.CalendarFor(app); err != nil {
				b.Fatal(err)
			}
		}
	})
	c := testapp.Complaint(b, app, testapp.ComplaintSpec{})
	b.Run("transition-deadlines", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cases.BenchDeadlines(app, c, model.StatusBaru, model.StatusTerdisposisi, from)
		}
	})
	_ = sink
}
