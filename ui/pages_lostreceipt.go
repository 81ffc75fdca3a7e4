package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/intake"
)

// pinPage is the data of loket_pin.html: the lost-receipt form, or the new
// PIN (shown once).
type pinPage struct {
	CSRF, Code, Error               string
	PIN                             string
	Receipt58, Receipt80, ReceiptA4 string
}

// counterPINForm is GET /loket/pin-baru: the lost-receipt form.
func (p *renderer) counterPINForm(e *core.RequestEvent) error {
	noStore(e)
	if StaffSession(p.app, e) == nil {
		return e.Redirect(http.StatusSeeOther, "/loket")
	}
	return p.render(e, http.StatusOK, "loket_pin.html", &pinPage{CSRF: CSRFToken(e),
		Code: strings.TrimSpace(e.Request.URL.Query().Get("code"))})
}

// counterPINReissue is POST /loket/pin-baru: the clerk has checked the KTP
// of a walk-in who lost the receipt; hooks/cases compares it with the
// report and issues a new PIN (the old one stops working).
func (p *renderer) counterPINReissue(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil || !CheckCSRF(e) {
		return p.counterForbidden(e)
	}
	f := e.Request.FormValue
	d := &pinPage{CSRF: CSRFToken(e), Code: strings.TrimSpace(f("code"))}
	res, err := cases.ReissuePIN(p.app, cases.StaffActor(staff, p.office().Code), d.Code, f("nik"), f("name"))
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, cases.ErrReissueRole):
			return p.counterForbidden(e)
		case errors.Is(err, cases.ErrReissueNotFound):
			status, d.Error = http.StatusNotFound, "pin.err.notfound"
		case errors.Is(err, cases.ErrReissueAnonymous):
			d.Error = "pin.err.anonymous"
		case errors.Is(err, cases.ErrReissueMismatch):
			status, d.Error = http.StatusForbidden, "pin.err.mismatch"
		case errors.Is(err, cases.ErrReissueLocked):
			status, d.Error = http.StatusTooManyRequests, "pin.err.locked"
		default:
			p.app.Logger().Error("ui: PIN reissue failed", "error", err.Error())
			return e.InternalServerError("", nil)
		}
		return p.render(e, status, "loket_pin.html", d)
	}
	code := res.Complaint.GetString("tracking_code")
	receipt := intake.ReceiptPath(code, res.Token)
	d.Code, d.PIN = code, res.PIN
	d.Receipt58, d.Receipt80, d.ReceiptA4 = receiptFormat(receipt, "58mm"), receiptFormat(receipt, "80mm"), receiptFormat(receipt, "a4")
	return p.render(e, http.StatusOK, "loket_pin.html", d)
}
