package cases

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/sla"
)

// The re-routing moves after a follow-up (proses → terdisposisi and
// proses → bukan_wewenang) are added to the state machine by the network
// work (issue 11 item 3); what they do to the deadlines is decided here,
// so it is tested on setDeadlines itself, with a calendar holding the 2026
// holidays that matter (Good Friday 3 April, Labour Day 1 May).
func TestRerouteAfterFollowupDeadlines(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	cal, err := workdays.New(wib, []int{1, 2, 3, 4, 5}, []string{"2026-04-03", "2026-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, wib) }
	end := func(m time.Month, d int) string {
		dt, _ := types.ParseDateTime(time.Date(2026, m, d, 23, 59, 59, 0, wib).UTC())
		return dt.String()
	}
	col := core.NewBaseCollection(model.Complaints)
	col.Fields.Add(&core.TextField{Name: "status"}, &core.NumberField{Name: "paused_remaining"}, &core.AutodateField{Name: "created"})
	for _, f := range []string{"due_at", "verify_due_at", "followup_due_at", "next_followup_due_at", "autoclose_at",
		"completion_due_at", "paused_at", "postpone_expires_at", "verified_at", "disposed_at", "first_followup_at",
		"last_followup_at", "closed_at"} {
		col.Fields.Add(&core.DateField{Name: f})
	}
	p := sla.DefaultPolicy
	step := func(c *core.Record, from, to string, unitChanged bool, now time.Time) {
		c.Set("status", to)
		setDeadlines(cal, p, c, from, to, unitChanged, now)
	}
	want := func(c *core.Record, field, v string) {
		t.Helper()
		if got := c.GetString(field); got != v {
			t.Errorf("%s = %q, want %q", field, got, v)
		}
	}
	newCase := func() *core.Record {
		c := core.NewRecord(col)
		// Disposed Monday 30 March: due Tue 31, Wed 1, Thu 2, (Good
		// Friday), Mon 6, Tue 7 April; followed up Thursday 2 April.
		step(c, model.StatusBaru, model.StatusTerdisposisi, true, at(3, 30, 9))
		step(c, model.StatusTerdisposisi, model.StatusProses, false, at(4, 2, 10))
		return c
	}

	// Re-routed to another unit on Wednesday 8 April: that unit owes a
	// follow-up in five working days (Thu 9, Fri 10, Mon 13, Tue 14,
	// Wed 15); the first follow-up's figures stay; nothing auto-closes.
	c := newCase()
	want(c, "followup_due_at", end(4, 7))
	disposed, first := c.GetString("disposed_at"), c.GetString("first_followup_at")
	step(c, model.StatusProses, model.StatusTerdisposisi, true, at(4, 8, 9))
	want(c, "next_followup_due_at", end(4, 15))
	want(c, "due_at", end(4, 15))
	want(c, "followup_due_at", end(4, 7))
	want(c, "disposed_at", disposed)
	want(c, "first_followup_at", first)
	want(c, "autoclose_at", "")
	// Its follow-up on Tuesday 14 April settles what it owed.
	step(c, model.StatusTerdisposisi, model.StatusProses, false, at(4, 14, 9))
	want(c, "next_followup_due_at", "")
	want(c, "first_followup_at", first)
	want(c, "due_at", c.GetString("completion_due_at"))

	// Re-routed to the same unit: no new deadline; the completion limit
	// (60 days from 30 March: 29 May) is what runs.
	c = newCase()
	step(c, model.StatusProses, model.StatusTerdisposisi, false, at(4, 8, 9))
	want(c, "next_followup_due_at", "")
	want(c, "due_at", end(5, 29))

	// With the policy "keep", another unit does not restart either.
	p.Redispose = sla.RedisposeKeep
	c = newCase()
	step(c, model.StatusProses, model.StatusTerdisposisi, true, at(4, 8, 9))
	want(c, "next_followup_due_at", "")
	p.Redispose = sla.RedisposeOtherUnit

	// Handed up after a follow-up: closed here, no deadline runs.
	c = newCase()
	step(c, model.StatusProses, model.StatusBukanWewenang, false, at(4, 8, 9))
	want(c, "due_at", "")
	want(c, "autoclose_at", "")
	want(c, "next_followup_due_at", "")
	if c.GetString("closed_at") == "" {
		t.Error("closed_at not set on the hand-up")
	}
}
