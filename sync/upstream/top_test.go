package upstream_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/ui/testkit"
)

// An office with no parent (the top of a tree) queues nothing, however
// much it does: one mark names the first event it kept back. When a
// parent is configured, the first pass sends everything, once, in timeline
// order; an office that loses its parent for a while and gets it back
// sends what it did in between; nothing is pending afterwards.
func TestTopOfficeQueuesNothingUntilItHasAParent(t *testing.T) {
	hubL, top := newLevel(t, "kab"), newLevel(t, "pka")
	outbox.SetTop(top.app, true)
	var codes []string
	for i := range 6 {
		tc := testkit.Complaint(t, top.app, testkit.ComplaintSpec{}).GetString("tracking_code")
		codes = append(codes, tc)
		if i%2 == 1 {
			transition(t, top.app, tc, model.StatusTerdisposisi)
			transition(t, top.app, tc, model.StatusProses)
		}
	}
	if n := count(t, top.app, model.SyncOutbox, nil); n != 0 {
		t.Errorf("the top of the tree queued %d rows", n)
	}
	if n := count(t, top.app, model.SyncState, dbx.HashExp{"key": outbox.UnqueuedKey}); n != 1 {
		t.Fatalf("%d unqueued marks, want 1", n)
	}
	events := count(t, top.app, model.ComplaintEvents, nil)
	if events < 6+2*3 {
		t.Fatalf("only %d events: the scenario tests nothing", events)
	}

	// A parent is configured: the first pass sends everything.
	outbox.SetTop(top.app, false)
	attach(t, top, hubL)
	if s := top.pass(t); s.Pushed != events || s.Pending != 0 {
		t.Fatalf("first pass with a parent: %+v, want %d pushed, none pending", s, events)
	}
	assertConverged(t, [2]*level{top, hubL})
	if n := count(t, top.app, model.SyncState, dbx.HashExp{"key": outbox.UnqueuedKey}); n != 0 {
		t.Errorf("the mark outlived the pass that queued its events")
	}

	// Without a parent again, then with it back: what happened in between
	// travels; what had travelled does not travel twice.
	before := count(t, top.app, model.ComplaintEvents, nil)
	outbox.SetTop(top.app, true)
	transition(t, top.app, codes[0], model.StatusTerdisposisi)
	testkit.Complaint(t, top.app, testkit.ComplaintSpec{})
	outbox.SetTop(top.app, false)
	transition(t, top.app, codes[2], model.StatusTerdisposisi) // queued as usual, after the gap
	if n := count(t, top.app, model.SyncOutbox, dbx.HashExp{"status": model.OutboxPending}); n != 2 {
		t.Fatalf("%d rows pending after one move with a parent, want its event and its note", n)
	}
	gap := count(t, top.app, model.ComplaintEvents, nil) - before
	if s := top.pass(t); s.Pushed != gap || s.Duplicates != 0 || s.Pending != 0 {
		t.Fatalf("after the gap: %+v, want %d pushed, no duplicate, none pending", s, gap)
	}
	assertConverged(t, [2]*level{top, hubL})
	if s := top.pass(t); s.Pushed+s.Duplicates != 0 {
		t.Errorf("a quiet pass sent %+v", s)
	}
}
