// Package token makes Simpul's random secrets: receipt tokens, kiosk
// tokens, Open311 keys, node secrets, CSRF tokens, form keys. One helper,
// so every one of them has the same strength and alphabet.
package token

import (
	"crypto/rand"
	"encoding/base64"
)

// New returns 256 random bits as 43 URL-safe characters (base64url, no
// padding): safe in URLs, headers, cookies, file names and form values.
// crypto/rand does not fail on the systems Go supports (Go 1.24 crashes
// the program rather than return an error).
func New() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
