package lapor_test

import (
	"strings"
	"testing"
	"time"

	"simpul/hooks/domain/model"
	"simpul/sync/lapor"
	"simpul/sync/upstream"
)

// LAPOR! stores the report but its answer is lost (the connection drops
// after the write), or answers 500, or 200 without a tracking id: the
// retry looks the report up by our reference first, and posts it only if
// LAPOR! does not have it. A lost answer or a 500 is about LAPOR! or the
// link: the pass fails and the syncer's backoff, on the app's clock, says
// when the next one runs (Tick). An answer without an id is about this
// report: the pass goes on, the report waits five minutes.
func TestLostAnswerIsLookedUpNotPostedAgain(t *testing.T) {
	for _, fault := range []string{"lost", "500", "noid"} {
		t.Run(fault, func(t *testing.T) {
			f := newFakeLapor(t)
			n := newNode(t, f, fullMapping)
			n.sync.Jitter = func(time.Duration) time.Duration { return 0 }
			code := n.add(spec{})
			n.dispose(code)
			f.set("create", fault, 1)
			sum, err := n.pass()
			systemic := fault != "noid"
			if systemic != (err != nil) || sum.OK == systemic {
				t.Fatalf("pass after the answer: %v %+v", err, sum)
			}
			r := n.row(code)
			if n.laporID(code) != "" || !r.GetBool("create_tried") || r.GetString("state") != lapor.StateDue || r.GetInt("attempts") != 1 {
				t.Fatalf("after the lost answer: id %q, row %v", n.laporID(code), r.FieldsData())
			}
			// Not before its time: half the 1 h interval after one failed
			// pass (the syncer's backoff), five minutes for the report.
			wait := 5 * time.Minute
			if systemic {
				wait = 30 * time.Minute
			}
			n.clock.add(wait - time.Second)
			n.sync.Tick(t.Context())
			if systemic {
				if n.sync.Due() {
					t.Fatal("the syncer is due before its backoff")
				}
			} else {
				n.mustPass()
			}
			if f.count("create") != 1 || f.count("lookup") != 0 {
				t.Fatalf("retried early: %d creates, %d look-ups", f.count("create"), f.count("lookup"))
			}
			n.clock.add(time.Second)
			n.sync.Tick(t.Context())
			if f.count("lookup") != 1 {
				t.Fatalf("%d look-ups, want 1", f.count("lookup"))
			}
			if fault == "lost" {
				// LAPOR! had it: found, not posted again.
				if f.count("create") != 1 || n.laporID(code) == "" || n.laporID(code) != f.idOf(code) {
					t.Fatalf("%d creates, id %q (LAPOR!'s %q)", f.count("create"), n.laporID(code), f.idOf(code))
				}
			} else {
				// LAPOR! did not have it: created now, once.
				if f.count("create") != 2 || n.laporID(code) != f.idOf(code) {
					t.Fatalf("%d creates, id %q", f.count("create"), n.laporID(code))
				}
			}
			if got := f.byRef(); got[code] != 1 {
				t.Fatalf("%s is %d times at LAPOR!", code, got[code])
			}
			if r := n.row(code); r.GetString("state") != lapor.StateWaiting || r.GetInt("attempts") != 0 || r.GetBool("create_tried") {
				t.Errorf("row after delivery: %v", r.FieldsData())
			}
		})
	}
}

