package protocol

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"
	"time"
)

func sample() PushRequest {
	return PushRequest{V: Version, Changes: []Change{Change{
		Event: Event{UID: "PKM:01", Kind: "created", To: "baru", At: "2026-03-02T08:00:00Z"},
		Complaint: Complaint{ID: "abc", TrackingCode: "LPR-1", Type: "pengaduan", Title: "Judul", Body: "Isi",
			Category: "LAIN", Privacy: "anonymous", Status: "baru"},
	}.Whole()}}
}

func TestRoundTrip(t *testing.T) {
	b, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodePush(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Changes[0].Complaint.Privacy != "anonymous" || got.Changes[0].Event.UID != "PKM:01" {
		t.Fatalf("round trip: %+v", got)
	}
}

func TestDecodeRefuses(t *testing.T) {
	gz := func(s string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.Bytes()
	}
	for name, body := range map[string][]byte{
		"empty":           nil,
		"plain json":      []byte(`{"v":1}`),
		"trailing data":   gz(`{"v":1,"changes":[]} {"v":1}`),
		"version 0":       gz(`{"changes":[]}`),
		"null change":     gz(`{"v":1,"changes":[null]}`),
		"missing fields":  gz(`{"v":1,"changes":[{"e":{},"c":{}}]}`),
		"bad utf8":        gz("{\"v\":1,\"changes\":[{\"e\":{\"u\":\"\xff\",\"k\":\"created\",\"w\":\"x\"},\"c\":{}}]}"),
		"data not object": gz(`{"v":1,"changes":[{"e":{"u":"a","k":"note","w":"x","data":[1]},"c":{"id":"a","tc":"b","ty":"pengaduan","ti":"t","b":"b","p":"public","s":"baru"}}]}`),
	} {
		if _, err := DecodePush(body); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := DecodePull(gz(`{"v":1,"items":[],"next_cursor":-5,"more":false}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative cursor: %v", err)
	}
}

func TestSignature(t *testing.T) {
	key := DeriveKey("s3cret")
	now := time.Unix(1_770_000_000, 0)
	body := []byte("body")
	sig := Sign(key, "POST", PushPath, now.Unix(), body)
	if err := Verify(key, "POST", PushPath, now.Unix(), body, sig, now.Add(time.Minute), ReplayWindow); err != nil {
		t.Fatal(err)
	}
	checks := map[string]error{
		"other body":   Verify(key, "POST", PushPath, now.Unix(), []byte("bodY"), sig, now, ReplayWindow),
		"other method": Verify(key, "GET", PushPath, now.Unix(), body, sig, now, ReplayWindow),
		"other path":   Verify(key, "POST", PullPath, now.Unix(), body, sig, now, ReplayWindow),
		"other key":    Verify(DeriveKey("s3cret2"), "POST", PushPath, now.Unix(), body, sig, now, ReplayWindow),
		"other ts":     Verify(key, "POST", PushPath, now.Unix()+1, body, sig, now, ReplayWindow),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Verify(key, "POST", PushPath, now.Unix(), body, sig, now.Add(6*time.Minute), ReplayWindow); !errors.Is(err, ErrStale) {
		t.Errorf("stale: %v", err)
	}
	if err := Verify(key, "POST", PushPath, now.Unix(), body, sig, now.Add(-6*time.Minute), ReplayWindow); !errors.Is(err, ErrStale) {
		t.Errorf("future: %v", err)
	}
	if err := Verify(key, "POST", PushPath, now.Unix(), body, sig, now.Add(240*time.Hour), 0); err != nil {
		t.Errorf("bundle (no window): %v", err)
	}
}

// FuzzDecodePush: whatever arrives, the decoder returns a valid request or
// an error; it never panics, and what it accepts re-encodes and decodes the
// same.
func FuzzDecodePush(f *testing.F) {
	b, _ := Encode(sample())
	f.Add(b)
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte(`{"v":1,"changes":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodePush(body)
		if err != nil {
			return
		}
		for _, c := range req.Changes {
			if err := c.Validate(); err != nil {
				t.Fatalf("accepted an invalid change: %v", err)
			}
		}
		again, err := Encode(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodePush(again); err != nil {
			t.Fatalf("re-encoded body refused: %v", err)
		}
	})
}

// FuzzDecodePull is the same for the node's side of a pull.
func FuzzDecodePull(f *testing.F) {
	b, _ := Encode(PullResponse{V: Version, Items: []PullItem{{Seq: 3, TC: "ABC", State: State{Rev: 3, Status: "proses", Privacy: "public", Office: "KAB"},
		Event: Event{UID: "KAB:1", Kind: "transition", From: "terdisposisi", To: "proses", At: "2026-03-02T08:00:00Z"}}},
		NextCursor: 3})
	f.Add(b)
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := DecodePull(body)
		if err != nil {
			return
		}
		if res.NextCursor < 0 || len(res.Items) > MaxItemsPerPull {
			t.Fatalf("accepted %+v", res)
		}
		for _, it := range res.Items {
			if err := it.Event.Validate(); err != nil {
				t.Fatalf("accepted an invalid event: %v", err)
			}
		}
	})
}
