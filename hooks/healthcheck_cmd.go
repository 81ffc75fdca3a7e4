package hooks

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// HealthcheckCommand is "simpul healthcheck": a container health check that
// needs no curl in the image. It exits non-zero unless /api/health answers
// 200 within the timeout.
//
// main runs it before PocketBase is built: opening a data directory clears
// its .pb_temp_to_delete, where a running backup or restore is staged, and
// a probe every 30 seconds must never do that (nor cost a database open).
func HealthcheckCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	c := &cobra.Command{
		Use:          "healthcheck",
		Short:        "Exit 0 when the running appliance answers /api/health with 200",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("healthcheck: %w", err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("healthcheck: %s answered %d", url, res.StatusCode)
			}
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", "http://127.0.0.1:8090/api/health", "health endpoint")
	c.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait")
	return c
}
