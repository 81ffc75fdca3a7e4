package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

// The access log (model.AccessLog) audits readings that need a reason
// (hooks/domain/privacy): a confidential reporter's identity read, a counter
// lookup, a receipt PIN issued again. Coordinators, admins and supervisors
// read it; it is written by the application only and never changed
// (hooks/guards.go).
const idAccessLog = "simpul_access_log"

// The privacy policy's rules (hooks/domain/privacy, docs/security.md §1):
//   - a case is seen by coordinators, admins and supervisors, a handler of
//     its unit, and the clerk who took it in;
//   - of its timeline, internal events are not for the front desk, and a
//     confidential reporter's own replies and comments only for
//     coordinators and admins (the collection API cannot blank one field of
//     a row, so the row stays out).
const (
	rulePrivacyComplaint = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 @request.auth.role = "supervisor" ||
 (@request.auth.role = "handler" && unit = @request.auth.unit && unit != "") ||
 (@request.auth.role = "frontdesk" && created_by = @request.auth.id))`
	rulePrivacyEvent = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 ((actor_type != "reporter" || complaint.privacy != "confidential") && (
 @request.auth.role = "supervisor" ||
 (@request.auth.role = "handler" && complaint.unit = @request.auth.unit && complaint.unit != "") ||
 (@request.auth.role = "frontdesk" && complaint.created_by = @request.auth.id && public = true))))`
	rulePrivacyFile = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 @request.auth.role = "supervisor" ||
 (@request.auth.role = "handler" && complaint.unit = @request.auth.unit && complaint.unit != "") ||
 (@request.auth.role = "frontdesk" && complaint.created_by = @request.auth.id))`
	ruleAccessLog = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 @request.auth.role = "supervisor")`
)

func init() {
	m.Register(upPrivacy, downPrivacy, "1763820000_privacy.go")
}

func upPrivacy(app core.App) error {
	if _, err := app.FindCollectionByNameOrId(model.AccessLog); err != nil {
		c := core.NewBaseCollection(model.AccessLog, idAccessLog)
		c.ListRule, c.ViewRule = types.Pointer(ruleAccessLog), types.Pointer(ruleAccessLog)
		c.Fields.Add(
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1,
				Values: []string{"identity_read", "counter_lookup", "pin_reissued"}},
			&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1},
			&core.RelationField{Name: "actor", CollectionId: idStaff, MaxSelect: 1},
			&core.TextField{Name: "actor_name", Max: 150},
			&core.TextField{Name: "actor_role", Max: 32},
			&core.TextField{Name: "reason", Max: 500},
			&core.TextField{Name: "detail", Max: 100, Help: "what was looked up by (phone, code); never the number itself"},
			&core.NumberField{Name: "found", OnlyInt: true, Min: zero},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		c.AddIndex("idx_access_log_complaint", false, "complaint, created", "complaint != ''")
		c.AddIndex("idx_access_log_created", false, "created", "")
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: create %s: %w", model.AccessLog, err)
		}
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return err
	}
	// What a verifier lets the public read instead of the reporter's own
	// words (empty: the reporter's, masked).
	if c.Fields.GetByName("public_title") == nil {
		c.Fields.Add(&core.TextField{Name: "public_title", Max: 200},
			&core.TextField{Name: "public_body", Max: 10000})
	}
	c.ListRule, c.ViewRule = types.Pointer(rulePrivacyComplaint), types.Pointer(rulePrivacyComplaint)
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: complaints: %w", err)
	}
	for name, rule := range map[string]string{model.ComplaintEvents: rulePrivacyEvent, "case_files": rulePrivacyFile} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		c.ListRule, c.ViewRule = types.Pointer(rule), types.Pointer(rule)
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: %s: %w", name, err)
		}
	}
	return nil
}

func downPrivacy(app core.App) error {
	if c, err := app.FindCollectionByNameOrId(model.AccessLog); err == nil {
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("public_title")
	c.Fields.RemoveByName("public_body")
	c.ListRule, c.ViewRule = types.Pointer(ruleComplaintACL), types.Pointer(ruleComplaintACL)
	if err := app.Save(c); err != nil {
		return err
	}
	for _, name := range []string{model.ComplaintEvents, "case_files"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		c.ListRule, c.ViewRule = types.Pointer(ruleEventACL), types.Pointer(ruleEventACL)
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}
