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
