// Package apply writes changes that arrived over sync (a child's push on a
// hub, a parent's pull on a node) into the local database: the event keeps
// its globally unique uid, so each is applied exactly once, and the status
// moves in one place (Status) so the authority rules of
// docs/sync-protocol.md §6 are enforced the same way on both sides.
package apply

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/sync/protocol"
)

// Authority values of complaints.authority.
const (
	AuthorityLocal    = "local"
	AuthorityUpstream = "upstream"
)

// Options says how an incoming event is applied.
type Options struct {
	// FromUpstream marks an event pulled from the parent: it is not queued
	// in the outbox again (it would bounce back up).
	FromUpstream bool
	// MoveStatus applies a transition's "to" status to the complaint.
	MoveStatus bool
	// Extra is merged into the event's data (e.g. the conflict marker).
	Extra map[string]any
}

// Applier applies the changes of one transaction (a pushed batch, a pulled
// page) through statements prepared once: preparing an INSERT on the
// timeline costs more than executing it. Close it before the transaction
// ends.
type Applier struct {
	tx     core.App
	events *events.Writer
	exists *dbx.Query
}

// New prepares an Applier on txApp, a transaction's app.
func New(txApp core.App) (*Applier, error) {
	ev, err := events.NewWriter(txApp, nil)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	return &Applier{tx: txApp, events: ev,
		exists: txApp.DB().NewQuery("SELECT count(*) FROM " + model.ComplaintEvents + " WHERE uid = {:u}").Prepare()}, nil
}

// Close releases the prepared statements.
func (a *Applier) Close() { a.exists.Close() }

// Exists reports whether the event uid is already on this level's timeline.
func (a *Applier) Exists(uid string) (bool, error) {
	var n int
	if err := a.exists.Bind(dbx.Params{"u": uid}).Row(&n); err != nil {
		return false, fmt.Errorf("apply: look up event: %w", err)
	}
	return n > 0, nil
}

// Event appends the wire event pe to complaint's timeline under its own uid
// and, when opts.MoveStatus is set and it is a transition, moves the
// complaint's status.
func (a *Applier) Event(complaint *core.Record, pe protocol.Event, opts Options) error {
	at, err := time.Parse(time.RFC3339Nano, pe.At)
	if err != nil {
		at = clock.Now(a.tx) // a malformed time must not make the change unappliable
	}
	var data map[string]any
	if len(pe.Data) > 0 {
		if err := json.Unmarshal(pe.Data, &data); err != nil {
			return fmt.Errorf("apply: event data: %w", err)
		}
	}
	if pe.Unit != "" || len(opts.Extra) > 0 {
		if data == nil {
			data = map[string]any{}
		}
		if pe.Unit != "" {
			data["unit_name"] = pe.Unit
		}
		for k, v := range opts.Extra {
			data[k] = v
		}
	}
	_, err = a.events.Append(complaint.Id, events.Event{
		UID: pe.UID, Kind: pe.Kind, ActorType: pe.ActorType, ActorName: pe.ActorName,
		From: pe.From, To: pe.To, Note: pe.Note, Reason: pe.Reason, Public: pe.Public,
		Data: data, Origin: pe.Origin, At: at, FromUpstream: opts.FromUpstream,
	})
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if opts.MoveStatus && pe.Kind == model.EventTransition && pe.To != "" {
		return Status(a.tx, complaint, pe.To, opts.FromUpstream)
	}
	return nil
}

// Status is THE one place where sync moves a complaint's status.
//
// It deliberately does not go through cases.Transition: that function
// checks the move against the receiver's current status, requires a local
// unit for a disposition and appends an event of its own (a new uid, queued
// in the outbox), whereas sync must mirror an event that is already on the
// timeline under its original uid (Event above) without re-queuing it, and
// must converge even when the two levels diverged (docs/sync-protocol.md
// §6). The state machine was enforced where the move was made. The update
// is a direct SQL statement so that the record-level status guard of
// hooks/cases (which admits only Transition's own saves) does not refuse
// it; the in-memory record is updated to match.
//
// SWITCH WHEN AVAILABLE: when hooks/cases exports a "mirror a move made
// elsewhere" entry point (status + SLA dates, no event), call it here.
func Status(txApp core.App, complaint *core.Record, to string, fromUpstream bool) error {
	authority := complaint.GetString("authority")
	if fromUpstream {
		// The parent acted: from now on it is authoritative for this complaint.
		authority = AuthorityUpstream
	} else if to == model.StatusBukanWewenang && complaint.GetString("origin_node") == "" {
		authority = AuthorityUpstream
	}
	if complaint.GetString("status") == to && complaint.GetString("authority") == authority {
		return nil
	}
	version := complaint.GetInt("version") + 1
	now := types.NowDateTime()
	_, err := txApp.DB().Update(model.Complaints, dbx.Params{
		"status": to, "authority": authority, "version": version, "updated": now.String(),
	}, dbx.HashExp{"id": complaint.Id}).Execute()
	if err != nil {
		return fmt.Errorf("apply: status of %s: %w", complaint.Id, err)
	}
	complaint.Set("status", to)
	complaint.Set("authority", authority)
	complaint.Set("version", version)
	complaint.Set("updated", now)
	return nil
}

// ToWire converts a saved complaint_events record to its wire form.
// unitName resolves the unit relation to text (unit ids differ per office).
func ToWire(ev *core.Record, unitName func(id string) string) protocol.Event {
	pe := protocol.Event{
		UID: ev.GetString("uid"), Kind: ev.GetString("kind"), ActorType: ev.GetString("actor_type"),
		ActorName: ev.GetString("actor_name"), From: ev.GetString("from_status"), To: ev.GetString("to_status"),
		Note: ev.GetString("note"), Reason: ev.GetString("reason"), Public: ev.GetBool("public"),
		Origin: ev.GetString("origin"), At: ev.GetString("at"),
	}
	if raw := ev.GetString("data"); raw != "" && raw != "null" && raw != "{}" {
		pe.Data = json.RawMessage(raw)
	}
	if u := ev.GetString("unit"); u != "" && unitName != nil {
		pe.Unit = unitName(u)
	}
	return pe
}

// UnitNames returns a memoised unit id → name resolver for ToWire.
func UnitNames(app core.App) func(string) string {
	cache := map[string]string{}
	return func(id string) string {
		if n, ok := cache[id]; ok {
			return n
		}
		var name string
		err := app.DB().Select("name").From(model.Units).Where(dbx.HashExp{"id": id}).Row(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return ""
		}
		cache[id] = name
		return name
	}
}
