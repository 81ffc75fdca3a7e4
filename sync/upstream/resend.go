package upstream

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
)

// ResendAll queues every event of every case this node holds for the
// parent again, in timeline order, and forgets what the parent had
// acknowledged of each case, so the next pass sends each case whole with
// its events and current state, and pulls the parent's feed from its start
// (docs/sync-protocol.md §8): a parent that
// lost its disk is refilled from its children. It is idempotent on the
// parent, which applies each event uid once. It returns the number of
// events queued.
func ResendAll(app core.App, now time.Time) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery("DELETE FROM " + model.SyncOutbox).Execute(); err != nil {
			return fmt.Errorf("upstream: resend: clear outbox: %w", err)
		}
		if _, err := tx.DB().NewQuery("UPDATE complaints SET parent_rev = 0, hub_tracking_id = ''").Execute(); err != nil {
			return fmt.Errorf("upstream: resend: %w", err)
		}
		// The refilled parent's feed starts again: pull it from the start
		// (events already here are skipped by uid).
		if err := setState(tx, stateCursor, 0); err != nil {
			return err
		}
		var rows []struct {
			UID       string `db:"uid"`
			Complaint string `db:"complaint"`
		}
		if err := tx.DB().NewQuery("SELECT uid, complaint FROM complaint_events ORDER BY rowid").All(&rows); err != nil {
			return fmt.Errorf("upstream: resend: events: %w", err)
		}
		w, err := outbox.NewWriter(tx, nil)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := w.Enqueue(outbox.KindEvent, r.UID, r.Complaint, now); err != nil {
				return err
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}

// resendCommand is "simpul sync resend --all".
func resendCommand(app core.App) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:          "resend --all",
		Short:        "Queue every case again for the parent (to refill a parent that lost its data), then run \"sync run\"",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !all {
				return fmt.Errorf("upstream: resend needs --all (every case is sent again)")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			n, err := ResendAll(app, clock.Now(app))
			if err != nil {
				return err
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]int{"queued": n})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "send every case again")
	return cmd
}
