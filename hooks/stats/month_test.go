package stats

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/platform/sqlitedb"
)

// TestMonthExpr runs the SQL month of a report in SQLite: the fixed-offset
// shift for an Indonesian zone, and the boundary CASE a zone with daylight
// saving time would need (no Indonesian zone has it; the path is kept exact
// anyway).
func TestMonthExpr(t *testing.T) {
	db, err := sqlitedb.Connect(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.NewQuery("CREATE TABLE complaints (created TEXT)").Execute(); err != nil {
		t.Fatal(err)
	}
	month := func(expr string, params dbx.Params, created time.Time) string {
		t.Helper()
		if _, err := db.NewQuery("DELETE FROM complaints").Execute(); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewQuery("INSERT INTO complaints VALUES ({:c})").Bind(dbx.Params{"c": dbTime(created)}).Execute(); err != nil {
			t.Fatal(err)
		}
		var m string
		if err := db.NewQuery("SELECT " + expr + " FROM complaints c").Bind(params).Row(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, c := range []struct {
		zone, at, want string
		fallback       bool
	}{
		{"Asia/Jakarta", "2026-02-01 00:30", "2026-02", false}, // 31 Jan 17:30 UTC
		{"Asia/Jakarta", "2026-01-31 23:59", "2026-01", false},
		{"Asia/Jayapura", "2026-03-01 08:00", "2026-03", false}, // 28 Feb 23:00 UTC
		{"Europe/Berlin", "2026-04-01 00:30", "2026-04", true},  // CEST: 31 Mar 22:30 UTC
		{"Europe/Berlin", "2026-03-01 00:30", "2026-03", true},  // CET: 28 Feb 23:30 UTC
		{"Europe/Berlin", "2026-03-31 23:59", "2026-03", true},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		end := time.Date(2026, 7, 1, 0, 0, 0, 0, loc)
		expr, params := monthExpr(loc, from, end)
		if (params != nil) != c.fallback {
			t.Errorf("%s: fallback %v, want %v", c.zone, params != nil, c.fallback)
		}
		at, err := time.ParseInLocation("2006-01-02 15:04", c.at, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := month(expr, params, at); got != c.want {
			t.Errorf("%s %s: month %q, want %q (%s)", c.zone, c.at, got, c.want, expr)
		}
	}
}
