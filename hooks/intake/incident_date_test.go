package intake_test

import (
	"errors"
	"testing"
	"time"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// "The date is in the future" is decided by the office's calendar day, not
// UTC's: at 01:30 on 3 March in Jayapura (16:30 UTC on 2 March) an incident
// of 3 March happened today and is taken; 4 March is refused.
func TestIncidentDateFollowsTheOfficeDay(t *testing.T) {
	app := testkit.New(t)
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("timezone", "Asia/Jayapura")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	clock.Set(app, func() time.Time { return time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC) })
	for _, c := range []struct {
		date   string
		future bool
	}{{"2026-03-02", false}, {"2026-03-03", false}, {"2026-03-04", true}} {
		req := goodRequest("Jalan rusak di depan pasar " + c.date)
		req.IncidentDate = c.date
		_, err := intake.Submit(app, req)
		var refused *intake.Error
		switch {
		case !c.future && err != nil:
			t.Errorf("incident on %s refused at 01:30 on 3 March in Jayapura: %v", c.date, err)
		case c.future && (!errors.As(err, &refused) || refused.Status != 400):
			t.Errorf("incident on %s (tomorrow in Jayapura) answered %v, want a 400", c.date, err)
		}
	}
}
