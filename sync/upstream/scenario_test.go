package upstream_test

import (
	"bytes"
	"encoding/json"
	simclock "simpul/hooks/platform/clock"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/sync/apply"
	"simpul/sync/protocol"
	"simpul/ui/testkit"
)

const (
	secretName  = "Siti Rahayu Wulandari"
	secretPhone = "081298765432"
	secretEmail = "rahayu.wulandari@contoh.id"
	secretNIK   = "3201234567890123"
)

// seed creates a public, an anonymous and a confidential complaint (the
// last with a reporter identity that must never leave the node).
func seed(t *testing.T, l *level) (pub, anon, conf string) {
	t.Helper()
	pub = testkit.Complaint(t, l.app, testkit.ComplaintSpec{Reporter: secretName + " P", Phone: secretPhone}).GetString("tracking_code")
	anon = testkit.Complaint(t, l.app, testkit.ComplaintSpec{Privacy: model.PrivacyAnonymous}).GetString("tracking_code")
	conf = testkit.Complaint(t, l.app, testkit.ComplaintSpec{Privacy: model.PrivacyConfidential,
		Reporter: secretName, Phone: secretPhone}).GetString("tracking_code")
	// An e-mail address and a NIK (checked at a counter) too: identity is
	// every one of these, not only the name and phone.
	for _, code := range []string{pub, conf} {
		if _, err := l.app.DB().Update(model.Complaints, dbx.Params{"reporter_email": secretEmail, "reporter_nik": secretNIK},
			dbx.HashExp{"tracking_code": code}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	return
}

// assertNoIdentityOnWire decodes every body the proxy carried and checks
// that no reporter identity travelled, and that confidential travelled
// flagged.
func assertNoIdentityOnWire(t *testing.T, p *faultyProxy, confCode string) {
	t.Helper()
	sawConf := false
	for _, b := range p.wire() {
		if bytes.Contains(b, []byte("Siti")) || bytes.Contains(b, []byte(secretPhone)) ||
			bytes.Contains(b, []byte(secretEmail)) || bytes.Contains(b, []byte(secretNIK)) {
			t.Fatalf("reporter identity on the wire: %.200s", b)
		}
		var req protocol.PushRequest
		if json.Unmarshal(b, &req) == nil {
			for _, c := range req.Changes {
				if c.Complaint.TrackingCode == confCode {
					sawConf = true
					if c.Complaint.Privacy != model.PrivacyConfidential {
						t.Errorf("confidential complaint travelled as %q", c.Complaint.Privacy)
					}
				}
			}
		}
	}
	if confCode != "" && !sawConf {
		t.Error("the confidential complaint never travelled")
	}
}

func TestTwoLevelsConvergeBothWays(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, node, hubL)
	pub, anon, conf := seed(t, node)
	transition(t, node.app, pub, model.StatusTerdisposisi)

	sum := node.pass(t)
	if sum.Pushed != 5 || sum.Duplicates != 0 || sum.Pending != 0 { // 3 created, a disposition and its note
		t.Fatalf("first pass: %+v", sum)
	}
	assertConverged(t, [2]*level{node, hubL})

	// The hub copy keeps the origin and the tracking code.
	hc, err := hubL.app.FindFirstRecordByData(model.Complaints, "tracking_code", conf)
	if err != nil {
		t.Fatal(err)
	}
	nc, _ := node.app.FindFirstRecordByData(model.Complaints, "tracking_code", conf)
	if hc.GetString("origin_id") != nc.Id || hc.GetString("origin_node") == "" || hc.GetString("channel") != nc.GetString("channel") {
		t.Errorf("hub copy origin: node %q id %q channel %q", hc.GetString("origin_node"), hc.GetString("origin_id"), hc.GetString("channel"))
	}
	if hc.GetString("privacy") != model.PrivacyConfidential {
		t.Errorf("confidential flag lost: %q", hc.GetString("privacy"))
	}
	if got := nc.GetString("hub_tracking_id"); got != hc.Id {
		t.Errorf("node's hub_tracking_id %q, want %q", got, hc.Id)
	}

	// The hub acts on one complaint, the node on another: both flow.
	transition(t, hubL.app, anon, model.StatusTerdisposisi)
	transition(t, node.app, pub, model.StatusProses)
	sum = node.pass(t)
	if sum.Pushed != 1 || sum.Pulled != 1 {
		t.Fatalf("second pass: %+v", sum)
	}
	assertConverged(t, [2]*level{node, hubL})
	if got := status(t, node.app, anon); got != model.StatusTerdisposisi {
		t.Errorf("hub's action did not come down: %s", got)
	}
	if a, _ := node.app.FindFirstRecordByData(model.Complaints, "tracking_code", anon); a.GetString("authority") != apply.AuthorityUpstream {
		t.Errorf("authority after the parent acted: %q", a.GetString("authority"))
	}
	// A quiet pass moves nothing and does not echo the pulled event back up.
	sum = node.pass(t)
	if sum.Pushed+sum.Pulled+sum.Duplicates != 0 {
		t.Errorf("quiet pass: %+v", sum)
	}
	assertNoIdentityOnWire(t, node.proxy, conf)
}

// The parent took over (bukan_wewenang handed up, then routed above) while
// the node moved the same complaint: the node's event is kept on both
// timelines, the parent's status wins on both levels.
func TestConflictParentWinsAfterHandover(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, node, hubL)
	tc := testkit.Complaint(t, node.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	transition(t, node.app, tc, model.StatusBukanWewenang)
	node.pass(t)
	// Handed up, the case is in the hub's verification queue, on both levels.
	for _, l := range []*level{hubL, node} {
		if got := status(t, l.app, tc); got != model.StatusBaru {
			t.Fatalf("%s status %s after the hand-up, want baru", l.name, got)
		}
		if o, _ := officeOf(t, l, tc); o != "KAB" {
			t.Fatalf("%s office %s after the hand-up, want KAB", l.name, o)
		}
	}
	transition(t, hubL.app, tc, model.StatusTerdisposisi) // routed above
	transition(t, node.app, tc, model.StatusDiarsipkan)   // concurrent, below
	node.pass(t)
	assertConverged(t, [2]*level{node, hubL})
	if got := status(t, node.app, tc); got != model.StatusTerdisposisi {
		t.Errorf("status after conflict: %s, want the parent's terdisposisi", got)
	}
	var data string
	err := hubL.app.DB().NewQuery(`SELECT e.data FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc} AND e.to_status = {:to}`).Bind(dbx.Params{"tc": tc, "to": model.StatusDiarsipkan}).Row(&data)
	if err != nil || !strings.Contains(data, "parent_authoritative") {
		t.Errorf("the overruled event is not marked on the hub: %q %v", data, err)
	}
}

// The parent applies a push but the answer never arrives (the node is
// killed mid-push); after a restart the node sends again and every change
// is acknowledged as a duplicate, applied once.
func TestKilledMidPushExactlyOnce(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, node, hubL)
	var codes []string
	for i := 0; i < 120; i++ { // three batches of 50
		codes = append(codes, testkit.Complaint(t, node.app, testkit.ComplaintSpec{}).GetString("tracking_code"))
	}
	node.proxy.set("drop-ack")
	if _, err := node.syncer.Pass(t.Context()); err == nil {
		t.Fatal("pass succeeded without an acknowledgement")
	}
	applied := count(t, hubL.app, model.Complaints, nil)
	if applied != 50 {
		t.Fatalf("hub applied %d complaints from the first batch, want 50", applied)
	}
	if n, _ := outbox.Count(node.app, model.OutboxPending); n != 120 {
		t.Fatalf("rows marked sent without an ack: %d pending", n)
	}
	node.restart(t)
	node.proxy.set("ok")
	sum := node.pass(t)
	if sum.Duplicates != 50 || sum.Pushed != 70 {
		t.Errorf("after restart: %+v", sum)
	}
	assertConverged(t, [2]*level{node, hubL})
	if n := count(t, hubL.app, model.SyncInbox, nil); n != 120 {
		t.Errorf("hub inbox has %d uids, want 120", n)
	}
	for _, code := range codes {
		if n := count(t, hubL.app, model.Complaints, dbx.HashExp{"tracking_code": code}); n != 1 {
			t.Errorf("complaint %s is on the hub %d times", code, n)
		}
	}
}

