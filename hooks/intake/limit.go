package intake

import (
	"strconv"
	"sync"
	"time"

	"simpul/hooks/websec"
)

// Limit is a token bucket: Burst submissions at once, then one more every
// Every. Buckets refill while idle.
type Limit struct {
	Burst int
	Every time.Duration
}

// The intake rate limits. A waiting room's guest Wi-Fi puts many citizens
// behind one address, so the guest limit counts reports, not page views:
// only a submission that passed validation takes a token.
var (
	GuestLimit  = Limit{Burst: 10, Every: time.Minute}      // per IP address (IPv6: per /64)
	KioskLimit  = Limit{Burst: 30, Every: 10 * time.Second} // per registered kiosk
	ClientLimit = Limit{Burst: 60, Every: 2 * time.Second}  // per Open311 key
	noLimit     = Limit{}                                   // the counter: staff at work
)

// maxBuckets bounds the limiter's memory when addresses are sprayed.
const maxBuckets = 100_000

type bucket struct {
	tokens float64
	last   time.Time
}

// limiter holds the buckets of one app.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newLimiter() *limiter { return &limiter{buckets: map[string]*bucket{}} }

// allow takes a token from key's bucket; when there is none it returns
// false and how long until there is.
func (l *limiter) allow(key string, lim Limit, now time.Time) (bool, time.Duration) {
	if lim.Burst <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(lim, now)
		}
		b = &bucket{tokens: float64(lim.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(lim.Burst), b.tokens+float64(now.Sub(b.last))/float64(lim.Every))
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(lim.Every))
	}
	b.tokens--
	return true, 0
}

// sweep forgets buckets that have refilled (they would start full anyway);
// if an address spray leaves none refilled, it forgets them all rather
// than refuse new citizens.
func (l *limiter) sweep(lim Limit, now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.last))/float64(lim.Every) >= float64(lim.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// rateKey names the bucket of a submission and its limit.
func rateKey(req Request, d *draft) (string, Limit) {
	switch {
	case req.Staff != nil:
		return "", noLimit
	case d.KioskID != "":
		return "kiosk:" + d.KioskID, KioskLimit
	case req.APIClient != "":
		return "client:" + req.APIClient, ClientLimit
	}
	return "ip:" + websec.AddressKey(req.RemoteIP), GuestLimit
}

// retryAfter is the Retry-After header value for a wait.
func retryAfter(d time.Duration) string {
	s := int(d/time.Second) + 1
	return strconv.Itoa(s)
}
