package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/routes"
)

// routesCommand is "simpul routes": every HTTP route the binary serves,
// one a line (METHOD, /path, who may call it), read from the same table
// the server binds (hooks/platform/routes), then PocketBase's own.
func routesCommand(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:          "routes",
		Short:        "List every HTTP route this binary serves and who may call it",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			lines, err := routes.Lines(app)
			if err != nil {
				return err
			}
			return routes.Print(cmd.OutOrStdout(), lines)
		},
	}
}
