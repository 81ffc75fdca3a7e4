package migrations

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
)

func init() {
	m.Register(caseDeadlinesUp, caseDeadlinesDown, "1763841100_case_deadlines.go")
}

// caseDeadlinesUp adds the two deadlines of the new policy rows
// (hooks/sla.Rules) to complaints: the follow-up owed after the first one
// (a reporter's answer to a follow-up, a reopened report, a re-route after
// a follow-up) and the day a tertunda report is archived if the reporter
// has not completed it.
func caseDeadlinesUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if c.Fields.GetByName("next_followup_due_at") != nil {
		return nil
	}
	c.Fields.Add(
		&core.DateField{Name: "next_followup_due_at", Help: "deadline of a follow-up owed after the first one (reply, reopen, re-route)"},
		&core.DateField{Name: "postpone_expires_at", Help: "a tertunda report is archived after this (policy postpone_max_days)"},
	)
	c.AddIndex("idx_complaints_postpone_expiry", false, "postpone_expires_at", "postpone_expires_at != ''")
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: complaint deadlines: %w", err)
	}
	// Reports already tertunda get their upper bound from when they were
	// postponed, as if the rule had always been there.
	var rows []struct {
		ID     string `db:"id"`
		Paused string `db:"paused_at"`
	}
	if err := app.DB().Select("id", "paused_at").From(model.Complaints).
		Where(dbx.HashExp{"status": model.StatusTertunda}).All(&rows); err != nil {
		return fmt.Errorf("migrations: postponed complaints: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	cal, err := sla.CalendarFor(app)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := sla.PolicyFor(app)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for _, r := range rows {
		paused, err := types.ParseDateTime(r.Paused)
		if err != nil || paused.IsZero() {
			continue
		}
		exp, _ := types.ParseDateTime(cal.AddWorkingDays(paused.Time(), p.PostponeMaxDays).UTC())
		if _, err := app.DB().Update(model.Complaints, dbx.Params{"postpone_expires_at": exp.String()},
			dbx.HashExp{"id": r.ID}).Execute(); err != nil {
			return fmt.Errorf("migrations: postpone expiry of %s: %w", r.ID, err)
		}
	}
	return nil
}

func caseDeadlinesDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return err
	}
	c.RemoveIndex("idx_complaints_postpone_expiry")
	c.Fields.RemoveByName("next_followup_due_at")
	c.Fields.RemoveByName("postpone_expires_at")
	return app.Save(c)
}
