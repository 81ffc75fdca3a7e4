package migrations

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(laporLedgerUp, laporLedgerDown, "1763845000_lapor_ledger.go")
}

// The timestamp follows 1763843000_lapor_reports.go, whose collection it
// changes (the network range 176383xxxx sorts before it).
//
// laporLedgerUp adds lapor_reports.unsure — the adapter does not know what
// LAPOR! holds of this complaint (its row was made on a node that may have
// been refilled from its children, or for a complaint that arrived with a
// LAPOR! id but no row) — and marks the ledger of a database that already
// holds complaints as known: an upgraded office keeps delivering as it did.
// A new database (a new office, or a hub rebuilt after it lost its disk:
// the two cannot be told apart) starts without the mark; sync/lapor says
// what that means (docs/lapor-adapter.md §5).
func laporLedgerUp(app core.App) error {
	r, err := app.FindCollectionByNameOrId("lapor_reports")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if r.Fields.GetByName("unsure") == nil {
		r.Fields.Add(&core.BoolField{Name: "unsure", Help: "what LAPOR! holds of this complaint is not known here: look up before creating, later calls wait for the ledger"})
		if err := app.Save(r); err != nil {
			return fmt.Errorf("migrations: lapor_reports.unsure: %w", err)
		}
	}
	var n int
	if err := app.DB().Select("count(*)").From(model.Complaints).Row(&n); err != nil {
		return fmt.Errorf("migrations: lapor ledger: %w", err)
	}
	if n == 0 {
		return nil
	}
	now := types.NowDateTime().String()
	_, err = app.DB().NewQuery(`INSERT INTO sync_state (id, key, value, created, updated)
		VALUES ({:id}, 'lapor_ledger', '{"by":"upgrade"}', {:now}, {:now}) ON CONFLICT(key) DO NOTHING`).
		Bind(dbx.Params{"id": model.NewID(), "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("migrations: lapor ledger: %w", err)
	}
	return nil
}

func laporLedgerDown(app core.App) error {
	if _, err := app.DB().NewQuery(`DELETE FROM sync_state WHERE key = 'lapor_ledger'`).Execute(); err != nil {
		return err
	}
	r, err := app.FindCollectionByNameOrId("lapor_reports")
	if err != nil {
		return err
	}
	r.Fields.RemoveByName("unsure")
	return app.Save(r)
}
