package hub

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/sync/apply"
	"simpul/sync/protocol"
)

// fallbackCategory receives complaints whose category code this hub does
// not know (offices may extend their trees).
const fallbackCategory = "LAIN"

func idIs(id string) dbx.Expression { return dbx.HashExp{"id": id} }

func hexKey(s string) ([]byte, error) { return protocol.KeyFromHex(s) }

// ApplyPush applies a decoded push from node in one transaction and
// returns one acknowledgement per change, in order. Each event is applied
// at most once (its uid is unique on the timeline); a re-sent uid is
// acknowledged as a duplicate. An error means nothing was applied.
func ApplyPush(app core.App, node *core.Record, req protocol.PushRequest) (protocol.PushResponse, error) {
	res := protocol.PushResponse{V: protocol.Version, Acks: make([]protocol.Ack, 0, len(req.Changes))}
	err := app.RunInTransaction(func(tx core.App) error {
		res.Acks = res.Acks[:0]
		a, err := newApplier(tx, node)
		if err != nil {
			return err
		}
		defer a.close()
		for _, ch := range req.Changes {
			ack, err := a.change(ch)
			if err != nil {
				return err
			}
			res.Acks = append(res.Acks, ack)
		}
		return nil
	})
	if err != nil {
		return protocol.PushResponse{}, fmt.Errorf("hub: apply push: %w", err)
	}
	return res, nil
}

// applier applies one push in its transaction. Its statements are
// prepared once per push, not per change: preparing an INSERT on the
// complaints table (22 indexes) costs several times executing it, and a
// push carries up to 500 changes.
type applier struct {
	tx         core.App
	node       *core.Record
	ap         *apply.Applier
	byOrigin   *dbx.Query
	codeTaken  *dbx.Query
	inbox      *dbx.Query
	insert     *dbx.Query        // the complaint INSERT, prepared on first use
	categories map[string]string // code → id
	complaints map[string]*core.Record
}

func newApplier(tx core.App, node *core.Record) (*applier, error) {
	ap, err := apply.New(tx)
	if err != nil {
		return nil, err
	}
	return &applier{tx: tx, node: node, ap: ap,
		// "origin_node != ''" repeats the partial index's condition
		// verbatim, which is what lets SQLite use idx_complaints_origin.
		byOrigin: tx.DB().NewQuery(`SELECT id FROM complaints
			WHERE origin_node = {:n} AND origin_id = {:o} AND origin_node != ''`).Prepare(),
		codeTaken: tx.DB().NewQuery("SELECT count(*) FROM complaints WHERE tracking_code = {:c}").Prepare(),
		inbox: tx.DB().NewQuery("INSERT INTO " + model.SyncInbox +
			" (id, uid, node, complaint, created) VALUES ({:id}, {:uid}, {:node}, {:complaint}, {:at})").Prepare(),
		categories: map[string]string{}, complaints: map[string]*core.Record{}}, nil
}

func (a *applier) close() {
	a.ap.Close()
	a.byOrigin.Close()
	a.codeTaken.Close()
	a.inbox.Close()
	if a.insert != nil {
		a.insert.Close()
	}
}

func (a *applier) change(ch protocol.Change) (protocol.Ack, error) {
	ack := protocol.Ack{UID: ch.Event.UID}
	comp, err := a.complaint(ch.Complaint.ID)
	if err != nil {
		return ack, err
	}
	dup, err := a.ap.Exists(ch.Event.UID)
	if err != nil {
		return ack, err
	}
	if dup {
		ack.Result = protocol.AckDup
		if comp != nil {
			ack.HubID = comp.Id
		}
		return ack, nil
	}
	if comp == nil {
		comp, err = a.create(ch.Complaint, ch.Event)
		if err != nil {
			ack.Result, ack.Error = protocol.AckRejected, err.Error()
			return ack, nil
		}
	}
	ack.HubID = comp.Id
	move := ch.Event.Kind == model.EventTransition && ch.Event.To != ""
	var extra map[string]any
	if move {
		taken, err := a.parentAuthoritative(comp)
		if err != nil {
			return ack, err
		}
		if taken {
			move = false
			extra = map[string]any{"sync_conflict": "parent_authoritative"}
		}
	}
	// Not FromUpstream: the event is queued in this hub's own outbox, so a
	// hub with a parent relays it upward.
	if err := a.ap.Event(comp, ch.Event, apply.Options{MoveStatus: move, Extra: extra}); err != nil {
		return ack, err
	}
	if _, err := a.inbox.Bind(dbx.Params{"id": model.NewID(), "uid": ch.Event.UID, "node": a.node.Id,
		"complaint": comp.Id, "at": types.NowDateTime().String()}).Execute(); err != nil {
		return ack, fmt.Errorf("hub: inbox: %w", err)
	}
	ack.Result = protocol.AckOK
	return ack, nil
}

// complaint finds this node's complaint by its origin id (nil when new).
func (a *applier) complaint(originID string) (*core.Record, error) {
	if c, ok := a.complaints[originID]; ok {
		return c, nil
	}
	var id string
	err := a.byOrigin.Bind(dbx.Params{"n": a.node.Id, "o": originID}).Row(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hub: find complaint: %w", err)
	}
	c, err := a.tx.FindRecordById(model.Complaints, id)
	if err != nil {
		return nil, fmt.Errorf("hub: load complaint: %w", err)
	}
	a.complaints[originID] = c
	return c, nil
}

