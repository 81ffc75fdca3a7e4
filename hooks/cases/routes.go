package cases

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/routes"
	"simpul/hooks/settings"
)

// maxJSONBody bounds the JSON bodies of the case routes.
const maxJSONBody = 64 << 10

func bindRoutes(app core.App, cfg config.Config) {
	h := &handlers{app: app, cfg: cfg, notifier: newNotifier(app, cfg)}
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodPost, Path: "/api/complaints/{code}/transitions", Who: routes.Staff, Handler: h.transition},
		{Method: http.MethodPost, Path: "/api/complaints/{code}/followups", Who: routes.Staff, Handler: h.followup},
		{Method: http.MethodPost, Path: "/api/complaints/{code}/edit", Who: routes.Staff, Handler: h.edit},
		{Method: http.MethodPost, Path: "/api/track/{code}/reply", Who: routes.Reporter, Handler: h.reply},
		{Method: http.MethodPost, Path: "/api/track/{code}/rating", Who: routes.Reporter, Handler: h.rate},
		{Method: http.MethodGet, Path: "/api/staff/complaints", Who: routes.Staff, Handler: h.staffList},
		{Method: http.MethodGet, Path: "/api/staff/complaints/{code}", Who: routes.Staff, Handler: h.staffView},
		{Method: http.MethodPost, Path: "/api/staff/complaints/{code}/identity", Who: "coordinators and admins, with a reason (logged)", Handler: h.revealIdentity},
		{Method: http.MethodGet, Path: "/api/staff/oversight", Who: routes.Overseer, Handler: h.oversight},
	}})
}

type handlers struct {
	app      core.App
	cfg      config.Config
	notifier *notifier
}

// fieldErr is one entry of a PocketBase-style error's data.
type fieldErr struct{ code, msg string }

func (f fieldErr) Code() string  { return f.code }
func (f fieldErr) Error() string { return f.msg }

// apiError turns a refused move into PocketBase's error shape: 403 for a
// role that may not, 400 for everything else.
func apiError(err error) error {
	var le *lifecycle.Error
	if !errors.As(err, &le) {
		return err
	}
	msg := le.ID + " — " + le.EN
	var data map[string]router.SafeErrorItem
	if le.Field != "" {
		data = map[string]router.SafeErrorItem{le.Field: fieldErr{le.Code, le.ID + " — " + le.EN}}
	}
	if errors.Is(err, lifecycle.ErrForbidden) {
		return router.NewForbiddenError(msg, data)
	}
	return router.NewBadRequestError(msg, data)
}

// staffActor returns the acting staff member (superusers act as admin),
// or an API error: 401 without auth, 403 for a non-staff or inactive one.
func (h *handlers) staffActor(e *core.RequestEvent) (Actor, error) {
	if e.Auth == nil {
		return Actor{}, e.UnauthorizedError("Silakan masuk sebagai petugas. — Staff sign-in required.", nil)
	}
	if e.Auth.IsSuperuser() {
		return Actor{Role: model.RoleAdmin, Name: "Superuser", Origin: h.officeCode()}, nil
	}
	if e.Auth.Collection().Name != model.Staff || !e.Auth.GetBool("active") {
		return Actor{}, e.ForbiddenError("Hanya petugas aktif. — Active staff only.", nil)
	}
	return StaffActor(e.Auth, h.officeCode()), nil
}

// officeCode is the office's code, stamped on events as their origin.
func (h *handlers) officeCode() string {
	if o, _ := settings.OfficeOf(h.app); o.Code != "" {
		return o.Code
	}
	return h.cfg.OfficeCode
}

// findComplaint looks a complaint up by a typed tracking code; 404 when the
// code is malformed or unknown.
func findComplaint(app core.App, e *core.RequestEvent, raw string) (*core.Record, error) {
	code, err := trackcode.Normalize(raw)
	if err != nil {
		return nil, e.NotFoundError("Kode laporan tidak ditemukan. — Report not found.", nil)
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		return nil, e.NotFoundError("Kode laporan tidak ditemukan. — Report not found.", nil)
	}
	return rec, nil
}

