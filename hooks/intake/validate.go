package intake

import (
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"simpul/hooks/domain/model"
)

// Field limits, in characters (runes). They match the collection schema.
const (
	minTitle    = 5
	maxTitle    = 200
	minBody     = 10
	maxBody     = 10000
	maxLocation = 500
	maxName     = 150
	maxEmail    = 254
	maxClient   = 100
)

var (
	clientRefPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,100}$`)
	codePattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,31}$`)
	slugPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)
	nikPattern       = regexp.MustCompile(`^[0-9]{16}$`)
)

// fieldErrs collects the problems of one submission.
type fieldErrs map[string]FieldError

func (f fieldErrs) add(field, code, id, en string) {
	if _, seen := f[field]; !seen { // the first problem of a field is the one to fix
		f[field] = FieldError{Code: code, Message: id + " — " + en}
	}
}

// cleanText makes typed text safe to store and compare: it must be valid
// UTF-8; it is put in NFC form, trimmed, its line breaks made "\n", and
// control and bidirectional-override characters (which can disguise text
// on a staff screen) are removed. multiline keeps "\n" and "\t"; otherwise
// they become spaces. ok is false for invalid UTF-8.
func cleanText(s string, multiline bool) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	s = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case unicode.IsControl(r), isBidiControl(r), r == '\uFEFF':
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String()), true
}

func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') || r == '\u200E' || r == '\u200F'
}

// text validates one text field into *dst.
func (f fieldErrs) text(field, raw string, dst *string, multiline, required bool, minLen, maxLen int) {
	s, ok := cleanText(raw, multiline)
	if !ok {
		f.add(field, "invalid_encoding", "Teks tidak dapat dibaca (bukan UTF-8).", "The text is not valid UTF-8.")
		return
	}
	n := utf8.RuneCountInString(s)
	switch {
	case s == "" && required:
		f.add(field, "required", "Wajib diisi.", "This field is required.")
	case s != "" && n < minLen:
		f.add(field, "too_short", "Terlalu singkat.", "Too short.")
	case n > maxLen:
		f.add(field, "too_long", "Terlalu panjang.", "Too long.")
	default:
		*dst = s
	}
}

// phoneDigits normalises a phone number (spaces, dots, dashes and
// brackets allowed). An Indonesian number is kept in its national form
// (08…, 02…): it may be written with +62, 62, 0 or no prefix, and has 0 +
// 8 to 13 digits. A number with another country code (+1 415 555 0100) is
// kept in E.164 (+14155550100: + and 8 to 15 digits, the country code not
// starting with 0), never folded into a national number: a notice sent to
// the folded number would reach somebody else (review item 9). ok is false
// when it is not a plausible number.
func phoneDigits(raw string) (string, bool) {
	var d strings.Builder
	raw = strings.TrimSpace(raw)
	for i, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	s := d.String()
	switch {
	case strings.HasPrefix(s, "62"):
		s = "0" + s[2:]
	case strings.HasPrefix(raw, "+"):
		// Another country's number: E.164.
		return "+" + s, len(s) >= 8 && len(s) <= 15 && !strings.HasPrefix(s, "0")
	case !strings.HasPrefix(s, "0"):
		s = "0" + s
	}
	// National numbers: 0 + 8 to 13 digits (mobile 08…, landline 02…).
	return s, len(s) >= 9 && len(s) <= 14
}

// draft is a validated submission with its references resolved, ready to
// be written.
type draft struct {
	Type, Title, Body, Location, Privacy  string
	IncidentDate                          string // YYYY-MM-DD or ""
	Lat, Lon                              *float64
	CategoryID, UnitID, QRID, KioskID     string
	Channel, StaffID, StaffName           string
	ReporterName, ReporterPhone           string
	ReporterEmail, ReporterNIK, Gender    string
	Disability, IdentityChecked           bool
	ClientRef                             string
	owner                                 string // who sent it (submitter), for ClientTag
	attachments                           []attachment
	officeCode, publicURL, officeTimeZone string
	pre                                   *prepared // made after validation, see prepare
}

