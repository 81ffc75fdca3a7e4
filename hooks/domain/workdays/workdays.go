// Package workdays counts SP4N-LAPOR! working days: the office's working
// weekdays in its own time zone, minus national holidays, cuti bersama and
// local holidays. It is pure: the caller supplies the zone, the weekdays and
// the holiday dates, so every rule is table-tested without a database.
//
// A deadline of n working days after a moment falls at the end (23:59:59
// local time) of the n-th working day after that moment's local day: a
// complaint received on Friday at 16:00 with 3 working days to verify is
// due on Wednesday at 23:59:59, whatever time of day it arrived.
package workdays

import (
	"fmt"
	"time"
)

// Calendar answers working-day questions for one office. It is immutable
// and safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	working  [8]bool // ISO weekday 1 (Monday) … 7 (Sunday)
	holidays map[int64]bool
}

// New builds a calendar. weekdays are ISO weekday numbers (1 = Monday);
// holidays are dates "YYYY-MM-DD" in the office's calendar.
func New(loc *time.Location, weekdays []int, holidays []string) (*Calendar, error) {
	if loc == nil {
		return nil, fmt.Errorf("workdays: no time zone")
	}
	c := &Calendar{loc: loc, holidays: make(map[int64]bool, len(holidays))}
	for _, d := range weekdays {
		if d < 1 || d > 7 {
			return nil, fmt.Errorf("workdays: weekday %d is not 1…7", d)
		}
		c.working[d] = true
	}
	if len(weekdays) == 0 {
		return nil, fmt.Errorf("workdays: no working weekdays")
	}
	for _, h := range holidays {
		t, err := time.Parse(time.DateOnly, h)
		if err != nil {
			return nil, fmt.Errorf("workdays: holiday %q: %w", h, err)
		}
		c.holidays[civilDay(t.Date())] = true
	}
	return c, nil
}

// Location is the office's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkingDay reports whether t's local day is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.isWorking(c.day(t)) }

// AddWorkingDays returns the end of the n-th working day after from's local
// day (n ≤ 0: the end of from's own day).
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	d := c.day(from)
	for n > 0 {
		d++
		if c.isWorking(d) {
			n--
		}
	}
	return c.endOf(d)
}

// AddCalendarDays returns the end of the local day n calendar days after
// from's local day (the 60-day completion limit counts calendar days).
func (c *Calendar) AddCalendarDays(from time.Time, n int) time.Time {
	return c.endOf(c.day(from) + int64(n))
}

// WorkingDaysBetween counts the working days after from's local day up to
// and including to's local day; 0 when to is not after from.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	n := 0
	for d, end := c.day(from)+1, c.day(to); d <= end; d++ {
		if c.isWorking(d) {
			n++
		}
	}
	return n
}

func (c *Calendar) isWorking(d int64) bool {
	return c.working[isoWeekday(d)] && !c.holidays[d]
}

func (c *Calendar) day(t time.Time) int64 { return civilDay(t.In(c.loc).Date()) }

func (c *Calendar) endOf(d int64) time.Time {
	y, m, dd := civilFromDay(d)
	return time.Date(y, m, dd, 23, 59, 59, 0, c.loc)
}

// isoWeekday of a day number; day 0 (1970-01-01) was a Thursday (4).
func isoWeekday(d int64) int {
	w := (d + 3) % 7
	if w < 0 {
		w += 7
	}
	return int(w) + 1
}

// civilDay numbers days since 1970-01-01 (Howard Hinnant's days_from_civil),
// avoiding time.Date on the hot path.
func civilDay(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mm := int64(m)
	var doy int64
	if mm > 2 {
		doy = (153*(mm-3)+2)/5 + int64(d) - 1
	} else {
		doy = (153*(mm+9)+2)/5 + int64(d) - 1
	}
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDay(z int64) (int, time.Month, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}
