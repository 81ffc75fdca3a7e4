// Package apply writes changes that arrived over sync (a child's push on a
// hub, a parent's pull on a node) into the local database: the event keeps
// its globally unique uid, so each is applied exactly once; the case's
// state is written in one place (ApplyState) once the caller has decided,
// by the authority rules of docs/sync-protocol.md §6, that it wins.
package apply

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

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

// Event appends the wire event pe to complaint's timeline under its own
// uid. The case's state is applied separately (ApplyState): an event
// never moves a status by itself.
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
	// SP4N-LAPOR!'s tracking id, recorded at the top of the tree
	// (sync/lapor), travels on this event: a "sync" event when our report
	// reached LAPOR!, the "created" event of a report LAPOR! disposed to
	// the top office. Every level it reaches keeps it, so the office of
	// origin shows it on the tracking page and a refilled top office
	// learns it back instead of reporting the case again.
	if tid, _ := data[laporIDKey].(string); (pe.Kind == model.EventSync || pe.Kind == model.EventCreated) && tid != "" {
		if _, err := a.tx.DB().NewQuery(`UPDATE complaints SET lapor_tracking_id = {:t}
			WHERE id = {:id} AND lapor_tracking_id = ''`).Bind(dbx.Params{"t": tid, "id": complaint.Id}).Execute(); err != nil {
			return fmt.Errorf("apply: LAPOR! id: %w", err)
		}
		complaint.Set("lapor_tracking_id", tid)
	}
	return nil
}

// laporIDKey is the key of SP4N-LAPOR!'s tracking id in a "sync" event's
// data (sync/lapor.TrackingIDKey; the complaints field of the same name).
const laporIDKey = "lapor_tracking_id"

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
