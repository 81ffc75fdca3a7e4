// Package budget shares out the memory a small server can give to the
// requests whose cost is more than a page (today: exports). Each such request takes its (measured, bounded) share
// before it starts and gives it back when it ends; a request whose share
// does not fit in what is left is refused at once with a clear message
// (503 and Retry-After), never answered by the kernel's OOM killer, which
// would take the whole office offline (issue 15, item 3).
//
// The budget is the process's soft memory limit (GOMEMLIMIT, as Go's
// runtime reads it) less Reserve, the memory the appliance needs anyway
// (idle, intake, staff pages); without GOMEMLIMIT it is Default.
package budget

import (
	"math"
	"net/http"
	"runtime/debug"
	"sync"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// MiB is a mebibyte.
const MiB = 1 << 20

const (
	// Reserve is what the appliance keeps for itself: idle memory (~30 MB),
	// intake under load and the staff pages.
	Reserve = 64 * MiB
	// Default is the budget without GOMEMLIMIT: what a 256 MB server can
	// spare after Reserve.
	Default = 136 * MiB
	// Min is the smallest budget: one export always fits.
	Min = 16 * MiB
)

// Export is the share of one export (CSV or XLSX, staff or open data):
// a streamed export holds a bounded amount whatever the period; measured
// at 1,000,000 complaints with a margin (docs/benchmarks.md).
const Export = 12 * MiB

// Budget is one process's budget.
type Budget struct {
	mu          sync.Mutex
	limit, used int64
}

// New is a budget of limit bytes.
func New(limit int64) *Budget { return &Budget{limit: max(limit, Min)} }

// FromRuntime is the budget the runtime's memory limit allows.
func FromRuntime() *Budget {
	limit := debug.SetMemoryLimit(-1) // reads it
	if limit <= 0 || limit == math.MaxInt64 {
		return New(Default)
	}
	return New(limit - Reserve)
}

const storeKey = "simpul.budget"

// For is app's budget (made from the runtime's limit on first use).
func For(app core.App) *Budget {
	return app.Store().GetOrSet(storeKey, func() any { return FromRuntime() }).(*Budget)
}

// Set replaces app's budget (tests).
func Set(app core.App, b *Budget) { app.Store().Set(storeKey, b) }

// Take reserves cost bytes. ok is false when they do not fit; otherwise
// release gives them back (call it once, when the request ends).
func (b *Budget) Take(cost int64) (release func(), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+cost > b.limit {
		return nil, false
	}
	b.used += cost
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.used -= cost
			b.mu.Unlock()
		})
	}, true
}

// Used and Limit report the budget (for /metrics and tests).
func (b *Budget) Used() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Limit is the budget's size in bytes.
func (b *Budget) Limit() int64 { return b.limit }

// Busy is the message of a refusal, in Bahasa Indonesia and English.
const Busy = "Server sedang menyiapkan unduhan atau laporan lain dan memorinya terbatas; coba lagi dalam beberapa detik. — " +
	"The server is preparing other downloads or reports and its memory is limited; try again in a few seconds."

// RetryAfterSeconds is how long a refused client is told to wait.
const RetryAfterSeconds = "10"

// Request takes cost from app's budget for the request e. When it does not
// fit it answers e with 503, Retry-After and Busy, and returns a nil
// release with the error to return from the handler.
func Request(app core.App, e *core.RequestEvent, cost int64) (release func(), err error) {
	release, ok := For(app).Take(cost)
	if !ok {
		e.Response.Header().Set("Retry-After", RetryAfterSeconds)
		return nil, router.NewApiError(http.StatusServiceUnavailable, Busy, nil)
	}
	return release, nil
}
