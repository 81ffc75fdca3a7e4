package sectest

import (
	"fmt"
	"net/http"
	"net/url"
	simclock "simpul/hooks/platform/clock"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/websec"
	"simpul/ui"
	"simpul/ui/testkit"
)

// fakeClock is a settable clock safe to read from server goroutines.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// limitedApp is a served app with staff a and b, a superuser (all with
// password) and the login limiter on clock.
func limitedApp(t *testing.T) (app core.App, base string, clock *fakeClock) {
	t.Helper()
	ta := testkit.New(t)
	testkit.Staff(t, ta, "loket@simpul.test", model.RoleFrontdesk, "")
	testkit.Staff(t, ta, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.SuperuserToken(t, ta) // root@simpul.test
	clock = newFakeClock()
	simclock.Set(ta, clock.Now) // before the server starts: no race
	srv := testkit.Serve(t, ta)
	return ta, srv.URL, clock
}

func apiLogin(b *browser, collection, identity, pass string) reply {
	b.t.Helper()
	return b.postJSON("/api/collections/"+collection+"/auth-with-password",
		fmt.Sprintf(`{"identity":%q,"password":%q}`, identity, pass))
}

// locked fails unless r is the login limit's 429.
func locked(t *testing.T, what string, r reply) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("%s: %d, want 429\n%.300s", what, r.status, r.body)
	}
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > int(websec.DefaultLoginPolicy.Window/time.Second) {
		t.Errorf("%s: Retry-After %q", what, r.header.Get("Retry-After"))
	}
	if strings.Contains(r.body, `"token"`) {
		t.Errorf("%s: a locked login returned a token", what)
	}
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, ui.SessionCookie+"=") && !strings.HasPrefix(c, ui.SessionCookie+"=;") {
			t.Errorf("%s: a locked login started a session", what)
		}
	}
}

// The 6th try after 5 wrong passwords is refused even with the right
// password, at every door (the two staff pages and the API share one
// limiter), for that account only, and works again after the window.
func TestLoginLimitPerAccount(t *testing.T) {
	_, base, clock := limitedApp(t)
	b := newBrowser(t, base)
	limit := websec.DefaultLoginPolicy.AccountFailures
	for i := range limit {
		if r := b.login("/loket", "loket@simpul.test", "salah-sekali"); r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, r.status)
		}
	}
	r := b.login("/loket", "loket@simpul.test", password)
	locked(t, "counter page, right password", r)
	if !strings.Contains(r.body, "Terlalu banyak percobaan masuk") || !strings.Contains(r.body, `href="/loket"`) {
		t.Errorf("locked page:\n%s", r.body)
	}
	locked(t, "staff desk page", b.login("/staf", "loket@simpul.test", password))
	locked(t, "API, e-mail in capitals", apiLogin(b, model.Staff, "LOKET@simpul.test", password))
	en := newBrowser(t, base)
	en.get("/loket?lang=en") // remembered in the lang cookie
	if r := en.login("/loket", "loket@simpul.test", password); !strings.Contains(r.body, "Too many sign-in attempts") {
		t.Errorf("English locked page:\n%s", r.body)
	}

	// Another account is unaffected.
	if r := b.login("/staf", "koordinator@simpul.test", password); r.status != http.StatusSeeOther {
		t.Fatalf("another account: %d", r.status)
	}

	// An unknown e-mail locks the same way and gets the very same page:
	// the answer says nothing about whether an account exists.
	o := newBrowser(t, base)
	for range limit {
		o.login("/loket", "tidak-ada@simpul.test", "salah-sekali")
	}
	unknown := o.login("/loket", "tidak-ada@simpul.test", password)
	locked(t, "unknown e-mail", unknown)
	if unknown.body != r.body {
		t.Error("the locked page of an unknown e-mail differs from a real account's")
	}

	// After the window the right password works again.
	clock.Advance(websec.DefaultLoginPolicy.Window + time.Second)
	if r := b.login("/loket", "loket@simpul.test", password); r.status != http.StatusSeeOther {
		t.Fatalf("after the window: %d", r.status)
	}
	// A success forgets the account's failures: four more wrong passwords
	// do not lock it.
	for range limit - 1 {
		b.login("/staf", "loket@simpul.test", "salah-sekali")
	}
	if r := b.login("/staf", "loket@simpul.test", password); r.status != http.StatusSeeOther {
		t.Fatalf("after a success and %d failures: %d", limit-1, r.status)
	}
}

