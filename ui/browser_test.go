package ui_test

import (
	"strings"
	"testing"
	"time"

	"simpul/hooks/model"
	"simpul/hooks/testapp"
	"simpul/ui/browsertest"
)

// browserLogin signs in at /loket in the browser.
func browserLogin(b *browsertest.Browser, email string) {
	b.Go("/loket")
	b.Fill("#email", email)
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#logout")
}

func TestBrowserKioskIdleReset(t *testing.T) {
	app := testapp.New(t)
	addKiosk(t, app, true)
	testapp.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := browsertest.Serve(t, app)
	b := browsertest.New(t, srv.URL)

	// Register this browser as the kiosk, the way docs/kiosk.md says.
	browserLogin(b, "admin@simpul.test")
	b.Go("/kiosk/setup")
	b.Fill("#token", kioskToken)
	b.Fill("#idle", "3")
	b.Click("#save")
	b.WaitVisible("#start")

	// With JavaScript the form is hidden behind the start screen and shown
	// one step at a time.
	var formHidden bool
	b.Eval(`document.getElementById("complaint-form").hidden`, &formHidden)
	if !formHidden {
		t.Fatal("the kiosk form must start hidden behind the welcome screen")
	}
	b.Click("#start")
	b.WaitText("#guide", "1/4")
	b.Click(`fieldset[data-step="1"] .next`)
	b.Click(`fieldset[data-step="2"] .next`)
	b.WaitText("#guide", "3/4")
	b.Fill("#title", "Antrean panjang sekali")
	b.Fill("#body", "Rahasia yang tidak boleh tertinggal di layar")
	if got := b.Value("#title"); got != "Antrean panjang sekali" {
		t.Fatalf("typed title not in the field: %q", got)
	}

	// No touch for 3 s: everything typed is gone and the start screen is back.
	time.Sleep(4 * time.Second)
	b.WaitVisible("#start")
	if got := b.Value("#title"); got != "" {
		t.Fatalf("title survived the idle reset: %q", got)
	}
	if got := b.Value("#body"); got != "" {
		t.Fatalf("body survived the idle reset: %q", got)
	}
	if strings.Contains(b.Text("body"), "Rahasia yang tidak boleh") {
		t.Fatal("typed text still on the screen")
	}
}
