// Package protocol defines version 2 of Simpul's sync wire format (see
// docs/sync-protocol.md): the push and pull bodies, their gzip+JSON
// encoding with size limits and validation, and the HMAC-SHA256 request
// signature that authenticates a child node to its parent.
//
// Version 2 carries, with every event, the case's state (status, office,
// unit, every SLA date, privacy, rating) and a revision, so that every copy
// of a case converges on one truth (State); the case itself (title, body,
// channel, created, …) travels only when the receiver may not have it.
//
// It has no database access, so both sides (sync/hub and sync/upstream) and
// the fuzzers share exactly the same decoders.
package protocol

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"simpul/hooks/domain/model"
)

// Version is the protocol version carried in URLs and bodies.
const Version = 2

// Paths of the parent's endpoints.
const (
	PushPath = "/api/sync/v2/push"
	PullPath = "/api/sync/v2/pull"
)

// Paths of version 1, which a version 2 parent answers with 426 Upgrade
// Required and UpgradeMessage, so an old node says plainly what to do.
const (
	PushPathV1 = "/api/sync/v1/push"
	PullPathV1 = "/api/sync/v1/pull"
)

// UpgradeMessage is the answer to a version 1 node.
const UpgradeMessage = "This parent speaks Simpul sync protocol v2; this node speaks v1. " +
	"Upgrade this node's Simpul (its outbox keeps every change until then). " +
	"Induk ini memakai protokol sinkron v2: perbarui Simpul di kantor ini."

// Limits enforced by the decoders (and therefore by the parent).
const (
	MaxCompressedBody   = 4 << 20  // bytes on the wire
	MaxDecompressedBody = 16 << 20 // bytes after gunzip
	MaxChangesPerPush   = 500
	MaxItemsPerPull     = 1000
)

// Errors returned by the decoders; the parent maps ErrTooLarge to 413 and
// every other decode error to 400.
var (
	ErrTooLarge = errors.New("protocol: body too large")
	ErrInvalid  = errors.New("protocol: invalid body")
)

// Complaint is the snapshot of a complaint that travels with each change.
// It carries no reporter identity, whatever the privacy tier: the parent
// never needs it (docs/sync-protocol.md §2).
type Complaint struct {
	ID           string `json:"id"`  // the sender's record id (origin_id above)
	TrackingCode string `json:"tc"`  // kept on every level
	Type         string `json:"ty"`  // model.Types
	Title        string `json:"ti"`  // judul
	Body         string `json:"b"`   // isi
	Category     string `json:"cat"` // category code
	Privacy      string `json:"p"`   // model.Privacies; confidential travels flagged
	Status       string `json:"s"`   // the sender's current status
	Channel      string `json:"ch,omitempty"`
	IncidentDate string `json:"inc,omitempty"`
	Location     string `json:"loc,omitempty"`
	Created      string `json:"cr,omitempty"`  // RFC 3339, milliseconds
	Gender       string `json:"g,omitempty"`   // voluntary, statistics only
	Disability   bool   `json:"d,omitempty"`   // voluntary, statistics only
	HubID        string `json:"hid,omitempty"` // the receiver's id, once known
	// A verifier's wording for public outputs (privacy.PublicText): it
	// travels so that no level publishes the text it replaces.
	PublicTitle string `json:"pt,omitempty"`
	PublicBody  string `json:"pb,omitempty"`
}

