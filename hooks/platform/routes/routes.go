// Package routes is Simpul's one list of HTTP routes: the server binds it
// and `simpul routes` prints it, so what the binary serves and what it says
// it serves cannot drift apart.
//
// # Adding a route
//
// In the package that serves it, put a [Route] in the [Group] that package
// adds from its Register function (never from OnServe):
//
//	routes.Add(app, routes.Group{
//		Middlewares: routes.Funcs(ui.SecurityHeaders), // bound once, for every route below
//		Routes: []routes.Route{
//			{Method: http.MethodGet, Path: "/lacak/{code}", Who: routes.Anyone, Handler: p.trackView},
//		},
//	})
//
// Who says in words who may call the route (the handler or a middleware
// enforces it): use the constants below where one fits. Then document the
// route in docs/api.md: a line or heading that holds `METHOD /path` in
// backticks. TestAPIDocCoversEveryRoute (ui/sectest) fails until you do,
// and TestEveryRouteIsInTheTable fails for a route bound on the router
// directly instead of through this package.
package routes

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
)

// Who may call a route, in the words `simpul routes` prints.
const (
	Anyone      = "anyone"
	Receipt     = "anyone with the receipt token"
	Reporter    = "the reporter (receipt PIN)"
	Kiosk       = "a registered kiosk (X-Kiosk-Token), or anyone"
	Staff       = "staff (any role)"
	Coordinator = "staff: coordinator or admin"
	Overseer    = "staff: coordinator, admin or supervisor"
	Admin       = "staff: admin (or a superuser)"
	Metrics     = "admin, superuser or the server itself (loopback)"
	Node        = "a registered child node (signed request)"
	Open311Key  = "anyone; POST with an Open311 API key"
	PocketBase  = "PocketBase's own rules (docs/security.md)"
)

// IsAdmin is the check behind [Admin]: auth is a superuser, or an active
// staff account with the admin role. A nil auth (no one signed in) is not.
func IsAdmin(auth *core.Record) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	return auth.Collection().Name == model.Staff && auth.GetBool("active") && auth.GetString("role") == model.RoleAdmin
}

// Route is one method and path and its handler.
type Route struct {
	Method  string // http.MethodGet, http.MethodPost, …
	Path    string // a net/http pattern path: "/api/track/{code}"
	Who     string // who may call it (see the constants)
	Handler func(*core.RequestEvent) error
	// Middlewares run for this route only, after its group's.
	Middlewares []*hook.Handler[*core.RequestEvent]
}

// Group is routes that share middleware, bound once for all of them.
type Group struct {
	Middlewares []*hook.Handler[*core.RequestEvent]
	Routes      []Route
}

// Funcs wraps plain middleware functions as handlers for a Group or Route.
func Funcs(fs ...func(*core.RequestEvent) error) []*hook.Handler[*core.RequestEvent] {
	out := make([]*hook.Handler[*core.RequestEvent], len(fs))
	for i, f := range fs {
		out[i] = &hook.Handler[*core.RequestEvent]{Func: f}
	}
	return out
}

// table is an app's list of groups.
type table struct {
	mu     sync.Mutex
	groups []Group
}

const storeKey = "simpul.routes"

func tableOf(app core.App) *table {
	return app.Store().GetOrSet(storeKey, func() any {
		t := &table{}
		app.OnServe().BindFunc(func(se *core.ServeEvent) error {
			t.bind(se.Router)
			return se.Next()
		})
		return t
	}).(*table)
}

// Add appends groups to app's table. Call it from a Register function,
// before the app serves: the table is bound when it does.
func Add(app core.App, groups ...Group) {
	t := tableOf(app)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.groups = append(t.groups, groups...)
}

func (t *table) bind(r *router.Router[*core.RequestEvent]) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, g := range t.groups {
		rg := r.Group("")
		rg.Bind(g.Middlewares...)
		for _, x := range g.Routes {
			rg.Route(x.Method, x.Path, x.Handler).Bind(x.Middlewares...)
		}
	}
}

// List returns every route in app's table, in the order they were added.
func List(app core.App) []Route {
	t := tableOf(app)
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Route
	for _, g := range t.groups {
		out = append(out, g.Routes...)
	}
	return out
}

// DashboardPath is PocketBase's admin dashboard (superusers only).
const DashboardPath = "/_/{path...}"

// Line is one route as `simpul routes` prints it.
type Line struct{ Method, Path, Who string }

// Lines is every route the binary serves: Simpul's table, then
// PocketBase's own API (read from the router PocketBase builds), sorted by
// path within each.
func Lines(app core.App) ([]Line, error) {
	var own []Line
	for _, r := range List(app) {
		own = append(own, Line{r.Method, r.Path, r.Who})
	}
	pb, err := apis.NewRouter(app)
	if err != nil {
		return nil, fmt.Errorf("routes: %w", err)
	}
	builtin, err := Walk(pb)
	if err != nil {
		return nil, err
	}
	// The dashboard is bound by PocketBase's serve command, not its router.
	builtin = append(builtin, Line{Method: "GET", Path: DashboardPath})
	for i := range builtin {
		builtin[i].Who = PocketBase
	}
	sortLines(own)
	sortLines(builtin)
	return append(own, builtin...), nil
}

func sortLines(ls []Line) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Path != ls[j].Path {
			return ls[i].Path < ls[j].Path
		}
		return ls[i].Method < ls[j].Method
	})
}

// Print writes lines one a line: METHOD, /path, then who may call it.
func Print(w io.Writer, lines []Line) error {
	for _, l := range lines {
		m := l.Method
		if m == "" {
			m = "ANY"
		}
		if _, err := fmt.Fprintf(w, "%-7s %-52s %s\n", m, l.Path, l.Who); err != nil {
			return err
		}
	}
	return nil
}

// Walk lists every route bound on r (Who left empty). PocketBase's router
// keeps its tree in unexported fields, so they are read with reflection,
// read only; if an upgrade renames them Walk returns an error instead of
// listing nothing.
func Walk(r *router.Router[*core.RequestEvent]) ([]Line, error) {
	var out []Line
	var walk func(g reflect.Value, prefix string) error
	walk = func(g reflect.Value, prefix string) error {
		g = g.Elem()
		prefix += g.FieldByName("Prefix").String()
		children := g.FieldByName("children")
		if !children.IsValid() {
			return fmt.Errorf("routes: PocketBase's RouterGroup has no children field any more: update Walk")
		}
		for i := range children.Len() {
			c := children.Index(i).Elem() // the interface's pointer
			if strings.HasPrefix(c.Type().Elem().Name(), "RouterGroup") {
				if err := walk(c, prefix); err != nil {
					return err
				}
				continue
			}
			x := c.Elem()
			out = append(out, Line{Method: x.FieldByName("Method").String(), Path: prefix + x.FieldByName("Path").String()})
		}
		return nil
	}
	if err := walk(reflect.ValueOf(r).Elem().FieldByName("RouterGroup"), ""); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("routes: found no route on the router: Walk is broken")
	}
	return out, nil
}
