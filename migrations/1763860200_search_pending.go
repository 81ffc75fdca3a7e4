package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/search"
)

func init() {
	m.Register(searchPendingUp, searchPendingDown, "1763860200_search_pending.go")
}

// searchPendingUp moves a new complaint's indexing out of the transaction
// that stores it (issue 15, items 1 and 6): the insert trigger now queues
// the complaint's id in search_pending, which search.CatchUp indexes every
// few seconds and before every search (hooks/search/schema.go says why).
// The index already holds every complaint: nothing is re-indexed.
func searchPendingUp(app core.App) error { return search.InstallSchema(app) }

// searchPendingDown indexes what is pending and puts back the insert
// trigger that indexed in the complaint's own transaction.
func searchPendingDown(app core.App) error {
	if _, err := search.CatchUp(app); err != nil {
		return err
	}
	for _, s := range []string{
		`DROP TRIGGER IF EXISTS search_complaint_insert`,
		`DROP TABLE IF EXISTS ` + search.PendingTable,
		`CREATE TRIGGER search_complaint_insert AFTER INSERT ON complaints BEGIN
			INSERT INTO ` + search.DocsTable + `(complaint) VALUES (new.id);
			INSERT INTO ` + search.FTSTable + `(rowid, title, body, location, followups)
				VALUES (last_insert_rowid(), new.title, new.body, new.location,
				(SELECT coalesce(group_concat(e.note, ' '), '') FROM complaint_events e WHERE e.complaint = new.id
				AND e.kind = 'followup' AND e.public AND e.note != ''));
		END`,
	} {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return err
		}
	}
	return nil
}
