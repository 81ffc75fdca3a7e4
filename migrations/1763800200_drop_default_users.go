package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(dropDefaultUsers, nil, "1763800200_drop_default_users.go")
}

// dropDefaultUsers removes the "users" auth collection PocketBase creates on
// a fresh data directory. Simpul's people are "staff"; an unused collection
// with a public sign-up rule is a door nobody watches. A users collection
// that holds records is left alone.
func dropDefaultUsers(app core.App) error {
	c, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return nil
	}
	if n, err := app.CountRecords(c); err != nil || n > 0 {
		return err
	}
	return app.Delete(c)
}
