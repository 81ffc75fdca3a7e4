package intake_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/intake"
	"simpul/hooks/sqlitedb"
	"simpul/hooks/testapp"
)

// clients is the number of concurrent clients in the intake benchmarks
// (issue 3: 64).
const clients = 64

// load is the outcome of one load run.
type load struct {
	rps, p50, p99 float64 // requests/s, latency in ms
	failed        int
}

// runLoad sends n requests from `clients` goroutines over keep-alive
// connections and measures throughput and latency. body(i) is request i.
func runLoad(b *testing.B, url string, headers map[string]string, n int, body func(i int) []byte) load {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	lat := make([]time.Duration, n)
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body(i)))
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
	client.CloseIdleConnections()
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(float64(n-1)*q)].Microseconds()) / 1000 }
	return load{rps: float64(n) / elapsed.Seconds(), p50: ms(0.50), p99: ms(0.99), failed: int(failed.Load())}
}

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
	app := testapp.New(b)
	stockCollection(b, app)
	srv := serve(b, app)

	b.ResetTimer()
	if os.Getenv("SIMPUL_BENCH_ONLY") == "simpul" { // for profiling intake alone
		l := runLoad(b, srv.URL+"/api/complaints", nil, n, reportBody)
		b.ReportMetric(l.rps, "simpul-req/s")
		b.ReportMetric(l.p99, "simpul-p99-ms")
		return
	}
	rawLoad := runLoad(b, raw.URL, nil, n, reportBody)
	stock := runLoad(b, srv.URL+"/api/collections/bench_reports/records", nil, n, reportBody)
	simpul := runLoad(b, srv.URL+"/api/complaints", nil, n, reportBody)
	b.StopTimer()

	for name, l := range map[string]load{"raw": rawLoad, "stock": stock, "simpul": simpul} {
		if l.failed > 0 {
			b.Fatalf("%s: %d of %d requests failed", name, l.failed, n)
		}
		b.ReportMetric(l.rps, name+"-req/s")
		b.ReportMetric(l.p99, name+"-p99-ms")
	}
	b.ReportMetric(simpul.rps/rawLoad.rps, "simpul/raw")
	b.ReportMetric(simpul.rps/stock.rps, "simpul/stock")
	b.ReportMetric(0, "ns/op") // the figures above are the result
}
