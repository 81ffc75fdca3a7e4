// Package intake is the one door through which a complaint enters Simpul,
// whatever the channel: the JSON/multipart API (POST /api/complaints), the
// citizen form and QR landing, the kiosk, the counter and Open311 all call
// Submit. It validates every field, checks attachments by content, applies
// the rate limits, issues the tracking code, receipt token and PIN, sets
// the first SLA deadline and writes the complaint, its "created" event and
// the sync outbox row in one transaction. Concurrent submissions share that
// transaction's commit (group commit), so the data database can run with
// synchronous=FULL and still take bursts at the counter and kiosks.
//
// It also serves the public tracking API, GET /api/track/{code}.
package intake

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Request is one submission as it arrives. The citizen's fields are taken
// as typed (Submit trims and validates them); the channel fields are set by
// the channel's code, never from the citizen's input.
type Request struct {
	Type               string
	Title              string
	Body               string
	Category           string // category code
	Unit               string // unit code; optional
	IncidentDate       string // YYYY-MM-DD; optional
	Location           string
	Lat, Lon           *float64 // optional point (Open311 lat/long)
	Privacy            string   // public, anonymous, confidential
	ReporterName       string
	ReporterPhone      string
	ReporterEmail      string
	ReporterNIK        string // counter only: checked against the KTP
	ReporterGender     string // perempuan, laki_laki or empty (voluntary)
	ReporterDisability bool   // voluntary
	QR                 string // QR point slug
	ClientRef          string // idempotency key
	Honeypot           string // the hidden "website" field: filled only by bots
	Attachments        []*filesystem.File

	Channel         string       // model.Channel*; empty: web, or qr when QR is set
	KioskToken      string       // the kiosk's token (X-Kiosk-Token or its cookie)
	Staff           *core.Record // the counter clerk; nil for the public
	IdentityChecked bool         // counter: identity checked against a KTP
	APIClient       string       // an Open311 key's id: its own rate bucket
	RemoteIP        string       // the client's address, for the guest rate limit
	// Origin is the scheme and host the request reached us at
	// (links.Origin): the base of TrackURL and ReceiptURL when the office
	// has no public base URL configured.
	Origin string
}

// Result is an accepted submission.
type Result struct {
	ComplaintID  string
	TrackingCode string
	Status       string
	DueAt        time.Time
	PIN          string
	TrackURL     string // absolute: on the office's public base URL, else on the request's origin
	ReceiptURL   string // absolute, as TrackURL
	ReceiptPath  string // root-relative, for links on our own pages
	// Replayed is true when client_ref matched an earlier submission of the
	// same report: nothing new was written. A replay from another client
	// than the one that sent the report carries no PIN and no receipt URL.
	Replayed bool
	foreign  bool // a replay from another client
}

// FieldError is one field's problem: a stable code and a message in
// Bahasa Indonesia and English.
type FieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a refused submission. Status is the HTTP status (400, 409, 413,
// 415, 429); Fields holds the per-field problems, keyed by the API field
// names. Nothing is written when Submit returns an *Error.
type Error struct {
	Status     int
	Message    string
	Fields     map[string]FieldError
	RetryAfter time.Duration // for 429: how long until a report is accepted again
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return "intake: " + e.Message
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return "intake: " + e.Message + " (" + strings.Join(names, ", ") + ")"
}

// invalid builds a 400 from field errors.
func invalid(fields map[string]FieldError) *Error {
	return &Error{Status: http.StatusBadRequest,
		Message: "Laporan belum lengkap atau tidak valid. — The report is incomplete or invalid.", Fields: fields}
}
