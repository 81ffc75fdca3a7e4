package appcmd

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Rebuild returns the "rebuild" command of a store derived from the
// complaints (the search index, the statistics store): it migrates, runs
// install in one transaction (install creates the store's triggers too, so
// a bulk load that left them paused is mended), and prints a JSON line with
// the seconds it took and, when count is set, what count reports under
// countKey. Safe to run at any time: the store is rebuilt from the
// complaints, which it never changes.
func Rebuild(app core.App, short string, install func(core.App) error, countKey string, count func(core.App) (int, error)) *cobra.Command {
	return &cobra.Command{
		Use:          "rebuild",
		Short:        short,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := Migrate(app); err != nil {
				return err
			}
			start := time.Now()
			if err := app.RunInTransaction(install); err != nil {
				return err
			}
			out := map[string]any{}
			if count != nil {
				n, err := count(app)
				if err != nil {
					return err
				}
				out[countKey] = n
			}
			out["seconds"] = math.Round(time.Since(start).Seconds()*10) / 10
			b, err := json.Marshal(out)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
			return err
		},
	}
}
