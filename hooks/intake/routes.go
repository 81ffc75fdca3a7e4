package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
	"simpul/hooks/links"
	"simpul/hooks/platform/routes"
	"simpul/hooks/websec"
)

// KioskHeader carries a registered kiosk's token.
const KioskHeader = "X-Kiosk-Token"

// maxJSONBody bounds a JSON submission (no files travel in JSON): the
// longest body (10,000 characters of up to 4 bytes) and every other field
// fit with room to spare.
const maxJSONBody = 128 << 10

func bindRoutes(app core.App) {
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodPost, Path: "/api/complaints", Who: routes.Kiosk, Handler: handleSubmit,
			Middlewares: []*hook.Handler[*core.RequestEvent]{apis.BodyLimit(MaxRequestSize)}},
		{Method: http.MethodGet, Path: "/api/track/{code}", Who: routes.Anyone, Handler: handleTrack},
	}})
}

// apiField is a FieldError in PocketBase's error data shape.
type apiField struct{ f FieldError }

func (a apiField) Code() string  { return a.f.Code }
func (a apiField) Error() string { return a.f.Message }

// APIError turns a Submit error into the error PocketBase's router writes:
// {"status","message","data":{field:{code,message}}}. Other errors become a
// 500 with no detail (the cause is logged).
func APIError(e *core.RequestEvent, err error) error {
	var refused *Error
	if !errors.As(err, &refused) {
		e.App.Logger().Error("intake_failed", "error", err.Error())
		return router.NewInternalServerError("Laporan belum tersimpan karena gangguan sistem; silakan coba lagi. — The report was not saved because of a system fault; please try again.", nil)
	}
	data := make(map[string]router.SafeErrorItem, len(refused.Fields))
	for k, v := range refused.Fields {
		data[k] = apiField{v}
	}
	if refused.Status == http.StatusTooManyRequests {
		e.Response.Header().Set("Retry-After", websec.RetryAfter(refused.RetryAfter))
	}
	return router.NewApiError(refused.Status, refused.Message, data)
}

func handleSubmit(e *core.RequestEvent) error {
	req, err := readRequest(e)
	if err != nil {
		return APIError(e, err)
	}
	res, err := Submit(e.App, req)
	if err != nil {
		return APIError(e, err)
	}
	if res.Replayed {
		e.Response.Header().Set("Idempotent-Replayed", "true")
	}
	e.Response.Header().Set("Cache-Control", "no-store") // the PIN is in it
	body := map[string]any{
		"tracking_code": res.TrackingCode,
		"status":        res.Status,
		"due_at":        jsonTime(res.DueAt),
		"track_url":     res.TrackURL,
	}
	if res.PIN != "" { // not on a replay from another client
		body["receipt_url"], body["pin"] = res.ReceiptURL, res.PIN
	}
	return e.JSON(http.StatusCreated, body)
}

// readRequest reads a submission from JSON, multipart or URL-encoded form.
func readRequest(e *core.RequestEvent) (Request, error) {
	req := Request{KioskToken: e.Request.Header.Get(KioskHeader), RemoteIP: e.RealIP(), Origin: links.Origin(e.Request)}
	if e.Auth != nil && e.Auth.Collection().Name == model.Staff && e.Auth.GetBool("active") {
		req.Staff = e.Auth // the counter, through the API
	}
	mt, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		return req, readJSON(e, &req)
	case "multipart/form-data", "application/x-www-form-urlencoded":
		if err := e.Request.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return req, bodyError(err)
		}
		if mt == "application/x-www-form-urlencoded" {
			if err := e.Request.ParseForm(); err != nil {
				return req, bodyError(err)
			}
		}
		FromForm(e.Request.PostFormValue, &req)
		if mt == "multipart/form-data" {
			files, err := e.FindUploadedFiles("attachments")
			if err != nil && !errors.Is(err, http.ErrMissingFile) {
				return req, bodyError(err)
			}
			req.Attachments = files
		}
		return req, nil
	}
	return req, &Error{Status: http.StatusUnsupportedMediaType,
		Message: "Kirim sebagai JSON atau multipart/form-data. — Send JSON or multipart/form-data."}
}

