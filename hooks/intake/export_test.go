package intake

import (
	"time"

	"simpul/hooks/platform/clock"

	"github.com/pocketbase/pocketbase/core"
)

// CommitBatch validates reqs and writes them as one group-commit batch, as
// the writer does when they arrive together (tests only). A request that
// fails validation is reported in errs without joining the batch.
func CommitBatch(app core.App, reqs []Request) ([]*Result, []error) {
	st := stateOf(app)
	refs, err := st.refs.get(app, st.cfg.PublicURL, st.cfg.TimeZone)
	if err != nil {
		panic(err)
	}
	results, errs := make([]*Result, len(reqs)), make([]error, len(reqs))
	var batch []*job
	var index []int
	for i, r := range reqs {
		d, refused := validate(refs, r, clock.Now(app))
		if refused != nil {
			errs[i] = refused
			continue
		}
		if d.pre, err = prepare(app, d); err != nil {
			panic(err)
		}
		batch = append(batch, &job{d: d, done: make(chan struct{})})
		index = append(index, i)
	}
	st.writer.commit(batch)
	for k, j := range batch {
		results[index[k]], errs[index[k]] = j.res, j.err
	}
	return results, errs
}

// Clean, Phone and Sniff expose the pure helpers to the tests.
var (
	Clean = cleanText
	Phone = phoneDigits
	Sniff = sniff
)

// Allow is limiter.allow with an explicit clock.
func (l *limiter) Allow(key string, lim Limit, now time.Time) (bool, time.Duration) {
	return l.allow(key, lim, now)
}

// NewLimiter returns an empty limiter.
func NewLimiter() *limiter { return newLimiter() }

// SetCodes makes the next tracking codes come from codes (then random
// ones again), to force a clash; it returns the undo.
func SetCodes(codes ...string) func() {
	saved := newCode
	newCode = func() string {
		if len(codes) == 0 {
			return saved()
		}
		c := codes[0]
		codes = codes[1:]
		return c
	}
	return func() { newCode = saved }
}

// PlainString exposes the single-pass string read of DecodeJSON.
var PlainString = plainString
