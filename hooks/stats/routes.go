package stats

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/routes"
)

// Register binds GET /api/stats and GET /api/stats/monthly.pdf.
func Register(app core.App) {
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodGet, Path: "/api/stats", Who: routes.Staff,
			Handler: func(e *core.RequestEvent) error { return statsJSON(app, e) }},
		{Method: http.MethodGet, Path: "/api/stats/monthly.pdf", Who: routes.Staff,
			Handler: func(e *core.RequestEvent) error { return monthlyPDF(app, e) }},
	}})
}

// fieldErr is one entry of a PocketBase-style error's data.
type fieldErr struct{ code, msg string }

func (f fieldErr) Code() string  { return f.code }
func (f fieldErr) Error() string { return f.msg }

// APIError turns a *QueryError into PocketBase's error shape
// ({"status","message","data":{field:{code,message}}}); other errors pass.
func APIError(err error) error {
	var qe *QueryError
	if !errors.As(err, &qe) {
		return err
	}
	msg := qe.ID + " — " + qe.EN
	var data map[string]router.SafeErrorItem
	if qe.Field != "" {
		data = map[string]router.SafeErrorItem{qe.Field: fieldErr{qe.Code, msg}}
	}
	return router.NewApiError(qe.Status, msg, data)
}

// viewerOf returns the staff member behind the request's auth token: 401
// without one, 403 for an inactive or non-staff record. Superusers count
// as admins.
func viewerOf(e *core.RequestEvent) (Viewer, error) {
	if e.Auth == nil {
		return Viewer{}, e.UnauthorizedError("Silakan masuk sebagai petugas. — Staff sign-in required.", nil)
	}
	if e.Auth.IsSuperuser() {
		return Viewer{Role: model.RoleAdmin}, nil
	}
	if e.Auth.Collection().Name != model.Staff || !e.Auth.GetBool("active") {
		return Viewer{}, e.ForbiddenError("Hanya petugas aktif. — Active staff only.", nil)
	}
	return StaffViewer(e.Auth), nil
}

// StaffViewer describes a staff record as a Viewer.
func StaffViewer(staff *core.Record) Viewer {
	return Viewer{Role: staff.GetString("role"), UnitID: staff.GetString("unit")}
}

// statsJSON is GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&unit=CODE.
func statsJSON(app core.App, e *core.RequestEvent) error {
	v, err := viewerOf(e)
	if err != nil {
		return err
	}
	now := clock.Now(app)
	q, err := ParseQuery(app, v, e.Request.URL.Query(), now)
	if err != nil {
		return APIError(err)
	}
	rep, err := Compute(app, q, now)
	if err != nil {
		app.Logger().Error("stats: compute failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, rep)
}

// monthlyPDF is GET /api/stats/monthly.pdf?month=YYYY-MM&unit=CODE, for
// coordinators and admins: the one-page monthly report (?lang=en for
// English).
func monthlyPDF(app core.App, e *core.RequestEvent) error {
	v, err := viewerOf(e)
	if err != nil {
		return err
	}
	if !v.MayPrint() {
		return e.ForbiddenError("Hanya koordinator dan admin. — Coordinators and admins only.", nil)
	}
	now := clock.Now(app)
	month, err := ParseMonth(app, e.Request.URL.Query().Get("month"), now)
	if err != nil {
		return APIError(err)
	}
	unitID, err := UnitScope(app, v, e.Request.URL.Query().Get("unit"))
	if err != nil {
		return APIError(err)
	}
	lang := "id"
	if e.Request.URL.Query().Get("lang") == "en" {
		lang = "en"
	}
	b, err := MonthlyPDF(app, month, unitID, now, lang)
	if err != nil {
		app.Logger().Error("stats: monthly pdf failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `inline; filename="`+PDFFilename(lang, month)+`"`)
	return e.Blob(http.StatusOK, "application/pdf", b)
}
