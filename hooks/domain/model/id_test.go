package model

import (
	"regexp"
	"testing"
	"time"
)

// NewID's ids fit PocketBase's id field and sort by creation time, from
// one millisecond to the next (across a base-36 carry) to centuries ahead.
func TestNewIDIsAValidTimeOrderedID(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9]{15}$`)
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	prev := ""
	for _, d := range []time.Duration{0, time.Millisecond, 35 * time.Millisecond, 36 * time.Millisecond,
		time.Second, 24 * time.Hour, 40 * 365 * 24 * time.Hour, 250 * 365 * 24 * time.Hour} {
		var g idGen
		id := g.next(base.Add(d))
		if !valid.MatchString(id) {
			t.Fatalf("%q is not a PocketBase id", id)
		}
		if id[:9] <= prev {
			t.Fatalf("id %q made %v later does not sort after %q", id, d, prev)
		}
		prev = id[:9]
	}
	// Ids of one millisecond, and of a clock that steps back, still
	// differ and sort in the order they were made.
	var g idGen
	last := ""
	for i := range 100_000 {
		at := base.Add(time.Duration(i/5000) * time.Millisecond)
		if i%7000 == 0 {
			at = at.Add(-time.Second)
		}
		id := g.next(at)
		if id <= last {
			t.Fatalf("id %d: %q does not sort after %q", i, id, last)
		}
		last = id
	}
	// A full millisecond borrows the next one.
	g.suffix = idSpace - 1
	if id := g.next(time.UnixMilli(g.ms)); id <= last || !valid.MatchString(id) {
		t.Fatalf("after a full millisecond: %q (last %q)", id, last)
	}
}
