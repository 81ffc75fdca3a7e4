package export

import "errors"

// An export reads rows out of SQLite and writes them as text; at a
// million rows each half takes seconds of CPU (docs/benchmarks.md §9.2).
// pipelined runs the two on two goroutines, so a server's second core
// reads the next rows while the first writes these.
const (
	pipeBatch = 256 // rows handed over at a time
	pipeDepth = 4   // batches waiting for the writer at most
)

// errStopped ends the reading when the writing has failed.
var errStopped = errors.New("export: stopped")

// pipelined calls each (which calls its fn once per row, reusing the row)
// on a goroutine of its own and write for every row on the caller's, in
// the order each gives them. At most pipeDepth+2 batches of pipeBatch rows
// exist at once, whatever the number of rows. The first error of either
// side stops both and is returned.
func pipelined[T any](each func(fn func(*T) error) error, write func(*T) error) error {
	batches := make(chan []T, pipeDepth)
	// free holds every batch not in use, so giving one back never blocks.
	free := make(chan []T, pipeDepth+2)
	for range pipeDepth + 2 {
		free <- make([]T, 0, pipeBatch)
	}
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := <-free
		send := func() error {
			// Stopped first: when the writer has failed and drains the
			// channel, a select with both ready would go on at random.
			select {
			case <-stop:
				return errStopped
			default:
			}
			select {
			case batches <- batch:
			case <-stop:
				return errStopped
			}
			select {
			case batch = <-free:
			case <-stop:
				return errStopped
			}
			return nil
		}
		err := each(func(r *T) error {
			batch = append(batch, *r)
			if len(batch) < pipeBatch {
				return nil
			}
			return send()
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		readErr <- err
	}()
	var writeErr error
	for batch := range batches {
		for i := 0; writeErr == nil && i < len(batch); i++ {
			if writeErr = write(&batch[i]); writeErr != nil {
				close(stop)
			}
		}
		clear(batch) // let the strings go
		free <- batch[:0]
	}
	if err := <-readErr; writeErr == nil && err != nil {
		return err
	}
	return writeErr
}
