package upstream_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// A verifier's public wording (public_title, public_body) travels with the
// case: the hub and the office a case is routed to publish it, not the
// reporter's words it replaces.
func TestPublicWordingTravels(t *testing.T) {
	n := newNetwork(t)
	tc := testkit.Complaint(t, n.a.app, testkit.ComplaintSpec{Privacy: model.PrivacyPublic}).GetString("tracking_code")
	n.a.pass(t)
	const title, body = "Lampu jalan mati di dekat pasar", "Lampu jalan di dekat pasar mati; warga meminta perbaikan."
	if err := n.a.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", tc)
		if err != nil {
			return err
		}
		return cases.Edit(tx, c, cases.Actor{Role: model.RoleCoordinator, Name: "Koordinator", Origin: cases.OfficeCode(tx)},
			cases.EditRequest{PublicTitle: title, PublicBody: body, Note: "Nama warga dihapus dari teks publik"}, n.now)
	}); err != nil {
		t.Fatal(err)
	}
	transition(t, n.a.app, tc, model.StatusBukanWewenang)
	n.a.pass(t)
	testkit.Move(t, n.hub.app, tc, model.StatusTerdisposisi, "PKB")
	n.settle(t)
	assertSame(t, tc, n.hub, n.a, n.b)
	for _, l := range n.levels() {
		if got := track(t, l, tc)["title"]; got != title {
			t.Errorf("%s publishes the title %q, want the verifier's %q", l.name, got, title)
		}
	}
}
