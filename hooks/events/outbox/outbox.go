// Package outbox queues the changes that must travel to the parent. A row is
// written in the same SQLite transaction as the change it carries, so a
// crash can neither lose a change nor invent one; the upstream client reads
// pending rows in order and marks them sent once the parent acknowledges.
package outbox

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/sqlitedb"
)

// KindEvent is an outbox row that carries one complaint_events row (by its
// uid) together with the complaint's state when it is pushed.
const KindEvent = "event"

// StatusRejected marks a change the parent refused for good (the reason is
// in last_error). It no longer blocks the queue; the sync page shows it.
const StatusRejected = "rejected"

// Row is one pending outbox entry.
type Row struct {
	UID       string `db:"uid"`
	Kind      string `db:"kind"`
	Complaint string `db:"complaint"`
}

// Pending returns up to limit (all when limit <= 0) pending rows in queue
// order (rowid: the order their transactions committed).
func Pending(app core.App, limit int) ([]Row, error) {
	var rows []Row
	q := app.DB().Select("uid", "kind", "complaint").From(model.SyncOutbox).
		Where(dbx.HashExp{"status": model.OutboxPending}).OrderBy("rowid")
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	err := q.All(&rows)
	if err != nil {
		return nil, fmt.Errorf("outbox: pending: %w", err)
	}
	return rows, nil
}

// Count returns how many rows have status.
func Count(app core.App, status string) (int, error) {
	var n int
	err := app.DB().Select("count(*)").From(model.SyncOutbox).Where(dbx.HashExp{"status": status}).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("outbox: count: %w", err)
	}
	return n, nil
}

// Settle records the parent's acknowledgement of uids: sent (applied now or
// before) or rejected with a reason. Call it with a transaction's app, only
// after the acknowledgement was received: a row is never marked sent on
// hope.
func Settle(txApp core.App, sent []string, rejected map[string]string, now time.Time) error {
	at := now.UTC().Format("2006-01-02 15:04:05.000Z")
	for start := 0; start < len(sent); start += 500 {
		chunk := sent[start:min(start+500, len(sent))]
		uids := make([]any, len(chunk))
		for i, u := range chunk {
			uids[i] = u
		}
		_, err := txApp.DB().NewQuery("UPDATE " + model.SyncOutbox +
			" SET status = {:sent}, sent_at = {:at}, updated = {:at}, attempts = attempts + 1, last_error = '' WHERE " +
			inList("uid", len(uids))).Bind(bindList(dbx.Params{"sent": model.OutboxSent, "at": at}, uids)).Execute()
		if err != nil {
			return fmt.Errorf("outbox: mark sent: %w", err)
		}
	}
	for uid, reason := range rejected {
		if len(reason) > 500 {
			reason = reason[:500]
		}
		_, err := txApp.DB().Update(model.SyncOutbox, dbx.Params{
			"status": StatusRejected, "last_error": reason, "updated": at,
		}, dbx.HashExp{"uid": uid}).Execute()
		if err != nil {
			return fmt.Errorf("outbox: mark rejected: %w", err)
		}
	}
	return nil
}

// Attempted counts a failed delivery of uids (for the operator's view).
func Attempted(app core.App, uids []string, reason string) error {
	if len(uids) == 0 {
		return nil
	}
	if len(reason) > 500 {
		reason = reason[:500]
	}
	args := make([]any, len(uids))
	for i, u := range uids {
		args[i] = u
	}
	_, err := app.DB().NewQuery("UPDATE " + model.SyncOutbox +
		" SET attempts = attempts + 1, last_error = {:err} WHERE " + inList("uid", len(args))).
		Bind(bindList(dbx.Params{"err": reason}, args)).Execute()
	if err != nil {
		return fmt.Errorf("outbox: attempts: %w", err)
	}
	return nil
}

func inList(col string, n int) string {
	var b strings.Builder
	b.WriteString(col + " IN (")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "{:p%d}", i)
	}
	b.WriteByte(')')
	return b.String()
}

func bindList(p dbx.Params, vals []any) dbx.Params {
	for i, v := range vals {
		p[fmt.Sprintf("p%d", i)] = v
	}
	return p
}

// Writer queues pending rows: a change that must travel is queued in the
// same transaction as the change itself (hooks/events does it for every
// timeline row), so a crash can neither lose nor invent one. It is a
// prepared plain INSERT: rows are written by code, never from input, and
// PocketBase's Save would cost more than the change it travels with.
type Writer struct{ q *sql.Stmt }

const insertRow = "INSERT INTO " + model.SyncOutbox +
	" (id, uid, kind, complaint, status, attempts, created, updated) VALUES (?, ?, ?, ?, ?, 0, ?, ?)"

// NewWriter prepares the insert for txApp, a transaction's app, taking it
// from stmts when that holds it (stmts may be nil). The statement closes
// with the transaction.
func NewWriter(txApp core.App, stmts *sqlitedb.Stmts) (*Writer, error) {
	q, err := stmts.In(txApp, insertRow)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Writer{q: q}, nil
}

// Enqueue adds a pending row for uid, stamped at.
func (w *Writer) Enqueue(kind, uid, complaintID string, at time.Time) error {
	stamp := at.UTC().Format(types.DefaultDateLayout)
	if _, err := w.q.Exec(model.NewID(), uid, kind, complaintID, model.OutboxPending, stamp, stamp); err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", uid, err)
	}
	return nil
}
