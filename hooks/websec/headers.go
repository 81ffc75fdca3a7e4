package websec

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// ContentSecurityPolicy allows nothing inline and nothing from elsewhere:
// scripts and styles come only from /static, forms post only to this
// origin, and no other site may frame a page (clickjacking of the counter
// or a citizen's form).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SetPageHeaders sets the Content-Security-Policy and the hardening
// headers every page carries (ui.SecurityHeaders calls it too).
func SetPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // tracking codes in URLs must not leak to other sites
	h.Set("X-Frame-Options", "DENY")        // frame-ancestors for old browsers
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// OwnHeaders reports whether path gets the page headers by default: every
// path except PocketBase's REST API (/api/: JSON, and uploaded files, which
// PocketBase serves with its own sandboxing policy) and its dashboard (/_/,
// which has its own policy). Simpul's pages under /api/ (the receipt PDFs)
// bind ui.SecurityHeaders themselves.
func OwnHeaders(path string) bool {
	return !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/_/") && path != "/_"
}

// defaultPageHeaders is the router-wide middleware: handlers may still
// change a header (they run after it).
func defaultPageHeaders(e *core.RequestEvent) error {
	if OwnHeaders(e.Request.URL.Path) {
		SetPageHeaders(e.Response.Header())
	}
	return e.Next()
}
