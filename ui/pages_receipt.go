package ui

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/intake"
	"simpul/hooks/links"
	"simpul/hooks/settings"
	"simpul/ui/receipt"
)

// Receipts (ui/receipt renders them, here on request only, never on the
// intake path):
//
//   - GET /api/receipts/{file}?token=…&format=58mm|80mm|a4 — the reporter's
//     receipt; {file} is CODE or CODE.pdf. Without the receipt token, with a
//     wrong one, or for an unknown code: 404, the same answer, so the route
//     never confirms that a code exists.
//   - GET /api/receipts/{code}.escpos?token=…&width=58mm|80mm — the same
//     receipt as an ESC/POS job for a thermal printer driven raw
//     (receipt.ESCPOS; docs/api.md).
//   - GET /loket/struk/{code}?format=… — the counter's reprint: a copy,
//     never with the PIN.
//   - POST /loket/cetak/{code} — the counter's "Cetak" button: the receipt
//     straight to the counter's network printer (printer.go).

// receiptFieldError is one field's problem in PocketBase's error data shape.
type receiptFieldError struct{ code, message string }

func (f receiptFieldError) Code() string  { return f.code }
func (f receiptFieldError) Error() string { return f.message }

func badFormat() error {
	return router.NewBadRequestError("Format struk tidak dikenal. — Unknown receipt format.",
		map[string]router.SafeErrorItem{"format": receiptFieldError{"validation_invalid_format",
			"Gunakan 58mm, 80mm atau a4. — Use 58mm, 80mm or a4."}})
}

func badWidth() error {
	return router.NewBadRequestError("Lebar struk tidak dikenal. — Unknown receipt width.",
		map[string]router.SafeErrorItem{"width": receiptFieldError{"validation_invalid_width",
			"Gunakan 58mm atau 80mm. — Use 58mm or 80mm."}})
}

func (p *renderer) receiptPDF(e *core.RequestEvent) error {
	noStore(e) // the PIN is inside
	q := e.Request.URL.Query()
	if name, ok := strings.CutSuffix(e.Request.PathValue("file"), ".escpos"); ok {
		return p.receiptESCPOS(e, name)
	}
	format, err := receipt.ParseFormat(q.Get("format"))
	if err != nil {
		return badFormat()
	}
	file, _ := strings.CutSuffix(e.Request.PathValue("file"), ".pdf")
	rec := p.reporterReceipt(file, q.Get("token"))
	if rec == nil {
		return e.NotFoundError("", nil)
	}
	return p.sendReceipt(e, rec, format, true, true)
}

// reporterReceipt is the complaint whose code is file and whose receipt
// token is token, or nil: an unknown code and a wrong token look alike.
func (p *renderer) reporterReceipt(file, token string) *core.Record {
	code, err := trackcode.Normalize(file)
	if err != nil {
		return nil
	}
	rec, err := p.app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil || !intake.TokenMatches(rec.GetString("receipt_token"), token) {
		return nil
	}
	return rec
}

// receiptESCPOS answers the reporter's receipt, PIN included, as an ESC/POS
// job for a 58 or 80 mm roll (width=, default 80mm; format= is read too,
// as for the PDF), to be sent raw to a thermal printer over USB or TCP
// port 9100. Without the right token: 404, as for the PDF.
func (p *renderer) receiptESCPOS(e *core.RequestEvent, file string) error {
	q := e.Request.URL.Query()
	width := q.Get("width")
	if width == "" {
		width = q.Get("format")
	}
	format, err := receipt.ParseFormat(width)
	if err != nil || format == receipt.FormatA4 {
		return badWidth()
	}
	rec := p.reporterReceipt(file, q.Get("token"))
	if rec == nil {
		return e.NotFoundError("", nil)
	}
	job, err := receipt.ESCPOS(p.receiptData(e, rec, true, true), format)
	if err != nil {
		p.app.Logger().Error("ui: receipt escpos failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="struk-`+rec.GetString("tracking_code")+`.escpos"`)
	return e.Blob(http.StatusOK, "application/octet-stream", job)
}

// counterReprint prints a complaint's receipt again at the counter: front
// desk, coordinators and admins for any complaint, a handler for the
// complaints of their own unit.
func (p *renderer) counterReprint(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/loket")
	}
	format, err := receipt.ParseFormat(e.Request.URL.Query().Get("format"))
	if err != nil {
		return badFormat()
	}
	rec := p.pathCase(e)
	if rec == nil {
		return p.receiptNotFound(e)
	}
	role := staff.GetString("role")
	switch role {
	case model.RoleFrontdesk, model.RoleCoordinator, model.RoleAdmin:
	case model.RoleHandler:
		if staff.GetString("unit") == "" || rec.GetString("unit") != staff.GetString("unit") {
			return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
				Title: "counter.title", Body: "receipt.forbidden", Links: []link{{"/loket", "nav.counter"}},
			})
		}
	default:
		return p.counterForbidden(e)
	}
	// A confidential report's title is for those who may see it (as in
	// the counter lookup). The PIN is never printed again: only the
	// reporter saw it, once; a reporter who lost it gets a new one
	// (/loket/pin-baru).
	if err := p.sendReceipt(e, rec, format, p.staffMaySeeTitle(staff, rec), false); err != nil {
		return err
	}
	p.app.Logger().Info("receipt_reprinted", "staff_id", staff.Id, "tracking_code", rec.GetString("tracking_code"))
	return nil
}

