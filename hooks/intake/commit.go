package intake

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/sqlitedb"
)

// Group commit. The data database runs with synchronous=FULL: every commit
// waits for the disk. One writer goroutine takes the submissions waiting
// at that moment and writes them all in one transaction, so a burst from
// the kiosks and the counter shares one fsync instead of queueing for one
// each. A submission is acknowledged only after its transaction committed.
//
// If a batch's transaction fails, each of its submissions is retried in a
// transaction of its own, so one bad row never costs the others.

// maxBatch bounds how many submissions share one transaction.
const maxBatch = 128

// errStopped answers submissions that arrive while the app shuts down.
var errStopped = errors.New("intake: shutting down")

type job struct {
	d    *draft
	res  *Result
	err  error
	done chan struct{}
}

// writer is one app's group-commit loop.
type writer struct {
	app   core.App
	stmts *sqlitedb.Stmts
	jobs  chan *job
	stop  chan struct{}

	once    sync.Once
	stopped sync.Once
	wg      sync.WaitGroup
}

func newWriter(app core.App) *writer {
	return &writer{app: app, stmts: sqlitedb.NewStmts(app), jobs: make(chan *job, maxBatch), stop: make(chan struct{})}
}

// submit queues d and waits until it is committed (or refused).
func (w *writer) submit(d *draft) (*Result, error) {
	w.once.Do(func() { w.wg.Add(1); go w.loop() })
	j := &job{d: d, done: make(chan struct{})}
	select {
	case w.jobs <- j:
	case <-w.stop:
		return nil, errStopped
	}
	<-j.done
	return j.res, j.err
}

// close stops the loop after the queued submissions are written.
func (w *writer) close() {
	w.stopped.Do(func() { close(w.stop) })
	w.wg.Wait()
	w.stmts.Close()
}

func (w *writer) loop() {
	defer w.wg.Done()
	for {
		var first *job
		select {
		case first = <-w.jobs:
		case <-w.stop:
			// Whatever got in before the stop is still written.
			for {
				select {
				case j := <-w.jobs:
					w.commit([]*job{j})
				default:
					return
				}
			}
		}
		batch := []*job{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case j := <-w.jobs:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		w.commit(batch)
	}
}

// announce fires the record-created event of each complaint batch wrote
// (OnModelAfterCreateSuccess, as app.Save fires it after its transaction
// commits): the fast path writes with prepared SQL, so without this
// PocketBase's realtime would never tell a subscribed staff desk that a
// report arrived (ui/live.go). It runs once the batch is committed, before
// the submitters have their answers; a replay wrote nothing and is not
// announced.
//
// The whole after-create hook runs, not just the realtime broadcast
// (PocketBase keeps that one unexported): on complaints it reaches
// PocketBase's realtime, the record-hook proxy and the fields' after-create
// interceptors (nothing to do for a record without files).
// No Simpul hook is bound after a complaint's creation, and intake writes
// its created event, outbox row and statistics itself in the batch's
// transaction, so nothing is written, sent or counted twice. A hook
// bound there later runs for every report, as it would with app.Save.
//
// It stays in the writer: run by the 64 submitters instead, it left the
// writer's batches smaller and cost more CPU per complaint in all
// (docs/benchmarks.md §9.4).
func (w *writer) announce(batch []*job) {
	var col *core.Collection
	for _, j := range batch {
		// A report with files went through tx.Save, whose own event
		// fires when the transaction commits.
		if j.err != nil || j.res == nil || j.res.Replayed || j.res.ComplaintID == "" || len(j.d.attachments) > 0 {
			continue
		}
		if col == nil {
			var err error
			if col, err = w.app.FindCachedCollectionByNameOrId(model.Complaints); err != nil {
				w.app.Logger().Warn("intake: announce", "error", err.Error())
				return
			}
		}
		rec, err := savedRecord(col, j.d.pre.fields)
		if err != nil {
			w.app.Logger().Warn("intake: announce", "complaint_id", j.res.ComplaintID, "error", err.Error())
			continue
		}
		ev := &core.ModelEvent{App: w.app, Context: context.Background(), Type: core.ModelEventTypeCreate}
		ev.Model = rec
		if err := w.app.OnModelAfterCreateSuccess().Trigger(ev); err != nil {
			w.app.Logger().Warn("intake: announce", "complaint_id", rec.Id, "error", err.Error())
		}
	}
}

// savedRecord is the complaint record of a row inserted with fields, in the
// state app.Save leaves a record it created: the values set, each through
// its field's PrepareValue as Record.Set does it, the other fields at their
// defaults (what a column intake leaves out holds: nothing else writes to
// the row in its transaction), marked not new. Reading the batch back with
// FindRecordsByIds cost ~30 µs of the single writer's CPU per complaint;
// this costs about half (docs/benchmarks.md §9.4). Record.Set itself is not
// used: it looks each key up among every field's setters.
func savedRecord(col *core.Collection, fields map[string]any) (*core.Record, error) {
	rec := core.NewRecord(col)
	for _, f := range col.Fields {
		name := f.GetName()
		raw, ok := fields[name]
		if !ok {
			continue
		}
		v, err := f.PrepareValue(rec, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rec.SetRaw(name, v)
	}
	rec.MarkAsNotNew()
	return rec, nil
}

// commit writes batch in one transaction, or each job alone when the
// shared transaction fails, and wakes every submitter.
func (w *writer) commit(batch []*job) {
	defer func() {
		w.announce(batch) // before the answers: a client that hears back finds the event fired
		for _, j := range batch {
			close(j.done)
		}
	}()
	if err := w.stmts.Ready(); err != nil {
		// Not fatal: the transaction compiles what it needs itself.
		w.app.Logger().Warn("intake: statements", "error", err)
	}
	err := w.app.RunInTransaction(func(tx core.App) error {
		bw, err := newBatchWriter(tx, w.stmts)
		if err != nil {
			return err
		}
		for _, j := range batch {
			j.res, j.err = bw.write(j.d)
			var refused *Error
			if j.err != nil && !errors.As(j.err, &refused) {
				return j.err // a database failure: retry one by one
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	if len(batch) == 1 {
		batch[0].res, batch[0].err = nil, err
		return
	}
	for _, j := range batch {
		j.res, j.err = nil, nil
		err := w.app.RunInTransaction(func(tx core.App) error {
			bw, err := newBatchWriter(tx, w.stmts)
			if err != nil {
				return err
			}
			j.res, j.err = bw.write(j.d)
			return j.err
		})
		if err != nil {
			j.res, j.err = nil, err
		}
	}
}