// Resets in the middle of the request body, injected 500s and timeouts:
// each failed pass applies nothing or everything of a batch, never half,
// and the tree converges once the link is good.
func TestFaultyLinkConverges(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, node, hubL)
	for i := 0; i < 30; i++ {
		testkit.Complaint(t, node.app, testkit.ComplaintSpec{})
	}
	for _, mode := range []string{"reset-mid-body", "500", "down"} {
		node.proxy.set(mode)
		sum, err := node.syncer.Pass(t.Context())
		if err == nil || sum.OK {
			t.Fatalf("%s: pass reported success", mode)
		}
		if n := count(t, hubL.app, model.Complaints, nil); n != 0 {
			t.Fatalf("%s: %d complaints applied on the hub", mode, n)
		}
	}
	// The hub fails inside the transaction that applies the push, after a
	// third of the batch is written (a fault injected with a trigger on
	// the hub's database): never half a batch, nothing of it stays.
	node.proxy.set("ok")
	sqlExec(t, hubL.app, `CREATE TRIGGER fail_mid_batch BEFORE INSERT ON complaints
		WHEN (SELECT count(*) FROM complaints) >= 10 BEGIN SELECT RAISE(ABORT, 'injected fault'); END`)
	if sum, err := node.syncer.Pass(t.Context()); err == nil || sum.OK {
		t.Fatalf("a pass the hub failed mid-batch reported success: %+v", sum)
	}
	for _, table := range []string{model.Complaints, model.ComplaintEvents, model.SyncInbox, model.SyncOutbox} {
		if n := count(t, hubL.app, table, nil); n != 0 {
			t.Errorf("the failed batch left %d rows in the hub's %s", n, table)
		}
	}
	sqlExec(t, hubL.app, `DROP TRIGGER fail_mid_batch`)
	// Latency beyond the per-request timeout.
	node.proxy.delay.Store(int64(300 * time.Millisecond))
	node.parent.Timeout = 100 * time.Millisecond
	if _, err := node.syncer.Pass(t.Context()); err == nil {
		t.Fatal("pass succeeded past its timeout")
	}
	node.parent.Timeout = 5 * time.Second
	node.proxy.delay.Store(int64(20 * time.Millisecond)) // slow but working
	st := node.syncer.Status()
	if st.Failures != 5 || st.LastError == "" {
		t.Errorf("status after failures: %+v", st)
	}
	sum := node.pass(t)
	if sum.Pushed+sum.Duplicates != 30 {
		t.Errorf("recovery pass: %+v", sum)
	}
	assertConverged(t, [2]*level{node, hubL})
}

