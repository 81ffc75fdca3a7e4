package cases_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

// The deadlines below are worked out by hand from the 2026 calendar
// (Jakarta, Monday–Friday): Nyepi and Idul Fitri with their cuti bersama
// 18–24 March, Good Friday 3 April, Labour Day 1 May, Ascension 14 May and
// its cuti bersama 15 May. docs/cases.md lists each policy row used here.

func setRule(t *testing.T, app core.App, code, value string) {
	t.Helper()
	r, err := app.FindFirstRecordByData(model.SLAPolicies, "code", code)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("value", value)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// TestRedisposeDeadline: re-disposing to the same unit leaves the
// follow-up deadline (and the disposition it counts from) where it was; a
// re-disposition to another unit gives that unit its own five working days
// (policy redispose_followup = other_unit); with "keep" nothing restarts.
// The completion limit is never moved by a re-disposition.
func TestRedisposeDeadline(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	testkit.Unit(t, app, "KEU")
	testkit.Unit(t, app, "HUKUM")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})

	// Disposed Thursday 26 March: Fri 27, Mon 30, Tue 31, Wed 1, Thu 2 April.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 3, 26, 10, 0)})
	wantField(t, c, "followup_due_at", endOf(2026, 4, 2))
	disposed := c.GetString("disposed_at")
	// 60 calendar days from verification (26 March): 25 May.
	wantField(t, c, "completion_due_at", endOf(2026, 5, 25))

	// Again to UMUM on Wednesday 1 April: nothing restarts.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 4, 1, 9, 0)})
	wantField(t, c, "followup_due_at", endOf(2026, 4, 2))
	wantField(t, c, "disposed_at", disposed)
	wantField(t, c, "due_at", endOf(2026, 4, 2))

	// To KEU the same Wednesday: Thu 2, (Good Friday 3), Mon 6, Tue 7,
	// Wed 8, Thu 9 April.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "KEU", At: at(2026, 4, 1, 11, 0)})
	wantField(t, c, "followup_due_at", endOf(2026, 4, 9))
	wantField(t, c, "due_at", endOf(2026, 4, 9))
	if c.GetString("disposed_at") == disposed {
		t.Error("disposed_at did not move with the restarted deadline")
	}
	wantField(t, c, "completion_due_at", endOf(2026, 5, 25))

	// An office that never restarts: to HUKUM on Monday 6 April keeps 9 April.
	setRule(t, app, sla.RuleRedispose, sla.RedisposeKeep)
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "HUKUM", At: at(2026, 4, 6, 9, 0)})
	wantField(t, c, "followup_due_at", endOf(2026, 4, 9))
	wantField(t, c, "completion_due_at", endOf(2026, 5, 25))
}

