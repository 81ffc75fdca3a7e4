// Package sqlitedb opens PocketBase's databases through the cgo driver
// github.com/mattn/go-sqlite3 instead of the default pure-Go one.
//
// Every pooled connection runs the same pragmas through a ConnectHook, because
// mattn's DSN parameters cannot set temp_store, cache_size or
// journal_size_limit. The data database runs with synchronous=FULL: district
// offices lose power often and a complaint a citizen holds a receipt for must
// survive a power cut. The auxiliary database (request logs) stays NORMAL.
//
// Memory (docs/benchmarks.md 9.2): SQLite's memory is C memory, outside
// GOMEMLIMIT, so a reading connection's share is bounded here. The writer
// (a pool of one connection, PocketBase's nonconcurrent pool) keeps a 16 MB
// page cache and temporary data in memory: it alone writes, so its cache
// stays valid across transactions, and its temporary data stays in memory:
// with temp_store = FILE intake through the counter ran slower
// (BenchmarkAppliance), most likely because a statement journal past
// 64 KiB then becomes a temporary file. Every other connection only reads:
// it sorts, groups and builds
// temporary b-trees in memory up to its cache and in a temporary file past
// it (temp_store = FILE; with MEMORY SQLite's sorter never spills, and a
// year's statistics over a million rows sorted in RAM), with SQLite's
// default 2 MB page cache: in WAL mode a reader's cache is dropped whenever
// another connection has committed since its last read, so a bigger one
// mostly held the pages of one report, up to 16 MB a connection, kept
// while the connection idled in the pool.
package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
	"github.com/pocketbase/dbx"
)

// Driver names registered with database/sql.
const (
	DriverFull   = "simpul_sqlite3_full"
	DriverNormal = "simpul_sqlite3_normal"
)

// AuxiliaryDBName is the file name PocketBase gives its logs database.
const AuxiliaryDBName = "auxiliary.db"

// busy_timeout goes first so that the pragmas after it wait for a lock
// instead of failing while another process (a backup, a CLI command) writes.
const basePragmas = `PRAGMA busy_timeout = 10000;
PRAGMA journal_mode = WAL;
PRAGMA journal_size_limit = 200000000;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = ` + WriterCacheKiB + `;`

// Page cache sizes in the form PRAGMA cache_size takes (negative: KiB):
// the writer's and every reading connection's (see the package comment).
const (
	WriterCacheKiB = "-16000"
	ReaderCacheKiB = "-2000"
)

// readerPragmas follow the driver's on every connection of a reading pool.
const readerPragmas = `PRAGMA temp_store = FILE;
PRAGMA cache_size = ` + ReaderCacheKiB + `;`

var drivers = map[string]*sqlite3.SQLiteDriver{}

func init() {
	register(DriverFull, basePragmas+"\nPRAGMA synchronous = FULL;")
	register(DriverNormal, basePragmas+"\nPRAGMA synchronous = NORMAL;")
}

func register(name, pragmas string) {
	d := &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			if _, err := c.Exec(pragmas, nil); err != nil {
				return fmt.Errorf("sqlitedb: pragmas: %w", err)
			}
			return nil
		},
	}
	drivers[name] = d
	sql.Register(name, d)
	// Without this dbx falls back to its StandardBuilder, which lacks the
	// SQLite dialect PocketBase's queries need.
	dbx.BuilderFuncMap[name] = dbx.BuilderFuncMap["sqlite3"]
}

// connector opens a pool's connections with the driver's pragmas, then
// gives every connection of a pool that may hold more than one (a reading
// pool) the reader's pragmas. The pool's size is read when a connection
// opens, which is after PocketBase has sized its pools: it opens both of a
// database's pools through Connect and only then calls SetMaxOpenConns.
type connector struct {
	driver *sqlite3.SQLiteDriver
	dsn    string
	pool   atomic.Pointer[sql.DB]
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	if db := c.pool.Load(); db != nil && db.Stats().MaxOpenConnections != 1 {
		if _, err := conn.(*sqlite3.SQLiteConn).Exec(readerPragmas, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("sqlitedb: pragmas: %w", err)
		}
	}
	return conn, nil
}

func (c *connector) Driver() driver.Driver { return c.driver }

// Connect is a core.DBConnectFunc: the data database with synchronous=FULL,
// the auxiliary (logs) database with synchronous=NORMAL.
func Connect(dbPath string) (*dbx.DB, error) {
	name := DriverFull
	if filepath.Base(dbPath) == AuxiliaryDBName {
		name = DriverNormal
	}
	c := &connector{driver: drivers[name], dsn: dbPath}
	pool := sql.OpenDB(c)
	c.pool.Store(pool)
	return dbx.NewFromDB(pool, name), nil
}
