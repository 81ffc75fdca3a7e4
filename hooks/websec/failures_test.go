package websec_test

import (
	"fmt"
	"testing"
	"time"

	"simpul/hooks/websec"
)

// A key is held back while it has limit failures in the window, for
// exactly as long as the oldest counting failure takes to leave it.
func TestFailuresSlidingWindow(t *testing.T) {
	f := websec.NewFailures(15*time.Minute, 100)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if w := f.Wait("A", 3, t0); w != 0 {
			t.Fatalf("after %d failures: wait %v, want none", i, w)
		}
		f.Add("A", t0.Add(time.Duration(i)*time.Minute))
	}
	now := t0.Add(3 * time.Minute)
	if w := f.Wait("A", 3, now); w != 12*time.Minute {
		t.Fatalf("wait %v, want 12m (the failure at 9:00 leaves at 9:15)", w)
	}
	if w := f.Wait("B", 3, now); w != 0 {
		t.Fatalf("another key waits %v", w)
	}
	if w := f.Wait("A", 3, t0.Add(15*time.Minute)); w != 0 {
		t.Fatalf("after the window: wait %v", w)
	}
	f.Forget("A")
	if f.Len() != 0 {
		t.Fatalf("%d keys remembered after the last expired or was forgotten", f.Len())
	}
}

// A spray of keys never grows the memory past its bound, and expired keys
// go first.
func TestFailuresBoundedMemory(t *testing.T) {
	const maxKeys = 50
	f := websec.NewFailures(time.Minute, maxKeys)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		f.Add(fmt.Sprintf("old-%d", i), t0)
	}
	later := t0.Add(2 * time.Minute) // the old ones have expired
	for i := range 1000 {
		f.Add(fmt.Sprintf("new-%d", i), later)
		if f.Len() > maxKeys {
			t.Fatalf("%d keys remembered, bound %d", f.Len(), maxKeys)
		}
		if i == 10 && f.Len() != 11 { // the sweep at the bound dropped the 40 expired keys, no live one
			t.Fatalf("after the first sweep %d keys remembered, want the 11 live ones", f.Len())
		}
	}
	if w := f.Wait("new-999", 1, later); w == 0 {
		t.Fatal("the newest failure was forgotten")
	}
}
