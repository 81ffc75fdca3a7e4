// Package lapor is the adapter to the national SP4N-LAPOR! system behind
// the same upstream.Parent interface as a parent Simpul: the top node of a
// tree pushes its outbox to it.
//
// LAPOR!'s current integration API is documented only to registered agency
// developers, so nothing about it is hard-coded: the endpoint and the token
// are configuration (SIMPUL_LAPOR_URL, SIMPUL_LAPOR_TOKEN, read by
// hooks/platform/config), and the name of every field, the value tables (report
// types, flags, statuses), the body encoding and where the token goes are
// an editable mapping (the sync_state row "lapor_mapping"). The defaults
// speak the publicly documented legacy shape: a form POST carrying the
// access token as a field; a JSON answer with a tracking id and a
// transaction id. Categories map to LAPOR! topic ids through
// categories.lapor_topic_id. What an office must fill in is in
// docs/lapor-adapter.md.
//
// What travels: one report per complaint, when its "created" event is
// pushed. The reporter's identity never travels (the sync snapshot carries
// none, for any privacy tier); anonymous and confidential reports travel
// flagged. Later events are settled locally: the legacy shape has no
// follow-up call and no feed to pull.
package lapor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
)

// ParentName is how the sync summary and the sync page name this parent.
const ParentName = "SP4N-LAPOR!"

// MappingKey is the sync_state row holding the office's mapping overrides
// (JSON, editable in the admin UI at /_/).
const MappingKey = "lapor_mapping"

// DefaultTimeout bounds one request to LAPOR!.
const DefaultTimeout = 30 * time.Second

// maxIDLen is the width of complaints.lapor_tracking_id.
const maxIDLen = 64

// Field keys: our names for what a report carries (Mapping.Fields).
const (
	FieldToken     = "token"     // the access token (SIMPUL_LAPOR_TOKEN)
	FieldTitle     = "title"     // judul
	FieldContent   = "content"   // isi
	FieldTopic     = "topic"     // categories.lapor_topic_id, else default_topic
	FieldType      = "type"      // Mapping.Types[complaint type]
	FieldAnonymous = "anonymous" // flag_true for anonymous reports
	FieldSecret    = "secret"    // flag_true for confidential reports
	FieldDate      = "date"      // incident date (date_format)
	FieldLocation  = "location"  // free-text location
	FieldReference = "reference" // our tracking code
	FieldStatus    = "status"    // Mapping.Statuses[status at push time]
	FieldUnit      = "unit"      // units.lapor_id of the complaint's unit
)

// FieldKeys lists every key Mapping.Fields accepts.
var FieldKeys = []string{FieldToken, FieldTitle, FieldContent, FieldTopic, FieldType, FieldAnonymous,
	FieldSecret, FieldDate, FieldLocation, FieldReference, FieldStatus, FieldUnit}

// Body encodings.
const (
	EncodingForm = "form" // application/x-www-form-urlencoded (legacy)
	EncodingJSON = "json" // one flat JSON object of strings
)

// Mapping says how a complaint becomes a LAPOR! report. The JSON in the
// sync_state row MappingKey overlays DefaultMapping key by key; an empty
// string keeps the default, except in fields, where "" means "do not send".
type Mapping struct {
	// Fields maps our field keys (FieldKeys) to LAPOR!'s field names.
	Fields map[string]string `json:"fields"`
	// Types, Statuses: our codes → LAPOR! values. A report whose type has
	// no value is refused locally; the status is sent only when the status
	// field is named and the status has a value.
	Types    map[string]string `json:"types"`
	Statuses map[string]string `json:"statuses"`
	// FlagTrue, FlagFalse: the values sent for the anonim/rahasia flags.
	FlagTrue  string `json:"flag_true"`
	FlagFalse string `json:"flag_false"`
	// DefaultTopic is sent when a category has no lapor_topic_id.
	DefaultTopic string `json:"default_topic"`
	// DateFormat is the Go layout of the incident date (default 2006-01-02).
	DateFormat string `json:"date_format"`
	// Extra fields sent with every report unchanged (e.g. an agency id).
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
}

