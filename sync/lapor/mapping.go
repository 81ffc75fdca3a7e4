package lapor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// MappingKey is the sync_state row holding the office's mapping overrides
// (JSON, editable in the admin UI at /_/).
const MappingKey = "lapor_mapping"

// Field keys of the report a complaint becomes (Mapping.Fields).
const (
	FieldToken     = "token"     // the access token (SIMPUL_LAPOR_TOKEN), in every call
	FieldTitle     = "title"     // judul
	FieldContent   = "content"   // isi
	FieldTopic     = "topic"     // categories.lapor_topic_id, else default_topic
	FieldType      = "type"      // Mapping.Types[complaint type]
	FieldAnonymous = "anonymous" // flag_true for anonymous reports
	FieldSecret    = "secret"    // flag_true for confidential reports
	FieldDate      = "date"      // incident date (date_format)
	FieldLocation  = "location"  // free-text location
	FieldReference = "reference" // our tracking code
	FieldStatus    = "status"    // Mapping.Statuses[status when sent]
	FieldUnit      = "unit"      // units.lapor_id of the complaint's unit
)

// FieldKeys lists every key Mapping.Fields accepts.
var FieldKeys = []string{FieldToken, FieldTitle, FieldContent, FieldTopic, FieldType, FieldAnonymous,
	FieldSecret, FieldDate, FieldLocation, FieldReference, FieldStatus, FieldUnit}

// Keys of the later calls' fields (Call.Fields): what each call may carry.
const (
	CallTrackingID = "tracking_id" // LAPOR!'s tracking id of the report
	CallReference  = "reference"   // lookup: our tracking code; follow-up, status, close: the event's uid (a de-duplication key)
	CallContent    = "content"     // follow-up or closing text
	CallStatus     = "status"      // Mapping.Statuses[our status]
	CallNote       = "note"        // the public note of a status change
	CallDate       = "date"        // when it happened (date_format)
	CallSince      = "since"       // pull: the day of the last pull (date_format)
)

// callKeys lists the keys each call accepts.
var callKeys = map[string][]string{
	"lookup":   {CallReference},
	"followup": {CallTrackingID, CallReference, CallContent, CallDate},
	"status":   {CallTrackingID, CallReference, CallStatus, CallNote, CallDate},
	"close":    {CallTrackingID, CallReference, CallContent, CallDate},
	"pull":     {CallSince},
}

// Keys of a pulled report (PullCall.Report): our names for what LAPOR!'s
// data-access answer carries.
var reportKeys = []string{CallTrackingID, FieldTitle, FieldContent, FieldTopic, FieldType, FieldDate, FieldLocation,
	FieldAnonymous}

// Body encodings.
const (
	EncodingForm = "form" // application/x-www-form-urlencoded (legacy)
	EncodingJSON = "json" // one flat JSON object of strings
)

// When a report is sent (Mapping.SendOn).
const (
	// SendVerified: once the report is verified and disposed, or handed
	// up as not this office's authority (bukan_wewenang) — never spam.
	SendVerified = "verified"
	// SendCreated: as soon as it is received (the legacy behaviour).
	SendCreated = "created"
)

// Call is one optional request of the case after its report: a path on
// SIMPUL_LAPOR_URL's host (so the token never goes anywhere else), the
// method and the names of the fields it carries. A call whose path is
// empty is not made: what it would carry is settled locally.
//
// "{tracking_id}" and "{reference}" in the path are replaced by LAPOR!'s
// id and our reference (URL-escaped). GET sends the fields in the query,
// any other method in the body (Mapping.Encoding). The token and Extra go
// with every call as with the report.
type Call struct {
	Path   string            `json:"path"`
	Method string            `json:"method"`
	Fields map[string]string `json:"fields"`
}

// Configured reports whether the call is made.
func (c Call) Configured() bool { return c.Path != "" }

// PullCall is the data-access call that lists the reports LAPOR! disposed
// to this agency: a Call, where the list is in the answer (ListField, at
// the top level or under "data"; default "data") and the names of each
// report's keys.
type PullCall struct {
	Call
	ListField string            `json:"list_field"`
	Report    map[string]string `json:"report"`
}

