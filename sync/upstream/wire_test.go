package upstream_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// Bytes on the wire (gzip push bodies as sent, batches of 200): a case's
// creation under 400 B, each later event under 200 B (issue 11's targets;
// figures in docs/benchmarks.md "Sync bytes per case"). The later events
// include a reporter's reply, whose state carries last_reply_at and the
// next follow-up deadline it sets.
func TestWireSizePerCase(t *testing.T) {
	n := newNetwork(t)
	n.a.syncer.Batch = 200
	r := rand.New(rand.NewPCG(5, 6))
	const many = 200
	codes := make([]string, many)
	for i := range codes {
		codes[i] = testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{}).GetString("tracking_code")
		vary(t, n.a, codes[i], r)
	}
	n.a.pass(t)
	created := n.a.parent.BytesSent.Load()
	perCase := float64(created) / many
	before := created
	events := 0
	for _, tc := range codes {
		transition(t, n.a.app, tc, model.StatusTerdisposisi) // a move and its note
		transition(t, n.a.app, tc, model.StatusProses)
		events += 3
	}
	n.a.pass(t)
	perEvent := float64(n.a.parent.BytesSent.Load()-before) / float64(events)
	before = n.a.parent.BytesSent.Load()
	for i, tc := range codes { // each from its own phone, as the PIN guard expects
		setPIN(t, n.a, tc, "246810")
		if _, err := cases.Reply(n.a.app, cases.Proof{Code: tc, PIN: "246810", Address: fmt.Sprintf("10.9.0.%d", i+1)},
			sentence(r, 12)); err != nil {
			t.Fatal(err)
		}
	}
	n.a.pass(t)
	perReply := float64(n.a.parent.BytesSent.Load()-before) / many
	t.Logf("sync bytes on the wire: %.0f B per case created, %.0f B per later event, %.0f B per reporter's reply",
		perCase, perEvent, perReply)
	if perCase >= 400 || perEvent >= 200 || perReply >= 200 {
		t.Errorf("over target: %.0f B per case (< 400), %.0f B per event and %.0f B per reply (< 200)", perCase, perEvent, perReply)
	}
	if got := record(t, n.hub, codes[0]).GetString("last_reply_at"); got == "" {
		t.Error("the reply's last_reply_at did not reach the hub")
	}
}
