package hub_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/sync/hub"
	"simpul/sync/protocol"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

const (
	nodeID     = "nodepkm00000001"
	nodeSecret = "a-known-test-secret-of-enough-length"
)

// withNode is a factory whose app has one registered child with a known
// id and secret, so signed headers can be computed before the app exists.
func withNode(active bool) func(testing.TB) *tests.TestApp {
	return testkit.Factory(func(t testing.TB, app *tests.TestApp) {
		testkit.Node(t, app, nodeID, "PKM-1", nodeSecret, active)
	})
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func signed(method, pathQuery string, body []byte, id, secret string, at time.Time) map[string]string {
	return map[string]string{
		protocol.HeaderNode:      id,
		protocol.HeaderTimestamp: fmt.Sprint(at.Unix()),
		protocol.HeaderSignature: protocol.Sign(protocol.DeriveKey(secret), method, pathQuery, at.Unix(), body),
		"Content-Encoding":       "gzip",
	}
}

func change(uid, originID, kind, from, to string) protocol.Change {
	c := protocol.Change{
		Event: protocol.Event{UID: uid, Kind: kind, ActorType: "system", From: from, To: to,
			Origin: "PKM-1", At: "2026-03-02T08:00:00Z"},
		Complaint: protocol.Complaint{ID: originID, TrackingCode: "LPR-" + originID[:8], Type: model.TypePengaduan,
			Title: "Antrean obat terlalu lama", Body: "Menunggu tiga jam di loket obat.", Category: "KES-OBAT",
			Privacy: model.PrivacyConfidential, Status: model.StatusBaru, Created: "2026-03-02T08:00:00Z"},
	}.Whole()
	if to != "" {
		c.State.Status = to
	}
	return c
}

func pushBody(changes ...protocol.Change) []byte {
	b, err := protocol.Encode(protocol.PushRequest{V: protocol.Version, Changes: changes})
	if err != nil {
		panic(err)
	}
	return b
}

// nothingApplied asserts a refused request left no trace.
func nothingApplied(t testing.TB, app *tests.TestApp, _ *http.Response) {
	var n int
	app.DB().NewQuery("SELECT (SELECT count(*) FROM complaints WHERE origin_node != '') + (SELECT count(*) FROM sync_inbox)").Row(&n)
	if n != 0 {
		t.Errorf("a refused push left %d rows", n)
	}
}

func TestPushEndpoint(t *testing.T) {
	now := testkit.Now()
	good := pushBody(change("PKM-1:aa01", "origin000000001", model.EventCreated, "", model.StatusBaru),
		change("PKM-1:aa02", "origin000000001", model.EventTransition, model.StatusBaru, model.StatusTerdisposisi))
	tooMany := make([]protocol.Change, protocol.MaxChangesPerPush+1)
	for i := range tooMany {
		tooMany[i] = change(fmt.Sprintf("PKM-1:%04d", i), "origin000000001", model.EventNote, "", "")
	}
	twice := change("PKM-1:dd01", "origin000000003", model.EventCreated, "", model.StatusBaru)
	bad := change("PKM-1:bb01", "origin000000001", model.EventTransition, "", "dibakar")
	huge := bytes.Repeat([]byte{'x'}, protocol.MaxCompressedBody+10)
	bomb := gz(bytes.Repeat([]byte{' '}, protocol.MaxDecompressedBody+10))
	plain := []byte(`{"v":1,"changes":[]}`)
	cases := []struct {
		name    string
		body    []byte
		headers map[string]string
		factory func(testing.TB) *tests.TestApp
		status  int
		content []string
	}{
		{"unsigned", good, map[string]string{"Content-Encoding": "gzip"}, nil, 401, []string{"signature headers"}},
		{"unknown node", good, signed("POST", protocol.PushPath, good, "nodeunknown0001", nodeSecret, now), nil, 401, []string{"Unknown or inactive"}},
		{"inactive node", good, signed("POST", protocol.PushPath, good, nodeID, nodeSecret, now), withNode(false), 401, []string{"Unknown or inactive"}},
		{"wrong secret", good, signed("POST", protocol.PushPath, good, nodeID, "another-secret", now), nil, 401, []string{"Bad or expired"}},
		{"body swapped after signing", pushBody(change("PKM-1:cc01", "origin000000002", model.EventCreated, "", model.StatusBaru)),
			signed("POST", protocol.PushPath, good, nodeID, nodeSecret, now), nil, 401, []string{"Bad or expired"}},
		{"replayed after the window", good, signed("POST", protocol.PushPath, good, nodeID, nodeSecret, now.Add(-10*time.Minute)), nil, 401, []string{"Bad or expired"}},
		{"signed for another path", good, signed("POST", protocol.PullPath, good, nodeID, nodeSecret, now), nil, 401, []string{"Bad or expired"}},
		{"not gzip", plain, func() map[string]string {
			h := signed("POST", protocol.PushPath, plain, nodeID, nodeSecret, now)
			delete(h, "Content-Encoding")
			return h
		}(), nil, 415, []string{"gzip"}},
		{"corrupt gzip", []byte("\x1f\x8bnot really"), signed("POST", protocol.PushPath, []byte("\x1f\x8bnot really"), nodeID, nodeSecret, now), nil, 400, []string{"Invalid push body"}},
		{"not JSON", gz([]byte("<xml/>")), signed("POST", protocol.PushPath, gz([]byte("<xml/>")), nodeID, nodeSecret, now), nil, 400, []string{"Invalid push body"}},
		{"unknown field", gz([]byte(`{"v":1,"changes":[],"admin":true}`)), signed("POST", protocol.PushPath, gz([]byte(`{"v":1,"changes":[],"admin":true}`)), nodeID, nodeSecret, now), nil, 400, []string{"unknown field"}},
		{"future version", gz([]byte(`{"v":3,"changes":[]}`)), signed("POST", protocol.PushPath, gz([]byte(`{"v":3,"changes":[]}`)), nodeID, nodeSecret, now), nil, 400, []string{"version"}},
		{"too many changes", pushBody(tooMany...), signed("POST", protocol.PushPath, pushBody(tooMany...), nodeID, nodeSecret, now), nil, 400, []string{"at most 500"}},
		{"unknown status", pushBody(bad), signed("POST", protocol.PushPath, pushBody(bad), nodeID, nodeSecret, now), nil, 400, []string{"dibakar"}},
		{"repeated uid", pushBody(twice, twice), signed("POST", protocol.PushPath, pushBody(twice, twice), nodeID, nodeSecret, now), nil, 400, []string{"repeated"}},
		{"oversized", huge, signed("POST", protocol.PushPath, huge, nodeID, nodeSecret, now), nil, 413, []string{"too large"}},
		{"gzip bomb", bomb, signed("POST", protocol.PushPath, bomb, nodeID, nodeSecret, now), nil, 413, []string{"too large"}},
	}
	for _, c := range cases {
		f := c.factory
		if f == nil {
			f = withNode(true)
		}
		(&tests.ApiScenario{
			Name: c.name, Method: http.MethodPost, URL: protocol.PushPath, Body: bytes.NewReader(c.body),
			Headers: c.headers, ExpectedStatus: c.status, ExpectedContent: c.content,
			ExpectedEvents: map[string]int{"*": 0}, TestAppFactory: f, AfterTestFunc: nothingApplied,
		}).Test(t)
	}

	(&tests.ApiScenario{
		Name: "valid push, applied once", Method: http.MethodPost, URL: protocol.PushPath, Body: bytes.NewReader(good),
		Headers: signed("POST", protocol.PushPath, good, nodeID, nodeSecret, now), ExpectedStatus: 200,
		ExpectedContent: []string{""}, // gzip body: decoded below
		// the complaint copy is validated as Save would (it comes from
		// another machine) and, like its 2 events and their 2 outbox rows
		// (so the hub relays upward), written by prepared INSERTs: no
		// record hook runs; the rows are counted below
		ExpectedEvents: map[string]int{"OnRecordValidate": 1, "OnRecordCreate": 0, "OnRecordUpdate": 0},
		TestAppFactory: withNode(true),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			b, _ := io.ReadAll(res.Body)
			pr, err := protocol.DecodePushResponse(b)
			if err != nil || len(pr.Acks) != 2 || pr.Acks[0].Result != protocol.AckOK || pr.Acks[1].Result != protocol.AckOK {
				t.Fatalf("acks %+v %v", pr, err)
			}
			c, err := app.FindFirstRecordByData(model.Complaints, "origin_id", "origin000000001")
			if err != nil {
				t.Fatal(err)
			}
			if c.GetString("status") != model.StatusTerdisposisi || c.GetString("origin_node") != nodeID ||
				c.GetString("tracking_code") != "LPR-origin00" || c.GetString("privacy") != model.PrivacyConfidential {
				t.Errorf("hub copy: %v", c.FieldsData())
			}
			// Written without Save, the row is still one PocketBase reads
			// and would write the same way; created is the child's, the
			// office fields name the child (its state carried none).
			if c.GetString("created") != "2026-03-02 08:00:00.000Z" || c.GetDateTime("updated").IsZero() ||
				c.GetString("office") != "PKM-1" || c.GetString("origin_office") != "PKM-1" ||
				c.GetString("channel") != model.ChannelSync {
				t.Errorf("hub copy incomplete: %v", c.FieldsData())
			}
			if err := app.Validate(c); err != nil {
				t.Errorf("the stored hub copy does not validate: %v", err)
			}
			// The same push again: acknowledged, nothing doubled.
			node, _ := app.FindRecordById(model.Nodes, nodeID)
			req, _ := protocol.DecodePush(good)
			again, err := hub.ApplyPush(app, node, req)
			if err != nil || again.Acks[0].Result != protocol.AckDup || again.Acks[1].Result != protocol.AckDup || again.Acks[0].HubID != c.Id {
				t.Errorf("re-push: %+v %v", again, err)
			}
			var evs int
			app.DB().Select("count(*)").From(model.ComplaintEvents).Where(dbx.HashExp{"complaint": c.Id}).Row(&evs)
			if evs != 2 {
				t.Errorf("%d events after a re-push, want 2", evs)
			}
			// The child's own events are not echoed back in its pull.
			feed, err := hub.Feed(app, nodeID, 0, 100)
			if err != nil || len(feed.Items) != 0 {
				t.Errorf("feed echoes the child's events: %+v %v", feed, err)
			}
		},
	}).Test(t)
}

