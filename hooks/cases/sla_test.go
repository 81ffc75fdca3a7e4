package cases_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

var wib = mustLoc("Asia/Jakarta")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a WIB wall-clock time.
func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, wib) }

// endOf is 23:59:59 WIB of a day, as stored (UTC).
func endOf(y int, m time.Month, d int) string {
	dt, _ := types.ParseDateTime(time.Date(y, m, d, 23, 59, 59, 0, wib).UTC())
	return dt.String()
}

func setField(t testing.TB, app core.App, c *core.Record, field string, v any) {
	t.Helper()
	c.Set(field, v)
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
}

func move(t testing.TB, app core.App, c *core.Record, actor cases.Actor, req cases.Request) {
	t.Helper()
	if err := app.RunInTransaction(func(tx core.App) error { return cases.Transition(tx, c, actor, req) }); err != nil {
		t.Fatalf("%s → %s: %v", c.GetString("status"), req.To, err)
	}
}

func followUp(t testing.TB, app core.App, c *core.Record, actor cases.Actor, note string, now time.Time) {
	t.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(model.Complaints, c.Id)
		if err != nil {
			return err
		}
		if err := cases.FollowUp(tx, fresh, actor, &cases.FollowupRequest{Note: note, At: now}); err != nil {
			return err
		}
		*c = *fresh
		return nil
	})
	if err != nil {
		t.Fatalf("follow-up: %v", err)
	}
}

func pinHash(pin string) string {
	sum := sha256.Sum256([]byte(pin))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func wantField(t testing.TB, c *core.Record, field, want string) {
	t.Helper()
	if got := c.GetString(field); got != want {
		t.Fatalf("%s = %q, want %q", field, got, want)
	}
}

// TestSLAClock walks one complaint through the whole lifecycle in March
// and April 2026 (Jakarta, Monday–Friday), across Nyepi, Idul Fitri and its
// cuti bersama (18–24 March) and Good Friday (3 April).
func TestSLAClock(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	handler, _ := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	ca, ha := cases.StaffActor(coord, "TEST"), cases.StaffActor(handler, "TEST")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{Phone: "081234567890"})
	// Received Monday 9 March 10:00: verify by Thursday 12 March, complete by 8 May.
	setField(t, app, c, "verify_due_at", endOf(2026, 3, 12))
	setField(t, app, c, "completion_due_at", endOf(2026, 5, 8))

	// Postponed Tuesday 10 March: two working days (Wed, Thu) remain.
	move(t, app, c, ca, cases.Request{To: model.StatusTertunda, Note: "Mohon lampirkan foto lokasi.", At: at(2026, 3, 10, 9, 0)})
	if c.GetInt("paused_remaining") != 2 || c.GetString("paused_at") == "" {
		t.Fatalf("pause: remaining %d, paused_at %q", c.GetInt("paused_remaining"), c.GetString("paused_at"))
	}
	wantField(t, c, "due_at", "") // no clock runs while paused

	// The reporter answers on Wednesday 25 March, after the holidays: the
	// two days run again (Thu 26, Fri 27); completion moves by the 15
	// calendar days spent paused.
	setField(t, app, c, "pin_hash", pinHash("123456"))
	clock.Set(app, (&fakeClock{at(2026, 3, 25, 8, 0)}).Now)
	var err error
	c, err = cases.Reply(app, cases.Proof{Code: c.GetString("tracking_code"), PIN: "123456"}, "Foto sudah saya kirim ke loket.")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, c, "status", model.StatusBaru)
	wantField(t, c, "verify_due_at", endOf(2026, 3, 27))
	wantField(t, c, "due_at", endOf(2026, 3, 27))
	wantField(t, c, "completion_due_at", endOf(2026, 5, 23))
	wantField(t, c, "paused_at", "")

	// Disposed Thursday 26 March: five working days, Good Friday skipped → Thursday 2 April.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 3, 26, 10, 0)})
	wantField(t, c, "followup_due_at", endOf(2026, 4, 2))
	wantField(t, c, "due_at", endOf(2026, 4, 2))

	// First follow-up Thursday 2 April 15:00: auto-close ten working days later, Friday 17 April.
	followUp(t, app, c, ha, "Jalan sudah ditambal.", at(2026, 4, 2, 15, 0))
	wantField(t, c, "status", model.StatusProses)
	wantField(t, c, "autoclose_at", endOf(2026, 4, 17))
	wantField(t, c, "due_at", endOf(2026, 5, 23))

	// The auto-close job, with an injected clock.
	if n, err := cases.AutoClose(app, at(2026, 4, 17, 12, 0)); err != nil || n != 0 {
		t.Fatalf("closed %d before the deadline (%v)", n, err)
	}
	if n, err := cases.AutoClose(app, at(2026, 4, 18, 0, 1)); err != nil || n != 1 {
		t.Fatalf("closed %d at the deadline, want 1 (%v)", n, err)
	}
	c, _ = app.FindRecordById(model.Complaints, c.Id)
	wantField(t, c, "status", model.StatusSelesai)
	wantField(t, c, "due_at", "")
	last, err := app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && to_status = 'selesai'", dbx.Params{"c": c.Id})
	if err != nil {
		t.Fatal(err)
	}
	if last.GetString("actor_type") != "system" || last.GetString("note") != cases.AutoCloseNote || !last.GetBool("public") {
		t.Fatalf("auto-close event: %v", last.FieldsData())
	}
}

