package ui

import (
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
)

// counterPage is the data of /loket.
type counterPage struct {
	LoggedIn  bool
	StaffName string
	Role      string
	CSRF      string
	LoginErr  bool
	LoginMsg  string // i18n key; empty: the generic message
	Email     string
	Form      *formView
	Query     string
	Searched  bool
	Results   []lookupRow
}

// lookupRow is what the counter sees of a citizen's earlier report: code,
// date, status and (unless confidential and the role may not) the title.
type lookupRow struct {
	Code, Date, Status, Title string
}

// noStore keeps the counter's pages (personal data, a CSRF token) out of
// the browser cache and the back button of a shared counter PC.
func noStore(e *core.RequestEvent) {
	e.Response.Header().Set("Cache-Control", "no-store")
}

func (p *renderer) counterPage(e *core.RequestEvent, staff *core.Record) *counterPage {
	lang := Lang(e)
	cp := &counterPage{CSRF: CSRFToken(e)}
	if staff != nil {
		cp.LoggedIn = true
		cp.StaffName = staff.GetString("name")
		cp.Role = staff.GetString("role")
		cp.Form = p.newForm(lang, "/loket")
		cp.Form.counterForm(lang)
		cp.Form.CSRF = cp.CSRF
	}
	return cp
}

func (p *renderer) counterHome(e *core.RequestEvent) error {
	noStore(e)
	return p.render(e, http.StatusOK, "loket.html", p.counterPage(e, StaffSession(p.app, e)))
}

func (p *renderer) counterLogin(e *core.RequestEvent) error {
	noStore(e)
	if !CheckCSRF(e) {
		return p.counterForbidden(e)
	}
	email := e.Request.FormValue("email")
	if staff := StaffLogin(p.app, e, email, e.Request.FormValue("password")); staff == nil {
		if wait, locked := LoginLocked(e); locked {
			return p.loginLocked(e, wait, "/loket")
		}
		cp := p.counterPage(e, nil)
		cp.LoginErr, cp.LoginMsg, cp.Email = true, loginError(e), strings.TrimSpace(email)
		return p.render(e, http.StatusUnauthorized, "loket.html", cp)
	}
	return e.Redirect(http.StatusSeeOther, "/loket")
}

func (p *renderer) counterLogout(e *core.RequestEvent) error {
	return p.logout(e, "/loket", p.counterForbidden)
}

// logout ends the staff session (a CSRF-checked POST; refused with
// forbidden) and returns to home, the sign-in page it came from.
func (p *renderer) logout(e *core.RequestEvent, home string, forbidden func(*core.RequestEvent) error) error {
	noStore(e)
	if !CheckCSRF(e) {
		return forbidden(e)
	}
	EndStaffSession(e)
	return e.Redirect(http.StatusSeeOther, home)
}

func (p *renderer) counterForbidden(e *core.RequestEvent) error {
	return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
		Title: "counter.title", Body: "counter.forbidden", Links: []link{{"/loket", "nav.counter"}},
	})
}

func (p *renderer) counterSubmit(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil || !CheckCSRF(e) {
		return p.counterForbidden(e)
	}
	cp := p.counterPage(e, staff)
	return p.submitForm(e, cp.Form, "", submitOptions{Channel: model.ChannelCounter, Again: "/loket",
		Staff: staff, Template: "loket.html", Wrap: func(f *formView) any { cp.Form = f; return cp },
		Done: func(d *doneView) {
			// The "Cetak" button posts the receipt's token back, so the
			// counter's printer prints the original, with the PIN.
			d.Printer, d.CSRF, d.Token = p.counterPrinter() != "", CSRFToken(e), receiptToken(d.ReceiptURL)
		}})
}

