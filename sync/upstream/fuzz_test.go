package upstream_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// The registered child of the bundle fuzzer: fixed id and secret, so a
// seed bundle signed for it stays valid in the corpus.
const (
	fuzzNodeID     = "nodefuzz0000001"
	fuzzNodeSecret = "rahasia-simpul-fuzz-node-0123456789"
	fuzzTS         = 1767225600 // 2026-01-01; bundles have no replay window
)

// fuzzFootprint is what an import or a pull may write.
func fuzzFootprint(t testing.TB, app core.App) [4]int {
	var fp [4]int
	err := app.DB().NewQuery(`SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM complaint_events),
		(SELECT count(*) FROM sync_inbox), (SELECT count(*) FROM sync_state)`).Row(&fp[0], &fp[1], &fp[2], &fp[3])
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func fuzzBundle(push []byte) []byte {
	body := gzipBytes(push)
	b, _ := json.Marshal(upstream.Bundle{V: protocol.Version, Node: fuzzNodeID, Created: "2026-01-01T00:00:00Z",
		Batches: []upstream.BundleBatch{{TS: fuzzTS,
			Sig:  protocol.Sign(protocol.DeriveKey(fuzzNodeSecret), http.MethodPost, protocol.PushPath, fuzzTS, body),
			Body: body}}})
	return b
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// FuzzImportBundle feeds "simpul sync import" arbitrary bundle files on a
// hub with one registered child. With signIt the input is taken as the
// push JSON of a bundle the child signed correctly, so it reaches the
// decoder and the apply; otherwise it is the whole file as it arrives (a
// damaged or forged bundle). Import never panics; a refused bundle writes
// nothing; an accepted one accounts for every change, and importing it
// again applies nothing new.
func FuzzImportBundle(f *testing.F) {
	push, _ := json.Marshal(protocol.PushRequest{V: protocol.Version, Changes: []protocol.Change{protocol.Change{
		Event: protocol.Event{UID: "PKM-F:aa01", Kind: model.EventCreated, ActorType: "reporter", To: model.StatusBaru,
			Origin: "PKM-F", At: "2026-03-02T08:00:00Z"},
		Complaint: protocol.Complaint{ID: "origin000000001", TrackingCode: "7K3M-9QXT-R2D", Type: model.TypePengaduan,
			Title: "Antrean obat terlalu lama", Body: "Menunggu tiga jam di loket obat.", Category: "KES-OBAT",
			Privacy: model.PrivacyPublic, Status: model.StatusBaru, Created: "2026-03-02T08:00:00Z"},
	}.Whole()}})
	f.Add(true, push)
	f.Add(false, fuzzBundle(push))
	f.Add(false, []byte(`{"v":1,"node":"`+fuzzNodeID+`","batches":[{"ts":1,"sig":"00","body":"AAAA"}]}`))
	f.Add(false, []byte(`{"v":1,"node":"nope","batches":[]}`))
	f.Add(false, []byte(`{"v":1,"node":"`+fuzzNodeID+`","batches":[{"ts":-9223372036854775808,"sig":"","body":"!!"}]}`))
	f.Add(true, []byte(`{"v":1,"changes":[]}`))

	app := testkit.New(f)
	testkit.Node(f, app, fuzzNodeID, "PKM-F", fuzzNodeSecret, true)

	f.Fuzz(func(t *testing.T, signIt bool, raw []byte) {
		file := raw
		if signIt {
			file = fuzzBundle(raw)
		}
		before := fuzzFootprint(t, app)
		res, err := upstream.Import(app, bytes.NewReader(file))
		if err != nil {
			if after := fuzzFootprint(t, app); after != before {
				t.Fatalf("a refused bundle (%v) wrote: %v → %v", err, before, after)
			}
			return
		}
		var b upstream.Bundle
		if err := json.Unmarshal(file, &b); err != nil {
			t.Fatalf("imported a file that is not a bundle: %v", err)
		}
		total := 0
		for _, bb := range b.Batches {
			req, err := protocol.DecodePush(bb.Body)
			if err != nil {
				t.Fatalf("imported a batch the decoder refuses: %v", err)
			}
			total += len(req.Changes)
		}
		if res.Applied+res.Duplicates+res.Rejected != total {
			t.Fatalf("%+v for %d changes", res, total)
		}
		mid := fuzzFootprint(t, app)
		again, err := upstream.Import(app, bytes.NewReader(file))
		if err != nil || again.Applied != 0 || again.Duplicates < res.Applied {
			t.Fatalf("second import: %+v %v after %+v", again, err, res)
		}
		if after := fuzzFootprint(t, app); after != mid {
			t.Fatalf("a repeated import wrote: %v → %v", mid, after)
		}
	})
}

// FuzzApplyPulled fuzzes what a node takes from its parent: a pull page
// built from fuzzed fields (enumerations picked from their lists, and the
// node's own complaint id when ours is set), decoded as the node decodes
// it and applied. A page the decoder refuses is never applied; an applied
// page moves the cursor to its next_cursor, puts each new event on the
// timeline once, and applying it again adds nothing.
func FuzzApplyPulled(f *testing.F) {
	f.Add(true, "KAB:aa01", uint8(3), uint8(4), uint8(5), "2026-03-02T08:00:00Z", "", "Dikerjakan Dinas PU", "Dinas PU", uint8(5), int64(7), false)
	f.Add(true, "KAB:aa02", uint8(1), uint8(255), uint8(255), "bukan waktu", `{"x":[1,2]}`, "", "", uint8(255), int64(0), true)
	f.Add(false, "KAB:aa03", uint8(3), uint8(0), uint8(3), "", "{}", "", "", uint8(3), int64(-1), false)

	app := testkit.New(f)
	mine := testkit.Complaint(f, app, testkit.ComplaintSpec{Status: model.StatusBukanWewenang})
	pick := func(list []string, b uint8) string {
		if b == 255 {
			return ""
		}
		return list[int(b)%len(list)]
	}
	f.Fuzz(func(t *testing.T, ours bool, uid string, kind, from, to uint8, at, data, note, unit string,
		status uint8, next int64, more bool) {
		code := "NOPE-KNOW-NX"
		if ours {
			code = mine.GetString("tracking_code")
		}
		item := protocol.PullItem{Seq: next, TC: code, State: protocol.State{Rev: next, Status: pick(model.Statuses, status),
			Privacy: model.PrivacyPublic, Office: "KAB", OriginOffice: "SIMPUL"},
			Event: protocol.Event{UID: uid, Kind: pick(model.EventKinds, kind), ActorType: "node", ActorName: "Kabupaten",
				From: pick(model.Statuses, from), To: pick(model.Statuses, to), Note: note, Unit: unit, Public: true,
				Origin: "KAB", At: at}}
		if data != "" {
			item.Event.Data = json.RawMessage(data)
		}
		body, err := protocol.Encode(protocol.PullResponse{V: protocol.Version, Items: []protocol.PullItem{item},
			NextCursor: next, More: more})
		if err != nil {
			return // data that is not JSON cannot travel
		}
		page, err := protocol.DecodePull(body)
		if err != nil {
			return // refused before anything is applied
		}
		uid = page.Items[0].Event.UID // as it travelled (JSON turns invalid UTF-8 into U+FFFD)
		before := fuzzFootprint(t, app)
		if _, err := upstream.ApplyPulled(app, page); err != nil {
			if after := fuzzFootprint(t, app); after != before {
				t.Fatalf("a failed pull (%v) wrote: %v → %v", err, before, after)
			}
			return
		}
		var cursor string
		if err := app.DB().NewQuery("SELECT value FROM sync_state WHERE key = 'pull_cursor'").Row(&cursor); err != nil {
			t.Fatalf("cursor not stored: %v", err)
		}
		var c int64
		if err := json.Unmarshal([]byte(cursor), &c); err != nil || c != next {
			t.Fatalf("cursor %q after a page with next_cursor %d", cursor, next)
		}
		var n int
		if err := app.DB().NewQuery("SELECT count(*) FROM complaint_events WHERE uid = {:u}").
			Bind(dbx.Params{"u": uid}).Row(&n); err != nil || n > 1 || (ours && n != 1) {
			t.Fatalf("event %q on the timeline %d times (ours %v, %v)", uid, n, ours, err)
		}
		mid := fuzzFootprint(t, app)
		if again, err := upstream.ApplyPulled(app, page); err != nil || again != 0 {
			t.Fatalf("the same page again: %d applied, %v", again, err)
		}
		if after := fuzzFootprint(t, app); after != mid {
			t.Fatalf("a repeated page wrote: %v → %v", mid, after)
		}
	})
}
