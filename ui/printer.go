package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/settings"
	"simpul/ui/receipt"
)

// Thermal printers on the office network. A kiosk (kiosks.printer) and the
// counter (offices.counter_printer) may each name a receipt printer that
// takes raw ESC/POS on a TCP port, written tcp://HOST:PORT (9100 is the
// usual port: Epson TM-T82 and compatibles with a LAN card). The server
// sends the job itself, so neither the kiosk's nor the clerk's browser
// needs a driver or a print dialog. docs/kiosk.md and docs/operator.md say
// how to set a printer up.

// printTimeout bounds one print: connect and send. A printer that is off
// or unplugged fails fast and the page says so (the PDF is still there).
const printTimeout = 5 * time.Second

// errPrinterAddress is a printer address that is not tcp://HOST:PORT.
var errPrinterAddress = errors.New("ui: a printer address is tcp://HOST:PORT, for example tcp://192.168.1.50:9100")

// ParsePrinter checks a printer address and returns it in its plain form
// (lowercase scheme, no trailing slash); "" is no printer.
func ParsePrinter(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "tcp") || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		strings.Trim(u.Path, "/") != "" {
		return "", errPrinterAddress
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" {
		return "", errPrinterAddress
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", errPrinterAddress
	}
	return "tcp://" + net.JoinHostPort(host, port), nil
}

// sendToPrinter writes job to the printer at addr (tcp://HOST:PORT).
func sendToPrinter(ctx context.Context, addr string, job []byte) error {
	addr, err := ParsePrinter(addr)
	if err != nil || addr == "" {
		return errPrinterAddress
	}
	ctx, cancel := context.WithTimeout(ctx, printTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", strings.TrimPrefix(addr, "tcp://"))
	if err != nil {
		return fmt.Errorf("ui: printer %s: %w", addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(dl)
	}
	if _, err := conn.Write(job); err != nil {
		return fmt.Errorf("ui: printer %s: %w", addr, err)
	}
	return conn.Close()
}

// printReceipt renders rec's receipt as an ESC/POS job for an 80 mm roll
// and sends it to printer, with the PIN or as a copy. It logs a failure
// (without the PIN) and reports whether the job went out.
func (p *renderer) printReceipt(e *core.RequestEvent, printer string, rec *core.Record, showTitle, withPIN bool) bool {
	r := p.receiptData(e, rec, showTitle, withPIN)
	job, err := receipt.ESCPOS(r, receipt.Format80)
	if err == nil {
		err = sendToPrinter(e.Request.Context(), printer, job)
	}
	if err != nil {
		p.app.Logger().Warn("ui: receipt not printed", "tracking_code", rec.GetString("tracking_code"), "error", err.Error())
		return false
	}
	return true
}

// counterPrinter is the office's counter printer, "" when none is set.
func (p *renderer) counterPrinter() string {
	o, _ := settings.OfficeOf(p.app)
	return o.CounterPrinter
}

// counterPrint is the counter's "Cetak di printer struk" button (POST
// /loket/cetak/{code}, CSRF): the receipt goes to the counter's printer,
// with the PIN when the form carries the receipt's token (the success page
// right after intake), else as a copy. It answers the success page again,
// saying whether the printer took the job.
func (p *renderer) counterPrint(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil || !CheckCSRF(e) {
		return p.counterForbidden(e)
	}
	switch staff.GetString("role") {
	case model.RoleFrontdesk, model.RoleCoordinator, model.RoleAdmin:
	default:
		return p.counterForbidden(e)
	}
	rec := p.pathCase(e)
	if rec == nil {
		return p.receiptNotFound(e)
	}
	code := rec.GetString("tracking_code")
	token := e.Request.FormValue("token")
	withPIN := token != "" && intake.TokenMatches(rec.GetString("receipt_token"), token)
	lang := Lang(e)
	_, base, tz := p.officeIdentity(e.Request)
	d := &doneView{Code: code, Again: "/loket", Thermal: true, Printer: true, CSRF: CSRFToken(e),
		Due: FormatTime(lang, rec.GetDateTime("due_at").Time(), tz), TrackURL: base + intake.TrackPath(code)}
	d.QR, d.TrackBase = qrSVG(d.TrackURL), strings.TrimSuffix(d.TrackURL, code)
	if withPIN {
		d.PIN, d.Token = intake.PIN(rec.GetString("receipt_token")), token
		d.ReceiptURL = intake.ReceiptPath(code, token)
		d.Receipt58, d.Receipt80, d.ReceiptA4 = receiptFormat(d.ReceiptURL, "58mm"), receiptFormat(d.ReceiptURL, "80mm"),
			receiptFormat(d.ReceiptURL, "a4")
	} else {
		reprint := "/loket/struk/" + code
		d.ReceiptURL = reprint
		d.Receipt58, d.Receipt80, d.ReceiptA4 = reprint+"?format=58mm", reprint+"?format=80mm", reprint+"?format=a4"
	}
	showTitle := withPIN || p.staffMaySeeTitle(staff, rec)
	switch printer := p.counterPrinter(); {
	case printer == "":
		d.Printer, d.PrintFailed, d.PrintMsg = false, true, "counter.print.none"
	case p.printReceipt(e, printer, rec, showTitle, withPIN):
		d.PrintMsg = "counter.print.done"
		p.app.Logger().Info("receipt_printed", "staff_id", staff.Id, "tracking_code", code, "copy", !withPIN)
	default:
		d.PrintFailed, d.PrintMsg = true, "counter.print.failed"
	}
	return p.render(e, http.StatusOK, "loket_done.html", d)
}

// receiptToken is the token in a receipt URL (…?token=…).
func receiptToken(receiptURL string) string {
	u, err := url.Parse(receiptURL)
	if err != nil {
		return ""
	}
	return u.Query().Get("token")
}
