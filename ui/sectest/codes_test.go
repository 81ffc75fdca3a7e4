package sectest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/open311"
	"simpul/ui/testkit"
)

// codeApp is a served app that trusts X-Forwarded-For (as behind the
// documented proxy) with one real complaint; it returns the base URL and
// the complaint's code.
func codeApp(t *testing.T) (string, string) {
	t.Helper()
	app := testkit.New(t)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	code := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses}).GetString("tracking_code")
	return testkit.Serve(t, app).URL, code
}

func getFrom(t *testing.T, base, path, address string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("X-Forwarded-For", address)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Retry-After")
}

// Every lookup by tracking code (the tracking API, /lacak, Open311 by id)
// spends one budget of unknown codes per client address: 30 per 15
// minutes (docs/security.md §6), then 429 with Retry-After on every path,
// for real codes too (the slot is taken before the lookup). Real codes
// cost nothing, codes with a typo never reach the database, and another
// address is not affected. Before, an address could look up unknown codes
// without end.
func TestUnknownCodesShareOneBudget(t *testing.T) {
	base, real := codeApp(t)
	const guesser, other = "203.0.113.7", "203.0.113.8"
	for range 50 { // a real code, looked up again and again: free
		if st, _ := getFrom(t, base, "/api/track/"+real, guesser); st != http.StatusOK {
			t.Fatalf("real code: %d", st)
		}
	}
	typo := []byte(trackcode.New())
	typo[len(typo)-1] ^= 1 // breaks the check character
	for range 50 {
		if st, _ := getFrom(t, base, "/api/track/"+string(typo), guesser); st != http.StatusBadRequest {
			t.Fatalf("code with a typo: %d, want 400", st)
		}
	}
	// 10 + 10 + 5 + 5 unknown codes over the four paths (one Open311
	// request carries five).
	paths := []func() string{
		func() string { return "/api/track/" + trackcode.New() },
		func() string { return "/lacak/" + trackcode.New() },
		func() string { return "/open311/v2/requests/" + trackcode.New() + ".json" },
	}
	for _, p := range paths[:2] {
		for range 10 {
			if st, _ := getFrom(t, base, p(), guesser); st != http.StatusNotFound {
				t.Fatalf("unknown code: %d, want 404", st)
			}
		}
	}
	for range 5 {
		if st, _ := getFrom(t, base, paths[2](), guesser); st != http.StatusNotFound {
			t.Fatalf("unknown code on Open311: %d, want 404", st)
		}
	}
	five := make([]string, 5)
	for i := range five {
		five[i] = trackcode.New()
	}
	if st, _ := getFrom(t, base, "/open311/v2/requests.json?service_request_id="+strings.Join(five, ","), guesser); st != http.StatusOK {
		t.Fatalf("five unknown codes in one Open311 request: %d", st)
	}
	for _, path := range []string{paths[0](), paths[1](), paths[2](), "/api/track/" + real, "/lacak/" + real,
		"/open311/v2/requests.json?service_request_id=" + real} {
		st, retry := getFrom(t, base, path, guesser)
		if st != http.StatusTooManyRequests {
			t.Fatalf("%s after 30 unknown codes: %d, want 429", path, st)
		}
		if secs, err := strconv.Atoi(retry); err != nil || secs < 1 || secs > 15*60 {
			t.Fatalf("%s: Retry-After %q", path, retry)
		}
	}
	if st, _ := getFrom(t, base, "/api/track/"+real, other); st != http.StatusOK {
		t.Fatalf("another address: %d", st)
	}
}

// Forty unknown codes sent at the same instant from one address get
// exactly 30 looked up: each reserves its slot before the database is
// asked.
func TestUnknownCodesAtOnce(t *testing.T) {
	base, _ := codeApp(t)
	const burst = 40
	paths := make([]string, burst)
	for i := range paths {
		paths[i] = "/api/track/" + trackcode.New()
	}
	codes := testkit.AtOnce(t, burst, func(i int) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+paths[i], nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		return req
	})
	looked := testkit.Tally(t, codes, http.StatusNotFound)
	if looked != 30 {
		t.Fatalf("%d of %d simultaneous unknown codes were looked up, want 30: %v", looked, burst, codes)
	}
}

// Without an api_key an Open311 request may name at most 10 codes; with
// an admin-issued key up to 1,000 (before: 1,000 for anyone, harvesting a
// thousand guesses a request).
func TestOpen311IDsPerRequest(t *testing.T) {
	list := func(n int) string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = trackcode.New()
		}
		return strings.Join(ids, ",")
	}
	for _, tc := range []struct {
		name   string
		n      int
		key    bool
		status int
		want   string
	}{
		{"10 without a key", 10, false, 200, "[]"},
		{"11 without a key", 11, false, 400, "At most 10 service_request_id"},
		{"1000 without a key", 1000, false, 400, "At most 10 service_request_id"},
		{"11 with a key", 11, true, 200, "[]"},
	} {
		s := &tests.ApiScenario{
			Name:            tc.name,
			Method:          http.MethodGet,
			URL:             "/open311/v2/requests.json?service_request_id=" + list(tc.n),
			ExpectedStatus:  tc.status,
			ExpectedContent: []string{tc.want},
		}
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			if tc.key {
				creds, err := open311.AddKey(app, "Mitra")
				if err != nil {
					t.Fatal(err)
				}
				s.URL += "&api_key=" + creds.APIKey
			}
			return app
		}
		s.Test(t)
	}
}
