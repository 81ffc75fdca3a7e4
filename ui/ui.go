// Package ui serves the pages people use: the start page, the citizen form,
// the QR landing, the kiosk, the counter, tracking and the staff desk. Pages
// are server-rendered html/template with a small embedded stylesheet, so
// they work without JavaScript on a cheap phone over a slow link and need
// no build step.
package ui

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/platform/config"
)

//go:embed templates static
var files embed.FS

// Register binds the pages to app's router.
func Register(app core.App, cfg config.Config) {
	pages := newRenderer(app, cfg)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		static, _ := fs.Sub(files, "static")
		se.Router.GET("/static/{path...}", apis.Static(static, false)).BindFunc(cacheStatic)
		se.Router.GET("/{$}", pages.start)
		se.Router.GET("/favicon.ico", serveFavicon)
		bindPublicPages(se, pages)
		bindStaffPages(se, pages)
		bindSyncPages(se, pages)
		bindReportPages(se, pages)
		bindReceiptPages(se, pages)
		bindStatsPages(se, pages)
		return se.Next()
	})
}

// cacheStatic lets phones keep the stylesheet for a day: it changes only
// with a new binary.
func cacheStatic(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "public, max-age=86400")
	return e.Next()
}

func (p *renderer) start(e *core.RequestEvent) error {
	return p.render(e, http.StatusOK, "start.html", nil)
}
