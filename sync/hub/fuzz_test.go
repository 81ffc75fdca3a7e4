package hub_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
	"simpul/ui/testkit"
)

// fuzzHub is a hub app with one registered child (the fixed nodeID and
// nodeSecret), its router, and a way to register the same child again
// under a new id once the hub's per-node rate limit answers 429, so the
// limit never hides the paths behind it.
type fuzzHub struct {
	app  core.App
	h    http.Handler
	node string
	n    int
	addr uint32 // the last client address used: each request comes from a new one
}

func newFuzzHub(tb testing.TB) *fuzzHub {
	app := testkit.New(tb)
	f := &fuzzHub{app: app}
	f.addNode(tb, nodeID)
	f.h = testkit.Handler(tb, app)
	return f
}

func (f *fuzzHub) addNode(tb testing.TB, id string) {
	f.n++
	testkit.Node(tb, f.app, id, fmt.Sprintf("PKM-F%d", f.n), nodeSecret, true)
	f.node = id
}

// do sends a request; sign adds the current node's valid signature headers.
func (f *fuzzHub) do(t *testing.T, method, target string, body []byte, sign bool, headers map[string]string) *httptest.ResponseRecorder {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatalf("target %q: %v", target, err)
	}
	for attempt := 0; ; attempt++ {
		req := httptest.NewRequest(method, "/", bytes.NewReader(body))
		req.URL, req.RequestURI = u, target
		// A new address for every request: the per-address budget of failed
		// authentications (auth_test.go tests it) must not turn every
		// later input into a 429 and hide the paths behind it.
		f.addr++
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(f.addr>>16), byte(f.addr>>8), byte(f.addr))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if sign {
			for k, v := range signed(method, target, body, f.node, nodeSecret, testkit.Now()) {
				req.Header.Set(k, v)
			}
		}
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusTooManyRequests || !sign || attempt > 0 {
			return rec
		}
		f.addNode(t, fmt.Sprintf("nodefuzz%07d", f.n))
	}
}

