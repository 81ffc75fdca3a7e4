package hub

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/apply"
	"simpul/sync/protocol"
)

// Feed returns up to limit changes made on this level (or above it) to the
// complaints that came from node, after cursor. The cursor is the rowid of
// the append-only complaint_events table: SQLite has one writer and the
// table is never deleted from, so rowids only grow in commit order. Events
// the node pushed itself (sync_inbox) are left out, so nothing echoes.
func Feed(app core.App, nodeID string, cursor int64, limit int) (protocol.PullResponse, error) {
	res := protocol.PullResponse{V: protocol.Version, Items: []protocol.PullItem{}, NextCursor: cursor}
	var rows []struct {
		Seq      int64  `db:"seq"`
		ID       string `db:"id"`
		OriginID string `db:"origin_id"`
		Status   string `db:"status"`
	}
	err := app.DB().NewQuery(`SELECT e.rowid AS seq, e.id AS id, c.origin_id AS origin_id, c.status AS status
		FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.origin_node = {:node} AND e.rowid > {:cursor}
		AND NOT EXISTS (SELECT 1 FROM sync_inbox i WHERE i.uid = e.uid)
		ORDER BY e.rowid LIMIT {:limit}`).
		Bind(dbx.Params{"node": nodeID, "cursor": cursor, "limit": limit + 1}).All(&rows)
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
	for i, r := range rows {
		ids[i] = r.ID
	}
	recs, err := app.FindRecordsByIds(model.ComplaintEvents, ids)
	if err != nil {
		return res, fmt.Errorf("hub: feed events: %w", err)
	}
	byID := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		byID[r.Id] = r
	}
	units := apply.UnitNames(app)
	for _, r := range rows {
		ev := byID[r.ID]
		if ev == nil {
			return res, fmt.Errorf("hub: feed: event %s vanished", r.ID)
		}
		res.Items = append(res.Items, protocol.PullItem{
			Seq: r.Seq, Complaint: r.OriginID, Status: r.Status, Event: apply.ToWire(ev, units),
		})
		res.NextCursor = r.Seq
	}
	return res, nil
}
