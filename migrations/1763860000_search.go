package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/search"
)

func init() {
	m.Register(searchUp, searchDown, "1763860000_search.go")
}

// searchUp creates the staff search index (issue 15, item 1: SQLite FTS5
// over a complaint's title, body, location and public follow-ups, kept by
// triggers; hooks/search/schema.go) and fills it with the complaints
// already stored.
func searchUp(app core.App) error { return search.Install(app) }

func searchDown(app core.App) error { return search.Uninstall(app) }
