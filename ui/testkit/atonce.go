package testkit

import (
	"io"
	"net/http"
	"sync"
	"testing"
)

// AtOnce sends the n requests build makes all at the same instant (each
// goroutine waits for one signal), as a guesser racing a limit would, and
// returns their status codes in build's order. A request that gets no
// answer fails the test.
func AtOnce(t testing.TB, n int, build func(i int) *http.Request) []int {
	t.Helper()
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = build(i)
	}
	codes := make([]int, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return codes
}

// Tally counts the answers that are want (each one a guess the limit let
// through to be checked); any answer but want and the limit's 429 fails
// the test.
func Tally(t testing.TB, codes []int, want int) int {
	t.Helper()
	n := 0
	for _, c := range codes {
		switch c {
		case want:
			n++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("unexpected answer %d among %v", c, codes)
		}
	}
	return n
}
