package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// The counter in a real browser (review items 1 and 2, issue item 7): a
// clerk and a handler of another unit who search a reporter's phone number
// see the public report but never the confidential one filed with the same
// number; a coordinator sees both; each search is in the access log. A
// walk-in who lost the receipt gets a new PIN once the clerk types the NIK
// from the KTP: a wrong NIK gets nothing, the right one shows a new PIN
// once, the old PIN stops working and the new one works, and the access
// log says who issued it.
func TestBrowserCounterPrivacyAndLostReceipt(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	testkit.Staff(t, app, "seksi-b@simpul.test", model.RoleHandler, "UNIT-B")
	testkit.Staff(t, app, "koord@simpul.test", model.RoleCoordinator, "")
	const phone, nik = "081355550123", "3201234567890001"
	pub := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Rina Wati", Phone: phone,
		Status: model.StatusProses})
	pub = setField(t, app, pub, "reporter_nik", nik)
	oldToken := intake.NewReceiptToken()
	pub = setField(t, app, pub, "receipt_token", oldToken)
	pub = setField(t, app, pub, "pin_hash", intake.PINHash(intake.PIN(oldToken)))
	conf := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Reporter: "Rina Wati", Phone: phone,
		Privacy: model.PrivacyConfidential})
	pubCode, confCode := pub.GetString("tracking_code"), conf.GetString("tracking_code")
	srv := testkit.Serve(t, app)

	search := func(b *testkit.Browser) string {
		b.Go("/loket")
		b.Fill("#q", "0813-5555-0123")
		b.Click("#lookup")
		b.WaitURL("/loket/cari")
		b.WaitVisible("#results")
		return b.Text("#results")
	}
	for _, tc := range []struct {
		email          string
		wantPub, wantC bool
	}{
		{"loket@simpul.test", true, false},
		{"seksi-b@simpul.test", false, false},
		{"koord@simpul.test", true, true},
	} {
		b := testkit.NewBrowser(t, srv.URL)
		browserLogin(b, tc.email)
		got := search(b)
		if strings.Contains(got, pubCode) != tc.wantPub || strings.Contains(got, confCode) != tc.wantC {
			t.Errorf("%s searching the phone sees %q; want public %v, confidential %v", tc.email, got, tc.wantPub, tc.wantC)
		}
		if strings.Contains(got, "Rina") {
			t.Errorf("%s: the lookup shows the reporter's name", tc.email)
		}
	}
	var lookups int
	if err := app.DB().NewQuery("SELECT count(*) FROM access_log WHERE action = 'counter_lookup' AND detail = 'phone'").Row(&lookups); err != nil {
		t.Fatal(err)
	}
	if lookups != 3 {
		t.Errorf("%d counter lookups in the access log, want 3", lookups)
	}

	// The lost receipt, from the lookup's "New PIN" link.
	b := testkit.NewBrowser(t, srv.URL)
	browserLogin(b, "loket@simpul.test")
	search(b)
	b.Click("#new-pin-" + pubCode)
	b.WaitURL("/loket/pin-baru")
	if got := b.Value("#code"); got != pubCode {
		t.Fatalf("the form is not for the report: %q", got)
	}
	b.Fill("#nik", "3201234567890009")
	b.Click("#reissue")
	b.WaitVisible("#pin-error")
	if !strings.Contains(b.Text("#pin-error"), "tidak cocok") {
		t.Fatalf("a wrong NIK: %q", b.Text("#pin-error"))
	}
	b.Fill("#nik", nik)
	b.Click("#reissue")
	b.WaitVisible("#new-pin")
	newPIN := strings.TrimSpace(b.Text("#pin"))
	if len(newPIN) != 6 || newPIN == intake.PIN(oldToken) {
		t.Fatalf("new PIN %q (old %s)", newPIN, intake.PIN(oldToken))
	}
	reply := func(pin string) int {
		res, err := http.Post(srv.URL+"/api/track/"+pubCode+"/reply", "application/json",
			strings.NewReader(`{"pin":"`+pin+`","message":"Struk saya hilang, ini tambahan keterangan."}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := reply(intake.PIN(oldToken)); st != http.StatusForbidden {
		t.Errorf("the old PIN after a new one was issued: %d, want 403", st)
	}
	if st := reply(newPIN); st != http.StatusOK {
		t.Errorf("the new PIN: %d, want 200", st)
	}
	// The old receipt link is dead too; the new one (on the page) works.
	if res, err := http.Get(srv.URL + intake.ReceiptPath(pubCode, oldToken)); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the old receipt link: %v %v", res.StatusCode, err)
	}
	if href := b.Attr("#receipt-a4", "href"); !strings.HasPrefix(href, "/api/receipts/"+pubCode) {
		t.Errorf("new receipt link %q", href)
	}
	var entries []struct {
		ActorRole string `db:"actor_role"`
		Detail    string `db:"detail"`
	}
	if err := app.DB().NewQuery("SELECT actor_role, detail FROM access_log WHERE action = 'pin_reissued' AND complaint = {:c}").
		Bind(dbx.Params{"c": pub.Id}).All(&entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].ActorRole != model.RoleFrontdesk || entries[0].Detail != "nik" {
		t.Errorf("access log of the new PIN: %+v", entries)
	}
}
