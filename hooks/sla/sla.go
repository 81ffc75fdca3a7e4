// Package sla gives every due date in Simpul: it builds the office's
// working-day calendar (hooks/domain/workdays) and SLA policy from the database,
// caches both per app, and drops the cache whenever an admin edits the
// office, a holiday or a policy, so the hot path never queries.
package sla

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/platform/config"
)

// Policy is the SLA in force (DESIGN.md §1 defaults: 3, 5, 10, 60).
type Policy struct {
	VerifyDays             int // working days from receipt to verification
	FollowupDays           int // working days from disposition to the first follow-up
	AutocloseDays          int // working days after the last follow-up with no reply
	CompletionCalendarDays int // calendar days from receipt to completion
}

// DefaultPolicy is used when no active policy row exists.
var DefaultPolicy = Policy{VerifyDays: 3, FollowupDays: 5, AutocloseDays: 10, CompletionCalendarDays: 60}

const storeKey = "simpul.sla"

type cached struct {
	cal    *workdays.Calendar
	policy Policy
}

// Bind drops the cached calendar and policy whenever the rows they are
// built from change (after the change commits).
func Bind(app core.App) {
	invalidate := func(e *core.RecordEvent) error {
		e.App.Store().Remove(storeKey)
		return e.Next()
	}
	for _, name := range []string{model.Offices, model.Holidays, model.SLAPolicies} {
		app.OnRecordAfterCreateSuccess(name).BindFunc(invalidate)
		app.OnRecordAfterUpdateSuccess(name).BindFunc(invalidate)
		app.OnRecordAfterDeleteSuccess(name).BindFunc(invalidate)
	}
}

// CalendarFor returns the office's working-day calendar.
func CalendarFor(app core.App) (*workdays.Calendar, error) {
	c, err := load(app)
	if err != nil {
		return nil, err
	}
	return c.cal, nil
}

// PolicyFor returns the SLA policy in force.
func PolicyFor(app core.App) (Policy, error) {
	c, err := load(app)
	if err != nil {
		return Policy{}, err
	}
	return c.policy, nil
}

// InitialDue returns the deadlines a complaint received at received starts
// with: verification (working days) and completion (calendar days).
func InitialDue(app core.App, received time.Time) (verifyDue, completionDue time.Time, err error) {
	c, err := load(app)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return c.cal.AddWorkingDays(received, c.policy.VerifyDays),
		c.cal.AddCalendarDays(received, c.policy.CompletionCalendarDays), nil
}

func load(app core.App) (*cached, error) {
	if v, ok := app.Store().Get(storeKey).(*cached); ok && v != nil {
		return v, nil
	}
	c, err := build(app)
	if err != nil {
		return nil, err
	}
	app.Store().Set(storeKey, c)
	return c, nil
}

func build(app core.App) (*cached, error) {
	tz, weekdays := config.DefaultTimeZone, []int{1, 2, 3, 4, 5}
	if office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''"); err == nil {
		if v := office.GetString("timezone"); v != "" {
			tz = v
		}
		var days []int
		if err := office.UnmarshalJSONField("working_weekdays", &days); err == nil && len(days) > 0 {
			weekdays = days
		}
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("sla: office time zone %q: %w", tz, err)
	}
	var dates []string
	if err := app.DB().Select("date").From(model.Holidays).Column(&dates); err != nil {
		return nil, fmt.Errorf("sla: holidays: %w", err)
	}
	cal, err := workdays.New(loc, weekdays, dates)
	if err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	policy := DefaultPolicy
	rec, err := app.FindFirstRecordByFilter(model.SLAPolicies, "active = true", dbx.Params{})
	if err == nil {
		policy = Policy{
			VerifyDays:             rec.GetInt("verify_days"),
			FollowupDays:           rec.GetInt("followup_days"),
			AutocloseDays:          rec.GetInt("autoclose_days"),
			CompletionCalendarDays: rec.GetInt("completion_calendar_days"),
		}
	}
	return &cached{cal: cal, policy: policy}, nil
}
