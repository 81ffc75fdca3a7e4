package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

// Stable collection ids, so relations (including self-relations) can be
// declared before the target collection is saved.
const (
	idOffices    = "simpul_offices"
	idUnits      = "simpul_units"
	idCategories = "simpul_categories"
	idQRPoints   = "simpul_qr_points"
	idKiosks     = "simpul_kiosks"
	idStaff      = "simpul_staff"
	idComplaints = "simpul_complaints"
	idEvents     = "simpul_complaint_events"
	idHolidays   = "simpul_holidays"
	idSLA        = "simpul_sla_policies"
	idOutbox     = "simpul_sync_outbox"
	idSyncState  = "simpul_sync_state"
	idNodes      = "simpul_nodes"
)

// API rules. Superusers bypass every rule; nil means superusers only.
// Staff are the "staff" auth collection and must be active.
const (
	ruleStaff        = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	ruleAdmin        = ruleStaff + ` && @request.auth.role = "admin"`
	ruleCoordinator  = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator")`
	ruleComplaintACL = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 (@request.auth.role = "handler" && unit = @request.auth.unit && unit != "") ||
 (@request.auth.role = "frontdesk" && created_by = @request.auth.id))`
	ruleEventACL = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 (@request.auth.role = "handler" && complaint.unit = @request.auth.unit && complaint.unit != "") ||
 (@request.auth.role = "frontdesk" && complaint.created_by = @request.auth.id))`
	// A staff member may change their own name and password, never their
	// role, unit or active flag.
	ruleStaffSelfUpdate = ruleAdmin + ` || (` + ruleStaff + ` && id = @request.auth.id &&
 @request.body.role:isset = false && @request.body.unit:isset = false && @request.body.active:isset = false)`
)

var (
	attachmentMimeTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}
	zero                = types.Pointer(0.0)
)

func init() {
	m.Register(createSchema, dropSchema, "1763800000_schema.go")
}

func createSchema(app core.App) error {
	builders := []func() *core.Collection{
		offices, units, categories, qrPoints, kiosks, nodes, staff,
		complaints, complaintEvents, holidays, slaPolicies, syncOutbox, syncState,
	}
	for _, build := range builders {
		c := build()
		if existing, _ := app.FindCollectionByNameOrId(c.Name); existing != nil {
			continue // idempotent: a collection created earlier is left as it is
		}
		// A relation to the collection itself (a tree, duplicate_of) can only
		// be validated once the collection exists: save without it first.
		var selfRelations []core.Field
		for _, f := range c.Fields {
			if rel, ok := f.(*core.RelationField); ok && rel.CollectionId == c.Id {
				selfRelations = append(selfRelations, f)
			}
		}
		indexes := c.Indexes
		if len(selfRelations) > 0 {
			c.Indexes = nil // they may name a self-relation column
		}
		for _, f := range selfRelations {
			c.Fields.RemoveByName(f.GetName())
		}
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: create %s: %w", c.Name, err)
		}
		if len(selfRelations) == 0 {
			continue
		}
		c.Fields.Add(selfRelations...)
		c.Indexes = indexes
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: self-relations of %s: %w", c.Name, err)
		}
	}
	return nil
}

func dropSchema(app core.App) error {
	names := []string{model.SyncState, model.SyncOutbox, model.SLAPolicies, model.Holidays,
		model.ComplaintEvents, model.Complaints, model.Staff, model.Nodes, model.Kiosks,
		model.QRPoints, model.Categories, model.Units, model.Offices}
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return fmt.Errorf("migrations: drop %s: %w", name, err)
		}
	}
	return nil
}

func timestamps() []core.Field {
	return []core.Field{
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	}
}

func offices() *core.Collection {
	c := core.NewBaseCollection(model.Offices, idOffices)
	c.ListRule, c.ViewRule = types.Pointer(ruleStaff), types.Pointer(ruleStaff)
	c.UpdateRule = types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.TextField{Name: "code", Required: true, Max: 32, Pattern: `^[A-Za-z0-9-]+$`},
		&core.FileField{Name: "logo", MaxSelect: 1, MaxSize: 1 << 20, MimeTypes: []string{"image/png", "image/jpeg"}},
		&core.SelectField{Name: "timezone", Required: true, MaxSelect: 1, Values: model.TimeZones},
		&core.JSONField{Name: "working_weekdays", MaxSize: 200, Help: "ISO weekdays, 1 = Monday … 7 = Sunday"},
		&core.URLField{Name: "public_base_url"},
		&core.TextField{Name: "address", Max: 500},
		&core.TextField{Name: "phone", Max: 32},
		&core.EmailField{Name: "email"},
		&core.TextField{Name: "parent_name", Max: 200, Help: "the hub this office reports to"},
	)
	c.Fields.Add(timestamps()...)
	return c
}

