package ui

import (
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere:
// scripts and styles come only from /static, forms post only to this
// origin, and no other site may frame a page (clickjacking of the counter
// or a citizen's form).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders is page middleware that sets a strict
// Content-Security-Policy and the usual hardening headers. It is meant for
// every HTML page (bind it with Route.BindFunc); JSON routes do not need the
// CSP but are not harmed by it.
func SecurityHeaders(e *core.RequestEvent) error {
	h := e.Response.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // tracking codes in URLs must not leak to other sites
	h.Set("X-Frame-Options", "DENY")        // frame-ancestors for old browsers
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	return e.Next()
}

// SameOriginPost refuses a POST whose Origin (or, lacking it, Referer)
// names another site. Browsers send Origin on every cross-site form post,
// so this stops another site from posting into a page with a visitor's
// cookies, on top of the SameSite=Strict cookies and CSRF tokens. A request
// with neither header (curl, an old phone browser) is let through: it
// carries no ambient authority a CSRF attack could borrow.
func SameOriginPost(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost {
		return e.Next()
	}
	src := e.Request.Header.Get("Origin")
	if src == "" || src == "null" {
		src = e.Request.Header.Get("Referer")
	}
	if src != "" {
		u, err := url.Parse(src)
		if err != nil || u.Host != e.Request.Host {
			return e.ForbiddenError("Permintaan dari situs lain ditolak.", nil)
		}
	}
	return e.Next()
}
