package stats

import (
	"cmp"
	"slices"
)

// MinRanked is how many reports an office needs in the capaian's
// denominator (reports now terdisposisi, proses or selesai) before it is
// ranked: below it one report moves the rate by 10 points or more, so a
// quiet puskesmas with 2 of 2 would otherwise lead a province. Ours, not a
// LAPOR! rule (docs/statistics.md).
const MinRanked = 10

// RankedOffice is one office in the ranking of a hub's offices.
type RankedOffice struct {
	Rank int // 1 = best; offices with the same rate share a rank; 0: not ranked (too few reports)
	Group
}

// RankOffices ranks the offices of by_office by capaian tindak lanjut,
// fairly: only offices with at least MinRanked reports in the rate's
// denominator are ranked; reports archived as spam, duplicates or out of
// scope are not in that denominator (docs/statistics.md), so they count
// neither for nor against an office; equal rates share a rank (1, 1, 3),
// and among them the office that handled more reports is listed first.
// The rest follow unranked, most reports first.
func RankOffices(gs []Group) []RankedOffice {
	var ranked, rest []RankedOffice
	for _, g := range gs {
		if g.Capaian.Den >= MinRanked {
			ranked = append(ranked, RankedOffice{Group: g})
		} else {
			rest = append(rest, RankedOffice{Group: g})
		}
	}
	// a/b against c/d without rounding: a·d against c·b.
	rate := func(x, y RankedOffice) int {
		return cmp.Compare(y.Capaian.Num*x.Capaian.Den, x.Capaian.Num*y.Capaian.Den)
	}
	slices.SortFunc(ranked, func(x, y RankedOffice) int {
		if c := rate(x, y); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Capaian.Den, x.Capaian.Den); c != 0 {
			return c
		}
		return cmp.Compare(x.Key, y.Key)
	})
	for i := range ranked {
		ranked[i].Rank = i + 1
		if i > 0 && rate(ranked[i-1], ranked[i]) == 0 {
			ranked[i].Rank = ranked[i-1].Rank
		}
	}
	slices.SortFunc(rest, func(x, y RankedOffice) int {
		if c := cmp.Compare(y.Received, x.Received); c != 0 {
			return c
		}
		return cmp.Compare(x.Key, y.Key)
	})
	return append(ranked, rest...)
}
