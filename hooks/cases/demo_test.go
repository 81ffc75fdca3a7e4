package cases_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/spf13/cobra"

	"simpul/hooks"
	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/search"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

func TestDemoSeed(t *testing.T) {
	app := testkit.New(t)
	n, err := cases.Seed(app, cases.SeedOptions{Count: 500, Batch: 120, Now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)})
	if err != nil || n != 500 {
		t.Fatalf("seeded %d: %v", n, err)
	}
	if c, _ := app.CountRecords(model.Complaints); c != 500 {
		t.Fatalf("%d complaints", c)
	}
	res, err := events.Verify(app)
	if err != nil || res.Events <= 500 {
		t.Fatalf("seeded timelines must verify: %v (%d events)", err, res.Events)
	}
	if c, _ := app.CountRecords(model.SyncOutbox); c != 0 {
		t.Fatalf("demo data was queued for sync: %d rows", c)
	}
	// Every complaint and event has its creation time, within the year
	// before Now (date filters, exports and statistics select on it).
	for _, table := range []string{model.Complaints, model.ComplaintEvents} {
		var bad int
		err := app.DB().NewQuery("SELECT COUNT(*) FROM " + table +
			" WHERE created NOT BETWEEN '2025-11-19' AND '2026-11-20 10:00:00.000Z'").Row(&bad)
		if err != nil || bad != 0 {
			t.Fatalf("%d %s rows with a missing or impossible created (%v)", bad, table, err)
		}
	}
	var statuses []string
	if err := app.DB().NewQuery("SELECT DISTINCT status FROM complaints").Column(&statuses); err != nil {
		t.Fatal(err)
	}
	if len(statuses) < 6 {
		t.Fatalf("statuses not varied: %v", statuses)
	}
	// Anonymous complaints carry no identity; every record loads and validates.
	if c, _ := app.CountRecords(model.Complaints, dbx.NewExp("privacy = 'anonymous' AND (reporter_name != '' OR reporter_phone != '')")); c != 0 {
		t.Fatalf("%d anonymous complaints with an identity", c)
	}
	recs, err := app.FindRecordsByFilter(model.Complaints, "status = 'proses'", "", 20, 0)
	if err != nil || len(recs) == 0 {
		t.Fatalf("proses complaints: %v", err)
	}
	for _, r := range recs {
		if err := app.Validate(r); err != nil {
			t.Fatalf("seeded record does not validate: %v", err)
		}
		if r.GetString("due_at") == "" || r.GetString("autoclose_at") == "" {
			t.Fatal("proses complaint without deadlines")
		}
	}
	// The desk works on them.
	list, err := cases.List(app, cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueOpen})
	if err != nil || len(list.Items) != 30 {
		t.Fatalf("list over seeded data: %v, %d", err, len(list.Items))
	}

	// The command, on the same app.
	root := &cobra.Command{Use: "simpul"}
	root.AddCommand(hooks.Commands(app, testkit.Config())...)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&bytes.Buffer{})
	root.SetArgs([]string{"demo", "seed", "--count", "50"})
	if err := root.Execute(); err != nil || !strings.Contains(out.String(), `"complaints":50`) {
		t.Fatalf("command: %v %q", err, out.String())
	}
	if c, _ := app.CountRecords(model.Complaints); c != 550 {
		t.Fatalf("%d complaints after the command", c)
	}
	if _, err := cases.Seed(app, cases.SeedOptions{Count: -1}); err == nil {
		t.Fatal("a negative count must be refused")
	}
}

// TestDemoHub: "simpul demo hub" registers the child offices and writes
// the cases as a hub holds them, each handled by one of those offices;
// the search index and the statistics store, paused for the bulk load,
// are back afterwards (triggers installed, figures equal to a recount,
// every case indexed), so the data serves the hub benchmarks as it is.
func TestDemoHub(t *testing.T) {
	app := testkit.New(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	// The complaints' indexes, dropped for the load, are all back as they were.
	indexes := func() []string {
		var sqls []string
		if err := app.DB().NewQuery("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints' AND sql IS NOT NULL ORDER BY name").
			Column(&sqls); err != nil {
			t.Fatal(err)
		}
		return sqls
	}
	before := indexes()
	n, err := cases.SeedHub(app, cases.HubOptions{Offices: 7, Count: 900, Batch: 200, Now: now})
	if err != nil || n != 900 {
		t.Fatalf("seeded %d: %v", n, err)
	}
	var offices []string
	if err := app.DB().NewQuery("SELECT DISTINCT office FROM complaints ORDER BY office").Column(&offices); err != nil {
		t.Fatal(err)
	}
	if len(offices) != 7 || offices[0] != "PKM-0001" || offices[6] != "PKM-0007" {
		t.Fatalf("handling offices %v", offices)
	}
	if after := indexes(); len(before) < 10 || !slices.Equal(after, before) {
		t.Fatalf("complaints' indexes after the load:\n%q\nbefore:\n%q", after, before)
	}
	if c, _ := app.CountRecords(model.Nodes, dbx.NewExp("code LIKE 'PKM-%'")); c != 7 {
		t.Fatalf("%d child offices registered", c)
	}
	var triggers, indexed int
	if err := app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'stats%' OR name LIKE 'search%')").Row(&triggers); err != nil || triggers == 0 {
		t.Fatalf("triggers after the bulk load: %d %v", triggers, err)
	}
	if err := app.DB().NewQuery("SELECT count(*) FROM " + search.DocsTable).Row(&indexed); err != nil || indexed != 900 {
		t.Fatalf("%d cases indexed: %v", indexed, err)
	}
	q := stats.Query{From: now.AddDate(-1, 0, 0), To: now}
	got, err := stats.Compute(app, q, now)
	if err != nil {
		t.Fatal(err)
	}
	want, err := stats.ComputeScan(app, q, now)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) || got.Totals.Received != 900 || len(got.ByOffice) != 7 {
		t.Fatalf("store after the bulk load (%d received, %d offices):\n%s\nrecount:\n%s", got.Totals.Received, len(got.ByOffice), g, w)
	}
}
