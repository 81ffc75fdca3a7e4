package websec

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
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

// LoginGuard is the password-login limiter of one app.
type LoginGuard struct {
	now    func() time.Time
	policy LoginPolicy

	mu       sync.Mutex
	accounts *Failures
	address  *Failures
}

// NewLoginGuard returns a limiter with policy that reads the time from now
// (an app's clock: clock.Func(app)).
func NewLoginGuard(policy LoginPolicy, now func() time.Time) *LoginGuard {
	return &LoginGuard{now: now, policy: policy,
		accounts: NewFailures(policy.Window, maxTracked), address: NewFailures(policy.Window, maxTracked)}
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
// ip must wait; zero means it may be tried now.
func (g *LoginGuard) Wait(collection, identity, ip string) time.Duration {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	return max(g.accounts.Wait(accountKey(collection, identity), g.policy.AccountFailures, now),
		g.address.Wait(AddressKey(ip), g.policy.AddressFailures, now))
}

// Failed records a wrong password (or an unknown or inactive account).
func (g *LoginGuard) Failed(collection, identity, ip string) {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.accounts.Add(accountKey(collection, identity), now)
	g.address.Add(AddressKey(ip), now)
}

// Succeeded clears the account's failures. The address's failures stay:
// logging in to one's own account must not buy more guesses at others.
func (g *LoginGuard) Succeeded(collection, identity string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.accounts.Forget(accountKey(collection, identity))
}

// LockedMessage is the API's answer to a locked login, in Bahasa
// Indonesia and English; it is the same for every account, existing or
// not.
const LockedMessage = "Terlalu banyak percobaan masuk yang gagal; coba lagi paling lambat 15 menit lagi. — " +
	"Too many failed sign-in attempts; try again within 15 minutes."

// RetryAfter is the Retry-After header value for a wait (whole seconds,
// rounded up).
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// bindLoginLimit puts PocketBase's password endpoints of the staff and
// superuser collections behind the same limiter as the staff pages.
func bindLoginLimit(app core.App) {
	app.OnRecordAuthWithPasswordRequest(model.Staff, core.CollectionNameSuperusers).BindFunc(
		func(e *core.RecordAuthWithPasswordRequestEvent) error {
			g := Guard(e.App)
			name, ip := e.Collection.Name, e.RealIP()
			if wait := g.Wait(name, e.Identity, ip); wait > 0 {
				e.Response.Header().Set("Retry-After", RetryAfter(wait))
				return router.NewApiError(http.StatusTooManyRequests, LockedMessage, nil)
			}
			err := e.Next()
			if err != nil {
				g.Failed(name, e.Identity, ip)
			} else {
				g.Succeeded(name, e.Identity)
			}
			return err
		})
}