func units() *core.Collection {
	c := core.NewBaseCollection(model.Units, idUnits)
	c.ListRule, c.ViewRule = types.Pointer(""), types.Pointer("")
	c.CreateRule, c.UpdateRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "code", Required: true, Max: 32, Pattern: `^[A-Z0-9][A-Z0-9-]*$`},
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.RelationField{Name: "parent", CollectionId: idUnits, MaxSelect: 1},
		&core.BoolField{Name: "active"},
		&core.TextField{Name: "lapor_id", Max: 64, Help: "the unit's id in SP4N-LAPOR!"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_units_code", true, "code", "")
	return c
}

func categories() *core.Collection {
	c := core.NewBaseCollection(model.Categories, idCategories)
	// The category tree is public information: the citizen form and
	// Open311's service list show it.
	c.ListRule, c.ViewRule = types.Pointer(""), types.Pointer("")
	c.CreateRule, c.UpdateRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "code", Required: true, Max: 32, Pattern: `^[A-Z0-9][A-Z0-9-]*$`},
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		&core.TextField{Name: "name_en", Max: 200},
		&core.TextField{Name: "description", Max: 1000},
		&core.RelationField{Name: "parent", CollectionId: idCategories, MaxSelect: 1},
		&core.TextField{Name: "lapor_topic_id", Max: 64, Help: "the matching SP4N-LAPOR! topic (kategori) id"},
		&core.NumberField{Name: "sort", OnlyInt: true},
		&core.BoolField{Name: "active"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_categories_code", true, "code", "")
	c.AddIndex("idx_categories_parent", false, "parent, sort", "")
	return c
}

func qrPoints() *core.Collection {
	c := core.NewBaseCollection(model.QRPoints, idQRPoints)
	c.ListRule, c.ViewRule = types.Pointer(ruleStaff), types.Pointer(ruleStaff)
	c.CreateRule, c.UpdateRule, c.DeleteRule = types.Pointer(ruleCoordinator), types.Pointer(ruleCoordinator), types.Pointer(ruleCoordinator)
	c.Fields.Add(
		&core.TextField{Name: "slug", Required: true, Min: 2, Max: 64, Pattern: `^[a-z0-9][a-z0-9-]*$`},
		&core.TextField{Name: "label", Required: true, Max: 200, Presentable: true},
		&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1},
		&core.RelationField{Name: "category", CollectionId: idCategories, MaxSelect: 1},
		&core.TextField{Name: "location", Max: 300},
		&core.NumberField{Name: "scans", OnlyInt: true, Min: zero},
		&core.BoolField{Name: "active"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_qr_points_slug", true, "slug", "")
	return c
}

func kiosks() *core.Collection {
	c := core.NewBaseCollection(model.Kiosks, idKiosks)
	c.ListRule, c.ViewRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.CreateRule, c.UpdateRule, c.DeleteRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
		// SHA-256 of the kiosk token; the token itself is shown once, when issued.
		&core.TextField{Name: "token_hash", Hidden: true, Max: 64},
		&core.TextField{Name: "location", Max: 300},
		&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1},
		&core.BoolField{Name: "active"},
		&core.DateField{Name: "last_seen_at"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_kiosks_token_hash", true, "token_hash", "token_hash != ''")
	return c
}

func nodes() *core.Collection {
	c := core.NewBaseCollection(model.Nodes, idNodes)
	c.ListRule, c.ViewRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "code", Required: true, Max: 32, Pattern: `^[A-Za-z0-9-]+$`},
		&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
		// The signing key derived from the node's secret; the secret itself
		// is printed once by "simpul nodes add" and never stored.
		&core.TextField{Name: "key_hash", Hidden: true, Max: 128},
		&core.BoolField{Name: "active"},
		&core.DateField{Name: "last_seen_at"},
		&core.TextField{Name: "last_error", Max: 500},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_nodes_code", true, "code", "")
	return c
}

func staff() *core.Collection {
	c := core.NewAuthCollection(model.Staff, idStaff)
	c.ListRule = types.Pointer(ruleCoordinator + ` || (` + ruleStaff + ` && id = @request.auth.id)`)
	c.ViewRule = c.ListRule
	c.CreateRule, c.DeleteRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.UpdateRule = types.Pointer(ruleStaffSelfUpdate)
	c.AuthRule = types.Pointer("active = true")
	c.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 150, Presentable: true},
		&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: model.Roles},
		&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1},
		&core.BoolField{Name: "active"},
		&core.SelectField{Name: "lang", MaxSelect: 1, Values: []string{"id", "en"}},
	)
	c.Fields.Add(timestamps()...)
	return c
}

