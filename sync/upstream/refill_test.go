package upstream_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	simclock "simpul/hooks/platform/clock"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// vary gives a complaint a title and body of its own.
func vary(t testing.TB, l *level, tc string, r *rand.Rand) {
	t.Helper()
	if _, err := l.app.DB().NewQuery("UPDATE complaints SET title = {:t}, body = {:b} WHERE tracking_code = {:tc}").
		Bind(dbx.Params{"t": sentence(r, 7), "b": sentence(r, 45), "tc": tc}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// hubFigures is what the hub's statistics are made of, per case: every
// field the figures read (status, office, channel, created, unit, every
// date, rating), as text.
func hubFigures(t *testing.T, l *level) map[string]string {
	t.Helper()
	var codes []string
	if err := l.app.DB().Select("tracking_code").From(model.Complaints).Column(&codes); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tc := range codes {
		c := record(t, l, tc)
		var b strings.Builder
		for _, f := range caseFields {
			fmt.Fprintf(&b, "%s=%v;", f, c.Get(f))
		}
		fmt.Fprintf(&b, "unit=%s", unitCode(t, l, c))
		out[tc] = b.String()
	}
	return out
}

// A hub that lost its disk is refilled from its children: "sync resend
// --all" on each pushes every case again; the refilled hub holds every
// case with the same figures, and a second resend changes nothing.
func TestHubRefilledFromChildren(t *testing.T) {
	n := newNetwork(t)
	r := rand.New(rand.NewPCG(1, 2))
	var routed []string
	for i := range 12 {
		for _, l := range []*level{n.a, n.b} {
			tc := testkit.Complaint(t, l.app, testkit.ComplaintSpec{}).GetString("tracking_code")
			vary(t, l, tc, r)
			switch i % 4 {
			case 1:
				transition(t, l.app, tc, model.StatusTerdisposisi)
			case 2:
				transition(t, l.app, tc, model.StatusTerdisposisi)
				transition(t, l.app, tc, model.StatusProses)
			case 3:
				if l == n.a {
					transition(t, l.app, tc, model.StatusBukanWewenang)
					routed = append(routed, tc)
				}
			}
		}
	}
	n.settle(t)
	for _, tc := range routed {
		testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	}
	n.settle(t)
	n.now = n.now.Add(26 * time.Hour)
	for _, tc := range routed[:2] {
		transition(t, n.b.app, tc, model.StatusTerdisposisi)
		transition(t, n.b.app, tc, model.StatusProses)
	}
	n.settle(t)
	// One is routed on, back to its origin: PKB keeps its copy and its
	// own events of the case, which the refilled hub must take again.
	testkit.Move(t, n.hub.app, routed[0], model.StatusTerdisposisi, "PKA")
	n.settle(t)
	old := hubFigures(t, n.hub)
	if len(old) != 24 {
		t.Fatalf("old hub holds %d cases", len(old))
	}

	// The disk is gone: a fresh hub, the children registered again.
	fresh := newLevel(t, "kab")
	simclock.Set(fresh.app, func() time.Time { return n.now })
	n.hub = fresh
	attach(t, n.a, fresh)
	attach(t, n.b, fresh)
	for _, l := range []*level{n.a, n.b} {
		if _, err := upstream.ResendAll(l.app, n.now); err != nil {
			t.Fatal(err)
		}
	}
	n.settle(t)
	got := hubFigures(t, fresh)
	if len(got) != len(old) {
		t.Fatalf("refilled hub holds %d cases, the old one %d", len(got), len(old))
	}
	for tc, want := range old {
		if got[tc] != want {
			t.Errorf("%s on the refilled hub:\n got %s\nwant %s", tc, got[tc], want)
		}
	}
	assertConverged(t, [2]*level{n.a, fresh}, [2]*level{n.b, fresh})
	events := count(t, fresh.app, model.ComplaintEvents, nil)
	// Idempotent: resending again applies nothing new.
	for _, l := range []*level{n.a, n.b} {
		if _, err := upstream.ResendAll(l.app, n.now); err != nil {
			t.Fatal(err)
		}
	}
	n.settle(t)
	if again := count(t, fresh.app, model.ComplaintEvents, nil); again != events {
		t.Errorf("a second resend added %d events", again-events)
	}
}

// The hub's copy of every case equals the handling office's copy, field by
// field, over 1,000 cases handled in several ways across the tree.
func TestHubCopyEqualsHandlingOffice1000(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 cases")
	}
	n := newNetwork(t)
	r := rand.New(rand.NewPCG(3, 4))
	codes := make([]string, 1000)
	for i := range codes {
		l := n.a
		if i%3 == 0 {
			l = n.b
		}
		tc := testkit.Complaint(t, l.app, testkit.ComplaintSpec{}).GetString("tracking_code")
		codes[i] = tc
		if i%7 == 0 {
			vary(t, l, tc, r)
		}
		switch i % 5 {
		case 1:
			transition(t, l.app, tc, model.StatusTerdisposisi)
		case 2:
			transition(t, l.app, tc, model.StatusTerdisposisi)
			transition(t, l.app, tc, model.StatusProses)
		case 3:
			transition(t, l.app, tc, model.StatusDiarsipkan)
		case 4:
			if i%10 == 4 {
				transition(t, l.app, tc, model.StatusBukanWewenang)
			}
		}
		if i%100 == 99 {
			n.now = n.now.Add(5 * time.Hour)
		}
	}
	n.settle(t)
	k := 0
	for i, tc := range codes {
		if i%10 == 4 {
			to := []string{"PKA", "PKB", ""}[k%3]
			testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, to)
			k++
		}
	}
	n.settle(t)
	n.now = n.now.Add(30 * time.Hour)
	for i, tc := range codes {
		if i%20 == 4 {
			h := record(t, n.hub, tc).GetString("office")
			for _, l := range []*level{n.a, n.b} {
				if h == strings.ToUpper(l.name) {
					transition(t, l.app, tc, model.StatusTerdisposisi)
					transition(t, l.app, tc, model.StatusProses)
				}
			}
		}
	}
	n.settle(t)
	byCode := map[string]*level{"KAB": n.hub, "PKA": n.a, "PKB": n.b}
	checked := 0
	for _, tc := range codes {
		h := byCode[record(t, n.hub, tc).GetString("office")]
		if h == nil {
			t.Fatalf("%s handled by an unknown office", tc)
		}
		if h != n.hub {
			if d := sameCase(t, n.hub, h, tc); len(d) > 0 {
				t.Errorf("%s: hub and %s differ: %s", tc, h.name, strings.Join(d, "; "))
			}
		}
		checked++
	}
	if checked != 1000 {
		t.Fatalf("checked %d cases", checked)
	}
}
