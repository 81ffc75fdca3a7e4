// Package clock is the one clock of a Simpul app. Everything that asks
// "what time is it?" for the domain (deadlines, overdue, rate limits,
// replay windows, event times, page dates) calls Now(app); tests replace
// the clock of their app with Set. The clock lives in the app's store, so
// two apps in one test binary never share it.
//
// Durations measured for logs and metrics (how long a request took) are not
// domain time and may use time.Now directly.
package clock

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

const storeKey = "simpul.clock"

// Now is the current time of app: the wall clock unless a test set another.
func Now(app core.App) time.Time {
	if app != nil {
		if f, ok := app.Store().Get(storeKey).(func() time.Time); ok && f != nil {
			return f()
		}
	}
	return time.Now()
}

// Func returns app's clock as a function, for code that is handed a clock
// (a limiter, a signer) rather than an app.
func Func(app core.App) func() time.Time {
	return func() time.Time { return Now(app) }
}

// Set replaces app's clock (tests). A nil now restores the wall clock.
func Set(app core.App, now func() time.Time) {
	if now == nil {
		app.Store().Remove(storeKey)
		return
	}
	app.Store().Set(storeKey, now)
}

// Fixed is a clock that always says t.
func Fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// From is a clock that starts at t and then runs with the wall clock, for
// tests that need both a chosen date and time that passes.
func From(t time.Time) func() time.Time {
	start := time.Now()
	return func() time.Time { return t.Add(time.Since(start)) }
}
