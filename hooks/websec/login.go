package websec

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
)

// LoginPolicy bounds password guessing. Failures are counted in a sliding
// window, per account (collection and identity, whether or not such an
// account exists, so a refusal says nothing about it) and per client
// address (IPv6: per /64). While either count is at its limit every login
// there is refused with 429 before the password is even checked, so the
// right password does not get through a lock either.
type LoginPolicy struct {
	AccountFailures int           // per account per Window
	AddressFailures int           // per client address per Window, over all accounts
	Window          time.Duration //
}

// DefaultLoginPolicy: 5 wrong passwords per account per 15 minutes (a
// person who mistyped a few times is not locked out; a guesser gets 480
// tries a day, hopeless against an 8-character password), and 20 per
// address, so one machine cannot spray a common password over every
// account. Staff logging in behind one office NAT share the address
// budget: 20 failures in 15 minutes is far more than a working office
// makes.
var DefaultLoginPolicy = LoginPolicy{AccountFailures: 5, AddressFailures: 20, Window: 15 * time.Minute}

// maxTracked bounds the limiter's memory (a few hundred bytes per key).
const maxTracked = 50_000

// LoginGuard is the password-login limiter of one app: two counts, the
// account (collection and identity) and the client address.
type LoginGuard struct {
	now     func() time.Time
	policy  LoginPolicy
	guesses *Guesses
}

// Counts of the login guard's Guesses.
const (
	countAccount = 0
	countAddress = 1
)

// NewLoginGuard returns a limiter with policy that reads the time from now
// (an app's clock: clock.Func(app)).
func NewLoginGuard(policy LoginPolicy, now func() time.Time) *LoginGuard {
	return &LoginGuard{now: now, policy: policy,
		guesses: NewGuesses(policy.Window, maxTracked, policy.AccountFailures, policy.AddressFailures)}
}

const guardKey = "simpul.websec.loginGuard"

// Guard returns app's login limiter (one per app, created on first use).
func Guard(app core.App) *LoginGuard {
	return app.Store().GetOrSet(guardKey, func() any { return NewLoginGuard(DefaultLoginPolicy, clock.Func(app)) }).(*LoginGuard)
}

func accountKey(collection, identity string) string {
	return collection + ":" + strings.ToLower(strings.TrimSpace(identity))
}

// AddressKey is the key a limiter counts a client under: its IPv4 address,
// or the /64 of its IPv6 address (one household or phone gets a whole /64,
// so counting single IPv6 addresses would count nothing).
func AddressKey(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// Wait returns how long a password login to identity in collection from
// ip must wait; zero means it may be tried now. It reserves nothing.
func (g *LoginGuard) Wait(collection, identity, ip string) time.Duration {
	return g.guesses.Wait(g.now(), accountKey(collection, identity), AddressKey(ip))
}

// Login is a reserved password attempt: it counts as a failure of its
// account and address until Succeeded is called.
type Login struct {
	g          *LoginGuard
	guess      *Guess
	collection string
	identity   string
}

// Reserve takes a login attempt's slot before the password is checked, so
// that N attempts sent at once never get more than the limit checked. It
// returns nil and the wait while the account or the address is locked.
func (g *LoginGuard) Reserve(collection, identity, ip string) (*Login, time.Duration) {
	guess, wait := g.guesses.Reserve(g.now(), accountKey(collection, identity), AddressKey(ip))
	if guess == nil {
		return nil, wait
	}
	return &Login{g: g, guess: guess, collection: collection, identity: identity}, 0
}

// Succeeded settles a right password: the attempt is given back and the
// account's failures are cleared. The address's earlier failures stay:
// logging in to one's own account must not buy more guesses at others.
func (l *Login) Succeeded() {
	l.guess.Release()
	l.g.guesses.Forget(countAccount, accountKey(l.collection, l.identity))
}

// Failed settles a wrong password (or an unknown or inactive account): the
// reserved slot stays counted.
func (l *Login) Failed() {}

// LockedMessage is the API's answer to a locked login, in Bahasa
// Indonesia and English; it is the same for every account, existing or
// not.
const LockedMessage = "Terlalu banyak percobaan masuk yang gagal; coba lagi paling lambat 15 menit lagi. — " +
	"Too many failed sign-in attempts; try again within 15 minutes."

// RetryAfter is the Retry-After header value for a wait: whole seconds,
// rounded up, at least 1. Every 429 of Simpul sets it through this.
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}

// bindLoginLimit puts PocketBase's password endpoints of the staff and
// superuser collections behind the same limiter as the staff pages.
func bindLoginLimit(app core.App) {
	app.OnRecordAuthWithPasswordRequest(model.Staff, core.CollectionNameSuperusers).BindFunc(
		func(e *core.RecordAuthWithPasswordRequestEvent) error {
			login, wait := Guard(e.App).Reserve(e.Collection.Name, e.Identity, e.RealIP())
			if login == nil {
				e.Response.Header().Set("Retry-After", RetryAfter(wait))
				return router.NewApiError(http.StatusTooManyRequests, LockedMessage, nil)
			}
			err := e.Next()
			if err != nil {
				login.Failed()
			} else {
				login.Succeeded()
			}
			return err
		})
}
