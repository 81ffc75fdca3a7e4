package websec

import (
	"slices"
	"sync"
	"time"
)

// Guesses is a guessing limit over one or more counts (an account and a
// client address; a tracking code and an address), safe for concurrent
// use. An attempt reserves its slot in every count before the secret is
// checked and gives it back when the secret was right, so N guesses sent
// at once never get more than the limit checked: the slot is taken under
// the lock, while checking (a bcrypt hash takes tens of milliseconds)
// happens outside it.
type Guesses struct {
	mu     sync.Mutex
	counts []*Failures
	limits []int
}

// NewGuesses returns a limit of limits[i] failures per key of count i per
// window, each count remembering at most maxKeys keys.
func NewGuesses(window time.Duration, maxKeys int, limits ...int) *Guesses {
	g := &Guesses{limits: limits}
	for range limits {
		g.counts = append(g.counts, NewFailures(window, maxKeys))
	}
	return g
}

// Guess is one reserved attempt. Until it is released it counts as a
// failure, so a caller that forgets to settle it errs on the safe side.
type Guess struct {
	g    *Guesses
	keys []string
	at   time.Time
	held []bool
}

// Reserve takes a slot for keys[i] in count i ("" skips that count) at
// now. When any count is at its limit nothing is reserved and it returns
// nil and how long until an attempt may be made.
func (g *Guesses) Reserve(now time.Time, keys ...string) (*Guess, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if wait := g.waitLocked(now, keys); wait > 0 {
		return nil, wait
	}
	r := &Guess{g: g, keys: slices.Clone(keys), at: now, held: make([]bool, len(keys))}
	for i, k := range keys {
		if k != "" && i < len(g.counts) {
			g.counts[i].Add(k, now)
			r.held[i] = true
		}
	}
	return r, 0
}

// Wait is how long an attempt for keys must wait; zero means now. It
// reserves nothing (for showing a lock before a form is even filled).
func (g *Guesses) Wait(now time.Time, keys ...string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waitLocked(now, keys)
}

// waitLocked is Wait with g.mu held: the longest wait any count imposes.
func (g *Guesses) waitLocked(now time.Time, keys []string) time.Duration {
	var wait time.Duration
	for i, k := range keys {
		if k != "" && i < len(g.counts) {
			wait = max(wait, g.counts[i].Wait(k, g.limits[i], now))
		}
	}
	return wait
}

// Release gives the attempt's slots back (the secret was right, or there
// was nothing to guess). With counts, only those counts' slots.
func (r *Guess) Release(counts ...int) {
	if r == nil {
		return
	}
	r.g.mu.Lock()
	defer r.g.mu.Unlock()
	for i, k := range r.keys {
		if !r.held[i] || (len(counts) > 0 && !slices.Contains(counts, i)) {
			continue
		}
		r.g.counts[i].remove(k, r.at)
		r.held[i] = false
	}
}

// Forget clears every failure of key in count i (a successful login
// clears its account's count).
func (g *Guesses) Forget(i int, key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.counts[i].Forget(key)
}

// Len is how many keys count i remembers.
func (g *Guesses) Len(i int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.counts[i].Len()
}
