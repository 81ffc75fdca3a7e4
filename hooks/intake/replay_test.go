package intake_test

import (
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// A client_ref replay answers the receipt's secrets only to the client that
// sent the report (review item 8). Before, anyone who sent the same report
// text (public once verified) with a guessed client_ref got its PIN and
// receipt token; and replays were never rate-limited.
func TestClientRefReplayFromAnotherClient(t *testing.T) {
	app := testkit.New(t)
	req := func(addr string) intake.Request {
		return intake.Request{Type: model.TypePengaduan, Title: "Lampu jalan mati di depan pasar",
			Body: "Sudah seminggu lampu jalan mati, jalan gelap dan rawan kecelakaan.", Category: "INF-PJU",
			Privacy: model.PrivacyPublic, ReporterName: "Siti Aminah", ReporterPhone: "081234567890",
			ClientRef: "f-0123456789abcdef", RemoteIP: addr, Origin: "https://lapor.example"}
	}
	first, err := intake.Submit(app, req("192.0.2.10"))
	if err != nil || first.PIN == "" {
		t.Fatalf("first: %+v %v", first, err)
	}
	// The same client again (a phone on a bad link): the same receipt.
	again, err := intake.Submit(app, req("192.0.2.10"))
	if err != nil || !again.Replayed || again.PIN != first.PIN || again.ReceiptURL != first.ReceiptURL {
		t.Fatalf("retry by the sender: %+v %v", again, err)
	}
	// Another address: the tracking code, never the PIN or the receipt.
	other, err := intake.Submit(app, req("198.51.100.7"))
	if err != nil || !other.Replayed || other.TrackingCode != first.TrackingCode {
		t.Fatalf("replay from another client: %+v %v", other, err)
	}
	if other.PIN != "" || other.ReceiptURL != "" || other.ReceiptPath != "" {
		t.Fatalf("a replay from another client carries the receipt's secrets: %+v", other)
	}
	// Such replays spend the guest budget (docs/api.md: 10 per address,
	// then one a minute); the clock does not move, so the 10th of them
	// after the one above is refused.
	var last error
	for i := 0; i < 10; i++ {
		_, last = intake.Submit(app, req("198.51.100.7"))
	}
	if e, ok := last.(*intake.Error); !ok || e.Status != 429 {
		t.Fatalf("replays from another client are not rate-limited: %v", last)
	}
	// The sender's own retry is still answered (not behind its limit).
	if again, err := intake.Submit(app, req("192.0.2.10")); err != nil || again.PIN != first.PIN {
		t.Fatalf("sender's retry after others' replays: %+v %v", again, err)
	}
	if n, _ := app.CountRecords(model.Complaints); n != 1 {
		t.Fatalf("%d complaints for one client_ref", n)
	}
}

// Through the API: a kiosk replaying a web client's client_ref gets 201
// with the code and Idempotent-Replayed, and no pin or receipt_url field.
func TestClientRefReplayAPIWithoutSecrets(t *testing.T) {
	app := testkit.New(t)
	srv := serve(t, app)
	body := report(map[string]any{"client_ref": "f-fedcba9876543210"})
	first := post(t, srv, body, nil)
	creds, err := intake.AddKiosk(app, "Kios Lobi", "Lobi utama", "UMUM")
	if err != nil {
		t.Fatal(err)
	}
	r := post(t, srv, body, map[string]string{intake.KioskHeader: creds.Token})
	if first.status != 201 || r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" ||
		r.body["tracking_code"] != first.body["tracking_code"] {
		t.Fatalf("kiosk replay: %d %s", r.status, r.raw)
	}
	pin, _ := first.body["pin"].(string)
	receipt, _ := first.body["receipt_url"].(string)
	_, token, _ := strings.Cut(receipt, "token=")
	if pin == "" || token == "" {
		t.Fatalf("first answer: %s", first.raw)
	}
	for _, secret := range []string{`"pin"`, `"receipt_url"`, pin, token} {
		if strings.Contains(r.raw, secret) {
			t.Errorf("replay from another client carries %s: %s", secret, r.raw)
		}
	}
}

// A reporter's foreign number is stored in E.164 through the API (review
// item 9); an Indonesian one stays national.
func TestForeignPhoneStoredE164(t *testing.T) {
	app := testkit.New(t)
	srv := serve(t, app)
	for phone, want := range map[string]string{"+1 415 555 0100": "+14155550100", "+62 812-3456-7890": "081234567890"} {
		r := post(t, srv, report(map[string]any{"reporter_phone": phone, "title": "Lampu jalan mati " + want}), nil)
		if r.status != 201 {
			t.Fatalf("%s: %d %s", phone, r.status, r.raw)
		}
		rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", r.body["tracking_code"])
		if err != nil || rec.GetString("reporter_phone") != want {
			t.Errorf("%s stored as %q, want %q (%v)", phone, rec.GetString("reporter_phone"), want, err)
		}
	}
	if r := post(t, srv, report(map[string]any{"reporter_phone": "+0 415 555 0100"}), nil); r.status != 400 ||
		!strings.Contains(r.raw, "reporter_phone") {
		t.Fatalf("an impossible country code: %d %s", r.status, r.raw)
	}
}
