package intake

import (
	"time"

	"golang.org/x/time/rate"

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

// limiter holds the buckets of one app.
type limiter struct{ b *websec.Buckets }

func newLimiter() *limiter { return &limiter{websec.NewBuckets(maxBuckets)} }

// allow takes a token from key's bucket; when there is none it returns
// false and how long until there is.
func (l *limiter) allow(key string, lim Limit, now time.Time) (bool, time.Duration) {
	if lim.Burst <= 0 {
		return true, 0
	}
	return l.b.Take(key, rate.Every(lim.Every), lim.Burst, now)
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

// submitter names who sent a submission, for ClientTag: the clerk, the
// kiosk, the Open311 key or the address (IPv6: its /64).
func submitter(req Request, d *draft) string {
	if d.StaffID != "" {
		return "staff:" + d.StaffID
	}
	if key, _ := rateKey(req, d); key != "" {
		return key
	}
	return "ip:" + websec.AddressKey(req.RemoteIP)
}
