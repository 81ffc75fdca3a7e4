package trackcode

import (
	"errors"
	"strings"
	"testing"
)

func TestNewIsValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 20000; i++ {
		c := New()
		if !Valid(c) {
			t.Fatalf("New() = %q is not valid", c)
		}
		if len(c) != 13 || c[4] != '-' || c[9] != '-' {
			t.Fatalf("New() = %q, want XXXX-XXXX-XXX", c)
		}
		if strings.ContainsAny(c, "*~$=UILO") {
			t.Fatalf("New() = %q contains a symbol hard to read on paper", c)
		}
		if seen[c] {
			t.Fatalf("duplicate code %q after %d", c, i)
		}
		seen[c] = true
	}
}

func TestNormalize(t *testing.T) {
	code := format(0x2_3456_789A_BCDE & (1<<dataBits - 1))
	flat := strings.ReplaceAll(code, "-", "")
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{code, code, nil},
		{strings.ToLower(code), code, nil},
		{flat, code, nil},
		{" " + flat[:4] + " " + flat[4:] + " ", code, nil},
		{"", "", ErrInvalid},
		{"ABC", "", ErrInvalid},
		{flat + "0", "", ErrInvalid},
		{"<script>alert(1)</script>", "", ErrInvalid},
		{"ÄÄÄÄ-ÄÄÄÄ-ÄÄÄ", "", ErrInvalid},
		{strings.Repeat("A", 1000), "", ErrInvalid},
		{"../../etc/passwd", "", ErrInvalid},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestNormalizeConfusables(t *testing.T) {
	// A code with 0 and 1 in it accepts O, I and L in their place.
	code := format(1<<45 | 1<<40) // its low digits are 0s
	typed := strings.NewReplacer("0", "o", "1", "l").Replace(code)
	if got, err := Normalize(typed); err != nil || got != code {
		t.Fatalf("Normalize(%q) = %q, %v; want %q", typed, got, err, code)
	}
}

func TestSingleTypoIsCaught(t *testing.T) {
	code := New()
	flat := []byte(strings.ReplaceAll(code, "-", ""))
	for i := 0; i < dataLen; i++ {
		for _, r := range []byte(alphabet) {
			if r == flat[i] {
				continue
			}
			typo := append([]byte(nil), flat...)
			typo[i] = r
			if _, err := Normalize(string(typo)); !errors.Is(err, ErrCheck) {
				t.Fatalf("typo %q of %q: err = %v, want ErrCheck", typo, code, err)
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add(New())
	f.Add("abcd-efgh-jk")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Normalize(s)
		if err != nil {
			return
		}
		if !Valid(got) {
			t.Fatalf("Normalize(%q) = %q, which is not valid", s, got)
		}
		if again, err := Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize not idempotent on %q: %q, %v", got, again, err)
		}
	})
}
