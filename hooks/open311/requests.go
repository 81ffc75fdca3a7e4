package open311

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/export"
	"simpul/hooks/intake"
	"simpul/hooks/links"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/hooks/websec"
)

// Open311's two statuses. Everything not yet finished is open; a report
// that was completed, archived at verification or handed to another
// authority is closed. The LAPOR! status itself is in status_notes.
const (
	statusOpen   = "open"
	statusClosed = "closed"
)

// openStatuses are the LAPOR! statuses that map to "open".
var openStatuses = []string{model.StatusBaru, model.StatusTertunda, model.StatusTerdisposisi, model.StatusProses}

func open311Status(status string) string {
	for _, s := range openStatuses {
		if s == status {
			return statusOpen
		}
	}
	return statusClosed
}

// Limits of GET requests (the spec's response volume).
const (
	defaultSpan   = 90 * 24 * time.Hour
	maxPageSize   = 1000
	maxIDs        = 1000      // with an api_key
	maxKeylessIDs = 10        // without one: a code is a secret, not a search term
	maxPostBody   = 128 << 10 // the longest description and every other field fit
	maxTitle      = 200       // the complaints schema's
)

// serviceRequest is one request in a GET answer. Pointers are null in JSON
// and left out of XML when nil.
type serviceRequest struct {
	XMLName           xml.Name `xml:"request" json:"-"`
	ID                string   `xml:"service_request_id" json:"service_request_id"`
	Status            string   `xml:"status" json:"status"`
	StatusNotes       *string  `xml:"status_notes" json:"status_notes"`
	ServiceName       string   `xml:"service_name" json:"service_name"`
	ServiceCode       string   `xml:"service_code" json:"service_code"`
	Description       *string  `xml:"description" json:"description"`
	AgencyResponsible *string  `xml:"agency_responsible" json:"agency_responsible"`
	ServiceNotice     *string  `xml:"service_notice" json:"service_notice"`
	RequestedDatetime string   `xml:"requested_datetime" json:"requested_datetime"`
	UpdatedDatetime   string   `xml:"updated_datetime" json:"updated_datetime"`
	ExpectedDatetime  *string  `xml:"expected_datetime" json:"expected_datetime"`
	Address           *string  `xml:"address" json:"address"`
	Lat               *float64 `xml:"lat" json:"lat"`
	Long              *float64 `xml:"long" json:"long"`
}

type requestsXML struct {
	XMLName  xml.Name         `xml:"service_requests"`
	Requests []serviceRequest `xml:"request"`
}

// requestRow is what a request answer is built from.
type requestRow struct {
	Code         string `db:"tracking_code"`
	Created      string `db:"created"`
	Privacy      string `db:"privacy"`
	Status       string `db:"status"`
	Title        string `db:"title"`
	Body         string `db:"body"`
	PublicTitle  string `db:"public_title"`
	PublicBody   string `db:"public_body"`
	Location     string `db:"location"`
	Geo          string `db:"geo"`
	CategoryCode string `db:"category_code"`
	CategoryName string `db:"category_name"`
	UnitName     string `db:"unit_name"`
	DueAt        string `db:"due_at"`
	ClosedAt     string `db:"closed_at"`
	LastNote     string `db:"last_note"`
	LastEvent    string `db:"last_event"`
}