// TestCompletionFromVerification: the 60-day limit counts from
// verification (berkas lengkap, Perpres 76/2013), not from receipt: a
// report received before Nyepi and verified after the holidays has no
// completion limit while it waits, and 60 days from the day it is verified.
func TestCompletionFromVerification(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	res, err := intake.Submit(app, intake.Request{Type: model.TypePengaduan, Title: "Antrean obat terlalu lama",
		Body: "Menunggu obat lebih dari tiga jam.", Category: "LAIN", Privacy: model.PrivacyPublic, ReporterName: "Budi", RemoteIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := app.FindRecordById(model.Complaints, res.ComplaintID)
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, c, "completion_due_at", "")
	if c.GetString("due_at") != c.GetString("verify_due_at") || c.GetString("due_at") == "" {
		t.Fatalf("at intake: due_at %q, verify_due_at %q", c.GetString("due_at"), c.GetString("verify_due_at"))
	}

	// Postponed and resumed: no completion limit runs, none moves.
	move(t, app, c, ca, cases.Request{To: model.StatusTertunda, Note: "Sebutkan nama apotek.", At: at(2026, 3, 17, 9, 0)})
	move(t, app, c, ca, cases.Request{To: model.StatusBaru, At: at(2026, 3, 25, 9, 0)})
	wantField(t, c, "completion_due_at", "")

	// Verified and disposed Wednesday 25 March: 25 March + 60 days = 24 May.
	// The first follow-up is due Thu 26, Fri 27, Mon 30, Tue 31, Wed 1 April.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 3, 25, 10, 0)})
	wantField(t, c, "completion_due_at", endOf(2026, 5, 24))
	wantField(t, c, "followup_due_at", endOf(2026, 4, 1))
	wantField(t, c, "due_at", endOf(2026, 4, 1))
}

// TestReopenOwesAFollowup: the reporter's answer to a follow-up, and a
// reopened report, give staff a new deadline (policy reopen_followup_days,
// five working days); a second answer does not push it out; the next
// follow-up settles it.
func TestReopenOwesAFollowup(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	setField(t, app, c, "pin_hash", pinHash("246810"))
	fc := &fakeClock{}
	clock.Set(app, fc.Now)
	reply := func(msg string, when time.Time) *core.Record {
		t.Helper()
		fc.t = when
		r, err := cases.Reply(app, cases.Proof{Code: c.GetString("tracking_code"), PIN: "246810"}, msg)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// Disposed Thursday 26 March (completion: 25 May); first follow-up
	// Thursday 2 April.
	move(t, app, c, ca, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", At: at(2026, 3, 26, 10, 0)})
	followUp(t, app, c, ca, "Petugas sudah meninjau lokasi.", at(2026, 4, 2, 15, 0))
	wantField(t, c, "next_followup_due_at", "")
	wantField(t, c, "due_at", endOf(2026, 5, 25))

	// The reporter answers Monday 13 April: Tue 14, Wed 15, Thu 16, Fri 17,
	// Mon 20 April. Auto-close stops.
	c = reply("Lubangnya belum ditambal.", at(2026, 4, 13, 9, 0))
	wantField(t, c, "status", model.StatusProses)
	wantField(t, c, "next_followup_due_at", endOf(2026, 4, 20))
	wantField(t, c, "due_at", endOf(2026, 4, 20))
	wantField(t, c, "autoclose_at", "")
	// A second answer on Wednesday 15 April keeps Monday 20 April.
	c = reply("Mohon segera.", at(2026, 4, 15, 9, 0))
	wantField(t, c, "next_followup_due_at", endOf(2026, 4, 20))

	// The follow-up on Friday 17 April settles it; auto-close ten working
	// days later: Mon 20 … Thu 30 April, (Labour Day), Mon 4 May.
	followUp(t, app, c, ca, "Sudah ditambal.", at(2026, 4, 17, 10, 0))
	wantField(t, c, "next_followup_due_at", "")
	wantField(t, c, "autoclose_at", endOf(2026, 5, 4))
	wantField(t, c, "due_at", endOf(2026, 5, 25))
	if n, err := cases.AutoClose(app, at(2026, 5, 5, 0, 1)); err != nil || n != 1 {
		t.Fatalf("auto-closed %d (%v)", n, err)
	}

	// Reopened by the reporter on Tuesday 12 May: Wed 13, (Ascension 14,
	// cuti bersama 15), Mon 18, Tue 19, Wed 20, Thu 21 May.
	c = reply("Lubang muncul lagi setelah hujan.", at(2026, 5, 12, 9, 0))
	wantField(t, c, "status", model.StatusProses)
	wantField(t, c, "next_followup_due_at", endOf(2026, 5, 21))
	wantField(t, c, "due_at", endOf(2026, 5, 21))
	wantField(t, c, "closed_at", "")
}

// TestPostponedReportsAreArchived: a tertunda report has an upper bound
// (policy postpone_max_days, ten working days); past it the job archives
// the report with reason "incomplete" and a public note the reporter reads
// on the tracking page. A report the reporter completed in time is left
// alone.
func TestPostponedReportsAreArchived(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	ca := cases.StaffActor(coord, "TEST")
	silent := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	answered := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	for _, c := range []*core.Record{silent, answered} {
		move(t, app, c, ca, cases.Request{To: model.StatusTertunda, Note: "Lampirkan foto lokasi.", At: at(2026, 3, 10, 9, 0)})
	}
	// Postponed Tuesday 10 March: Wed 11, Thu 12, Fri 13, Mon 16, Tue 17,
	// (18–24 March: Nyepi, Idul Fitri and their cuti bersama), Wed 25,
	// Thu 26, Fri 27, Mon 30, Tue 31 March.
	wantField(t, silent, "postpone_expires_at", endOf(2026, 3, 31))
	wantField(t, silent, "due_at", "")
	// The other reporter answers in time (back to verification).
	move(t, app, answered, ca, cases.Request{To: model.StatusBaru, At: at(2026, 3, 26, 9, 0)})
	wantField(t, answered, "postpone_expires_at", "")

	if n, err := cases.ExpirePostponed(app, at(2026, 3, 31, 23, 0)); err != nil || n != 0 {
		t.Fatalf("archived %d before the bound (%v)", n, err)
	}
	if n, err := cases.ExpirePostponed(app, at(2026, 4, 1, 0, 1)); err != nil || n != 1 {
		t.Fatalf("archived %d after the bound, want 1 (%v)", n, err)
	}
	s, _ := app.FindRecordById(model.Complaints, silent.Id)
	a, _ := app.FindRecordById(model.Complaints, answered.Id)
	wantField(t, s, "status", model.StatusDiarsipkan)
	wantField(t, s, "reason", lifecycle.ReasonIncomplete)
	wantField(t, s, "postpone_expires_at", "")
	wantField(t, a, "status", model.StatusBaru)
	ev, err := app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && to_status = 'diarsipkan'", dbx.Params{"c": s.Id})
	if err != nil {
		t.Fatal(err)
	}
	if ev.GetString("actor_type") != "system" || !ev.GetBool("public") || !strings.Contains(ev.GetString("note"), "10 hari kerja") {
		t.Fatalf("archive event: %v", ev.FieldsData())
	}
	view, err := intake.Track(app, s.GetString("tracking_code"), "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	last := view.Timeline[len(view.Timeline)-1]
	if last.Status != model.StatusDiarsipkan || !strings.Contains(last.Note, "tidak dilengkapi pelapor dalam 10 hari kerja") {
		t.Fatalf("tracking page's last step: %+v", last)
	}
	// Nothing left to archive.
	if n, err := cases.ExpirePostponed(app, at(2026, 4, 2, 9, 0)); err != nil || n != 0 {
		t.Fatalf("archived %d on the second run (%v)", n, err)
	}
}

// TestPostponeBoundFollowsThePolicy: an office that allows 3 working days
// gets 3: postponed Friday 13 March, Mon 16, Tue 17, (18–24 March),
// Wed 25 March.
func TestPostponeBoundFollowsThePolicy(t *testing.T) {
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	setRule(t, app, sla.RulePostponeMaxDays, "3")
	c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	move(t, app, c, cases.StaffActor(coord, "TEST"), cases.Request{To: model.StatusTertunda, Note: "Alamat lengkap?", At: at(2026, 3, 13, 16, 0)})
	wantField(t, c, "postpone_expires_at", endOf(2026, 3, 25))
}
