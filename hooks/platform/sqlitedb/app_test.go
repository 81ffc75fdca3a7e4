package sqlitedb_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/platform/sqlitedb"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// The real app opens four pools (data and auxiliary database, each a
// concurrent and a non-concurrent one), all through sqlitedb.Connect. Every
// connection of every pool must carry the pragmas: synchronous=FULL on
// data.db (a power cut must not take back an acknowledged complaint),
// NORMAL on auxiliary.db (request logs); on the one-connection pool (the
// writer) a 16 MB page cache and temporary data in memory, on the others
// (readers) a 2 MB cache and sorts past it in a file (temp_store=FILE:
// SQLite's memory is outside GOMEMLIMIT, docs/benchmarks.md 9.2). Several connections of a
// pool are held open at once, so the check sees distinct connections, not
// the same idle one again.
func TestRealAppPoolsSyncMode(t *testing.T) {
	app := testkit.New(t)
	pools := []struct {
		name  string
		db    dbx.Builder
		file  string
		sync  int // 1 NORMAL, 2 FULL
		held  int // connections held at once
		cache string
		temp  int // 1 FILE, 2 MEMORY
	}{
		{"data concurrent", app.ConcurrentDB(), "data.db", 2, 4, sqlitedb.ReaderCacheKiB, 1},
		{"data nonconcurrent", app.NonconcurrentDB(), "data.db", 2, 1, sqlitedb.WriterCacheKiB, 2},
		{"auxiliary concurrent", app.AuxConcurrentDB(), sqlitedb.AuxiliaryDBName, 1, 4, sqlitedb.ReaderCacheKiB, 1},
		{"auxiliary nonconcurrent", app.AuxNonconcurrentDB(), sqlitedb.AuxiliaryDBName, 1, 1, sqlitedb.WriterCacheKiB, 2},
	}
	ctx := context.Background()
	for _, p := range pools {
		db, ok := p.db.(*dbx.DB)
		if !ok {
			t.Fatalf("%s: pool is %T, not *dbx.DB", p.name, p.db)
		}
		if got := db.DriverName(); got != wantDriver(p.sync) {
			t.Errorf("%s: driver %q, want %q (opened without sqlitedb.Connect?)", p.name, got, wantDriver(p.sync))
		}
		conns := make([]*sql.Conn, 0, p.held)
		for i := 0; i < p.held; i++ {
			c, err := db.DB().Conn(ctx)
			if err != nil {
				t.Fatalf("%s: connection %d: %v", p.name, i, err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			var sync, busy, temp int
			var mode, file, cache string
			if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp); err != nil {
				t.Fatal(err)
			}
			if filepath.Base(file) != p.file || sync != p.sync || mode != "wal" || busy != 10000 || cache != p.cache || temp != p.temp {
				t.Errorf("%s, connection %d: file %s synchronous=%d journal_mode=%s busy_timeout=%d cache_size=%s temp_store=%d; want %s %d wal 10000 %s %d",
					p.name, i, filepath.Base(file), sync, mode, busy, cache, temp, p.file, p.sync, p.cache, p.temp)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
}

func wantDriver(sync int) string {
	if sync == 2 {
		return sqlitedb.DriverFull
	}
	return sqlitedb.DriverNormal
}
