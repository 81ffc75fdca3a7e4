// Package appcmd holds what Simpul's CLI commands share: every command
// works on a fresh data directory, so each one bootstraps the app and runs
// the migrations before it touches a collection.
package appcmd

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Migrate bootstraps app when needed and runs every pending migration.
func Migrate(app core.App) error {
	if !app.IsBootstrapped() {
		if err := app.Bootstrap(); err != nil {
			return fmt.Errorf("bootstrap: %w", err)
		}
	}
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
