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

	"simpul/hooks/intake"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/routes"
)

//go:embed templates static
var files embed.FS

// Register adds the pages to app's route table (hooks/platform/routes).
// Every page is in one group that binds SecurityHeaders and SameOriginPost
// once; a new page is one more line below (and a line in docs/api.md).
func Register(app core.App, cfg config.Config) {
	p := newRenderer(app, cfg)
	bindRealtimeSession(app)
	static, _ := fs.Sub(files, "static")
	const (
		get, post = http.MethodGet, http.MethodPost
		anyone    = routes.Anyone
		staff     = routes.Staff
		// staffDesk pages show their sign-in form to anyone else.
		staffDesk = "staff (anyone else gets the sign-in form)"
		kiosk     = "a kiosk set up by an admin (its cookie)"
		coord     = routes.Coordinator
		admin     = routes.Admin
	)
	routes.Add(app,
		routes.Group{Routes: []routes.Route{
			{Method: get, Path: "/static/{path...}", Who: anyone, Handler: apis.Static(static, false),
				Middlewares: routes.Funcs(cacheStatic)},
			{Method: get, Path: "/favicon.ico", Who: anyone, Handler: serveFavicon},
		}},
		routes.Group{Middlewares: routes.Funcs(SecurityHeaders, SameOriginPost), Routes: []routes.Route{
			{Method: get, Path: "/{$}", Who: anyone, Handler: p.start},
			// The citizen form and the QR landing.
			{Method: get, Path: "/lapor", Who: anyone, Handler: p.laporForm},
			{Method: post, Path: "/lapor", Who: anyone, Handler: p.laporSubmit},
			{Method: get, Path: "/q/{slug}", Who: anyone, Handler: p.qrForm},
			{Method: post, Path: "/q/{slug}", Who: anyone, Handler: p.qrSubmit},
			// Tracking.
			{Method: get, Path: "/lacak", Who: anyone, Handler: p.trackForm},
			{Method: get, Path: "/lacak/{code}", Who: anyone, Handler: p.trackView},
			{Method: post, Path: "/lacak/{code}", Who: routes.Reporter, Handler: p.trackReply},
			// Receipts.
			{Method: get, Path: intake.ReceiptRoute, Who: routes.Receipt, Handler: p.receiptPDF},
			// The counter.
			{Method: get, Path: "/loket", Who: staffDesk, Handler: p.counterHome},
			{Method: post, Path: "/loket", Who: staff, Handler: p.counterSubmit},
			{Method: post, Path: "/loket/masuk", Who: anyone, Handler: p.counterLogin},
			{Method: post, Path: "/loket/keluar", Who: staff, Handler: p.counterLogout},
			{Method: get, Path: "/loket/cari", Who: staff, Handler: p.counterLookup},
			{Method: get, Path: "/loket/struk/{code}", Who: staff, Handler: p.counterReprint},
			{Method: post, Path: "/loket/cetak/{code}", Who: "staff: front desk, coordinators and admins", Handler: p.counterPrint},
			{Method: get, Path: "/loket/pin-baru", Who: staff, Handler: p.counterPINForm},
			{Method: post, Path: "/loket/pin-baru", Who: "front desk, coordinators and admins, after checking the reporter's KTP", Handler: p.counterPINReissue},
			// The kiosk.
			{Method: get, Path: "/kiosk", Who: kiosk, Handler: p.kioskHome},
			{Method: post, Path: "/kiosk", Who: kiosk, Handler: p.kioskSubmit},
			{Method: get, Path: "/kiosk/setup", Who: admin, Handler: p.kioskSetup},
			{Method: post, Path: "/kiosk/setup", Who: admin, Handler: p.kioskSetupSave},
			// Public reports.
			{Method: get, Path: PublicReportsPath, Who: anyone, Handler: p.publicReports},
			// The staff desk.
			{Method: get, Path: "/staf", Who: staffDesk, Handler: p.staffDesk},
			{Method: post, Path: "/staf/masuk", Who: anyone, Handler: p.staffLogin},
			{Method: post, Path: "/staf/keluar", Who: staff, Handler: p.staffLogout},
			{Method: get, Path: "/staf/pengawasan", Who: routes.Overseer, Handler: p.staffOversight},
			{Method: get, Path: "/staf/laporan/{code}", Who: staff, Handler: p.staffComplaint},
			{Method: post, Path: "/staf/laporan/{code}", Who: staff, Handler: p.staffAction},
			{Method: get, Path: "/staf/laporan/{code}/ringkasan", Who: staff, Handler: p.staffSummaryPDF},
			{Method: get, Path: "/staf/laporan/{code}/lampiran/{name}", Who: staff, Handler: p.staffAttachment},
			{Method: get, Path: "/staf/qr", Who: coord, Handler: p.qrPointsPage},
			{Method: post, Path: "/staf/qr", Who: coord, Handler: p.qrPointCreate},
			{Method: get, Path: "/staf/qr/{slug}/poster", Who: coord, Handler: p.qrPosterPDF},
			{Method: get, Path: "/staf/statistik", Who: staff, Handler: p.statsPage},
			{Method: get, Path: "/staf/statistik/bulanan.pdf", Who: staff, Handler: p.statsPDF},
			{Method: get, Path: ExportPath, Who: staff, Handler: p.exportPage},
			{Method: get, Path: ExportDownloadPath, Who: staff, Handler: p.exportDownload},
			{Method: get, Path: "/staf/sinkron", Who: coord, Handler: p.syncPage},
			// A pass: admins; resending or linking a held LAPOR! report:
			// coordinators too (syncNow checks).
			{Method: post, Path: "/staf/sinkron", Who: coord, Handler: p.syncNow},
			{Method: get, Path: "/staf/pengaturan", Who: admin, Handler: p.settingsPage},
			{Method: post, Path: "/staf/pengaturan", Who: admin, Handler: p.settingsSave},
		}},
	)
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
