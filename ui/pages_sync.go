package ui

import (
	"context"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
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
	lang := Lang(e)
	d := &syncPageData{CSRF: CSRFToken(e), CanRun: staff.GetString("role") == model.RoleAdmin}
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
	return p.render(e, http.StatusOK, "sinkron.html", d)
}

func (p *renderer) syncNow(e *core.RequestEvent) error {
	noStore(e)
	staff := p.syncStaff(e)
	if staff == nil || staff.GetString("role") != model.RoleAdmin || !CheckCSRF(e) {
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