func complaints() *core.Collection {
	c := core.NewBaseCollection(model.Complaints, idComplaints)
	// Guests get nothing through the collection API; intake and tracking
	// have their own routes. Nobody but a superuser writes through it: the
	// status changes only through the transitions route.
	c.ListRule, c.ViewRule = types.Pointer(ruleComplaintACL), types.Pointer(ruleComplaintACL)
	c.Fields.Add(
		&core.TextField{Name: "tracking_code", Required: true, Max: 32, Presentable: true},
		&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: model.Types},
		&core.TextField{Name: "title", Required: true, Max: 200},
		&core.TextField{Name: "body", Required: true, Max: 10000},
		&core.DateField{Name: "incident_date"},
		&core.TextField{Name: "location", Max: 500},
		&core.GeoPointField{Name: "geo"},
		&core.RelationField{Name: "category", CollectionId: idCategories, MaxSelect: 1, Required: true},
		&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1},
		&core.SelectField{Name: "privacy", Required: true, MaxSelect: 1, Values: model.Privacies},

		// Reporter identity is personal data. Hidden fields are readable and
		// filterable by superusers only; staff get them through the staff
		// API, which applies the privacy tiers per role.
		&core.TextField{Name: "reporter_name", Hidden: true, Max: 150},
		&core.TextField{Name: "reporter_phone", Hidden: true, Max: 32},
		&core.EmailField{Name: "reporter_email", Hidden: true},
		&core.TextField{Name: "reporter_nik", Hidden: true, Pattern: `^[0-9]{16}$`},
		// Voluntary, for gender and accessibility statistics; not identifying alone.
		&core.SelectField{Name: "reporter_gender", MaxSelect: 1, Values: []string{"perempuan", "laki_laki"}},
		&core.BoolField{Name: "reporter_disability"},
		&core.BoolField{Name: "identity_checked", Help: "identity checked against a KTP at the counter"},
		&core.TextField{Name: "pin_hash", Hidden: true, Max: 128},
		&core.TextField{Name: "receipt_token", Hidden: true, Max: 64},

		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: model.Statuses},
		&core.SelectField{Name: "channel", Required: true, MaxSelect: 1, Values: model.Channels},
		&core.RelationField{Name: "qr_point", CollectionId: idQRPoints, MaxSelect: 1},
		&core.RelationField{Name: "kiosk", CollectionId: idKiosks, MaxSelect: 1},
		&core.RelationField{Name: "created_by", CollectionId: idStaff, MaxSelect: 1},
		&core.TextField{Name: "client_ref", Max: 100, Hidden: true},
		&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentMimeTypes},

		// The SLA clock: due_at is the next deadline whatever the stage.
		&core.DateField{Name: "due_at"},
		&core.DateField{Name: "verify_due_at"},
		&core.DateField{Name: "followup_due_at"},
		&core.DateField{Name: "autoclose_at"},
		&core.DateField{Name: "completion_due_at"},
		&core.DateField{Name: "paused_at"},
		&core.DateField{Name: "verified_at"},
		&core.DateField{Name: "disposed_at"},
		&core.DateField{Name: "first_followup_at"},
		&core.DateField{Name: "last_followup_at"},
		&core.DateField{Name: "closed_at"},
		&core.NumberField{Name: "rating", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(5.0)},
		&core.RelationField{Name: "duplicate_of", CollectionId: idComplaints, MaxSelect: 1},
		&core.TextField{Name: "reason", Max: 100},

		// Sync: where the complaint came from (on a hub) and its ids above.
		&core.RelationField{Name: "origin_node", CollectionId: idNodes, MaxSelect: 1},
		&core.TextField{Name: "origin_id", Max: 64},
		&core.TextField{Name: "hub_tracking_id", Max: 64},
		&core.TextField{Name: "lapor_tracking_id", Max: 64},
		&core.SelectField{Name: "authority", MaxSelect: 1, Values: []string{"local", "upstream"}},
		&core.NumberField{Name: "version", OnlyInt: true, Min: zero},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_complaints_tracking_code", true, "tracking_code", "")
	c.AddIndex("idx_complaints_client_ref", true, "client_ref", "client_ref != ''")
	c.AddIndex("idx_complaints_queue", false, "status, unit, due_at", "")
	c.AddIndex("idx_complaints_due", false, "due_at", "")
	c.AddIndex("idx_complaints_created", false, "created", "")
	c.AddIndex("idx_complaints_phone", false, "reporter_phone", "reporter_phone != ''")
	c.AddIndex("idx_complaints_category", false, "category", "")
	c.AddIndex("idx_complaints_origin", true, "origin_node, origin_id", "origin_node != ''")
	return c
}

