package intake

import (
	"errors"
	"sync"

	"github.com/pocketbase/pocketbase/core"

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

// commit writes batch in one transaction, or each job alone when the
// shared transaction fails, and wakes every submitter.
func (w *writer) commit(batch []*job) {
	defer func() {
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
