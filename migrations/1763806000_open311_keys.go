package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

const idOpen311Keys = "simpul_open311_keys"

func init() {
	m.Register(createOpen311Keys, dropOpen311Keys, "1763806000_open311_keys.go")
}

// createOpen311Keys adds the API keys of Open311 clients (hooks/open311).
// Only the SHA-256 of a key is stored; the key itself is shown once, by
// "simpul open311 keys add NAME" or in the answer to an admin's create
// request. Admins list, rename, deactivate and delete keys; nobody else
// sees them.
func createOpen311Keys(app core.App) error {
	if _, err := app.FindCollectionByNameOrId(model.Open311Keys); err == nil {
		return nil // idempotent
	}
	c := core.NewBaseCollection(model.Open311Keys, idOpen311Keys)
	c.ListRule, c.ViewRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.CreateRule, c.UpdateRule, c.DeleteRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
		// SHA-256 (hex) of the key; set by the application, never by a client.
		&core.TextField{Name: "key_hash", Hidden: true, Max: 64},
		&core.BoolField{Name: "active"},
		&core.DateField{Name: "last_used_at"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_open311_keys_hash", true, "key_hash", "key_hash != ''")
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: create %s: %w", model.Open311Keys, err)
	}
	return nil
}

func dropOpen311Keys(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Open311Keys)
	if err != nil {
		return nil
	}
	if err := app.Delete(c); err != nil {
		return fmt.Errorf("migrations: drop %s: %w", model.Open311Keys, err)
	}
	return nil
}
