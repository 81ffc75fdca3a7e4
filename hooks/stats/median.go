package stats

import (
	"math"
	"slices"
	"time"
)

// Exact medians from histograms (see store.go).
//
// The scan computed a group's median delay as the middle value (the mean
// of the two middle values for an even count) of the delays in hours,
// then rounded it to one decimal: math.Round(m*10)/10. A histogram of the
// delays in tenths of an hour rounded half up (v = (ms + 180000) / 360000)
// gives that result without the delays themselves, exactly, because
// rounding is monotone and Go's float arithmetic rounds every delay as the
// integer formula does (TestTenthsMatchFloat checks every delay on a half
// tenth up to 200 years, where float error could show, and random ones):
//
//   - the middle value of an odd count rounds to its bucket;
//   - the mean of two values of one bucket rounds to that bucket (it lies
//     between them).
//
// Only an even count whose two middle values lie in different buckets
// needs the two exact delays: they are read from stats_f.

// bin is one histogram bucket.
type bin struct{ n int }

// hist is a histogram of one group, by bucket value.
type hist map[int64]*bin

func (h hist) add(v int64, n int) {
	b := h[v]
	if b == nil {
		b = &bin{}
		h[v] = b
	}
	b.n += n
}

func (h hist) total() int {
	n := 0
	for _, b := range h {
		n += b.n
	}
	return n
}

// at finds the i-th smallest value (0-based): its bucket and its position
// within the bucket.
func (h hist) at(keys []int64, i int) (v int64, j int) {
	for _, k := range keys {
		b := h[k]
		if i < b.n {
			return k, i
		}
		i -= b.n
	}
	return -1, -1
}

func (h hist) keys() []int64 {
	ks := make([]int64, 0, len(h))
	for k, b := range h {
		if b.n > 0 {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

func round1(m float64) *float64 {
	m = math.Round(m*10) / 10
	return &m
}

// medianInts is the median of a histogram of whole numbers (working days),
// as median() gives it for the values themselves.
func medianInts(h hist) *float64 {
	n := h.total()
	if n == 0 {
		return nil
	}
	ks := h.keys()
	if n%2 == 1 {
		v, _ := h.at(ks, n/2)
		return round1(float64(v))
	}
	a, _ := h.at(ks, n/2-1)
	b, _ := h.at(ks, n/2)
	return round1((float64(a) + float64(b)) / 2)
}

// hoursOf is a delay in milliseconds in hours, as the scan computed it.
func hoursOf(ms int64) float64 { return max(time.Duration(ms*int64(time.Millisecond)).Hours(), 0) }

// tenthsOf is what the scan's rounding made of one delay (in tenths).
func tenthsOf(ms int64) float64 { return math.Round(hoursOf(ms) * 10) }

// tenths is the histogram's bucket of a delay (store.go's SQL does the same).
func tenths(ms int64) int64 { return (ms + 180000) / 360000 }

// medianTenths is the median delay in hours of a histogram of tenths (see
// above). exact reads the delay at a position (0-based, in the group's
// order) from the stored rows when the histogram cannot tell.
func medianTenths(h hist, exact func(v int64, j int) (int64, error)) (*float64, error) {
	n := h.total()
	if n == 0 {
		return nil, nil
	}
	ks := h.keys()
	if n%2 == 1 {
		v, _ := h.at(ks, n/2)
		m := float64(v) / 10
		return &m, nil
	}
	va, ja := h.at(ks, n/2-1)
	vb, jb := h.at(ks, n/2)
	if va == vb {
		m := float64(va) / 10
		return &m, nil
	}
	a, err := exact(va, ja)
	if err != nil {
		return nil, err
	}
	b, err := exact(vb, jb)
	if err != nil {
		return nil, err
	}
	return round1((hoursOf(a) + hoursOf(b)) / 2), nil
}