// validate checks req field by field against the office's reference data
// and returns the draft or every problem found.
func validate(refs *refData, req Request, now time.Time) (*draft, *Error) {
	f := fieldErrs{}
	d := &draft{officeCode: refs.officeCode, publicURL: refs.publicURL, officeTimeZone: refs.timeZone}

	if strings.TrimSpace(req.Honeypot) != "" {
		// Only bots fill the hidden field; tell them plainly and write nothing.
		return nil, &Error{Status: http.StatusBadRequest, Message: "Laporan ditolak. — The report was refused.",
			Fields: map[string]FieldError{"website": {Code: "rejected", Message: "Kolom ini harus kosong. — This field must be empty."}}}
	}

	switch t := strings.TrimSpace(req.Type); {
	case t == "":
		f.add("type", "required", "Pilih jenis laporan.", "Choose the kind of report.")
	case !oneOf(t, model.Types):
		f.add("type", "invalid_choice", "Jenis laporan tidak dikenal.", "Unknown kind of report.")
	default:
		d.Type = t
	}
	f.text("title", req.Title, &d.Title, false, true, minTitle, maxTitle)
	f.text("body", req.Body, &d.Body, true, true, minBody, maxBody)
	f.text("location", req.Location, &d.Location, false, false, 0, maxLocation)

	if s := strings.TrimSpace(req.IncidentDate); s != "" {
		day, err := time.ParseInLocation("2006-01-02", s, refs.loc)
		today := now.In(refs.loc)
		switch {
		case err != nil:
			f.add("incident_date", "invalid_date", "Tulis tanggal sebagai TTTT-BB-HH.", "Write the date as YYYY-MM-DD.")
		case day.After(today):
			f.add("incident_date", "future_date", "Tanggal kejadian belum terjadi.", "The date is in the future.")
		case day.Year() < 2000:
			f.add("incident_date", "too_old", "Tanggal terlalu lampau.", "The date is too far in the past.")
		default:
			d.IncidentDate = s
		}
	}
	if (req.Lat == nil) != (req.Lon == nil) {
		f.add("lat", "incomplete_point", "Isi lintang dan bujur bersama.", "Give both latitude and longitude.")
	} else if req.Lat != nil {
		// Written as "not within" so that NaN (Open311 forms parse "NaN"
		// as a float) is refused too: NaN fails every comparison.
		if !(*req.Lat >= -90 && *req.Lat <= 90 && *req.Lon >= -180 && *req.Lon <= 180) {
			f.add("lat", "invalid_point", "Koordinat tidak valid.", "Invalid coordinates.")
		} else {
			d.Lat, d.Lon = req.Lat, req.Lon
		}
	}

	// Where the report is from: the QR point, the kiosk, the counter.
	var qr *qrRef
	if slug := strings.ToLower(strings.TrimSpace(req.QR)); slug != "" {
		if qr = refs.qr[slug]; !slugPattern.MatchString(slug) || qr == nil {
			f.add("qr", "unknown", "Kode QR tidak dikenal atau tidak aktif.", "Unknown or inactive QR code.")
		} else {
			d.QRID = qr.id
		}
	}
	var kioskUnit string
	if req.KioskToken != "" {
		k, ok := refs.kiosk(req.KioskToken)
		if !ok {
			return nil, &Error{Status: http.StatusUnauthorized, Message: "Kios tidak terdaftar atau tidak aktif. — Unknown or inactive kiosk.",
				Fields: map[string]FieldError{"kiosk": {Code: "unknown_kiosk", Message: "Token kios tidak dikenal. — Unknown kiosk token."}}}
		}
		d.KioskID, kioskUnit = k.id, k.unit
	}
	d.Channel = channelOf(req, d)
	if d.Channel == "" {
		f.add("channel", "invalid_choice", "Kanal tidak dikenal.", "Unknown channel.")
	}

	if c := strings.ToUpper(strings.TrimSpace(req.Category)); c == "" {
		if qr != nil && qr.category != "" {
			d.CategoryID = qr.category
		} else {
			f.add("category", "required", "Pilih kategori.", "Choose a category.")
		}
	} else if id, ok := refs.categories[c]; !codePattern.MatchString(c) || !ok {
		f.add("category", "unknown", "Kategori tidak dikenal.", "Unknown category.")
	} else {
		d.CategoryID = id
	}
	if u := strings.ToUpper(strings.TrimSpace(req.Unit)); u != "" {
		if id, ok := refs.units[u]; !codePattern.MatchString(u) || !ok {
			f.add("unit", "unknown", "Unit tidak dikenal.", "Unknown unit.")
		} else {
			d.UnitID = id
		}
	} else if qr != nil && qr.unit != "" {
		d.UnitID = qr.unit
	} else {
		d.UnitID = kioskUnit
	}

	switch p := strings.TrimSpace(req.Privacy); {
	case p == "":
		d.Privacy = model.PrivacyPublic
	case !oneOf(p, model.Privacies):
		f.add("privacy", "invalid_choice", "Pilihan kerahasiaan tidak dikenal.", "Unknown privacy choice.")
	default:
		d.Privacy = p
	}
	validateReporter(f, req, d)

	if ref := strings.TrimSpace(req.ClientRef); ref != "" {
		if !clientRefPattern.MatchString(ref) {
			f.add("client_ref", "invalid", "client_ref: 1–100 huruf, angka, . _ : -", "client_ref: 1–100 letters, digits, . _ : -")
		} else {
			d.ClientRef = ref
		}
	}
	if len(f) > 0 {
		return nil, invalid(f)
	}
	return d, nil
}