func complaintEvents() *core.Collection {
	c := core.NewBaseCollection(model.ComplaintEvents, idEvents)
	// Append-only: no update or delete rule, and a model hook refuses both.
	c.ListRule, c.ViewRule = types.Pointer(ruleEventACL), types.Pointer(ruleEventACL)
	c.Fields.Add(
		&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1, Required: true},
		&core.NumberField{Name: "seq", OnlyInt: true, Min: zero},
		// Globally unique (origin node + random), so a parent applies each
		// event exactly once however often it is pushed.
		&core.TextField{Name: "uid", Required: true, Max: 64},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: model.EventKinds},
		&core.SelectField{Name: "actor_type", MaxSelect: 1, Values: []string{"staff", "reporter", "system", "node"}},
		&core.RelationField{Name: "actor", CollectionId: idStaff, MaxSelect: 1},
		&core.TextField{Name: "actor_name", Max: 150},
		&core.TextField{Name: "from_status", Max: 32},
		&core.TextField{Name: "to_status", Max: 32},
		&core.TextField{Name: "note", Max: 10000},
		&core.TextField{Name: "reason", Max: 100},
		&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1},
		&core.BoolField{Name: "public"},
		&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentMimeTypes},
		&core.JSONField{Name: "data", MaxSize: 64 << 10},
		&core.TextField{Name: "origin", Max: 32},
		&core.TextField{Name: "at", Required: true, Max: 40, Help: "RFC 3339 time the event happened, part of the hash"},
		&core.TextField{Name: "prev_hash", Max: 64},
		&core.TextField{Name: "hash", Max: 64},
	)
	c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
	c.AddIndex("idx_events_uid", true, "uid", "")
	c.AddIndex("idx_events_chain", true, "complaint, seq", "")
	return c
}

func holidays() *core.Collection {
	c := core.NewBaseCollection(model.Holidays, idHolidays)
	c.ListRule, c.ViewRule = types.Pointer(""), types.Pointer("")
	c.CreateRule, c.UpdateRule, c.DeleteRule = types.Pointer(ruleAdmin), types.Pointer(ruleAdmin), types.Pointer(ruleAdmin)
	c.Fields.Add(
		&core.TextField{Name: "date", Required: true, Pattern: `^\d{4}-\d{2}-\d{2}$`, Presentable: true},
		&core.SelectField{Name: "type", Required: true, MaxSelect: 1,
			Values: []string{model.HolidayNasional, model.HolidayCutiBersama, model.HolidayLokal}},
		&core.TextField{Name: "name", Required: true, Max: 200},
		&core.TextField{Name: "legal_basis", Required: true, Max: 500},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_holidays_date_name", true, "date, name", "")
	return c
}

func slaPolicies() *core.Collection {
	c := core.NewBaseCollection(model.SLAPolicies, idSLA)
	c.ListRule, c.ViewRule = types.Pointer(ruleStaff), types.Pointer(ruleStaff)
	c.UpdateRule = types.Pointer(ruleAdmin)
	days := func(name string) *core.NumberField {
		return &core.NumberField{Name: name, Required: true, OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(365.0)}
	}
	c.Fields.Add(
		&core.TextField{Name: "code", Required: true, Max: 32, Presentable: true},
		&core.TextField{Name: "name", Max: 200},
		days("verify_days"),
		days("followup_days"),
		days("autoclose_days"),
		days("completion_calendar_days"),
		&core.BoolField{Name: "active"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_sla_code", true, "code", "")
	return c
}

func syncOutbox() *core.Collection {
	c := core.NewBaseCollection(model.SyncOutbox, idOutbox)
	c.Fields.Add(
		&core.TextField{Name: "uid", Required: true, Max: 64},
		&core.TextField{Name: "kind", Required: true, Max: 32},
		&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1},
		&core.JSONField{Name: "payload", MaxSize: 1 << 20},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{model.OutboxPending, model.OutboxSent}},
		&core.NumberField{Name: "attempts", OnlyInt: true, Min: zero},
		&core.TextField{Name: "last_error", Max: 500},
		&core.DateField{Name: "sent_at"},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_outbox_uid", true, "uid", "")
	c.AddIndex("idx_outbox_pending", false, "status, created", "")
	return c
}

func syncState() *core.Collection {
	c := core.NewBaseCollection(model.SyncState, idSyncState)
	c.Fields.Add(
		&core.TextField{Name: "key", Required: true, Max: 100},
		&core.JSONField{Name: "value", MaxSize: 64 << 10},
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_sync_state_key", true, "key", "")
	return c
}
