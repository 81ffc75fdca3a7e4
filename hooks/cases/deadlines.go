package cases

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/sla"
)

// applyDeadlines sets the SLA dates for a move from → to at now (docs/architecture.md
// "Domain" and the policy rows of hooks/sla, docs/cases.md): verification runs
// from receipt, the first follow-up from disposition, auto-close from the
// last follow-up, completion in calendar days from verification (berkas
// lengkap) or receipt, as the policy says. tertunda pauses the clock: the
// working days left on the verification clock are kept, and resuming gives
// them back (and pushes a running completion limit by the calendar days
// spent paused); it also has an upper bound, after which ExpirePostponed
// archives the report. unitChanged tells whether the move sent the case to
// another unit than the one it had. due_at is always the next deadline of
// the current stage, empty when none runs.
func applyDeadlines(app core.App, c *core.Record, from, to string, unitChanged bool, now time.Time) error {
	cal, err := sla.CalendarFor(app)
	if err != nil {
		return fmt.Errorf("cases: calendar: %w", err)
	}
	policy, err := sla.PolicyFor(app)
	if err != nil {
		return fmt.Errorf("cases: policy: %w", err)
	}
	setDeadlines(cal, policy, c, from, to, unitChanged, now)
	return nil
}

// setDeadlines is applyDeadlines with the calendar and policy given.
func setDeadlines(cal *workdays.Calendar, p sla.Policy, c *core.Record, from, to string, unitChanged bool, now time.Time) {
	if from == model.StatusTertunda && to != model.StatusTertunda {
		resume(cal, c, now)
	}
	if c.GetDateTime("completion_due_at").IsZero() {
		// From receipt: set by the first move if intake did not; from
		// verification: set when the report is verified and routed.
		switch {
		case p.CompletionFrom == sla.CompletionFromReceived:
			received := c.GetDateTime("created").Time()
			if received.IsZero() {
				received = now
			}
			setTime(c, "completion_due_at", cal.AddCalendarDays(received, p.CompletionCalendarDays))
		case to == model.StatusTerdisposisi:
			setTime(c, "completion_due_at", cal.AddCalendarDays(now, p.CompletionCalendarDays))
		}
	}
	switch to {
	case model.StatusBaru:
		if from != model.StatusTertunda {
			// Restored from the archive or taken back from the parent:
			// verification starts again.
			setTime(c, "verify_due_at", cal.AddWorkingDays(now, p.VerifyDays))
		}
		c.Set("closed_at", "")
	case model.StatusTertunda:
		left := p.VerifyDays
		if due := c.GetDateTime("verify_due_at"); !due.IsZero() {
			left = cal.WorkingDaysBetween(now, due.Time())
		}
		c.Set("paused_remaining", left)
		setTime(c, "paused_at", now)
		setTime(c, "postpone_expires_at", cal.AddWorkingDays(now, p.PostponeMaxDays))
	case model.StatusTerdisposisi:
		if c.GetDateTime("verified_at").IsZero() {
			setTime(c, "verified_at", now)
		}
		dispose(cal, p, c, from, unitChanged, now)
		c.Set("autoclose_at", "")
	case model.StatusProses:
		if from == model.StatusSelesai {
			// Reopened: staff owe a new follow-up; nothing auto-closes
			// until they post one.
			c.Set("closed_at", "")
			c.Set("autoclose_at", "")
			setTime(c, "next_followup_due_at", cal.AddWorkingDays(now, p.ReopenFollowupDays))
		} else {
			markFollowup(cal, p, c, now)
		}
	case model.StatusSelesai:
		setTime(c, "closed_at", now)
		c.Set("autoclose_at", "")
		c.Set("next_followup_due_at", "")
	case model.StatusDiarsipkan, model.StatusBukanWewenang:
		if c.GetDateTime("verified_at").IsZero() {
			setTime(c, "verified_at", now)
		}
		setTime(c, "closed_at", now)
		c.Set("autoclose_at", "")
		c.Set("next_followup_due_at", "")
	}
	if to != model.StatusTertunda {
		c.Set("postpone_expires_at", "")
	}
	setDue(c, to)
}

