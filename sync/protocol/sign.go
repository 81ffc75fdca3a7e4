package protocol

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Request headers that authenticate a node.
const (
	HeaderNode      = "X-Simpul-Node"
	HeaderTimestamp = "X-Simpul-Timestamp"
	HeaderSignature = "X-Simpul-Signature"
	// HeaderAnswerSignature signs a parent's 200 answer (SignAnswer).
	HeaderAnswerSignature = "X-Simpul-Answer-Signature"
)

// ReplayWindow is how far a request's timestamp may be from the parent's
// clock. Replays inside it are harmless: pushes are idempotent and pulls
// only read.
const ReplayWindow = 5 * time.Minute

// Signature errors.
var (
	ErrBadSignature = errors.New("protocol: bad signature")
	ErrStale        = errors.New("protocol: timestamp outside the replay window")
)

// DeriveKey turns a node secret into the HMAC key both sides sign with. The
// parent stores only this key, never the printed secret.
func DeriveKey(secret string) []byte {
	sum := sha256.Sum256([]byte("simpul-node-key-v1:" + secret))
	return sum[:]
}

// DeriveKeyHex is DeriveKey as stored in nodes.key_hash.
func DeriveKeyHex(secret string) string { return hex.EncodeToString(DeriveKey(secret)) }

// Sign returns the hex HMAC-SHA256 over the method, the path with its query,
// the Unix timestamp and the SHA-256 of the body exactly as sent.
func Sign(key []byte, method, pathQuery string, ts int64, body []byte) string {
	digest := sha256.Sum256(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("SIMPUL-SYNC-V1\n" + method + "\n" + pathQuery + "\n" + strconv.FormatInt(ts, 10) + "\n" + hex.EncodeToString(digest[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify checks sig in constant time and, when window > 0, that ts is
// within window of now. A bundle carried by hand (sync import) is verified
// with window 0.
func Verify(key []byte, method, pathQuery string, ts int64, body []byte, sig string, now time.Time, window time.Duration) error {
	if window > 0 {
		d := now.Sub(time.Unix(ts, 0))
		if d > window || d < -window {
			return ErrStale
		}
	}
	want := Sign(key, method, pathQuery, ts, body)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return ErrBadSignature
	}
	return nil
}

// SignAnswer returns the hex HMAC-SHA256 a parent puts on its 200 answer
// to a node's request: over the request's own signature (which covers its
// method, path, timestamp and body, so an answer cannot be replayed for
// another request) and the SHA-256 of the answer body exactly as sent. Its
// prefix differs from a request's, so neither can stand in for the other.
func SignAnswer(key []byte, requestSig string, body []byte) string {
	digest := sha256.Sum256(body)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("SIMPUL-SYNC-V1-ANSWER\n" + requestSig + "\n" + hex.EncodeToString(digest[:])))
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyAnswer checks a parent's answer signature in constant time.
func VerifyAnswer(key []byte, requestSig string, body []byte, sig string) error {
	if sig == "" || !hmac.Equal([]byte(SignAnswer(key, requestSig, body)), []byte(sig)) {
		return ErrBadSignature
	}
	return nil
}

// SetHeaders signs req (whose body is body) for node with key at now.
func SetHeaders(req *http.Request, nodeID string, key []byte, body []byte, now time.Time) {
	ts := now.Unix()
	req.Header.Set(HeaderNode, nodeID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(key, req.Method, req.URL.RequestURI(), ts, body))
}

// KeyFromHex decodes a stored key (nodes.key_hash).
func KeyFromHex(s string) ([]byte, error) {
	k, err := hex.DecodeString(s)
	if err != nil || len(k) != sha256.Size {
		return nil, errors.New("protocol: malformed node key")
	}
	return k, nil
}
