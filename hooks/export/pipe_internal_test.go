package export

import (
	"errors"
	"testing"
)

// pipelined hands every row over in order, copies the row each reuses,
// stops reading soon after the writing fails (so a client that hangs up
// does not cost the rest of the export), and returns either side's error.
func TestPipelined(t *testing.T) {
	const rows = 10*pipeBatch + 17
	each := func(limit int, fail error) (func(fn func(*int) error) error, *int) {
		read := 0
		return func(fn func(*int) error) error {
			var r int // reused, as EachComplaint reuses its row
			for i := range limit {
				if fail != nil && i == 3*pipeBatch+5 {
					return fail
				}
				r, read = i, read+1
				if err := fn(&r); err != nil {
					return err
				}
			}
			return nil
		}, &read
	}
	for _, n := range []int{0, 1, pipeBatch - 1, pipeBatch, pipeBatch + 1, rows} {
		var got []int
		e, _ := each(n, nil)
		if err := pipelined(e, func(r *int) error { got = append(got, *r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d rows: got %d", n, len(got))
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("%d rows: row %d is %d", n, i, v)
			}
		}
	}

	hangUp := errors.New("client gone")
	e, read := each(rows, nil)
	written := 0
	err := pipelined(e, func(r *int) error {
		if written == pipeBatch+3 {
			return hangUp
		}
		written++
		return nil
	})
	if !errors.Is(err, hangUp) || written != pipeBatch+3 {
		t.Fatalf("write error: %v after %d rows", err, written)
	}
	if *read > (pipeDepth+4)*pipeBatch {
		t.Fatalf("read %d rows after the writer failed at %d: reading did not stop", *read, written)
	}

	broken := errors.New("disk I/O error")
	e, _ = each(rows, broken)
	written = 0
	if err := pipelined(e, func(*int) error { written++; return nil }); !errors.Is(err, broken) || written > 3*pipeBatch+5 {
		t.Fatalf("read error: %v, %d rows written", err, written)
	}
}
