package ui

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/token"
	"simpul/hooks/websec"
)

// Staff sessions for server-rendered pages (/loket, /staf).
//
// A staff member logs in with e-mail and password against the staff auth
// collection; the session cookie holds the PocketBase auth token itself, so
// the session lasts as long as the token (the staff collection's auth token
// duration), ends when the password changes (the token key rotates), and
// needs no server-side session table. The cookie is HttpOnly (no script can
// read it) and SameSite=Strict (no other site's link or form carries it).
//
// Every POST form also carries a CSRF token (double-submit): a random value
// in its own SameSite=Strict, HttpOnly cookie, repeated in a hidden form
// field named CSRFField; CheckCSRF compares the two in constant time.
//
// Example (a page handler):
//
//	staff := ui.StaffSession(app, e)
//	if staff == nil { return e.Redirect(http.StatusSeeOther, "/loket/masuk") }
//	if e.Request.Method == http.MethodPost && !ui.CheckCSRF(e) { return e.ForbiddenError("…", nil) }
//	data := map[string]any{"CSRF": ui.CSRFToken(e)} // <input type="hidden" name="csrf" value="{{.Data.CSRF}}">

const (
	// SessionCookie holds a staff member's auth token.
	SessionCookie = "simpul_staff"
	// CSRFCookie holds the double-submit CSRF token.
	CSRFCookie = "simpul_csrf"
	// CSRFField is the hidden form field that repeats the CSRF cookie.
	CSRFField = "csrf"
)

// secureRequest tells whether the browser reached us over HTTPS (directly
// or through a proxy), so cookies get the Secure flag only when they can
// still be sent back: many offices run Simpul over plain HTTP on the LAN.
func secureRequest(e *core.RequestEvent) bool {
	return e.Request.TLS != nil || strings.EqualFold(e.Request.Header.Get("X-Forwarded-Proto"), "https")
}

func setCookie(e *core.RequestEvent, name, value string, maxAge int) {
	http.SetCookie(e.Response, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureRequest(e)})
}

// StaffLogin checks email and password against the staff collection and,
// when they match an active staff member, starts a session. It returns nil
// for any failure, without saying which part was wrong.
//
// Password guessing is limited by websec's login limiter, the same one
// that guards PocketBase's auth-with-password endpoint: while the account
// or the client's address is locked, StaffLogin refuses without checking
// the password and LoginLocked tells the handler (which answers 429).
func StaffLogin(app core.App, e *core.RequestEvent, email, password string) *core.Record {
	// The attempt takes its slot before the password is checked, so that
	// N attempts sent at once never get more than the limit checked.
	login, wait := websec.Guard(app).Reserve(model.Staff, email, e.RealIP())
	if login == nil {
		e.Set(loginLockedKey, wait)
		return nil
	}
	rec, err := app.FindAuthRecordByEmail(model.Staff, strings.TrimSpace(email))
	if err != nil {
		dummyPasswordCheck(app) // an unknown e-mail takes as long as a known one
	}
	if err != nil || !rec.ValidatePassword(password) {
		login.Failed()
		return nil
	}
	if !rec.GetBool("active") {
		// The password was right: say why, instead of "wrong password".
		login.Failed()
		e.Set(loginInactiveKey, true)
		return nil
	}
	login.Succeeded()
	// A static token: the staff collection's duration (12 h), and not
	// refreshable, so the session cannot be stretched through the API's
	// auth-refresh.
	tok, err := rec.NewStaticAuthToken(0)
	if err != nil {
		app.Logger().Error("ui: auth token failed", "error", err.Error())
		return nil
	}
	setCookie(e, SessionCookie, tok, 0) // a browser-session cookie; the token expires on its own too
	return rec
}

const (
	loginLockedKey   = "simpulLoginLocked"
	loginInactiveKey = "simpulLoginInactive"
)

// LoginInactive reports whether StaffLogin refused a correct password
// because the account is deactivated.
func LoginInactive(e *core.RequestEvent) bool {
	v, _ := e.Get(loginInactiveKey).(bool)
	return v
}

// loginError is the i18n key of a refused login's message.
func loginError(e *core.RequestEvent) string {
	if LoginInactive(e) {
		return "login.inactive"
	}
	return ""
}

// LoginLocked reports whether StaffLogin refused this request because of
// the login limit, and how long until a login may be tried again.
func LoginLocked(e *core.RequestEvent) (time.Duration, bool) {
	wait, ok := e.Get(loginLockedKey).(time.Duration)
	return wait, ok && wait > 0
}

// dummyPasswordCheck compares a password with some staff member's hash,
// as PocketBase's own endpoint does for an unknown identity.
func dummyPasswordCheck(app core.App) {
	if rec, err := app.FindFirstRecordByFilter(model.Staff, "id != ''"); err == nil {
		rec.ValidatePassword("")
	}
}

// StaffSession returns the active staff member whose auth token is in the
// session cookie, or nil.
func StaffSession(app core.App, e *core.RequestEvent) *core.Record {
	c, err := e.Request.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	rec, err := app.FindAuthRecordByToken(c.Value, core.TokenTypeAuth)
	if err != nil || rec.Collection().Name != model.Staff || !rec.GetBool("active") {
		return nil
	}
	return rec
}

// EndStaffSession removes the session and CSRF cookies.
func EndStaffSession(e *core.RequestEvent) {
	setCookie(e, SessionCookie, "", -1)
	setCookie(e, CSRFCookie, "", -1)
}

// CSRFToken returns the request's CSRF token, issuing the cookie when the
// browser has none yet. Put it in every POST form as the CSRFField input.
func CSRFToken(e *core.RequestEvent) string {
	if c, err := e.Request.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := token.New()
	setCookie(e, CSRFCookie, tok, 0)
	// Later calls in the same request must see the same value.
	e.Request.AddCookie(&http.Cookie{Name: CSRFCookie, Value: tok})
	return tok
}

// CheckCSRF reports whether the posted CSRFField equals the CSRF cookie.
// Call it after the form has been parsed (FormValue parses it).
func CheckCSRF(e *core.RequestEvent) bool {
	c, err := e.Request.Cookie(CSRFCookie)
	if err != nil || len(c.Value) < 32 {
		return false
	}
	got := e.Request.FormValue(CSRFField)
	return subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}
