package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(clientTagUp, clientTagDown, "1763822000_client_tag.go")
}

// clientTagUp adds complaints.client_tag: who sent a report with a
// client_ref, as a keyed hash (intake.ClientTag, keyed by the receipt
// token, so the column alone tells nothing about the sender). A retry with
// the same client_ref from the same sender is answered with the receipt's
// PIN; from anyone else with the tracking code only (review item 8).
// Hidden: no API ever returns it.
func clientTagUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: client_tag: %w", err)
	}
	if c.Fields.GetByName("client_tag") == nil {
		c.Fields.Add(&core.TextField{Name: "client_tag", Hidden: true, Max: 64})
	}
	return app.Save(c)
}

func clientTagDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("client_tag")
	return app.Save(c)
}
