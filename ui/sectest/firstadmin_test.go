package sectest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/settings"
	"simpul/ui"
	"simpul/ui/testkit"
)

var printedPassword = regexp.MustCompile(`Kata sandi \(password\): (\S+)`)

// The first admin without /_/ (README, the first hour): "simpul staff add"
// makes an active admin with a generated password that signs in at /staf
// and reaches the settings page; run again for the same e-mail it gives a
// new password (the old one stops working) and keeps the role; it refuses
// what would make a broken account.
func TestFirstAdminFromTheCommandLine(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	add := func(args ...string) (string, string) {
		out := string(runCommand(t, app, append([]string{"staff", "add"}, args...)...))
		m := printedPassword.FindStringSubmatch(out)
		if m == nil || len(m[1]) < 16 {
			t.Fatalf("no password printed:\n%s", out)
		}
		return out, m[1]
	}
	out, first := add("admin@kantor.go.id", "--name", "Ibu Admin")
	if !strings.Contains(out, "dibuat") || !strings.Contains(out, "admin@kantor.go.id") {
		t.Errorf("the command says:\n%s", out)
	}
	signIn := func(pass string) bool {
		b := newBrowser(t, srv.URL)
		r := b.login("/staf", "admin@kantor.go.id", pass)
		if r.status != http.StatusSeeOther || b.cookie(ui.SessionCookie) == "" {
			return false
		}
		if r := b.get("/staf/pengaturan"); r.status != http.StatusOK || !strings.Contains(r.body, "Ibu Admin") {
			t.Errorf("the new admin cannot open the settings page: %d", r.status)
		}
		return true
	}
	if !signIn(first) {
		t.Fatal("the account made on the command line cannot sign in at /staf")
	}

	_, second := add("admin@kantor.go.id")
	if second == first {
		t.Fatal("the same password twice")
	}
	if signIn(first) {
		t.Error("the old password still signs in")
	}
	if !signIn(second) {
		t.Error("the new password does not sign in")
	}
	if rec, _ := app.FindAuthRecordByEmail(model.Staff, "admin@kantor.go.id"); rec.GetString("role") != model.RoleAdmin || rec.GetString("name") != "Ibu Admin" {
		t.Errorf("a new password changed the account: role %q, name %q", rec.GetString("role"), rec.GetString("name"))
	}

	for _, c := range []struct{ email, name, role, unit string }{
		{"bukan-email", "Pak A", "", ""},
		{"baru@kantor.go.id", "", "", ""},                     // a new account without a name
		{"baru@kantor.go.id", "Pak A", "raja", ""},            // no such role
		{"baru@kantor.go.id", "Pak A", model.RoleHandler, ""}, // a handler without a unit
		{"baru@kantor.go.id", "Pak A", model.RoleHandler, "TIDAK-ADA"},
	} {
		if _, err := settings.AddStaff(app, c.email, c.name, c.role, c.unit); err == nil {
			t.Errorf("%+v was accepted", c)
		}
	}
	if _, err := app.FindAuthRecordByEmail(model.Staff, "baru@kantor.go.id"); err == nil {
		t.Error("a refused account was saved")
	}
}
