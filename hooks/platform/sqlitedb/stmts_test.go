package sqlitedb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/platform/sqlitedb"
	"simpul/ui/testkit"
)

// wide is a scratch table as wide as a complaint row.
const wideColumns = 30

func wideTable(t testing.TB, app core.App) string {
	t.Helper()
	cols := make([]string, wideColumns)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d TEXT NOT NULL DEFAULT ''", i)
	}
	if _, err := app.DB().NewQuery("CREATE TABLE wide (" + strings.Join(cols, ", ") + ")").Execute(); err != nil {
		t.Fatal(err)
	}
	return "INSERT INTO wide VALUES (?" + strings.Repeat(", ?", wideColumns-1) + ")"
}

func wideRow(i int) []any {
	row := make([]any, wideColumns)
	for c := range row {
		row[c] = fmt.Sprintf("nilai %d/%d", i, c)
	}
	return row
}

// insert writes rows in one transaction through s.
func insert(app core.App, s *sqlitedb.Stmts, query string, rows ...int) error {
	return app.RunInTransaction(func(tx core.App) error {
		st, err := s.In(tx, query)
		if err != nil {
			return err
		}
		for _, i := range rows {
			if _, err := st.Exec(wideRow(i)...); err != nil {
				return err
			}
		}
		return nil
	})
}

func count(t *testing.T, app core.App) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT count(*) FROM wide").Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A query first asked for inside a transaction is compiled for it alone;
// from the next Ready on every transaction shares one compiled statement,
// also after PocketBase reopened its databases (a restore does).
func TestStmtsKeepAStatementAcrossTransactions(t *testing.T) {
	app := testkit.New(t)
	q := wideTable(t, app)
	s := sqlitedb.NewStmts(app)
	defer s.Close()

	if err := insert(app, s, q, 1); err != nil {
		t.Fatal(err)
	}
	if s.Cached(q) {
		t.Fatal("compiled on the pool while the transaction held its only connection")
	}
	if err := s.Ready(); err != nil {
		t.Fatal(err)
	}
	if !s.Cached(q) {
		t.Fatal("Ready did not compile the query asked for")
	}
	if err := insert(app, s, q, 2, 3); err != nil {
		t.Fatal(err)
	}
	if n := count(t, app); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}

	// A failed transaction rolls back what the shared statement wrote and
	// leaves it usable.
	err := app.RunInTransaction(func(tx core.App) error {
		st, err := s.In(tx, q)
		if err != nil {
			return err
		}
		if _, err := st.Exec(wideRow(4)...); err != nil {
			return err
		}
		return fmt.Errorf("abandon")
	})
	if err == nil || count(t, app) != 3 {
		t.Fatalf("rolled-back transaction: err %v, %d rows", err, count(t, app))
	}

	if err := app.ResetBootstrapState(); err != nil {
		t.Fatal(err)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(); err != nil {
		t.Fatal(err)
	}
	if s.Cached(q) {
		t.Fatal("kept a statement of the closed pool")
	}
	if err := insert(app, s, q, 5); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
	if err := s.Ready(); err != nil || !s.Cached(q) {
		t.Fatalf("not compiled again on the new pool (err %v)", err)
	}
	if err := insert(app, s, q, 6); err != nil {
		t.Fatal(err)
	}
	if n := count(t, app); n != 5 {
		t.Fatalf("%d rows, want 5", n)
	}
}

// Without a cache every transaction compiles for itself; outside a
// transaction there is nothing to bind a statement to.
func TestStmtsNilAndOutsideATransaction(t *testing.T) {
	app := testkit.New(t)
	q := wideTable(t, app)
	var none *sqlitedb.Stmts
	if err := none.Ready(); err != nil {
		t.Fatal(err)
	}
	if err := insert(app, none, q, 1, 2); err != nil {
		t.Fatal(err)
	}
	none.Close()
	if n := count(t, app); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
	if _, err := sqlitedb.NewStmts(app).In(app, q); err == nil {
		t.Fatal("In accepted an app that is not a transaction's")
	}
}
