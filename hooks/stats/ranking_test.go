package stats_test

import (
	"testing"

	"simpul/hooks/stats"
)

func TestRankOffices(t *testing.T) {
	g := func(key string, received, num, den int) stats.Group {
		return stats.Group{Key: key, Figures: stats.Figures{Received: received, Capaian: stats.Ratio{Num: num, Den: den}}}
	}
	got := stats.RankOffices([]stats.Group{
		g("QUIET", 3, 2, 2),    // 100 % of 2: too few to rank
		g("A", 40, 18, 20),     // 90 %
		g("B", 120, 90, 100),   // 90 %, more reports: listed before A, same rank
		g("C", 30, 19, 20),     // 95 %: first
		g("SPAM", 500, 10, 10), // most reports archived as spam: 100 % of the 10 it handled
		g("NEW", 9, 0, 9),      // 9 in the denominator: not yet ranked
		g("EMPTY", 0, 0, 0),    // nothing this period
		g("D", 25, 2, 30),      // 6.7 %
		g("E", 25, 2, 30),      // the same rate as D: shares its rank
		g("LOW", 12, 11, 12),   // 91.7 %
	})
	want := []struct {
		key  string
		rank int
	}{{"SPAM", 1}, {"C", 2}, {"LOW", 3}, {"B", 4}, {"A", 4}, {"D", 6}, {"E", 6}, {"NEW", 0}, {"QUIET", 0}, {"EMPTY", 0}}
	if len(got) != len(want) {
		t.Fatalf("%d offices, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Key != w.key || got[i].Rank != w.rank {
			t.Errorf("place %d: %s ranked %d, want %s ranked %d", i+1, got[i].Key, got[i].Rank, w.key, w.rank)
		}
	}
}
