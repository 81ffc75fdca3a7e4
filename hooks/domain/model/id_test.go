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
		id := newID(base.Add(d))
		if !valid.MatchString(id) {
			t.Fatalf("%q is not a PocketBase id", id)
		}
		if id[:9] <= prev {
			t.Fatalf("id %q made %v later does not sort after %q", id, d, prev)
		}
		prev = id[:9]
	}
	seen := map[string]bool{}
	for range 10000 {
		id := NewID()
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
}
