package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
)

// The staff desk (/staf): queues, search and filters, a complaint with its
// whole timeline, one-click actions that go through cases.Transition (the
// same function as the JSON API), follow-ups, verification edits and a
// printable case summary. Sessions and CSRF come from session.go.

// staffDeskPage is the data of staf.html.
type staffDeskPage struct {
	LoggedIn  bool
	LoginErr  bool
	LoginMsg  string // i18n key; empty: the generic message
	Email     string
	CSRF      string
	StaffName string
	Role      string
	Queue     string
	Queues    []choice
	Query     cases.ListQuery
	Statuses  []choice
	Units     []choice
	Rows      []staffRow
	Page      int
	PrevURL   string
	NextURL   string
	Setup     []setupStep // the first-run checklist, for admins until it is done
	// Oversees: the role has the oversight page (cases other offices
	// handle).
	Oversees bool
}

type staffRow struct {
	Code, Title, Status, StatusCode, Unit, Category, Due, Reporter string
	Overdue                                                        bool
	// HandledBy names the office that handles the case when it is not
	// this one ("ditangani oleh"; the closed queue and the queue of all
	// list copies too).
	HandledBy string
}

// localTime shows a stored UTC date in the office's time zone, the way
// every page and receipt writes dates: "2 Jan 2026 14:05 WIB" (with the
// clock and the zone's name) or "2 Jan 2026".
func (p *renderer) localTime(lang, s string, withClock bool) string {
	if s == "" {
		return ""
	}
	dt, err := types.ParseDateTime(s)
	if err != nil || dt.IsZero() {
		return ""
	}
	if withClock {
		return FormatTime(lang, dt.Time(), p.office().TimeZone)
	}
	return FormatDate(lang, dt.Time(), p.office().TimeZone)
}

func (p *renderer) staffForbidden(e *core.RequestEvent) error {
	return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
		Title: "staff.title", Body: "staff.forbidden", Links: []link{{"/staf", "nav.staff"}},
	})
}

func (p *renderer) staffNotFound(e *core.RequestEvent) error {
	return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
		Title: "staff.notfound", Body: "staff.notfound.body", Links: []link{{"/staf", "nav.staff"}},
	})
}

func (p *renderer) staffLogin(e *core.RequestEvent) error {
	noStore(e)
	if !CheckCSRF(e) {
		return p.staffForbidden(e)
	}
	email := e.Request.FormValue("email")
	if StaffLogin(p.app, e, email, e.Request.FormValue("password")) == nil {
		if wait, locked := LoginLocked(e); locked {
			return p.loginLocked(e, wait, "/staf")
		}
		return p.render(e, http.StatusUnauthorized, "staf.html", &staffDeskPage{CSRF: CSRFToken(e), LoginErr: true,
			LoginMsg: loginError(e), Email: strings.TrimSpace(email)})
	}
	return e.Redirect(http.StatusSeeOther, "/staf")
}

func (p *renderer) staffLogout(e *core.RequestEvent) error {
	return p.logout(e, "/staf", p.staffForbidden)
}

