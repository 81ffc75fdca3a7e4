package upstream_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/sync/hub"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// level is one real Simpul app serving its router on a loopback port.
type level struct {
	name   string
	app    *tests.TestApp
	srv    *httptest.Server
	syncer *upstream.Syncer     // nil at the top
	parent *upstream.HTTPParent // the client to the level above
	proxy  *faultyProxy         // between this level and its parent
}

func newLevel(t testing.TB, name string) *level {
	t.Helper()
	app := testkit.New(t)
	l := &level{name: name, app: app, srv: testkit.Serve(t, app)}
	// Each level is its own office, with the code its parent registers.
	setOfficeCode(t, l, strings.ToUpper(name), "Kantor "+name)
	return l
}

// attach registers child on parent (like "simpul nodes add") and points
// child's syncer at parent through a faulty proxy.
func attach(t testing.TB, child, parent *level) {
	t.Helper()
	creds, err := hub.AddNode(parent.app, strings.ToUpper(child.name), "Node "+child.name)
	if err != nil {
		t.Fatal(err)
	}
	child.proxy = newFaultyProxy(t, parent.srv.URL)
	child.parent = upstream.NewHTTPParent(child.proxy.URL(), creds.NodeID, creds.Secret, clock.Func(child.app))
	child.parent.Timeout = 5 * time.Second
	child.syncer = upstream.NewSyncer(child.app, child.parent, parent.name, time.Minute)
	child.syncer.Batch = 50
}

// restart closes the level's app (as if the process died) and opens a new
// one on the same data directory, re-attached to the same parent.
func (l *level) restart(t testing.TB) {
	t.Helper()
	l.srv.Close()
	dir := testkit.Snapshot(t, l.app)
	l.app = testkit.NewFromDir(t, dir, testkit.Config())
	t.Cleanup(l.app.Cleanup)
	l.srv = testkit.Serve(t, l.app)
	if l.parent != nil {
		l.syncer = upstream.NewSyncer(l.app, l.parent, "parent", time.Minute)
		l.syncer.Batch = 50
	}
}

// pass runs one sync pass and fails the test on error.
func (l *level) pass(t testing.TB) upstream.Summary {
	t.Helper()
	sum, err := l.syncer.Pass(t.Context())
	if err != nil {
		t.Fatalf("%s: pass: %v (summary %+v)", l.name, err, sum)
	}
	return sum
}

// transition moves a complaint on this level the way a staff action does
// (cases.Transition: the timeline event, queued in the outbox, the status
// and every date).
func transition(t testing.TB, app core.App, trackingCode, to string) {
	t.Helper()
	testkit.Move(t, app, trackingCode, to, "")
}

func status(t testing.TB, app core.App, trackingCode string) string {
	t.Helper()
	c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", trackingCode)
	if err != nil {
		t.Fatalf("complaint %s: %v", trackingCode, err)
	}
	return c.GetString("status")
}

