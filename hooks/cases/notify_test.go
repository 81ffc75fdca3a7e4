package cases_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

// A failed notice is logged without the reporter's address or number and
// without the webhook's URL (it may carry the provider's key).
func TestNoticeFailuresAreLoggedWithoutPersonalData(t *testing.T) {
	_, webhookErr := http.Get("http://127.0.0.1:1/kirim?api_key=RAHASIA-PENYEDIA&to=081234567890")
	if webhookErr == nil {
		t.Skip("something listens on port 1")
	}
	for _, tc := range []struct {
		err       error
		keep      string
		forbidden []string
	}{
		{errors.New("550 5.1.1 <siti.aminah@contoh.id>: Recipient address rejected: User unknown"),
			"Recipient address rejected", []string{"siti.aminah", "contoh.id"}},
		{errors.New("smtp: RCPT TO:siti@contoh.id failed"), "RCPT TO", []string{"siti@"}},
		{webhookErr, "connect", []string{"RAHASIA", "api_key", "081234567890", "127.0.0.1:1/kirim"}},
		{errors.New("webhook refused +62 812-3456-7890"), "webhook refused", []string{"812", "7890"}},
	} {
		got := cases.RedactErr(tc.err)
		if !strings.Contains(got, tc.keep) {
			t.Errorf("%q lost what went wrong: %q", tc.err, got)
		}
		for _, f := range tc.forbidden {
			if strings.Contains(got, f) {
				t.Errorf("%q kept %q: %q", tc.err, f, got)
			}
		}
	}
}

// A notice tells only the note of the step's public timeline event, on
// every path: NotifyStep takes no note, so no caller can hand it an
// internal one (review item 3, issue 12 "on every path"). A disposition's
// instruction and an internal note written after a follow-up never reach
// the reporter; the follow-up's answer does.
func TestNoticeTellsOnlyThePublicNote(t *testing.T) {
	sink := &smsSink{}
	gw := httptest.NewServer(sink)
	defer gw.Close()
	t.Setenv("SIMPUL_SMS_WEBHOOK_URL", gw.URL)
	app := testkit.New(t)
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	handler, _ := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti Aminah", Phone: "081234567890"})
	const (
		instruction = "INSTRUKSI-INTERNAL cek dulu pelapor ini"
		answer      = "Lampu sudah kami ganti hari ini."
		afterNote   = "CATATAN-INTERNAL setelah tindak lanjut"
	)
	step := func(fn func(tx core.App, c *core.Record) error) {
		t.Helper()
		err := app.RunInTransaction(func(tx core.App) error {
			c, err := tx.FindRecordById(model.Complaints, rec.Id)
			if err != nil {
				return err
			}
			rec = c
			return fn(tx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
		cases.NotifyStep(app, rec)
		cases.WaitNotices(app)
	}
	step(func(tx core.App, c *core.Record) error {
		return cases.Transition(tx, c, cases.StaffActor(coord, ""), cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", Note: instruction})
	})
	step(func(tx core.App, c *core.Record) error {
		if err := cases.FollowUp(tx, c, cases.StaffActor(handler, ""), &cases.FollowupRequest{Note: answer}); err != nil {
			return err
		}
		_, err := events.Append(tx, c, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Seksi", Note: afterNote, Origin: "TEST"})
		return err
	})
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.got) != 2 {
		t.Fatalf("%d notices, want 2: %v", len(sink.got), sink.got)
	}
	if m := sink.got[0]["message"]; strings.Contains(m, "INSTRUKSI") || !strings.Contains(m, "Terdisposisi") {
		t.Errorf("disposition notice: %q", m)
	}
	if m := sink.got[1]["message"]; !strings.Contains(m, answer) || strings.Contains(m, "CATATAN-INTERNAL") {
		t.Errorf("follow-up notice: %q", m)
	}
}
