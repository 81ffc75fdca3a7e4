package ui

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/intake"
	"simpul/hooks/websec"
)

// SecurityHeaders is page middleware that sets a strict
// Content-Security-Policy (websec.ContentSecurityPolicy: nothing inline,
// nothing from elsewhere, no framing) and the usual hardening headers. It
// is meant for every HTML page (bind it with Route.BindFunc); JSON routes
// do not need the CSP but are not harmed by it. websec also sets the same
// headers by default on every route outside /api/ and /_/, so a page that
// forgets this middleware still gets them.
func SecurityHeaders(e *core.RequestEvent) error {
	websec.SetPageHeaders(e.Response.Header())
	return e.Next()
}

// loginLocked answers a staff login refused by the login limit: 429 with
// Retry-After and the same page for every account, existing or not.
func (p *renderer) loginLocked(e *core.RequestEvent, wait time.Duration, back string) error {
	e.Response.Header().Set("Retry-After", websec.RetryAfter(wait))
	return p.render(e, http.StatusTooManyRequests, "notfound.html", notFoundPage{
		Title: "login.locked.title", Body: "login.locked.body", Links: []link{{back, "login.locked.back"}},
	})
}

// trackLimited answers a lookup refused by the unknown-code budget
// (websec.CodeLookups): 429 with Retry-After.
func (p *renderer) trackLimited(e *core.RequestEvent, err error) (error, bool) {
	var ie *intake.Error
	if !errors.As(err, &ie) || ie.Status != http.StatusTooManyRequests {
		return nil, false
	}
	e.Response.Header().Set("Retry-After", websec.RetryAfter(ie.RetryAfter))
	return p.render(e, http.StatusTooManyRequests, "notfound.html", notFoundPage{
		Title: "track.limited.title", Body: "track.limited.body", Links: []link{{"/lacak", "nav.track"}},
	}), true
}

// SameOriginPost refuses a POST from another site: Go's
// http.CrossOriginProtection (Sec-Fetch-Site, then Origin against Host),
// and for old phone browsers that send neither, the Referer. This stops
// another site from posting into a page with a visitor's cookies, on top
// of the SameSite=Strict cookies and CSRF tokens. A request with none of
// these headers (curl) is let through: it carries no ambient authority a
// CSRF attack could borrow.
func SameOriginPost(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost {
		return e.Next()
	}
	if err := crossOrigin.Check(e.Request); err != nil {
		return e.ForbiddenError("Permintaan dari situs lain ditolak.", nil)
	}
	if o := e.Request.Header.Get("Origin"); o == "" || o == "null" {
		if ref := e.Request.Header.Get("Referer"); ref != "" {
			u, err := url.Parse(ref)
			if err != nil || u.Host != e.Request.Host {
				return e.ForbiddenError("Permintaan dari situs lain ditolak.", nil)
			}
		}
	}
	return e.Next()
}

var crossOrigin = http.NewCrossOriginProtection()