func (p *renderer) counterLookup(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/loket")
	}
	lang := Lang(e)
	cp := p.counterPage(e, staff)
	cp.Query = strings.TrimSpace(e.Request.URL.Query().Get("q"))
	cp.Searched = cp.Query != ""
	if !cp.Searched {
		return p.render(e, http.StatusOK, "loket.html", cp)
	}
	var recs []*core.Record
	how := ""
	if code, problem := normalizeCode(cp.Query); problem == "" {
		how = "code"
		if r, err := p.app.FindFirstRecordByFilter(model.Complaints, "tracking_code = {:c}", dbx.Params{"c": code}); err == nil {
			recs = append(recs, r)
		}
	} else if name := nameQuery(cp.Query); name != "" {
		how = "name"
		recs = p.lookupByName(name)
	} else if phones := phoneVariants(cp.Query); len(phones) > 0 {
		how = "phone"
		// Hidden fields are filterable through the DB query builder (not
		// through API rules), so this stays a server-side, staff-only search.
		err := p.app.RecordQuery(model.Complaints).
			Where(dbx.In("reporter_phone", phones...)).
			// Repeats the partial index's condition, so SQLite uses
			// idx_complaints_phone instead of reading every complaint.
			AndWhere(dbx.NewExp("reporter_phone != ''")).
			OrderBy("created DESC").Limit(50).All(&recs)
		if err != nil {
			p.app.Logger().Error("ui: counter lookup failed", "error", err.Error())
		}
	}
	// Who may find what (hooks/domain/privacy): a search by the reporter's
	// phone or name finds only reports whose reporter the clerk may know
	// (never a confidential one, except for coordinators and admins) and,
	// for a handler, only their unit's; a tracking code finds its report.
	actor := cases.StaffActor(staff, p.office().Code)
	viewer := actor.Viewer()
	tz := p.office().TimeZone
	found := ""
	for _, r := range recs {
		c := cases.CaseOf(r)
		if how != "code" && !privacy.FoundByIdentity(viewer, c) {
			continue
		}
		row := lookupRow{Code: r.GetString("tracking_code"),
			Date:   FormatTime(lang, r.GetDateTime("created").Time(), tz),
			Status: vocab.Status(lang, r.GetString("status"))}
		if privacy.May(viewer, c, privacy.Text) || privacy.May(privacy.Viewer{Role: privacy.CodeHolder}, c, privacy.Text) {
			row.Title = r.GetString("title")
		}
		cp.Results = append(cp.Results, row)
		found = r.Id
	}
	// Every lookup is accounted for: who, when, how, how many found;
	// never what was searched.
	if how != "" {
		a := events.Access{Action: events.AccessCounterLookup, ActorID: staff.Id, ActorName: staff.GetString("name"),
			ActorRole: actor.Role, Detail: how, Found: len(cp.Results)}
		if len(cp.Results) == 1 {
			a.ComplaintID = found
		}
		if err := events.LogAccess(p.app, a); err != nil {
			p.app.Logger().Error("ui: counter lookup not logged", "error", err.Error())
			return e.InternalServerError("", nil)
		}
	}
	return p.render(e, http.StatusOK, "loket.html", cp)
}

// nameQuery returns q as a name to look for (letters, spaces and the
// marks names carry, at least three letters), or "".
func nameQuery(q string) string {
	letters := 0
	for _, r := range q {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ', r == '.', r == '\'', r == '-', r == ',':
		default:
			return ""
		}
	}
	if letters < 3 {
		return ""
	}
	return strings.Join(strings.Fields(q), " ")
}

// nameLookupWindow bounds a lookup by name to the complaints of the last
// two years, newest first: a name matches inside the text, which no index
// serves, so the newest rows are read until 50 match or the window ends.
const nameLookupWindow = 2 * 365 * 24 * time.Hour

// lookupByName finds complaints whose reporter's name contains name (case
// and accents as typed; SQLite's LIKE ignores ASCII case).
func (p *renderer) lookupByName(name string) []*core.Record {
	var recs []*core.Record
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(name) + "%"
	since := clock.Now(p.app).Add(-nameLookupWindow).UTC().Format(types.DefaultDateLayout)
	err := p.app.RecordQuery(model.Complaints).
		Where(dbx.NewExp(`reporter_name LIKE {:like} ESCAPE '\' AND created >= {:since}`, dbx.Params{"like": like, "since": since})).
		OrderBy("created DESC").Limit(50).All(&recs)
	if err != nil {
		p.app.Logger().Error("ui: counter lookup by name failed", "error", err.Error())
	}
	return recs
}

// phoneVariants returns the spellings a phone number may be stored in
// (08…, 628…, +628…; E.164 for another country's number, as intake stores
// it), or nil when q is not a phone number.
func phoneVariants(q string) []any {
	var digits strings.Builder
	for i, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return nil
		}
	}
	d := digits.String()
	if len(d) < 6 || len(d) > 15 {
		return nil
	}
	national := d
	switch {
	case strings.HasPrefix(d, "62"):
		national = "0" + d[2:]
	case !strings.HasPrefix(d, "0"):
		national = "0" + d
	}
	rest := national[1:]
	out := []any{national, "62" + rest, "+62" + rest, q}
	if strings.HasPrefix(strings.TrimSpace(q), "+") && !strings.HasPrefix(d, "62") {
		out = append(out, "+"+d) // another country's number, stored in E.164
	}
	return out
}
