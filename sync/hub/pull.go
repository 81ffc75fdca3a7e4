package hub

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/apply"
	"simpul/sync/protocol"
)

// FeedEvents bounds the events one pull answer carries, histories of
// routed cases included (a page of routed cases with long timelines must
// stay under protocol.MaxDecompressedBody, or the child would refuse it
// every time and never get past it): a page stops before the routed case
// that would pass it, unless it is the page's first. Events average a few
// hundred bytes of JSON. A variable so that tests can lower it.
var FeedEvents = 10_000

// Feed returns up to limit changes made on this level (or above it, or by
// another child) to the cases node holds a copy of, after cursor, each with
// the current state of its case. The cursor is the rowid of the
// append-only complaint_events table: SQLite has one writer and the table
// is never deleted from, so rowids only grow in commit order.
//
// Left out: events the node pushed itself (sync_inbox: nothing echoes),
// events of a case from before it was routed to the node (they come as
// the history of the routing item instead), and internal notes of a case
// the node does not handle now (docs/sync-protocol.md §3).
func Feed(app core.App, nodeID string, cursor int64, limit int) (protocol.PullResponse, error) {
	res := protocol.PullResponse{V: protocol.Version, Items: []protocol.PullItem{}, NextCursor: cursor}
	node, err := app.FindRecordById(model.Nodes, nodeID)
	if err != nil {
		return res, fmt.Errorf("hub: feed: node: %w", err)
	}
	var rows []struct {
		Seq   int64  `db:"seq"`
		ID    string `db:"id"`
		Comp  string `db:"complaint"`
		Since int64  `db:"since_seq"`
	}
	err = app.DB().NewQuery(`SELECT e.rowid AS seq, e.id AS id, e.complaint AS complaint, k.since_seq AS since_seq
		FROM complaint_events e
		JOIN sync_copies k ON k.complaint = e.complaint AND k.node = {:node}
		JOIN complaints c ON c.id = e.complaint
		WHERE e.rowid > {:cursor} AND e.rowid >= k.since_seq
		AND NOT EXISTS (SELECT 1 FROM sync_inbox i WHERE i.uid = e.uid AND i.node = {:node})
		AND (e.public = TRUE OR e.kind != {:note} OR c.office = {:code})
		ORDER BY e.rowid LIMIT {:limit}`).
		Bind(dbx.Params{"node": nodeID, "cursor": cursor, "limit": limit + 1, "note": model.EventNote,
			"code": node.GetString("code")}).All(&rows)
	if err != nil {
		return res, fmt.Errorf("hub: feed: %w", err)
	}
	if len(rows) > limit {
		rows, res.More = rows[:limit], true
	}
	if len(rows) == 0 {
		return res, nil
	}
	ids := make([]string, len(rows))
	compIDs := []string{}
	seenComp := map[string]bool{}
	for i, r := range rows {
		ids[i] = r.ID
		if !seenComp[r.Comp] {
			seenComp[r.Comp] = true
			compIDs = append(compIDs, r.Comp)
		}
	}
	recs, err := app.FindRecordsByIds(model.ComplaintEvents, ids)
	if err != nil {
		return res, fmt.Errorf("hub: feed events: %w", err)
	}
	byID := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		byID[r.Id] = r
	}
	comps, err := app.FindRecordsByIds(model.Complaints, compIDs)
	if err != nil {
		return res, fmt.Errorf("hub: feed complaints: %w", err)
	}
	local := apply.LocalOffice(app)
	units := apply.UnitNames(app)
	type caseInfo struct {
		rec   *core.Record
		state protocol.State
	}
	byComp := make(map[string]caseInfo, len(comps))
	for _, c := range comps {
		byComp[c.Id] = caseInfo{c, apply.StateOf(app, c, local)}
	}
	carried := 0 // events in the answer, histories included
	for _, r := range rows {
		ev, ci := byID[r.ID], byComp[r.Comp]
		if ev == nil || ci.rec == nil {
			return res, fmt.Errorf("hub: feed: event %s vanished", r.ID)
		}
		it := protocol.PullItem{Seq: r.Seq, TC: ci.rec.GetString("tracking_code"), State: ci.state, Event: apply.ToWire(ev, units)}
		items := []protocol.PullItem{it}
		if r.Since > 0 && r.Seq == r.Since {
			// The event that gave the node this case: the case and what
			// happened to it before come along.
			if items, err = routed(app, it, ci.rec, r.Seq, units); err != nil {
				return res, err
			}
		}
		n := 0
		for _, it := range items {
			n += len(it.History) + 1
		}
		if len(res.Items) > 0 && (len(res.Items)+len(items) > protocol.MaxItemsPerPull || carried+n > FeedEvents) {
			// The rest on the next page: a routed case's items never
			// straddle two pages.
			res.More = true
			break
		}
		carried += n
		res.Items = append(res.Items, items...)
		res.NextCursor = r.Seq
	}
	return res, nil
}

// routed returns the items that give the node case c, routed to it by the
// event of item it (at seq): the case and its whole earlier timeline, in
// order, cut into items of at most MaxChangesPerPush events each. Every
// item has the routing event's seq and the case's state; the first
// carries the case; each carries a run of the timeline as its history and
// the event after that run as its event, so that applying the items in
// order (history, then event, as the node does) replays the timeline and
// ends with the routing event. The whole timeline travels (it used to be
// cut at its first 500 events) as long as it fits one pull answer: its
// items count against MaxItemsPerPull and its bytes against
// MaxDecompressedBody, some tens of thousands of events.
func routed(app core.App, it protocol.PullItem, c *core.Record, seq int64, units func(string) string) ([]protocol.PullItem, error) {
	var code string
	// A case without a category (or with one deleted since) travels without one.
	err := app.DB().Select("code").From(model.Categories).Where(dbx.HashExp{"id": c.GetString("category")}).Row(&code)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("hub: category of %s: %w", c.Id, err)
	}
	k := apply.Snapshot(c, code)
	var ids []string
	err = app.DB().NewQuery(`SELECT id FROM complaint_events WHERE complaint = {:c} AND rowid < {:s} ORDER BY rowid`).
		Bind(dbx.Params{"c": c.Id, "s": seq}).Column(&ids)
	if err != nil {
		return nil, fmt.Errorf("hub: feed history: %w", err)
	}
	timeline := make([]protocol.Event, 0, len(ids)+1)
	for start := 0; start < len(ids); start += protocol.MaxChangesPerPush {
		part := ids[start:min(start+protocol.MaxChangesPerPush, len(ids))]
		evs, err := app.FindRecordsByIds(model.ComplaintEvents, part)
		if err != nil {
			return nil, fmt.Errorf("hub: feed history: %w", err)
		}
		byID := make(map[string]*core.Record, len(evs))
		for _, e := range evs {
			byID[e.Id] = e
		}
		for _, id := range part {
			if e := byID[id]; e != nil {
				timeline = append(timeline, apply.ToWire(e, units))
			}
		}
	}
	timeline = append(timeline, it.Event)
	var items []protocol.PullItem
	for start := 0; start < len(timeline); start += protocol.MaxChangesPerPush + 1 {
		run := timeline[start:min(start+protocol.MaxChangesPerPush+1, len(timeline))]
		part := it
		part.History, part.Event = run[:len(run)-1], run[len(run)-1]
		if len(part.History) == 0 {
			part.History = nil
		}
		items = append(items, part)
	}
	items[0].Complaint = &k
	return items, nil
}
