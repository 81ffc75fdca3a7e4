package lapor

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
)

// LedgerKey is the sync_state row that says this node's ledger
// (lapor_reports) knows what LAPOR! holds of every complaint it held when
// its row was made. A new database has none: a new office and a hub
// rebuilt after it lost its disk look the same, and the rebuilt one's
// complaints come back from its children (docs/sync-protocol.md §8) with
// reports, follow-ups and closings the lost ledger had delivered. Written
// by ConfirmLedger ("simpul sync lapor-ready") and, for a database that
// already held complaints, by the migration 1763845000_lapor_ledger.go.
const LedgerKey = "lapor_ledger"

// Keys of the "sync" event the adapter writes after LAPOR! confirmed later
// calls: the uids of the follow-ups it confirmed in that round and the
// status it was last told. The event travels down the tree like the one
// carrying LAPOR!'s id, so a hub refilled from its children gets back what
// its lost ledger had delivered (evidence) and does not send it again.
const (
	sentFollowupsKey = "lapor_followups"
	sentStatusKey    = "lapor_status"
)

// waitingNote is the row's last_error while it waits for the ledger.
const waitingNote = "waiting for simpul sync lapor-ready: this office's LAPOR! ledger is new " +
	"(a new office, or one refilled from its children)"

// LedgerKnown reports whether this node knows what LAPOR! holds of the
// complaints whose rows it makes: once LedgerKey is set. Nothing else can
// tell: a hub rebuilt after it lost its disk is a new database without
// child offices until its operator registers them again, and a pull made
// then would take in again the reports LAPOR! disposed to it that its
// children bring back.
func LedgerKnown(app core.App) (bool, error) {
	var n int
	err := app.DB().Select("count(*)").From(model.SyncState).Where(dbx.HashExp{"key": LedgerKey}).Row(&n)
	if err != nil {
		return false, fmt.Errorf("lapor: ledger: %w", err)
	}
	return n > 0, nil
}

// ConfirmLedger records that the children have resent (or that this is a
// new office, whose cases never reached LAPOR! through a lost one): the rows that
// waited are due on the next pass, where each takes what LAPOR! holds from
// the evidence its timeline carries and looks its report up before
// creating it. It returns how many rows waited.
func ConfirmLedger(app core.App) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		now := dt(clock.Now(tx))
		if _, err := tx.DB().NewQuery(`INSERT INTO sync_state (id, key, value, created, updated)
			VALUES ({:id}, {:k}, {:v}, {:now}, {:now}) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated = excluded.updated`).
			Bind(dbx.Params{"id": model.NewID(), "k": LedgerKey, "v": `{"by":"operator"}`, "now": now}).Execute(); err != nil {
			return fmt.Errorf("lapor: confirm ledger: %w", err)
		}
		res, err := tx.DB().NewQuery(`UPDATE ` + Reports + ` SET state = {:due}, next_at = '', last_error = '', updated = {:now}
			WHERE unsure = 1 AND state = {:waiting}`).Bind(dbx.Params{"due": StateDue, "waiting": StateWaiting, "now": now}).Execute()
		if err != nil {
			return fmt.Errorf("lapor: confirm ledger: %w", err)
		}
		m, _ := res.RowsAffected()
		n = int(m)
		return nil
	})
	return n, err
}

// evidence is what the complaint's timeline says LAPOR! confirmed: the
// uids of the follow-ups it holds and the last status it was told.
func (a *Adapter) evidence(c *core.Record) (map[string]bool, string, error) {
	var rows []struct {
		Data string `db:"data"`
	}
	err := a.app.DB().Select("data").From(model.ComplaintEvents).
		Where(dbx.NewExp("complaint = {:c} AND kind = {:k} AND data LIKE '%lapor_%'", dbx.Params{"c": c.Id, "k": model.EventSync})).
		OrderBy("seq").All(&rows)
	if err != nil {
		return nil, "", fmt.Errorf("lapor: evidence: %w", err)
	}
	sent, status := map[string]bool{}, ""
	for _, r := range rows {
		var d struct {
			Followups []string `json:"lapor_followups"`
			Status    *string  `json:"lapor_status"`
		}
		if json.Unmarshal([]byte(r.Data), &d) != nil {
			continue
		}
		for _, uid := range d.Followups {
			sent[uid] = true
		}
		if d.Status != nil {
			status = *d.Status
		}
	}
	return sent, status, nil
}

// recordSent appends the evidence of what LAPOR! confirmed in this round
// (follow-up uids, the status it was told) as a non-public "sync" event
// that travels down the tree and is not queued upward.
func (a *Adapter) recordSent(c *core.Record, followups []string, status string, statusSent bool) error {
	data := map[string]any{}
	if len(followups) > 0 {
		data[sentFollowupsKey] = followups
	}
	if statusSent {
		data[sentStatusKey] = status
	}
	if len(data) == 0 {
		return nil
	}
	return a.app.RunInTransaction(func(tx core.App) error {
		_, err := events.Append(tx, c, events.Event{Kind: model.EventSync, ActorType: "node", ActorName: ParentName,
			Data: data, Origin: EventOrigin, At: clock.Now(tx), FromUpstream: true})
		if err != nil {
			return fmt.Errorf("lapor: record what LAPOR! holds: %w", err)
		}
		return nil
	})
}

// Waiting says, for the pass summary ("simpul sync run", POST
// /api/sync/run), how many reports wait for "simpul sync lapor-ready";
// empty when the ledger is known.
func (a *Adapter) Waiting() string {
	q, err := QueueOf(a.app)
	if err != nil {
		// The summary cannot say; the page and the next pass will.
		a.app.Logger().Warn("lapor: waiting", "error", err.Error())
		return ""
	}
	if !q.Unknown {
		return ""
	}
	return fmt.Sprintf("%d reports wait for simpul sync lapor-ready (a new LAPOR! ledger: a new office, or one refilled from its children): "+
		"only reports a look-up did not find are sent, no later call, no pull", q.Waiting)
}
