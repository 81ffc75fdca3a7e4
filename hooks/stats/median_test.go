package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTenthsMatchFloat: the store's integer bucket of a delay equals what
// the scan's float arithmetic rounds it to, for every delay exactly on a
// half tenth of an hour (where float error could tip the rounding) up to
// 200 years, and for random delays.
func TestTenthsMatchFloat(t *testing.T) {
	const max = 2 * 36525 * 24 * 10 // tenths of an hour in 200 years (two centuries of 36,525 days)
	for v := int64(1); v <= max; v++ {
		ms := 180000 * (2*v - 1)
		if got := tenthsOf(ms); got != float64(tenths(ms)) {
			t.Fatalf("a delay of %d ms rounds to %v tenths in float, %d in the store", ms, got, tenths(ms))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		ms := rng.Int64N(max * 360000)
		if got := tenthsOf(ms); got != float64(tenths(ms)) {
			t.Fatalf("a delay of %d ms rounds to %v tenths in float, %d in the store", ms, got, tenths(ms))
		}
	}
}

// TestMedianFromHistogram: the histogram medians equal the median of the
// values themselves (median, as the scan takes it), for random sets with
// duplicates, odd and even counts, wide and narrow spreads.
func TestMedianFromHistogram(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 20000 {
		n := 1 + rng.IntN(40)
		spread := []int64{1, 1000, 360000, 3600000, 100 * 3600000}[trial%5]
		ms := make([]int64, n)
		for i := range ms {
			ms[i] = rng.Int64N(spread) + int64(rng.IntN(3))*180000
		}
		hours := make([]float64, n)
		wds := make([]float64, n)
		h, w := hist{}, hist{}
		for i, x := range ms {
			hours[i] = hoursOf(x)
			h.add(tenths(x), 1)
			wd := x / 3600000 % 7
			wds[i] = float64(wd)
			w.add(wd, 1)
		}
		sorted := slices.Clone(ms)
		slices.Sort(sorted)
		reads := 0
		got, err := medianTenths(h, func(v int64, j int) (int64, error) {
			reads++
			var in []int64
			for _, x := range sorted {
				if tenths(x) == v {
					in = append(in, x)
				}
			}
			return in[j], nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := median(hours)
		if *got != *want {
			t.Fatalf("trial %d: delays %v: histogram median %v h, values %v h", trial, ms, *got, *want)
		}
		if n%2 == 1 && reads > 0 {
			t.Fatalf("trial %d: an odd count read exact delays", trial)
		}
		if gw, ww := medianInts(w), median(wds); *gw != *ww {
			t.Fatalf("trial %d: working days %v: histogram median %v, values %v", trial, wds, *gw, *ww)
		}
	}
}