// footprint is what a request may write on the hub.
func (f *fuzzHub) footprint(t *testing.T) [3]int {
	var fp [3]int
	err := f.app.DB().NewQuery(`SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM complaint_events),
		(SELECT count(*) FROM sync_inbox)`).Row(&fp[0], &fp[1], &fp[2])
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// pick chooses from list by a fuzzed byte; 255 means "empty".
func pick(list []string, b uint8) string {
	if b == 255 {
		return ""
	}
	return list[int(b)%len(list)]
}

// FuzzPushApply builds pushes from fuzzed fields (enumerations picked from
// their lists, so nearly every input passes decoding and reaches the
// apply): a complaint's "created" change and one more event on it, plus,
// when clash is set, a second complaint reusing the tracking code. The
// push is gzipped, signed by a registered child and sent to POST
// /api/sync/v2/push through the real router. The answer is 200 with one
// acknowledgement per change, in order, or a 4xx that wrote nothing; never
// a 5xx (a child would retry a poisoned batch forever). Sent again
// verbatim, the push changes nothing and acknowledges every change it
// applied as a duplicate. Raw push bodies are fuzzed by FuzzSyncRequest
// and sync/protocol's decoder fuzzers.
func FuzzPushApply(f *testing.F) {
	f.Add("PKM-1:aa01", uint8(3), uint8(0), uint8(4), "2026-03-02T08:00:00Z", "", "Sudah diteruskan", "Seksi Jalan",
		"origin000000001", "LPR-00000001", uint8(0), "Jalan berlubang", "Lubang besar di depan pasar.", "INF-JALAN",
		uint8(0), uint8(0), "2026-03-02T08:00:00Z", "2026-03-01", "Pasar Baru", false)
	f.Add("PKM-1:bb01", uint8(1), uint8(0), uint8(3), "kemarin sore", `{"channel":"web","x":[1,{"y":null}]}`, "", "",
		"origin000000002", "LPR-00000002", uint8(1), "Obat habis", "Stok obat kosong seminggu.", "TIDAK-ADA",
		uint8(2), uint8(6), "bukan tanggal", "2026-02-30", "", true)
	f.Add("x", uint8(255), uint8(255), uint8(255), "", "{}", "\u0000", "", "o", "T", uint8(2), "t", "b", "",
		uint8(1), uint8(255), "", "", "", false)

	hub := newFuzzHub(f)
	f.Fuzz(func(t *testing.T, uid string, kind, from, to uint8, at, data, note, unit string,
		originID, code string, typ uint8, title, body, category string, privacy, status uint8,
		created, incident, location string, clash bool) {
		snapshot := protocol.Complaint{ID: originID, TrackingCode: code, Type: pick(model.Types, typ), Title: title,
			Body: body, Category: category, Privacy: pick(model.Privacies, privacy), Status: pick(model.Statuses, status),
			Channel: model.ChannelWeb, IncidentDate: incident, Location: location, Created: created}
		first := protocol.Change{Complaint: snapshot, Event: protocol.Event{UID: uid + ":1", Kind: model.EventCreated,
			ActorType: "reporter", To: pick(model.Statuses, status), Public: true, Origin: "PKM-1", At: at}}.Whole()
		next := protocol.Change{Complaint: snapshot, Event: protocol.Event{UID: uid + ":2", Kind: pick(model.EventKinds, kind),
			ActorType: "staff", ActorName: "Petugas", From: pick(model.Statuses, from), To: pick(model.Statuses, to),
			Note: note, Unit: unit, Public: true, Origin: "PKM-1", At: at}}.Whole()
		if data != "" {
			next.Event.Data = json.RawMessage(data)
		}
		changes := []protocol.Change{first, next}
		if clash {
			other := first
			other.Complaint.ID = originID + "-lain"
			other.Event.UID = uid + ":3"
			changes = append(changes, other)
		}
		raw, err := json.Marshal(protocol.PushRequest{V: protocol.Version, Changes: changes})
		if err != nil {
			return // data that is not JSON cannot be sent
		}
		body2 := gz(raw)
		before := hub.footprint(t)
		rec := hub.do(t, http.MethodPost, protocol.PushPath, body2, true, nil)
		if rec.Code != http.StatusOK {
			if rec.Code < 400 || rec.Code >= 500 {
				t.Fatalf("push answered %d: %.400s", rec.Code, rec.Body.String())
			}
			if after := hub.footprint(t); after != before {
				t.Fatalf("a refused push (%d) wrote: %v → %v", rec.Code, before, after)
			}
			return
		}
		req, err := protocol.DecodePush(body2)
		if err != nil {
			t.Fatalf("200 for a body the decoder refuses: %v", err)
		}
		res, err := protocol.DecodePushResponse(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("answer does not decode: %v", err)
		}
		if len(res.Acks) != len(req.Changes) {
			t.Fatalf("%d acks for %d changes", len(res.Acks), len(req.Changes))
		}
		var applied []string
		for i, a := range res.Acks {
			if a.UID != req.Changes[i].Event.UID {
				t.Fatalf("ack %d is for %q, change is %q", i, a.UID, req.Changes[i].Event.UID)
			}
			switch a.Result {
			case protocol.AckOK:
				applied = append(applied, a.UID)
			case protocol.AckDup, protocol.AckRejected:
			default:
				t.Fatalf("ack result %q", a.Result)
			}
		}
		for _, uid := range applied {
			var n int
			if err := hub.app.DB().NewQuery("SELECT count(*) FROM complaint_events WHERE uid = {:u}").
				Bind(dbx.Params{"u": uid}).Row(&n); err != nil || n != 1 {
				t.Fatalf("applied event %q is on the timeline %d times (%v)", uid, n, err)
			}
		}
		// Exactly once: the same push again changes nothing.
		mid := hub.footprint(t)
		again := hub.do(t, http.MethodPost, protocol.PushPath, body2, true, nil)
		if again.Code != http.StatusOK {
			t.Fatalf("the same push again answered %d: %.400s", again.Code, again.Body.String())
		}
		res2, err := protocol.DecodePushResponse(again.Body.Bytes())
		if err != nil || len(res2.Acks) != len(req.Changes) {
			t.Fatalf("second answer: %v %+v", err, res2)
		}
		for i, a := range res2.Acks {
			if res.Acks[i].Result == protocol.AckOK && a.Result != protocol.AckDup {
				t.Fatalf("change %q applied, then acknowledged %q on the re-send", a.UID, a.Result)
			}
		}
		if after := hub.footprint(t); after != mid {
			t.Fatalf("a repeated push wrote: %v → %v", mid, after)
		}
	})
}

// FuzzSyncRequest fuzzes what reaches the sync endpoints before and around
// the body: the node, timestamp and signature headers, the raw (not
// necessarily gzip) body and the pull's query. Unsigned requests are 401
// (or 429 for a real node id) and write nothing; signed pulls are 200 or
// 400; signed pushes are 200 or a 4xx. Never a 5xx.
func FuzzSyncRequest(f *testing.F) {
	now := strconv.FormatInt(testkit.Now().Unix(), 10)
	f.Add(false, false, nodeID, now, "00", "", []byte(nil))
	f.Add(false, false, "", "", "", "", []byte(nil))
	f.Add(true, false, nodeID, "1e3", "zz", "cursor=1", []byte(nil))
	f.Add(false, true, "", "", "", "", pushBody(change("PKM-1:dd01", "origin000000004", model.EventCreated, "", model.StatusBaru)))
	f.Add(false, true, "", "", "", "", []byte{0x1f, 0x8b, 0x08, 0x00})
	f.Add(false, true, "", "", "", "", []byte(`{"v":1,"changes":[]}`))
	f.Add(true, true, "", "", "", "cursor=0&limit=1000", []byte(nil))
	f.Add(true, true, "", "", "", "cursor=-1&limit=0", []byte(nil))
	f.Add(true, true, "", "", "", "cursor=9223372036854775807&limit=abc&cursor=2", []byte(nil))

	hub := newFuzzHub(f)
	f.Fuzz(func(t *testing.T, pull, sign bool, node, ts, sig, query string, body []byte) {
		method, target := http.MethodPost, protocol.PushPath
		if pull {
			method, target, body = http.MethodGet, protocol.PullPath, nil
			if query != "" {
				target += "?" + query
			}
			if _, err := url.ParseRequestURI(target); err != nil {
				return // net/http refuses such a request line before any handler
			}
		}
		headers := map[string]string{"Content-Encoding": "gzip"}
		if !sign {
			headers[protocol.HeaderNode] = node
			headers[protocol.HeaderTimestamp] = ts
			headers[protocol.HeaderSignature] = sig
		}
		before := hub.footprint(t)
		rec := hub.do(t, method, target, body, sign, headers)
		if rec.Code >= 500 {
			t.Fatalf("%s %s answered %d: %.400s", method, target, rec.Code, rec.Body.String())
		}
		switch {
		case !sign:
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusTooManyRequests {
				t.Fatalf("unsigned %s answered %d: %.400s", method, rec.Code, rec.Body.String())
			}
		case pull:
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Fatalf("signed pull %q answered %d: %.400s", query, rec.Code, rec.Body.String())
			}
			if rec.Code == http.StatusOK {
				if _, err := protocol.DecodePull(rec.Body.Bytes()); err != nil {
					t.Fatalf("the hub's own pull answer does not decode: %v", err)
				}
			}
		}
		if rec.Code != http.StatusOK {
			if after := hub.footprint(t); after != before {
				t.Fatalf("a refused request (%d) wrote: %v → %v", rec.Code, before, after)
			}
		}
	})
}