func (p *renderer) staffDesk(e *core.RequestEvent) error {
	noStore(e)
	lang := Lang(e)
	staff := StaffSession(p.app, e)
	d := &staffDeskPage{CSRF: CSRFToken(e)}
	if staff == nil {
		return p.render(e, http.StatusOK, "staf.html", d)
	}
	d.LoggedIn, d.StaffName, d.Role = true, staff.GetString("name"), staff.GetString("role")
	if d.Role == model.RoleAdmin {
		d.Setup = p.setupChecklist()
	}
	d.Oversees = cases.Oversees(d.Role)
	v := e.Request.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	q := cases.ListQuery{Queue: v.Get("queue"), Search: v.Get("q"), Status: v.Get("status"), Unit: v.Get("unit"),
		Category: v.Get("category"), Page: page, PerPage: 30}
	if !oneOfStr(cases.Queues, q.Queue) {
		q.Queue = cases.QueueOpen
	}
	if q.Status != "" && !oneOfStr(model.Statuses, q.Status) {
		q.Status = ""
	}
	res, err := cases.List(p.app, cases.StaffActor(staff, p.office().Code), q)
	if err != nil {
		p.app.Logger().Error("ui: staff list failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	d.Queue, d.Query, d.Page = q.Queue, q, res.Page
	for _, name := range cases.Queues {
		d.Queues = append(d.Queues, choice{Value: name, Label: vocab.T(lang, "staff.queue."+name)})
	}
	d.Statuses = append(d.Statuses, choice{Value: "", Label: vocab.T(lang, "staff.any")})
	for _, s := range model.Statuses {
		d.Statuses = append(d.Statuses, choice{Value: s, Label: vocab.Status(lang, s)})
	}
	if d.Units, err = p.unitChoices(lang, true); err != nil {
		return p.listFailed(e, err)
	}
	catNames := p.categoryNames(lang)
	for _, it := range res.Items {
		d.Rows = append(d.Rows, staffRow{Code: it.TrackingCode, Title: it.Title, Status: vocab.Status(lang, it.Status),
			StatusCode: it.Status, Unit: it.UnitName, Category: or(catNames[it.CategoryCode], it.Category), Due: p.localTime(lang, it.DueAt, false),
			Reporter: it.ReporterName, Overdue: it.Overdue, HandledBy: it.OfficeName})
	}
	d.PrevURL, d.NextURL = pageLinks("/staf", v, res.Page, res.HasMore)
	return p.render(e, http.StatusOK, "staf.html", d)
}

// pageLinks are the previous and next pages of a list at path with the
// query v (empty where there is none).
func pageLinks(path string, v url.Values, page int, hasMore bool) (prev, next string) {
	at := func(n int) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		w.Set("page", strconv.Itoa(n))
		return path + "?" + w.Encode()
	}
	if page > 1 {
		prev = at(page - 1)
	}
	if hasMore {
		next = at(page + 1)
	}
	return prev, next
}

// unitChoices lists the active units for a select; an error, not an
// empty list, when they cannot be read (a page that offered no unit would
// look like an office without units).
func (p *renderer) unitChoices(lang string, any bool) ([]choice, error) {
	var out []choice
	if any {
		out = append(out, choice{Value: "", Label: vocab.T(lang, "staff.any")})
	}
	units, err := p.app.FindRecordsByFilter(model.Units, "active = true", "name", 200, 0)
	if err != nil {
		return nil, fmt.Errorf("ui: units: %w", err)
	}
	for _, u := range units {
		out = append(out, choice{Value: u.GetString("code"), Label: u.GetString("name")})
	}
	return out, nil
}

// listFailed answers a page whose list could not be read with a logged
// 500 instead of showing the list empty.
func (p *renderer) listFailed(e *core.RequestEvent, err error) error {
	p.app.Logger().Error("ui: page list failed", "path", e.Request.URL.Path, "error", err.Error())
	return e.InternalServerError("", nil)
}

// childOffices are the registered, active child offices a case may be
// routed to (a hub's), but the one that handles it now.
func (p *renderer) childOffices(current string) ([]choice, error) {
	var out []choice
	nodes, err := p.app.FindRecordsByFilter(model.Nodes, "active = true", "name", 500, 0)
	if err != nil {
		return nil, fmt.Errorf("ui: child offices: %w", err)
	}
	for _, n := range nodes {
		if code := n.GetString("code"); code != "" && code != current {
			out = append(out, choice{Value: "office:" + code, Label: n.GetString("name")})
		}
	}
	return out, nil
}

func oneOfStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// staffDetailPage is the data of staf_detail.html.
type staffDetailPage struct {
	CSRF      string
	StaffName string
	Role      string
	D         *cases.Detail
	Status    string
	Category  string
	Created   string
	Due       string
	Overdue   bool
	Dates     []choice // label, value
	Timeline  []staffEvent
	Moves     []staffMove
	CanFollow bool
	CanEdit   bool
	Canned    []choice
	Units     []choice
	Reasons   []choice
	Types     []choice
	Privacies []choice
	Cats      []choice
	Error     string
	Done      string
	// Primary is the one action offered as the next step (a move's To, or
	// "followup"); the others are folded away.
	Primary string
	// Copy says, for a case another office handles, who handles it and
	// what this office may still do (staff.copy.readonly or
	// staff.copy.oversee); ReadOnlyRole says the viewer's role acts on
	// nothing (a supervisor).
	Copy         string
	ReadOnlyRole bool
	// Offices are the child offices a disposition may route the case to
	// (on a hub): values "office:CODE" beside the units.
	Offices []choice
	// Files are the reporter's attachments, FollowupFiles the handlers'.
	Files, FollowupFiles []attachmentView
	// ShowAccess: the viewer reads the access log; Access is its entries
	// for this report.
	ShowAccess bool
	Access     []accessView
}

// accessView is one access log entry on the desk.
type accessView struct {
	At, Actor, Role, What, Reason string
}

type staffEvent struct {
	Seq                          int
	At, What, Actor, Note, Extra string
	Public                       bool
	Withheld                     bool // the reporter's words, not for this viewer
}

// staffMove is one action button: the target status and what it asks for.
type staffMove struct {
	To, Label                      string
	NeedUnit, NeedReason, NeedNote bool
	NoteOptional                   bool
	// PublicNote: the note is shown to the reporter (tracking page and
	// notice); only a disposition's note stays internal (cases.Transition).
	PublicNote bool
}

// pathCase is the complaint the path's {code} names, in any spelling
// trackcode.Normalize accepts; nil when the code is malformed or unknown.
func (p *renderer) pathCase(e *core.RequestEvent) *core.Record {
	code, err := trackcode.Normalize(e.Request.PathValue("code"))
	if err != nil {
		return nil
	}
	rec, err := p.app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		return nil
	}
	return rec
}

