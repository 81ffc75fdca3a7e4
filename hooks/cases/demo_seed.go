package cases

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/config"
)

func seedCommand(app core.App, cfg config.Config) *cobra.Command {
	return &cobra.Command{Use: "seed", Short: "Generate demo complaints (not yet)", RunE: func(*cobra.Command, []string) error { return nil }}
}