// dispose sets the follow-up deadline of a move to terdisposisi. The first
// disposition (from verification) starts it. A re-disposition, or a
// re-route after a follow-up, restarts it only for another unit and only
// when the policy says so (sla.RedisposeOtherUnit): re-disposing to the
// same unit is not a new disposition, so the "within deadline" figure
// cannot be reset by it. Before the first follow-up the deadline is
// followup_due_at (and disposed_at moves with it); after one, the follow-up
// the new unit owes is next_followup_due_at, so the first follow-up's
// figures stay as they were.
func dispose(cal *workdays.Calendar, p sla.Policy, c *core.Record, from string, unitChanged bool, now time.Time) {
	first := from != model.StatusTerdisposisi && from != model.StatusProses
	if !first && !(unitChanged && p.Redispose == sla.RedisposeOtherUnit) {
		return
	}
	due := cal.AddWorkingDays(now, p.FollowupDays)
	if c.GetDateTime("first_followup_at").IsZero() {
		setTime(c, "disposed_at", now)
		setTime(c, "followup_due_at", due)
		return
	}
	setTime(c, "next_followup_due_at", due)
}

// markFollowup records a follow-up at now, settles a follow-up that was
// owed and restarts the auto-close clock.
func markFollowup(cal *workdays.Calendar, p sla.Policy, c *core.Record, now time.Time) {
	if c.GetDateTime("first_followup_at").IsZero() {
		setTime(c, "first_followup_at", now)
	}
	setTime(c, "last_followup_at", now)
	setTime(c, "autoclose_at", cal.AddWorkingDays(now, p.AutocloseDays))
	c.Set("next_followup_due_at", "")
}

// oweFollowup records that the reporter answered a follow-up at now: staff
// owe the next one within the policy's reopen_followup_days, unless one is
// owed already (a second answer does not push the deadline out).
func oweFollowup(cal *workdays.Calendar, p sla.Policy, c *core.Record, now time.Time) {
	c.Set("autoclose_at", "")
	if c.GetDateTime("next_followup_due_at").IsZero() {
		setTime(c, "next_followup_due_at", cal.AddWorkingDays(now, p.ReopenFollowupDays))
	}
	setDue(c, c.GetString("status"))
}

// resume gives the paused verification clock its remaining working days
// back and moves a running completion limit by the calendar days spent
// paused.
func resume(cal *workdays.Calendar, c *core.Record, now time.Time) {
	paused := c.GetDateTime("paused_at").Time()
	setTime(c, "verify_due_at", cal.AddWorkingDays(now, c.GetInt("paused_remaining")))
	if !paused.IsZero() {
		if done := c.GetDateTime("completion_due_at"); !done.IsZero() {
			setTime(c, "completion_due_at", cal.AddCalendarDays(done.Time(), calendarDaysBetween(cal.Location(), paused, now)))
		}
	}
	c.Set("paused_at", "")
	c.Set("paused_remaining", 0)
}

// setDue sets due_at to the next deadline of status.
func setDue(c *core.Record, status string) {
	completion := c.GetDateTime("completion_due_at").Time()
	var due time.Time
	switch status {
	case model.StatusBaru:
		due = earliest(c.GetDateTime("verify_due_at").Time(), completion)
	case model.StatusTerdisposisi:
		owed := c.GetDateTime("followup_due_at").Time()
		if !c.GetDateTime("first_followup_at").IsZero() {
			owed = c.GetDateTime("next_followup_due_at").Time()
		}
		due = earliest(owed, completion)
	case model.StatusProses:
		due = earliest(c.GetDateTime("next_followup_due_at").Time(), completion)
	}
	if due.IsZero() {
		c.Set("due_at", "")
		return
	}
	setTime(c, "due_at", due)
}

func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

func setTime(c *core.Record, field string, t time.Time) {
	dt, _ := types.ParseDateTime(t.UTC())
	c.Set(field, dt)
}

// calendarDaysBetween counts local calendar days from a's day to b's day.
func calendarDaysBetween(loc *time.Location, a, b time.Time) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	da := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	db := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	n := int(db.Sub(da).Hours() / 24)
	if n < 0 {
		return 0
	}
	return n
}
