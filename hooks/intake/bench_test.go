package intake_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/events/outbox"
	"simpul/hooks/intake"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/search"
	"simpul/ui/testkit"
)

// clients is the number of concurrent clients in the intake benchmarks
// (issue 3: 64).
const clients = 64

// reportBody is a ~1 KB complaint, different for every request.
func reportBody(i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"type": "pengaduan", "title": fmt.Sprintf("Lampu jalan mati di gang %d", i),
		"body": "Sudah seminggu lampu penerangan jalan umum di gang ini mati sehingga jalan gelap gulita pada malam hari. " +
			"Warga, terutama ibu-ibu yang pulang dari pasar dan anak-anak yang pulang mengaji, merasa tidak aman. " +
			"Beberapa kali terjadi pengendara motor terjatuh karena lubang yang tidak terlihat. Mohon segera diperbaiki " +
			"oleh dinas terkait dan diperiksa juga tiang listrik yang miring di ujung gang dekat musala. Terima kasih.",
		"category": "INF-PJU", "privacy": "public", "location": "Gang Melati RT 03 RW 05, Kelurahan Sukamaju",
		"reporter_name": "Siti Aminah", "reporter_phone": "081234567890", "reporter_email": "siti@contoh.id",
	})
	return b
}

// rawServer is the baseline of issue 3 and 7: net/http and mattn/go-sqlite3
// with WAL and synchronous=NORMAL, one INSERT (one commit) per request.
func rawServer(b *testing.B) *httptest.Server {
	b.Helper()
	db, err := sql.Open(sqlitedb.DriverNormal, filepath.Join(b.TempDir(), "raw.db"))
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one writer, as SQLite has
	b.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE reports (id INTEGER PRIMARY KEY, type TEXT, title TEXT, body TEXT,
		category TEXT, privacy TEXT, location TEXT, reporter_name TEXT, reporter_phone TEXT, reporter_email TEXT,
		created TEXT)`); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<17)).Decode(&in); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		res, err := db.Exec(`INSERT INTO reports (type, title, body, category, privacy, location, reporter_name,
			reporter_phone, reporter_email, created) VALUES (?,?,?,?,?,?,?,?,?,?)`, in["type"], in["title"], in["body"],
			in["category"], in["privacy"], in["location"], in["reporter_name"], in["reporter_phone"], in["reporter_email"],
			time.Now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		id, _ := res.LastInsertId()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]any{"id": id})
	}))
	b.Cleanup(srv.Close)
	return srv
}

// stockCollection adds what a user would build instead: a bare collection
// with a public create rule, created through PocketBase's records API.
func stockCollection(b *testing.B, app core.App) {
	b.Helper()
	c := core.NewBaseCollection("bench_reports")
	c.CreateRule = types.Pointer("")
	for _, name := range []string{"type", "title", "category", "privacy", "location", "reporter_name", "reporter_phone"} {
		c.Fields.Add(&core.TextField{Name: name, Max: 500})
	}
	c.Fields.Add(&core.TextField{Name: "body", Max: 10000}, &core.EmailField{Name: "reporter_email"},
		&core.AutodateField{Name: "created", OnCreate: true})
	if err := app.Save(c); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIntake measures intake through the real HTTP stack with 64
// concurrent clients beside two baselines measured in the same run: raw
// net/http + mattn (WAL, NORMAL, one INSERT per request) and a stock
// PocketBase record create on a bare collection (same app, same driver,
// synchronous=FULL). b.N is the number of requests per server; use e.g.
// -benchtime 20000x. Reported: requests/s and p99 of each, and Simpul's
// throughput as a ratio to each baseline.
func BenchmarkIntake(b *testing.B) {
	n := max(b.N, 2000)
	saved := intake.GuestLimit
	intake.GuestLimit = intake.Limit{} // one load generator, one address: no guest limit here
	b.Cleanup(func() { intake.GuestLimit = saved })

	raw := rawServer(b)
	app := testkit.New(b)
	stockCollection(b, app)
	if os.Getenv("SIMPUL_BENCH_INDEX") == "in-transaction" {
		// For comparison: the index kept by the insert trigger inside
		// intake's transactions, as before the pending queue (the down of
		// migration 1763860200 restores it).
		for _, q := range []string{"DROP TRIGGER search_complaint_insert",
			`CREATE TRIGGER search_complaint_insert AFTER INSERT ON complaints BEGIN
				INSERT INTO search_docs(complaint) VALUES (new.id);
				INSERT INTO search_fts(rowid, title, body, location, followups)
					VALUES (last_insert_rowid(), new.title, new.body, new.location, '');
			END`} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				b.Fatal(err)
			}
		}
	}
	srv := serve(b, app)
	whatIfWithout(b, app, os.Getenv("SIMPUL_BENCH_DROP"))

	// CPU time per request of each phase (this process: servers and
	// clients), a figure that moves less than throughput when other jobs
	// share the machine.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	perReq := func(from time.Duration) float64 { return float64((cpu() - from).Microseconds()) / float64(n) }
	b.ResetTimer()
	if os.Getenv("SIMPUL_BENCH_ONLY") == "simpul" { // for profiling intake alone
		c0 := cpu()
		l := testkit.Load(srv.URL+"/api/complaints", nil, clients, n, reportBody)
		b.ReportMetric(perReq(c0), "simpul-cpu-us/req")
		b.ReportMetric(l.RPS, "simpul-req/s")
		b.ReportMetric(l.P99, "simpul-p99-ms")
		return
	}
	c0 := cpu()
	rawLoad := testkit.Load(raw.URL, nil, clients, n, reportBody)
	b.ReportMetric(perReq(c0), "raw-cpu-us/req")
	c0 = cpu()
	stock := testkit.Load(srv.URL+"/api/collections/bench_reports/records", nil, clients, n, reportBody)
	b.ReportMetric(perReq(c0), "stock-cpu-us/req")
	c0 = cpu()
	simpul := testkit.Load(srv.URL+"/api/complaints", nil, clients, n, reportBody)
	// The search index follows intake outside its transactions (every
	// search.IndexEvery and before each search): what the load left
	// pending is indexed now and its time charged to Simpul, so the
	// figure with the index is what a sustained load could carry.
	start := time.Now()
	pending, err := search.CatchUp(app)
	if err != nil {
		b.Fatal(err)
	}
	catchUp := time.Since(start)
	b.StopTimer()
	b.ReportMetric(perReq(c0), "simpul+index-cpu-us/req")
	b.ReportMetric(float64(pending), "index-pending")
	if pending > 0 {
		b.ReportMetric(float64(catchUp.Microseconds())/float64(pending), "index-us/pending")
	}
	b.ReportMetric(float64(n)/(float64(n)/simpul.RPS+catchUp.Seconds())/rawLoad.RPS, "simpul+index/raw")

	for name, l := range map[string]testkit.LoadResult{"raw": rawLoad, "stock": stock, "simpul": simpul} {
		if l.Failed > 0 {
			b.Fatalf("%s: %d of %d requests failed", name, l.Failed, n)
		}
		b.ReportMetric(l.RPS, name+"-req/s")
		b.ReportMetric(l.P99, name+"-p99-ms")
	}
	b.ReportMetric(simpul.RPS/rawLoad.RPS, "simpul/raw")
	b.ReportMetric(simpul.RPS/stock.RPS, "simpul/stock")
	b.ReportMetric(0, "ns/op") // the figures above are the result
}

// whatIfWithout removes, for an experiment, what intake writes besides the
// complaint row (docs/benchmarks.md §9.4 weighs each against its use):
// drop is a comma-separated list of "stats" (the statistics store's insert
// triggers), "search" (the search queue's insert trigger), "outbox" (no
// outbox rows: the app is made the top of a tree, which only marks the
// first unqueued event) and index names. Never an option for the app: each
// of them serves a page, sync or a figure.
func whatIfWithout(b *testing.B, app core.App, drop string) {
	b.Helper()
	for _, w := range strings.Split(drop, ",") {
		var q []string
		switch w {
		case "":
		case "stats":
			q = []string{"DROP TRIGGER stats_insert", "DROP TRIGGER stats_insert_delay"}
		case "search":
			q = []string{"DROP TRIGGER search_complaint_insert"}
		case "outbox":
			outbox.SetTop(app, true)
		default:
			q = []string{"DROP INDEX " + w}
		}
		for _, s := range q {
			if _, err := app.DB().NewQuery(s).Execute(); err != nil {
				b.Fatal(s, ": ", err)
			}
		}
	}
}
