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
	for _, r := range rows {
		ev, ci := byID[r.ID], byComp[r.Comp]
		if ev == nil || ci.rec == nil {
			return res, fmt.Errorf("hub: feed: event %s vanished", r.ID)
		}
		it := protocol.PullItem{Seq: r.Seq, TC: ci.rec.GetString("tracking_code"), State: ci.state, Event: apply.ToWire(ev, units)}
		if r.Since > 0 && r.Seq == r.Since {
			// The event that gave the node this case: the case and what
			// happened to it before come along.
			if err := routed(app, &it, ci.rec, r.Seq, units); err != nil {
				return res, err
			}
		}
		res.Items = append(res.Items, it)
		res.NextCursor = r.Seq
	}
	return res, nil
}

// routed attaches the case and its timeline before seq to it.
func routed(app core.App, it *protocol.PullItem, c *core.Record, seq int64, units func(string) string) error {
	var code string
	// A case without a category (or with one deleted since) travels without one.
	err := app.DB().Select("code").From(model.Categories).Where(dbx.HashExp{"id": c.GetString("category")}).Row(&code)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("hub: category of %s: %w", c.Id, err)
	}
	k := apply.Snapshot(c, code)
	it.Complaint = &k
	var ids []string
	err = app.DB().NewQuery(`SELECT id FROM complaint_events WHERE complaint = {:c} AND rowid < {:s}
		ORDER BY rowid LIMIT {:max}`).Bind(dbx.Params{"c": c.Id, "s": seq, "max": protocol.MaxChangesPerPush}).Column(&ids)
	if err != nil {
		return fmt.Errorf("hub: feed history: %w", err)
	}
	evs, err := app.FindRecordsByIds(model.ComplaintEvents, ids)
	if err != nil {
		return fmt.Errorf("hub: feed history: %w", err)
	}
	byID := make(map[string]*core.Record, len(evs))
	for _, e := range evs {
		byID[e.Id] = e
	}
	for _, id := range ids {
		if e := byID[id]; e != nil {
			it.History = append(it.History, apply.ToWire(e, units))
		}
	}
	return nil
}
