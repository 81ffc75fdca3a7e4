package model

import (
	"crypto/rand"
	"strconv"
	"strings"
	"time"
)

// idAlphabet is PocketBase's default id alphabet; NewID's ids pass the id
// field's pattern (^[a-z0-9]+$, 15 characters).
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns a 15-character record id whose sort order follows creation
// time: 9 base-36 digits of the Unix time in milliseconds (enough until the
// year 5138), then 6 random characters (31 bits) that keep ids made in the
// same millisecond apart.
//
// Used for the rows written on every complaint (the complaint, its
// timeline and outbox rows) instead of PocketBase's fully random ids: with
// random keys each insert lands on a different page of every index that
// contains the id, so a group commit of 30 complaints dirties hundreds of
// pages, and each is written to the WAL and fsynced. Time-ordered keys
// append to the same few pages.
func NewID() string {
	return newID(time.Now())
}

func newID(now time.Time) string {
	ms := strconv.FormatInt(now.UnixMilli(), 36)
	var b strings.Builder
	b.Grow(15)
	b.WriteString(strings.Repeat("0", max(0, 9-len(ms))))
	b.WriteString(ms)
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic("model: crypto/rand failed: " + err.Error())
	}
	for _, c := range r {
		b.WriteByte(idAlphabet[int(c)%len(idAlphabet)])
	}
	return b.String()
}
