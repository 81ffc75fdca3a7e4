package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/platform/clock"
	"simpul/hooks/stats"
)

func init() {
	m.Register(statsStoreV2Up, statsStoreV2Down, "1763866000_stats_store_v2.go")
}

// statsStoreV2Up brings the statistics store to its second format (issue
// 15, item 2; issue 11's hub target; hooks/stats/store.go): each cell of
// stats_n also counts its open reports whose deadline passed before a due
// mark (the start of the current day), so a query reads only the reports
// whose deadline lies between the mark and now instead of every overdue
// report (271,029 on the 5,000,000-case hub); and the delay histogram
// keeps a row per hour with ten counters of tenths (stats_t) instead of a
// row per tenth (stats_r), about a tenth of the rows a month's cells took,
// its category, type and gender rows kept for every unit at once as well as
// per unit.
// No rebuild: the new column starts at zero with no mark, stats_t is summed
// from stats_r, and the mark is then moved to today, counting the reports
// already overdue once, from idx_complaints_overdue (11 s on the
// 5,000,000-case hub, docs/benchmarks.md).
func statsStoreV2Up(app core.App) error { return stats.Upgrade(app, clock.Now(app)) }

// statsStoreV2Down drops the store: the previous version reads the
// complaints when there is none, and its "simpul stats rebuild" makes it
// again in its own format.
func statsStoreV2Down(app core.App) error { return stats.Uninstall(app) }