// staffMaySeeTitle reports whether a copy printed for staff may carry the
// report's title: when the privacy policy lets them read its text, or
// when the code's holder could (as in the counter lookup).
func (p *renderer) staffMaySeeTitle(staff, rec *core.Record) bool {
	c, viewer := cases.CaseOf(rec), cases.StaffActor(staff, p.office().Code).Viewer()
	return privacy.May(viewer, c, privacy.Text) || privacy.May(privacy.Viewer{Role: privacy.CodeHolder}, c, privacy.Text)
}

func (p *renderer) receiptNotFound(e *core.RequestEvent) error {
	return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
		Title: "receipt.notfound", Body: "receipt.notfound.body", Links: []link{{"/loket", "nav.counter"}},
	})
}

// officeIdentity is the office as printed on paper, and the base of the
// URLs in its QR codes for request r (links.Base: the configured public
// URL, else r's origin).
func (p *renderer) officeIdentity(r *http.Request) (receipt.Office, string, string) {
	o := receipt.Office{Name: p.cfg.OfficeName, Code: p.cfg.OfficeCode}
	base, tz := links.Origin(r), p.cfg.TimeZone
	off, ok := settings.OfficeOf(p.app)
	if !ok {
		return o, strings.TrimRight(base, "/"), tz
	}
	o.Name, o.Code = off.Name, off.Code
	o.Address, o.Phone, o.Email = off.Address, off.Phone, off.Email
	if off.PublicBaseURL != "" {
		base = off.PublicBaseURL
	}
	if off.TimeZone != "" {
		tz = off.TimeZone
	}
	o.Logo = p.officeLogo(off)
	return o, strings.TrimRight(base, "/"), tz
}

// officeLogo returns the office's logo ready for paper (receipt.FitLogo),
// read and fitted once per uploaded file and kept in the app's store; a
// logo that cannot be read is left off the paper.
func (p *renderer) officeLogo(office settings.Office) []byte {
	if office.Logo == "" {
		return nil
	}
	key := office.FilesPath + "/" + office.Logo // a new upload gets a new name
	storeKey := "simpul.receipt.logo:" + key
	if v, ok := p.app.Store().GetOk(storeKey); ok {
		logo, _ := v.([]byte)
		return logo
	}
	// Fitted outside the store's lock (which every request takes); two
	// first requests at once fit the logo twice, harmlessly.
	logo := p.fitLogoFile(key)
	p.app.Store().Set(storeKey, logo)
	return logo
}

func (p *renderer) fitLogoFile(key string) []byte {
	fsys, err := p.app.NewFilesystem()
	if err != nil {
		return nil
	}
	defer fsys.Close()
	r, err := fsys.GetReader(key)
	if err != nil {
		p.app.Logger().Warn("ui: office logo unreadable", "error", err.Error())
		return nil
	}
	defer r.Close()
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil
	}
	fitted, err := receipt.FitLogo(raw)
	if err != nil {
		p.app.Logger().Warn("ui: office logo unusable", "error", err.Error())
		return nil
	}
	return fitted
}

// sendReceipt renders rec's receipt in format and answers with the PDF:
// with the PIN for the reporter's own receipt URL, as a copy without it
// for a reprint.
func (p *renderer) sendReceipt(e *core.RequestEvent, rec *core.Record, format receipt.Format, showTitle, withPIN bool) error {
	var buf bytes.Buffer
	if err := receipt.Render(&buf, p.receiptData(e, rec, showTitle, withPIN), format); err != nil {
		p.app.Logger().Error("ui: receipt pdf failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return sendPDF(e, "struk-"+rec.GetString("tracking_code")+".pdf", buf.Bytes())
}

// receiptData is what rec's receipt says, for paper or a thermal printer:
// with the PIN, or as a copy without it.
func (p *renderer) receiptData(e *core.RequestEvent, rec *core.Record, showTitle, withPIN bool) receipt.Receipt {
	lang := Lang(e)
	office, base, tz := p.officeIdentity(e.Request)
	code := rec.GetString("tracking_code")
	r := receipt.Receipt{
		Lang:         lang,
		Office:       office,
		TrackingCode: code,
		Received:     FormatTime(lang, rec.GetDateTime("created").Time(), tz),
		Type:         vocab.T(lang, "type."+rec.GetString("type")),
		Channel:      p.channelLabel(lang, rec.GetString("channel")),
		Deadline:     FormatTime(lang, rec.GetDateTime("due_at").Time(), tz),
		TrackURL:     base + intake.TrackPath(code),
		HubID:        rec.GetString("hub_tracking_id"),
		LaporID:      rec.GetString("lapor_tracking_id"),
	}
	if showTitle {
		r.Title = rec.GetString("title")
	}
	if tok := rec.GetString("receipt_token"); tok != "" && withPIN {
		r.PIN = intake.PIN(tok)
	}
	r.Copy = !withPIN
	if c, err := p.app.FindRecordById(model.Categories, rec.GetString("category")); err == nil {
		r.Category = c.GetString("name")
		if lang == "en" && c.GetString("name_en") != "" {
			r.Category = c.GetString("name_en")
		}
	}
	return r
}

func (p *renderer) channelLabel(lang, channel string) string { return ChannelLabel(lang, channel) }

// ChannelLabel is how a report came in, in words ("Surat", "Kode QR").
func ChannelLabel(lang, channel string) string {
	for _, key := range []string{"channel." + channel, "receipt.channel." + channel} {
		if s := vocab.T(lang, key); s != key {
			return s
		}
	}
	return channel
}
