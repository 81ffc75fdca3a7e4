package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/stats"
)

func init() {
	m.Register(statsStoreUp, statsStoreDown, "1763860100_stats.go")
}

// statsStoreUp creates the statistics store (hooks/stats/store.go: cells
// and histograms kept by triggers on complaints) and fills it from the
// complaints already stored: a one-off cost on an existing office, about
// 10 s per 1,000,000 complaints on a 2-core server.
func statsStoreUp(app core.App) error { return stats.Install(app) }

func statsStoreDown(app core.App) error { return stats.Uninstall(app) }
