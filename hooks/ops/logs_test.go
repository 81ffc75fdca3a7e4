package ops_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"

	"simpul/ui/testkit"
)

type logRow struct {
	Message string `db:"message"`
	Data    string `db:"data"`
}

// waitForLog flushes the batched logger until a log whose message
// contains part is stored, and returns every stored log.
func waitForLog(t *testing.T, app core.App, part string) []logRow {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if h, ok := app.Logger().Handler().(*logger.BatchHandler); ok {
			_ = h.WriteAll(context.Background())
		}
		var rows []logRow
		if err := app.AuxDB().Select("message", "data").From("_logs").All(&rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if strings.Contains(r.Message, part) {
				return rows
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log with %q among %d", part, len(rows))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Failed requests are logged without the client's address; successful
// ones are not, until an operator lowers the level to DEBUG.
func TestRequestLogPolicy(t *testing.T) {
	app := testkit.New(t)
	if err := app.ReloadSettings(); err != nil { // as stored: logs on, 7 days
		t.Fatal(err)
	}
	// Stop logging before the app closes (log writes are asynchronous).
	t.Cleanup(func() { app.Settings().Logs.MaxDays = 0 })
	srv := testkit.Serve(t, app)

	// Markers are loggable parameters (paging): other query values are
	// redacted in the log (hooks/websec).
	if code, _ := do(t, http.MethodGet, srv.URL+"/api/collections/categories/records?perPage=2", ""); code != 200 {
		t.Fatalf("public list: %d", code)
	}
	if code, _ := do(t, http.MethodGet, srv.URL+"/api/collections/tidak_ada/records", ""); code != 404 {
		t.Fatalf("unknown collection: %d", code)
	}
	rows := waitForLog(t, app, "/api/collections/tidak_ada/records")
	for _, r := range rows {
		if strings.Contains(r.Message, "perPage=2") {
			t.Errorf("a successful request was logged: %s", r.Message)
		}
		if strings.Contains(r.Data, "userIP") || strings.Contains(r.Data, "remoteIP") || strings.Contains(r.Data, "127.0.0.1") {
			t.Errorf("a log carries the client's address: %s", r.Data)
		}
	}

	s := app.Settings()
	s.Logs.MinLevel = int(slog.LevelDebug)
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	if code, _ := do(t, http.MethodGet, srv.URL+"/api/collections/categories/records?perPage=3", ""); code != 200 {
		t.Fatalf("public list: %d", code)
	}
	waitForLog(t, app, "perPage=3")
}