// DefaultMapping is the legacy public shape.
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
	}
}

// Config is where and as whom to post (hooks/platform/config reads it from
// SIMPUL_LAPOR_URL and SIMPUL_LAPOR_TOKEN or SIMPUL_LAPOR_TOKEN_FILE).
type Config struct {
	URL     string        // the full URL reports are posted to
	Token   string        // the agency's access token
	Timeout time.Duration // per request; 0 means DefaultTimeout
}

// Adapter posts new complaints to LAPOR!. It implements upstream.Parent.
type Adapter struct {
	app    core.App
	cfg    Config
	Client *http.Client
}

// New returns an adapter for app. Its client does not follow redirects: a
// redirected POST would arrive as a GET, so a redirect is reported as a
// wrong SIMPUL_LAPOR_URL instead.
func New(app core.App, cfg Config) *Adapter {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Adapter{app: app, cfg: cfg, Client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
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
		return m, fmt.Errorf("lapor: sync_state %s is not a valid mapping: %w", MappingKey, err)
	}
	for k, v := range o.Fields {
		if !slices.Contains(FieldKeys, k) {
			return m, fmt.Errorf("lapor: sync_state %s: unknown key fields.%s (known: %s)", MappingKey, k, strings.Join(FieldKeys, ", "))
		}
		m.Fields[k] = strings.TrimSpace(v)
	}
	for k, v := range o.Types {
		if !slices.Contains(model.Types, k) {
			return m, fmt.Errorf("lapor: sync_state %s: unknown report type types.%s (known: %s)", MappingKey, k, strings.Join(model.Types, ", "))
		}
		m.Types[k] = v
	}
	for k, v := range o.Statuses {
		if !slices.Contains(model.Statuses, k) {
			return m, fmt.Errorf("lapor: sync_state %s: unknown status statuses.%s (known: %s)", MappingKey, k, strings.Join(model.Statuses, ", "))
		}
		m.Statuses[k] = v
	}
	for k, v := range o.Extra {
		m.Extra[k] = v
	}
	for dst, src := range map[*string]string{&m.FlagTrue: o.FlagTrue, &m.FlagFalse: o.FlagFalse,
		&m.DefaultTopic: o.DefaultTopic, &m.DateFormat: o.DateFormat, &m.Encoding: o.Encoding,
		&m.TokenHeader: o.TokenHeader, &m.TokenPrefix: o.TokenPrefix, &m.TrackingField: o.TrackingField,
		&m.TransactionField: o.TransactionField, &m.MessageField: o.MessageField} {
		if src != "" {
			*dst = src
		}
	}
	if m.Encoding != EncodingForm && m.Encoding != EncodingJSON {
		return m, fmt.Errorf("lapor: sync_state %s: encoding %q: want %q or %q", MappingKey, m.Encoding, EncodingForm, EncodingJSON)
	}
	if m.Fields[FieldToken] == "" && m.TokenHeader == "" {
		return m, fmt.Errorf("lapor: sync_state %s: the token is sent nowhere: name fields.token or token_header", MappingKey)
	}
	for k := range m.Extra {
		for fk, name := range m.Fields {
			if name == k {
				return m, fmt.Errorf("lapor: sync_state %s: extra.%s is also the name of fields.%s", MappingKey, k, fk)
			}
		}
	}
	return m, nil
}