// Answers LAPOR! does not confirm (here: 200 without a tracking id) are
// retried with a doubling backoff on the app's clock — 5, 10, 20 minutes —
// each time after looking the report up; a report that keeps failing this
// way does not hold up the others, and LAPOR! ends up with it once.
func TestUnconfirmedAnswersBackOff(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, fullMapping)
	stuck := n.add(spec{})
	other := n.add(spec{})
	n.dispose(stuck)
	n.dispose(other)
	f.noID(stuck, true)
	attempts := func() int {
		n := 0
		for _, c := range f.captures() {
			if c.call == "create" && c.fields["external_id"] == stuck {
				n++
			}
		}
		return n
	}
	n.mustPass()
	if n.laporID(other) == "" || attempts() != 1 {
		t.Fatalf("first pass: other's id %q, %d attempts for the stuck one", n.laporID(other), attempts())
	}
	for i, wait := range []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute} {
		n.clock.add(wait - time.Second)
		n.mustPass()
		if attempts() != i+1 {
			t.Fatalf("attempt %d came before its %s wait", i+2, wait)
		}
		n.clock.add(time.Second)
		n.mustPass()
		if attempts() != i+2 || f.count("lookup") != i+1 {
			t.Fatalf("after %s: %d attempts, %d look-ups", wait, attempts(), f.count("lookup"))
		}
		if r := n.row(stuck); r.GetInt("attempts") != i+2 || !strings.Contains(r.GetString("last_error"), "without a TrackingID") {
			t.Fatalf("row: %v", r.FieldsData())
		}
	}
	q, _ := lapor.QueueOf(n.app)
	if q.Retrying != 1 || len(q.Held) != 0 {
		t.Errorf("queue: %+v", q)
	}
	f.noID(stuck, false)
	n.clock.add(40 * time.Minute)
	n.mustPass()
	if got := f.byRef(); got[stuck] != 1 || got[other] != 1 || n.laporID(stuck) == "" {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
	if got := lapor.RetryAfter(30); got != lapor.RetryMax {
		t.Errorf("the wait is capped: %s, want %s", got, lapor.RetryMax)
	}
}

// A definite refusal (422) is final: the report is held with LAPOR!'s
// reason, the others go on, and nothing is sent for it until staff fix
// and resend it; then it goes once.
func TestRefusalIsHeldUntilResent(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, fullMapping)
	bad := n.add(spec{})
	good := n.add(spec{})
	n.dispose(bad)
	n.dispose(good)
	f.refuse(bad, true)
	n.mustPass()
	r := n.row(bad)
	if r.GetString("state") != lapor.StateHeld || r.GetString("held_reason") != lapor.HeldRefused ||
		!strings.Contains(r.GetString("last_error"), "Topik tidak dikenal") || r.GetBool("create_tried") {
		t.Fatalf("refused report's row: %v", r.FieldsData())
	}
	if got := f.byRef(); got[good] != 1 || got[bad] != 0 {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
	// Later changes do not send it either.
	n.followUp(bad, "Sudah ditindaklanjuti.")
	n.clock.add(24 * time.Hour)
	creates := f.count("create")
	n.mustPass()
	if f.count("create") != creates {
		t.Fatal("a held report was sent without staff")
	}
	q, err := lapor.QueueOf(n.app)
	if err != nil || len(q.Held) != 1 || q.Held[0].TrackingCode != bad || q.Held[0].Reason != lapor.HeldRefused {
		t.Fatalf("queue: %+v %v", q, err)
	}
	// Staff fix it on LAPOR!'s side (here: the fake accepts it now) and resend.
	f.refuse(bad, false)
	if err := lapor.Resend(n.app, bad); err != nil {
		t.Fatal(err)
	}
	n.mustPass()
	if got := f.byRef(); got[bad] != 1 || n.laporID(bad) == "" {
		t.Fatalf("after the resend: %v", got)
	}
	if rep := f.report(n.laporID(bad)); len(rep.followups) != 1 {
		t.Errorf("the held report's follow-up: %+v", rep.followups)
	}
	if err := lapor.Resend(n.app, good); err != lapor.ErrNotHeld {
		t.Errorf("resending a report that is not held: %v", err)
	}
}

