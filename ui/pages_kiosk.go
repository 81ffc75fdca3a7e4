package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/token"
)

// Kiosk mode. A kiosk is a touch screen running Chromium in --kiosk mode
// on /kiosk. It identifies itself with the token an admin issued for it
// (the kiosks collection keeps only its SHA-256): an admin, logged in
// through /loket on the kiosk itself, opens /kiosk/setup and enters the
// token once; it is kept in an HttpOnly cookie and sent with every report.
// See docs/kiosk.md.
const (
	// KioskCookie holds the kiosk's token.
	KioskCookie = "simpul_kiosk"
	// kioskIdleCookie holds the idle reset in seconds.
	kioskIdleCookie = "simpul_kiosk_idle"
	// DefaultKioskIdle is how long a kiosk waits without a touch before it
	// wipes the form and returns to the start screen.
	DefaultKioskIdle = 90
	minKioskIdle     = 2 // short enough for the browser test
	maxKioskIdle     = 3600
)

// kioskPage is the data of /kiosk.
type kioskPage struct {
	Form      *formView
	KioskName string
	Idle      int
}

// kioskSetupPage is the data of /kiosk/setup.
type kioskSetupPage struct {
	CSRF    string
	Token   string
	Idle    int
	Bad     bool
	Current string // the kiosk this browser is registered as
}

// findKiosk returns the active kiosk whose token is token, or nil.
func (p *renderer) findKiosk(tok string) *core.Record {
	if tok == "" || len(tok) > 200 {
		return nil
	}
	rec, err := p.app.FindFirstRecordByData(model.Kiosks, "token_hash", token.Hash(tok))
	if err != nil || !rec.GetBool("active") {
		return nil
	}
	return rec
}

// kioskOf returns the kiosk this browser is registered as and its token.
func (p *renderer) kioskOf(e *core.RequestEvent) (*core.Record, string) {
	c, err := e.Request.Cookie(KioskCookie)
	if err != nil {
		return nil, ""
	}
	return p.findKiosk(c.Value), c.Value
}

func kioskIdle(e *core.RequestEvent) int {
	if c, err := e.Request.Cookie(kioskIdleCookie); err == nil {
		if n, err := strconv.Atoi(c.Value); err == nil && n >= minKioskIdle && n <= maxKioskIdle {
			return n
		}
	}
	return DefaultKioskIdle
}

func (p *renderer) kioskUnregistered(e *core.RequestEvent) error {
	return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
		Title: "kiosk.title", Body: "kiosk.unregistered", Links: []link{{"/kiosk/setup", "kiosk.setup.title"}},
	})
}

func (p *renderer) kioskForm(e *core.RequestEvent, kiosk *core.Record) *kioskPage {
	f := p.newForm(Lang(e), "/kiosk")
	f.Kiosk = true
	return &kioskPage{Form: f, KioskName: kiosk.GetString("name"), Idle: kioskIdle(e)}
}

func (p *renderer) kioskHome(e *core.RequestEvent) error {
	noStore(e)
	kiosk, _ := p.kioskOf(e)
	if kiosk == nil {
		return p.kioskUnregistered(e)
	}
	return p.render(e, http.StatusOK, "kiosk.html", p.kioskForm(e, kiosk))
}

func (p *renderer) kioskSubmit(e *core.RequestEvent) error {
	noStore(e)
	kiosk, token := p.kioskOf(e)
	if kiosk == nil {
		return p.kioskUnregistered(e)
	}
	kp := p.kioskForm(e, kiosk)
	return p.submitForm(e, kp.Form, "", submitOptions{Channel: model.ChannelKiosk, Again: "/kiosk",
		KioskToken: token, Template: "kiosk.html", DoneTemplate: "kiosk_done.html",
		Wrap: func(f *formView) any { kp.Form = f; return kp }, Done: func(d *doneView) {
			d.Idle = kp.Idle
			d.PrintInBrowser = true
			// A kiosk with its own network printer prints the slip
			// there; the browser prints only when there is none or it
			// did not answer.
			if printer := kiosk.GetString("printer"); printer != "" {
				rec, err := p.app.FindFirstRecordByData(model.Complaints, "tracking_code", d.Code)
				if err == nil && p.printReceipt(e, printer, rec, true, true) {
					d.PrintInBrowser = false
				} else {
					d.PrintFailed = true
				}
			}
		}})
}

// requireAdmin returns the admin staff member of the session, or nil.
func (p *renderer) requireAdmin(e *core.RequestEvent) *core.Record {
	staff := StaffSession(p.app, e)
	if staff == nil || staff.GetString("role") != model.RoleAdmin {
		return nil
	}
	return staff
}

// kioskSetupRefused tells who may register a kiosk and where to sign in.
func (p *renderer) kioskSetupRefused(e *core.RequestEvent) error {
	return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
		Title: "kiosk.setup.title", Body: "kiosk.setup.signin", Links: []link{{"/loket", "kiosk.setup.signin.link"}},
	})
}

func (p *renderer) kioskSetup(e *core.RequestEvent) error {
	noStore(e)
	if p.requireAdmin(e) == nil {
		return p.kioskSetupRefused(e)
	}
	sp := kioskSetupPage{CSRF: CSRFToken(e), Token: e.Request.URL.Query().Get("token"), Idle: kioskIdle(e)}
	if k, _ := p.kioskOf(e); k != nil {
		sp.Current = k.GetString("name")
	}
	return p.render(e, http.StatusOK, "kiosk_setup.html", sp)
}

func (p *renderer) kioskSetupSave(e *core.RequestEvent) error {
	noStore(e)
	if p.requireAdmin(e) == nil {
		return p.kioskSetupRefused(e)
	}
	if !CheckCSRF(e) {
		return p.counterForbidden(e)
	}
	token := strings.TrimSpace(e.Request.FormValue("token"))
	idle, err := strconv.Atoi(e.Request.FormValue("idle"))
	if err != nil || idle < minKioskIdle || idle > maxKioskIdle {
		idle = DefaultKioskIdle
	}
	if p.findKiosk(token) == nil {
		return p.render(e, http.StatusBadRequest, "kiosk_setup.html",
			kioskSetupPage{CSRF: CSRFToken(e), Idle: idle, Bad: true})
	}
	tenYears := int((10 * 365 * 24 * time.Hour).Seconds())
	setCookie(e, KioskCookie, token, tenYears)
	setCookie(e, kioskIdleCookie, strconv.Itoa(idle), tenYears)
	// The kiosk stands in a public room: it must not keep the admin's
	// session that registered it.
	EndStaffSession(e)
	return e.Redirect(http.StatusSeeOther, "/kiosk")
}
