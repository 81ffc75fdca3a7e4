package websec

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/platform/clock"
)

// A tracking code is the key to a report's public page, so a list of
// codes someone does not hold must not be harvestable by guessing. Every
// lookup by code (GET /api/track/{code}, /lacak/{code}, Open311 by id, the
// reporter's reply and rating) spends from one budget of unknown codes per
// client: UnknownCodes per UnknownCodeWindow, then 429 with Retry-After. A
// lookup reserves its slot before the database is asked and gives it back
// when the code exists, so simultaneous guesses cannot overdraw it; a code
// with a typo never reaches the database (the check character) and costs
// nothing.
const (
	UnknownCodes      = 30
	UnknownCodeWindow = 15 * time.Minute
	maxLookupKeys     = 50_000
)

// Lookups is the unknown-code budget of one app, on the app's clock.
type Lookups struct {
	now     func() time.Time
	guesses *Guesses
}

const lookupsKey = "simpul.websec.lookups"

// CodeLookups returns app's unknown-code budget (one per app).
func CodeLookups(app core.App) *Lookups {
	return app.Store().GetOrSet(lookupsKey, func() any {
		return &Lookups{now: clock.Func(app), guesses: NewGuesses(UnknownCodeWindow, maxLookupKeys, UnknownCodes)}
	}).(*Lookups)
}

// Lookup is a reservation for n codes.
type Lookup struct {
	slots []*Guess
}

// Reserve takes n slots of client's budget (client is an address, which
// is counted per AddressKey, or a "key:…" id of an API key) before n codes
// are looked up. When fewer than n are left it reserves nothing and
// returns nil and how long until one is.
func (l *Lookups) Reserve(client string, n int) (*Lookup, time.Duration) {
	key := client
	if len(key) < 4 || key[:4] != "key:" {
		key = AddressKey(client)
	}
	now := l.now()
	r := &Lookup{}
	for range n {
		g, wait := l.guesses.Reserve(now, key)
		if g == nil {
			r.Found(len(r.slots))
			return nil, wait
		}
		r.slots = append(r.slots, g)
	}
	return r, 0
}

// Found gives back the slots of n codes that exist.
func (r *Lookup) Found(n int) {
	for ; n > 0 && len(r.slots) > 0; n-- {
		r.slots[len(r.slots)-1].Release()
		r.slots = r.slots[:len(r.slots)-1]
	}
}

// LookupLimitedMessage is the answer to a client over its budget, in
// Bahasa Indonesia and English.
const LookupLimitedMessage = "Terlalu banyak kode laporan yang tidak dikenal; coba lagi nanti. — " +
	"Too many unknown tracking codes; try again later."
