package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

const idSyncCopies = "simpul_sync_copies"

func init() {
	m.Register(syncV2Up, syncV2Down, "1763832000_sync_v2.go")
}

// syncV2Up adds what sync protocol v2 needs (docs/sync-protocol.md):
//   - on complaints, the handling office's name and unit code and name as text (a
//     copy of a case handled elsewhere has no local unit to point at), the
//     case's revision on this level (state_rev) with who made the last
//     change (rev_by: a child node's id, "up" for the parent, empty for
//     this office), and the parent's revision last seen (parent_rev);
//   - sync_copies, on a hub: which child node holds a copy of which case,
//     and from which feed position (a case routed to a child reaches it
//     from the routing event on, with its history attached). Copies held
//     by the node of intake are filled from origin_node.
func syncV2Up(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: sync v2: %w", err)
	}
	add := func(f core.Field) {
		if c.Fields.GetByName(f.GetName()) == nil {
			c.Fields.Add(f)
		}
	}
	add(&core.TextField{Name: "office_name", Max: 200})
	add(&core.TextField{Name: "unit_code", Max: 32})
	add(&core.TextField{Name: "unit_name", Max: 200})
	add(&core.NumberField{Name: "state_rev", OnlyInt: true, Min: zero})
	add(&core.NumberField{Name: "parent_rev", OnlyInt: true, Min: zero})
	add(&core.TextField{Name: "rev_by", Max: 32})
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: sync v2: %w", err)
	}
	if _, err := app.FindCollectionByNameOrId(model.SyncCopies); err != nil {
		k := core.NewBaseCollection(model.SyncCopies, idSyncCopies)
		k.Fields.Add(
			&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "node", CollectionId: idNodes, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "since_seq", OnlyInt: true, Min: zero},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		k.AddIndex("idx_sync_copies_node", false, "node, complaint", "")
		k.AddIndex("idx_sync_copies_complaint", false, "complaint", "")
		if err := app.Save(k); err != nil {
			return fmt.Errorf("migrations: create %s: %w", model.SyncCopies, err)
		}
	}
	_, err = app.DB().NewQuery(`INSERT OR IGNORE INTO sync_copies (id, complaint, node, since_seq, created)
		SELECT lower(hex(randomblob(8))), id, origin_node, 0, strftime('%Y-%m-%d %H:%M:%fZ', 'now')
		FROM complaints WHERE origin_node != ''`).Execute()
	if err != nil {
		return fmt.Errorf("migrations: sync v2: copies: %w", err)
	}
	return nil
}

func syncV2Down(app core.App) error {
	if k, err := app.FindCollectionByNameOrId(model.SyncCopies); err == nil {
		if err := app.Delete(k); err != nil {
			return fmt.Errorf("migrations: drop %s: %w", model.SyncCopies, err)
		}
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: sync v2: %w", err)
	}
	for _, n := range []string{"office_name", "unit_code", "unit_name", "state_rev", "parent_rev", "rev_by"} {
		c.Fields.RemoveByName(n)
	}
	return app.Save(c)
}
