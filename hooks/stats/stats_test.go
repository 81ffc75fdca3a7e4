package stats_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
	"simpul/hooks/stats"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// want is a hand-computed Figures: each ratio as numerator and
// denominator (the percentage follows from them and is checked too), the
// medians (nil: none) and the overdue count.
type want struct {
	received                                         int
	routed, followed, completed, capaian, within     [2]int
	routedPct, followedPct, completedPct, capaianPct float64 // -1: no denominator
	withinPct                                        float64
	medianWorkingDays, medianHours                   *float64
	overdue                                          int
}

func f(x float64) *float64 { return &x }

func checkRatio(t *testing.T, what string, got stats.Ratio, nd [2]int, pct float64) {
	t.Helper()
	if got.Num != nd[0] || got.Den != nd[1] {
		t.Errorf("%s = %d/%d, want %d/%d", what, got.Num, got.Den, nd[0], nd[1])
	}
	if got.Percent() != pct {
		t.Errorf("%s = %v %%, want %v %%", what, got.Percent(), pct)
	}
}

func checkMedian(t *testing.T, what string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", what, deref(got), deref(want))
	case *got != *want:
		t.Errorf("%s = %v, want %v", what, *got, *want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

func check(t *testing.T, what string, got stats.Figures, w want) {
	t.Helper()
	if got.Received != w.received {
		t.Errorf("%s: received = %d, want %d", what, got.Received, w.received)
	}
	checkRatio(t, what+": routed", got.Routed, w.routed, w.routedPct)
	checkRatio(t, what+": followed up", got.FollowedUp, w.followed, w.followedPct)
	checkRatio(t, what+": completed", got.Completed, w.completed, w.completedPct)
	checkRatio(t, what+": capaian", got.Capaian, w.capaian, w.capaianPct)
	checkRatio(t, what+": within deadline", got.WithinDeadline, w.within, w.withinPct)
	checkMedian(t, what+": median working days", got.MedianWorkingDays, w.medianWorkingDays)
	checkMedian(t, what+": median hours", got.MedianHours, w.medianHours)
	if got.OverdueNow != w.overdue {
		t.Errorf("%s: overdue now = %d, want %d", what, got.OverdueNow, w.overdue)
	}
}

func groups(t *testing.T, what string, gs []stats.Group, keys ...string) map[string]stats.Figures {
	t.Helper()
	var got []string
	m := map[string]stats.Figures{}
	for _, g := range gs {
		got = append(got, g.Key)
		m[g.Key] = g.Figures
	}
	if strings.Join(got, ",") != strings.Join(keys, ",") {
		t.Errorf("%s: groups %q, want %q (in this order)", what, got, keys)
	}
	return m
}

func day(s string) time.Time { return testkit.At(s + " 00:00") }

// TestFixtureDeadlines checks the hand-computed deadlines of the data set
// against the office calendar (hooks/sla): the data is what the app itself
// would have stored, holidays included.
func TestFixtureDeadlines(t *testing.T) {
	app := testkit.New(t)
	cal, err := sla.CalendarFor(app)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testkit.StatsRows {
		if r.Disposed == "" {
			continue
		}
		if got, want := cal.AddWorkingDays(testkit.At(r.Disposed), 5), testkit.At(r.FollowupDue); !got.Equal(want) {
			t.Errorf("%s: follow-up due %s, hand-computed %s", r.Name, got.In(testkit.WIB), want)
		}
	}
	// Verification deadlines (3 working days) of the rows still in baru.
	for name, c := range map[string][2]string{
		"C0": {"2026-01-31 23:30", "2026-02-04 23:59:59"},
		"C6": {"2026-04-01 09:00", "2026-04-07 23:59:59"}, // over Good Friday, 3 Apr
		"C7": {"2026-04-08 10:00", "2026-04-13 23:59:59"},
	} {
		if got := cal.AddWorkingDays(testkit.At(c[0]), 3); !got.Equal(testkit.At(c[1])) {
			t.Errorf("%s: verification due %s, hand-computed %s", name, got.In(testkit.WIB), c[1])
		}
	}
	// The holiday case in working days: 17 Mar → 30 Mar is 13 calendar days
	// but 4 working days (25, 26, 27, 30 March).
	if n := cal.WorkingDaysBetween(testkit.At("2026-03-17 10:00"), testkit.At("2026-03-30 11:00")); n != 4 {
		t.Errorf("working days 17→30 Mar = %d, want 4", n)
	}
}

// TestComputeFixed checks every figure of the fixed data set against the
// arithmetic written out here. Period: 1 Feb – 30 Apr 2026 (WIB), so C0
// (31 Jan 23:30 WIB) is out and C1 (1 Feb 00:30 WIB, still 31 Jan in UTC)
// is in: C1…C9, nine reports.
func TestComputeFixed(t *testing.T) {
	app := testkit.New(t)
	recs := testkit.LoadStatsRows(t, app)
	rep, err := stats.Compute(app, stats.Query{From: day("2026-02-01"), To: day("2026-04-30")}, testkit.StatsNow)
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != "2026-02-01" || rep.To != "2026-04-30" || rep.TimeZone != "Asia/Jakarta" || rep.Unit != nil || rep.FollowupDays != 5 {
		t.Errorf("header: %s–%s %s unit %v followup days %d", rep.From, rep.To, rep.TimeZone, rep.Unit, rep.FollowupDays)
	}

	// Totals.
	//   routed (disposed_at set): C1 C2 C3 C4 C5 C9 = 6 of 9 → 66.7 %
	//   followed up (first_followup_at set): C1 C2 C3 C4 = 4 of 6 routed → 66.7 %
	//   completed (selesai): C1 C3 = 2 of 6 → 33.3 %
	//   capaian: proses C2 C4 + selesai C1 C3 = 4 of (terdisposisi C5 + those 4) = 5 → 80 %
	//     (C9 was routed but handed back as bukan_wewenang: out of LAPOR!'s count)
	//   within 5 working days: C1 C2 C3 of the 4 followed up → 75 % (C4 took 6 working days)
	//   working days to first follow-up: C1 2, C2 4, C3 4, C4 6 → median (4+4)/2 = 4
	//   hours: 54, 192, 313, 358 → median (192+313)/2 = 252.5
	//   overdue now: C5 (follow-up due 1 Apr), C6 (verification due 7 Apr) = 2
	check(t, "totals", rep.Totals, want{received: 9,
		routed: [2]int{6, 9}, routedPct: 66.7, followed: [2]int{4, 6}, followedPct: 66.7,
		completed: [2]int{2, 6}, completedPct: 33.3, capaian: [2]int{4, 5}, capaianPct: 80,
		within: [2]int{3, 4}, withinPct: 75, medianWorkingDays: f(4), medianHours: f(252.5), overdue: 2})

	// Status now: baru C6 C7, diarsipkan C8, bukan_wewenang C9, terdisposisi C5,
	// proses C2 C4, selesai C1 C3.
	wantStatus := map[string]int{"baru": 2, "tertunda": 0, "diarsipkan": 1, "bukan_wewenang": 1, "terdisposisi": 1, "proses": 2, "selesai": 2}
	if len(rep.ByStatus) != len(model.Statuses) {
		t.Errorf("by status: %v", rep.ByStatus)
	}
	for _, s := range rep.ByStatus {
		if s.Count != wantStatus[s.Status] {
			t.Errorf("status %s = %d, want %d", s.Status, s.Count, wantStatus[s.Status])
		}
	}

	// By unit, most reports first, ties by code: KES 3, PUPR 3, no unit 2, UMUM 1.
	u := groups(t, "by unit", rep.ByUnit, "KES", "PUPR", "", "UMUM")
	//   KES: C1 (selesai, 2 wd, 54 h), C2 (proses, 4 wd, 192 h), C9 (bukan_wewenang, routed only).
	//   routed 3/3; followed 2/3; completed 1/3; capaian 2/2 (C9 out); within 2/2;
	//   medians (2+4)/2 = 3 wd, (54+192)/2 = 123 h.
	check(t, "unit KES", u["KES"], want{received: 3,
		routed: [2]int{3, 3}, routedPct: 100, followed: [2]int{2, 3}, followedPct: 66.7,
		completed: [2]int{1, 3}, completedPct: 33.3, capaian: [2]int{2, 2}, capaianPct: 100,
		within: [2]int{2, 2}, withinPct: 100, medianWorkingDays: f(3), medianHours: f(123)})
	//   PUPR: C3 (selesai, 4 wd, 313 h), C4 (proses, 6 wd late, 358 h), C5 (terdisposisi, overdue).
	//   capaian 2/3; within 1/2; medians (4+6)/2 = 5 wd, (313+358)/2 = 335.5 h.
	check(t, "unit PUPR", u["PUPR"], want{received: 3,
		routed: [2]int{3, 3}, routedPct: 100, followed: [2]int{2, 3}, followedPct: 66.7,
		completed: [2]int{1, 3}, completedPct: 33.3, capaian: [2]int{2, 3}, capaianPct: 66.7,
		within: [2]int{1, 2}, withinPct: 50, medianWorkingDays: f(5), medianHours: f(335.5), overdue: 1})
	//   no unit yet: C6 (overdue verification), C7. Nothing routed: the other shares have no denominator.
	check(t, "no unit", u[""], want{received: 2, routed: [2]int{0, 2}, routedPct: 0,
		followedPct: -1, completedPct: -1, capaianPct: -1, withinPct: -1, overdue: 1})
	check(t, "unit UMUM", u["UMUM"], want{received: 1, routed: [2]int{0, 1}, routedPct: 0,
		followedPct: -1, completedPct: -1, capaianPct: -1, withinPct: -1})
	for _, g := range rep.ByUnit {
		if g.Key == "KES" && g.Label != "Unit KES" || g.Key == "" && g.Label != "Belum ditentukan" {
			t.Errorf("unit label %q for %q", g.Label, g.Key)
		}
	}

	// By top-level category: KES (KES-PUSK C1 C9, KES-JKN C2) 3, LAIN (C5 C6 C7) 3,
	// INF (INF-JALAN C3 C4) 2, PEL (PEL-PETUGAS C8) 1.
	c := groups(t, "by category", rep.ByCategory, "KES", "LAIN", "INF", "PEL")
	check(t, "category KES", c["KES"], want{received: 3,
		routed: [2]int{3, 3}, routedPct: 100, followed: [2]int{2, 3}, followedPct: 66.7,
		completed: [2]int{1, 3}, completedPct: 33.3, capaian: [2]int{2, 2}, capaianPct: 100,
		within: [2]int{2, 2}, withinPct: 100, medianWorkingDays: f(3), medianHours: f(123)})
	//   LAIN: routed C5 only (1/3); followed 0/1; completed 0/1; capaian 0/1 (C5 terdisposisi);
	//   overdue C5 and C6.
	check(t, "category LAIN", c["LAIN"], want{received: 3,
		routed: [2]int{1, 3}, routedPct: 33.3, followed: [2]int{0, 1}, followedPct: 0,
		completed: [2]int{0, 1}, completedPct: 0, capaian: [2]int{0, 1}, capaianPct: 0,
		withinPct: -1, overdue: 2})
	//   INF: C3 C4 both routed and followed up, C3 selesai; within 1/2; 5 wd, 335.5 h.
	check(t, "category INF", c["INF"], want{received: 2,
		routed: [2]int{2, 2}, routedPct: 100, followed: [2]int{2, 2}, followedPct: 100,
		completed: [2]int{1, 2}, completedPct: 50, capaian: [2]int{2, 2}, capaianPct: 100,
		within: [2]int{1, 2}, withinPct: 50, medianWorkingDays: f(5), medianHours: f(335.5)})
	for _, g := range rep.ByCategory {
		if g.Key == "INF" && g.Label != "Infrastruktur" {
			t.Errorf("category label %q", g.Label)
		}
	}

	// By channel (model order): web C1 C3 C5 C6 C7 C9, kiosk C2 C8, counter C4.
	ch := groups(t, "by channel", rep.ByChannel, "web", "kiosk", "counter")
	//   web: routed C1 C3 C5 C9 = 4/6; followed C1 C3 = 2/4; completed C1 C3 = 2/4;
	//   capaian (C1 s, C3 s, C5 t) 2/3; within 2/2; 2 and 4 wd → 3; 54 and 313 h → 183.5.
	check(t, "channel web", ch["web"], want{received: 6,
		routed: [2]int{4, 6}, routedPct: 66.7, followed: [2]int{2, 4}, followedPct: 50,
		completed: [2]int{2, 4}, completedPct: 50, capaian: [2]int{2, 3}, capaianPct: 66.7,
		within: [2]int{2, 2}, withinPct: 100, medianWorkingDays: f(3), medianHours: f(183.5), overdue: 2})
	check(t, "channel kiosk", ch["kiosk"], want{received: 2,
		routed: [2]int{1, 2}, routedPct: 50, followed: [2]int{1, 1}, followedPct: 100,
		completed: [2]int{0, 1}, completedPct: 0, capaian: [2]int{1, 1}, capaianPct: 100,
		within: [2]int{1, 1}, withinPct: 100, medianWorkingDays: f(4), medianHours: f(192)})
	check(t, "channel counter", ch["counter"], want{received: 1,
		routed: [2]int{1, 1}, routedPct: 100, followed: [2]int{1, 1}, followedPct: 100,
		completed: [2]int{0, 1}, completedPct: 0, capaian: [2]int{1, 1}, capaianPct: 100,
		within: [2]int{0, 1}, withinPct: 0, medianWorkingDays: f(6), medianHours: f(358)})

	// By type: pengaduan C1 C2 C3 C5 C7 C8 C9, aspirasi C4, permintaan_informasi C6.
	ty := groups(t, "by type", rep.ByType, "pengaduan", "aspirasi", "permintaan_informasi")
	//   pengaduan: routed C1 C2 C3 C5 C9 = 5/7 → 71.4 %; followed C1 C2 C3 = 3/5;
	//   completed C1 C3 = 2/5; capaian (C1 s, C2 p, C3 s, C5 t) 3/4; within 3/3;
	//   2, 4, 4 wd → 4; 54, 192, 313 h → 192; overdue C5.
	check(t, "type pengaduan", ty["pengaduan"], want{received: 7,
		routed: [2]int{5, 7}, routedPct: 71.4, followed: [2]int{3, 5}, followedPct: 60,
		completed: [2]int{2, 5}, completedPct: 40, capaian: [2]int{3, 4}, capaianPct: 75,
		within: [2]int{3, 3}, withinPct: 100, medianWorkingDays: f(4), medianHours: f(192), overdue: 1})
	check(t, "type permintaan_informasi", ty["permintaan_informasi"], want{received: 1,
		routed: [2]int{0, 1}, routedPct: 0, followedPct: -1, completedPct: -1, capaianPct: -1, withinPct: -1, overdue: 1})

	// By month in WIB: Feb C1 C2 C8, Mar C3 C4 C5 C9, Apr C6 C7 (C1 is February here,
	// though it is still 31 January in UTC).
	mo := groups(t, "by month", rep.ByMonth, "2026-02", "2026-03", "2026-04")
	//   Feb: routed C1 C2 = 2/3; followed 2/2; completed C1 1/2; within 2/2; (2+4)/2 = 3 wd; (54+192)/2 = 123 h.
	check(t, "month 2026-02", mo["2026-02"], want{received: 3,
		routed: [2]int{2, 3}, routedPct: 66.7, followed: [2]int{2, 2}, followedPct: 100,
		completed: [2]int{1, 2}, completedPct: 50, capaian: [2]int{2, 2}, capaianPct: 100,
		within: [2]int{2, 2}, withinPct: 100, medianWorkingDays: f(3), medianHours: f(123)})
	//   Mar: routed 4/4; followed C3 C4 2/4; completed C3 1/4; capaian (C3 s, C4 p, C5 t) 2/3;
	//   within 1/2; (4+6)/2 = 5 wd; 335.5 h; overdue C5.
	check(t, "month 2026-03", mo["2026-03"], want{received: 4,
		routed: [2]int{4, 4}, routedPct: 100, followed: [2]int{2, 4}, followedPct: 50,
		completed: [2]int{1, 4}, completedPct: 25, capaian: [2]int{2, 3}, capaianPct: 66.7,
		within: [2]int{1, 2}, withinPct: 50, medianWorkingDays: f(5), medianHours: f(335.5), overdue: 1})
	check(t, "month 2026-04", mo["2026-04"], want{received: 2, routed: [2]int{0, 2}, routedPct: 0,
		followedPct: -1, completedPct: -1, capaianPct: -1, withinPct: -1, overdue: 1})
	if rep.ByMonth[1].Label != "Maret 2026" {
		t.Errorf("month label %q", rep.ByMonth[1].Label)
	}

	// By gender, only where given: perempuan C1 C4 C6 C9, laki_laki C2 C5 C8; not given C3 C7.
	g := groups(t, "by gender", rep.ByGender, "perempuan", "laki_laki")
	//   perempuan: routed C1 C4 C9 = 3/4; followed C1 C4 = 2/3; completed C1 = 1/3;
	//   capaian (C1 s, C4 p) 2/2; within C1 = 1/2; (2+6)/2 = 4 wd; (54+358)/2 = 206 h; overdue C6.
	check(t, "gender perempuan", g["perempuan"], want{received: 4,
		routed: [2]int{3, 4}, routedPct: 75, followed: [2]int{2, 3}, followedPct: 66.7,
		completed: [2]int{1, 3}, completedPct: 33.3, capaian: [2]int{2, 2}, capaianPct: 100,
		within: [2]int{1, 2}, withinPct: 50, medianWorkingDays: f(4), medianHours: f(206), overdue: 1})
	//   laki_laki: routed C2 C5 = 2/3; followed C2 = 1/2; completed 0/2; capaian (C2 p, C5 t) 1/2;
	//   within 1/1; 4 wd; 192 h; overdue C5.
	check(t, "gender laki_laki", g["laki_laki"], want{received: 3,
		routed: [2]int{2, 3}, routedPct: 66.7, followed: [2]int{1, 2}, followedPct: 50,
		completed: [2]int{0, 2}, completedPct: 0, capaian: [2]int{1, 2}, capaianPct: 50,
		within: [2]int{1, 1}, withinPct: 100, medianWorkingDays: f(4), medianHours: f(192), overdue: 1})
	if rep.GenderNotGiven != 2 || rep.DisabilityDeclared != 1 {
		t.Errorf("gender not given %d (want 2: C3 C7), disability %d (want 1: C4)", rep.GenderNotGiven, rep.DisabilityDeclared)
	}

	// Overdue now, whenever received: C0 and C6 (verification), C5 (follow-up).
	if o := rep.OverdueAllPeriods; o.Total != 3 || o.Verification != 2 || o.Followup != 1 || o.Completion != 0 {
		t.Errorf("overdue all periods %+v, want 3 = 2 verification + 1 follow-up", o)
	}

	// No personal data and no complaint text or code in the output.
	b, _ := json.Marshal(rep)
	for _, s := range []string{testkit.ReporterName, testkit.ReporterPhone, "6281299887766", testkit.ReporterEmail, "Jalan rusak", "Lubang"} {
		if strings.Contains(string(b), s) {
			t.Errorf("report carries %q", s)
		}
	}
	for name, r := range recs {
		if strings.Contains(string(b), r.GetString("tracking_code")) || strings.Contains(string(b), r.Id) {
			t.Errorf("report carries %s's tracking code or id", name)
		}
	}
}

// TestComputePeriodsAndUnits narrows the fixed data set by period and by
// unit, and checks the period edges in the office's time zone.
func TestComputePeriodsAndUnits(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)

	// March only: C3 C4 C5 C9, the same as the March row above.
	rep, err := stats.Compute(app, stats.Query{From: day("2026-03-01"), To: day("2026-03-31")}, testkit.StatsNow)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "March", rep.Totals, want{received: 4,
		routed: [2]int{4, 4}, routedPct: 100, followed: [2]int{2, 4}, followedPct: 50,
		completed: [2]int{1, 4}, completedPct: 25, capaian: [2]int{2, 3}, capaianPct: 66.7,
		within: [2]int{1, 2}, withinPct: 50, medianWorkingDays: f(5), medianHours: f(335.5), overdue: 1})
	groups(t, "March months", rep.ByMonth, "2026-03")

	// The edges are inclusive office-zone dates: 31 Jan alone holds C0 (23:30 WIB) only;
	// 1 Feb alone holds C1 (00:30 WIB) only.
	for _, c := range []struct {
		from, to string
		n        int
	}{
		{"2026-01-31", "2026-01-31", 1}, {"2026-02-01", "2026-02-01", 1},
		{"2026-04-01", "2026-04-07", 1}, // C6 (1 Apr); C7 is 8 Apr
		{"2026-01-01", "2026-12-31", 10},
		{"2026-05-01", "2026-05-31", 0},
	} {
		rep, err := stats.Compute(app, stats.Query{From: day(c.from), To: day(c.to)}, testkit.StatsNow)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Totals.Received != c.n {
			t.Errorf("%s…%s: %d reports, want %d", c.from, c.to, rep.Totals.Received, c.n)
		}
	}
	// A quiet period still lists its months, with zeros and no percentages.
	rep, _ = stats.Compute(app, stats.Query{From: day("2026-05-01"), To: day("2026-06-30")}, testkit.StatsNow)
	groups(t, "quiet months", rep.ByMonth, "2026-05", "2026-06")
	if rep.Totals.Routed.Pct != nil || rep.Totals.MedianHours != nil || len(rep.ByUnit) != 0 {
		t.Errorf("empty period: %+v", rep.Totals)
	}

	// One unit: PUPR (C3 C4 C5), and only its overdue reports of any period (C5).
	pupr := testkit.Unit(t, app, "PUPR")
	rep, err = stats.Compute(app, stats.Query{From: day("2026-02-01"), To: day("2026-04-30"), UnitID: pupr.Id}, testkit.StatsNow)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unit == nil || rep.Unit.Code != "PUPR" || rep.Totals.Received != 3 || rep.OverdueAllPeriods.Total != 1 {
		t.Errorf("unit PUPR: %+v, %d reports, overdue %+v", rep.Unit, rep.Totals.Received, rep.OverdueAllPeriods)
	}
	groups(t, "PUPR units", rep.ByUnit, "PUPR")

	// Bad periods.
	for _, q := range []stats.Query{
		{From: day("2026-03-02"), To: day("2026-03-01")},
		{From: day("2020-01-01"), To: day("2025-01-02")},
		{To: day("2026-03-01")},
	} {
		if _, err := stats.Compute(app, q, testkit.StatsNow); !errors.Is(err, stats.ErrPeriod) {
			t.Errorf("%v…%v: %v, want ErrPeriod", q.From, q.To, err)
		}
	}
	// Exactly five years is allowed.
	if _, err := stats.Compute(app, stats.Query{From: day("2021-01-01"), To: day("2026-01-01")}, testkit.StatsNow); err != nil {
		t.Errorf("five years: %v", err)
	}
}