// Event is one timeline row on the wire.
type Event struct {
	UID       string          `json:"u"`
	Kind      string          `json:"k"`
	ActorType string          `json:"at,omitempty"`
	ActorName string          `json:"an,omitempty"`
	From      string          `json:"f,omitempty"`
	To        string          `json:"t,omitempty"`
	Note      string          `json:"n,omitempty"`
	Reason    string          `json:"r,omitempty"`
	Unit      string          `json:"un,omitempty"` // unit name as text: unit ids differ per office
	Public    bool            `json:"pub,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	Origin    string          `json:"o,omitempty"`
	At        string          `json:"w"`
}

// State is what every copy of a case converges on (docs/sync-protocol.md
// §5): the fields that move as the case is handled, complete, so that a
// receiver can overwrite its own. Dates are Unix milliseconds; a date
// that is not set is left out (and cleared on the receiver).
type State struct {
	// Rev is the sender's revision of the case: it grows with every change
	// of the case on the sender.
	Rev int64 `json:"rv"`
	// Base (push only) is the receiver's revision the sender last saw: the
	// receiver applies the state only if nobody else changed the case
	// there since (§6).
	Base         int64            `json:"bs,omitempty"`
	Status       string           `json:"s"`
	Privacy      string           `json:"p"`
	Office       string           `json:"o"`            // office code handling the case now
	OfficeName   string           `json:"on,omitempty"` // its name, for the tracking page
	OriginOffice string           `json:"oo"`
	Unit         string           `json:"u,omitempty"`  // unit code at the handling office
	UnitName     string           `json:"un,omitempty"` // its name
	Reason       string           `json:"r,omitempty"`
	Rating       int              `json:"rt,omitempty"`
	Paused       int              `json:"pr,omitempty"` // working days left on a paused clock
	Dates        map[string]int64 `json:"d,omitempty"`  // StateDates field → Unix ms
}

// StateDates are the complaint date fields a State carries, by their wire
// key. A new SLA date joins the case's truth by being added here.
var StateDates = map[string]string{
	"due": "due_at", "vd": "verify_due_at", "fd": "followup_due_at", "ac": "autoclose_at",
	"cd": "completion_due_at", "pa": "paused_at", "va": "verified_at", "da": "disposed_at",
	"ff": "first_followup_at", "lf": "last_followup_at", "ca": "closed_at",
	"nf": "next_followup_due_at", "px": "postpone_expires_at",
	"lr": "last_reply_at",
}

// Change is one pushed outbox entry: an event, the case's state, and the
// case itself when Full (the first change of a case, an edit, a resend).
// Complaint is always filled in process (the LAPOR! adapter reads it); on
// the wire it travels only when Full.
type Change struct {
	Event     Event
	TC        string // tracking code: the case's key on every level
	State     State
	Full      bool
	Complaint Complaint
}

type wireChange struct {
	Event     Event      `json:"e"`
	TC        string     `json:"tc"`
	State     State      `json:"st"`
	Complaint *Complaint `json:"c,omitempty"`
}

// MarshalJSON writes the case only when the change is Full.
func (c Change) MarshalJSON() ([]byte, error) {
	w := wireChange{Event: c.Event, TC: c.TC, State: c.State}
	if c.Full {
		w.Complaint = &c.Complaint
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a change; Full is whether the case came with it.
func (c *Change) UnmarshalJSON(b []byte) error {
	var w wireChange
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return err
	}
	*c = Change{Event: w.Event, TC: w.TC, State: w.State, Full: w.Complaint != nil}
	if w.Complaint != nil {
		c.Complaint = *w.Complaint
	}
	return nil
}

// PushRequest is the body of POST /api/sync/v2/push.
type PushRequest struct {
	V       int      `json:"v"`
	Changes []Change `json:"changes"`
}

// Ack results.
const (
	AckOK       = "ok"       // applied now
	AckDup      = "dup"      // applied before (a re-send)
	AckRejected = "rejected" // cannot be applied; see Error
)

// Ack answers one change of a push, by event uid.
type Ack struct {
	UID    string `json:"u"`
	Result string `json:"r"`
	HubID  string `json:"hid,omitempty"` // the parent's complaint id
	Error  string `json:"err,omitempty"`
	// Rev is the parent's revision of the case when the change's state is
	// the parent's state (applied now, or before by this sender); 0 when
	// the parent kept its own (a conflict, §6): the sender then learns the
	// parent's state from its next pull.
	Rev int64 `json:"rv,omitempty"`
}

// PushResponse is the parent's answer to a push.
type PushResponse struct {
	V    int   `json:"v"`
	Acks []Ack `json:"acks"`
}

// PullItem is one change made above (or by another office) to a case the
// caller holds a copy of, with the parent's current state of the case.
// The item that gives the caller a case it does not have yet (routed to
// it) carries the case (Complaint) and the events before it (History).
type PullItem struct {
	Seq       int64      `json:"seq"`
	TC        string     `json:"tc"`
	State     State      `json:"st"`
	Event     Event      `json:"e"`
	Complaint *Complaint `json:"c,omitempty"`
	History   []Event    `json:"h,omitempty"`
}

// PullResponse is the body of GET /api/sync/v2/pull.
type PullResponse struct {
	V          int        `json:"v"`
	Items      []PullItem `json:"items"`
	NextCursor int64      `json:"next_cursor"`
	More       bool       `json:"more"`
}

// Encode marshals v to JSON and gzips it.
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("protocol: encode: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("protocol: gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// ReadLimited reads at most MaxCompressedBody bytes of r, or ErrTooLarge.
func ReadLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCompressedBody+1))
	if err != nil {
		return nil, fmt.Errorf("protocol: read body: %w", err)
	}
	if len(b) > MaxCompressedBody {
		return nil, ErrTooLarge
	}
	return b, nil
}

// gunzip decompresses a gzip body with the decompressed-size limit (a
// "zip bomb" stops at the limit).
func gunzip(body []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip: %v", ErrInvalid, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, MaxDecompressedBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrInvalid, err)
	}
	if len(out) > MaxDecompressedBody {
		return nil, ErrTooLarge
	}
	return out, nil
}

func decodeJSON(body []byte, v any) error {
	raw, err := gunzip(body)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: json: %v", ErrInvalid, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data", ErrInvalid)
	}
	return nil
}

// DecodePush decodes and validates a gzip push body.
func DecodePush(body []byte) (PushRequest, error) {
	var req PushRequest
	if err := decodeJSON(body, &req); err != nil {
		return PushRequest{}, err
	}
	if req.V != Version {
		return PushRequest{}, fmt.Errorf("%w: unsupported version %d", ErrInvalid, req.V)
	}
	if len(req.Changes) > MaxChangesPerPush {
		return PushRequest{}, fmt.Errorf("%w: %d changes, at most %d per push", ErrInvalid, len(req.Changes), MaxChangesPerPush)
	}
	seen := make(map[string]bool, len(req.Changes))
	for i, c := range req.Changes {
		if err := c.Validate(); err != nil {
			return PushRequest{}, fmt.Errorf("%w: change %d: %v", ErrInvalid, i, err)
		}
		if seen[c.Event.UID] {
			return PushRequest{}, fmt.Errorf("%w: change %d: uid repeated in one push", ErrInvalid, i)
		}
		seen[c.Event.UID] = true
	}
	return req, nil
}

// DecodePull decodes and validates a gzip pull body.
func DecodePull(body []byte) (PullResponse, error) {
	var res PullResponse
	if err := decodeJSON(body, &res); err != nil {
		return PullResponse{}, err
	}
	if res.V != Version {
		return PullResponse{}, fmt.Errorf("%w: unsupported version %d", ErrInvalid, res.V)
	}
	if len(res.Items) > MaxItemsPerPull {
		return PullResponse{}, fmt.Errorf("%w: %d items, at most %d", ErrInvalid, len(res.Items), MaxItemsPerPull)
	}
	if res.NextCursor < 0 {
		return PullResponse{}, fmt.Errorf("%w: negative cursor", ErrInvalid)
	}
	for i, it := range res.Items {
		errs := []error{text("tracking code", it.TC, 1, 32), it.State.Validate(), it.Event.Validate()}
		if it.Complaint != nil {
			errs = append(errs, it.Complaint.Validate())
		}
		if len(it.History) > MaxChangesPerPush {
			errs = append(errs, errors.New("history too long"))
		}
		for _, h := range it.History {
			errs = append(errs, h.Validate())
		}
		if err := errors.Join(errs...); err != nil {
			return PullResponse{}, fmt.Errorf("%w: item %d: %v", ErrInvalid, i, err)
		}
	}
	return res, nil
}

// DecodePushResponse decodes a parent's (gzip) answer to a push.
func DecodePushResponse(body []byte) (PushResponse, error) {
	var res PushResponse
	if err := decodeJSON(body, &res); err != nil {
		return PushResponse{}, err
	}
	if res.V != Version {
		return PushResponse{}, fmt.Errorf("%w: unsupported version %d", ErrInvalid, res.V)
	}
	return res, nil
}

// Validate checks one change's fields against the data model's limits, so
// a hostile or broken body is refused before anything is written.
func (c Change) Validate() error {
	errs := []error{c.Event.Validate(), text("tracking code", c.TC, 1, 32), c.State.Validate()}
	if c.Full {
		errs = append(errs, c.Complaint.Validate())
		if c.Complaint.TrackingCode != c.TC {
			errs = append(errs, errors.New("tracking code differs from the case's"))
		}
	}
	return errors.Join(errs...)
}

// Validate checks a travelling case's fields.
func (k Complaint) Validate() error {
	return errors.Join(
		text("complaint id", k.ID, 1, 64),
		text("tracking code", k.TrackingCode, 1, 32),
		oneOf("type", k.Type, model.Types),
		text("title", k.Title, 1, 200),
		text("body", k.Body, 1, 10000),
		text("category", k.Category, 0, 32),
		oneOf("privacy", k.Privacy, model.Privacies),
		oneOf("status", k.Status, model.Statuses),
		optOneOf("channel", k.Channel, model.Channels),
		text("incident date", k.IncidentDate, 0, 40),
		text("location", k.Location, 0, 500),
		text("created", k.Created, 0, 40),
		optOneOf("gender", k.Gender, []string{"perempuan", "laki_laki"}),
		text("hub id", k.HubID, 0, 64),
	)
}

// Validate checks a state's fields.
func (s State) Validate() error {
	errs := []error{
		oneOf("status", s.Status, model.Statuses),
		oneOf("privacy", s.Privacy, model.Privacies),
		text("office", s.Office, 0, 32),
		text("office name", s.OfficeName, 0, 200),
		text("origin office", s.OriginOffice, 0, 32),
		text("unit", s.Unit, 0, 32),
		text("unit name", s.UnitName, 0, 200),
		text("reason", s.Reason, 0, 100),
	}
	if s.Rev < 0 || s.Base < 0 {
		errs = append(errs, errors.New("negative revision"))
	}
	if s.Rating < 0 || s.Rating > 5 {
		errs = append(errs, errors.New("rating out of range"))
	}
	if s.Paused < 0 || s.Paused > 1000 {
		errs = append(errs, errors.New("paused days out of range"))
	}
	for k := range s.Dates {
		if _, ok := StateDates[k]; !ok {
			errs = append(errs, fmt.Errorf("unknown date %q", k))
		}
	}
	return errors.Join(errs...)
}

// Validate checks one event's fields.
func (e Event) Validate() error {
	errs := []error{
		text("uid", e.UID, 1, 64),
		oneOf("kind", e.Kind, model.EventKinds),
		optOneOf("actor type", e.ActorType, []string{"staff", "reporter", "system", "node"}),
		text("actor name", e.ActorName, 0, 150),
		optOneOf("from", e.From, model.Statuses),
		optOneOf("to", e.To, model.Statuses),
		text("note", e.Note, 0, 10000),
		text("reason", e.Reason, 0, 100),
		text("unit", e.Unit, 0, 200),
		text("origin", e.Origin, 0, 32),
		text("at", e.At, 1, 40),
	}
	if len(e.Data) > 0 {
		if len(e.Data) > 64<<10 {
			errs = append(errs, errors.New("data too large"))
		} else if !json.Valid(e.Data) || e.Data[0] != '{' {
			errs = append(errs, errors.New("data is not a JSON object"))
		}
	}
	return errors.Join(errs...)
}

func text(name, v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		return fmt.Errorf("%s is not UTF-8", name)
	case n < min:
		return fmt.Errorf("%s is required", name)
	case n > max:
		return fmt.Errorf("%s is longer than %d", name, max)
	case strings.ContainsRune(v, 0):
		return fmt.Errorf("%s contains NUL", name)
	}
	return nil
}

func oneOf(name, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("%s %q is not one of %s", name, v, strings.Join(allowed, ", "))
	}
	return nil
}

func optOneOf(name, v string, allowed []string) error {
	if v == "" {
		return nil
	}
	return oneOf(name, v, allowed)
}

// Whole returns c sent with its case: the tracking code from the case, and
// (when c has none) a state made of the case's status and privacy. For a
// change built by hand (tests, tools); BuildChanges sets all of it.
func (c Change) Whole() Change {
	c.Full = true
	if c.TC == "" {
		c.TC = c.Complaint.TrackingCode
	}
	if c.State.Status == "" {
		c.State.Status, c.State.Privacy = c.Complaint.Status, c.Complaint.Privacy
	}
	return c
}
