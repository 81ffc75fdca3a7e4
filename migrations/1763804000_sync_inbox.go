package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

const idSyncInbox = "simpul_sync_inbox"

// outboxRejected is the outbox state of a change the parent refused; it is
// shown to the operator and no longer blocks the queue (hooks/events/outbox).
const outboxRejected = "rejected"

func init() {
	m.Register(createSyncInbox, dropSyncInbox, "1763804000_sync_inbox.go")
}

// createSyncInbox adds the hub's record of which child pushed which event
// (so pulls never echo a child's own events back) and the "rejected"
// outbox state.
func createSyncInbox(app core.App) error {
	if _, err := app.FindCollectionByNameOrId(model.SyncInbox); err != nil {
		c := core.NewBaseCollection(model.SyncInbox, idSyncInbox)
		c.Fields.Add(
			&core.TextField{Name: "uid", Required: true, Max: 64},
			&core.RelationField{Name: "node", CollectionId: idNodes, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		c.AddIndex("idx_sync_inbox_uid", true, "uid", "")
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: create %s: %w", model.SyncInbox, err)
		}
	}
	out, err := app.FindCollectionByNameOrId(model.SyncOutbox)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if f, ok := out.Fields.GetByName("status").(*core.SelectField); ok {
		for _, v := range f.Values {
			if v == outboxRejected {
				return nil
			}
		}
		f.Values = append(f.Values, outboxRejected)
	}
	return app.Save(out)
}

func dropSyncInbox(app core.App) error {
	if c, err := app.FindCollectionByNameOrId(model.SyncInbox); err == nil {
		if err := app.Delete(c); err != nil {
			return fmt.Errorf("migrations: drop %s: %w", model.SyncInbox, err)
		}
	}
	return nil
}
