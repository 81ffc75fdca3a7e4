package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

// ruleEventReporterWords is rulePrivacyEvent with the front desk's part
// made to follow the privacy policy exactly (privacy.May): the clerk who
// took a report in reads its public timeline and the reporter's own words
// (a reply on an anonymous report is not on the public timeline, yet it is
// no internal note); internal notes stay out, and so does a confidential
// reporter's reply (the clause before). Proved by ui
// TestPrivacyEveryRoleTierOutput and migrations TestAccessMatrix.
const ruleEventReporterWords = ruleStaff + ` && (@request.auth.role = "admin" || @request.auth.role = "coordinator" ||
 ((actor_type != "reporter" || complaint.privacy != "confidential") && (
 @request.auth.role = "supervisor" ||
 (@request.auth.role = "handler" && complaint.unit = @request.auth.unit && complaint.unit != "") ||
 (@request.auth.role = "frontdesk" && complaint.created_by = @request.auth.id && (public = true || actor_type = "reporter")))))`

func init() {
	m.Register(func(app core.App) error { return setEventRule(app, ruleEventReporterWords) },
		func(app core.App) error { return setEventRule(app, rulePrivacyEvent) },
		"1763822100_frontdesk_reporter_words.go")
}

func setEventRule(app core.App, rule string) error {
	c, err := app.FindCollectionByNameOrId(model.ComplaintEvents)
	if err != nil {
		return fmt.Errorf("migrations: events rule: %w", err)
	}
	c.ListRule, c.ViewRule = types.Pointer(rule), types.Pointer(rule)
	return app.Save(c)
}