// Push sends each complaint LAPOR! has not seen yet, once. The report goes
// with the complaint's "created" event; a later event of a complaint that
// is not on LAPOR! and whose "created" event was settled without it (sent
// to an earlier parent, or never queued) sends the report then. Later
// events of a complaint already on LAPOR! are acknowledged without a
// request: the legacy shape has no follow-up call.
//
// LAPOR!'s tracking id is written on the complaint as soon as the answer is
// read, before the next report, so a pass that fails half-way through a
// batch never posts the reports it already delivered a second time.
// On a transient failure (network, timeout, 429, 5xx) or a configuration
// error (401/403, wrong URL) Push returns the error and the rows stay
// pending; a refusal of one report (another 4xx, an answer without a
// tracking id, a report the mapping cannot express) rejects only that
// report's change.
func (a *Adapter) Push(ctx context.Context, req protocol.PushRequest) (protocol.PushResponse, error) {
	m, err := LoadMapping(a.app)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	res := protocol.PushResponse{V: protocol.Version, Acks: make([]protocol.Ack, 0, len(req.Changes))}
	// What this batch decided per complaint: LAPOR!'s id, or "" once refused.
	decided := map[string]string{}
	for _, ch := range req.Changes {
		ack := protocol.Ack{UID: ch.Event.UID, Result: protocol.AckOK}
		cid := ch.Complaint.ID
		tid, seen := decided[cid]
		if !seen {
			if tid, err = a.trackingID(cid); err != nil {
				return res, err
			}
		}
		switch {
		case tid != "":
			// On LAPOR! already: a re-sent "created" is a duplicate; a later
			// event has nothing to carry it.
			ack.HubID = tid
			if ch.Event.Kind == model.EventCreated {
				ack.Result = protocol.AckDup
			}
		case seen:
			// Refused earlier in this batch: the refusal is on that change.
		default:
			send := ch.Event.Kind == model.EventCreated
			if !send {
				if send, err = a.createdSettled(cid); err != nil {
					return res, err
				}
			}
			if !send {
				break
			}
			sent, err := a.post(ctx, m, ch.Complaint)
			var refused *refusedError
			switch {
			case errors.As(err, &refused):
				ack.Result, ack.Error = protocol.AckRejected, refused.msg
				decided[cid] = ""
				a.app.Logger().Warn("lapor_report_refused", "tracking_code", ch.Complaint.TrackingCode, "http_status", refused.status)
			case err != nil:
				return res, err
			default:
				if err := a.record(cid, sent.trackingID); err != nil {
					a.app.Logger().Error("lapor_tracking_id_not_saved", "tracking_code", ch.Complaint.TrackingCode,
						"lapor_tracking_id", sent.trackingID, "lapor_transaction_id", sent.transactionID)
					return res, err
				}
				a.app.Logger().Info("lapor_report_sent", "tracking_code", ch.Complaint.TrackingCode,
					"lapor_tracking_id", sent.trackingID, "lapor_transaction_id", sent.transactionID)
				ack.HubID = sent.trackingID
				decided[cid] = sent.trackingID
			}
		}
		res.Acks = append(res.Acks, ack)
	}
	return res, nil
}

// Pull: the legacy shape offers no feed of changes for an agency's own
// reports, so nothing comes down from LAPOR!.
func (a *Adapter) Pull(ctx context.Context, cursor int64, limit int) (protocol.PullResponse, error) {
	return protocol.PullResponse{V: protocol.Version, Items: []protocol.PullItem{}, NextCursor: cursor}, nil
}

func (a *Adapter) trackingID(complaintID string) (string, error) {
	var tid string
	err := a.app.DB().Select("lapor_tracking_id").From(model.Complaints).Where(dbx.HashExp{"id": complaintID}).Row(&tid)
	if err != nil {
		return "", fmt.Errorf("lapor: complaint %s: %w", complaintID, err)
	}
	return tid, nil
}

// createdSettled reports whether the complaint's "created" event is no
// longer waiting in the outbox and was not refused (it went to an earlier
// parent, or was never queued): then LAPOR! has not seen the report.
func (a *Adapter) createdSettled(complaintID string) (bool, error) {
	var statuses []string
	err := a.app.DB().NewQuery(`SELECT o.status FROM sync_outbox o JOIN complaint_events e ON e.uid = o.uid
		WHERE o.complaint = {:c} AND e.complaint = {:c} AND e.kind = {:k}`).
		Bind(dbx.Params{"c": complaintID, "k": model.EventCreated}).Column(&statuses)
	if err != nil {
		return false, fmt.Errorf("lapor: outbox: %w", err)
	}
	for _, s := range statuses {
		if s != model.OutboxSent {
			return false, nil
		}
	}
	return true, nil
}

