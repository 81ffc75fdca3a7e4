package sqlitedb

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Stmts keeps statements compiled across the transactions of one app, for
// a loop that writes in many short transactions (intake's group commit).
//
// PocketBase runs every write transaction on its single nonconcurrent
// connection, and database/sql keeps a *sql.Stmt prepared per connection:
// Tx.Stmt hands that compiled statement to a transaction instead of
// compiling the SQL again, which for a wide INSERT costs more than running
// it. A statement is compiled on the connection outside a transaction
// (Ready), because the pool's one connection is busy inside one; a query
// first asked for inside a transaction is compiled for that transaction
// alone and kept from the next Ready on.
//
// A nil *Stmts compiles every query for its transaction alone, so code
// that writes through Stmts works without a cache as well.
type Stmts struct {
	app core.App

	mu     sync.Mutex
	db     *sql.DB              // the connection pool the statements belong to
	stmts  map[string]*sql.Stmt // compiled on db
	wanted []string             // asked for in a transaction, not compiled yet
}

// NewStmts returns an empty cache for app (not a transaction's app).
func NewStmts(app core.App) *Stmts {
	return &Stmts{app: app, stmts: map[string]*sql.Stmt{}}
}

// Ready compiles the queries asked for since the last call. It must run
// outside a transaction on s's app. When PocketBase has reopened its
// database (a restore), the statements of the old pool are dropped first.
func (s *Stmts) Ready() error {
	if s == nil {
		return nil
	}
	db, err := writerPool(s.app)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if db != s.db {
		s.closeLocked()
		s.db = db
	}
	for _, q := range s.wanted {
		if _, ok := s.stmts[q]; ok {
			continue
		}
		st, err := db.Prepare(q)
		if err != nil {
			return fmt.Errorf("sqlitedb: prepare: %w", err)
		}
		s.stmts[q] = st
	}
	s.wanted = s.wanted[:0]
	return nil
}

// In returns query compiled for txApp's transaction. The returned
// statement is closed with the transaction.
func (s *Stmts) In(txApp core.App, query string) (*sql.Stmt, error) {
	tx, err := sqlTx(txApp)
	if err != nil {
		return nil, err
	}
	if s != nil {
		s.mu.Lock()
		st, ok := s.stmts[query]
		if !ok {
			s.wanted = append(s.wanted, query)
		}
		s.mu.Unlock()
		if ok {
			return tx.Stmt(st), nil
		}
	}
	st, err := tx.Prepare(query)
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: prepare: %w", err)
	}
	return st, nil
}

// Close releases the compiled statements.
func (s *Stmts) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked()
	s.db = nil
}

func (s *Stmts) closeLocked() {
	for q, st := range s.stmts {
		st.Close()
		delete(s.stmts, q)
	}
}

// writerPool is the connection pool of app's write transactions.
func writerPool(app core.App) (*sql.DB, error) {
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("sqlitedb: statements are compiled outside a transaction")
	}
	return db.DB(), nil
}

// sqlTx is the database/sql transaction behind txApp.
func sqlTx(txApp core.App) (*sql.Tx, error) {
	if tx, ok := txApp.NonconcurrentDB().(*dbx.Tx); ok {
		if b, ok := tx.Builder.(interface{ Executor() dbx.Executor }); ok {
			if sqlTx, ok := b.Executor().(*sql.Tx); ok {
				return sqlTx, nil
			}
		}
	}
	return nil, errors.New("sqlitedb: not a transaction's app")
}

// Insert is an INSERT of fixed columns that binds positional arguments,
// for statements kept in Stmts.
type Insert struct {
	SQL  string
	cols []string
}

// NewInsert makes the INSERT of cols into table.
func NewInsert(table string, cols ...string) Insert {
	return Insert{SQL: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (?" +
		strings.Repeat(", ?", len(cols)-1) + ")", cols: cols}
}

// Args are values in the order of the insert's columns (nil for a column
// values lacks).
func (in Insert) Args(values map[string]any) []any {
	a := make([]any, len(in.cols))
	for i, c := range in.cols {
		a[i] = values[c]
	}
	return a
}

// Column is the position of col among the insert's arguments, -1 if absent.
func (in Insert) Column(col string) int { return slices.Index(in.cols, col) }
