// Package outbox queues the changes that must travel to the parent. A row is
// written in the same SQLite transaction as the change it carries, so a
// crash can neither lose a change nor invent one; the upstream client reads
// pending rows in order and marks them sent once the parent acknowledges.
//
// An office with no parent (the top of a tree, SetTop) writes no rows: a
// row there would wait forever and the queue would grow with every event.
// It marks instead, once, the first event it did not queue; the timeline
// (complaint_events, append-only) still holds every event, and QueueUnsent
// queues them all when a parent is configured (docs/sync-protocol.md §3).
package outbox

import (
	"database/sql"
	"encoding/json"
	"errors"
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
// PocketBase's Save would cost more than the change it travels with. At
// the top of a tree it marks the first unqueued event instead (the
// statement is a no-op once the mark exists).
type Writer struct {
	q    *sql.Stmt
	mark *sql.Stmt // at the top of a tree: instead of q
}

const insertRow = "INSERT INTO " + model.SyncOutbox +
	" (id, uid, kind, complaint, status, attempts, created, updated) VALUES (?, ?, ?, ?, ?, 0, ?, ?)"

// UnqueuedKey is the sync_state key that holds, as a JSON string, the uid
// of the first event an office with no parent did not queue.
const UnqueuedKey = "outbox_unqueued_from"

const markRow = "INSERT INTO " + model.SyncState + " (key, value, created, updated) VALUES ('" + UnqueuedKey +
	"', ?, ?, ?) ON CONFLICT(key) DO NOTHING"

// topKey marks, in the app's store, an app with no parent.
const topKey = "simpul.outbox.top"

// SetTop tells app whether it is the top of a tree: no parent Simpul, no
// node credentials for a sneakernet parent, no LAPOR!. sync/upstream sets
// it from the configuration; an app never told queues rows.
func SetTop(app core.App, top bool) {
	if top {
		app.Store().Set(topKey, true)
		return
	}
	app.Store().Remove(topKey)
}

func isTop(app core.App) bool {
	top, _ := app.Store().Get(topKey).(bool)
	return top
}

// NewWriter prepares the insert for txApp, a transaction's app, taking it
// from stmts when that holds it (stmts may be nil). The statement closes
// with the transaction.
func NewWriter(txApp core.App, stmts *sqlitedb.Stmts) (*Writer, error) {
	if isTop(txApp) {
		m, err := stmts.In(txApp, markRow)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		return &Writer{mark: m}, nil
	}
	q, err := stmts.In(txApp, insertRow)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Writer{q: q}, nil
}

// Enqueue adds a pending row for uid, stamped at (at the top of a tree:
// marks uid as unqueued, unless an earlier event is marked already).
func (w *Writer) Enqueue(kind, uid, complaintID string, at time.Time) error {
	stamp := at.UTC().Format(types.DefaultDateLayout)
	if w.mark != nil {
		v, _ := json.Marshal(uid)
		if _, err := w.mark.Exec(string(v), stamp, stamp); err != nil {
			return fmt.Errorf("outbox: mark %s unqueued: %w", uid, err)
		}
		return nil
	}
	if _, err := w.q.Exec(model.NewID(), uid, kind, complaintID, model.OutboxPending, stamp, stamp); err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", uid, err)
	}
	return nil
}

// QueueUnsent queues, in timeline order, every event from the one marked
// unqueued on that has no row yet, and clears the mark, in one
// transaction; it returns how many it queued. The upstream client calls
// it before it pushes or exports, so an office that ran without a parent
// sends everything it did meanwhile once it has one. Without a mark it
// reads one row and queues nothing.
func QueueUnsent(app core.App, now time.Time) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		var raw string
		err := tx.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": UnqueuedKey}).Row(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("outbox: unqueued mark: %w", err)
		}
		var uid string
		if err := json.Unmarshal([]byte(raw), &uid); err != nil {
			return fmt.Errorf("outbox: unqueued mark %q: %w", raw, err)
		}
		// The mark is written with its event, so the event is there; if it
		// were not, every event is checked rather than any skipped.
		stamp := now.UTC().Format(types.DefaultDateLayout)
		res, err := tx.DB().NewQuery(`INSERT INTO ` + model.SyncOutbox + ` (id, uid, kind, complaint, status, attempts, created, updated)
			SELECT 'o' || lower(hex(randomblob(7))), e.uid, {:kind}, e.complaint, {:pending}, 0, {:at}, {:at}
			FROM ` + model.ComplaintEvents + ` e
			WHERE e.rowid >= COALESCE((SELECT rowid FROM ` + model.ComplaintEvents + ` WHERE uid = {:uid}), 0)
			  AND NOT EXISTS (SELECT 1 FROM ` + model.SyncOutbox + ` o WHERE o.uid = e.uid)
			ORDER BY e.rowid`).Bind(dbx.Params{"kind": KindEvent, "pending": model.OutboxPending, "at": stamp, "uid": uid}).Execute()
		if err != nil {
			return fmt.Errorf("outbox: queue unsent: %w", err)
		}
		queued, _ := res.RowsAffected()
		n = int(queued)
		if _, err := tx.DB().Delete(model.SyncState, dbx.HashExp{"key": UnqueuedKey}).Execute(); err != nil {
			return fmt.Errorf("outbox: clear unqueued mark: %w", err)
		}
		return nil
	})
	return n, err
}
