package migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

const idLaporReports = "simpul_lapor_reports"

func init() {
	m.Register(laporReportsUp, laporReportsDown, "1763843000_lapor_reports.go")
}

// laporReportsUp adds what the LAPOR! adapter keeps per complaint
// (sync/lapor: what LAPOR! has of the case, what is due, what waits for
// staff), the "lapor" channel of reports pulled from LAPOR!'s data access,
// and an index to find a complaint by its LAPOR! tracking id.
func laporReportsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if ch, ok := c.Fields.GetByName("channel").(*core.SelectField); ok && !slices.Contains(ch.Values, model.ChannelLapor) {
		ch.Values = append(ch.Values, model.ChannelLapor)
	}
	c.AddIndex("idx_complaints_lapor_id", false, "lapor_tracking_id", "lapor_tracking_id != ''")
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: complaints for LAPOR!: %w", err)
	}
	if _, err := app.FindCollectionByNameOrId("lapor_reports"); err == nil {
		return nil
	}
	r := core.NewBaseCollection("lapor_reports", idLaporReports)
	// No API rules: superusers only. Staff see the held reports on
	// /staf/sinkron.
	r.Fields.Add(
		&core.RelationField{Name: "complaint", CollectionId: c.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		&core.TextField{Name: "lapor_id", Max: 64},
		&core.SelectField{Name: "state", Required: true, MaxSelect: 1, Values: []string{"waiting", "due", "held"}},
		&core.SelectField{Name: "held_reason", MaxSelect: 1, Values: []string{"refused", "unconfirmed"}},
		&core.BoolField{Name: "create_tried", Help: "a report was sent whose answer did not confirm it: look it up before sending again"},
		&core.NumberField{Name: "followup_seq", OnlyInt: true, Min: zero, Help: "timeline seq of the last follow-up LAPOR! has"},
		&core.TextField{Name: "sent_status", Max: 32, Help: "the last status LAPOR! was told"},
		&core.NumberField{Name: "attempts", OnlyInt: true, Min: zero},
		&core.DateField{Name: "next_at"},
		&core.TextField{Name: "last_error", Max: 500},
		&core.SelectField{Name: "origin", MaxSelect: 1, Values: []string{"local", "lapor"}},
	)
	r.Fields.Add(timestamps()...)
	r.AddIndex("idx_lapor_reports_complaint", true, "complaint", "")
	r.AddIndex("idx_lapor_reports_due", false, "state, next_at", "")
	if err := app.Save(r); err != nil {
		return fmt.Errorf("migrations: create lapor_reports: %w", err)
	}
	return nil
}

func laporReportsDown(app core.App) error {
	if r, err := app.FindCollectionByNameOrId("lapor_reports"); err == nil {
		if err := app.Delete(r); err != nil {
			return err
		}
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return err
	}
	c.RemoveIndex("idx_complaints_lapor_id")
	if ch, ok := c.Fields.GetByName("channel").(*core.SelectField); ok {
		ch.Values = slices.DeleteFunc(ch.Values, func(v string) bool { return v == model.ChannelLapor })
	}
	return app.Save(c)
}
