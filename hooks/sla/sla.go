// Package sla gives every due date in Simpul: it builds the office's
// working-day calendar (hooks/domain/workdays) and SLA policy from the database,
// caches both per app, and drops the cache whenever an admin edits the
// office, a holiday or a policy, so the hot path never queries.
package sla

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
)

// Policy is the SLA in force: the values of the policy rows (Rules), each
// editable by an admin. docs/cases.md explains every rule and its basis.
type Policy struct {
	VerifyDays             int // working days from receipt to verification
	FollowupDays           int // working days from disposition to the first follow-up
	AutocloseDays          int // working days after the last follow-up with no reply
	CompletionCalendarDays int // calendar days to completion, counted from CompletionFrom
	// CompletionFrom: CompletionFromVerified (berkas lengkap) or
	// CompletionFromReceived.
	CompletionFrom string
	// Redispose: RedisposeOtherUnit or RedisposeKeep.
	Redispose string
	// ReopenFollowupDays: working days for the follow-up owed after the
	// reporter answers a follow-up (or reopens a closed report).
	ReopenFollowupDays int
	// PostponeMaxDays: working days a report may stay tertunda before the
	// job archives it.
	PostponeMaxDays int
}

// DefaultPolicy is the shipped policy (the Default of every rule), used
// for a row that is missing.
var DefaultPolicy = Policy{VerifyDays: 3, FollowupDays: 5, AutocloseDays: 10, CompletionCalendarDays: 60,
	CompletionFrom: CompletionFromVerified, Redispose: RedisposeOtherUnit, ReopenFollowupDays: 5, PostponeMaxDays: 10}

const storeKey = "simpul.sla"

type cached struct {
	cal    *workdays.Calendar
	policy Policy
}

// Bind drops the cached calendar and policy whenever the rows they are
// built from change (after the change commits).
func Bind(app core.App) {
	bindValidation(app)
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

// Zone is the office's time zone, as its calendar holds it: the one answer
// for every date that is read or written as the office's local day
// (exports, statistics, Open311, LAPOR!). Should the calendar not load (a
// database error), the default zone (config.DefaultTimeZone), never the
// server's.
func Zone(app core.App) *time.Location {
	if cal, err := CalendarFor(app); err == nil && cal.Location() != nil {
		return cal.Location()
	}
	if loc, err := time.LoadLocation(config.DefaultTimeZone); err == nil {
		return loc
	}
	return time.UTC
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
// with: verification (working days) and completion (calendar days), the
// latter zero when the policy counts completion from verification.
func InitialDue(app core.App, received time.Time) (verifyDue, completionDue time.Time, err error) {
	c, err := load(app)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	verifyDue = c.cal.AddWorkingDays(received, c.policy.VerifyDays)
	if c.policy.CompletionFrom == CompletionFromReceived {
		completionDue = c.cal.AddCalendarDays(received, c.policy.CompletionCalendarDays)
	}
	return verifyDue, completionDue, nil
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
	if office, ok := settings.OfficeOf(app); ok {
		if office.TimeZone != "" {
			tz = office.TimeZone
		}
		if len(office.WorkingWeekdays) > 0 {
			weekdays = office.WorkingWeekdays
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
	policy, err := loadPolicy(app)
	if err != nil {
		return nil, err
	}
	return &cached{cal: cal, policy: policy}, nil
}

// loadPolicy reads the policy rows over DefaultPolicy. A row that is
// missing keeps its default; a row whose value does not fit its rule
// (written behind the validation hook) is an error.
func loadPolicy(app core.App) (Policy, error) {
	p := DefaultPolicy
	var rows []struct {
		Code  string `db:"code"`
		Value string `db:"value"`
	}
	if err := app.DB().Select("code", "value").From(model.SLAPolicies).All(&rows); err != nil {
		return p, fmt.Errorf("sla: policy: %w", err)
	}
	days := map[string]*int{RuleVerifyDays: &p.VerifyDays, RuleFollowupDays: &p.FollowupDays,
		RuleAutocloseDays: &p.AutocloseDays, RuleCompletionDays: &p.CompletionCalendarDays,
		RuleReopenFollowupDays: &p.ReopenFollowupDays, RulePostponeMaxDays: &p.PostponeMaxDays}
	choices := map[string]*string{RuleCompletionFrom: &p.CompletionFrom, RuleRedispose: &p.Redispose}
	for _, r := range rows {
		rule, ok := RuleFor(r.Code)
		if !ok {
			continue
		}
		v := strings.TrimSpace(r.Value)
		if err := rule.Check(v); err != nil {
			return p, fmt.Errorf("sla: policy row %s = %q: %w", r.Code, r.Value, err)
		}
		if d := days[r.Code]; d != nil {
			*d, _ = strconv.Atoi(v)
		} else if c := choices[r.Code]; c != nil {
			*c = v
		}
	}
	return p, nil
}