// loadRows selects requests from the rows `from` names (complaints c)
// with the condition where, newest first. The last note is the latest
// public note written by staff (a reporter's own replies never become
// status notes).
func loadRows(app core.App, from, where string, params dbx.Params, limit, offset int) ([]requestRow, error) {
	sql := `SELECT c.tracking_code, c.created, c.privacy, c.status, c.title, c.body, c.public_title, c.public_body, c.location, c.geo,
 COALESCE(cat.code,'') AS category_code, COALESCE(cat.name,'') AS category_name, COALESCE(u.name,'') AS unit_name,
 c.due_at, c.closed_at,
 COALESCE((SELECT e.note FROM complaint_events e WHERE e.complaint = c.id AND e.public = TRUE AND e.note != ''
   AND e.actor_type != 'reporter' ORDER BY e.seq DESC LIMIT 1), '') AS last_note,
 COALESCE((SELECT MAX(e.at) FROM complaint_events e WHERE e.complaint = c.id AND e.public = TRUE), '') AS last_event
 FROM ` + from + `
 LEFT JOIN units u ON u.id = c.unit
 LEFT JOIN categories cat ON cat.id = c.category
 WHERE ` + where + `
 ORDER BY c.created DESC, c.id DESC`
	if limit > 0 {
		sql += " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
	}
	var rows []requestRow
	if err := app.DB().NewQuery(sql).Bind(params).All(&rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// Levels of what a request answer may say.
const (
	// listed: a report in a list anybody may page through. Only verified
	// public reports are listed, and a list says no more than the public
	// page: the description is the public title, never the body or the
	// location the citizen typed (privacy.Public).
	listed = iota
	// byCode: a report asked for by its tracking code, which is the
	// secret (as on /lacak): the body too, and the location once the
	// report is verified, except for a confidential report, of which only
	// the status is told (privacy.CodeHolder).
	byCode
)

// toRequest builds the answer for one row, as the privacy policy lets the
// public read it: never the reporter's identity, every free text masked.
func toRequest(r requestRow, level int) serviceRequest {
	sr := serviceRequest{ID: r.Code, Status: open311Status(r.Status), ServiceName: r.CategoryName, ServiceCode: r.CategoryCode,
		RequestedDatetime: w3c(parseTime(r.Created))}
	cs, holder := privacy.Case{Privacy: r.Privacy, Status: r.Status}, privacy.Viewer{Role: privacy.CodeHolder}
	notes := vocab.Status(vocab.ID, r.Status)
	if r.LastNote != "" && privacy.May(holder, cs, privacy.Text) {
		notes += ": " + privacy.Mask(r.LastNote)
	}
	sr.StatusNotes = &notes
	if r.UnitName != "" {
		sr.AgencyResponsible = strPtr(r.UnitName)
	}
	if due := parseTime(r.DueAt); !due.IsZero() {
		sr.ExpectedDatetime = strPtr(w3c(due))
	}
	updated := parseTime(r.Created)
	if t := parseTime(r.LastEvent); t.After(updated) {
		updated = t
	}
	if t := parseTime(r.ClosedAt); !t.IsZero() && sr.Status == statusClosed {
		updated = t
	}
	sr.UpdatedDatetime = w3c(updated)
	switch {
	case level == listed:
		sr.Description = strPtr(privacy.PublicText(r.Title, r.PublicTitle))
	case privacy.May(holder, cs, privacy.Text):
		sr.Description = strPtr(privacy.PublicText(r.Body, r.PublicBody))
	}
	if level == byCode && privacy.May(holder, cs, privacy.Location) {
		if r.Location != "" {
			sr.Address = strPtr(privacy.Mask(r.Location))
		}
		var geo struct {
			Lat float64 `json:"lat"`
			Lon float64 `json:"lon"`
		}
		if json.Unmarshal([]byte(r.Geo), &geo) == nil && (geo.Lat != 0 || geo.Lon != 0) {
			sr.Lat, sr.Long = &geo.Lat, &geo.Lon
		}
	}
	return sr
}

func strPtr(s string) *string { return &s }

// w3c writes t as the spec's W3C datetime, in UTC.
func w3c(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{"2006-01-02 15:04:05.000Z", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// request is GET requests/{id}.{fmt}: any existing code answers (the code
// is the secret), never with the reporter's identity.
func (h *handlers) request(e *core.RequestEvent, id, format string) error {
	if strings.TrimSpace(id) == "" {
		return fail(e, format, http.StatusBadRequest, "service_request_id belum diisi. — service_request_id was not provided.")
	}
	code, err := trackcode.Normalize(id)
	if err != nil {
		return fail(e, format, http.StatusNotFound, "service_request_id tidak ditemukan; periksa kode pada struk. — service_request_id not found; check the code on the receipt.")
	}
	lookup, wait := websec.CodeLookups(h.app).Reserve(e.RealIP(), 1)
	if lookup == nil {
		return tooManyCodes(e, format, wait)
	}
	rows, err := loadRows(h.app, "complaints c", "c.tracking_code = {:code}", dbx.Params{"code": code}, 1, 0)
	if err != nil {
		return h.internal(e, format, err)
	}
	if len(rows) == 0 {
		return fail(e, format, http.StatusNotFound, "service_request_id tidak ditemukan. — service_request_id not found.")
	}
	lookup.Found(1)
	list := []serviceRequest{toRequest(rows[0], byCode)}
	return write(e, format, http.StatusOK, list, requestsXML{Requests: list})
}

// token is GET tokens/{id}.{fmt}. Every service is "realtime": a POST
// answers with the service_request_id at once and no token is ever
// issued, so no token exists.
func (h *handlers) token(e *core.RequestEvent, id, format string) error {
	if strings.TrimSpace(id) == "" {
		return fail(e, format, http.StatusBadRequest, "token belum diisi. — token was not provided.")
	}
	return fail(e, format, http.StatusNotFound,
		"token tidak ditemukan: server ini langsung memberi service_request_id. — token not found: this server returns the service_request_id at once (type realtime).")
}

// queryValues joins every value of a parameter that may be declared
// several times or comma-delimited, trimmed and without empties.
func queryValues(q url.Values, key string) []string {
	var out []string
	for _, v := range q[key] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// parseW3C reads a W3C datetime (the spec's date format): 2010-01-01T00:00:00Z,
// with an offset, fractions or minutes only, or a bare date (midnight in
// the office's time zone). A "+" that a client forgot to encode arrives
// as a space and is put back.
func parseW3C(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 19 && s[19] == ' ' {
		s = s[:19] + "+" + s[20:]
	} else if len(s) > 16 && s[16] == ' ' {
		s = s[:16] + "+" + s[17:]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// requests is GET requests.{fmt}.
//
// With service_request_id (comma list) it answers those codes, like
// requests/{id} (the spec: it overrides every other argument); unknown
// codes are left out. Otherwise it lists verified public reports only
// (privacy.ListedCondition), newest first, created within the 90 days
// start_date/end_date name (default: the last 90 days), filtered by
// service_code and status, at most page_size (≤ 1000, default 1000) per
// page; page and page_size are extensions. A Link header with rel="next"
// points to the next page when there is one.
func (h *handlers) requests(e *core.RequestEvent, format string) error {
	q := e.Request.URL.Query()
	if ids := queryValues(q, "service_request_id"); len(ids) > 0 {
		return h.requestsByCode(e, format, ids)
	}
	loc := sla.Zone(h.app)
	var errs []string
	var start, end time.Time
	if s := q.Get("start_date"); strings.TrimSpace(s) != "" {
		t, ok := parseW3C(s, loc)
		if !ok {
			errs = append(errs, "start_date bukan tanggal W3C (contoh 2026-01-01T00:00:00Z). — start_date is not a W3C datetime (e.g. 2026-01-01T00:00:00Z).")
		}
		start = t
	}
	if s := q.Get("end_date"); strings.TrimSpace(s) != "" {
		t, ok := parseW3C(s, loc)
		if !ok {
			errs = append(errs, "end_date bukan tanggal W3C (contoh 2026-03-31T23:59:59Z). — end_date is not a W3C datetime (e.g. 2026-03-31T23:59:59Z).")
		}
		end = t
	}
	statuses := map[string]bool{}
	for _, s := range queryValues(q, "status") {
		s = strings.ToLower(s)
		if s != statusOpen && s != statusClosed {
			errs = append(errs, "status harus open atau closed. — status must be open or closed.")
			break
		}
		statuses[s] = true
	}
	page, size := 1, maxPageSize
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			errs = append(errs, "page harus bilangan bulat ≥ 1. — page must be an integer ≥ 1.")
		}
		page = n
	}
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			errs = append(errs, "page_size harus 1–1000. — page_size must be 1–1000.")
		}
		size = n
	}
	if len(errs) == 0 {
		switch {
		case start.IsZero() && end.IsZero():
			end = clock.Now(h.app)
			start = end.Add(-defaultSpan)
		case end.IsZero():
			end = start.Add(defaultSpan)
		case start.IsZero():
			start = end.Add(-defaultSpan)
		}
		if end.Before(start) {
			errs = append(errs, "end_date lebih awal dari start_date. — end_date is before start_date.")
		} else if end.Sub(start) > defaultSpan {
			errs = append(errs, "Rentang start_date–end_date paling lama 90 hari. — start_date to end_date may not span more than 90 days.")
		}
	}
	if len(errs) > 0 {
		return fail(e, format, http.StatusBadRequest, errs...)
	}

	where := []string{privacy.ListedCondition(), "c.created >= {:start}", "c.created <= {:end}"}
	params := dbx.Params{"start": dbTime(start), "end": dbTime(end)}
	if codes := queryValues(q, "service_code"); len(codes) > 0 {
		where = append(where, "c.category IN (SELECT id FROM categories WHERE code IN ("+bindList(params, "sc", codes, strings.ToUpper)+"))")
	}
	if len(statuses) == 1 {
		var want []string
		for _, s := range privacy.VerifiedStatuses {
			if statuses[open311Status(s)] {
				want = append(want, s)
			}
		}
		where = append(where, "c.status IN ("+bindList(params, "st", want, nil)+")")
	}
	rows, err := loadRows(h.app, export.PublicFrom, strings.Join(where, " AND "), params, size+1, (page-1)*size)
	if err != nil {
		return h.internal(e, format, err)
	}
	if len(rows) > size {
		rows = rows[:size]
		next := *e.Request.URL
		nq := next.Query()
		nq.Set("page", strconv.Itoa(page+1))
		nq.Set("page_size", strconv.Itoa(size))
		next.RawQuery = nq.Encode()
		e.Response.Header().Set("Link", "<"+next.RequestURI()+`>; rel="next"`)
	}
	list := make([]serviceRequest, len(rows))
	for i, r := range rows {
		list[i] = toRequest(r, listed)
	}
	return write(e, format, http.StatusOK, list, requestsXML{Requests: list})
}

// tooManyCodes answers a client over its budget of unknown codes.
func tooManyCodes(e *core.RequestEvent, format string, wait time.Duration) error {
	e.Response.Header().Set("Retry-After", websec.RetryAfter(wait))
	return fail(e, format, http.StatusTooManyRequests, websec.LookupLimitedMessage)
}

// requestsByCode answers GET requests with service_request_id, in the
// order asked: at most 10 codes without an api_key (1000 with one). Every
// well-formed code spends from the client's budget of unknown codes
// (websec.CodeLookups: the address's, or the key's), given back for the
// codes that exist.
func (h *handlers) requestsByCode(e *core.RequestEvent, format string, ids []string) error {
	client, limit := e.RealIP(), maxKeylessIDs
	if presented := e.Request.URL.Query().Get("api_key"); presented != "" {
		keyID, err := checkKey(h.app, presented, clock.Now(h.app))
		switch {
		case errors.Is(err, errBadKey):
			return fail(e, format, http.StatusForbidden, "api_key tidak valid atau tidak aktif. — Invalid or inactive api_key.")
		case err != nil:
			return h.internal(e, format, err)
		}
		client, limit = "key:"+keyID, maxIDs
	}
	if len(ids) > limit {
		return fail(e, format, http.StatusBadRequest, fmt.Sprintf("Paling banyak %d service_request_id per permintaan%s. — At most %d service_request_id values per request%s.",
			limit, map[bool]string{true: " tanpa api_key", false: ""}[limit == maxKeylessIDs],
			limit, map[bool]string{true: " without an api_key", false: ""}[limit == maxKeylessIDs]))
	}
	var codes []string
	seen := map[string]bool{}
	for _, id := range ids {
		if c, err := trackcode.Normalize(id); err == nil && !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	list := []serviceRequest{}
	if len(codes) > 0 {
		lookup, wait := websec.CodeLookups(h.app).Reserve(client, len(codes))
		if lookup == nil {
			return tooManyCodes(e, format, wait)
		}
		params := dbx.Params{}
		rows, err := loadRows(h.app, "complaints c", "c.tracking_code IN ("+bindList(params, "id", codes, nil)+")", params, 0, 0)
		if err != nil {
			return h.internal(e, format, err)
		}
		lookup.Found(len(rows))
		order := map[string]int{}
		for i, c := range codes {
			order[c] = i
		}
		sort.SliceStable(rows, func(i, j int) bool { return order[rows[i].Code] < order[rows[j].Code] })
		for _, r := range rows {
			list = append(list, toRequest(r, byCode))
		}
	}
	return write(e, format, http.StatusOK, list, requestsXML{Requests: list})
}

// bindList adds values as parameters prefix0, prefix1, … and returns the
// placeholders for an IN list.
func bindList(params dbx.Params, prefix string, values []string, norm func(string) string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		if norm != nil {
			v = norm(v)
		}
		k := prefix + strconv.Itoa(i)
		params[k] = v
		ph[i] = "{:" + k + "}"
	}
	return strings.Join(ph, ",")
}

// dbTime is t as PocketBase stores dates.
func dbTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}

// postResult is the answer to POST requests.
type postResult struct {
	XMLName       xml.Name `xml:"request" json:"-"`
	ID            string   `xml:"service_request_id" json:"service_request_id"`
	ServiceNotice string   `xml:"service_notice" json:"service_notice"`
	AccountID     *string  `xml:"-" json:"account_id"`
	AccountIDXML  string   `xml:"account_id" json:"-"`
}

type postResultsXML struct {
	XMLName  xml.Name     `xml:"service_requests"`
	Requests []postResult `xml:"request"`
}

// fieldNames maps intake's field names to the Open311 arguments a client
// sent.
var fieldNames = map[string]string{
	"body": "description", "title": "description", "location": "address_string", "lat": "lat/long",
	"category": "service_code", "reporter_name": "first_name/last_name", "reporter_email": "email",
	"reporter_phone": "phone",
}

// createRequest is POST requests.{fmt}: form-encoded arguments per the
// spec, submitted through intake.Submit like every other channel.
func (h *handlers) createRequest(e *core.RequestEvent, format string) error {
	mt, _, _ := mime.ParseMediaType(e.Request.Header.Get("Content-Type"))
	e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxPostBody)
	var perr error
	switch mt {
	case "application/x-www-form-urlencoded":
		perr = e.Request.ParseForm()
	case "multipart/form-data":
		perr = e.Request.ParseMultipartForm(maxPostBody)
	default:
		return fail(e, format, http.StatusBadRequest,
			"Kirim sebagai application/x-www-form-urlencoded. — Send the arguments as application/x-www-form-urlencoded.")
	}
	if perr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(perr, &tooLarge) {
			return fail(e, format, http.StatusRequestEntityTooLarge, "Kiriman terlalu besar. — The request is too large.")
		}
		return fail(e, format, http.StatusBadRequest, "Kiriman tidak dapat dibaca. — The request could not be read.")
	}
	get := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }

	// The key is read from the body only: a key in the URL ends up in
	// proxy and request logs.
	keyID, err := checkKey(h.app, e.Request.PostFormValue("api_key"), clock.Now(h.app))
	switch {
	case errors.Is(err, errNoKey):
		return fail(e, format, http.StatusForbidden, "api_key belum diisi. — api_key was not provided.")
	case errors.Is(err, errBadKey):
		return fail(e, format, http.StatusForbidden, "api_key tidak valid atau tidak aktif. — Invalid or inactive api_key.")
	case err != nil:
		return h.internal(e, format, err)
	}

	code := get("service_code")
	if code == "" {
		return fail(e, format, http.StatusBadRequest, "service_code belum diisi. — service_code was not provided.")
	}
	svc, err := findService(h.app, code)
	if err != nil {
		return h.internal(e, format, err)
	}
	if svc == nil {
		return fail(e, format, http.StatusNotFound, "service_code tidak ditemukan. — service_code not found.")
	}

	req := intake.Request{
		Type:          model.TypePengaduan,
		Category:      svc.Code,
		Body:          e.Request.FormValue("description"),
		Location:      get("address_string"),
		ReporterPhone: get("phone"),
		ReporterEmail: get("email"),
		Channel:       model.ChannelOpen311,
		APIClient:     keyID,
		RemoteIP:      e.RealIP(),
		Origin:        links.Origin(e.Request),
	}
	// The title is public once the report is verified: it is made of the
	// service and the place, never of the description (people start it
	// with their name and number).
	req.Title = Title(svc.Name, req.Location, get("lat"), get("long"))
	var errs []string
	lat, long := get("lat"), get("long")
	if lat != "" || long != "" {
		if lat != "" {
			v, err := strconv.ParseFloat(lat, 64)
			if err != nil {
				errs = append(errs, "lat harus berupa angka (WGS84). — lat must be a number (WGS84).")
			}
			req.Lat = &v
		}
		if long != "" {
			v, err := strconv.ParseFloat(long, 64)
			if err != nil {
				errs = append(errs, "long harus berupa angka (WGS84). — long must be a number (WGS84).")
			}
			req.Lon = &v
		}
	} else if req.Location == "" {
		if get("address_id") != "" {
			errs = append(errs, "address_id tidak didukung; kirim address_string atau lat & long. — address_id is not supported: send address_string or lat & long.")
		} else {
			errs = append(errs, "Lokasi wajib: lat & long atau address_string. — A location is required: lat & long, or address_string.")
		}
	}
	if len(errs) > 0 {
		return fail(e, format, http.StatusBadRequest, errs...)
	}
	// A request that names nobody is anonymous: intake then keeps no
	// phone or e-mail either ("nobody but the reporter knows who
	// reported").
	req.ReporterName = strings.TrimSpace(get("first_name") + " " + get("last_name"))
	req.Privacy = model.PrivacyPublic
	if req.ReporterName == "" {
		req.Privacy = model.PrivacyAnonymous
	}

	res, err := intake.Submit(h.app, req)
	if err != nil {
		return h.refused(e, format, err)
	}
	notice := noticeFor(res, sla.Zone(h.app))
	out := []postResult{{ID: res.TrackingCode, ServiceNotice: notice}}
	return write(e, format, http.StatusOK, out, postResultsXML{Requests: out})
}

