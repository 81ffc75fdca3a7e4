package upstream_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	simclock "simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// tree is a province (PROV) above a kabupaten hub (KAB) with two
// puskesmas (PKA, PKB): every level a real app serving HTTP, on one clock.
type tree struct {
	prov, kab, a, b *level
	now             time.Time
}

func newTree(t *testing.T) *tree {
	t.Helper()
	n := &tree{prov: newLevel(t, "prov"), kab: newLevel(t, "kab"), a: newLevel(t, "pka"), b: newLevel(t, "pkb"),
		now: time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC)}
	attach(t, n.kab, n.prov)
	attach(t, n.a, n.kab)
	attach(t, n.b, n.kab)
	for _, l := range []*level{n.prov, n.kab, n.a, n.b} {
		simclock.Set(l.app, func() time.Time { return n.now })
	}
	return n
}

// settle runs passes, children first, until nothing moves anywhere.
func (n *tree) settle(t *testing.T) {
	t.Helper()
	for range 6 {
		moved := 0
		for _, l := range []*level{n.a, n.b, n.kab, n.a, n.b} {
			s := l.pass(t)
			moved += s.Pushed + s.Pulled
		}
		if moved == 0 {
			return
		}
	}
	t.Fatal("the tree does not settle")
}

// queue lists the tracking codes of a queue as a coordinator of l sees it.
func queue(t *testing.T, l *level, name string) map[string]bool {
	t.Helper()
	res, err := cases.List(l.app, cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: name, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, it := range res.Items {
		out[it.TrackingCode] = true
	}
	return out
}

func handledBy(v map[string]any) string {
	hb, _ := v["handled_by"].(map[string]any)
	code, _ := hb["code"].(string)
	return code
}

// A hub with a parent hands a case up (bukan_wewenang at the hub): it lands
// in its parent's verification queue; the parent routes it back down to
// the hub, which routes it to a child office; the follow-up written there
// reaches every level, and the origin's tracking page says who handles it.
func TestHubHandsUpToItsParent(t *testing.T) {
	n := newTree(t)
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	transition(t, n.a.app, tc, model.StatusBukanWewenang)
	n.a.pass(t)
	if c := record(t, n.kab, tc); c.GetString("status") != model.StatusBaru || c.GetString("office") != "KAB" {
		t.Fatalf("KAB after PKA's hand-up: %s at %s", c.GetString("status"), c.GetString("office"))
	}
	transition(t, n.kab.app, tc, model.StatusBukanWewenang) // not the kabupaten's either
	n.kab.pass(t)
	p := record(t, n.prov, tc)
	if p.GetString("status") != model.StatusBaru || p.GetString("office") != "PROV" || p.GetString("verify_due_at") == "" {
		t.Fatalf("PROV after KAB's hand-up: %s at %s, verify due %q; want it in PROV's verification queue",
			p.GetString("status"), p.GetString("office"), p.GetString("verify_due_at"))
	}
	if !queue(t, n.prov, cases.QueueVerify)[tc] {
		t.Fatal("the handed-up case is not in PROV's verification queue")
	}
	n.settle(t)
	for _, l := range []*level{n.kab, n.a} {
		if c := record(t, l, tc); c.GetString("office") != "PROV" || c.GetString("status") != model.StatusBaru {
			t.Errorf("%s after PROV took it: %s at %s", l.name, c.GetString("status"), c.GetString("office"))
		}
		if queue(t, l, cases.QueueVerify)[tc] {
			t.Errorf("%s lists PROV's case in its own verification queue", l.name)
		}
	}
	if hb := handledBy(track(t, n.a, tc)); hb != "PROV" {
		t.Errorf("origin's tracking page: handled by %q, want PROV", hb)
	}
	assertRefused(t, n.kab, tc) // KAB no longer handles it, and PROV is not its child

	// PROV routes it back down to KAB, which routes it on to PKB.
	n.now = n.now.Add(3 * time.Hour)
	testkit.Move(t, n.prov.app, tc, model.StatusTerdisposisi, "KAB")
	n.settle(t)
	if !queue(t, n.kab, cases.QueueUnit)[tc] {
		t.Fatal("routed to KAB, the case is not in KAB's queue")
	}
	testkit.Move(t, n.kab.app, tc, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	transition(t, n.b.app, tc, model.StatusTerdisposisi) // to its own unit
	transition(t, n.b.app, tc, model.StatusProses)       // the follow-up
	n.settle(t)
	assertSame(t, tc, n.prov, n.kab, n.a, n.b)
	v := track(t, n.a, tc)
	if handledBy(v) != "PKB" || !strings.Contains(fmt.Sprint(v["timeline"]), "Catatan petugas untuk proses") {
		t.Errorf("origin's tracking page: handled by %q, timeline %v", handledBy(v), v["timeline"])
	}
	assertConverged(t, [2]*level{n.a, n.kab}, [2]*level{n.b, n.kab}, [2]*level{n.kab, n.prov})
}

// setPIN gives a complaint a receipt PIN (intake hashes it this way too).
func setPIN(t *testing.T, l *level, tc, pin string) {
	t.Helper()
	sum := sha256.Sum256([]byte(pin))
	if _, err := l.app.DB().Update(model.Complaints, dbx.Params{"pin_hash": "sha256:" + hex.EncodeToString(sum[:])},
		dbx.HashExp{"tracking_code": tc}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// routedToB files a case at PKA, hands it up and has KAB route it to PKB,
// where it is disposed and followed up (proses); every level settled.
func routedToB(t *testing.T, n *network) string {
	t.Helper()
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	setPIN(t, n.a, tc, "246810")
	transition(t, n.a.app, tc, model.StatusBukanWewenang)
	n.a.pass(t)
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	transition(t, n.b.app, tc, model.StatusTerdisposisi)
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, tc, model.StatusProses)
	n.settle(t)
	return tc
}

func reply(t *testing.T, l *level, tc, msg string) {
	t.Helper()
	if _, err := cases.Reply(l.app, cases.Proof{Code: tc, PIN: "246810", Address: "10.1.2.3"}, msg); err != nil {
		t.Fatalf("%s: reply: %v", l.name, err)
	}
}

// hasReply reports whether l holds the reporter's reply with msg.
func hasReply(t *testing.T, l *level, tc, msg string) bool {
	t.Helper()
	return count(t, l.app, model.ComplaintEvents, dbx.NewExp(`kind = 'reply' AND note = {:m}
		AND complaint = (SELECT id FROM complaints WHERE tracking_code = {:tc})`, dbx.Params{"m": msg, "tc": tc})) == 1
}

// The reporter answers a follow-up on the tracking page at the origin; the
// office that handles the case gets the reply and owes the next
// follow-up, and every copy agrees.
func TestReporterReplyReachesHandlingOffice(t *testing.T) {
	n := newNetwork(t)
	tc := routedToB(t, n)
	n.now = n.now.Add(24 * time.Hour)
	reply(t, n.a, tc, "Lubangnya belum ditutup, Pak.")
	n.settle(t)
	c := record(t, n.b, tc)
	if !hasReply(t, n.b, tc, "Lubangnya belum ditutup, Pak.") || c.GetString("autoclose_at") != "" ||
		c.GetString("last_reply_at") == "" || c.GetString("next_followup_due_at") == "" {
		t.Errorf("PKB after the reply: reply there %v, autoclose %q, last reply %q, next follow-up due %q",
			hasReply(t, n.b, tc, "Lubangnya belum ditutup, Pak."), c.GetString("autoclose_at"),
			c.GetString("last_reply_at"), c.GetString("next_followup_due_at"))
	}
	assertSame(t, tc, n.hub, n.a, n.b)
	for _, l := range n.levels() {
		if f := record(t, l, tc).GetString("last_reply_at"); f == "" {
			t.Errorf("%s: no last_reply_at", l.name)
		}
	}
}

// The handling office closes the case while the origin has not heard of
// it yet, and the reporter answers the follow-up there: the reply reopens
// the case everywhere (a reply to a closed case reopens it; the reporter's
// act is not overruled by a state the reporter never saw).
func TestReporterReplyAfterAnUnseenClose(t *testing.T) {
	n := newNetwork(t)
	tc := routedToB(t, n)
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, tc, model.StatusSelesai)
	n.b.pass(t) // the hub has it closed; PKA has not pulled
	if s := status(t, n.a.app, tc); s != model.StatusProses {
		t.Fatalf("PKA already knows: %s", s)
	}
	reply(t, n.a, tc, "Belum selesai, masih berlubang.")
	n.settle(t)
	for _, l := range n.levels() {
		if s := status(t, l.app, tc); s != model.StatusProses {
			t.Errorf("%s: %s, want proses (reopened by the reply)", l.name, s)
		}
		if !hasReply(t, l, tc, "Belum selesai, masih berlubang.") {
			t.Errorf("%s lacks the reply", l.name)
		}
	}
	assertSame(t, tc, n.hub, n.a, n.b)
	if c := record(t, n.b, tc); c.GetString("next_followup_due_at") == "" || c.GetString("closed_at") != "" {
		t.Errorf("PKB: next follow-up due %q, closed %q", c.GetString("next_followup_due_at"), c.GetString("closed_at"))
	}
}

// After re-routing, the origin's tracking page follows the case: handed
// up from PKB after a follow-up, taken by the hub itself, then sent back
// to the origin, where it is in PKA's queue again and PKA may act.
func TestTrackingAtOriginAfterReRoute(t *testing.T) {
	n := newNetwork(t)
	tc := routedToB(t, n)
	err := n.b.app.RunInTransaction(func(tx core.App) error {
		c, _ := tx.FindFirstRecordByData(model.Complaints, "tracking_code", tc)
		return moveAs(tx, c, model.StatusBukanWewenang, "", "", "Ini wewenang dinas, bukan puskesmas")
	})
	if err != nil {
		t.Fatal(err)
	}
	n.settle(t)
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "") // the hub's own unit
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	v := track(t, n.a, tc)
	hb, _ := v["handled_by"].(map[string]any)
	if hb["code"] != "KAB" || hb["name"] != "Kantor kab" {
		t.Errorf("after the hub took it: handled_by %v", v["handled_by"])
	}
	tl := fmt.Sprint(v["timeline"])
	if !strings.Contains(tl, "Catatan petugas untuk proses") || !strings.Contains(tl, "Ini wewenang dinas") {
		t.Errorf("the origin's timeline lost what happened at PKB: %s", tl)
	}
	if queue(t, n.b, cases.QueueUnit)[tc] || queue(t, n.b, cases.QueueOpen)[tc] {
		t.Error("PKB still lists the case as its work")
	}
	assertRefused(t, n.b, tc)

	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKA") // back to the office of intake
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	if hb := handledBy(track(t, n.a, tc)); hb != "" {
		t.Errorf("handled at the origin again, the tracking page says %q", hb)
	}
	if !queue(t, n.a, cases.QueueUnit)[tc] || queue(t, n.hub, cases.QueueUnit)[tc] {
		t.Errorf("PKA's queue %v, KAB's queue %v", queue(t, n.a, cases.QueueUnit), queue(t, n.hub, cases.QueueUnit))
	}
	transition(t, n.a.app, tc, model.StatusTerdisposisi) // PKA acts: to its unit
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	if u := record(t, n.hub, tc).GetString("unit_code"); u != "UMUM" {
		t.Errorf("the hub's copy after PKA disposed it: unit %q", u)
	}
}

// try runs one pass on l that must fail (its link is cut or broken).
func (n *tree) try(t *testing.T, l *level, why string) {
	t.Helper()
	if _, err := l.syncer.Pass(t.Context()); err == nil {
		t.Fatalf("%s: a pass succeeded %s", l.name, why)
	}
}

// The end-to-end proof across the tree, over bad links: cases taken in at
// PKA travel up through KAB to PROV; one is handled where it was taken
// in, one routed across to PKB while PKB is offline for a week, one
// handed up twice to PROV and routed back down to its origin, one acted
// on by KAB and PKB in the same window. On the way: a lost answer and a
// crash mid-push at PKA, 500s, a cut link and a lost answer between KAB
// and PROV, and PROV failing inside its apply. At the end every copy of
// every case agrees field by field on every level that holds it, every
// event is on every level above its own once, nothing is pending, and no
// identity left its office.
func TestTreeAcrossOutages(t *testing.T) {
	n := newTree(t)
	var codes []string
	for range 8 {
		codes = append(codes, testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{Reporter: "Siti Aminah"}).GetString("tracking_code"))
	}
	local, across, upTwice, contested := codes[0], codes[1], codes[2], codes[3]
	atB := testkit.Complaint(t, n.b.app, testkit.ComplaintSpec{}).GetString("tracking_code")

	// PKA's first push is applied at KAB but the answer is lost, and PKA
	// dies before it hears; it comes back and pushes again.
	n.a.proxy.set("drop-ack")
	n.try(t, n.a, "without an answer")
	n.a.restart(t)
	simclock.Set(n.a.app, func() time.Time { return n.now })
	n.a.proxy.set("ok")
	if s := n.a.pass(t); s.Duplicates != len(codes) || s.Pushed != 0 {
		t.Errorf("PKA's push after the lost answer: %+v; want every change a duplicate", s)
	}
	n.b.pass(t)

	// KAB relays to PROV: a 500, then PROV fails inside its apply (nothing
	// of the batch stays), then the answer is lost; the fourth pass lands.
	n.kab.proxy.set("500")
	n.try(t, n.kab, "through 500s")
	sqlExec(t, n.prov.app, `CREATE TRIGGER inject_fault BEFORE INSERT ON sync_inbox
		WHEN (SELECT count(*) FROM sync_inbox) >= 3 BEGIN SELECT RAISE(ABORT, 'injected fault'); END`)
	n.kab.proxy.set("ok")
	n.try(t, n.kab, "through a failing apply")
	if c := count(t, n.prov.app, model.Complaints, nil); c != 0 {
		t.Fatalf("PROV kept %d cases of a batch it failed to apply", c)
	}
	sqlExec(t, n.prov.app, "DROP TRIGGER inject_fault")
	n.kab.proxy.set("drop-ack")
	n.try(t, n.kab, "without an answer")
	n.kab.proxy.set("ok")
	n.settle(t)
	if c := count(t, n.prov.app, model.Complaints, nil); c != len(codes)+1 {
		t.Fatalf("PROV holds %d cases, want %d", c, len(codes)+1)
	}

	// Handled where it was taken in.
	transition(t, n.a.app, local, model.StatusTerdisposisi)
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.a.app, local, model.StatusProses)

	// Across: PKA hands it up, KAB routes it to PKB, which is offline for
	// a week; one pull when it is back puts it in PKB's queue.
	transition(t, n.a.app, across, model.StatusBukanWewenang)
	// Handed up twice: PKA to KAB, KAB to PROV (KAB's link cut meanwhile).
	transition(t, n.a.app, upTwice, model.StatusBukanWewenang)
	// Contested: KAB routes it to PKB, which takes it before going offline.
	testkit.Move(t, n.kab.app, contested, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	transition(t, n.b.app, contested, model.StatusTerdisposisi) // to PKB's own unit
	n.settle(t)

	n.b.proxy.set("down")
	n.kab.proxy.set("down")
	testkit.Move(t, n.kab.app, across, model.StatusTerdisposisi, "PKB")
	transition(t, n.kab.app, upTwice, model.StatusBukanWewenang)
	// The same window: PKB (offline) follows up the contested case while
	// KAB takes it over for its own unit.
	transition(t, n.b.app, contested, model.StatusProses)
	followup := lastUID(t, n.b, contested)
	testkit.Move(t, n.kab.app, contested, model.StatusTerdisposisi, "")
	for day := range 7 {
		n.now = n.now.Add(24 * time.Hour)
		n.a.pass(t)
		n.try(t, n.b, fmt.Sprintf("over a cut link (day %d)", day+1))
		n.try(t, n.kab, fmt.Sprintf("over a cut link (day %d)", day+1))
	}
	n.kab.proxy.set("ok")
	n.kab.pass(t)
	if !queue(t, n.prov, cases.QueueVerify)[upTwice] {
		t.Error("handed up by KAB, the case is not in PROV's verification queue")
	}
	n.b.proxy.set("ok")
	n.b.pass(t)
	if !queue(t, n.b, cases.QueueUnit)[across] {
		t.Error("routed to PKB while it was offline, the case is not in its queue after one pass")
	}
	n.settle(t)

	// PKB handles what came across; PROV routes the other back down to
	// KAB, which returns it to its origin, where it is followed up.
	transition(t, n.b.app, across, model.StatusTerdisposisi)
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, across, model.StatusProses)
	testkit.Move(t, n.prov.app, upTwice, model.StatusTerdisposisi, "KAB")
	n.settle(t)
	testkit.Move(t, n.kab.app, upTwice, model.StatusTerdisposisi, "PKA")
	n.settle(t)
	transition(t, n.a.app, upTwice, model.StatusTerdisposisi)
	transition(t, n.a.app, upTwice, model.StatusProses)
	n.now = n.now.Add(24 * time.Hour)
	transition(t, n.b.app, across, model.StatusSelesai)
	n.settle(t)

	want := map[string]struct{ status, office string }{
		local:     {model.StatusProses, "PKA"},
		across:    {model.StatusSelesai, "PKB"},
		upTwice:   {model.StatusProses, "PKA"},
		contested: {model.StatusTerdisposisi, "KAB"},
		atB:       {model.StatusBaru, "PKB"},
	}
	holders := func(tc string) []*level {
		switch tc {
		case across, contested:
			return []*level{n.prov, n.kab, n.a, n.b}
		case atB:
			return []*level{n.prov, n.kab, n.b}
		}
		return []*level{n.prov, n.kab, n.a}
	}
	for tc, w := range want {
		for _, l := range holders(tc) {
			if c := record(t, l, tc); c.GetString("status") != w.status || c.GetString("office") != w.office {
				t.Errorf("%s on %s: %s at %s, want %s at %s", tc, l.name, c.GetString("status"), c.GetString("office"), w.status, w.office)
			}
		}
		assertSame(t, tc, holders(tc)...)
	}
	for _, tc := range codes[4:] {
		assertSame(t, tc, n.prov, n.kab, n.a)
	}
	for _, l := range []*level{n.prov, n.kab, n.b} {
		if !uids(t, l.app, contested)[followup] {
			t.Errorf("%s lost PKB's overruled follow-up", l.name)
		}
	}
	if hb := handledBy(track(t, n.a, across)); hb != "PKB" {
		t.Errorf("the origin's tracking page: %q handles the case routed across, want PKB", hb)
	}
	assertConverged(t, [2]*level{n.a, n.kab}, [2]*level{n.b, n.kab}, [2]*level{n.kab, n.prov})
	// Quiet: nothing bounces between levels.
	for _, l := range []*level{n.a, n.b, n.kab} {
		if s := l.pass(t); s.Pushed+s.Pulled != 0 {
			t.Errorf("%s: a quiet pass moved %+v", l.name, s)
		}
	}
}
