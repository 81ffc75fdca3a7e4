package events

import (
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// ErrAppendOnly is returned for any attempt to change or delete an event.
var ErrAppendOnly = errors.New("events: the complaint timeline is append-only")

// Break describes the first broken link found by Verify.
type Break struct {
	TrackingCode string
	EventID      string
	Seq          int
	Problem      string
}

func (b *Break) Error() string {
	return fmt.Sprintf("complaint %s: event %s (seq %d): %s", b.TrackingCode, b.EventID, b.Seq, b.Problem)
}

// VerifyResult counts what Verify checked.
type VerifyResult struct {
	Complaints int `json:"complaints"`
	Events     int `json:"events"`
}

// Verify walks every complaint's chain in order and returns the first
// broken link as a *Break error: a recomputed hash that differs (an edited
// row), a prev_hash that does not match the row before (a deleted or
// inserted row), or a gap in the sequence.
func Verify(app core.App) (VerifyResult, error) {
	var res VerifyResult
	var complaints []struct {
		ID   string `db:"id"`
		Code string `db:"tracking_code"`
	}
	if err := app.DB().Select("id", "tracking_code").From(model.Complaints).OrderBy("created", "id").All(&complaints); err != nil {
		return res, fmt.Errorf("events: list complaints: %w", err)
	}
	for _, c := range complaints {
		res.Complaints++
		evs, err := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": c.ID})
		if err != nil {
			return res, fmt.Errorf("events: list events of %s: %w", c.Code, err)
		}
		prev := ""
		for i, ev := range evs {
			res.Events++
			brk := func(problem string) error {
				return &Break{TrackingCode: c.Code, EventID: ev.Id, Seq: ev.GetInt("seq"), Problem: problem}
			}
			if ev.GetInt("seq") != i+1 {
				return res, brk(fmt.Sprintf("sequence gap: expected seq %d", i+1))
			}
			if ev.GetString("prev_hash") != prev {
				return res, brk("prev_hash does not match the previous event (a row was removed or inserted)")
			}
			h, err := Hash(ev)
			if err != nil {
				return res, brk(err.Error())
			}
			if h != ev.GetString("hash") {
				return res, brk("content does not match its hash (the row was changed)")
			}
			prev = h
		}
	}
	return res, nil
}

// BindGuards refuses updates and deletes of timeline rows on every save
// path (API, admin UI, Go code).
func BindGuards(app core.App) {
	refuse := func(e *core.RecordEvent) error { return ErrAppendOnly }
	app.OnRecordUpdate(model.ComplaintEvents).BindFunc(refuse)
	app.OnRecordDelete(model.ComplaintEvents).BindFunc(refuse)
}
