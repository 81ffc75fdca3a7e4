package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// The sign-in pages tell a deactivated staff member (right password) why
// they cannot come in, and tell nobody else anything about the account.
func TestDeactivatedStaffIsToldWhy(t *testing.T) {
	app := testkit.New(t)
	rec, _ := testkit.Staff(t, app, "mantan@simpul.test", model.RoleFrontdesk, "")
	rec.Set("active", false)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	for _, door := range []struct{ page, action string }{{"/staf", "/staf/masuk"}, {"/loket", "/loket/masuk"}} {
		c := newClient(t, srv)
		_, body := c.get(door.page)
		tok := c.csrf(body)
		res, body := c.post(door.action, url.Values{"csrf": {tok}, "email": {"mantan@simpul.test"}, "password": {"rahasia-123456"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Akun ini dinonaktifkan") {
			t.Errorf("%s, deactivated with the right password: %d, message missing", door.action, res.StatusCode)
		}
		res, body = c.post(door.action, url.Values{"csrf": {tok}, "email": {"mantan@simpul.test"}, "password": {"salah-sekali-123"}})
		if res.StatusCode != http.StatusUnauthorized || strings.Contains(body, "dinonaktifkan") ||
			!strings.Contains(body, "E-mail atau kata sandi salah") {
			t.Errorf("%s, wrong password: %d, says more than it should", door.action, res.StatusCode)
		}
	}
}