// Mapping says how a complaint becomes a LAPOR! report and how its case
// travels after it. The JSON in the sync_state row MappingKey overlays
// DefaultMapping key by key; an empty string keeps the default, except in
// fields, where "" means "do not send".
type Mapping struct {
	// Fields maps our field keys (FieldKeys) to LAPOR!'s field names.
	Fields map[string]string `json:"fields"`
	// Types, Statuses: our codes → LAPOR! values. A report whose type has
	// no value is refused locally; a status without a value is not sent.
	Types    map[string]string `json:"types"`
	Statuses map[string]string `json:"statuses"`
	// FlagTrue, FlagFalse: the values sent for the anonim/rahasia flags.
	FlagTrue  string `json:"flag_true"`
	FlagFalse string `json:"flag_false"`
	// DefaultTopic is sent when a category has no lapor_topic_id.
	DefaultTopic string `json:"default_topic"`
	// DateFormat is the Go layout of every date sent (default 2006-01-02).
	DateFormat string `json:"date_format"`
	// Extra fields sent with every call unchanged (e.g. an agency id).
	Extra map[string]string `json:"extra"`
	// Encoding of the body: "form" (default) or "json".
	Encoding string `json:"encoding"`
	// TokenHeader, if set, also sends the token in this request header,
	// prefixed by TokenPrefix (e.g. "Authorization" and "Bearer ").
	TokenHeader string `json:"token_header"`
	TokenPrefix string `json:"token_prefix"`
	// TrackingField, TransactionField, MessageField name the answer's JSON
	// keys, found at the top level or under "data".
	TrackingField    string `json:"tracking_field"`
	TransactionField string `json:"transaction_field"`
	MessageField     string `json:"message_field"`
	// SendOn: SendVerified (default) or SendCreated.
	SendOn string `json:"send_on"`
	// The case after the report, each call optional.
	Lookup   Call     `json:"lookup"`   // find a report by our reference before creating it again
	Followup Call     `json:"followup"` // each follow-up (tindak lanjut)
	Status   Call     `json:"status"`   // each change of status (through Statuses)
	Close    Call     `json:"close"`    // the closing (selesai), instead of a status call
	Pull     PullCall `json:"pull"`     // the reports LAPOR! disposed to this agency
}

// DefaultMapping is the legacy public shape: a report sent once verified;
// no later call is known publicly, so none is made until the office maps it.
func DefaultMapping() Mapping {
	return Mapping{
		Fields: map[string]string{
			FieldToken: "KEYTOKEN", FieldTitle: "title", FieldContent: "content", FieldTopic: "topic_id",
			FieldType: "classification", FieldAnonymous: "is_anonymous", FieldSecret: "is_secret",
			FieldDate: "incident_date", FieldLocation: "location", FieldReference: "external_id",
			FieldStatus: "", FieldUnit: "",
		},
		Types:    map[string]string{model.TypePengaduan: "1", model.TypeAspirasi: "2", model.TypePermintaanInformasi: "3"},
		Statuses: map[string]string{},
		FlagTrue: "1", FlagFalse: "0",
		DateFormat:    "2006-01-02",
		Extra:         map[string]string{},
		Encoding:      EncodingForm,
		TrackingField: "TrackingID", TransactionField: "TransactionID", MessageField: "message",
		SendOn: SendVerified,
	}
}