// TestAutoCloseSkipsReplied: of two complaints followed up on the same
// day, the one whose reporter replied stays open.
func TestAutoCloseSkipsReplied(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	silent := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	replied := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	copied := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	for _, c := range []*core.Record{silent, replied, copied} {
		setField(t, app, c, "pin_hash", pinHash("654321"))
		move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 4, 1, 9, 0)})
		followUp(t, app, c, ca, "Sudah ditindaklanjuti.", at(2026, 4, 2, 10, 0))
	}
	// A copy of a case another office now handles: closing it is that
	// office's job (its reporter may have replied there already).
	setField(t, app, copied, "office", "PKM-LAIN")
	fc := &fakeClock{at(2026, 4, 10, 9, 0)}
	clock.Set(app, fc.Now)
	if _, err := cases.Reply(app, cases.Proof{Code: replied.GetString("tracking_code"), PIN: "654321"}, "Belum beres, lubangnya masih ada."); err != nil {
		t.Fatal(err)
	}
	fc.t = at(2026, 4, 20, 9, 0) // past 17 April, the auto-close day
	if n, err := cases.AutoClose(app, fc.Now()); err != nil || n != 1 {
		t.Fatalf("closed %d, want 1 (%v)", n, err)
	}
	s, _ := app.FindRecordById(model.Complaints, silent.Id)
	r, _ := app.FindRecordById(model.Complaints, replied.Id)
	wantField(t, s, "status", model.StatusSelesai)
	wantField(t, r, "status", model.StatusProses)
	cp, _ := app.FindRecordById(model.Complaints, copied.Id)
	wantField(t, cp, "status", model.StatusProses)
	// A second follow-up restarts the clock for the replied one.
	followUp(t, app, r, ca, "Sudah ditambal ulang.", at(2026, 4, 21, 10, 0))
	wantField(t, r, "autoclose_at", endOf(2026, 5, 6)) // 10 working days from Tuesday 21 April, skipping Labour Day (1 May)
}

// TestRestartAfterArchive: restoring an archived report starts a fresh
// verification clock.
func TestRestoreRestartsVerification(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	move(t, app, c, ca, cases.Request{To: model.StatusDiarsipkan, Reason: "spam", At: at(2026, 6, 1, 9, 0)})
	wantField(t, c, "due_at", "")
	move(t, app, c, ca, cases.Request{To: model.StatusBaru, Note: "Bukan spam.", At: at(2026, 6, 2, 9, 0)})
	// Tue 2 June + 3 working days: Wed 3, Thu 4, Fri 5.
	wantField(t, c, "verify_due_at", endOf(2026, 6, 5))
	wantField(t, c, "due_at", endOf(2026, 6, 5))
	wantField(t, c, "reason", "")
}