// The parent is down for a simulated week: the node backs off
// exponentially (capped at an hour, jittered), keeps every change, and
// drains everything on the first pass after the parent returns.
func TestParentDownForAWeek(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, node, hubL)
	clock := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	// The hub verifies signatures against its own clock: both run on the
	// simulated one, as two offices with synchronised clocks do.
	simclock.Set(node.app, func() time.Time { return clock })
	simclock.Set(hubL.app, func() time.Time { return clock })
	node.syncer.Interval = 5 * time.Minute
	node.proxy.set("down")
	for i := 0; i < 10; i++ {
		testkit.Complaint(t, node.app, testkit.ComplaintSpec{})
	}
	end := clock.Add(7 * 24 * time.Hour)
	attempts, ticks := 0, 0
	var gaps []time.Duration
	last := clock
	for clock.Before(end) {
		ticks++
		if node.syncer.Due() {
			gaps = append(gaps, clock.Sub(last))
			last = clock
			attempts++
			node.syncer.Tick(t.Context())
		}
		clock = clock.Add(5 * time.Minute) // the scheduler's interval
		if attempts%40 == 0 && attempts > 0 {
			testkit.Complaint(t, node.app, testkit.ComplaintSpec{}) // the office keeps working
		}
	}
	if got := node.proxy.requests.Load(); got != int64(attempts) {
		t.Errorf("%d requests for %d attempts", got, attempts)
	}
	// Capped at one hour (half fixed, half jitter): at least 7×24 attempts
	// would be the un-jittered cap; far fewer than the 2016 ticks.
	if attempts < 150 || attempts > 400 {
		t.Errorf("%d attempts in a week (%d ticks)", attempts, ticks)
	}
	for i, g := range gaps[2:] {
		if g > time.Hour+5*time.Minute {
			t.Fatalf("gap %d is %v, beyond the cap", i, g)
		}
	}
	if st := node.syncer.Status(); st.Failures != attempts || st.Pending < 10 {
		t.Errorf("after a week down: %+v", st)
	}
	node.proxy.set("ok")
	for !node.syncer.Due() {
		clock = clock.Add(5 * time.Minute)
	}
	node.syncer.Tick(t.Context())
	if st := node.syncer.Status(); st.Failures != 0 || st.Pending != 0 {
		t.Fatalf("after the parent returned: %+v", st)
	}
	assertConverged(t, [2]*level{node, hubL})
}

