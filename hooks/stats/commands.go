package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/appcmd"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
)

// Commands returns "simpul stats rebuild" and "simpul stats check".
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "stats", Short: "The statistics store"}
	root.AddCommand(appcmd.Rebuild(app, "Rebuild the statistics store from the complaints (safe to run at any time)", Install, "", nil))
	var from, to string
	check := &cobra.Command{
		Use:   "check",
		Short: "Compare the statistics of a period from the store with a count from the complaints themselves",
		Long: "Computes the statistics of --from … --to (default: the last 12 months) twice, from the statistics store and " +
			"by reading every report of the period, and exits non-zero when they differ.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			now := clock.Now(app)
			loc := sla.Zone(app)
			q := Query{From: now.In(loc).AddDate(-1, 0, 1), To: now.In(loc)}
			for _, p := range []struct {
				s   string
				dst *time.Time
			}{{from, &q.From}, {to, &q.To}} {
				if p.s == "" {
					continue
				}
				t, err := time.ParseInLocation(time.DateOnly, p.s, loc)
				if err != nil {
					return fmt.Errorf("stats: check: %q is not YYYY-MM-DD", p.s)
				}
				*p.dst = t
			}
			t0 := time.Now()
			got, err := Compute(app, q, now)
			if err != nil {
				return err
			}
			store := time.Since(t0)
			t0 = time.Now()
			want, err := ComputeScan(app, q, now)
			if err != nil {
				return err
			}
			scan := time.Since(t0)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			fmt.Fprintf(cmd.OutOrStdout(), "{\"from\":%q,\"to\":%q,\"reports\":%d,\"store_ms\":%d,\"scan_ms\":%d,\"equal\":%v}\n",
				got.From, got.To, want.Totals.Received, store.Milliseconds(), scan.Milliseconds(), string(g) == string(w))
			if string(g) != string(w) {
				return errors.New("stats: check: the store differs from the reports; run \"simpul stats rebuild\"")
			}
			return nil
		},
	}
	check.Flags().StringVar(&from, "from", "", "first day (YYYY-MM-DD)")
	check.Flags().StringVar(&to, "to", "", "last day (YYYY-MM-DD)")
	root.AddCommand(check)
	return []*cobra.Command{root}
}
