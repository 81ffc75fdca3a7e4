package apply

import (
	"context"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// News collects the complaints a sync pass created or changed on this
// level, so that their record events fire once the pass's transaction has
// committed. A sync pass writes with SQL (Cases.Create, ApplyState: a
// mirrored case must not run the status guard or append events of its
// own), so without this PocketBase's realtime would never tell an open
// staff desk (ui/live.go) that a case arrived from a child office, was
// routed here by the parent, or moved. Intake's fast path does the same
// (hooks/intake, writer.announce).
type News struct {
	created, changed []string
	seen             map[string]bool
}

// Reset forgets what was collected (a transaction that runs again).
func (n *News) Reset() { n.created, n.changed, n.seen = nil, nil, nil }

// Created records a complaint the pass created.
func (n *News) Created(id string) { n.add(id, true) }

// Changed records a complaint the pass changed (an event appended, its
// state or content written); a complaint created in the same pass stays
// a creation.
func (n *News) Changed(id string) { n.add(id, false) }

func (n *News) add(id string, created bool) {
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	if n.seen[id] {
		return
	}
	n.seen[id] = true
	if created {
		n.created = append(n.created, id)
	} else {
		n.changed = append(n.changed, id)
	}
}

// Fire triggers, after the commit, OnModelAfterCreateSuccess for each
// created complaint and OnModelAfterUpdateSuccess for each changed one,
// as app.Save would: PocketBase's realtime sends each subscriber only what
// the complaints' list and view rules let it see (the privacy policy),
// with the fields the record API would show. No Simpul hook is bound after
// a complaint's save (the sync pass wrote its events, outbox rows and
// revisions itself), so nothing is written or sent twice; a hook bound
// there later runs for synced cases too, as for saved ones. Records are
// read back in one query per kind; a failure is logged, never fatal: the
// pass is committed.
func (n *News) Fire(app core.App) {
	for _, batch := range []struct {
		ids  []string
		kind string
		fire func(*core.ModelEvent) error
	}{
		{n.created, core.ModelEventTypeCreate, func(ev *core.ModelEvent) error { return app.OnModelAfterCreateSuccess().Trigger(ev) }},
		{n.changed, core.ModelEventTypeUpdate, func(ev *core.ModelEvent) error { return app.OnModelAfterUpdateSuccess().Trigger(ev) }},
	} {
		if len(batch.ids) == 0 {
			continue
		}
		recs, err := app.FindRecordsByIds(model.Complaints, batch.ids)
		if err != nil {
			app.Logger().Warn("sync_announce", "complaints", len(batch.ids), "error", err.Error())
			continue
		}
		for _, rec := range recs {
			ev := &core.ModelEvent{App: app, Context: context.Background(), Type: batch.kind}
			ev.Model = rec
			if err := batch.fire(ev); err != nil {
				app.Logger().Warn("sync_announce", "complaint_id", rec.Id, "error", err.Error())
			}
		}
	}
}
