package websec

import "time"

// Failures counts failures per key (an account, a tracking code, a client
// address) in a sliding window, in bounded memory. It is the mechanism of
// every guessing limit: the login guard here, the receipt-PIN guard in
// hooks/cases. Not safe for concurrent use: its owner holds the lock.
type Failures struct {
	window  time.Duration
	maxKeys int
	m       map[string][]time.Time
}

// NewFailures counts over window and remembers at most maxKeys keys.
func NewFailures(window time.Duration, maxKeys int) *Failures {
	return &Failures{window: window, maxKeys: maxKeys, m: map[string][]time.Time{}}
}

// Wait is how long until key has fewer than limit failures in the window;
// zero means it may try now.
func (f *Failures) Wait(key string, limit int, now time.Time) time.Duration {
	list := f.recent(key, now)
	if limit <= 0 || len(list) < limit {
		return 0
	}
	// The (len-limit+1)th oldest failure must leave the window.
	return list[len(list)-limit].Add(f.window).Sub(now)
}

// Add records a failure under key.
func (f *Failures) Add(key string, now time.Time) {
	if _, known := f.m[key]; !known && len(f.m) >= f.maxKeys {
		f.sweep(now)
	}
	f.m[key] = append(f.recent(key, now), now)
}

// remove takes back one failure of key recorded at t (a reserved attempt
// that turned out right); nothing when it has already left the window.
func (f *Failures) remove(key string, t time.Time) {
	list := f.m[key]
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Equal(t) {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(f.m, key)
		return
	}
	f.m[key] = list
}

// Forget clears key's failures.
func (f *Failures) Forget(key string) { delete(f.m, key) }

// Len is how many keys are remembered.
func (f *Failures) Len() int { return len(f.m) }

// recent drops key's failures older than the window and returns the rest.
func (f *Failures) recent(key string, now time.Time) []time.Time {
	list := f.m[key]
	keep := list[:0]
	for _, t := range list {
		if now.Sub(t) < f.window {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		delete(f.m, key)
		return nil
	}
	f.m[key] = keep
	return keep
}

// sweep forgets expired entries; if a spray of keys leaves the map full,
// it forgets arbitrary entries until a tenth is free (a second, coarser
// count — per address — still bounds the sprayer).
func (f *Failures) sweep(now time.Time) {
	for k := range f.m {
		f.recent(k, now)
	}
	for k := range f.m {
		if len(f.m) < f.maxKeys*9/10 {
			break
		}
		delete(f.m, k)
	}
}
