package events_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

func appendNotes(t *testing.T, app core.App, c *core.Record, notes ...string) {
	t.Helper()
	for _, n := range notes {
		err := app.RunInTransaction(func(tx core.App) error {
			_, err := events.Append(tx, c, events.Event{Kind: model.EventNote, ActorType: "system", Note: n,
				Data: map[string]any{"z": 1, "a": []any{"x", 2.5}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainVerifiesAndQueuesOutbox(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	appendNotes(t, app, c, "satu", "dua", "tiga")

	res, err := events.Verify(app)
	if err != nil || res.Complaints != 1 || res.Events != 4 {
		t.Fatalf("Verify = %+v, %v; want 1 complaint, 4 events, no error", res, err)
	}
	evs, _ := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": c.Id})
	for i, ev := range evs {
		if ev.GetInt("seq") != i+1 {
			t.Errorf("event %d has seq %d", i, ev.GetInt("seq"))
		}
		if i > 0 && ev.GetString("prev_hash") != evs[i-1].GetString("hash") {
			t.Errorf("event %d does not link to the one before", i)
		}
		ob, err := app.FindFirstRecordByData(model.SyncOutbox, "uid", ev.GetString("uid"))
		if err != nil || ob.GetString("status") != model.OutboxPending || ob.GetString("complaint") != c.Id {
			t.Errorf("event %d has no pending outbox row: %v", i, err)
		}
	}
}

func TestAppendOutsideTransactionIsRefused(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	if _, err := events.Append(app, c, events.Event{Kind: model.EventNote}); err == nil {
		t.Fatal("Append outside a transaction succeeded")
	}
}

// A change that fails after its event was written takes the event and its
// outbox row with it: nothing travels that did not happen.
func TestRollbackTakesEventAndOutboxRow(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	boom := errors.New("boom")
	var uid string
	err := app.RunInTransaction(func(tx core.App) error {
		ev, err := events.Append(tx, c, events.Event{Kind: model.EventNote, Note: "gagal"})
		if err != nil {
			return err
		}
		uid = ev.GetString("uid")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := app.FindFirstRecordByData(model.ComplaintEvents, "uid", uid); err == nil {
		t.Error("event survived the rollback")
	}
	if _, err := app.FindFirstRecordByData(model.SyncOutbox, "uid", uid); err == nil {
		t.Error("outbox row survived the rollback")
	}
}

func TestFromUpstreamIsNotQueued(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	err := app.RunInTransaction(func(tx core.App) error {
		_, err := events.Append(tx, c, events.Event{UID: "HUB:1", Kind: model.EventNote, FromUpstream: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.FindFirstRecordByData(model.SyncOutbox, "uid", "HUB:1"); err == nil {
		t.Fatal("an event pulled from upstream was queued to go back up")
	}
}

func TestTamperingIsDetected(t *testing.T) {
	tests := []struct {
		name    string
		sql     string
		problem string
	}{
		{"edited note", "UPDATE complaint_events SET note = 'dihapus' WHERE seq = 2", "changed"},
		{"edited time", "UPDATE complaint_events SET at = '2020-01-01T00:00:00Z' WHERE seq = 3", "changed"},
		{"deleted row", "DELETE FROM complaint_events WHERE seq = 2", "sequence gap"},
		{"rehashed edit", "UPDATE complaint_events SET note = 'x', hash = 'abc' WHERE seq = 2", "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := testkit.New(t)
			c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
			appendNotes(t, app, c, "dua", "tiga", "empat")
			if _, err := app.DB().NewQuery(tt.sql).Execute(); err != nil {
				t.Fatal(err)
			}
			_, err := events.Verify(app)
			var brk *events.Break
			if !errors.As(err, &brk) {
				t.Fatalf("Verify = %v, want a *Break", err)
			}
			if brk.TrackingCode != c.GetString("tracking_code") || brk.Seq < 2 {
				t.Errorf("break %+v does not name the tampered complaint and row", brk)
			}
			if !strings.Contains(brk.Problem, tt.problem) {
				t.Errorf("problem %q, want it to mention %q", brk.Problem, tt.problem)
			}
		})
	}
}

func TestGuardsRefuseUpdateAndDelete(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	ev, err := app.FindFirstRecordByData(model.ComplaintEvents, "complaint", c.Id)
	if err != nil {
		t.Fatal(err)
	}
	ev.Set("note", "diubah")
	if err := app.Save(ev); !errors.Is(err, events.ErrAppendOnly) {
		t.Errorf("Save of an event: %v, want ErrAppendOnly", err)
	}
	if err := app.Delete(ev); !errors.Is(err, events.ErrAppendOnly) {
		t.Errorf("Delete of an event: %v, want ErrAppendOnly", err)
	}
	if _, err := events.Verify(app); err != nil {
		t.Errorf("chain broken after refused edits: %v", err)
	}
}

// Append writes its rows without PocketBase's Save, so it enforces the
// timeline's schema itself: what it stores passes the collection's own
// validation, and what the schema would refuse it refuses, writing nothing.
func TestAppendKeepsTheSchema(t *testing.T) {
	app := testkit.New(t)
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	var saved *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		saved, err = events.Append(tx, c, events.Event{Kind: model.EventNote, ActorType: "staff",
			ActorName: "Petugas", Note: "Catatan", Data: map[string]any{"n": 3, "s": "x"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := app.FindRecordById(model.ComplaintEvents, saved.Id)
	if err != nil {
		t.Fatalf("the returned record is not the stored one: %v", err)
	}
	if err := app.Validate(stored); err != nil {
		t.Fatalf("stored event fails the collection's validation: %v", err)
	}
	if stored.GetString("hash") != saved.GetString("hash") || stored.GetString("created") == "" {
		t.Fatalf("stored %v, returned %v", stored.FieldsData(), saved.FieldsData())
	}
	for name, ev := range map[string]events.Event{
		"unknown kind":       {Kind: "gossip", ActorType: "staff"},
		"unknown actor type": {Kind: model.EventNote, ActorType: "alien"},
		"note too long":      {Kind: model.EventNote, ActorType: "staff", Note: strings.Repeat("é", 10001)},
		"name too long":      {Kind: model.EventNote, ActorType: "staff", ActorName: strings.Repeat("a", 151)},
		"data too large":     {Kind: model.EventNote, ActorType: "staff", Data: map[string]any{"x": strings.Repeat("a", 70<<10)}},
	} {
		before, _ := app.CountRecords(model.ComplaintEvents)
		err := app.RunInTransaction(func(tx core.App) error { _, err := events.Append(tx, c, ev); return err })
		after, _ := app.CountRecords(model.ComplaintEvents)
		if err == nil || after != before {
			t.Errorf("%s: err %v, events %d -> %d", name, err, before, after)
		}
	}
	if _, err := events.Verify(app); err != nil {
		t.Fatal(err)
	}
}