// record writes LAPOR!'s tracking id on the complaint at once (the syncer
// writes it again when it settles the batch; the first write wins).
func (a *Adapter) record(complaintID, tid string) error {
	_, err := a.app.DB().NewQuery(`UPDATE complaints SET lapor_tracking_id = {:t}
		WHERE id = {:id} AND lapor_tracking_id = ''`).Bind(dbx.Params{"t": tid, "id": complaintID}).Execute()
	if err != nil {
		return fmt.Errorf("lapor: save tracking id: %w", err)
	}
	return nil
}

// refusedError is LAPOR!'s (or the mapping's) refusal of one report.
type refusedError struct {
	status int // HTTP status, 0 when refused locally
	msg    string
}

func (e *refusedError) Error() string { return e.msg }

type sentReport struct{ trackingID, transactionID string }

// report returns the fields one complaint is sent with (before the token),
// in mapping m. Reporter identity is never among them: the snapshot
// carries none. A report the mapping cannot express is a refusal.
func (a *Adapter) report(m Mapping, c protocol.Complaint) (map[string]string, error) {
	topic := m.DefaultTopic
	if c.Category != "" {
		var t string
		if err := a.app.DB().Select("lapor_topic_id").From(model.Categories).Where(dbx.HashExp{"code": c.Category}).Row(&t); err == nil && strings.TrimSpace(t) != "" {
			topic = strings.TrimSpace(t)
		}
	}
	if topic == "" && m.Fields[FieldTopic] != "" {
		return nil, &refusedError{msg: fmt.Sprintf("category %s has no LAPOR! topic: set its lapor_topic_id (or default_topic in %s)", c.Category, MappingKey)}
	}
	typ := m.Types[c.Type]
	if typ == "" && m.Fields[FieldType] != "" {
		return nil, &refusedError{msg: fmt.Sprintf("report type %s has no LAPOR! value in %s types", c.Type, MappingKey)}
	}
	flag := func(b bool) string {
		if b {
			return m.FlagTrue
		}
		return m.FlagFalse
	}
	out := make(map[string]string, len(m.Extra)+len(m.Fields))
	for k, v := range m.Extra {
		out[k] = v
	}
	set := func(key, v string) {
		if name := m.Fields[key]; name != "" {
			out[name] = v
		}
	}
	set(FieldTitle, c.Title)
	set(FieldContent, c.Body)
	set(FieldTopic, topic)
	set(FieldType, typ)
	set(FieldAnonymous, flag(c.Privacy == model.PrivacyAnonymous))
	set(FieldSecret, flag(c.Privacy == model.PrivacyConfidential))
	if c.IncidentDate != "" {
		if d, err := time.Parse("2006-01-02", c.IncidentDate); err == nil {
			set(FieldDate, d.Format(m.DateFormat))
		}
	}
	if c.Location != "" {
		set(FieldLocation, c.Location)
	}
	// Our tracking code as the reference: the legacy shape has no
	// idempotency key, so this is how a re-sent report can be recognised.
	set(FieldReference, c.TrackingCode)
	if s := m.Statuses[c.Status]; s != "" {
		set(FieldStatus, s)
	}
	if m.Fields[FieldUnit] != "" {
		var u string
		err := a.app.DB().NewQuery(`SELECT u.lapor_id FROM complaints c JOIN units u ON u.id = c.unit
			WHERE c.id = {:id}`).Bind(dbx.Params{"id": c.ID}).Row(&u)
		if err == nil && strings.TrimSpace(u) != "" {
			set(FieldUnit, strings.TrimSpace(u))
		}
	}
	return out, nil
}

