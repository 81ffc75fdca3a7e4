package migrations

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
)

func init() {
	m.Register(officeFieldsUp, officeFieldsDown, "1763831000_office_fields.go")
}

// officeIndex serves "the cases this office handles" (the staff desk of a
// node that also holds copies of cases routed elsewhere) and the hub's
// figures by office.
var officeIndex = complaintIndex{"idx_complaints_office", "office, status", ""}

// officeFieldsUp adds a complaint's office fields (routing down a
// tree, docs/sync-protocol.md): office, the code of the office that holds responsibility
// now, and origin_office, the code of the office of intake. Existing rows
// are filled: a local complaint with this office's code, a hub's copy of a
// child's complaint with that child's code (its nodes.code).
func officeFieldsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: office fields: %w", err)
	}
	for _, name := range []string{"office", "origin_office"} {
		if c.Fields.GetByName(name) == nil {
			c.Fields.Add(&core.TextField{Name: name, Max: 32})
		}
	}
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: office fields: %w", err)
	}
	code := localOfficeCode(app)
	if _, err := app.DB().NewQuery(`UPDATE complaints SET office = {:c}, origin_office = {:c}
		WHERE origin_node = '' AND office = ''`).Bind(dbx.Params{"c": code}).Execute(); err != nil {
		return fmt.Errorf("migrations: office fields: fill local: %w", err)
	}
	if _, err := app.DB().NewQuery(`UPDATE complaints SET
		office = coalesce((SELECT n.code FROM nodes n WHERE n.id = complaints.origin_node), ''),
		origin_office = coalesce((SELECT n.code FROM nodes n WHERE n.id = complaints.origin_node), '')
		WHERE origin_node != '' AND office = ''`).Execute(); err != nil {
		return fmt.Errorf("migrations: office fields: fill copies: %w", err)
	}
	return setComplaintIndexes(app, []complaintIndex{officeIndex}, nil)
}

func officeFieldsDown(app core.App) error {
	if err := setComplaintIndexes(app, nil, []string{officeIndex.name}); err != nil {
		return err
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: office fields: %w", err)
	}
	c.Fields.RemoveByName("office")
	c.Fields.RemoveByName("origin_office")
	return app.Save(c)
}

// localOfficeCode is the office's code as the offices row has it (seeded
// from SIMPUL_OFFICE_CODE), or the configured default.
func localOfficeCode(app core.App) string {
	var code string
	if err := app.DB().NewQuery("SELECT code FROM offices ORDER BY created LIMIT 1").Row(&code); err == nil && code != "" {
		return code
	}
	if cfg, err := config.FromEnv(); err == nil && cfg.OfficeCode != "" {
		return cfg.OfficeCode
	}
	return config.DefaultOfficeCode
}