func TestPullEndpoint(t *testing.T) {
	now := testkit.Now()
	for _, c := range []struct {
		name, query string
		status      int
		content     string
	}{
		{"negative cursor", "?cursor=-1", 400, "ursor must be a non-negative integer"},
		{"text cursor", "?cursor=abc", 400, "ursor must be a non-negative integer"},
		{"limit too high", "?cursor=0&limit=5000", 400, "imit must be between 1 and 1000"},
		{"first page", "?cursor=0", 200, ""}, // a gzip body: decoded below
	} {
		u := protocol.PullPath + c.query
		h := signed("GET", u, nil, nodeID, nodeSecret, now)
		delete(h, "Content-Encoding")
		s := &tests.ApiScenario{Name: c.name, Method: http.MethodGet, URL: u, Headers: h,
			ExpectedStatus: c.status, ExpectedContent: []string{c.content}, TestAppFactory: withNode(true)}
		if c.status == http.StatusOK {
			s.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				b, _ := io.ReadAll(res.Body)
				feed, err := protocol.DecodePull(b)
				if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
					t.Fatalf("first page: %v %q", err, res.Header.Get("Content-Encoding"))
				}
				if len(feed.Items) != 0 {
					t.Errorf("a new node's first page: %+v", feed)
				}
			}
		}
		s.Test(t)
	}
}