// refused maps an intake refusal onto spec errors: one entry per field,
// named by the Open311 argument. 429 keeps its status and Retry-After so
// that clients back off; a fault of the appliance is a 500.
func (h *handlers) refused(e *core.RequestEvent, format string, err error) error {
	var ie *intake.Error
	if !errors.As(err, &ie) {
		return h.internal(e, format, err)
	}
	status := ie.Status
	switch status {
	case http.StatusTooManyRequests:
		e.Response.Header().Set("Retry-After", websec.RetryAfter(ie.RetryAfter))
	case http.StatusRequestEntityTooLarge:
	case http.StatusUnauthorized:
		status = http.StatusForbidden
	default:
		status = http.StatusBadRequest
	}
	if len(ie.Fields) == 0 {
		return fail(e, format, status, ie.Message)
	}
	names := make([]string, 0, len(ie.Fields))
	for k := range ie.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	descs := make([]string, 0, len(names))
	for _, k := range names {
		arg := fieldNames[k]
		if arg == "" {
			arg = k
		}
		descs = append(descs, arg+": "+ie.Fields[k].Message)
	}
	return fail(e, format, status, descs...)
}

// noticeFor tells the client what happens next, in Indonesian and English.
func noticeFor(res *intake.Result, loc *time.Location) string {
	id := "Laporan diterima dengan kode " + res.TrackingCode + "."
	en := "Report received as " + res.TrackingCode + "."
	if !res.DueAt.IsZero() {
		due := res.DueAt.In(loc).Format("2006-01-02 15:04 MST")
		id += " Diverifikasi paling lambat " + due + "."
		en += " It will be verified by " + due + "."
	}
	id += " Lacak di " + res.TrackURL
	en += " Track it at " + res.TrackURL
	return id + " — " + en
}

// Title is an Open311 report's title: the service's name and the place
// (the address as given, else the coordinates), at most 200 characters.
// It is never taken from the description, which is the reporter's own
// words (review item 7: "Saya Dewi Lestari HP 0812…" became titles).
func Title(service, address, lat, long string) string {
	place := strings.Join(strings.Fields(address), " ")
	if place == "" && lat != "" && long != "" {
		place = strings.TrimSpace(lat) + ", " + strings.TrimSpace(long)
	}
	t := strings.TrimSpace(service)
	if place != "" {
		t += " — " + place
	}
	if r := []rune(t); len(r) > maxTitle {
		t = strings.TrimRightFunc(string(r[:maxTitle-1]), unicode.IsSpace) + "…"
	}
	if utf8.RuneCountInString(t) < 5 {
		t = "Laporan Open311 — " + t
	}
	return t
}
