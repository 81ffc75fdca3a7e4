package cases_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks"
	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

// auditVerify runs "simpul audit verify" on app and returns its output
// and error.
func auditVerify(t *testing.T, app core.App) (string, error) {
	t.Helper()
	root := &cobra.Command{Use: "simpul", SilenceErrors: true}
	root.AddCommand(hooks.Commands(app, testkit.Config())...)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"audit", "verify"})
	err := root.Execute()
	return out.String(), err
}

// chain makes a complaint with four timeline rows (created + three moves).
func chain(t *testing.T, app core.App) *core.Record {
	t.Helper()
	coord, _ := testkit.Staff(t, app, "c"+strings.ToLower(t.Name())+"@simpul.test", model.RoleCoordinator, "")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	a := cases.StaffActor(coord, "TEST")
	move(t, app, c, a, cases.Request{To: model.StatusTertunda, Note: "Mohon lengkapi alamat."})
	move(t, app, c, a, cases.Request{To: model.StatusBaru, Note: "Sudah dilengkapi."})
	move(t, app, c, a, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM"})
	return c
}

func eventAt(t *testing.T, app core.App, c *core.Record, seq int) *core.Record {
	t.Helper()
	ev, err := app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && seq = {:s}", dbx.Params{"c": c.Id, "s": seq})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	app := testkit.New(t)
	testkit.Complaint(t, app, testkit.ComplaintSpec{}) // an untouched neighbour
	c := chain(t, app)
	out, err := auditVerify(t, app)
	if err != nil || !strings.Contains(out, `"ok":true`) || !strings.Contains(out, `"events":5`) {
		t.Fatalf("clean chain: %v %q", err, out)
	}

	// Someone edits a note behind the application's back.
	victim := eventAt(t, app, c, 2)
	if _, err := app.DB().NewQuery("UPDATE complaint_events SET note = 'x' WHERE id = {:id}").Bind(dbx.Params{"id": victim.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	_, err = events.Verify(app)
	var brk *events.Break
	if !errors.As(err, &brk) || brk.EventID != victim.Id || brk.Seq != 2 || brk.TrackingCode != c.GetString("tracking_code") ||
		!strings.Contains(brk.Problem, "changed") {
		t.Fatalf("edited row: %v", err)
	}
	_, err = auditVerify(t, app)
	if err == nil || !strings.Contains(err.Error(), victim.Id) || !strings.Contains(err.Error(), c.GetString("tracking_code")) {
		t.Fatalf("the command must fail naming the row: %v", err)
	}
}

func TestAuditVerifyDetectsDeletion(t *testing.T) {
	app := testkit.New(t)
	c := chain(t, app)
	gone := eventAt(t, app, c, 2)
	next := eventAt(t, app, c, 3)
	if _, err := app.DB().NewQuery("DELETE FROM complaint_events WHERE id = {:id}").Bind(dbx.Params{"id": gone.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	_, err := events.Verify(app)
	var brk *events.Break
	if !errors.As(err, &brk) || brk.EventID != next.Id || brk.Seq != 3 {
		t.Fatalf("deleted row: want a break at the row after it, got %v", err)
	}
	if _, err := auditVerify(t, app); err == nil || !strings.Contains(err.Error(), next.Id) {
		t.Fatalf("command after deletion: %v", err)
	}
}

func TestAuditVerifyDetectsDeletedLastRowRehashed(t *testing.T) {
	// Deleting a row and renumbering the rest (a careful forger) still
	// breaks the prev_hash link.
	app := testkit.New(t)
	c := chain(t, app)
	gone := eventAt(t, app, c, 2)
	if _, err := app.DB().NewQuery("DELETE FROM complaint_events WHERE id = {:id}").Bind(dbx.Params{"id": gone.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("UPDATE complaint_events SET seq = seq - 1 WHERE complaint = {:c} AND seq > 2").Bind(dbx.Params{"c": c.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	_, err := events.Verify(app)
	var brk *events.Break
	if !errors.As(err, &brk) || brk.Seq != 2 {
		t.Fatalf("renumbered chain: %v", err)
	}
}
