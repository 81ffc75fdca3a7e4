// Package websec holds Simpul's cross-cutting web defences (docs/security.md):
//
//   - the password-login limit, one limiter for every door a password is
//     tried at: the staff pages (/loket/masuk, /staf/masuk, through
//     ui.StaffLogin) and PocketBase's own auth-with-password endpoints of
//     the staff and _superusers collections;
//   - the hardening headers and Content-Security-Policy of every page,
//     set by default on every route outside /api/ and PocketBase's
//     dashboard (/_/), so a page added later cannot forget them;
//   - tighter HTTP server timeouts than PocketBase's (a slow client is
//     dropped sooner);
//   - query values that may be personal data or secrets are redacted from
//     the URL and Referer PocketBase's request log records.
//
// Register is called from hooks.Register, so the real binary and every
// test app get the same defences.
package websec

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the login limit to the password endpoints and, when the
// app serves, the default page headers, the log redaction and the server
// timeouts.
func Register(app core.App) {
	bindLoginLimit(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		tightenServer(se.Server)
		se.Router.BindFunc(defaultPageHeaders)
		se.Router.Bind(redactLoggedURL())
		return se.Next()
	})
}
