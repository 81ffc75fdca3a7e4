package upstream_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	simclock "simpul/hooks/platform/clock"
	"simpul/sync/hub"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// network is a kabupaten hub with two puskesmas, each a real app serving
// HTTP, all on one injected clock (a Wednesday, 08:00 WIB).
type network struct {
	hub, a, b *level
	now       time.Time
}

func newNetwork(t *testing.T) *network {
	t.Helper()
	n := &network{hub: newLevel(t, "kab"), a: newLevel(t, "pka"), b: newLevel(t, "pkb"),
		now: time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC)}
	attach(t, n.a, n.hub)
	attach(t, n.b, n.hub)
	for _, l := range n.levels() {
		simclock.Set(l.app, func() time.Time { return n.now })
	}
	return n
}

func (n *network) levels() []*level { return []*level{n.hub, n.a, n.b} }

// settle runs passes on both children until nothing moves.
func (n *network) settle(t *testing.T) {
	t.Helper()
	for range 4 {
		moved := 0
		for _, l := range []*level{n.a, n.b} {
			s := l.pass(t)
			moved += s.Pushed + s.Pulled
		}
		if moved == 0 {
			return
		}
	}
	t.Fatal("the network does not settle")
}

func record(t testing.TB, l *level, tc string) *core.Record {
	t.Helper()
	c, err := l.app.FindFirstRecordByData(model.Complaints, "tracking_code", tc)
	if err != nil {
		t.Fatalf("%s: %s: %v", l.name, tc, err)
	}
	return c
}

// caseFields are the fields every copy of a case agrees on ("one case, one
// truth", docs/sync-protocol.md); dates are compared to the millisecond.
var caseFields = append([]string{"status", "channel", "created", "privacy", "office", "origin_office",
	"reason", "rating", "paused_remaining", "title", "body", "type", "public_title", "public_body"}, dateFields()...)

func dateFields() []string {
	var out []string
	for _, f := range protocol.StateDates {
		out = append(out, f)
	}
	return out
}

// sameCase reports the fields in which two copies of a case differ, the
// unit compared by code (unit ids differ per office).
func sameCase(t testing.TB, x, y *level, tc string) []string {
	t.Helper()
	cx, cy := record(t, x, tc), record(t, y, tc)
	var diff []string
	for _, f := range caseFields {
		if vx, vy := fmt.Sprint(cx.Get(f)), fmt.Sprint(cy.Get(f)); vx != vy {
			diff = append(diff, fmt.Sprintf("%s: %s %q, %s %q", f, x.name, vx, y.name, vy))
		}
	}
	if ux, uy := unitCode(t, x, cx), unitCode(t, y, cy); ux != uy {
		diff = append(diff, fmt.Sprintf("unit: %s %q, %s %q", x.name, ux, y.name, uy))
	}
	return diff
}

func unitCode(t testing.TB, l *level, c *core.Record) string {
	if id := c.GetString("unit"); id != "" {
		u, err := l.app.FindRecordById(model.Units, id)
		if err != nil {
			t.Fatal(err)
		}
		return u.GetString("code")
	}
	return c.GetString("unit_code")
}

func assertSame(t *testing.T, tc string, levels ...*level) {
	t.Helper()
	for _, l := range levels[1:] {
		if d := sameCase(t, levels[0], l, tc); len(d) > 0 {
			t.Errorf("%s differs between %s and %s: %s", tc, levels[0].name, l.name, strings.Join(d, "; "))
		}
	}
}

// track reads /api/track/{code} on a level, as the citizen's phone does.
func track(t *testing.T, l *level, tc string) map[string]any {
	t.Helper()
	res, err := http.Get(l.srv.URL + "/api/track/" + tc)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != 200 {
		t.Fatalf("track %s on %s: %d %v", tc, l.name, res.StatusCode, err)
	}
	return v
}

