package cases

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/workdays"
	"simpul/hooks/platform/appcmd"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/sla"
)

// demoCommand is "simpul demo seed --count N" (demo_seed.go) and "simpul
// demo hub --offices N --count M" (demo_hub.go).
func demoCommand(app core.App, cfg config.Config) *cobra.Command {
	demo := &cobra.Command{Use: "demo", Short: "Demonstration data"}
	demo.AddCommand(seedCommand(app, cfg), hubCommand(app))
	return demo
}

// demoRun is the RunE of a demo command: migrate, generate with a progress
// line on stderr every `every` rows (and at the last), then print a JSON
// line: what summary returns for the n rows written, and the seconds.
func demoRun(app core.App, label, rows string, every int, count *int, generate func(progress func(done int)) (int, error),
	summary func(n int) string) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if err := appcmd.Migrate(app); err != nil {
			return err
		}
		start := time.Now()
		n, err := generate(func(done int) {
			if done%every == 0 || done == *count {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d/%d %s (%s)\n", label, done, *count, rows, time.Since(start).Round(time.Second))
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "{%s,\"seconds\":%.1f}\n", summary(n), time.Since(start).Seconds())
		return nil
	}
}

// demoStart fills the options both generators share (a zero now is the
// app's clock, a zero seed the generator's default, so runs repeat) and
// reads the office calendar and SLA policy the dates follow.
func demoStart(app core.App, now *time.Time, seed *uint64, defaultSeed uint64) (*rand.Rand, *workdays.Calendar, sla.Policy, error) {
	if now.IsZero() {
		*now = clock.Now(app)
	}
	if *seed == 0 {
		*seed = defaultSeed
	}
	rng := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	cal, err := sla.CalendarFor(app)
	if err != nil {
		return nil, nil, sla.Policy{}, err
	}
	policy, err := sla.PolicyFor(app)
	return rng, cal, policy, err
}

// inBatches calls write for count rows, batch rows per transaction, and
// reports the total after each batch; it returns how many rows committed.
func inBatches(app core.App, count, batch int, progress func(done int), write func(tx core.App, n int) error) (int, error) {
	done := 0
	for done < count {
		n := min(batch, count-done)
		if err := app.RunInTransaction(func(tx core.App) error { return write(tx, n) }); err != nil {
			return done, err
		}
		done += n
		if progress != nil {
			progress(done)
		}
	}
	return done, nil
}
