package export

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// localLayout is how exports show a time in the office's time zone.
const localLayout = "2006-01-02 15:04:05"

// localTime shows a stored date in loc ("2006-01-02 15:04:05"); "" stays "".
func localTime(loc *time.Location, stored string) string {
	t := parseStored(stored)
	if t.IsZero() {
		return ""
	}
	return string(appendLocal(nil, t.In(loc)))
}

// parseStored reads a stored date (DateField or an RFC 3339 event time).
func parseStored(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseDBTime(s); ok {
		return t
	}
	if dt, err := types.ParseDateTime(s); err == nil && !dt.IsZero() {
		return dt.Time()
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	return time.Time{}
}

// parseDBTime reads the one layout PocketBase stores dates in
// (types.DefaultDateLayout, "2006-01-02 15:04:05.000Z") digit by digit.
// A year's CSV export reads eleven dates a row, and time.Parse with its
// general layout machinery took a fifth of the export's time
// (docs/benchmarks.md §9.2). ok is false for anything else (other layouts,
// signs, fields out of range): parseStored then reads it the general way,
// so both give the same time for every input (TestParseDBTimeAgrees).
func parseDBTime(s string) (time.Time, bool) {
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
		s[19] != '.' || s[23] != 'Z' {
		return time.Time{}, false
	}
	y, mo, d := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	h, mi, sec, ms := digits(s[11:13]), digits(s[14:16]), digits(s[17:19]), digits(s[20:23])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
		sec < 0 || sec > 59 || ms < 0 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC), true
}

// digits is the value of a run of ASCII digits, -1 if anything else is in it.
func digits(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// daysIn is the number of days of month mo (1–12) of year y.
func daysIn(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// appendLocal appends t as localLayout, what t.Format(localLayout) gives,
// without Format's walk over the layout for every cell.
func appendLocal(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, localLayout)
	}
	h, mi, s := t.Clock()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), ' ')
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
}

// appendStoredLocal appends the stored date s in loc as localLayout;
// nothing for "" or a date that does not read.
func appendStoredLocal(b []byte, loc *time.Location, s string) []byte {
	t := parseStored(s)
	if t.IsZero() {
		return b
	}
	return appendLocal(b, t.In(loc))
}
