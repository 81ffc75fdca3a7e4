package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"simpul/hooks/domain/vocab"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// submitOptions say how a page's form goes to intake and how the answer
// is shown.
type submitOptions struct {
	Channel      string       // model.Channel*
	Again        string       // where "make another report" leads
	Staff        *core.Record // the counter clerk, for counter intake
	KioskToken   string       // the kiosk's token, for kiosk intake
	Template     string       // the form page, re-rendered with errors; default lapor.html
	DoneTemplate string       // the success page; default lapor_done.html (loket_done.html with Staff)
	// Wrap builds the form page's data around f; default formPage.
	Wrap func(f *formView) any
	// Done adds page-specific data to the success page.
	Done func(d *doneView)
}

// doneView is the data of a success page.
type doneView struct {
	Code, PIN, Due                  string
	ReceiptURL                      string
	Receipt58, Receipt80, ReceiptA4 string
	Again                           string
	Idle                            int  // kiosk: seconds before returning to the start
	Thermal                         bool // at a counter or kiosk: thermal slips first
	// The kiosk's slip: the absolute tracking URL and its QR code; whether
	// the browser prints it (no network printer, or it failed).
	TrackURL, TrackBase         string // TrackBase: TrackURL without the code
	QR                          template.HTML
	PrintInBrowser, PrintFailed bool
	// The counter: its network printer (if any), the print's outcome (an
	// i18n key) and the CSRF token of the print form.
	Printer  bool
	PrintMsg string
	CSRF     string
	Token    string // the receipt token, for the print form
}

// receiptFormat adds ?format= to a receipt URL that may already carry a
// query (its token).
func receiptFormat(receiptURL, format string) string {
	u, err := url.Parse(receiptURL)
	if err != nil {
		return receiptURL
	}
	q := u.Query()
	q.Set("format", format)
	u.RawQuery = q.Encode()
	return u.String()
}

// submitForm reads the posted form into f, sends it to intake and renders
// either the success page or the form again with every error beside its
// field and everything typed kept.
func (p *renderer) submitForm(e *core.RequestEvent, f *formView, qrLabel string, opts submitOptions) error {
	lang := Lang(e)
	if opts.Template == "" {
		opts.Template = "lapor.html"
	}
	if opts.DoneTemplate == "" {
		opts.DoneTemplate = "lapor_done.html"
		if opts.Staff != nil {
			opts.DoneTemplate = "loket_done.html"
		}
	}
	if opts.Wrap == nil {
		opts.Wrap = func(f *formView) any { return formPage{Form: f, QRLabel: qrLabel} }
	}
	readForm(e, f)
	done, fieldErrs, status, files, err := p.callIntake(e, f, opts)
	if err != nil || len(fieldErrs) > 0 {
		// Keep the chosen files for the next try, unless they are the
		// problem.
		dropHeld(p.app, f.Held)
		f.Held, f.HeldFiles = "", nil
		if _, bad := fieldErrs["attachments"]; !bad {
			f.Held, f.HeldFiles = holdFiles(p.app, files)
		}
	} else {
		dropHeld(p.app, f.Held)
	}
	switch {
	case err != nil:
		p.app.Logger().Error("ui: intake failed", "channel", opts.Channel, "error", err.Error())
		f.Failed = true
		return p.render(e, http.StatusInternalServerError, opts.Template, opts.Wrap(f))
	case len(fieldErrs) > 0:
		for _, field := range append(append([]string{}, formFields...), "attachments", "qr", "client_ref") {
			msg, ok := fieldErrs[field]
			if !ok {
				continue
			}
			f.Errors[field] = msg
			f.ErrorList = append(f.ErrorList, fieldError{Field: field, Label: fieldLabel(lang, field), Message: msg})
		}
		for field, msg := range fieldErrs { // fields the form has no input for
			if _, ok := f.Errors[field]; !ok {
				f.Errors[field] = msg
				f.ErrorList = append(f.ErrorList, fieldError{Field: "complaint-form", Label: fieldLabel(lang, field), Message: msg})
			}
		}
		f.HasErrors = true
		return p.render(e, status, opts.Template, opts.Wrap(f))
	}
	done.Again = opts.Again
	if done.ReceiptURL != "" {
		done.Receipt58 = receiptFormat(done.ReceiptURL, "58mm")
		done.Receipt80 = receiptFormat(done.ReceiptURL, "80mm")
		done.ReceiptA4 = receiptFormat(done.ReceiptURL, "a4")
	}
	done.Thermal = opts.Staff != nil || opts.KioskToken != ""
	if done.Thermal { // the slip printed on the spot carries the address and its QR code
		done.QR = qrSVG(done.TrackURL)
		done.TrackBase = strings.TrimSuffix(done.TrackURL, done.Code)
	}
	if opts.Done != nil {
		opts.Done(done)
	}
	e.Response.Header().Set("Cache-Control", "no-store") // it shows the PIN
	return p.render(e, http.StatusCreated, opts.DoneTemplate, done)
}

// fieldLabel is the visible label of a form field, for the error summary.
func fieldLabel(lang, field string) string {
	switch field {
	case "type":
		return vocab.T(lang, "form.type")
	case "title":
		return vocab.T(lang, "form.title_field")
	case "privacy":
		return vocab.T(lang, "form.privacy")
	case "qr":
		return vocab.T(lang, "qr.from")
	case "client_ref", "form":
		return vocab.T(lang, "form.title")
	}
	if s := vocab.T(lang, "form."+field); s != "form."+field {
		return strings.TrimSuffix(s, ":")
	}
	return field
}