// FromForm copies the form fields named as in the API into req (the pages
// use it too, so a field means the same on every channel).
func FromForm(get func(string) string, req *Request) {
	req.Type, req.Title, req.Body = get("type"), get("title"), get("body")
	req.Category, req.Unit, req.IncidentDate = get("category"), get("unit"), get("incident_date")
	req.Location, req.Privacy = get("location"), get("privacy")
	req.ReporterName, req.ReporterPhone, req.ReporterEmail = get("reporter_name"), get("reporter_phone"), get("reporter_email")
	req.ReporterNIK, req.ReporterGender = get("reporter_nik"), get("reporter_gender")
	req.ReporterDisability = isTrue(get("reporter_disability"))
	req.IdentityChecked = isTrue(get("identity_checked"))
	req.QR, req.ClientRef, req.Honeypot = get("qr"), get("client_ref"), get("website")
	if c := strings.TrimSpace(get("channel")); c != "" && req.Staff != nil {
		req.Channel = c // a clerk's: letter, phone, sms, whatsapp, suggestion_box (channelOf checks)
	}
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "on", "yes", "ya":
		return true
	}
	return false
}

// bodyError maps a failure to read the body: too large is a 413.
func bodyError(err error) *Error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || strings.Contains(err.Error(), "too large") {
		return &Error{Status: http.StatusRequestEntityTooLarge,
			Message: "Kiriman terlalu besar. — The request is too large."}
	}
	return &Error{Status: http.StatusBadRequest, Message: "Kiriman tidak dapat dibaca. — The request could not be read."}
}

// readJSON reads a JSON submission of at most maxJSONBody bytes.
func readJSON(e *core.RequestEvent, req *Request) error {
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, maxJSONBody+1))
	if err != nil {
		return bodyError(err)
	}
	if len(raw) > maxJSONBody {
		return &Error{Status: http.StatusRequestEntityTooLarge, Message: "Kiriman terlalu besar. — The request is too large."}
	}
	return DecodeJSON(raw, req)
}

// plainString is the text of v, a JSON value the decoder has already
// checked, when v is a string that needs no unescaping: no backslash and
// valid UTF-8 (json.Unmarshal would replace invalid bytes). That is nearly
// every field of a real report, read without a second decoding pass.
func plainString(v json.RawMessage) (string, bool) {
	if len(v) < 2 || v[0] != '"' || bytes.IndexByte(v, '\\') >= 0 || !utf8.Valid(v) {
		return "", false
	}
	return string(v[1 : len(v)-1]), true
}

// DecodeJSON fills req's citizen fields from a JSON object. A field of the
// wrong JSON type is a field error, like any other invalid value; unknown
// fields are ignored.
func DecodeJSON(raw []byte, req *Request) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return &Error{Status: http.StatusBadRequest, Message: "JSON tidak valid. — Invalid JSON."}
	}
	f := fieldErrs{}
	str := func(key string, dst *string) {
		v, ok := m[key]
		if !ok || string(v) == "null" {
			return
		}
		if s, ok := plainString(v); ok {
			*dst = s
			return
		}
		if err := json.Unmarshal(v, dst); err != nil {
			f.add(key, "invalid_type", "Harus berupa teks.", "Must be a string.")
		}
	}
	flag := func(key string, dst *bool) {
		if v, ok := m[key]; ok && string(v) != "null" {
			if err := json.Unmarshal(v, dst); err != nil {
				f.add(key, "invalid_type", "Harus true atau false.", "Must be true or false.")
			}
		}
	}
	num := func(key string) *float64 {
		v, ok := m[key]
		if !ok || string(v) == "null" {
			return nil
		}
		var x float64
		if err := json.Unmarshal(v, &x); err != nil {
			f.add(key, "invalid_type", "Harus berupa angka.", "Must be a number.")
			return nil
		}
		return &x
	}
	for key, dst := range map[string]*string{
		"type": &req.Type, "title": &req.Title, "body": &req.Body, "category": &req.Category,
		"unit": &req.Unit, "incident_date": &req.IncidentDate, "location": &req.Location,
		"privacy": &req.Privacy, "reporter_name": &req.ReporterName, "reporter_phone": &req.ReporterPhone,
		"reporter_email": &req.ReporterEmail, "reporter_nik": &req.ReporterNIK,
		"reporter_gender": &req.ReporterGender, "qr": &req.QR, "client_ref": &req.ClientRef, "website": &req.Honeypot,
	} {
		str(key, dst)
	}
	var channel string
	str("channel", &channel)
	if channel != "" && req.Staff != nil {
		req.Channel = channel
	}
	flag("reporter_disability", &req.ReporterDisability)
	flag("identity_checked", &req.IdentityChecked)
	req.Lat, req.Lon = num("lat"), num("lon")
	if len(f) > 0 {
		return invalid(f)
	}
	return nil
}

func jsonTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// handleTrack is GET /api/track/{code}.
func handleTrack(e *core.RequestEvent) error {
	v, err := Track(e.App, e.Request.PathValue("code"), e.RealIP())
	if err != nil {
		return APIError(e, err)
	}
	if v == nil {
		return router.NewNotFoundError("Laporan tidak ditemukan. — Report not found.", nil)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, v)
}
