package protocol

import (
	"strings"
	"testing"
	"time"
)

// FuzzDecodePushResponse is the child's side of a push: whatever a parent
// (or something posing as one) answers, the decoder returns a version-1
// answer or an error, and never panics.
func FuzzDecodePushResponse(f *testing.F) {
	b, _ := Encode(PushResponse{V: Version, Acks: []Ack{{UID: "PKM:01", Result: AckOK, HubID: "h1"},
		{UID: "PKM:02", Result: AckRejected, Error: "category unknown"}}})
	f.Add(b)
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff})
	f.Add([]byte(`{"v":1,"acks":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := DecodePushResponse(body)
		if err == nil && res.V != Version {
			t.Fatalf("accepted version %d", res.V)
		}
	})
}

// FuzzVerify checks the request signature with arbitrary inputs: a
// signature made for exactly these inputs verifies, any other signature
// string does not, and a change to the method, the path or the body breaks
// it. Verify never panics on malformed hex or odd lengths.
func FuzzVerify(f *testing.F) {
	f.Add("rahasia", "POST", PushPath, int64(1767225600), []byte("isi"), "00ff", int64(0))
	f.Add("", "GET", PullPath+"?cursor=1", int64(-1), []byte(nil), "", int64(1<<62))
	f.Add("k", "get", "/", int64(1<<62), []byte{0}, strings.Repeat("a", 64), int64(-1<<62))
	f.Fuzz(func(t *testing.T, secret, method, path string, ts int64, body []byte, forged string, skew int64) {
		key := DeriveKey(secret)
		sig := Sign(key, method, path, ts, body)
		if err := Verify(key, method, path, ts, body, sig, time.Unix(ts, 0), ReplayWindow); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		if forged != sig && Verify(key, method, path, ts, body, forged, time.Unix(ts, 0), 0) == nil {
			t.Fatalf("forged signature %q accepted", forged)
		}
		if Verify(key, method+"X", path, ts, body, sig, time.Time{}, 0) == nil ||
			Verify(key, method, path+"x", ts, body, sig, time.Time{}, 0) == nil ||
			Verify(key, method, path, ts, append([]byte{1}, body...), sig, time.Time{}, 0) == nil {
			t.Fatal("a signature survived a change to what it signs")
		}
		// The replay window: far from the timestamp is stale, whatever the
		// signature (for timestamps of this era and the next; beyond,
		// time arithmetic saturates).
		if ts > 1<<40 || ts < -(1<<40) {
			return
		}
		now := time.Unix(ts, 0).Add(time.Duration(skew))
		err := Verify(key, method, path, ts, body, sig, now, ReplayWindow)
		d := time.Duration(skew)
		if (d > ReplayWindow || d < -ReplayWindow) != (err != nil) {
			t.Fatalf("skew %v: %v", d, err)
		}
	})
}
