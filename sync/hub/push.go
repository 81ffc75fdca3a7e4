package hub

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/sync/apply"
	"simpul/sync/protocol"
)

func idIs(id string) dbx.Expression { return dbx.HashExp{"id": id} }

func hexKey(s string) ([]byte, error) { return protocol.KeyFromHex(s) }

// ApplyPush applies a decoded push from node in one transaction and
// returns one acknowledgement per change, in order. Each event is applied
// at most once (its uid is unique on the timeline); a re-sent uid is
// acknowledged as a duplicate. An error means nothing was applied.
func ApplyPush(app core.App, node *core.Record, req protocol.PushRequest) (protocol.PushResponse, error) {
	res := protocol.PushResponse{V: protocol.Version, Acks: make([]protocol.Ack, 0, len(req.Changes))}
	var news apply.News
	err := app.RunInTransaction(func(tx core.App) error {
		res.Acks = res.Acks[:0]
		news.Reset()
		a, err := newApplier(tx, node)
		if err != nil {
			return err
		}
		a.news = &news
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
	news.Fire(app) // an open desk hears of what arrived
	return res, nil
}

// applier applies one push in its transaction, with statements prepared
// once per push, not per change (a push carries up to 500 changes).
type applier struct {
	tx         core.App
	node       *core.Record
	code       string // the node's office code
	local      apply.Office
	ap         *apply.Applier
	cases      *apply.Cases
	byCode     *dbx.Query
	inbox      *dbx.Query
	copyOf     *dbx.Query
	addCopy    *dbx.Query
	complaints map[string]*core.Record // by tracking code
	news       *apply.News             // what the push created or changed, announced after the commit
}

func newApplier(tx core.App, node *core.Record) (*applier, error) {
	ap, err := apply.New(tx)
	if err != nil {
		return nil, err
	}
	return &applier{tx: tx, node: node, code: node.GetString("code"), local: apply.LocalOffice(tx), ap: ap,
		cases:  apply.NewCases(tx),
		byCode: tx.DB().NewQuery("SELECT id FROM complaints WHERE tracking_code = {:tc}").Prepare(),
		inbox: tx.DB().NewQuery("INSERT INTO " + model.SyncInbox +
			" (id, uid, node, complaint, created) VALUES ({:id}, {:uid}, {:node}, {:complaint}, {:at})").Prepare(),
		copyOf:     tx.DB().NewQuery("SELECT count(*) FROM " + model.SyncCopies + " WHERE node = {:n} AND complaint = {:c}").Prepare(),
		addCopy:    tx.DB().NewQuery(addCopySQL).Prepare(),
		complaints: map[string]*core.Record{}, news: &apply.News{}}, nil
}

// addCopySQL records that a node holds a copy of a case from a feed
// position on (nothing if it already does).
const addCopySQL = "INSERT INTO " + model.SyncCopies +
	" (id, complaint, node, since_seq, created) SELECT {:id}, {:c}, {:n}, {:s}, {:at}" +
	" WHERE NOT EXISTS (SELECT 1 FROM " + model.SyncCopies + " WHERE node = {:n} AND complaint = {:c})"

func (a *applier) close() {
	a.ap.Close()
	a.cases.Close()
	a.byCode.Close()
	a.inbox.Close()
	a.copyOf.Close()
	a.addCopy.Close()
}

func (a *applier) change(ch protocol.Change) (protocol.Ack, error) {
	ack := protocol.Ack{UID: ch.Event.UID}
	// A state that names no office speaks for the sending office.
	if ch.State.Office == "" {
		ch.State.Office = a.code
	}
	if ch.State.OriginOffice == "" {
		ch.State.OriginOffice = a.code
	}
	comp, err := a.complaint(ch.TC)
	if err != nil {
		return ack, err
	}
	if comp != nil {
		ok, err := a.mayPush(comp, ch)
		if err != nil {
			return ack, err
		}
		if !ok {
			ack.Result, ack.Error = protocol.AckRejected, "tracking code already used by another office's complaint on the hub"
			return ack, nil
		}
		ack.HubID = comp.Id
	}
	dup, err := a.ap.Exists(ch.Event.UID)
	if err != nil {
		return ack, err
	}
	if dup {
		ack.Result = protocol.AckDup
		if comp != nil && comp.GetString("rev_by") == a.node.Id {
			ack.Rev = int64(comp.GetInt("state_rev"))
		}
		return ack, nil
	}
	created := false
	if comp == nil {
		if !ch.Full {
			ack.Result, ack.Error = protocol.AckRejected, "unknown case and no case data: resend it whole (simpul sync resend --all)"
			return ack, nil
		}
		comp, err = a.create(ch)
		var refused apply.Rejection
		if errors.As(err, &refused) {
			ack.Result, ack.Error = protocol.AckRejected, err.Error()
			return ack, nil
		}
		if err != nil {
			return ack, err
		}
		created = true
		ack.HubID = comp.Id
	}
	// The state wins if nobody else changed the case here since the
	// child last saw it: the child's base is this level's revision, or
	// the last change here was the child's own (docs/sync-protocol.md §6).
	accept := created || comp.GetString("rev_by") == a.node.Id || int64(comp.GetInt("state_rev")) == ch.State.Base
	var extra map[string]any
	if !accept {
		extra = map[string]any{"sync_conflict": "parent_authoritative"}
	}
	// Not FromUpstream: the event is queued in this hub's own outbox, so a
	// hub with a parent relays it upward.
	if err := a.ap.Event(comp, ch.Event, apply.Options{Extra: extra}); err != nil {
		return ack, err
	}
	if created {
		a.news.Created(comp.Id)
	} else {
		a.news.Changed(comp.Id)
	}
	if _, err := a.inbox.Bind(dbx.Params{"id": model.NewID(), "uid": ch.Event.UID, "node": a.node.Id,
		"complaint": comp.Id, "at": types.NowDateTime().String()}).Execute(); err != nil {
		return ack, fmt.Errorf("hub: inbox: %w", err)
	}
	ack.Result = protocol.AckOK
	if !accept {
		// The reporter's reply is theirs, whatever staff did meanwhile: it
		// acts on the state that stands here (reopens a case closed in the
		// same window, owes the next follow-up), and every copy follows.
		return ack, a.replyEffect(comp, ch.Event)
	}
	if ch.Full && !created && ch.Event.Kind == model.EventEdit {
		if err := a.cases.Content(comp, ch.Complaint); err != nil {
			return ack, err
		}
	}
	if created || !sameState(apply.StateOf(a.tx, comp, a.local), ch.State) {
		if err := apply.ApplyState(a.tx, comp, ch.State, a.local, apply.StateOptions{RevBy: a.node.Id}); err != nil {
			return ack, err
		}
	}
	if err := a.takeBack(comp, ch); err != nil {
		return ack, err
	}
	if comp.GetString("rev_by") == a.node.Id {
		ack.Rev = int64(comp.GetInt("state_rev"))
	}
	return ack, nil
}

// takeBack puts a case its handling child handed up (bukan_wewenang) in
// this hub's verification queue: a transition bukan_wewenang → baru made
// by the hub, so every copy learns that the hub holds it now.
func (a *applier) takeBack(comp *core.Record, ch protocol.Change) error {
	if ch.Event.Kind != model.EventTransition || ch.Event.To != model.StatusBukanWewenang ||
		comp.GetString("status") != model.StatusBukanWewenang || comp.GetString("office") != a.code {
		return nil
	}
	name := a.local.Name
	if name == "" {
		name = a.local.Code
	}
	err := cases.Transition(a.tx, comp, cases.Actor{Role: lifecycle.RoleUpstream, Name: name, Origin: a.local.Code},
		cases.Request{To: model.StatusBaru, Note: "Diterima " + name + " untuk diverifikasi dan dialihkan. — Received by " + name + " to be verified and re-routed."})
	if err != nil {
		return fmt.Errorf("hub: take back %s: %w", comp.GetString("tracking_code"), err)
	}
	return nil
}

// replyEffect applies a reporter's reply that arrived with a state this
// level did not take (the case changed here since the sender last saw it)
// to the state that stands, as the office of intake would have: the
// sender's state was computed from a case the reporter never saw change.
func (a *applier) replyEffect(comp *core.Record, ev protocol.Event) error {
	if ev.Kind != model.EventReply || ev.ActorType != "reporter" {
		return nil
	}
	switch comp.GetString("status") {
	case model.StatusTertunda, model.StatusProses, model.StatusSelesai:
	default:
		return nil // closed to replies here (archived, handed up)
	}
	at, err := time.Parse(time.RFC3339Nano, ev.At)
	if err != nil {
		return fmt.Errorf("hub: reply time: %w", err)
	}
	if err := cases.ReplyEffect(a.tx, comp, a.local.Code, at); err != nil {
		return fmt.Errorf("hub: reply on %s: %w", comp.GetString("tracking_code"), err)
	}
	return nil
}

// sameState reports whether st says nothing new about the case.
func sameState(have, st protocol.State) bool {
	if have.Status != st.Status || have.Privacy != st.Privacy || have.Office != st.Office ||
		have.OfficeName != st.OfficeName || have.OriginOffice != st.OriginOffice || have.Unit != st.Unit ||
		have.UnitName != st.UnitName || have.Reason != st.Reason || have.Rating != st.Rating ||
		have.Paused != st.Paused || len(have.Dates) != len(st.Dates) {
		return false
	}
	for k, v := range st.Dates {
		if have.Dates[k] != v {
			return false
		}
	}
	return true
}

// mayPush reports whether the node may change comp here: it took the case
// in, holds a copy, handles it now, or the case was routed to it once (a
// hub refilled from its children learns the copies again this way).
func (a *applier) mayPush(comp *core.Record, ch protocol.Change) (bool, error) {
	if comp.GetString("origin_node") == a.node.Id {
		return true, nil
	}
	var n int
	if err := a.copyOf.Bind(dbx.Params{"n": a.node.Id, "c": comp.Id}).Row(&n); err != nil {
		return false, fmt.Errorf("hub: copies: %w", err)
	}
	if n > 0 {
		return true, nil
	}
	if comp.GetString("office") == a.code || comp.GetString("origin_office") == a.code || ch.State.Office == a.code {
		return true, a.recordCopy(comp.Id, 0)
	}
	// A case once routed to the node and routed on since: it keeps its
	// copy and its own events of the case. A refilled hub learns this from
	// the routing event on its own timeline (another holder resent it),
	// not from the node's word.
	var routed int
	if err := a.tx.DB().NewQuery(`SELECT count(*) FROM ` + model.ComplaintEvents + ` WHERE complaint = {:c}
		AND kind = {:k} AND to_status = {:to} AND json_extract(data, '$.office') = {:code}`).
		Bind(dbx.Params{"c": comp.Id, "k": model.EventTransition, "to": model.StatusTerdisposisi, "code": a.code}).Row(&routed); err != nil {
		return false, fmt.Errorf("hub: routed to: %w", err)
	}
	if routed > 0 {
		return true, a.recordCopy(comp.Id, 0)
	}
	return false, nil
}

func (a *applier) recordCopy(complaintID string, since int64) error {
	if _, err := a.addCopy.Bind(dbx.Params{"id": model.NewID(), "c": complaintID, "n": a.node.Id, "s": since,
		"at": types.NowDateTime().String()}).Execute(); err != nil {
		return fmt.Errorf("hub: copies: %w", err)
	}
	return nil
}

// complaint finds a case by its tracking code (nil when new here).
func (a *applier) complaint(tc string) (*core.Record, error) {
	if c, ok := a.complaints[tc]; ok {
		return c, nil
	}
	var id string
	err := a.byCode.Bind(dbx.Params{"tc": tc}).Row(&id)
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
	a.complaints[tc] = c
	return c, nil
}

// create makes the hub's copy of a child's case from the change. It keeps
// the tracking code, channel, created time and every date of the child's
// copy; no reporter identity exists in it.
func (a *applier) create(ch protocol.Change) (*core.Record, error) {
	// The sender took the case in unless its origin is another of this
	// hub's child offices (a case routed to the sender, resent to refill
	// this hub). An origin code that names no child (a node run without
	// SIMPUL_OFFICE_CODE set to its registered code) is the sender's own.
	origin := ch.State.OriginOffice == "" || ch.State.OriginOffice == a.code
	if !origin {
		var other int
		if err := a.tx.DB().Select("count(*)").From(model.Nodes).
			Where(dbx.NewExp("code = {:c} AND id != {:me}", dbx.Params{"c": ch.State.OriginOffice, "me": a.node.Id})).Row(&other); err != nil {
			return nil, fmt.Errorf("hub: origin: %w", err)
		}
		origin = other == 0
	}
	c, err := a.cases.Create(ch.Complaint, ch.State, a.local, func(c *core.Record) {
		if origin {
			c.Set("origin_node", a.node.Id)
			c.Set("origin_id", ch.Complaint.ID)
		}
	})
	if err != nil {
		return nil, err
	}
	if err := a.recordCopy(c.Id, 0); err != nil {
		return nil, err
	}
	a.complaints[ch.TC] = c
	return c, nil
}
