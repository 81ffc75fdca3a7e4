package ui

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/sync/lapor"
	"simpul/sync/upstream"
)

// The sync page (/staf/sinkron): the parent, the last success, what is
// still waiting, the last error in plain words, the next run and a "sync
// now" button. Coordinators and admins see it; only admins run a pass.

// syncPageData is the data of sinkron.html.
type syncPageData struct {
	CSRF        string
	Configured  bool
	Parent      string
	LastSuccess string
	NextRun     string
	Pending     int
	Rejected    int
	Failures    int
	ErrorKind   string // i18n key suffix, "" when fine
	CanRun      bool
	Ran         bool
	RunOK       bool
	Pushed      int
	Pulled      int
	// SP4N-LAPOR! as the parent: what is still to be delivered and the
	// reports staff must fix and resend (or link).
	Lapor      bool
	LaporDue   int
	LaporRetry int
	// The office's LAPOR! ledger is not confirmed yet (a new hub, or one
	// refilled from its children): how many reports wait for it.
	LaporUnknown bool
	LaporWaiting int
	Held         []heldReport
	Message      string // the outcome of a resend or a link, an i18n key
	MessageBad   bool
}

// heldReport is one row of the held reports' table.
type heldReport struct {
	Code, Reason, Error, Updated string
	Unconfirmed                  bool
}

func (p *renderer) syncStaff(e *core.RequestEvent) *core.Record {
	staff := StaffSession(p.app, e)
	if staff == nil {
		return nil
	}
	if r := staff.GetString("role"); r != model.RoleAdmin && r != model.RoleCoordinator {
		return nil
	}
	return staff
}

func (p *renderer) syncPage(e *core.RequestEvent) error {
	noStore(e)
	staff := p.syncStaff(e)
	if staff == nil {
		return p.staffForbidden(e)
	}
	return p.renderSync(e, staff, nil)
}

func (p *renderer) renderSync(e *core.RequestEvent, staff *core.Record, ran *upstream.Summary) error {
	return p.renderSyncStatus(e, http.StatusOK, staff, ran, "", false)
}

func (p *renderer) renderSyncStatus(e *core.RequestEvent, status int, staff *core.Record, ran *upstream.Summary, msg string, bad bool) error {
	lang := Lang(e)
	d := &syncPageData{CSRF: CSRFToken(e), CanRun: staff.GetString("role") == model.RoleAdmin, Message: msg, MessageBad: bad}
	var sum upstream.Summary
	if s := upstream.FromApp(p.app); s != nil {
		d.Configured = true
		sum = s.Status()
	} else {
		sum = upstream.Summary{}
		sum.Pending, sum.RejectedAll = upstream.Counts(p.app)
	}
	d.Parent, d.Pending, d.Rejected, d.Failures = sum.Parent, sum.Pending, sum.RejectedAll, sum.Failures
	d.LastSuccess = p.localTime(lang, sum.LastSuccess, true)
	d.NextRun = p.localTime(lang, sum.NextRun, true)
	if sum.Failures > 0 {
		d.ErrorKind = sum.LastErrorKind
		// SP4N-LAPOR! as the parent: name what the office must check
		// (token, URL, mapping) instead of a Simpul hub's node credentials.
		if h := lapor.Hint(sum.LastError); sum.Parent == lapor.ParentName && h != "" {
			d.ErrorKind = "lapor_" + h
		}
	}
	if ran != nil {
		d.Ran, d.RunOK, d.Pushed, d.Pulled = true, ran.OK, ran.Pushed, ran.Pulled
	}
	if sum.Parent == lapor.ParentName {
		d.Lapor = true
		q, err := lapor.QueueOf(p.app)
		if err != nil {
			p.app.Logger().Warn("ui: lapor queue", "error", err.Error())
		}
		d.LaporDue, d.LaporRetry = q.Due, q.Retrying
		d.LaporUnknown, d.LaporWaiting = q.Unknown, q.Waiting
		for _, h := range q.Held {
			d.Held = append(d.Held, heldReport{Code: h.TrackingCode, Reason: vocab.T(lang, "sync.lapor.held."+h.Reason),
				Error: h.Error, Updated: p.localTime(lang, h.Updated, true), Unconfirmed: h.Reason == lapor.HeldUnconfirmed})
		}
	}
	return p.render(e, status, "sinkron.html", d)
}

// syncNow is the page's POST: a pass now (admins), or a held LAPOR!
// report resent or linked to the id staff found on LAPOR! (coordinators and
// admins).
func (p *renderer) syncNow(e *core.RequestEvent) error {
	noStore(e)
	staff := p.syncStaff(e)
	if staff == nil || !CheckCSRF(e) {
		return p.staffForbidden(e)
	}
	switch e.Request.FormValue("action") {
	case "resend", "link":
		return p.syncHeld(e, staff)
	}
	if staff.GetString("role") != model.RoleAdmin {
		return p.staffForbidden(e)
	}
	s := upstream.FromApp(p.app)
	if s == nil {
		return p.renderSync(e, staff, nil)
	}
	ctx, cancel := context.WithTimeout(e.Request.Context(), 2*time.Minute)
	defer cancel()
	sum, _ := s.Pass(ctx)
	return p.renderSync(e, staff, &sum)
}

// syncHeld resends a held LAPOR! report, or links it to the LAPOR! id
// staff found for it.
func (p *renderer) syncHeld(e *core.RequestEvent, staff *core.Record) error {
	if s := upstream.FromApp(p.app); s == nil || s.Status().Parent != lapor.ParentName {
		return p.staffForbidden(e)
	}
	code, action := e.Request.FormValue("code"), e.Request.FormValue("action")
	var err error
	msg := "sync.lapor.resent"
	if action == "link" {
		err, msg = lapor.Link(p.app, code, e.Request.FormValue("lapor_id")), "sync.lapor.linked"
	} else {
		err = lapor.Resend(p.app, code)
	}
	switch {
	case errors.Is(err, lapor.ErrNotHeld):
		return p.renderSyncStatus(e, http.StatusNotFound, staff, nil, "sync.lapor.notheld", true)
	case err != nil:
		return p.renderSyncStatus(e, http.StatusBadRequest, staff, nil, "sync.lapor.badid", true)
	}
	p.app.Logger().Info("lapor_report_released", "tracking_code", code, "staff_id", staff.Id, "action", action)
	return p.renderSyncStatus(e, http.StatusOK, staff, nil, msg, false)
}