func (p *renderer) loadForStaff(e *core.RequestEvent) (*core.Record, *core.Record, error) {
	staff := StaffSession(p.app, e)
	if staff == nil {
		return nil, nil, e.Redirect(http.StatusSeeOther, "/staf")
	}
	rec := p.pathCase(e)
	if rec == nil {
		return nil, nil, p.staffNotFound(e)
	}
	return staff, rec, nil
}

func (p *renderer) staffComplaint(e *core.RequestEvent) error {
	noStore(e)
	staff, rec, err := p.loadForStaff(e)
	if staff == nil || rec == nil {
		return err
	}
	return p.renderDetail(e, http.StatusOK, staff, rec, "", e.Request.URL.Query().Get("ok"))
}

func (p *renderer) renderDetail(e *core.RequestEvent, status int, staff, rec *core.Record, errMsg, done string) error {
	lang := Lang(e)
	actor := cases.StaffActor(staff, p.office().Code)
	d, err := cases.ViewFor(p.app, actor, rec, clock.Now(p.app))
	if errors.Is(err, cases.ErrNoAccess) {
		return p.staffForbidden(e)
	}
	if err != nil {
		p.app.Logger().Error("ui: staff view failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	if rep, ok := e.Get(revealedKey).(map[string]any); ok && rep != nil {
		d.Reporter, d.IdentityHidden = rep, false
	}
	v := &staffDetailPage{CSRF: CSRFToken(e), StaffName: staff.GetString("name"), Role: staff.GetString("role"), D: d,
		Status: vocab.Status(lang, d.Status), Category: or(p.categoryNames(lang)[d.Category], d.CategoryName), Created: p.localTime(lang, d.Created, true),
		Due: p.localTime(lang, d.Dates["due_at"], true), Overdue: d.Overdue, Error: errMsg}
	v.ShowAccess = privacy.ReadsAccessLog(actor.Role)
	for _, a := range d.AccessLog {
		v.Access = append(v.Access, accessView{At: p.localTime(lang, a.Created, true), Actor: a.ActorName,
			Role: a.ActorRole, What: vocab.T(lang, "access."+a.Action), Reason: a.Reason})
	}
	switch done {
	case "":
	case "reveal":
		v.Done = vocab.T(lang, "reveal.shown")
	case "move":
		v.Done = vocab.T(lang, "staff.done.move") + " " + v.Status + "."
		if d.UnitName != "" && d.Status == model.StatusTerdisposisi {
			v.Done += " " + vocab.T(lang, "staff.unit") + ": " + d.UnitName + "."
		}
	case "followup":
		v.Done = vocab.T(lang, "staff.done.followup")
	default:
		v.Done = vocab.T(lang, "staff.done")
	}
	v.Files, v.FollowupFiles = attachmentViews(d.TrackingCode, d.Attachments)
	for _, f := range []string{"verify_due_at", "followup_due_at", "next_followup_due_at", "autoclose_at", "completion_due_at",
		"paused_at", "postpone_expires_at", "verified_at", "disposed_at", "first_followup_at", "last_followup_at", "last_reply_at",
		"closed_at"} {
		if s := d.Dates[f]; s != "" {
			v.Dates = append(v.Dates, choice{Value: p.localTime(lang, s, true), Label: vocab.T(lang, "staff.date."+f)})
		}
	}
	for _, ev := range d.Timeline {
		se := staffEvent{Seq: ev.Seq, At: p.localTime(lang, strings.Replace(ev.At, "T", " ", 1), true), Actor: ev.ActorName,
			Note: ev.Note, Public: ev.Public, What: vocab.T(lang, "staff.event."+ev.Kind), Withheld: ev.Withheld}
		if ev.Kind == model.EventTransition {
			se.What = fmt.Sprintf("%s → %s", vocab.Status(lang, ev.From), vocab.Status(lang, ev.To))
		}
		if ev.Reason != "" {
			se.Extra = vocab.T(lang, "staff.reason."+ev.Reason)
		}
		if u, ok := ev.Data["unit"].(string); ok {
			se.Extra = strings.TrimSpace(se.Extra + " " + vocab.T(lang, "staff.unit") + ": " + u)
		}
		if dup, ok := ev.Data["duplicate_of"].(string); ok {
			se.Extra = strings.TrimSpace(se.Extra + " " + vocab.T(lang, "staff.duplicate_of") + ": " + dup)
		}
		if r, ok := ev.Data["rating"].(float64); ok {
			se.Extra = fmt.Sprintf("%s %d/5", vocab.T(lang, "staff.rating"), int(r))
		}
		v.Timeline = append(v.Timeline, se)
	}
	for _, to := range d.Allowed {
		m := staffMove{To: to, Label: vocab.T(lang, "staff.move."+to), PublicNote: to != model.StatusTerdisposisi}
		if d.Status == model.StatusTerdisposisi && to == model.StatusTerdisposisi {
			m.Label = vocab.T(lang, "staff.move.redispose")
		}
		if d.Status == model.StatusSelesai && to == model.StatusProses {
			m.Label = vocab.T(lang, "staff.move.reopen")
		}
		if to == model.StatusBukanWewenang && !p.linked() {
			m.Label = vocab.T(lang, "staff.move.bw.unlinked")
		}
		switch to {
		case model.StatusTerdisposisi:
			m.NeedUnit, m.NoteOptional = true, true
		case model.StatusDiarsipkan:
			m.NeedReason, m.NoteOptional = true, true
		case model.StatusTertunda, model.StatusBukanWewenang:
			m.NeedNote = true
		case model.StatusProses:
			if d.Status == model.StatusTerdisposisi {
				continue // the follow-up form does this move, with its text
			}
			m.NeedNote = true
		default:
			m.NoteOptional = true
		}
		v.Moves = append(v.Moves, m)
	}
	// Follow-ups and edits are the handling office's; a hub that
	// oversees a child office's case may move it (re-route, take over).
	v.CanFollow = d.HandledHere && !d.ReadOnly && (d.Status == model.StatusTerdisposisi || d.Status == model.StatusProses) &&
		lifecycle.Check(model.StatusTerdisposisi, actor.Role, lifecycle.Request{To: model.StatusProses,
			OwnUnit: actor.UnitID != "" && rec.GetString("unit") == actor.UnitID}) == nil
	v.CanEdit = d.HandledHere && !d.ReadOnly && (actor.Role == model.RoleCoordinator || actor.Role == model.RoleAdmin) &&
		!lifecycle.Terminal(d.Status)
	switch {
	case d.HandledHere:
	case d.ReadOnly:
		v.Copy = vocab.Sprintf(lang, "staff.copy.readonly", d.OfficeName)
	default:
		v.Copy = vocab.Sprintf(lang, "staff.copy.oversee", d.OfficeName)
	}
	v.ReadOnlyRole = actor.Role == model.RoleSupervisor
	if v.CanFollow {
		v.Canned = append(v.Canned, choice{Value: "", Label: vocab.T(lang, "staff.canned.none")})
		crs, err := p.app.FindRecordsByFilter(cases.CannedResponses, "active = true && (unit = '' || unit = {:u})", "code", 100, 0,
			dbx.Params{"u": rec.GetString("unit")})
		if err != nil {
			return p.listFailed(e, err)
		}
		for _, cr := range crs {
			v.Canned = append(v.Canned, choice{Value: cr.GetString("code"), Label: cr.GetString("title"), Hint: cr.GetString("body")})
		}
	}
	v.Primary = primaryAction(d.Status, v.CanFollow, v.Moves)
	if v.Units, err = p.unitChoices(lang, false); err != nil {
		return p.listFailed(e, err)
	}
	if slices.Contains(d.Allowed, model.StatusTerdisposisi) {
		if v.Offices, err = p.childOffices(d.Office); err != nil {
			return p.listFailed(e, err)
		}
	}
	for _, r := range lifecycle.ArchiveReasons {
		v.Reasons = append(v.Reasons, choice{Value: r, Label: vocab.T(lang, "staff.reason."+r)})
	}
	if v.CanEdit {
		for _, t := range model.Types {
			v.Types = append(v.Types, choice{Value: t, Label: vocab.T(lang, "staff.type."+t)})
		}
		for _, pr := range model.Privacies {
			v.Privacies = append(v.Privacies, choice{Value: pr, Label: vocab.T(lang, "staff.privacy."+pr)})
		}
		cats, err := p.app.FindRecordsByFilter(model.Categories, "active = true", "code", 500, 0)
		if err != nil {
			return p.listFailed(e, err)
		}
		for _, c := range cats {
			v.Cats = append(v.Cats, choice{Value: c.GetString("code"), Label: p.categoryNames(lang)[c.GetString("code")]})
		}
	}
	return p.render(e, status, "staf_detail.html", v)
}

// staffAction handles every form of the complaint page: action=move (a
// transition), followup, edit.
func (p *renderer) staffAction(e *core.RequestEvent) error {
	noStore(e)
	staff, rec, err := p.loadForStaff(e)
	if staff == nil || rec == nil {
		return err
	}
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, 51<<20)
		if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
			return p.renderDetail(e, http.StatusRequestEntityTooLarge, staff, rec, vocab.T(Lang(e), "staff.err.toolarge"), "")
		}
	}
	if !CheckCSRF(e) {
		return p.staffForbidden(e)
	}
	lang := Lang(e)
	actor := cases.StaffActor(staff, p.office().Code)
	if _, err := cases.ViewFor(p.app, actor, rec, clock.Now(p.app)); errors.Is(err, cases.ErrNoAccess) {
		return p.staffForbidden(e)
	}
	if !cases.Handles(p.app, rec) {
		// A copy of a case another office handles: that office acts
		// (the API answers the same 409).
		return p.renderDetail(e, http.StatusConflict, staff, rec, vocab.T(lang, "staff.err.elsewhere"), "")
	}
	f := e.Request.FormValue
	unit, office := f("unit"), ""
	if code, ok := strings.CutPrefix(unit, "office:"); ok { // a child office, on a hub
		unit, office = "", code
	}
	if f("action") == "reveal" {
		// A confidential reporter's identity, on purpose: logged with the
		// reason before it is shown (hooks/cases RevealIdentity).
		rep, err := cases.RevealIdentity(p.app, actor, rec, f("reason"))
		switch {
		case errors.Is(err, cases.ErrRevealForbidden):
			return p.staffForbidden(e)
		case errors.Is(err, cases.ErrRevealReason):
			return p.renderDetail(e, http.StatusBadRequest, staff, rec, vocab.T(lang, "reveal.err"), "")
		case err != nil:
			p.app.Logger().Error("ui: reveal failed", "complaint_id", rec.Id, "error", err.Error())
			return e.InternalServerError("", nil)
		}
		e.Set(revealedKey, rep)
		return p.renderDetail(e, http.StatusOK, staff, rec, "", "reveal")
	}
	notify := false // the notice reads the step's public note (cases.NotifyStep)
	err = p.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			return err
		}
		rec = c
		switch f("action") {
		case "move":
			notify = true
			return cases.Transition(tx, c, actor, cases.Request{To: f("to"), Unit: unit, Office: office, Note: f("note"),
				Reason: f("reason"), DuplicateOf: f("duplicate_of")})
		case "followup":
			req := &cases.FollowupRequest{Note: f("note"), Canned: f("canned")}
			if e.Request.MultipartForm != nil {
				req.Files = e.Request.MultipartForm.File["attachments"]
			}
			if err := cases.FollowUp(tx, c, actor, req); err != nil {
				return err
			}
			notify = true
			return nil
		case "edit":
			return cases.Edit(tx, c, actor, cases.EditRequest{Title: f("title"), Category: f("category"), Type: f("type"),
				Privacy: f("privacy"), Note: f("note"), PublicTitle: f("public_title"), PublicBody: f("public_body")}, clock.Now(p.app))
		}
		return errUnknownAction
	})
	if err != nil {
		msg := vocab.T(lang, "staff.err.failed")
		status := http.StatusBadRequest
		var le *lifecycle.Error
		var ae *router.ApiError
		switch {
		case errors.As(err, &le):
			msg = le.ID
			if lang == "en" {
				msg = le.EN
			}
			if errors.Is(err, lifecycle.ErrForbidden) {
				status = http.StatusForbidden
			}
		case errors.As(err, &ae):
			msg, status = ae.Message, ae.Status
		case errors.Is(err, errUnknownAction):
		default:
			p.app.Logger().Error("ui: staff action failed", "complaint_id", rec.Id, "error", err.Error())
			status = http.StatusInternalServerError
		}
		fresh, ferr := p.app.FindRecordById(model.Complaints, rec.Id)
		if ferr != nil {
			return e.InternalServerError("", nil)
		}
		return p.renderDetail(e, status, staff, fresh, msg, "")
	}
	if notify {
		cases.NotifyStep(p.app, rec)
	}
	return e.Redirect(http.StatusSeeOther, "/staf/laporan/"+rec.GetString("tracking_code")+"?ok="+url.QueryEscape(f("action"))+"#action-ok")
}

var errUnknownAction = errors.New("ui: unknown staff action")

// revealedKey carries a revealed identity from the reveal action to the
// page it renders (never stored, never in a URL).
const revealedKey = "simpulRevealed"

// primaryAction is the usual next step for a complaint in status: route a
// new or postponed one to a unit, follow up an assigned one, close one in
// progress. Archiving, postponing, handing up and reopening are never
// offered first: each is a decision to make on purpose.
func primaryAction(status string, canFollow bool, moves []staffMove) string {
	has := func(to string) bool {
		for _, m := range moves {
			if m.To == to {
				return true
			}
		}
		return false
	}
	switch {
	case (status == model.StatusBaru || status == model.StatusTertunda) && has(model.StatusTerdisposisi):
		return model.StatusTerdisposisi
	case canFollow && status == model.StatusTerdisposisi:
		return "followup"
	case status == model.StatusProses && has(model.StatusSelesai):
		return model.StatusSelesai
	case canFollow:
		return "followup"
	}
	return ""
}

// or is s, or fallback when s is empty.
func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