// post sends one report and returns LAPOR!'s ids.
func (a *Adapter) post(ctx context.Context, m Mapping, c protocol.Complaint) (sentReport, error) {
	fields, err := a.report(m, c)
	if err != nil {
		return sentReport{}, err
	}
	if name := m.Fields[FieldToken]; name != "" {
		fields[name] = a.cfg.Token
	}
	var body []byte
	contentType := "application/x-www-form-urlencoded"
	if m.Encoding == EncodingJSON {
		contentType = "application/json"
		if body, err = json.Marshal(fields); err != nil {
			return sentReport{}, fmt.Errorf("lapor: encode: %w", err)
		}
	} else {
		form := url.Values{}
		for k, v := range fields {
			form.Set(k, v)
		}
		body = []byte(form.Encode())
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return sentReport{}, fmt.Errorf("lapor: SIMPUL_LAPOR_URL: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if m.TokenHeader != "" {
		req.Header.Set(m.TokenHeader, m.TokenPrefix+a.cfg.Token)
	}
	res, err := a.Client.Do(req)
	if err != nil {
		// Not the *url.Error text: the URL might carry a secret in its query.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return sentReport{}, fmt.Errorf("lapor: post to %s: %w", req.URL.Host, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return sentReport{}, fmt.Errorf("lapor: read answer from %s: %w", req.URL.Host, err)
	}
	var answer map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	isJSON := dec.Decode(&answer) == nil
	code := res.StatusCode
	switch {
	case code >= 500 || code == http.StatusTooManyRequests:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d; retrying later", code)
	case code == http.StatusRequestTimeout:
		// Worded so that upstream.ErrorKind files it with timeouts.
		return sentReport{}, fmt.Errorf("lapor: LAPOR! reported a request timeout (HTTP %d); retrying later", code)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d: check SIMPUL_LAPOR_TOKEN", code)
	case code >= 300 && code < 400:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d (redirect to %q): check SIMPUL_LAPOR_URL", code, redirectHost(res))
	case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d at %s: check SIMPUL_LAPOR_URL", code, req.URL.Host)
	case code >= 400:
		reason := fmt.Sprintf("LAPOR! refused the report (%d)", code)
		if msg := lookup(answer, m.MessageField); msg != "" {
			reason += ": " + clip(msg, 200)
		}
		return sentReport{}, &refusedError{status: code, msg: reason}
	case code < 200:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d", code)
	case !isJSON:
		return sentReport{}, fmt.Errorf("lapor: LAPOR! answered %d without JSON: check SIMPUL_LAPOR_URL", code)
	}
	tid := strings.TrimSpace(lookup(answer, m.TrackingField))
	if tid == "" {
		reason := fmt.Sprintf("LAPOR! answered %d without a %s", code, m.TrackingField)
		if msg := lookup(answer, m.MessageField); msg != "" {
			reason += ": " + clip(msg, 200)
		}
		return sentReport{}, &refusedError{status: code, msg: reason}
	}
	if len(tid) > maxIDLen {
		return sentReport{}, &refusedError{status: code, msg: fmt.Sprintf("LAPOR! answered a %s longer than %d characters", m.TrackingField, maxIDLen)}
	}
	return sentReport{trackingID: tid, transactionID: lookup(answer, m.TransactionField)}, nil
}

func redirectHost(res *http.Response) string {
	if u, err := res.Location(); err == nil {
		return u.Scheme + "://" + u.Host + u.Path
	}
	return ""
}

// lookup finds key in the answer at the top level or under "data" (both
// shapes occur), exactly or else ignoring case.
func lookup(answer map[string]any, key string) string {
	if answer == nil || key == "" {
		return ""
	}
	v, ok := find(answer, key)
	if !ok {
		if d, isMap := answer["data"].(map[string]any); isMap {
			v, _ = find(d, key)
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

func find(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Hint names what an office should check for a stored sync error from this
// adapter: "token", "url", "mapping", or "" when the generic kind says it
// (sync/upstream.ErrorKind). The sync page words it.
func Hint(msg string) string {
	switch {
	case strings.Contains(msg, "SIMPUL_LAPOR_TOKEN"):
		return "token"
	case strings.Contains(msg, "SIMPUL_LAPOR_URL"):
		return "url"
	case strings.Contains(msg, MappingKey):
		return "mapping"
	}
	return ""
}
