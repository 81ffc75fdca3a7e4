package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simpul/hooks/domain/vocab"
	"simpul/hooks/intake"
	"simpul/hooks/links"
	"simpul/hooks/websec"
)

const honeypotField = "website"

// callIntake sends the posted form to intake.Submit, the door every
// channel shares, and turns its answer into the success page's data or
// the form's errors (in the page's language). err is a failure of the
// appliance, not of the citizen.
//
// files are the attachments sent: the ones chosen now and the ones held
// from an earlier try (held.go), for holding again after an error.
func (p *renderer) callIntake(e *core.RequestEvent, f *formView, opts submitOptions) (done *doneView, fieldErrs map[string]string,
	status int, files []*filesystem.File, err error) {
	lang := Lang(e)
	req := intake.Request{Channel: opts.Channel, KioskToken: opts.KioskToken, Staff: opts.Staff, RemoteIP: e.RealIP(),
		Origin: links.Origin(e.Request)}
	intake.FromForm(e.Request.FormValue, &req)
	req.QR, req.ClientRef = f.QRSlug, f.ClientRef
	if f.Held != "" {
		drop := map[int]bool{}
		for _, s := range e.Request.Form[heldDrop] {
			if i, err := strconv.Atoi(s); err == nil {
				drop[i] = true
			}
		}
		files = loadHeld(p.app, f.Held, drop)
	}
	chosen, err := e.FindUploadedFiles("attachments")
	switch {
	case err == nil:
		files = append(files, chosen...)
	case !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart):
		return nil, map[string]string{"attachments": vocab.T(lang, "form.attachments.unreadable")}, http.StatusBadRequest, files, nil
	}
	req.Attachments = files
	res, err := intake.Submit(p.app, req)
	var refused *intake.Error
	switch {
	case errors.As(err, &refused):
		if refused.Status == http.StatusTooManyRequests {
			e.Response.Header().Set("Retry-After", websec.RetryAfter(refused.RetryAfter))
		}
		errs := map[string]string{}
		for field, fe := range refused.Fields {
			errs[field] = inLang(lang, fe.Message)
		}
		if len(errs) == 0 {
			errs["form"] = inLang(lang, refused.Message)
		}
		return nil, errs, refused.Status, files, nil
	case err != nil:
		return nil, nil, 0, files, err
	}
	return &doneView{
		Code: res.TrackingCode,
		PIN:  res.PIN,
		Due:  FormatTime(lang, res.DueAt, p.office().TimeZone), ReceiptURL: res.ReceiptPath,
		TrackURL: res.TrackURL,
	}, nil, 0, files, nil
}

// inLang picks the page's language from intake's bilingual messages
// ("Indonesian — English").
func inLang(lang, msg string) string {
	id, en, ok := strings.Cut(msg, " — ")
	switch {
	case !ok:
		return msg
	case lang == "en":
		return en
	}
	return id
}
