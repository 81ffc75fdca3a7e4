package websec

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Buckets are token buckets by key (golang.org/x/time/rate), for rate
// limits: intake's per address, kiosk and Open311 key, the hub's per child
// node. The time is passed in (the app's clock), so tests decide it.
// Memory is bounded: at max keys, buckets that have refilled are forgotten
// (they would start full anyway), and if an address spray leaves none
// refilled, all are, rather than refuse newcomers.
type Buckets struct {
	mu  sync.Mutex
	max int
	m   map[string]*rate.Limiter
}

// NewBuckets returns empty buckets that keep at most max keys.
func NewBuckets(max int) *Buckets {
	return &Buckets{max: max, m: map[string]*rate.Limiter{}}
}

// Take takes a token from key's bucket, which holds burst tokens and gains
// r a second. When there is none it returns false and how long until there
// is one.
func (b *Buckets) Take(key string, r rate.Limit, burst int, now time.Time) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.m[key]
	if l == nil {
		if len(b.m) >= b.max {
			b.sweep(now)
		}
		l = rate.NewLimiter(r, burst)
		b.m[key] = l
	}
	res := l.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Duration(1<<63 - 1)
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return false, wait
	}
	return true, 0
}

func (b *Buckets) sweep(now time.Time) {
	for k, l := range b.m {
		if l.TokensAt(now) >= float64(l.Burst()) {
			delete(b.m, k)
		}
	}
	if len(b.m) >= b.max {
		clear(b.m)
	}
}

// Len is how many keys are kept (tests).
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}