// puskesmas → kabupaten → provinsi: the kabupaten relays its children's
// changes up, and the provinsi's actions come down two levels.
func TestThreeLevelsRelay(t *testing.T) {
	prov, kab, pkm := newLevel(t, "prov"), newLevel(t, "kab"), newLevel(t, "pkm")
	attach(t, kab, prov)
	attach(t, pkm, kab)
	pub, anon, conf := seed(t, pkm)
	own := testkit.Complaint(t, kab.app, testkit.ComplaintSpec{}).GetString("tracking_code") // the kabupaten's own office
	pkm.pass(t)
	kab.pass(t)
	assertConverged(t, [2]*level{pkm, kab}, [2]*level{kab, prov})

	transition(t, prov.app, conf, model.StatusTerdisposisi) // acted on at the top
	transition(t, kab.app, anon, model.StatusDiarsipkan)    // acted on in the middle
	transition(t, pkm.app, pub, model.StatusTerdisposisi)   // local handling
	transition(t, kab.app, own, model.StatusTerdisposisi)
	transition(t, kab.app, own, model.StatusProses)
	for i := 0; i < 2; i++ { // changes need one pass per hop
		pkm.pass(t)
		kab.pass(t)
	}
	pkm.pass(t)
	assertConverged(t, [2]*level{pkm, kab}, [2]*level{kab, prov})
	for tc, want := range map[string]string{conf: model.StatusTerdisposisi, anon: model.StatusDiarsipkan, pub: model.StatusTerdisposisi} {
		for _, l := range []*level{pkm, kab, prov} {
			if got := status(t, l.app, tc); got != want {
				t.Errorf("%s on %s: %s, want %s", tc, l.name, got, want)
			}
		}
	}
	// Nothing bounced: once quiet, no level has anything to send.
	if s := kab.pass(t); s.Pushed+s.Pulled != 0 {
		t.Errorf("kab quiet pass: %+v", s)
	}
	if s := pkm.pass(t); s.Pushed+s.Pulled != 0 {
		t.Errorf("pkm quiet pass: %+v", s)
	}
	assertNoIdentityOnWire(t, pkm.proxy, conf)
	assertNoIdentityOnWire(t, kab.proxy, conf)
}

// sqlExec runs a statement on app's database.
func sqlExec(t *testing.T, app core.App, q string) {
	t.Helper()
	if _, err := app.DB().NewQuery(q).Execute(); err != nil {
		t.Fatal(err)
	}
}
