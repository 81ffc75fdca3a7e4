package cases

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// WaitNotices waits for the reporter notices sent so far (tests only).
func WaitNotices(app core.App) {
	if n := notifierFor(app); n != nil {
		n.wait()
	}
}

// BenchDeadlines exposes applyDeadlines to the benchmarks.
func BenchDeadlines(app core.App, c *core.Record, from, to string, now time.Time) {
	_ = applyDeadlines(app, c, from, to, false, now)
}

// RedactErr is redactErr, for its test.
var RedactErr = redactErr

// PINGuardSize is how many codes and addresses the PIN guard remembers
// (tests only).
func PINGuardSize(app core.App) int {
	return pinsFor(app).Len(0) + pinsFor(app).Len(1)
}
