package cases_test

import (
	gosync "sync"
	"testing"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// A lost receipt: only counter roles issue a PIN; an anonymous report has
// nobody to check; a report without a NIK is checked by the name on the
// KTP (case and spacing aside); the new PIN replaces the old.
func TestReissuePIN(t *testing.T) {
	app := testkit.New(t)
	clerk, _ := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	handler, _ := testkit.Staff(t, app, "seksi@simpul.test", model.RoleHandler, "UNIT-A")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Rina  Wati", Phone: "081355550123"})
	anon := testkit.Complaint(t, app, testkit.ComplaintSpec{Privacy: model.PrivacyAnonymous})
	code := rec.GetString("tracking_code")
	actor := cases.StaffActor(clerk, "TEST")
	if _, err := cases.ReissuePIN(app, cases.StaffActor(handler, "TEST"), code, "", "Rina Wati"); err != cases.ErrReissueRole {
		t.Fatalf("a handler: %v", err)
	}
	if _, err := cases.ReissuePIN(app, actor, anon.GetString("tracking_code"), "", "Siapa Saja"); err != cases.ErrReissueAnonymous {
		t.Fatalf("an anonymous report: %v", err)
	}
	if _, err := cases.ReissuePIN(app, actor, code, "", "Rina Watii"); err != cases.ErrReissueMismatch {
		t.Fatalf("another name: %v", err)
	}
	res, err := cases.ReissuePIN(app, actor, code, "", " rina WATI ")
	if err != nil {
		t.Fatalf("the name on the KTP: %v", err)
	}
	fresh, _ := app.FindRecordById(model.Complaints, rec.Id)
	if fresh.GetString("pin_hash") != intake.PINHash(res.PIN) || fresh.GetString("receipt_token") != res.Token {
		t.Fatal("the new PIN was not stored")
	}
}

// Ten mismatching KTPs typed at once for one report get at most five
// compared: each reserves its slot first.
func TestReissuePINMismatchesAtOnce(t *testing.T) {
	app := testkit.New(t)
	clerk, _ := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Rina Wati"})
	actor := cases.StaffActor(clerk, "TEST")
	errs := make([]error, 10)
	start := make(chan struct{})
	var wg gosync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = cases.ReissuePIN(app, actor, rec.GetString("tracking_code"), "", "Orang Lain")
		}()
	}
	close(start)
	wg.Wait()
	compared := 0
	for _, err := range errs {
		switch err {
		case cases.ErrReissueMismatch:
			compared++
		case cases.ErrReissueLocked:
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	if compared != 5 {
		t.Fatalf("%d of 10 simultaneous mismatches were compared, want 5", compared)
	}
	if _, err := cases.ReissuePIN(app, actor, rec.GetString("tracking_code"), "", "Rina Wati"); err != cases.ErrReissueLocked {
		t.Fatalf("the right name after five mismatches: %v, want locked", err)
	}
}