// TestComputeSixDayWeek: a puskesmas working Monday to Saturday counts
// Saturdays as working days, so the medians in working days grow; the
// share within the deadline does not change, because each deadline was
// fixed at disposition (followup_due_at) and history is not rewritten.
func TestComputeSixDayWeek(t *testing.T) {
	app := testkit.New(t)
	testkit.LoadStatsRows(t, app)
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("working_weekdays", []int{1, 2, 3, 4, 5, 6})
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	cal, _ := sla.CalendarFor(app)
	// Mon–Sat: 17 Mar + 5 working days = 25, 26, 27, 28 (Sat), 30 → Mon 30 Mar.
	if got := cal.AddWorkingDays(testkit.At("2026-03-17 10:00"), 5); !got.Equal(testkit.At("2026-03-30 23:59:59")) {
		t.Errorf("Mon–Sat due %s", got.In(testkit.WIB))
	}
	rep, err := stats.Compute(app, stats.Query{From: day("2026-02-01"), To: day("2026-04-30")}, testkit.StatsNow)
	if err != nil {
		t.Fatal(err)
	}
	// Working days to first follow-up with Saturdays:
	//   C1 2 Feb → 4 Feb: 3, 4 = 2
	//   C2 11 Feb → 19 Feb: 12, 13, 14 (Sat), 18, 19 = 5 (16, 17 Imlek holidays)
	//   C3 17 Mar → 30 Mar: 25, 26, 27, 28 (Sat), 30 = 5
	//   C4 17 Mar → 1 Apr: 25, 26, 27, 28, 30, 31, 1 = 7
	//   median of 2, 5, 5, 7 = 5; KES (2, 5) → 3.5; PUPR (5, 7) → 6. Hours unchanged.
	checkMedian(t, "Mon–Sat median", rep.Totals.MedianWorkingDays, f(5))
	checkMedian(t, "Mon–Sat hours", rep.Totals.MedianHours, f(252.5))
	u := groups(t, "Mon–Sat units", rep.ByUnit, "KES", "PUPR", "", "UMUM")
	checkMedian(t, "Mon–Sat KES", u["KES"].MedianWorkingDays, f(3.5))
	checkMedian(t, "Mon–Sat PUPR", u["PUPR"].MedianWorkingDays, f(6))
	checkRatio(t, "Mon–Sat within", rep.Totals.WithinDeadline, [2]int{3, 4}, 75)
}

// TestLabels covers the names people read.
func TestLabels(t *testing.T) {
	for _, c := range [][4]string{
		{"id", stats.DimMonth, "2026-03", "Maret 2026"},
		{"en", stats.DimMonth, "2026-03", "March 2026"},
		{"id", stats.DimChannel, "counter", "Loket"},
		{"en", stats.DimGender, "laki_laki", "Male"},
		{"id", stats.DimType, "permintaan_informasi", "Permintaan informasi"},
		{"en", stats.DimUnit, "", "Not assigned"},
		{"id", stats.DimChannel, "pigeon", "pigeon"},
	} {
		if got := stats.Label(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("Label(%s, %s, %s) = %q, want %q", c[0], c[1], c[2], got, c[3])
		}
	}
	_ = core.App(nil)
}
