package workdays

import (
	"testing"
	"time"
)

// Holidays of 2025-12 … 2027-01 from the SKB 3 Menteri (migrations/data/holidays-id.md).
var skb = []string{
	"2025-12-25", "2025-12-26", "2026-01-01", "2026-01-16", "2026-02-16", "2026-02-17",
	"2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24",
	"2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-15", "2026-05-27", "2026-05-28",
	"2026-05-31", "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-24", "2026-12-25",
	"2027-01-01", "2027-01-05",
}

var (
	monFri = []int{1, 2, 3, 4, 5}
	monSat = []int{1, 2, 3, 4, 5, 6}
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func cal(t *testing.T, tz string, weekdays []int, holidays []string) *Calendar {
	t.Helper()
	c, err := New(zone(t, tz), weekdays, holidays)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		name     string
		tz       string
		weekdays []int
		from     string // RFC 3339
		n        int
		want     string // local date of the deadline
	}{
		{"friday over the weekend", "Asia/Jakarta", monFri, "2026-11-20T10:00:00+07:00", 3, "2026-11-25"},
		{"received on a saturday", "Asia/Jakarta", monFri, "2026-11-21T10:00:00+07:00", 3, "2026-11-25"},
		{"same day when n is 0", "Asia/Jakarta", monFri, "2026-11-20T10:00:00+07:00", 0, "2026-11-20"},
		{"idulfitri with cuti bersama", "Asia/Jakarta", monFri, "2026-03-17T09:00:00+07:00", 3, "2026-03-27"},
		{"nyepi eve", "Asia/Makassar", monFri, "2026-03-16T09:00:00+08:00", 1, "2026-03-17"},
		{"christmas cuti bersama", "Asia/Jakarta", monFri, "2026-12-23T09:00:00+07:00", 3, "2026-12-30"},
		{"over the year end", "Asia/Jakarta", monFri, "2026-12-23T09:00:00+07:00", 5, "2027-01-04"},
		{"isra mikraj in january 2027", "Asia/Jayapura", monFri, "2027-01-04T09:00:00+09:00", 1, "2027-01-06"},
		{"monday-saturday puskesmas", "Asia/Jakarta", monSat, "2026-11-20T10:00:00+07:00", 3, "2026-11-24"},
		{"monday-saturday over idulfitri", "Asia/Jakarta", monSat, "2026-03-17T09:00:00+07:00", 3, "2026-03-27"},
		{"ten days for auto-close", "Asia/Jakarta", monFri, "2026-05-11T09:00:00+07:00", 10, "2026-05-29"},
		// 15:30 UTC on a Thursday is still Thursday in WIB and WITA but
		// already Friday in WIT, so the next working day differs.
		{"WIB day boundary", "Asia/Jakarta", monFri, "2026-11-19T15:30:00Z", 1, "2026-11-20"},
		{"WITA day boundary", "Asia/Makassar", monFri, "2026-11-19T15:30:00Z", 1, "2026-11-20"},
		{"WIT day boundary", "Asia/Jayapura", monFri, "2026-11-19T15:30:00Z", 1, "2026-11-23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cal(t, tt.tz, tt.weekdays, skb)
			from, err := time.Parse(time.RFC3339, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			got := c.AddWorkingDays(from, tt.n)
			if got.Location() != c.Location() {
				t.Errorf("deadline in %v, want the office zone %v", got.Location(), c.Location())
			}
			if d := got.Format(time.DateOnly); d != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
			if h, m, s := got.Clock(); h != 23 || m != 59 || s != 59 {
				t.Errorf("deadline %s is not the end of the day", got)
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		tz   string
		at   string
		want bool
	}{
		{"Asia/Jakarta", "2026-11-20T16:30:00Z", true},   // Fri 23:30 WIB
		{"Asia/Makassar", "2026-11-20T16:30:00Z", false}, // Sat 00:30 WITA
		{"Asia/Jayapura", "2026-11-20T16:30:00Z", false}, // Sat 01:30 WIT
		{"Asia/Jakarta", "2026-08-17T09:00:00+07:00", false},
		{"Asia/Jakarta", "2026-03-20T09:00:00+07:00", false}, // cuti bersama
		{"Asia/Jakarta", "2026-03-25T09:00:00+07:00", true},
	}
	for _, tt := range tests {
		c := cal(t, tt.tz, monFri, skb)
		at, _ := time.Parse(time.RFC3339, tt.at)
		if got := c.IsWorkingDay(at); got != tt.want {
			t.Errorf("IsWorkingDay(%s in %s) = %v, want %v", tt.at, tt.tz, got, tt.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := cal(t, "Asia/Jakarta", monFri, skb)
	p := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-11-20T10:00:00+07:00", "2026-11-27T10:00:00+07:00", 5},
		{"2026-11-20T10:00:00+07:00", "2026-11-20T23:00:00+07:00", 0},
		{"2026-11-27T10:00:00+07:00", "2026-11-20T10:00:00+07:00", 0},
		{"2026-03-17T09:00:00+07:00", "2026-03-27T09:00:00+07:00", 3},
		{"2026-12-23T09:00:00+07:00", "2027-01-04T09:00:00+07:00", 5},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(p(tt.from), p(tt.to)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// The two functions agree: n working days later is n working days between.
	from := p("2026-01-02T08:00:00+07:00")
	for n := 0; n < 300; n++ {
		if got := c.WorkingDaysBetween(from, c.AddWorkingDays(from, n)); got != n {
			t.Fatalf("WorkingDaysBetween(from, AddWorkingDays(from, %d)) = %d", n, got)
		}
	}
}

func TestAddCalendarDays(t *testing.T) {
	c := cal(t, "Asia/Jakarta", monFri, skb)
	from, _ := time.Parse(time.RFC3339, "2026-11-20T22:00:00Z") // Sat 05:00 WIB
	if got := c.AddCalendarDays(from, 60).Format(time.DateOnly); got != "2027-01-20" {
		t.Errorf("AddCalendarDays = %s, want 2027-01-20", got)
	}
}

func TestCivilDayMatchesTimePackage(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200*366; i += 7 {
		d := start.AddDate(0, 0, i)
		n := civilDay(d.Date())
		if want := d.Unix() / 86400; n != want {
			t.Fatalf("civilDay(%s) = %d, want %d", d.Format(time.DateOnly), n, want)
		}
		y, m, dd := civilFromDay(n)
		if y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("civilFromDay(%d) = %d-%d-%d, want %s", n, y, m, dd, d.Format(time.DateOnly))
		}
		if w := isoWeekday(n); w != (int(d.Weekday())+6)%7+1 {
			t.Fatalf("isoWeekday(%s) = %d", d.Format(time.DateOnly), w)
		}
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	loc := zone(t, "Asia/Jakarta")
	bad := []struct {
		weekdays []int
		holidays []string
	}{
		{nil, nil},
		{[]int{0}, nil},
		{[]int{8}, nil},
		{monFri, []string{"2026-13-01"}},
		{monFri, []string{"17 Agustus"}},
	}
	for _, b := range bad {
		if _, err := New(loc, b.weekdays, b.holidays); err == nil {
			t.Errorf("New(%v, %v) accepted bad input", b.weekdays, b.holidays)
		}
	}
	if _, err := New(nil, monFri, nil); err == nil {
		t.Error("New(nil zone) accepted")
	}
}

// BenchmarkAddWorkingDays is the due-date computation on the intake and
// transition paths (target ≤ 2 µs). The baseline is time.AddDate, the
// cheapest date arithmetic the standard library offers.
func BenchmarkAddWorkingDays(b *testing.B) {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	c, _ := New(loc, monFri, skb)
	from := time.Date(2026, 3, 17, 9, 0, 0, 0, loc)
	b.Run("baseline_AddDate", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = from.AddDate(0, 0, 5)
		}
	})
	for _, n := range []int{3, 5, 10} {
		b.Run("n="+string(rune('0'+n/10))+string(rune('0'+n%10)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_ = c.AddWorkingDays(from, n)
			}
		})
	}
}