// LoadMapping returns the defaults overlaid with the office's overrides
// from sync_state; an invalid override is an error naming the problem.
func LoadMapping(app core.App) (Mapping, error) {
	m := DefaultMapping()
	var raw string
	err := app.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": MappingKey}).Row(&raw)
	raw = strings.TrimSpace(raw)
	if err != nil || raw == "" || raw == "null" {
		return m, nil
	}
	// The admin UI may store the object as a JSON string: accept both.
	var quoted string
	if json.Unmarshal([]byte(raw), &quoted) == nil {
		raw = quoted
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var o Mapping
	if err := dec.Decode(&o); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			// Not the words "unexpected EOF": upstream.ErrorKind would file
			// a broken mapping as a network failure.
			err = errors.New("the JSON is cut short")
		}
		return m, mappingErr("is not a valid mapping: %v", err)
	}
	for k, v := range o.Fields {
		if !slices.Contains(FieldKeys, k) {
			return m, mappingErr("unknown key fields.%s (known: %s)", k, strings.Join(FieldKeys, ", "))
		}
		m.Fields[k] = strings.TrimSpace(v)
	}
	for k, v := range o.Types {
		if !slices.Contains(model.Types, k) {
			return m, mappingErr("unknown report type types.%s (known: %s)", k, strings.Join(model.Types, ", "))
		}
		m.Types[k] = v
	}
	for k, v := range o.Statuses {
		if !slices.Contains(model.Statuses, k) {
			return m, mappingErr("unknown status statuses.%s (known: %s)", k, strings.Join(model.Statuses, ", "))
		}
		m.Statuses[k] = v
	}
	for k, v := range o.Extra {
		m.Extra[k] = v
	}
	for dst, src := range map[*string]string{&m.FlagTrue: o.FlagTrue, &m.FlagFalse: o.FlagFalse,
		&m.DefaultTopic: o.DefaultTopic, &m.DateFormat: o.DateFormat, &m.Encoding: o.Encoding,
		&m.TokenHeader: o.TokenHeader, &m.TokenPrefix: o.TokenPrefix, &m.TrackingField: o.TrackingField,
		&m.TransactionField: o.TransactionField, &m.MessageField: o.MessageField, &m.SendOn: o.SendOn} {
		if src != "" {
			*dst = src
		}
	}
	m.Lookup, m.Followup, m.Status, m.Close, m.Pull = o.Lookup, o.Followup, o.Status, o.Close, o.Pull
	if m.Pull.ListField == "" {
		m.Pull.ListField = "data"
	}
	switch {
	case m.Encoding != EncodingForm && m.Encoding != EncodingJSON:
		return m, mappingErr("encoding %q: want %q or %q", m.Encoding, EncodingForm, EncodingJSON)
	case m.SendOn != SendVerified && m.SendOn != SendCreated:
		return m, mappingErr("send_on %q: want %q or %q", m.SendOn, SendVerified, SendCreated)
	case m.Fields[FieldToken] == "" && m.TokenHeader == "":
		return m, mappingErr("the token is sent nowhere: name fields.token or token_header")
	}
	for k := range m.Extra {
		for fk, name := range m.Fields {
			if name == k {
				return m, mappingErr("extra.%s is also the name of fields.%s", k, fk)
			}
		}
	}
	for name, c := range map[string]Call{"lookup": m.Lookup, "followup": m.Followup, "status": m.Status,
		"close": m.Close, "pull": m.Pull.Call} {
		if err := c.check(name); err != nil {
			return m, err
		}
	}
	for k := range m.Pull.Report {
		if !slices.Contains(reportKeys, k) {
			return m, mappingErr("unknown key pull.report.%s (known: %s)", k, strings.Join(reportKeys, ", "))
		}
	}
	if m.Pull.Configured() && m.Pull.Report[CallTrackingID] == "" {
		return m, mappingErr("pull.report.tracking_id must name the key of LAPOR!'s tracking id")
	}
	return m, nil
}

func (c Call) check(name string) error {
	if c.Path == "" {
		return nil
	}
	if !strings.HasPrefix(c.Path, "/") || strings.HasPrefix(c.Path, "//") || strings.ContainsAny(c.Path, " \t\r\n#") {
		return mappingErr("%s.path %q: give a path beginning with / (calls go to the host of the report URL only)", name, c.Path)
	}
	switch strings.ToUpper(c.Method) {
	case "", http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return mappingErr("%s.method %q: want GET, POST, PUT or PATCH", name, c.Method)
	}
	for k := range c.Fields {
		if !slices.Contains(callKeys[name], k) {
			return mappingErr("unknown key %s.fields.%s (known: %s)", name, k, strings.Join(callKeys[name], ", "))
		}
	}
	return nil
}

func mappingErr(format string, args ...any) error {
	return fmt.Errorf("lapor: sync_state "+MappingKey+": "+format, args...)
}
