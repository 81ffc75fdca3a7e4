// Package hooks wires Simpul's domain into a PocketBase app: the intake and
// staff routes, record hooks, scheduled jobs and CLI commands. Register is
// called on the real app in main and on every test app, so tests exercise
// the same wiring.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/cases"
	"simpul/hooks/events"
	"simpul/hooks/export"
	"simpul/hooks/intake"
	"simpul/hooks/open311"
	"simpul/hooks/ops"
	"simpul/hooks/platform/config"
	"simpul/hooks/search"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
	"simpul/hooks/stats"
	"simpul/hooks/websec"
)

// Register binds every domain hook, route and command to app.
func Register(app core.App, cfg config.Config) {
	events.BindGuards(app)
	bindCollectionGuards(app)
	sla.Bind(app)
	settings.Register(app, cfg)
	intake.Register(app, cfg)
	cases.Register(app, cfg)
	stats.Register(app)
	search.Bind(app)
	ops.Register(app, cfg)
	export.Register(app)
	open311.Register(app, cfg)
	websec.Register(app)
}

// Commands returns the domain's CLI commands for main to add to the root
// command. Each one runs the migrations first, so it works on a fresh data
// directory.
func Commands(app core.App, cfg config.Config) []*cobra.Command {
	cmds := []*cobra.Command{auditCommand(app), routesCommand(app), HealthcheckCommand()}
	cmds = append(cmds, intake.Commands(app)...)
	cmds = append(cmds, cases.Commands(app, cfg)...)
	cmds = append(cmds, open311.Commands(app)...)
	cmds = append(cmds, search.Commands(app)...)
	cmds = append(cmds, stats.Commands(app)...)
	cmds = append(cmds, settings.Commands(app)...)
	return cmds
}
