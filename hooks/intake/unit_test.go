package intake_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"simpul/hooks/intake"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in        string
		multiline bool
		want      string
		ok        bool
	}{
		{"  Jalan rusak  ", false, "Jalan rusak", true},
		{"baris satu\r\nbaris dua\rtiga", true, "baris satu\nbaris dua\ntiga", true},
		{"baris satu\nbaris dua", false, "baris satu baris dua", true},
		{"nol\x00 dan bel\a", false, "nol dan bel", true},
		{"\u202Egnp.exe", false, "gnp.exe", true},
		{"\uFEFFbom", false, "bom", true},
		{"Cafe\u0301", false, "Café", true}, // NFC
		{"\xff\xfe", false, "", false},
	} {
		got, ok := intake.Clean(tc.in, tc.multiline)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Clean(%q, %v) = %q, %v; want %q, %v", tc.in, tc.multiline, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0812 3456 7890", "081234567890", true},
		{"+62 812-3456-7890", "081234567890", true},
		{"62812.3456.7890", "081234567890", true},
		{"(021) 345 6789", "0213456789", true},
		{"812345678", "0812345678", true},
		{"12345", "012345", false},
		{"0812345678901234", "0812345678901234", false},
		{"0812-ABCD", "", false},
		{"08+12", "", false},
		// Another country code is kept in E.164, never folded into a
		// national number (review item 9: +1 415 555 0100 was stored as
		// 014155550100).
		{"+1 415 555 0100", "+14155550100", true},
		{"+44 20 7946 0958", "+442079460958", true},
		{"+65 6123 4567", "+6561234567", true},
		{"+62 21 345 6789", "0213456789", true},
		{"+0 415 555 0100", "", false},           // no country code starts with 0
		{"+1 415", "", false},                    // too short for E.164
		{"+1 415 555 0100 1234 5", "", false},    // over 15 digits
		{"1 415 555 0100", "014155550100", true}, // no +: read as national (as typed at the counter)
	} {
		got, ok := intake.Phone(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("Phone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct{ head, mime string }{
		{"\xff\xd8\xff\xe0JFIF", "image/jpeg"},
		{"\x89PNG\r\n\x1a\n....", "image/png"},
		{"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"},
		{"RIFF\x10\x00\x00\x00WAVEfmt ", ""},
		{"%PDF-1.7\n", "application/pdf"},
		{"<html>", ""},
		{"PK\x03\x04", ""}, // a zip (or a zip bomb) is no attachment
		{"", ""},
	} {
		if got, _ := intake.Sniff([]byte(tc.head)); got != tc.mime {
			t.Errorf("Sniff(%q) = %q, want %q", tc.head, got, tc.mime)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := intake.NewLimiter()
	lim := intake.Limit{Burst: 3, Every: time.Minute}
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("ip:a", lim, t0); !ok {
			t.Fatalf("burst %d refused", i)
		}
	}
	ok, wait := l.Allow("ip:a", lim, t0.Add(30*time.Second))
	if ok || wait != 30*time.Second {
		t.Fatalf("over the burst: ok %v wait %v", ok, wait)
	}
	if ok, _ := l.Allow("ip:b", lim, t0); !ok {
		t.Fatal("another address shares the bucket")
	}
	if ok, _ := l.Allow("ip:a", lim, t0.Add(90*time.Second)); !ok {
		t.Fatal("no refill after a minute")
	}
	if ok, _ := l.Allow("ip:a", lim, t0.Add(91*time.Second)); ok {
		t.Fatal("refilled more than one token")
	}
}

func TestPINFromToken(t *testing.T) {
	tok := intake.NewReceiptToken()
	pin := intake.PIN(tok)
	if len(pin) != 6 || strings.Trim(pin, "0123456789") != "" || intake.PIN(tok) != pin {
		t.Fatalf("PIN %q", pin)
	}
	pins := map[string]bool{}
	for range 20 {
		pins[intake.PIN(intake.NewReceiptToken())] = true
	}
	if len(pins) < 15 { // 20 draws from a million collide rarely
		t.Fatalf("PINs barely depend on the token: %d distinct of 20", len(pins))
	}
	if intake.TokenMatches("", "") || intake.TokenMatches(tok, tok+"x") || !intake.TokenMatches(tok, tok) {
		t.Fatal("TokenMatches")
	}
}

// DecodeJSON reads a plain string straight from the document; whatever it
// reads that way must be what json.Unmarshal would have read, and anything
// needing unescaping or repair must be left to json.Unmarshal.
func TestPlainStringAgreesWithUnmarshal(t *testing.T) {
	values := []string{`""`, `"Jalan rusak"`, `"Lampu \"PJU\" mati"`, `"baris\nbaru"`, `"\u00e9"`, `"é ñ 漢字 🙂"`,
		"\"bukan utf-8 \xff\xfe\"", `"<script>alert(1)</script>"`, `"\/"`, `12`, `true`, `{"a":1}`, `["x"]`}
	for i := range 2000 { // every byte value in a string, as a client would encode it
		b, _ := json.Marshal(string([]byte{byte(i % 256), byte(i / 8), 'x'}))
		values = append(values, string(b))
	}
	for _, v := range values {
		got, ok := intake.PlainString(json.RawMessage(v))
		var want string
		err := json.Unmarshal([]byte(v), &want)
		if !ok {
			if strings.HasPrefix(v, `"`) && !strings.Contains(v, `\`) && utf8.ValidString(v) {
				t.Errorf("%q: a plain string was left to the slow path", v)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: read %q, json.Unmarshal reads %q (%v)", v, got, want, err)
		}
	}
}
