// Package protocol defines version 1 of Simpul's sync wire format (see
// docs/sync-protocol.md): the push and pull bodies, their gzip+JSON
// encoding with size limits and validation, and the HMAC-SHA256 request
// signature that authenticates a child node to its parent.
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
const Version = 1

// Paths of the parent's endpoints.
const (
	PushPath = "/api/sync/v1/push"
	PullPath = "/api/sync/v1/pull"
)

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
	Created      string `json:"cr,omitempty"`
	Gender       string `json:"g,omitempty"`   // voluntary, statistics only
	Disability   bool   `json:"d,omitempty"`   // voluntary, statistics only
	HubID        string `json:"hid,omitempty"` // the receiver's id, once known
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

// Change is one pushed outbox entry: an event and its complaint.
type Change struct {
	Event     Event     `json:"e"`
	Complaint Complaint `json:"c"`
}

// PushRequest is the body of POST /api/sync/v1/push.
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
}

// PushResponse is the parent's answer to a push.
type PushResponse struct {
	V    int   `json:"v"`
	Acks []Ack `json:"acks"`
}

// PullItem is one change made above, for a complaint that came from the
// caller.
type PullItem struct {
	Seq       int64  `json:"seq"`
	Complaint string `json:"c"` // the caller's complaint id (origin_id)
	Status    string `json:"s"` // the parent's status after this event
	Event     Event  `json:"e"`
}

// PullResponse is the body of GET /api/sync/v1/pull.
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
		if err := text("complaint", it.Complaint, 1, 64); err != nil {
			return PullResponse{}, fmt.Errorf("%w: item %d: %v", ErrInvalid, i, err)
		}
		if it.Status != "" && !slices.Contains(model.Statuses, it.Status) {
			return PullResponse{}, fmt.Errorf("%w: item %d: unknown status", ErrInvalid, i)
		}
		if err := it.Event.Validate(); err != nil {
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
	if err := c.Event.Validate(); err != nil {
		return err
	}
	k := c.Complaint
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