// A node that floods its parent is slowed down with 429s. The limit is
// written down in docs/sync-protocol.md: 20 requests/s sustained per node,
// burst 60. The hub's clock stands still while the node sends, so the
// count does not depend on how fast this machine is: exactly 60 of 100
// get through; one second later exactly 20 more.
func TestRateLimit(t *testing.T) {
	app := withNode(true)(t)
	defer app.Cleanup()
	var mu sync.Mutex
	now := testkit.Now()
	clock.Set(app, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	srv := testkit.Serve(t, app)
	burst := func(n int) (passed int) {
		for i := 0; i < n; i++ {
			u := protocol.PullPath + "?cursor=0&limit=1"
			req, _ := http.NewRequest("GET", srv.URL+u, nil)
			protocol.SetHeaders(req, nodeID, protocol.DeriveKey(nodeSecret), nil, clock.Now(app))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			switch res.StatusCode {
			case http.StatusOK:
				passed++
			case http.StatusTooManyRequests:
				if res.Header.Get("Retry-After") == "" {
					t.Errorf("request %d: 429 without Retry-After", i)
				}
			default:
				t.Fatalf("request %d: %d", i, res.StatusCode)
			}
		}
		return passed
	}
	if got := burst(100); got != 60 {
		t.Errorf("a burst of 100 requests at one instant: %d answered, want the burst of 60", got)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if got := burst(30); got != 20 {
		t.Errorf("one second later: %d of 30 answered, want 20 (20 requests/s)", got)
	}
}

func TestAddNodeRotatesSecret(t *testing.T) {
	app := testkit.New(t)
	a, err := hub.AddNode(app, "PKM-2", "Puskesmas Dua")
	if err != nil {
		t.Fatal(err)
	}
	b, err := hub.AddNode(app, "PKM-2", "Puskesmas Dua")
	if err != nil {
		t.Fatal(err)
	}
	if a.NodeID != b.NodeID || a.Secret == b.Secret || len(a.Secret) < 40 {
		t.Fatalf("rotation: %+v %+v", a, b)
	}
	n, _ := app.FindRecordById(model.Nodes, a.NodeID)
	if strings.Contains(n.GetString("key_hash"), b.Secret) || n.GetString("key_hash") != protocol.DeriveKeyHex(b.Secret) {
		t.Error("the node's stored key is not the derived key of the current secret")
	}
	for _, bad := range []string{"", "has space", "../etc", strings.Repeat("A", 33)} {
		if _, err := hub.AddNode(app, bad, "x"); err == nil {
			t.Errorf("code %q accepted", bad)
		}
	}
}

// A snapshot the hub's schema refuses (written without Save, so validated
// explicitly) is acknowledged as rejected, writes nothing, and does not
// stop the valid change after it in the same push.
func TestPushRejectsAnInvalidSnapshot(t *testing.T) {
	app := withNode(true)(t)
	node, err := app.FindRecordById(model.Nodes, nodeID)
	if err != nil {
		t.Fatal(err)
	}
	invalid := []func(*protocol.Complaint){
		func(c *protocol.Complaint) { c.Type = "keluhan" },
		func(c *protocol.Complaint) { c.Privacy = "semua" },
		func(c *protocol.Complaint) { c.Title = strings.Repeat("judul ", 2000) },
		func(c *protocol.Complaint) { c.Gender = "x" },
	}
	for i, spoil := range invalid {
		bad := change(fmt.Sprintf("PKM-1:ee%02d", i), fmt.Sprintf("originbad%06d", i), model.EventCreated, "", model.StatusBaru)
		spoil(&bad.Complaint)
		ok := change(fmt.Sprintf("PKM-1:ef%02d", i), fmt.Sprintf("origingood%05d", i), model.EventCreated, "", model.StatusBaru)
		ok.Complaint.TrackingCode = fmt.Sprintf("LPR-good%04d", i)
		res, err := hub.ApplyPush(app, node, protocol.PushRequest{V: protocol.Version, Changes: []protocol.Change{bad, ok}})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if res.Acks[0].Result != protocol.AckRejected || res.Acks[1].Result != protocol.AckOK {
			t.Fatalf("case %d: acks %+v", i, res.Acks)
		}
		if _, err := app.FindFirstRecordByData(model.Complaints, "origin_id", bad.Complaint.ID); err == nil {
			t.Fatalf("case %d: the invalid snapshot was stored", i)
		}
		var evs int
		app.DB().Select("count(*)").From(model.ComplaintEvents).Where(dbx.HashExp{"uid": bad.Event.UID}).Row(&evs)
		if evs != 0 {
			t.Fatalf("case %d: the rejected change left its event", i)
		}
	}
}

// A child may extend its category tree: a case whose category code the hub
// does not know is taken, under the hub's LAIN ("Lainnya"), not refused
// (sync/apply: fallbackCategory).
func TestUnknownCategoryFallsBackToLain(t *testing.T) {
	now := testkit.Now()
	c := change("PKM-1:cc01", "origin000000009", model.EventCreated, "", model.StatusBaru)
	c.Complaint.Category = "KES-CABANG-BARU"
	body := pushBody(c)
	(&tests.ApiScenario{
		Name: "unknown category", Method: http.MethodPost, URL: protocol.PushPath, Body: bytes.NewReader(body),
		Headers: signed("POST", protocol.PushPath, body, nodeID, nodeSecret, now), ExpectedStatus: 200,
		ExpectedContent: []string{""}, // gzip body: decoded below
		TestAppFactory:  withNode(true),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			b, _ := io.ReadAll(res.Body)
			pr, err := protocol.DecodePushResponse(b)
			if err != nil || len(pr.Acks) != 1 || pr.Acks[0].Result != protocol.AckOK {
				t.Fatalf("acks %+v %v", pr, err)
			}
			kept, err := app.FindFirstRecordByData(model.Complaints, "origin_id", "origin000000009")
			if err != nil {
				t.Fatal(err)
			}
			lain, err := app.FindFirstRecordByData(model.Categories, "code", "LAIN")
			if err != nil {
				t.Fatal(err)
			}
			if kept.GetString("category") != lain.Id {
				t.Errorf("the hub filed the case under category %q, want LAIN (%s)", kept.GetString("category"), lain.Id)
			}
		},
	}).Test(t)
}
