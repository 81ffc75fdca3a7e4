package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// The staff desk updates live (ui/static/live.js): it opens PocketBase's
// realtime stream (GET /api/realtime) and subscribes to the complaints
// collection; when intake saves a report (hooks/intake announces the
// record's creation, fast path included) the desk fetches its own page
// again and swaps in the fresh queue. PocketBase decides who hears of which
// complaint by the collection's list rule, the same privacy rule as its
// record API, and the desk asks only for the id and the tracking code.
//
// The desk's browser holds the staff session in an HttpOnly cookie, not a
// token its script could send, so the subscription request (POST
// /api/realtime, same origin only) is authenticated from that cookie when
// it carries no Authorization header of its own.

// realtimePath is PocketBase's realtime route.
const realtimePath = "/api/realtime"

// bindRealtimeSession authenticates a same-origin realtime subscription
// from the staff session cookie (after PocketBase's own token loading, so
// an Authorization header still wins).
func bindRealtimeSession(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       "simpulRealtimeStaffSession",
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if e.Auth == nil && e.Request.Method == http.MethodPost && e.Request.URL.Path == realtimePath &&
					crossOrigin.Check(e.Request) == nil && e.Request.Header.Get("Origin") != "" {
					if staff := StaffSession(app, e); staff != nil {
						e.Auth = staff
					}
				}
				return e.Next()
			},
		})
		return se.Next()
	})
}
