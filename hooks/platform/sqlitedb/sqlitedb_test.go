package sqlitedb

import (
	"path/filepath"
	"testing"
)

// The data database must survive a power cut (FULL); the logs database may
// trade that for speed (NORMAL). Every pooled connection gets the pragmas.
func TestPragmasPerDatabase(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		file string
		sync int // 1 NORMAL, 2 FULL
	}{
		{"data.db", 2},
		{AuxiliaryDBName, 1},
	}
	for _, tt := range tests {
		db, err := Connect(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		db.DB().SetMaxOpenConns(3)
		for i := 0; i < 3; i++ { // several connections of the pool
			var sync, fk, busy int
			var mode string
			q := func(sql string, dst any) {
				if err := db.NewQuery(sql).Row(dst); err != nil {
					t.Fatalf("%s: %s: %v", tt.file, sql, err)
				}
			}
			q("PRAGMA synchronous", &sync)
			q("PRAGMA journal_mode", &mode)
			q("PRAGMA foreign_keys", &fk)
			q("PRAGMA busy_timeout", &busy)
			if sync != tt.sync || mode != "wal" || fk != 1 || busy != 10000 {
				t.Errorf("%s: synchronous=%d journal_mode=%s foreign_keys=%d busy_timeout=%d; want %d wal 1 10000",
					tt.file, sync, mode, fk, busy, tt.sync)
			}
		}
		var version string
		if err := db.NewQuery("SELECT sqlite_version()").Row(&version); err != nil || version == "" {
			t.Fatalf("sqlite_version: %q %v", version, err)
		}
		// sqlite_math_functions is compiled in (PocketBase's geoDistance needs it).
		var x float64
		if err := db.NewQuery("SELECT acos(1)").Row(&x); err != nil {
			t.Errorf("math functions missing (build with -tags sqlite_math_functions): %v", err)
		}
		// sqlite_fts5 is compiled in (the staff search index needs it).
		var fts int
		if err := db.NewQuery("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Row(&fts); err != nil || fts != 1 {
			t.Errorf("FTS5 missing (build with -tags sqlite_fts5): %d %v", fts, err)
		}
		db.Close()
	}
}

// A sort bigger than a reading connection's cache spills to a temporary
// file: SQLite's memory grows by about the cache, not by the rows sorted.
// With temp_store=MEMORY its sorter never spills and held all ~14 MB here.
func TestSortSpillsPastTheCache(t *testing.T) {
	db, err := Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.DB().SetMaxOpenConns(2) // a reading pool
	if _, err := db.NewQuery(`CREATE TABLE t AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
		SELECT i, hex(randomblob(110)) AS x FROM n`).Execute(); err != nil {
		t.Fatal(err)
	}
	var bytes int64
	if err := db.NewQuery("SELECT SUM(length(x)) FROM t").Row(&bytes); err != nil || bytes < 12<<20 {
		t.Fatalf("test table holds %d bytes (%v); want more than 12 MiB", bytes, err)
	}
	before := MemoryUsed()
	MemoryHighwater(true)
	rows, err := db.NewQuery("SELECT x FROM t ORDER BY x").Rows()
	if err != nil {
		t.Fatal(err)
	}
	n, last := 0, ""
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			t.Fatal(err)
		}
		if x < last {
			t.Fatalf("row %d out of order", n)
		}
		n, last = n+1, x
	}
	if err := rows.Close(); err != nil || n != 60000 {
		t.Fatalf("sorted %d rows (%v); want 60000", n, err)
	}
	grew := MemoryHighwater(false) - before
	t.Logf("SQLite's memory grew by %.1f MiB to sort %.1f MiB", float64(grew)/(1<<20), float64(bytes)/(1<<20))
	if grew > 6<<20 {
		t.Errorf("SQLite's memory grew by %.1f MiB to sort %.1f MiB; want at most 6 MiB (the cache and the sorter's buffers)",
			float64(grew)/(1<<20), float64(bytes)/(1<<20))
	}
}
