package cases

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/config"
)

// demoCommand is "simpul demo seed --count N" (demo_seed.go) and "simpul
// demo hub --offices N --count M" (demo_hub.go).
func demoCommand(app core.App, cfg config.Config) *cobra.Command {
	demo := &cobra.Command{Use: "demo", Short: "Demonstration data"}
	demo.AddCommand(seedCommand(app, cfg), hubCommand(app))
	return demo
}
