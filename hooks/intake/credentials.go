package intake

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"

	"simpul/hooks/platform/token"
)

// A receipt carries two secrets besides the tracking code:
//
//   - the receipt token (complaints.receipt_token, 256 random bits) in the
//     receipt URL: whoever holds the URL may fetch the PDF again;
//   - the 6-digit PIN printed on the receipt, with which the reporter
//     proves ownership on the tracking page (reply, rating).
//
// The PIN is derived from the receipt token instead of being stored, so a
// receipt can be reprinted at the counter with the same PIN. Its strength
// on-line is the lockout in hooks/cases (5 wrong PINs per 15 minutes);
// off-line, whoever can read the database can read the token anyway.

// ReceiptRoute is the receipt PDF route; {file} is CODE or CODE.pdf
// (Go's router takes only whole-segment wildcards).
const ReceiptRoute = "/api/receipts/{file}"

// NewReceiptToken returns a fresh receipt token.
func NewReceiptToken() string { return token.New() }

// PIN returns the receipt PIN that belongs to receiptToken: six digits.
func PIN(receiptToken string) string {
	m := hmac.New(sha256.New, []byte(receiptToken))
	m.Write([]byte("simpul-receipt-pin"))
	n := binary.BigEndian.Uint64(m.Sum(nil)[:8]) % 1_000_000 // bias below 1e-13
	return fmt.Sprintf("%06d", n)
}

// ClientTag is complaints.client_tag: who sent a report with a client_ref
// (owner: "staff:ID", "kiosk:ID", "client:ID" or "ip:" and the address
// key), keyed by the receipt token. A retry with the same client_ref is
// answered with the receipt's secrets only when its tag matches: a guessed
// client_ref from another client gets the tracking code, never the PIN.
// A new PIN (a new token) unbinds every earlier sender.
func ClientTag(receiptToken, owner string) string {
	m := hmac.New(sha256.New, []byte(receiptToken))
	m.Write([]byte("simpul-client-ref\x00" + owner))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// PINHash is the complaints.pin_hash of pin (see cases.PINMatches).
func PINHash(pin string) string {
	sum := sha256.Sum256([]byte(pin))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ReceiptPath is the root-relative receipt URL of a complaint.
func ReceiptPath(code, receiptToken string) string {
	return "/api/receipts/" + url.PathEscape(code) + ".pdf?token=" + url.QueryEscape(receiptToken)
}

// TrackPath is the root-relative public tracking page of a complaint.
func TrackPath(code string) string { return "/lacak/" + url.PathEscape(code) }

// TokenMatches compares a presented receipt token with the stored one in
// constant time; an empty stored token matches nothing.
func TokenMatches(stored, presented string) bool {
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(presented)) == 1
}