// A case the hub routes to a child office is in that office's queue after
// ONE pull, terdisposisi with the hub's follow-up deadline; the child's
// coordinator routes it to a unit without restarting the clock; its
// follow-up reaches the origin's tracking page with "ditangani oleh".
func TestRouteDown(t *testing.T) {
	n := newNetwork(t)
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{Privacy: model.PrivacyPublic}).GetString("tracking_code")
	n.a.pass(t)
	transition(t, n.a.app, tc, model.StatusBukanWewenang) // not PKA's to handle
	n.a.pass(t)
	n.now = n.now.Add(2 * time.Hour)
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	hubDue := record(t, n.hub, tc).GetString("followup_due_at")
	if hubDue == "" || record(t, n.hub, tc).GetString("office") != "PKB" {
		t.Fatalf("hub after routing: office %q due %q", record(t, n.hub, tc).GetString("office"), hubDue)
	}

	if s := n.b.pass(t); s.Pulled == 0 {
		t.Fatalf("one pull brought nothing: %+v", s)
	}
	got := record(t, n.b, tc)
	if got.GetString("status") != model.StatusTerdisposisi || got.GetString("office") != "PKB" ||
		got.GetString("followup_due_at") != hubDue || got.GetString("origin_office") != "PKA" {
		t.Fatalf("on PKB after one pull: status %q office %q due %q (hub's %q) origin %q", got.GetString("status"),
			got.GetString("office"), got.GetString("followup_due_at"), hubDue, got.GetString("origin_office"))
	}
	// Its history came along: the intake and the hand-up are on its timeline.
	if pu, bu := publicUIDs(t, n.hub.app, tc), uids(t, n.b.app, tc); len(pu) == 0 || !subset(pu, bu) {
		t.Errorf("PKB lacks public events of the case: hub %v, PKB %v", pu, bu)
	}
	// The instruction written with the routing reached the office that handles the case.
	if count(t, n.b.app, model.ComplaintEvents, dbx.HashExp{"complaint": got.Id, "kind": model.EventNote}) == 0 {
		t.Error("the routing note did not reach PKB")
	}

	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, tc, model.StatusTerdisposisi) // to its own unit
	if due := record(t, n.b, tc).GetString("followup_due_at"); due != hubDue {
		t.Errorf("routing to a unit restarted the clock: %q, hub set %q", due, hubDue)
	}
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, tc, model.StatusProses) // the follow-up
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	for _, l := range n.levels() {
		if s := record(t, l, tc).GetString("status"); s != model.StatusProses {
			t.Errorf("%s: %s", l.name, s)
		}
	}
	v := track(t, n.a, tc)
	hb, _ := v["handled_by"].(map[string]any)
	if hb["code"] != "PKB" || hb["name"] != "Kantor pkb" { // the office's own name, once it acted
		t.Errorf("origin's tracking page: handled_by %v", v["handled_by"])
	}
	if !strings.Contains(fmt.Sprint(v["timeline"]), "Catatan petugas untuk proses") {
		t.Errorf("the follow-up written at PKB is not on the origin's tracking page: %v", v["timeline"])
	}
	page, err := http.Get(n.a.srv.URL + "/lacak/" + tc)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !bytes.Contains(body, []byte("Ditangani oleh")) || !bytes.Contains(body, []byte("Kantor pkb")) {
		t.Error("the tracking page does not say where the case is handled")
	}
	// Copies elsewhere are read-only: PKA may not move it.
	assertRefused(t, n.a, tc)
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// assertRefused checks that the transitions route refuses a move on a copy
// of a case handled by another office (409), and changes nothing.
func assertRefused(t *testing.T, l *level, tc string) {
	t.Helper()
	_, token := testkit.Staff(t, l.app, "koordinator@"+l.name+".test", model.RoleCoordinator, "")
	before := record(t, l, tc).GetString("status")
	req, _ := http.NewRequest("POST", l.srv.URL+"/api/complaints/"+tc+"/transitions",
		strings.NewReader(`{"to":"selesai","note":"tutup"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusConflict || record(t, l, tc).GetString("status") != before {
		t.Errorf("a move on %s's copy: %d, status %s", l.name, res.StatusCode, record(t, l, tc).GetString("status"))
	}
}

// bukan_wewenang at a child lands in the hub's verification queue; the hub
// routes it across to the other child, and every copy agrees.
func TestBukanWewenangAcross(t *testing.T) {
	n := newNetwork(t)
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	transition(t, n.a.app, tc, model.StatusTerdisposisi)
	transition(t, n.a.app, tc, model.StatusBukanWewenang)
	n.a.pass(t)
	h := record(t, n.hub, tc)
	if h.GetString("status") != model.StatusBaru || h.GetString("office") != "KAB" || h.GetString("verify_due_at") == "" {
		t.Fatalf("hub: status %q office %q verify_due %q; want it in the verification queue", h.GetString("status"),
			h.GetString("office"), h.GetString("verify_due_at"))
	}
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	if o := record(t, n.a, tc).GetString("office"); o != "PKB" {
		t.Errorf("origin's copy: office %q", o)
	}
	// The hub may also take it itself, to its own unit: every copy follows.
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "")
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	if o := record(t, n.b, tc).GetString("office"); o != "KAB" {
		t.Errorf("PKB's copy after the hub took it: office %q", o)
	}
}

// A case in proses is re-routed with a reason: to another unit of the same
// office (proses → terdisposisi), and handed up (proses → bukan_wewenang),
// after which the hub routes it to the other child.
func TestReRouteAfterProses(t *testing.T) {
	n := newNetwork(t)
	testkit.Unit(t, n.a.app, "POLI")
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	transition(t, n.a.app, tc, model.StatusTerdisposisi)
	transition(t, n.a.app, tc, model.StatusProses)
	n.settle(t)
	err := n.a.app.RunInTransaction(func(tx core.App) error {
		c, _ := tx.FindFirstRecordByData(model.Complaints, "tracking_code", tc)
		return moveAs(tx, c, model.StatusTerdisposisi, "POLI", "", "")
	})
	if err == nil || !strings.Contains(err.Error(), "re-routed") {
		t.Fatalf("a re-route without a reason: %v", err)
	}
	if err := n.a.app.RunInTransaction(func(tx core.App) error {
		c, _ := tx.FindFirstRecordByData(model.Complaints, "tracking_code", tc)
		return moveAs(tx, c, model.StatusTerdisposisi, "POLI", "", "Bukan urusan loket umum")
	}); err != nil {
		t.Fatal(err)
	}
	n.settle(t)
	assertSame(t, tc, n.hub, n.a)
	if u := record(t, n.hub, tc).GetString("unit_code"); u != "POLI" {
		t.Errorf("hub's copy: unit %q", u)
	}
	transition(t, n.a.app, tc, model.StatusProses)
	transition(t, n.a.app, tc, model.StatusBukanWewenang)
	n.settle(t)
	if s := record(t, n.hub, tc).GetString("status"); s != model.StatusBaru {
		t.Fatalf("hub after the hand-up from proses: %s", s)
	}
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
}

// The hub and the handling child act on one case in the same window: the
// hub re-routes it to PKA while PKB posts a follow-up. No event is lost,
// every copy ends in one status (the hub's: it holds authority over what
// it routed, docs/sync-protocol.md §6).
func TestConcurrentHubAndChild(t *testing.T) {
	n := newNetwork(t)
	tc := testkit.Complaint(t, n.hub.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	n.b.pass(t)
	transition(t, n.b.app, tc, model.StatusTerdisposisi)
	n.b.pass(t)
	// The same window:
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKA")
	transition(t, n.b.app, tc, model.StatusProses)
	followup := lastUID(t, n.b, tc)
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	for _, l := range n.levels() {
		if c := record(t, l, tc); c.GetString("status") != model.StatusTerdisposisi || c.GetString("office") != "PKA" {
			t.Errorf("%s: %s at %s, want terdisposisi at PKA", l.name, c.GetString("status"), c.GetString("office"))
		}
		if !uids(t, l.app, tc)[followup] {
			t.Errorf("%s lost PKB's follow-up event", l.name)
		}
	}
	var data string
	if err := n.hub.app.DB().NewQuery("SELECT data FROM complaint_events WHERE uid = {:u}").
		Bind(dbx.Params{"u": followup}).Row(&data); err != nil || !strings.Contains(data, "parent_authoritative") {
		t.Errorf("the overruled follow-up is not marked on the hub: %q %v", data, err)
	}
	// The other order: the child acts first and pushes; the hub, having
	// seen it, acts after: both moves stand in turn.
	transition(t, n.a.app, tc, model.StatusTerdisposisi)
	n.a.pass(t)
	transition(t, n.a.app, tc, model.StatusProses)
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	if s := record(t, n.hub, tc).GetString("status"); s != model.StatusProses {
		t.Errorf("a follow-up made with the hub's latest state was overruled: %s", s)
	}
}

func lastUID(t *testing.T, l *level, tc string) string {
	t.Helper()
	var uid string
	if err := l.app.DB().NewQuery(`SELECT e.uid FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc} ORDER BY e.rowid DESC LIMIT 1`).Bind(dbx.Params{"tc": tc}).Row(&uid); err != nil {
		t.Fatal(err)
	}
	return uid
}

// PKB is offline for a week while the hub routes cases to it; when the
// link comes back, one pass puts every case in its queue with the hub's
// deadlines, and the hub's copies agree with PKB's.
func TestChildOfflineForAWeekWhileRouted(t *testing.T) {
	n := newNetwork(t)
	n.b.proxy.set("down")
	var codes []string
	for i := range 5 {
		tc := testkit.Complaint(t, n.hub.app, testkit.ComplaintSpec{}).GetString("tracking_code")
		testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
		codes = append(codes, tc)
		n.now = n.now.Add(time.Duration(i+1) * 24 * time.Hour)
		if _, err := n.b.syncer.Pass(t.Context()); err == nil {
			t.Fatal("a pass over a cut link succeeded")
		}
	}
	n.now = n.now.Add(7 * 24 * time.Hour)
	n.b.proxy.set("ok")
	s := n.b.pass(t)
	if s.Pulled < len(codes) {
		t.Fatalf("after the week: %+v", s)
	}
	for _, tc := range codes {
		c := record(t, n.b, tc)
		if c.GetString("status") != model.StatusTerdisposisi || c.GetString("office") != "PKB" {
			t.Errorf("%s on PKB: %s at %s", tc, c.GetString("status"), c.GetString("office"))
		}
		assertSame(t, tc, n.hub, n.b)
	}
}

// The hub fails inside the transaction that applies a push (after part of
// the batch is written): nothing of the batch stays, the node retries,
// and the network converges with every event once.
func TestHubFailsInsideApply(t *testing.T) {
	n := newNetwork(t)
	for range 6 {
		tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
		transition(t, n.a.app, tc, model.StatusTerdisposisi)
	}
	if _, err := n.hub.app.DB().NewQuery(`CREATE TRIGGER inject_fault BEFORE INSERT ON sync_inbox
		WHEN (SELECT count(*) FROM sync_inbox) >= 7 BEGIN SELECT RAISE(ABORT, 'injected fault'); END`).Execute(); err != nil {
		t.Fatal(err)
	}
	// What an open desk would hear (sync/apply.News): nothing of a push
	// that left nothing, each case once when it is applied.
	var mu sync.Mutex
	announced := map[string]int{}
	n.hub.app.OnModelAfterCreateSuccess(model.Complaints).BindFunc(func(e *core.ModelEvent) error {
		mu.Lock()
		announced[e.Model.PK().(string)]++
		mu.Unlock()
		return e.Next()
	})
	if _, err := n.a.syncer.Pass(t.Context()); err == nil {
		t.Fatal("the pass succeeded through a failing apply")
	}
	mu.Lock()
	if len(announced) != 0 {
		t.Errorf("a failed push announced %d cases", len(announced))
	}
	mu.Unlock()
	for table, want := range map[string]int{model.Complaints: 0, model.ComplaintEvents: 0, model.SyncInbox: 0} {
		if got := count(t, n.hub.app, table, nil); got != want {
			t.Errorf("hub %s after a failed apply: %d rows, want %d", table, got, want)
		}
	}
	if _, err := n.hub.app.DB().NewQuery("DROP TRIGGER inject_fault").Execute(); err != nil {
		t.Fatal(err)
	}
	n.settle(t)
	assertConverged(t, [2]*level{n.a, n.hub})
	mu.Lock()
	defer mu.Unlock()
	if len(announced) != 6 {
		t.Errorf("the hub announced %v, want each of the 6 cases once", announced)
	}
	for id, k := range announced {
		if k != 1 {
			t.Errorf("case %s announced %d times", id, k)
		}
	}
}

// A version 1 node gets a clear upgrade error from a version 2 parent,
// and pushes nothing.
func TestV1NodeGetsUpgradeError(t *testing.T) {
	n := newNetwork(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"v":1,"changes":[]}`))
	zw.Close()
	res, err := http.Post(n.hub.srv.URL+protocol.PushPathV1, "application/json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUpgradeRequired || !bytes.Contains(body, []byte("v2")) || !bytes.Contains(body, []byte("Upgrade")) {
		t.Fatalf("v1 push: %d %s", res.StatusCode, body)
	}
	kind := upstream.ErrorKindOf(&upstream.StatusError{Code: res.StatusCode, Body: string(body)})
	if kind != upstream.ErrKindRefused {
		t.Errorf("a v1 node would report %q", kind)
	}
}