// uids returns the event uids of the complaint with trackingCode.
func uids(t testing.TB, app core.App, trackingCode string) map[string]bool {
	t.Helper()
	var rows []struct {
		UID string `db:"uid"`
	}
	err := app.DB().NewQuery(`SELECT e.uid FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc}`).Bind(dbx.Params{"tc": trackingCode}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rows {
		if out[r.UID] {
			t.Fatalf("event %s twice on one level", r.UID)
		}
		out[r.UID] = true
	}
	return out
}

// publicUIDs returns the uids of the public events of a complaint.
func publicUIDs(t testing.TB, app core.App, trackingCode string) map[string]bool {
	t.Helper()
	var rows []string
	err := app.DB().NewQuery(`SELECT e.uid FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc} AND e.public = TRUE`).Bind(dbx.Params{"tc": trackingCode}).Column(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, u := range rows {
		out[u] = true
	}
	return out
}

func count(t testing.TB, app core.App, table string, where dbx.Expression) int {
	t.Helper()
	var n int
	q := app.DB().Select("count(*)").From(table)
	if where != nil {
		q = q.Where(where)
	}
	if err := q.Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// assertConverged checks the invariants after a scenario, between each
// child and its parent: every child complaint exists exactly once above
// with the same status and the same set of events, nothing is pending,
// every hash chain verifies, and no reporter identity exists above.
func assertConverged(t testing.TB, pairs ...[2]*level) {
	t.Helper()
	for _, p := range pairs {
		child, parent := p[0], p[1]
		var codes []string
		if err := child.app.DB().Select("tracking_code").From(model.Complaints).Column(&codes); err != nil {
			t.Fatal(err)
		}
		if len(codes) == 0 {
			t.Fatalf("%s has no complaints: the scenario tests nothing", child.name)
		}
		for _, tc := range codes {
			if n := count(t, parent.app, model.Complaints, dbx.HashExp{"tracking_code": tc}); n != 1 {
				t.Errorf("%s: complaint %s exists %d times on %s", child.name, tc, n, parent.name)
				continue
			}
			if a, b := status(t, child.app, tc), status(t, parent.app, tc); a != b {
				t.Errorf("%s: status of %s: %s here, %s on %s", child.name, tc, a, b, parent.name)
			}
			// Every event of the child is above; every public event above
			// is below (internal notes go down only to the office that
			// handles the case).
			cu, pu := uids(t, child.app, tc), uids(t, parent.app, tc)
			for u := range cu {
				if !pu[u] {
					t.Errorf("%s: event %s of %s missing on %s", child.name, u, tc, parent.name)
				}
			}
			for u := range publicUIDs(t, parent.app, tc) {
				if !cu[u] {
					t.Errorf("%s: public event %s of %s missing on %s", parent.name, u, tc, child.name)
				}
			}
		}
		if n, _ := outbox.Count(child.app, model.OutboxPending); n != 0 {
			t.Errorf("%s: %d outbox rows still pending", child.name, n)
		}
		var withIdentity int
		err := parent.app.DB().NewQuery(`SELECT count(*) FROM complaints WHERE origin_node != ''
			AND (reporter_name != '' OR reporter_phone != '' OR reporter_email != '' OR reporter_nik != '')`).Row(&withIdentity)
		if err != nil {
			t.Fatal(err)
		}
		if withIdentity != 0 {
			t.Errorf("%s: %d synced complaints carry reporter identity", parent.name, withIdentity)
		}
	}
	for _, p := range pairs {
		for _, l := range p {
			if _, err := events.Verify(l.app); err != nil {
				t.Errorf("%s: hash chain: %v", l.name, err)
			}
		}
	}
}

// faultyProxy is a real HTTP listener between a node and its parent that
// forwards requests, or breaks them the way bad links do.
type faultyProxy struct {
	srv    *httptest.Server
	target string
	mode   atomic.Value // string: see ServeHTTP
	delay  atomic.Int64 // added latency, ns

	mu       sync.Mutex
	bodies   [][]byte // decompressed request bodies seen
	requests atomic.Int64
}

func newFaultyProxy(t testing.TB, target string) *faultyProxy {
	p := &faultyProxy{target: target}
	p.mode.Store("ok")
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultyProxy) URL() string     { return p.srv.URL }
func (p *faultyProxy) set(mode string) { p.mode.Store(mode) }
func (p *faultyProxy) wire() [][]byte  { p.mu.Lock(); defer p.mu.Unlock(); return p.bodies }
func hijackClose(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// Modes: ok; down (connection closed at once); 500; reset-mid-body (half
// the request body read, then the connection dropped: nothing reaches the
// parent); drop-ack (the parent applies the request, the answer is lost,
// as when the node is killed mid-push).
func (p *faultyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	if d := p.delay.Load(); d > 0 {
		time.Sleep(time.Duration(d))
	}
	mode := p.mode.Load().(string)
	switch mode {
	case "down":
		hijackClose(w)
		return
	case "500":
		io.Copy(io.Discard, r.Body)
		http.Error(w, "internal error injected by proxy", http.StatusInternalServerError)
		return
	case "reset-mid-body":
		n := r.ContentLength / 2
		io.CopyN(io.Discard, r.Body, n)
		hijackClose(w)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if len(body) > 0 {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			plain, _ := io.ReadAll(zr)
			p.mu.Lock()
			p.bodies = append(p.bodies, plain)
			p.mu.Unlock()
		}
	}
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	if mode == "drop-ack" {
		hijackClose(w)
		return
	}
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	w.Write(answer)
}
