package export

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// oldParseStored, oldLocalTime and oldDateOnly are the definitions the
// exports used before parseDBTime and appendLocal: time.Parse through
// PocketBase's DateTime and time.Format.
func oldParseStored(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if dt, err := types.ParseDateTime(s); err == nil && !dt.IsZero() {
		return dt.Time()
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	return time.Time{}
}

// OldParseStored is oldParseStored for the external tests' old definition
// of the complaints CSV (equiv_test.go).
var OldParseStored = oldParseStored

func oldLocalTime(loc *time.Location, stored string) string {
	t := oldParseStored(stored)
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

func oldDateOnly(stored string) string {
	if t := oldParseStored(stored); !t.IsZero() {
		return t.UTC().Format("2006-01-02")
	}
	return ""
}

// The digit-by-digit reading and writing of dates gives what time.Parse and
// time.Format gave, for the stored layout, for every other layout a stored
// date may have, and for strings that are no date at all, in zones with and
// without summer time.
func TestParseDBTimeAgrees(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "America/New_York", "Australia/Lord_Howe", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, time.FixedZone("odd", -(3*3600+17*60+9)))
	inputs := []string{
		"", "2026-12-06 09:20:27.123Z", "2026-12-06 09:20:27.000Z", "0001-01-01 00:00:00.000Z", "0001-01-01 00:00:00.001Z",
		"0000-01-01 00:00:00.000Z", "9999-12-31 23:59:59.999Z", "2024-02-29 23:59:59.999Z", "2023-02-29 10:00:00.000Z",
		"2026-02-30 10:00:00.000Z", "2026-04-31 10:00:00.000Z", "2026-13-01 10:00:00.000Z", "2026-00-10 10:00:00.000Z",
		"2026-01-00 10:00:00.000Z", "2026-01-01 24:00:00.000Z", "2026-01-01 23:60:00.000Z", "2026-01-01 23:59:60.000Z",
		"2026-01-31 17:00:00.000Z", "2026-03-08 06:59:59.999Z", "2026-03-08 07:00:00.000Z", "2026-11-01 05:30:00.000Z",
		"2026-01-01 10:00:00,000Z", "2026-01-01T10:00:00.000Z", "2026-01-01 10:00:00.000+07:00", "2026-01-01 10:00:00Z",
		"2026-01-01 10:00:00.0000Z", "2026-01-01 10:00:00.00Z", "+026-01-01 10:00:00.000Z", "-026-01-01 10:00:00.000Z",
		"2026-01-01 1:00:00.000Z ", " 2026-01-01 10:00:00.000Z", "2026-01-01 10:00:00.00xZ", "2026/01/01 10:00:00.000Z",
		"2026-01-01", "2026-01-01 10:00:00", "2026-01-01T10:00:00Z", "2026-01-01T10:00:00.123456789+07:00",
		"2026-07-01T00:30:00-04:00", "garbage", "2026-01-01 10:00:00.000z", "２026-01-01 10:00:00.000Z",
	}
	rnd := rand.New(rand.NewPCG(15, 3))
	for range 5000 {
		t0 := time.Unix(rnd.Int64N(300*365*86400)-100*365*86400, rnd.Int64N(1e9)).UTC()
		inputs = append(inputs, t0.Format(types.DefaultDateLayout), t0.Format(time.RFC3339Nano))
		// The same with one byte changed to a digit or a separator.
		b := []byte(t0.Format(types.DefaultDateLayout))
		alphabet := "0123456789:- .Z"
		b[rnd.IntN(len(b))] = alphabet[rnd.IntN(len(alphabet))]
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		if got, want := parseStored(s), oldParseStored(s); !got.Equal(want) || got.IsZero() != want.IsZero() {
			t.Errorf("parseStored(%q) = %v, want %v", s, got, want)
		}
		if got, want := dateOnly(s), oldDateOnly(s); got != want {
			t.Errorf("dateOnly(%q) = %q, want %q", s, got, want)
		}
		for _, loc := range zones {
			if got, want := localTime(loc, s), oldLocalTime(loc, s); got != want {
				t.Errorf("localTime(%s, %q) = %q, want %q", loc, s, got, want)
			}
			if got, want := string(appendStoredLocal([]byte("x"), loc, s)), "x"+oldLocalTime(loc, s); got != want {
				t.Errorf("appendStoredLocal(%s, %q) = %q, want %q", loc, s, got, want)
			}
		}
	}
	// The fast path is taken for the stored layout (else this test would
	// compare the old definition with itself).
	if _, ok := parseDBTime("2026-12-06 09:20:27.123Z"); !ok {
		t.Fatal("parseDBTime refuses the stored layout")
	}
}