// moveAs makes a coordinator's move with a unit or office and a note.
func moveAs(tx core.App, c *core.Record, to, unit, office, note string) error {
	return cases.Transition(tx, c, cases.Actor{Role: model.RoleCoordinator, Name: "Koordinator", Origin: cases.OfficeCode(tx)},
		cases.Request{To: to, Unit: unit, Office: office, Note: note})
}

// orderedUIDs returns the event uids of the complaint with trackingCode in
// the order of its timeline on app.
func orderedUIDs(t testing.TB, app core.App, trackingCode string) []string {
	t.Helper()
	var out []string
	err := app.DB().NewQuery(`SELECT e.uid FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc} ORDER BY e.rowid`).Bind(dbx.Params{"tc": trackingCode}).Column(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// longTimeline takes a case in at the hub and writes notes internal notes
// on its timeline; it returns its tracking code.
func longTimeline(t *testing.T, n *network, notes int) string {
	t.Helper()
	tc := testkit.Complaint(t, n.hub.app, testkit.ComplaintSpec{Privacy: model.PrivacyPublic}).GetString("tracking_code")
	c := record(t, n.hub, tc)
	err := n.hub.app.RunInTransaction(func(tx core.App) error {
		for i := range notes {
			if _, err := events.Append(tx, c, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Petugas",
				Note: fmt.Sprintf("Catatan pemeriksaan ke-%d", i+1), Origin: "KAB", At: n.now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

// A case whose timeline is longer than one pull item carries (500 events)
// is routed to a child whole, in one pull: the hub cuts the timeline into
// items of at most 500 events, the first with the case, each ending with
// the next event, the last with the routing; the child replays them in
// order. Its timeline there equals the hub's event for event and in order,
// and the case goes on as any other. It used to arrive with its first 500
// events only.
func TestLongTimelineTravelsWhole(t *testing.T) {
	n := newNetwork(t)
	const notes = 2*protocol.MaxChangesPerPush + 234
	tc := longTimeline(t, n, notes)
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	if s := n.b.pass(t); s.Pulled <= notes {
		t.Fatalf("one pull brought %d events, want the whole timeline (more than %d)", s.Pulled, notes)
	}
	hubTimeline, bTimeline := orderedUIDs(t, n.hub.app, tc), orderedUIDs(t, n.b.app, tc)

	// Two more such cases routed at once, with the answer bounded to fewer
	// events than both carry: they come on two pages of the same pass,
	// each whole.
	defer func(was int) { hub.FeedEvents = was }(hub.FeedEvents)
	hub.FeedEvents = notes + 100
	var more []string
	for range 2 {
		code := longTimeline(t, n, notes)
		testkit.Move(t, n.hub.app, code, model.StatusTerdisposisi, "PKB")
		more = append(more, code)
	}
	pages := n.b.proxy.requests.Load()
	n.b.pass(t)
	if got := n.b.proxy.requests.Load() - pages; got < 2 {
		t.Errorf("two long routed cases over a %d-event bound came in %d pull answers, want one each", hub.FeedEvents, got)
	}
	for _, code := range more {
		if hub, b := orderedUIDs(t, n.hub.app, code), orderedUIDs(t, n.b.app, code); strings.Join(hub, ",") != strings.Join(b, ",") {
			t.Errorf("%s: PKB holds %d events, the hub %d (the same, in order)", code, len(b), len(hub))
		}
	}
	if len(hubTimeline) <= notes || strings.Join(bTimeline, ",") != strings.Join(hubTimeline, ",") {
		t.Fatalf("PKB holds %d events of the case, the hub %d (the same, in the same order)", len(bTimeline), len(hubTimeline))
	}
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, tc, model.StatusTerdisposisi) // to its own unit
	transition(t, n.b.app, tc, model.StatusProses)
	n.settle(t)
	assertSame(t, tc, n.hub, n.b)
	if hub, b := orderedUIDs(t, n.hub.app, tc), orderedUIDs(t, n.b.app, tc); strings.Join(hub, ",") != strings.Join(b, ",") || len(hub) <= len(hubTimeline) {
		t.Errorf("after PKB's moves: hub %d events, PKB %d, want the same, more than %d", len(hub), len(b), len(hubTimeline))
	}
}
