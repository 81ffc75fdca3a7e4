package hooks

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/events"
)

// auditCommand is "simpul audit verify".
func auditCommand(app core.App) *cobra.Command {
	audit := &cobra.Command{Use: "audit", Short: "Check the tamper-evident complaint timeline"}
	audit.AddCommand(&cobra.Command{
		Use:          "verify",
		Short:        "Verify every complaint's event hash chain; exits non-zero at the first broken row",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			res, err := events.Verify(app)
			var brk *events.Break
			if errors.As(err, &brk) {
				return fmt.Errorf("audit: chain broken: %w", brk)
			}
			if err != nil {
				return err
			}
			out, _ := json.Marshal(map[string]any{"ok": true, "complaints": res.Complaints, "events": res.Events})
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			return nil
		},
	})
	return audit
}