// readJSON decodes a bounded JSON body into dst, refusing unknown fields.
func readJSON(e *core.RequestEvent, dst any) error {
	ct := e.Request.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return router.NewApiError(http.StatusUnsupportedMediaType, "Kirim JSON. — Send JSON (application/json).", nil)
	}
	body := http.MaxBytesReader(e.Response, e.Request.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return router.NewApiError(http.StatusRequestEntityTooLarge, "Permintaan terlalu besar. — Request too large.", nil)
		}
		return e.BadRequestError("JSON tidak valid. — Malformed JSON body.", nil)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return e.BadRequestError("JSON tidak valid. — Malformed JSON body.", nil)
	}
	return nil
}

func (h *handlers) transition(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	var req Request
	if err := readJSON(e, &req); err != nil {
		return err
	}
	req.At = clock.Now(h.app)
	return h.stepCase(e, actor, "transition", "unit", func(tx core.App, c *core.Record) error {
		return Transition(tx, c, actor, req)
	})
}

// stepCase is a step on a case (a transition, a follow-up) through the
// skeleton below, then the notice of the step (it tells the step's public
// note only: notifier.step) and the answer: the tracking code, the new
// status and deadline, and the one field the step is about.
func (h *handlers) stepCase(e *core.RequestEvent, actor Actor, what, field string, fn func(tx core.App, c *core.Record) error) error {
	rec, err := h.visibleCase(e, actor)
	if err != nil {
		return err
	}
	rec, err = h.changeCase(e, rec, fn)
	if err != nil {
		return h.caseFailed(e, rec, what, err)
	}
	h.notifier.step(rec)
	return e.JSON(http.StatusOK, map[string]any{
		"tracking_code": rec.GetString("tracking_code"),
		"status":        rec.GetString("status"),
		"due_at":        rec.GetString("due_at"),
		field:           rec.GetString(field),
	})
}

// The case-handler skeleton. A handler of /api/complaints/{code}/… reads
// its actor (staffActor) and its body (readJSON), then:
//
//	rec, err := h.visibleCase(e, actor)                // 404, or 403 for a case the actor may not see
//	rec, err = h.changeCase(e, rec, func(tx, c) error) // 409 for a copy; fn on the case read again in a transaction
//	if err != nil { return h.caseFailed(e, rec, "what", err) } // the refusal, or a logged 500
//
// (edit refuses a copy only to those who may see it, so it keeps its own
// order.)

// noAccess is the refusal of a case the actor may not see: a handler of
// another unit learns nothing more than that.
const noAccess = "Anda tidak berwenang atas laporan ini. — You have no access to this report."

// visibleCase is the complaint the path's {code} names: 404 when the code
// is malformed or unknown, 403 when actor may not see it.
func (h *handlers) visibleCase(e *core.RequestEvent, actor Actor) (*core.Record, error) {
	rec, err := findComplaint(h.app, e, e.Request.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if !canSee(actor, rec) {
		return nil, e.ForbiddenError(noAccess, nil)
	}
	return rec, nil
}

// changeCase runs fn on rec, read again under the write lock of a
// transaction, and returns the case as fn left it; a copy of a case
// another office handles is refused with 409 (notHandledHere) and fn does
// not run.
func (h *handlers) changeCase(e *core.RequestEvent, rec *core.Record, fn func(tx core.App, c *core.Record) error) (*core.Record, error) {
	if !Handles(h.app, rec) {
		return rec, notHandledHere(e, rec)
	}
	err := h.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			return err
		}
		rec = c
		return fn(tx, c)
	})
	return rec, err
}

// caseFailed answers a failed change of rec: the refusal the error
// carries (an API error such as changeCase's 409, or a domain error
// apiError maps), else a logged 500 that tells the client nothing.
func (h *handlers) caseFailed(e *core.RequestEvent, rec *core.Record, what string, err error) error {
	if ae := apiError(err); ae != err {
		return ae
	}
	var ae *router.ApiError
	if errors.As(err, &ae) {
		return ae
	}
	h.app.Logger().Error("cases: "+what+" failed", "complaint_id", rec.Id, "error", err.Error())
	return e.InternalServerError("", nil)
}

// canSee tells whether a staff actor sees the complaint at all: the
// privacy policy's scope (hooks/domain/privacy), the same rule as the
// collection API's. System, reporter and upstream actors are checked
// elsewhere.
func canSee(a Actor, c *core.Record) bool {
	return privacy.InScope(a.Viewer(), CaseOf(c))
}