// validateReporter applies the privacy tiers to the reporter's identity.
// An anonymous report keeps none of it, whatever was typed: "nobody but the
// reporter knows who reported" (docs/architecture.md, "Domain").
func validateReporter(f fieldErrs, req Request, d *draft) {
	counter := req.Staff != nil
	if d.Privacy == model.PrivacyAnonymous {
		// Voluntary statistics are not identity; they stay.
		d.Gender, d.Disability = gender(f, req.ReporterGender), req.ReporterDisability
		return
	}
	// A report that is not anonymous says who makes it.
	if strings.TrimSpace(req.ReporterName) == "" && d.Privacy != "" {
		f.add("reporter_name", "required", "Isi nama Anda, atau pilih Anonim.", "Give your name, or choose Anonymous.")
	} else {
		f.text("reporter_name", req.ReporterName, &d.ReporterName, false, false, 2, maxName)
	}
	if p := strings.TrimSpace(req.ReporterPhone); p != "" {
		if n, ok := phoneDigits(p); ok {
			d.ReporterPhone = n
		} else {
			f.add("reporter_phone", "invalid_phone", "Nomor telepon tidak valid (contoh 0812 3456 7890).", "Invalid phone number (e.g. 0812 3456 7890).")
		}
	}
	if e := strings.TrimSpace(req.ReporterEmail); e != "" {
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || len(e) > maxEmail || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
			f.add("reporter_email", "invalid_email", "Alamat e-mail tidak valid.", "Invalid e-mail address.")
		} else {
			d.ReporterEmail = e
		}
	}
	if counter {
		// A NIK and "identity checked" only mean something when a clerk
		// saw the KTP; the public API ignores both.
		if nik := strings.TrimSpace(req.ReporterNIK); nik != "" {
			if nikPattern.MatchString(nik) {
				d.ReporterNIK = nik
			} else {
				f.add("reporter_nik", "invalid_nik", "NIK terdiri dari 16 angka.", "A NIK has 16 digits.")
			}
		}
		d.IdentityChecked = req.IdentityChecked
		d.StaffID, d.StaffName = req.Staff.Id, req.Staff.GetString("name")
	}
	d.Gender, d.Disability = gender(f, req.ReporterGender), req.ReporterDisability
}

func gender(f fieldErrs, raw string) string {
	switch g := strings.TrimSpace(raw); g {
	case "", "perempuan", "laki_laki":
		return g
	default:
		f.add("reporter_gender", "invalid_choice", "Pilihan tidak dikenal.", "Unknown choice.")
		return ""
	}
}

// channelOf decides the channel from who is submitting, never from what
// the citizen claims: the counter needs a staff session, the kiosk a kiosk
// token; a channel set by the caller must agree, except that a clerk says
// how a report reached the desk (model.CounterChannels).
func channelOf(req Request, d *draft) string {
	derived := model.ChannelWeb
	switch {
	case req.Staff != nil:
		derived = model.ChannelCounter
	case d.KioskID != "":
		derived = model.ChannelKiosk
	case d.QRID != "":
		derived = model.ChannelQR
	}
	switch req.Channel {
	case "", derived:
		return derived
	case model.ChannelLetter, model.ChannelPhone, model.ChannelSMS, model.ChannelWhatsApp, model.ChannelSuggestionBox:
		if derived == model.ChannelCounter { // only a clerk records how a report came in
			return req.Channel
		}
	case model.ChannelOpen311:
		if derived == model.ChannelWeb || derived == model.ChannelQR {
			return model.ChannelOpen311
		}
	}
	return ""
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}
