package lapor_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/sync/hub"
	"simpul/sync/lapor"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// below makes a puskesmas that syncs to the hub at url with creds, on the
// hub's clock.
func below(t *testing.T, top *node, url string, creds hub.Credentials) *node {
	t.Helper()
	app := testkit.New(t)
	clock.Set(app, top.clock.Now)
	s := upstream.NewSyncer(app, upstream.NewHTTPParent(url, creds.NodeID, creds.Secret, clock.Func(app)), "kab", time.Minute)
	coord, _ := testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	return &node{app: app, sync: s, clock: top.clock, coord: cases.StaffActor(coord, "PKM-1"), t: t}
}

// held is what LAPOR! holds of the reports with these tracking ids.
func held(f *fakeLapor, ids ...string) string {
	out := ""
	for _, id := range ids {
		out += fmt.Sprintf("%s: %+v\n", id, f.report(id))
	}
	return out
}

// A hub at the top of the tree loses its disk; a new one is registered
// with the puskesmas again and refilled ("simpul sync resend --all"). The
// new hub talks to LAPOR! from its first pass, before the puskesmas is
// registered, before it has resent and while it resends: its ledger is
// new, so it sends no later call and pulls nothing, and creates a report only
// after LAPOR!'s look-up found none; what it waits for shows on the sync
// page. Once the operator confirms ("simpul sync lapor-ready") it delivers
// only what LAPOR! lacks: the evidence the lost hub wrote travelled down
// to the puskesmas and came back. LAPOR! ends with one report per case and
// each follow-up, status and closing once; the report LAPOR! disposed is
// held once. With the confirmation removed nothing new is delivered; with
// the evidence ignored the follow-ups go twice; with the look-up skipped a
// report whose id never reached the puskesmas is made twice. A look-up
// LAPOR! answers with a 500 creates nothing; the next pass looks again.
func TestRefilledHubRepeatsNothingLaporHolds(t *testing.T) {
	f := newFakeLapor(t)
	kab := newNode(t, f, fullMapping)
	srv := testkit.Serve(t, kab.app)
	creds, err := hub.AddNode(kab.app, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	pkm := below(t, kab, srv.URL, creds)

	// The whole case A reaches LAPOR!: report, follow-up, status, closing.
	a := pkm.add(spec{})
	pkm.dispose(a)
	pkm.followUp(a, "Petugas sudah meninjau lokasi.")
	pkm.move(a, cases.Request{To: model.StatusSelesai, Note: "Selesai diperbaiki."})
	// LAPOR! disposed a report to the hub; the hub routes it to the
	// puskesmas, which follows it up.
	f.dispose(map[string]any{"TrackingID": "9100001", "judul": "Sampah menumpuk di pasar", "isi": "Belum diangkut seminggu.", "topic_id": "99"})
	pkm.mustPass()
	kab.mustPass()
	var pulled string
	if err := kab.app.DB().Select("tracking_code").From(model.Complaints).Where(dbx.HashExp{"lapor_tracking_id": "9100001"}).Row(&pulled); err != nil {
		t.Fatalf("the disposed report was not pulled: %v", err)
	}
	kab.move(pulled, cases.Request{To: model.StatusTerdisposisi, Office: "PKM-1", Note: "Untuk Puskesmas Satu"})
	pkm.mustPass()
	pkm.move(pulled, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", Note: "Untuk unit umum"})
	pkm.followUp(pulled, "Sampah sudah diangkut.")
	pkm.mustPass()
	kab.mustPass()
	pkm.mustPass() // the puskesmas holds LAPOR!'s ids and what LAPOR! confirmed
	// Case B is verified and reported, but the hub dies before the
	// puskesmas pulls LAPOR!'s id of it.
	b := pkm.add(spec{})
	pkm.dispose(b)
	pkm.mustPass()
	kab.mustPass()
	tidA, tidB := f.idOf(a), f.idOf(b)
	if tidA == "" || tidB == "" || pkm.laporID(b) != "" {
		t.Fatalf("before the loss: LAPOR! ids %q %q, the puskesmas has B's %q", tidA, tidB, pkm.laporID(b))
	}
	if rep := f.report(tidA); len(rep.followups) != 1 || len(rep.closed) != 1 || len(f.report("9100001").followups) != 1 {
		t.Fatalf("before the loss LAPOR! holds of A %+v, of its own report %+v", rep, f.report("9100001"))
	}
	before, creates, pulls := held(f, tidA, tidB, "9100001"), f.count("create"), f.count("pull")
	closedCases := held(f, tidA, "9100001")

	// The new hub: same LAPOR!, the puskesmas registered again.
	kab2 := newNode(t, f, fullMapping)
	kab2.clock = kab.clock
	clock.Set(kab2.app, kab.clock.Now)
	// Its database is new: nobody ran "simpul sync lapor-ready" on it.
	if _, err := kab2.app.DB().NewQuery(`DELETE FROM sync_state WHERE key = {:k}`).Bind(dbx.Params{"k": lapor.LedgerKey}).Execute(); err != nil {
		t.Fatal(err)
	}
	srv2 := testkit.Serve(t, kab2.app) // its server's first pass runs now, before the puskesmas is registered
	creds2, err := hub.AddNode(kab2.app, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	kab2.mustPass() // before the refill: nothing to send, nothing pulled
	if f.count("pull") != pulls {
		t.Errorf("the new hub pulled LAPOR!'s disposed reports before its ledger was confirmed")
	}
	pkm.sync = upstream.NewSyncer(pkm.app, upstream.NewHTTPParent(srv2.URL, creds2.NodeID, creds2.Secret, clock.Func(pkm.app)), "kab", time.Minute)
	if _, err := upstream.ResendAll(pkm.app, pkm.clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Something new while the hub waits: case C, verified after the loss.
	c := pkm.add(spec{})
	pkm.dispose(c)
	pkm.mustPass()
	// LAPOR!'s look-up answers 500 once: the pass ends and creates
	// nothing; the next one looks again.
	f.set("lookup", "500", 1)
	if _, err := kab2.pass(); err == nil {
		t.Fatal("a pass whose look-up got a 500 succeeded")
	}
	if got := f.count("create"); got != creates {
		t.Fatalf("%d reports created while LAPOR!'s look-up failed", got-creates)
	}
	kab2.mustPass()
	if got := f.byRef(); got[a] != 1 || got[b] != 1 || got[c] != 1 {
		t.Fatalf("reports at LAPOR! while the refilled hub waits: %v (one each of A, B and C)", got)
	}
	if now := held(f, tidA, tidB, "9100001"); now != before || f.count("pull") != pulls {
		t.Fatalf("the refilled hub made later calls or pulled before its ledger was confirmed:\n%s\nwas\n%s", now, before)
	}
	if rep := f.report(f.idOf(c)); !slices.Equal(rep.statuses, []string{"2"}) {
		t.Errorf("LAPOR! holds of C, made after no look-up found it: %+v (its status follows at once)", rep)
	}
	if kab2.laporID(b) != tidB || kab2.laporID(c) == "" {
		t.Fatalf("the refilled hub's ids of B %q (LAPOR!'s %q) and C %q", kab2.laporID(b), tidB, kab2.laporID(c))
	}
	q, err := lapor.QueueOf(kab2.app)
	if err != nil || !q.Unknown || q.Waiting == 0 {
		t.Fatalf("the sync page's figures while the hub waits: %+v %v", q, err)
	}

	// The operator confirms; the hub delivers what LAPOR! lacks: a
	// follow-up written after the loss and its move to proses. Nothing of
	// A, B or LAPOR!'s own report goes again, and that report is held once.
	pkm.followUp(b, "Tindak lanjut setelah server kabupaten diganti.")
	pkm.mustPass()
	if n, err := lapor.ConfirmLedger(kab2.app); err != nil || n == 0 {
		t.Fatalf("confirm: %d %v", n, err)
	}
	kab2.mustPass()
	kab2.mustPass()
	if got := f.byRef(); got[a] != 1 || got[b] != 1 || got[c] != 1 || f.count("create") != creates+1 {
		t.Errorf("reports at LAPOR! after the refill: %v, %d created since the loss (want C only)", got, f.count("create")-creates)
	}
	if now := held(f, tidA, "9100001"); now != closedCases {
		t.Errorf("LAPOR! holds after the refill:\n%s\nwas\n%s", now, closedCases)
	}
	if rep := f.report(tidB); len(rep.followups) != 1 || rep.followups[0]["isi"] != "Tindak lanjut setelah server kabupaten diganti." ||
		!slices.Equal(rep.statuses, []string{"2", "3"}) {
		t.Errorf("LAPOR! holds of B after the refill: %+v (its disposition once, the new follow-up and its move to proses)", rep)
	}
	var held int
	if err := kab2.app.DB().Select("count(*)").From(model.Complaints).Where(dbx.HashExp{"lapor_tracking_id": "9100001"}).Row(&held); err != nil || held != 1 {
		t.Errorf("the refilled hub holds LAPOR!'s report %d times (%v)", held, err)
	}
	if q, _ := lapor.QueueOf(kab2.app); q.Unknown || q.Waiting != 0 || q.Due != 0 || len(q.Held) != 0 {
		t.Errorf("the sync page's figures after the refill: %+v", q)
	}
	assertNoIdentity(t, f)
}