// Without a look-up call, a report whose answer was lost is never posted
// again by the adapter: it waits for staff, who check LAPOR! and either
// link the id they found (follow-ups then go to it) or resend.
func TestWithoutLookupALostAnswerWaitsForStaff(t *testing.T) {
	f := newFakeLapor(t)
	mapping := strings.Replace(fullMapping, `"lookup": {"path": "/api/v1/laporan/cari", "method": "GET", "fields": {"reference": "external_id"}},`, "", 1)
	n := newNode(t, f, mapping)
	code := n.add(spec{})
	other := n.add(spec{})
	n.dispose(code)
	f.set("create", "lost", 1)
	if _, err := n.pass(); err == nil {
		t.Fatal("a lost answer passed")
	}
	n.clock.add(time.Hour)
	n.mustPass()
	r := n.row(code)
	if f.count("create") != 1 || r.GetString("state") != lapor.StateHeld || r.GetString("held_reason") != lapor.HeldUnconfirmed ||
		!strings.Contains(r.GetString("last_error"), code) {
		t.Fatalf("%d creates; row %v", f.count("create"), r.FieldsData())
	}
	// Staff find it on LAPOR! and link it: no second report, the
	// follow-up goes to it.
	n.followUp(code, "Sudah ditinjau.")
	if err := lapor.Link(n.app, code, f.idOf(code)); err != nil {
		t.Fatal(err)
	}
	n.mustPass()
	if f.count("create") != 1 || n.laporID(code) != f.idOf(code) || len(f.report(f.idOf(code)).followups) != 1 {
		t.Fatalf("after the link: %d creates, id %q, %+v", f.count("create"), n.laporID(code), f.report(f.idOf(code)))
	}
	// The other way: a report LAPOR! never stored (the connection
	// dropped before it did), resent by staff after checking.
	n.dispose(other)
	f.set("create", "drop", 1)
	if _, err := n.pass(); err == nil {
		t.Fatal("a dropped connection passed")
	}
	n.clock.add(time.Hour)
	n.mustPass()
	if r := n.row(other); r.GetString("held_reason") != lapor.HeldUnconfirmed {
		t.Fatalf("row: %v", r.FieldsData())
	}
	if err := lapor.Resend(n.app, other); err != nil {
		t.Fatal(err)
	}
	n.mustPass()
	if got := f.byRef(); got[other] != 1 {
		t.Fatalf("after the resend: %v", got)
	}
}

// What is about LAPOR! or the link, not one report, ends the pass with a
// worded error and holds nothing: no connection, 5xx, 429, a time-out, a
// wrong token or URL. The report is delivered once it is fixed.
func TestSystemicFailuresEndThePass(t *testing.T) {
	cases := []struct {
		fault, inError, kind string
	}{
		{"500", "answered 500", upstream.ErrKindParent},
		{"429", "answered 429", upstream.ErrKindBusy},
		{"hang", "deadline exceeded", upstream.ErrKindUnreachable},
		{"408", "request timeout", upstream.ErrKindUnreachable},
		{"drop", "EOF", upstream.ErrKindUnreachable},
		{"401", "SIMPUL_LAPOR_TOKEN", upstream.ErrKindAuth},
		{"404", "SIMPUL_LAPOR_URL", upstream.ErrKindRefused},
		{"302", "SIMPUL_LAPOR_URL", upstream.ErrKindOther},
		{"html", "SIMPUL_LAPOR_URL", upstream.ErrKindOther},
	}
	for _, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) {
			f := newFakeLapor(t)
			n := newNode(t, f, fullMapping)
			n.sync = shortSyncer(n, f, 300*time.Millisecond)
			a := n.add(spec{})
			b := n.add(spec{privacy: model.PrivacyConfidential})
			n.dispose(a)
			n.dispose(b)
			f.set("create", tc.fault, 0)
			sum, err := n.pass()
			if err == nil || sum.OK || !strings.Contains(sum.Error, tc.inError) || sum.LastErrorKind != tc.kind {
				t.Fatalf("pass against %s: err %v, summary %+v", tc.fault, err, sum)
			}
			if strings.Contains(sum.Error, f.srv.URL+"/") {
				t.Errorf("the error carries the full URL: %s", sum.Error)
			}
			if f.count("create") != 1 {
				t.Errorf("%d creates: the pass went on after a systemic failure", f.count("create"))
			}
			if n.laporID(a)+n.laporID(b) != "" {
				t.Error("a tracking id was recorded from a failed post")
			}
			q, _ := lapor.QueueOf(n.app)
			if len(q.Held) != 0 || q.Due != 2 {
				t.Errorf("queue after a systemic failure: %+v", q)
			}
			f.set("create", "", 0)
			n.clock.add(24 * time.Hour)
			n.mustPass()
			if got := f.byRef(); len(got) != 2 || got[a] != 1 || got[b] != 1 {
				t.Errorf("reports at LAPOR! after recovery: %v", got)
			}
			assertNoIdentity(t, f)
		})
	}
}

// shortSyncer replaces the node's syncer by one whose adapter gives up on a
// request after timeout (the wired one waits lapor.DefaultTimeout).
func shortSyncer(n *node, f *fakeLapor, timeout time.Duration) *upstream.Syncer {
	s := upstream.NewSyncer(n.app, lapor.New(n.app, lapor.Config{URL: f.URL(), Token: f.token, Timeout: timeout}), lapor.ParentName, time.Minute)
	s.IDField = "lapor_tracking_id"
	return s
}
