// Package trackcode makes and parses tracking codes: 50 random bits in
// Crockford base32 with Crockford's mod-37 check character, printed as
// "XXXX-XXXX-XXX" (ten data characters, then the check).
//
// Codes are issued only when the check character falls in the 32-symbol
// data alphabet, so a printed code never carries Crockford's extra check
// symbols (* ~ $ = U), which are hard to read aloud and to type on a phone.
// That costs about 0.2 bits of the 50.
package trackcode

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"strings"
)

const (
	alphabet    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	checkSymbol = alphabet + "*~$=U"
	dataLen     = 10 // 10 × 5 = 50 bits
	dataBits    = dataLen * 5
)

// ErrInvalid is returned for input that is not a well-formed code.
var ErrInvalid = errors.New("trackcode: not a valid tracking code")

// ErrCheck is returned when the check character does not match: a typo.
var ErrCheck = errors.New("trackcode: check character does not match (typo?)")

// New returns a fresh random code in its printed form.
func New() string {
	for {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			panic("trackcode: crypto/rand failed: " + err.Error())
		}
		v := binary.BigEndian.Uint64(b[:]) >> (64 - dataBits)
		if c := v % 37; c < 32 {
			return format(v)
		}
	}
}

func format(v uint64) string {
	var s [dataLen + 1]byte
	for i := dataLen - 1; i >= 0; i-- {
		s[i] = alphabet[v&31]
		v >>= 5
	}
	// v is now 0; recompute the check from the characters.
	var n uint64
	for _, ch := range s[:dataLen] {
		n = n<<5 | uint64(strings.IndexByte(alphabet, ch))
	}
	s[dataLen] = checkSymbol[n%37]
	return string(s[0:4]) + "-" + string(s[4:8]) + "-" + string(s[8:])
}

// Normalize turns what a citizen typed (any case, with or without dashes or
// spaces, O for 0, I or L for 1) into the printed form, verifying the check
// character.
func Normalize(input string) (string, error) {
	if len(input) > 64 {
		return "", ErrInvalid
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(input) {
		switch {
		case r == '-' || r == ' ' || r == '.' || r == '_':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(checkSymbol, r) {
			return "", ErrInvalid
		}
		b.WriteRune(r)
	}
	s := b.String()
	if len(s) != dataLen+1 {
		return "", ErrInvalid
	}
	var n uint64
	for i := 0; i < dataLen; i++ {
		d := strings.IndexByte(alphabet, s[i])
		if d < 0 {
			return "", ErrInvalid
		}
		n = n<<5 | uint64(d)
	}
	if checkSymbol[n%37] != s[dataLen] {
		return "", ErrCheck
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:], nil
}

// Valid reports whether s is a code in its printed form.
func Valid(s string) bool {
	n, err := Normalize(s)
	return err == nil && n == s
}
