package model

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"
)

// NewID returns a 15-character record id whose sort order follows creation
// time: 9 base-36 digits of the Unix time in milliseconds (enough until the
// year 5138), then 6 base-36 digits that keep ids made in the same
// millisecond apart: random for the first id of a millisecond, then counted
// up, so the ids of one process never repeat and sort in the order they
// were made (as ULIDs do). Random alone (31 bits) repeated about once in a
// hundred runs of 10,000 ids made in a few milliseconds.
//
// Used for the rows written on every complaint (the complaint, its
// timeline and outbox rows) instead of PocketBase's fully random ids: with
// random keys each insert lands on a different page of every index that
// contains the id, so a group commit of 30 complaints dirties hundreds of
// pages, and each is written to the WAL and fsynced. Time-ordered keys
// append to the same few pages.
func NewID() string { return ids.next(time.Now()) }

// sortedDigits are the base-36 digits in byte order, as strconv writes
// them, so a later suffix sorts after an earlier one; NewID's ids pass
// PocketBase's id pattern (^[a-z0-9]+$, 15 characters).
const sortedDigits = "0123456789abcdefghijklmnopqrstuvwxyz"

// idSpace is how many values the 6-digit suffix holds (36^6).
const idSpace = 36 * 36 * 36 * 36 * 36 * 36

// idGen makes NewID's ids: the millisecond and suffix of the last one.
type idGen struct {
	mu     sync.Mutex
	ms     int64
	suffix uint64
}

var ids idGen

func (g *idGen) next(now time.Time) string {
	ms := now.UnixMilli()
	g.mu.Lock()
	switch {
	case ms > g.ms:
		g.ms, g.suffix = ms, randomSuffix()
	case g.suffix+1 < idSpace: // the same millisecond, or the clock went back
		g.suffix++
	default: // a full millisecond (2 billion ids): borrow the next one
		g.ms, g.suffix = g.ms+1, randomSuffix()
	}
	ms, suffix := g.ms, g.suffix
	g.mu.Unlock()

	var b strings.Builder
	b.Grow(15)
	t := strconv.FormatInt(ms, 36)
	b.WriteString(strings.Repeat("0", max(0, 9-len(t))))
	b.WriteString(t)
	var r [6]byte
	for i := 5; i >= 0; i-- {
		r[i] = sortedDigits[suffix%36]
		suffix /= 36
	}
	b.Write(r[:])
	return b.String()
}

// randomSuffix starts a millisecond's suffixes at a random point of the
// lower half, leaving a billion ids of room to count up.
func randomSuffix() uint64 {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic("model: crypto/rand failed: " + err.Error())
	}
	return binary.BigEndian.Uint64(r[:]) % (idSpace / 2)
}
