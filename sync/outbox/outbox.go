// Package outbox queues the changes that must travel to the parent. A row is
// written in the same SQLite transaction as the change it carries, so a
// crash can neither lose a change nor invent one; the upstream client reads
// pending rows in order and marks them sent once the parent acknowledges.
package outbox

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/model"
)

// KindEvent is an outbox row that carries one complaint_events row (by its
// uid) together with the complaint's state when it is pushed.
const KindEvent = "event"

// Enqueue adds a pending row. Call it with the transaction's app (txApp) so
// it commits or rolls back with the change itself.
func Enqueue(txApp core.App, kind, uid, complaintID string) error {
	col, err := txApp.FindCachedCollectionByNameOrId(model.SyncOutbox)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	r := core.NewRecord(col)
	r.Set("uid", uid)
	r.Set("kind", kind)
	r.Set("complaint", complaintID)
	r.Set("status", model.OutboxPending)
	if err := txApp.Save(r); err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", uid, err)
	}
	return nil
}
