// Package token makes and issues Simpul's secrets: receipt tokens, kiosk
// tokens, Open311 keys, node secrets, CSRF tokens, form keys. One helper
// makes them, so every one has the same strength and alphabet; one issuer
// gives a holder (a kiosk, an Open311 client, a child node) a fresh one,
// so "find or create the holder, store only a hash, show the secret once"
// is written once.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
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

// Hash is how a bearer secret is stored (kiosks.token_hash,
// open311_keys.key_hash): SHA-256, hex. A secret of 256 random bits needs
// no salt or stretching; the stored hash lets a presented secret be found
// with one indexed lookup.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Holder says which record a credential belongs to and how its secret is
// stored.
type Holder struct {
	Collection string // e.g. model.Kiosks
	KeyField   string // the field that names the holder: "name", "code"
	Key        string // its value: the holder is found by it, or created with it
	HashField  string // where the stored form of the secret goes
	// Stored turns the secret into what HashField holds; Hash when nil.
	Stored func(secret string) string
	// Set writes the holder's other fields before it is saved (may be nil).
	Set func(rec *core.Record)
}

// Issue gives the holder a fresh secret: it finds the record of
// h.Collection whose h.KeyField is h.Key, or creates it, stores only the
// secret's stored form, makes the record active (a retired holder is
// active again) and saves it. The secret is returned to be shown once; the
// holder's previous secret stops working.
func Issue(app core.App, h Holder) (*core.Record, string, error) {
	rec, err := app.FindFirstRecordByData(h.Collection, h.KeyField, h.Key)
	if err != nil {
		col, err := app.FindCollectionByNameOrId(h.Collection)
		if err != nil {
			return nil, "", fmt.Errorf("token: %w", err)
		}
		rec = core.NewRecord(col)
		rec.Set(h.KeyField, h.Key)
	}
	secret := New()
	stored := Hash
	if h.Stored != nil {
		stored = h.Stored
	}
	rec.Set(h.HashField, stored(secret))
	rec.Set("active", true)
	if h.Set != nil {
		h.Set(rec)
	}
	if err := app.Save(rec); err != nil {
		return nil, "", fmt.Errorf("token: save %s %q: %w", h.Collection, h.Key, err)
	}
	return rec, secret, nil
}
