package vocab

import (
	"testing"

	"simpul/hooks/domain/model"
)

// build panics on a key defined in two tables; this makes the failure a
// test failure with the key's name rather than a crash of every binary.
func TestKeysAreUnique(t *testing.T) {
	seen := map[string]int{}
	for i, tb := range tables {
		for k := range tb {
			if j, dup := seen[k]; dup {
				t.Errorf("key %q is in tables %d and %d", k, j, i)
			}
			seen[k] = i
		}
	}
}

// Every status, type, channel, privacy tier and role has a label in both
// languages, and the official status labels are the SP4N-LAPOR! ones
// (written out here, not read from the table under test).
func TestDomainWordsComplete(t *testing.T) {
	for prefix, codes := range map[string][]string{"status.": model.Statuses, "notice.status.": model.Statuses,
		"type.": model.Types, "channel.": model.Channels, "privacy.": model.Privacies, "role.": model.Roles} {
		for _, c := range codes {
			m, ok := words[prefix+c]
			if !ok || m.ID == "" || m.EN == "" {
				t.Errorf("%s%s: %+v", prefix, c, m)
			}
		}
	}
	official := map[string]string{"baru": "Belum Terverifikasi", "tertunda": "Tertunda", "diarsipkan": "Diarsipkan",
		"bukan_wewenang": "Bukan Wewenang", "terdisposisi": "Terdisposisi (Belum Ditindaklanjuti)", "proses": "Proses",
		"selesai": "Selesai"}
	for code, want := range official {
		if got := Status(ID, code); got != want {
			t.Errorf("status %s: %q, want %q", code, got, want)
		}
	}
}

func TestLookups(t *testing.T) {
	if got := T(EN, "status.proses"); got != "In progress" {
		t.Errorf("en: %q", got)
	}
	if got := T("fr", "status.proses"); got != "Proses" {
		t.Errorf("other languages fall back to Indonesian: %q", got)
	}
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows itself: %q", got)
	}
	if got := StatusShort(EN, "terdisposisi"); got != "Assigned" {
		t.Errorf("short: %q", got)
	}
	if got := StatusShort(ID, "proses"); got != "Proses" {
		t.Errorf("short falls back to the label: %q", got)
	}
	if got := Sprintf(ID, "monthly.other_units", 3); got != "Unit lain (3)" {
		t.Errorf("Sprintf: %q", got)
	}
	if got := Sprintf(EN, "monthly.other_units", 3); got != "Other units (3)" {
		t.Errorf("Sprintf en: %q", got)
	}
	if got, want := Month(EN, 12), "December"; got != want || Month(ID, 8) != "Agustus" || Month(ID, 13) != "" {
		t.Errorf("months: %q", got)
	}
}

// Numbers as Indonesian readers write them (a decimal comma), as English
// readers do (a point); time zones as Indonesians name them.
func TestNumbersAndZones(t *testing.T) {
	for _, c := range []struct {
		lang string
		x    float64
		want string
	}{{ID, 12.5, "12,5"}, {EN, 12.5, "12.5"}, {ID, 12, "12"}, {ID, 12.04, "12"}, {ID, 0.25, "0,2"}, {ID, 92.96, "93"}} {
		if got := Num(c.lang, c.x); got != c.want {
			t.Errorf("Num(%s, %v) = %q, want %q", c.lang, c.x, got, c.want)
		}
	}
	if got := Pct(ID, 92.5); got != "92,5 %" {
		t.Errorf("Pct = %q", got)
	}
	for tz, want := range map[string]string{"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"} {
		if got := Zone(tz); got != want {
			t.Errorf("Zone(%s) = %q, want %q", tz, got, want)
		}
	}
}
