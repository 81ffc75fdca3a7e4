package sectest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"simpul/hooks/domain/model"
	"simpul/migrations"
	"simpul/ui"
	"simpul/ui/testkit"
)

// expiresIn reads a token's exp claim as a duration from now.
func expiresIn(t *testing.T, token string) time.Duration {
	t.Helper()
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		t.Fatalf("token %q: %v", token, err)
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		t.Fatalf("token without exp: %v", claims)
	}
	return time.Until(exp.Time)
}

func near(got, want time.Duration) bool { return got > want-time.Minute && got <= want+time.Second }

// withSession returns a browser whose session cookie is token.
func withSession(t *testing.T, base, token string) *browser {
	b := newBrowser(t, base)
	u, _ := url.Parse(base)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: ui.SessionCookie, Value: token, Path: "/"}})
	return b
}

// inDesk reports whether /staf shows the desk (not the login form).
func inDesk(b *browser) bool {
	r := b.get("/staf")
	return r.status == http.StatusOK && !strings.Contains(r.body, `action="/staf/masuk"`)
}

// A staff session lasts 12 hours, a superuser's 8; an expired token opens
// neither /staf nor the staff API; a password change or deactivation ends
// a session at once.
func TestSessionLifetime(t *testing.T) {
	app := testkit.New(t)
	staff, _ := testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.SuperuserToken(t, app)
	srv := testkit.Serve(t, app)
	staffTTL := time.Duration(migrations.StaffTokenSeconds) * time.Second
	suTTL := time.Duration(migrations.SuperuserTokenSeconds) * time.Second

	// The cookie of a page login carries a 12-hour token.
	b := newBrowser(t, srv.URL)
	if r := b.login("/staf", "koordinator@simpul.test", password); r.status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.status)
	}
	cookie := b.cookie(ui.SessionCookie)
	if got := expiresIn(t, cookie); !near(got, staffTTL) {
		t.Errorf("page session expires in %v, want %v", got, staffTTL)
	}
	// and cannot be stretched through the API's auth-refresh (PocketBase
	// answers a non-refreshable token with the same token).
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/collections/staff/auth-refresh", nil)
	req.Header.Set("Authorization", cookie)
	var refreshed struct{ Token string }
	if r := newBrowser(t, srv.URL).do(req); json.Unmarshal([]byte(r.body), &refreshed) != nil || refreshed.Token != cookie {
		t.Errorf("auth-refresh with the session cookie's token gave a new token: %d %.200s", r.status, r.body)
	}
	// So does an API login; a superuser's lasts 8 hours.
	for _, x := range []struct {
		collection, email string
		want              time.Duration
	}{{model.Staff, "koordinator@simpul.test", staffTTL}, {core.CollectionNameSuperusers, "root@simpul.test", suTTL}} {
		r := apiLogin(b, x.collection, x.email, password)
		var out struct{ Token string }
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &out) != nil {
			t.Fatalf("%s API login: %d %s", x.collection, r.status, r.body)
		}
		if got := expiresIn(t, out.Token); !near(got, x.want) {
			t.Errorf("%s token expires in %v, want %v", x.collection, got, x.want)
		}
	}

	// A token signed with the right key but past its exp opens nothing.
	expired, err := security.NewJWT(map[string]any{
		core.TokenClaimType: core.TokenTypeAuth, core.TokenClaimId: staff.Id,
		core.TokenClaimCollectionId: staff.Collection().Id, core.TokenClaimRefreshable: true,
	}, staff.TokenKey()+staff.Collection().AuthToken.Secret, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	valid, _ := staff.NewAuthToken()
	if !inDesk(withSession(t, srv.URL, valid)) {
		t.Fatal("a valid token does not open /staf (the check below would prove nothing)")
	}
	if inDesk(withSession(t, srv.URL, expired)) {
		t.Error("an expired token opens /staf")
	}
	api := func(token string) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/staff/complaints", nil)
		req.Header.Set("Authorization", token)
		return newBrowser(t, srv.URL).do(req).status
	}
	if st := api(valid); st != http.StatusOK {
		t.Fatalf("staff API with a valid token: %d", st)
	}
	if st := api(expired); st != http.StatusUnauthorized {
		t.Errorf("staff API with an expired token: %d", st)
	}

	// Changing the password rotates the token key: the old session ends.
	staff.SetPassword("kata-sandi-baru-789")
	if err := app.Save(staff); err != nil {
		t.Fatal(err)
	}
	if inDesk(b) {
		t.Error("a session survived a password change")
	}
	// Deactivating a staff member ends a fresh session too.
	fresh, _ := staff.NewAuthToken()
	staff.Set("active", false)
	if err := app.Save(staff); err != nil {
		t.Fatal(err)
	}
	if inDesk(withSession(t, srv.URL, fresh)) {
		t.Error("a deactivated staff member's session still works")
	}
}

// The security migration changes only durations still at PocketBase's
// defaults, and down puts them back.
func TestSecurityMigrationKeepsOperatorChoices(t *testing.T) {
	var mig *core.Migration
	for _, m := range core.AppMigrations.Items() {
		if m.File == "1763807000_security.go" {
			mig = m
		}
	}
	if mig == nil {
		t.Fatal("migration 1763807000_security.go is not registered")
	}
	app := testkit.New(t)
	durations := func() (int64, int64) {
		s, _ := app.FindCollectionByNameOrId(model.Staff)
		su, _ := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
		return s.AuthToken.Duration, su.AuthToken.Duration
	}
	if s, su := durations(); s != migrations.StaffTokenSeconds || su != migrations.SuperuserTokenSeconds {
		t.Fatalf("after migrating: staff %d superusers %d", s, su)
	}
	if err := mig.Down(app); err != nil {
		t.Fatal(err)
	}
	if s, su := durations(); s != 432000 || su != 86400 {
		t.Fatalf("after down: staff %d superusers %d, want PocketBase's 432000 and 86400", s, su)
	}
	// An operator's own choice survives up and down.
	c, _ := app.FindCollectionByNameOrId(model.Staff)
	c.AuthToken.Duration = 3600
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func(core.App) error{mig.Up, mig.Up, mig.Down} {
		if err := step(app); err != nil {
			t.Fatal(err)
		}
	}
	if s, _ := durations(); s != 3600 {
		t.Fatalf("the operator's 3600 s became %d", s)
	}
}

// Behind an HTTPS proxy (X-Forwarded-Proto: https) the session and CSRF
// cookies are Secure; over plain HTTP on an office LAN they cannot be.
func TestSessionCookieSecureBehindHTTPS(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	for _, https := range []bool{false, true} {
		b := newBrowser(t, srv.URL)
		if https {
			b.header.Set("X-Forwarded-Proto", "https")
		}
		r := b.post("/staf/masuk", url.Values{"csrf": {b.csrf("/staf")}, "email": {"koordinator@simpul.test"}, "password": {password}})
		var session string
		for _, c := range r.header.Values("Set-Cookie") {
			if strings.HasPrefix(c, ui.SessionCookie+"=") {
				session = c
			}
		}
		if session == "" || !strings.Contains(session, "HttpOnly") || !strings.Contains(session, "SameSite=Strict") ||
			strings.Contains(session, "Secure") != https {
			t.Errorf("https %v: session cookie %q", https, session)
		}
	}
}
