package ui

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
)

// The oversight page (/staf/pengawasan): the open cases other offices
// handle, by office, with each office's counts, read-only (cases.Oversight).
// On a hub these are its child offices' cases; on a node, its own intake
// routed elsewhere. The case's own page says who handles it and offers
// only what this office may do.

// oversightPage is the data of staf_pengawasan.html.
type oversightPage struct {
	CSRF      string
	StaffName string
	Role      string
	Office    string // the office filter
	Queue     string
	Status    string
	Offices   []oversightOffice
	Choices   []choice // the office filter's options
	Queues    []choice
	Statuses  []choice
	Rows      []staffRow
	PrevURL   string
	NextURL   string
}

type oversightOffice struct {
	cases.OfficeCount
	Current bool
}

func (p *renderer) staffOversight(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/staf")
	}
	actor := cases.StaffActor(staff, p.office().Code)
	if !cases.Oversees(actor.Role) {
		return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
			Title: "oversight.title", Body: "oversight.forbidden", Links: []link{{"/staf", "nav.staff"}},
		})
	}
	lang := Lang(e)
	v := e.Request.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	q := cases.OversightQuery{Office: v.Get("office"), Queue: v.Get("queue"), Status: v.Get("status"), Page: page,
		PerPage: 30, Now: clock.Now(p.app)}
	if !slices.Contains(cases.OversightQueues, q.Queue) {
		q.Queue = cases.QueueOpen
	}
	if !slices.Contains(cases.OpenStatuses, q.Status) {
		q.Status = ""
	}
	if len(q.Office) > 32 {
		q.Office = ""
	}
	res, err := cases.Oversight(p.app, actor, q)
	if err != nil {
		p.app.Logger().Error("ui: oversight failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	d := &oversightPage{CSRF: CSRFToken(e), StaffName: staff.GetString("name"), Role: staff.GetString("role"),
		Office: q.Office, Queue: q.Queue, Status: q.Status}
	d.Choices = append(d.Choices, choice{Value: "", Label: vocab.T(lang, "oversight.all")})
	for _, oc := range res.Offices {
		d.Offices = append(d.Offices, oversightOffice{OfficeCount: oc, Current: oc.Code == q.Office})
		if !oc.Local {
			d.Choices = append(d.Choices, choice{Value: oc.Code, Label: oc.Name})
		}
	}
	for _, name := range cases.OversightQueues {
		d.Queues = append(d.Queues, choice{Value: name, Label: vocab.T(lang, "oversight.queue."+name)})
	}
	d.Statuses = append(d.Statuses, choice{Value: "", Label: vocab.T(lang, "staff.any")})
	for _, s := range cases.OpenStatuses {
		d.Statuses = append(d.Statuses, choice{Value: s, Label: vocab.Status(lang, s)})
	}
	catNames := p.categoryNames(lang)
	for _, it := range res.Items {
		d.Rows = append(d.Rows, staffRow{Code: it.TrackingCode, Title: it.Title, Status: vocab.Status(lang, it.Status),
			StatusCode: it.Status, Unit: it.UnitName, Category: or(catNames[it.CategoryCode], it.Category),
			Due: p.localTime(lang, it.DueAt, false), Overdue: it.Overdue, HandledBy: it.OfficeName})
	}
	d.PrevURL, d.NextURL = pageLinks("/staf/pengawasan", v, res.Page, res.HasMore)
	return p.render(e, http.StatusOK, "staf_pengawasan.html", d)
}
