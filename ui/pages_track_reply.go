package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/intake"
	"simpul/hooks/websec"
)

// trackReply handles the reporter's forms on /lacak/{code}: adding
// information (a reply, while tertunda or proses) and rating a completed
// report. Ownership is proven with the receipt PIN; hooks/cases does the
// checking, the guessing limit and the state change.
func (p *renderer) trackReply(e *core.RequestEvent) error {
	lang := Lang(e)
	code, problem := normalizeCode(e.Request.PathValue("code"))
	if problem != "" {
		return p.render(e, http.StatusBadRequest, "lacak.html", trackLookup{Code: e.Request.PathValue("code"), Error: problem})
	}
	if pv, err := intake.Track(p.app, code, e.RealIP()); err != nil || pv == nil {
		if res, limited := p.trackLimited(e, err); limited {
			return res
		}
		return p.trackNotFound(e)
	}
	pin := strings.TrimSpace(e.Request.FormValue("pin"))
	message := e.Request.FormValue("message")
	var err error
	if e.Request.FormValue("action") == "rating" {
		rating, _ := strconv.Atoi(e.Request.FormValue("rating"))
		_, err = cases.Rate(p.app, cases.Proof{Code: code, PIN: pin, Address: e.RealIP()}, rating, message)
	} else {
		_, err = cases.Reply(p.app, cases.Proof{Code: code, PIN: pin, Address: e.RealIP()}, message)
	}
	if err == nil {
		return e.Redirect(http.StatusSeeOther, "/lacak/"+code+"?sent=1#sent")
	}
	status, key := http.StatusBadRequest, "reply.err.message"
	switch {
	case errors.Is(err, cases.ErrBadPIN), errors.Is(err, cases.ErrNotFoundPIN):
		status, key = http.StatusForbidden, "reply.err.pin"
	case errors.Is(err, cases.ErrCodesLimited):
		res, _ := p.trackLimited(e, &intake.Error{Status: http.StatusTooManyRequests, RetryAfter: websec.UnknownCodeWindow})
		return res
	case errors.Is(err, cases.ErrPINLocked):
		status, key = http.StatusTooManyRequests, "reply.err.locked"
	case errors.Is(err, cases.ErrClosed):
		key = "reply.err.closed"
	case errors.Is(err, cases.ErrNotSelesai), errors.Is(err, cases.ErrRated):
		status, key = http.StatusConflict, "reply.err.rated"
	case errors.Is(err, cases.ErrBadRating):
		key = "reply.err.rating"
	case errors.Is(err, cases.ErrBadReply):
		key = "reply.err.message"
	default:
		p.app.Logger().Error("ui: reporter reply failed", "error", err.Error())
		status, key = http.StatusInternalServerError, "form.failed"
	}
	// Fresh from the database: the reply may have been refused halfway.
	pv, err := intake.Track(p.app, code, e.RealIP()) // it exists: costs nothing
	if err != nil || pv == nil {
		return p.trackNotFound(e)
	}
	v := p.publicView(lang, pv)
	v.ReplyError = vocab.T(lang, key)
	v.Message = message
	return p.render(e, status, "lacak_detail.html", v)
}
