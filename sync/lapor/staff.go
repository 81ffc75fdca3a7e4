package lapor

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
)

// Queue is what the sync page shows of LAPOR!'s deliveries.
type Queue struct {
	Due      int    // complaints with something to deliver
	Retrying int    // of them, waiting after an unconfirmed answer
	Held     []Held // waiting for staff, oldest first
	// Unknown: this office's ledger is not confirmed (LedgerKnown);
	// Waiting reports wait for that, with no request ("simpul sync
	// lapor-ready").
	Unknown bool
	Waiting int
}

// Held is one report staff must fix and resend (or link).
type Held struct {
	TrackingCode string
	Reason       string // HeldRefused or HeldUnconfirmed
	Error        string // why, as LAPOR! or the adapter said it
	Attempts     int
	Updated      string
}

// maxHeldShown bounds the list on the sync page.
const maxHeldShown = 100

// QueueOf returns the delivery figures and the held reports.
func QueueOf(app core.App) (Queue, error) {
	var q Queue
	var counts struct {
		Due      int `db:"due"`
		Retrying int `db:"retrying"`
		Waiting  int `db:"waiting"`
	}
	err := app.DB().NewQuery(`SELECT COALESCE(SUM(state = {:due}), 0) AS due,
		COALESCE(SUM(state = {:due} AND attempts > 0), 0) AS retrying,
		COALESCE(SUM(state = {:waiting} AND unsure = 1 AND last_error = {:note}), 0) AS waiting FROM ` + Reports).
		Bind(dbx.Params{"due": StateDue, "waiting": StateWaiting, "note": waitingNote}).One(&counts)
	if err != nil {
		return q, fmt.Errorf("lapor: queue: %w", err)
	}
	q.Due, q.Retrying, q.Waiting = counts.Due, counts.Retrying, counts.Waiting
	known, err := LedgerKnown(app)
	if err != nil {
		return q, err
	}
	q.Unknown = !known
	var rows []struct {
		Code     string `db:"tracking_code"`
		Reason   string `db:"held_reason"`
		Error    string `db:"last_error"`
		Attempts int    `db:"attempts"`
		Updated  string `db:"updated"`
	}
	err = app.DB().NewQuery(`SELECT c.tracking_code, r.held_reason, r.last_error, r.attempts, r.updated
		FROM ` + Reports + ` r JOIN complaints c ON c.id = r.complaint WHERE r.state = {:held}
		ORDER BY r.updated LIMIT {:n}`).Bind(dbx.Params{"held": StateHeld, "n": maxHeldShown}).All(&rows)
	if err != nil {
		return q, fmt.Errorf("lapor: held reports: %w", err)
	}
	for _, r := range rows {
		q.Held = append(q.Held, Held{TrackingCode: r.Code, Reason: r.Reason, Error: r.Error, Attempts: r.Attempts, Updated: r.Updated})
	}
	return q, nil
}

// ErrNotHeld is returned by Resend and Link for a report that is not
// waiting for staff.
var ErrNotHeld = errors.New("lapor: the report is not held")

// heldRow finds the held row of the complaint with tracking code code.
func heldRow(app core.App, code string) (*core.Record, *core.Record, error) {
	norm, err := trackcode.Normalize(code)
	if err != nil {
		return nil, nil, ErrNotHeld
	}
	c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", norm)
	if err != nil {
		return nil, nil, ErrNotHeld
	}
	r, err := app.FindFirstRecordByData(Reports, "complaint", c.Id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && r.GetString("state") != StateHeld) {
		return nil, nil, ErrNotHeld
	}
	if err != nil {
		return nil, nil, fmt.Errorf("lapor: report row: %w", err)
	}
	return r, c, nil
}

// Resend puts a held report back in the queue after staff fixed what was
// wrong (the category's topic, the mapping, the report itself): it is sent
// on the next pass. For a report held as unconfirmed, staff have checked
// that LAPOR! does not have it: it is created again without a look-up.
func Resend(app core.App, code string) error {
	r, _, err := heldRow(app, code)
	if err != nil {
		return err
	}
	requeue(r)
	return app.Save(r)
}

// requeue makes a held report's row due on the next pass, with a fresh
// count of attempts, as if never tried.
func requeue(r *core.Record) {
	r.Set("state", StateDue)
	r.Set("held_reason", "")
	r.Set("create_tried", false)
	r.Set("attempts", 0)
	r.Set("next_at", "")
}

// Link records the tracking id staff found on LAPOR! for a held report
// (one sent whose answer was lost): the report is not sent again; its
// follow-ups and status follow on the next pass, and the id travels down
// to the office of origin.
func Link(app core.App, code, laporID string) error {
	laporID = strings.TrimSpace(laporID)
	if laporID == "" || len(laporID) > maxIDLen || strings.ContainsAny(laporID, " \t\r\n") {
		return fmt.Errorf("lapor: a LAPOR! tracking id is 1 to %d characters without spaces", maxIDLen)
	}
	r, c, err := heldRow(app, code)
	if err != nil {
		return err
	}
	if c.GetString("lapor_tracking_id") != "" && c.GetString("lapor_tracking_id") != laporID {
		return fmt.Errorf("lapor: the report already has LAPOR! id %s", c.GetString("lapor_tracking_id"))
	}
	return app.RunInTransaction(func(tx core.App) error {
		if err := recordID(tx, c, laporID); err != nil {
			return err
		}
		r.Set("lapor_id", laporID)
		requeue(r)
		return tx.Save(r)
	})
}