// PocketBase's own password endpoints (staff and superusers) count
// failures in the same limiter as the pages.
func TestLoginLimitAPIDoors(t *testing.T) {
	_, base, clock := limitedApp(t)
	b := newBrowser(t, base)
	limit := websec.DefaultLoginPolicy.AccountFailures
	for i := range limit {
		if r := apiLogin(b, model.Staff, "loket@simpul.test", "salah-sekali"); r.status != http.StatusBadRequest {
			t.Fatalf("API wrong password %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := apiLogin(b, model.Staff, "loket@simpul.test", password)
	locked(t, "API, right password", r)
	if !strings.Contains(r.body, websec.LockedMessage) {
		t.Errorf("API message: %s", r.body)
	}
	locked(t, "counter page after API failures", b.login("/loket", "loket@simpul.test", password))

	// The superusers' endpoint (the dashboard's login) is limited too, as
	// its own account.
	for range limit {
		apiLogin(b, core.CollectionNameSuperusers, "root@simpul.test", "salah-sekali")
	}
	locked(t, "superuser, right password", apiLogin(b, core.CollectionNameSuperusers, "root@simpul.test", password))
	if r := apiLogin(b, model.Staff, "koordinator@simpul.test", password); r.status != http.StatusOK || !strings.Contains(r.body, `"token"`) {
		t.Fatalf("another staff account through the API: %d", r.status)
	}

	clock.Advance(websec.DefaultLoginPolicy.Window + time.Second)
	if r := apiLogin(b, core.CollectionNameSuperusers, "root@simpul.test", password); r.status != http.StatusOK {
		t.Fatalf("superuser after the window: %d %s", r.status, r.body)
	}
	if r := apiLogin(b, model.Staff, "loket@simpul.test", password); r.status != http.StatusOK {
		t.Fatalf("staff through the API after the window: %d %s", r.status, r.body)
	}
}

// One address spraying a password over many accounts is stopped after
// AddressFailures failures, whatever account it tries next; another
// address is not.
func TestLoginLimitPerAddress(t *testing.T) {
	app, base, _ := limitedApp(t)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"} // as behind the documented reverse proxy
	attacker := newBrowser(t, base)
	attacker.header.Set("X-Forwarded-For", "203.0.113.7")
	for i := range websec.DefaultLoginPolicy.AddressFailures {
		r := attacker.login("/staf", fmt.Sprintf("orang-%d@simpul.test", i), "Password123")
		if r.status != http.StatusUnauthorized {
			t.Fatalf("spray %d: %d", i, r.status)
		}
	}
	locked(t, "real account from the spraying address", attacker.login("/staf", "koordinator@simpul.test", password))
	locked(t, "API from the spraying address", apiLogin(attacker, model.Staff, "koordinator@simpul.test", password))

	office := newBrowser(t, base)
	office.header.Set("X-Forwarded-For", "198.51.100.9")
	if r := office.login("/staf", "koordinator@simpul.test", password); r.status != http.StatusSeeOther {
		t.Fatalf("another address: %d", r.status)
	}
}

// failLogin and succeedLogin make one login attempt through the guard.
func failLogin(t *testing.T, g *websec.LoginGuard, collection, identity, ip string) {
	t.Helper()
	l, wait := g.Reserve(collection, identity, ip)
	if l == nil {
		t.Fatalf("login %s from %s refused (wait %v)", identity, ip, wait)
	}
	l.Failed()
}

func succeedLogin(t *testing.T, g *websec.LoginGuard, collection, identity, ip string) {
	t.Helper()
	l, wait := g.Reserve(collection, identity, ip)
	if l == nil {
		t.Fatalf("login %s from %s refused (wait %v)", identity, ip, wait)
	}
	l.Succeeded()
}

func TestLoginGuard(t *testing.T) {
	clock := newFakeClock()
	g := websec.NewLoginGuard(websec.LoginPolicy{AccountFailures: 3, AddressFailures: 5, Window: time.Minute}, clock.Now)
	const staff = "staff"

	// Sliding window: the lock lifts when the oldest failure leaves it.
	for range 3 {
		failLogin(t, g, staff, "a@x", "10.0.0.1")
		clock.Advance(10 * time.Second)
	}
	// Failures at 0 s, 10 s and 20 s; now is 30 s: the one at 0 s leaves
	// the window at 60 s.
	if w := g.Wait(staff, "a@x", "10.0.0.2"); w != 30*time.Second {
		t.Fatalf("wait %v, want 30s", w)
	}
	if w := g.Wait(staff, " A@X ", "10.0.0.2"); w == 0 {
		t.Fatal("identity is not normalised")
	}
	if w := g.Wait("_superusers", "a@x", "10.0.0.2"); w != 0 {
		t.Fatal("another collection's account is locked")
	}
	clock.Advance(30 * time.Second)
	if w := g.Wait(staff, "a@x", "10.0.0.2"); w != 0 {
		t.Fatalf("still locked after the oldest failure left the window: %v", w)
	}

	// A success clears the account, never the address.
	failLogin(t, g, staff, "b@x", "10.0.0.1")
	failLogin(t, g, staff, "b@x", "10.0.0.1")
	succeedLogin(t, g, staff, "b@x", "10.0.0.1")
	failLogin(t, g, staff, "b@x", "10.0.0.1")
	if w := g.Wait(staff, "b@x", "10.0.0.3"); w != 0 {
		t.Fatal("a success did not clear the account's failures")
	}
	if w := g.Wait(staff, "c@x", "10.0.0.1"); w == 0 {
		t.Fatal("the address's failures were forgotten (5 in the window)")
	}

	// IPv6 counts per /64; IPv4-mapped addresses are IPv4.
	for i := range 5 {
		failLogin(t, g, staff, fmt.Sprintf("u%d@x", i), fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if g.Wait(staff, "z@x", "2001:db8:1:2:ffff::1") == 0 {
		t.Error("the same /64 is not one address")
	}
	if g.Wait(staff, "z@x", "2001:db8:1:3::1") != 0 {
		t.Error("another /64 is locked")
	}
	if g.Wait(staff, "z@x", "::ffff:10.0.0.1") == 0 {
		t.Error("an IPv4-mapped address escapes its IPv4 budget")
	}
}

// checked counts the answers that are not the limit's 429: each is a
// password that was compared.
func checked(codes []int) int {
	n := 0
	for _, c := range codes {
		if c != http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

// Thirty wrong passwords sent at the same instant get at most the limit
// checked (5 per account, 20 per address: docs/security.md §6), at every
// door: each guess reserves its slot before the password hash is
// compared. Checking first and counting after let all thirty through.
func TestLoginGuessesAtOnce(t *testing.T) {
	const burst = 30
	apiReq := func(base, collection, identity, ip string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/collections/"+collection+"/auth-with-password",
			strings.NewReader(fmt.Sprintf(`{"identity":%q,"password":"salah-sekali"}`, identity)))
		req.Header.Set("Content-Type", "application/json")
		if ip != "" {
			req.Header.Set("X-Forwarded-For", ip)
		}
		return req
	}
	t.Run("staff API, one account", func(t *testing.T) {
		_, base, _ := limitedApp(t)
		codes := testkit.AtOnce(t, burst, func(int) *http.Request { return apiReq(base, model.Staff, "loket@simpul.test", "") })
		if n := checked(codes); n != 5 {
			t.Fatalf("%d of %d simultaneous guesses were checked, want 5: %v", n, burst, codes)
		}
	})
	t.Run("superuser API, one account", func(t *testing.T) {
		_, base, _ := limitedApp(t)
		codes := testkit.AtOnce(t, burst, func(int) *http.Request {
			return apiReq(base, core.CollectionNameSuperusers, "root@simpul.test", "")
		})
		if n := checked(codes); n != 5 {
			t.Fatalf("%d of %d simultaneous guesses were checked, want 5: %v", n, burst, codes)
		}
	})
	for _, page := range []string{"/loket", "/staf"} {
		t.Run(page+" page, one account", func(t *testing.T) {
			_, base, _ := limitedApp(t)
			b := newBrowser(t, base)
			token := b.csrf(page)
			codes := testkit.AtOnce(t, burst, func(int) *http.Request {
				form := url.Values{"csrf": {token}, "email": {"loket@simpul.test"}, "password": {"salah-sekali"}}
				req, _ := http.NewRequest(http.MethodPost, base+page+"/masuk", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", base)
				req.AddCookie(&http.Cookie{Name: ui.CSRFCookie, Value: token})
				return req
			})
			if n := checked(codes); n != 5 {
				t.Fatalf("%d of %d simultaneous guesses were checked, want 5: %v", n, burst, codes)
			}
		})
	}
	t.Run("one address, many accounts", func(t *testing.T) {
		app, base, _ := limitedApp(t)
		app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
		codes := testkit.AtOnce(t, burst, func(i int) *http.Request {
			return apiReq(base, model.Staff, fmt.Sprintf("orang-%d@simpul.test", i), "203.0.113.7")
		})
		if n := checked(codes); n != 20 {
			t.Fatalf("%d of %d simultaneous guesses from one address were checked, want 20: %v", n, burst, codes)
		}
	})
	t.Run("a right password gives its slot back", func(t *testing.T) {
		_, base, _ := limitedApp(t)
		// Four at once with the right password, then five wrong ones: the
		// four successes cost nothing, so all five wrong ones are checked.
		codes := testkit.AtOnce(t, 4, func(int) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, base+"/api/collections/staff/auth-with-password",
				strings.NewReader(fmt.Sprintf(`{"identity":"loket@simpul.test","password":%q}`, password)))
			req.Header.Set("Content-Type", "application/json")
			return req
		})
		for _, c := range codes {
			if c != http.StatusOK {
				t.Fatalf("right password at once: %v", codes)
			}
		}
		codes = testkit.AtOnce(t, 5, func(int) *http.Request { return apiReq(base, model.Staff, "loket@simpul.test", "") })
		if n := checked(codes); n != 5 {
			t.Fatalf("after 4 successes, %d of 5 wrong passwords were checked: %v", n, codes)
		}
	})
}