// create makes the hub's copy of a child's complaint from the snapshot. It
// keeps the child's tracking code and records where it came from. No
// reporter identity exists in the snapshot.
func (a *applier) create(s protocol.Complaint, first protocol.Event) (*core.Record, error) {
	catID, err := a.category(s.Category)
	if err != nil {
		return nil, err
	}
	col, err := a.tx.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	var n int
	if err := a.codeTaken.Bind(dbx.Params{"c": s.TrackingCode}).Row(&n); err != nil {
		return nil, fmt.Errorf("hub: tracking code check: %w", err)
	}
	if n > 0 {
		return nil, errors.New("tracking code already used by another complaint on the hub")
	}
	c := core.NewRecord(col)
	c.Set("id", model.NewID())
	c.Set("tracking_code", s.TrackingCode)
	c.Set("type", s.Type)
	c.Set("title", s.Title)
	c.Set("body", s.Body)
	c.Set("category", catID)
	c.Set("privacy", s.Privacy)
	// Start from the status the "created" event names and let the events
	// that follow replay the rest, so the hub's timeline and status agree.
	status := s.Status
	if first.Kind == model.EventCreated && first.To != "" {
		status = first.To
	}
	c.Set("status", status)
	c.Set("channel", model.ChannelSync)
	c.Set("incident_date", s.IncidentDate)
	c.Set("location", s.Location)
	c.Set("reporter_gender", s.Gender)
	c.Set("reporter_disability", s.Disability)
	c.Set("origin_node", a.node.Id)
	// The child took the report in and handles it until it hands it up.
	c.Set("office", a.node.GetString("code"))
	c.Set("origin_office", a.node.GetString("code"))
	c.Set("origin_id", s.ID)
	c.Set("version", 1)
	received := clock.Now(a.tx)
	if t, err := time.Parse(time.RFC3339Nano, s.Created); err == nil {
		received = t
	}
	if verify, completion, err := sla.InitialDue(a.tx, received); err == nil {
		c.Set("verify_due_at", verify)
		c.Set("due_at", verify)
		c.Set("completion_due_at", completion)
	}
	now := types.NowDateTime()
	c.SetRaw("created", now)
	c.SetRaw("updated", now)
	// Validated as Save would (every field's rules, the category exists),
	// then written by a prepared INSERT: no hook of this collection acts
	// on creation (intake bypasses them too, docs/architecture.md).
	if err := a.tx.Validate(c); err != nil {
		return nil, fmt.Errorf("complaint not valid on the hub: %w", err)
	}
	if err := a.write(c); err != nil {
		return nil, err
	}
	a.complaints[s.ID] = c
	return c, nil
}

// write inserts the validated new record c with the column values Save
// would write.
func (a *applier) write(c *core.Record) error {
	row, err := c.DBExport(a.tx)
	if err != nil {
		return fmt.Errorf("hub: complaint columns: %w", err)
	}
	if a.insert == nil {
		// A new record exports every field of the collection, so one
		// statement serves every copy of the push.
		cols := slices.Sorted(maps.Keys(row))
		ph := make([]string, len(cols))
		for i, col := range cols {
			ph[i] = "{:" + col + "}"
		}
		a.insert = a.tx.DB().NewQuery("INSERT INTO " + model.Complaints + " (" + strings.Join(cols, ", ") +
			") VALUES (" + strings.Join(ph, ", ") + ")").Prepare()
	}
	if _, err := a.insert.Bind(dbx.Params(row)).Execute(); err != nil {
		return fmt.Errorf("hub: insert complaint: %w", err)
	}
	c.MarkAsNotNew()
	return nil
}

func (a *applier) category(code string) (string, error) {
	if id, ok := a.categories[code]; ok {
		return id, nil
	}
	var id string
	for _, c := range []string{code, fallbackCategory} {
		err := a.tx.DB().Select("id").From(model.Categories).Where(dbx.HashExp{"code": c}).Row(&id)
		if err == nil {
			a.categories[code] = id
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("hub: category: %w", err)
		}
	}
	return "", fmt.Errorf("category %q unknown on the hub and no %s fallback", code, fallbackCategory)
}

// parentAuthoritative reports whether this level has taken over the
// complaint: it was handed up (bukan_wewenang), or someone on this level or
// above changed its status (a transition not pushed by a child).
func (a *applier) parentAuthoritative(comp *core.Record) (bool, error) {
	if comp.GetString("status") == model.StatusBukanWewenang {
		return true, nil
	}
	var n int
	err := a.tx.DB().NewQuery(`SELECT count(*) FROM complaint_events e
		WHERE e.complaint = {:c} AND e.kind = {:k}
		AND NOT EXISTS (SELECT 1 FROM sync_inbox i WHERE i.uid = e.uid)`).
		Bind(dbx.Params{"c": comp.Id, "k": model.EventTransition}).Row(&n)
	if err != nil {
		return false, fmt.Errorf("hub: authority: %w", err)
	}
	return n > 0, nil
}
