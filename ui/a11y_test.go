package ui_test

import (
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// WCAG 2.2 AA on the pages a citizen, a kiosk user and a clerk use (issue
// 13, item 9), checked by axe-core at each page's real size: the citizen
// form and the form with its errors on a 360 px phone, the kiosk on its
// portrait screen, the counter at 1366 × 768.
func TestBrowserAccessibility(t *testing.T) {
	app := testkit.New(t)
	addKiosk(t, app, true)
	testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	srv := testkit.Serve(t, app)
	check := func(b *testkit.Browser, page string) {
		t.Helper()
		for _, v := range b.Axe() {
			t.Errorf("%s: %s", page, v)
		}
	}

	phone := testkit.NewBrowser(t, srv.URL)
	phone.Resize(testkit.Phone)
	for _, path := range []string{"/", "/lapor", "/lacak"} {
		phone.Go(path)
		check(phone, path)
	}
	phone.Go("/lapor")
	phone.Click(`button[type="submit"]`)
	phone.WaitVisible("#form-errors")
	check(phone, "/lapor with errors")

	// The checker itself: an input without a label and grey-on-white text
	// are found (else a silent checker would pass every page).
	var n int
	phone.Eval(`document.getElementById("main").insertAdjacentHTML("beforeend",
	  '<input id="a11y-probe"><p id="a11y-grey">abu-abu</p>');
	  document.getElementById("a11y-grey").style.color = "#bbb"; 1`, &n)
	found := map[string]bool{}
	for _, v := range phone.Axe() {
		found[v.ID] = true
	}
	if !found["label"] || !found["color-contrast"] {
		t.Errorf("axe-core did not find an unlabelled input and grey text: %v", found)
	}

	kiosk := testkit.NewBrowser(t, srv.URL)
	kiosk.Resize(testkit.Kiosk)
	browserLogin(kiosk, "admin@simpul.test")
	kiosk.Go("/kiosk/setup")
	check(kiosk, "/kiosk/setup")
	kiosk.Fill("#token", kioskToken)
	kiosk.Click("#save")
	kiosk.WaitVisible("#start")
	check(kiosk, "/kiosk (start)")
	kiosk.Click("#start")
	kiosk.WaitText("#guide", "1/4")
	check(kiosk, "/kiosk (step 1)")

	counter := testkit.NewBrowser(t, srv.URL)
	counter.Resize(testkit.Counter)
	browserLogin(counter, "loket@simpul.test")
	check(counter, "/loket")
}
