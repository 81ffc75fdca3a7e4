// Package sqlitedb opens PocketBase's databases through the cgo driver
// github.com/mattn/go-sqlite3 instead of the default pure-Go one.
//
// Every pooled connection runs the same pragmas through a ConnectHook, because
// mattn's DSN parameters cannot set temp_store, cache_size or
// journal_size_limit. The data database runs with synchronous=FULL: district
// offices lose power often and a complaint a citizen holds a receipt for must
// survive a power cut. The auxiliary database (request logs) stays NORMAL.
package sqlitedb

import (
	"database/sql"
	"fmt"
	"path/filepath"

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
PRAGMA cache_size = -16000;`

func init() {
	register(DriverFull, basePragmas+"\nPRAGMA synchronous = FULL;")
	register(DriverNormal, basePragmas+"\nPRAGMA synchronous = NORMAL;")
}

func register(name, pragmas string) {
	sql.Register(name, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			if _, err := c.Exec(pragmas, nil); err != nil {
				return fmt.Errorf("sqlitedb: pragmas: %w", err)
			}
			return nil
		},
	})
	// Without this dbx falls back to its StandardBuilder, which lacks the
	// SQLite dialect PocketBase's queries need.
	dbx.BuilderFuncMap[name] = dbx.BuilderFuncMap["sqlite3"]
}

// Connect is a core.DBConnectFunc: the data database with synchronous=FULL,
// the auxiliary (logs) database with synchronous=NORMAL.
func Connect(dbPath string) (*dbx.DB, error) {
	driver := DriverFull
	if filepath.Base(dbPath) == AuxiliaryDBName {
		driver = DriverNormal
	}
	db, err := dbx.Open(driver, dbPath)
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: open %s: %w", filepath.Base(dbPath), err)
	}
	return db, nil
}
