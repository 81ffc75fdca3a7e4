// Command simpul is a complaint-intake appliance for one Indonesian office,
// built on PocketBase with the cgo SQLite driver. main only assembles the
// parts; see docs/architecture.md.
package main

import (
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/spf13/cobra"

	"simpul/hooks"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/sqlitedb"
	_ "simpul/migrations"
	"simpul/sync/upstream"
	"simpul/ui"
)

// version is stamped at build time: -ldflags "-X main.version=…".
var version = "dev"

// testClock replaces the app's clock in the binary the process tests build
// (build tag simpul_testclock, testclock.go); in every other build it does
// nothing.
var testClock = func(core.App) {}

func main() { os.Exit(run()) }

func run() int {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		// Before PocketBase: a probe must not open (and tidy) a data directory.
		hc := hooks.HealthcheckCommand()
		hc.SetArgs(os.Args[2:])
		if err := hc.Execute(); err != nil {
			return 1
		}
		return 0
	}
	cfg, err := config.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "simpul: configuration:", err)
		return 2
	}
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: sqlitedb.Connect})
	app.RootCmd.Use, app.RootCmd.Version = "simpul", version
	testClock(app)
	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{})
	hooks.Register(app, cfg)
	ui.Register(app, cfg)
	upstream.Register(app, cfg)
	app.RootCmd.AddCommand(hooks.Commands(app, cfg)...)
	app.RootCmd.AddCommand(upstream.Commands(app, cfg)...)

	// What pocketbase.Start does, but v0.39 drops a command's error (v0.40
	// returns it): record it so that a port in use, a corrupt database or a
	// failed migration ends the process with a non-zero exit.
	app.RootCmd.AddCommand(cmd.NewSuperuserCommand(app), cmd.NewServeCommand(app, true))
	var failed error
	recordErrors(app.RootCmd, &failed)
	if err := app.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "simpul:", err)
		return 1
	}
	if failed != nil {
		return 1
	}
	return 0
}

// recordErrors wraps every command's RunE so its error is kept in *failed
// (cobra has already printed it).
func recordErrors(c *cobra.Command, failed *error) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			if err != nil {
				*failed = err
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		recordErrors(sub, failed)
	}
}
