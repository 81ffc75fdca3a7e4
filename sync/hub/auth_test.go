package hub_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"simpul/hooks/platform/clock"
	"simpul/sync/protocol"
	"simpul/ui/testkit"
)

// servedHub is a hub with the registered node on a stopped clock (no
// budget refills during the test) that trusts X-Forwarded-For, so
// requests can come from several addresses.
func servedHub(t *testing.T) (base string, now time.Time) {
	t.Helper()
	app := withNode(true)(t)
	t.Cleanup(app.Cleanup)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	now = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	clock.Set(app, clock.Fixed(now))
	return testkit.Serve(t, app).URL, now
}

// pull sends a pull from address, signed with secret (the node's own, or
// a guess), and returns the status and Retry-After.
func pull(t *testing.T, base, address, secret string, at time.Time) (int, string) {
	t.Helper()
	req := pullRequest(base, address, secret, at)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Retry-After")
}

func pullRequest(base, address, secret string, at time.Time) *http.Request {
	u := protocol.PullPath + "?cursor=0&limit=1"
	req, _ := http.NewRequest(http.MethodGet, base+u, nil)
	protocol.SetHeaders(req, nodeID, protocol.DeriveKey(secret), nil, at)
	req.Header.Set("X-Forwarded-For", address)
	return req
}

// Requests that name a node but are not signed with its key do not spend
// that node's budget (anyone who knows a node's id could otherwise block
// its sync): they are limited per address instead, 20 failures per 15
// minutes (docs/security.md), then 429 with Retry-After — and only for
// that address. The node itself, signing, is served throughout.
func TestForgedRequestsDoNotSpendTheNodesBudget(t *testing.T) {
	base, now := servedHub(t)
	const attacker, other, node = "203.0.113.7", "203.0.113.8", "198.51.100.1"
	for i := range 100 {
		st, retry := pull(t, base, attacker, "a-guessed-secret", now)
		switch {
		case i < 20 && st != http.StatusUnauthorized:
			t.Fatalf("forged request %d: %d, want 401", i+1, st)
		case i >= 20 && st != http.StatusTooManyRequests:
			t.Fatalf("forged request %d: %d, want 429 (the address's budget is spent)", i+1, st)
		case i >= 20:
			if secs, err := strconv.Atoi(retry); err != nil || secs < 1 || secs > 15*60 {
				t.Fatalf("Retry-After %q", retry)
			}
		}
	}
	if st, _ := pull(t, base, other, "a-guessed-secret", now); st != http.StatusUnauthorized {
		t.Fatalf("another address is limited too: %d", st)
	}
	// The hub's per-node budget is 60 requests at once: all of them are
	// still the node's.
	for i := range 60 {
		if st, _ := pull(t, base, node, nodeSecret, now); st != http.StatusOK {
			t.Fatalf("the node's signed request %d after the forgeries: %d, want 200", i+1, st)
		}
	}
	if st, _ := pull(t, base, node, nodeSecret, now); st != http.StatusTooManyRequests {
		t.Fatalf("the node's own budget: request 61 got %d, want 429", st)
	}
}

// Thirty forged signatures sent at the same instant from one address get
// at most 20 checked: each reserves its slot before the signature is.
func TestForgedSignaturesAtOnce(t *testing.T) {
	base, now := servedHub(t)
	const burst = 30
	codes := testkit.AtOnce(t, burst, func(int) *http.Request {
		return pullRequest(base, "203.0.113.7", "a-guessed-secret", now)
	})
	checked := testkit.Tally(t, codes, http.StatusUnauthorized)
	if checked != 20 {
		t.Fatalf("%d of %d simultaneous forgeries were checked, want 20: %v", checked, burst, codes)
	}
}
