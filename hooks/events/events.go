// Package events writes and verifies the complaint timeline: an append-only,
// per-complaint hash chain (each row carries the hash of the one before),
// so any edit or deletion made behind the application's back shows up in
// "simpul audit verify".
//
// Every event that must travel upward is queued in the sync outbox in the
// same transaction, which is why Append must be called inside
// app.RunInTransaction with the transaction's app.
package events

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/sqlitedb"
)

// Event is one timeline row before it is written.
type Event struct {
	UID       string         // globally unique; empty: generated from Origin
	Kind      string         // model.Event*
	ActorType string         // staff, reporter, system, node
	ActorID   string         // staff record id when ActorType is staff
	ActorName string         // shown on the timeline
	From, To  string         // statuses, for transitions
	Note      string         // free text
	Reason    string         // a reason code (archive, postpone)
	UnitID    string         // disposition target
	Public    bool           // shown on the public tracking page
	Data      map[string]any // structured details
	Origin    string         // office code where the event was made
	At        time.Time      // when it happened; zero: now

	// FromUpstream marks an event pulled from the parent: it is not queued
	// to travel up again.
	FromUpstream bool
}

// Append writes ev as the next link of complaint's chain and queues it in
// the outbox. txApp must be a transaction's app; the returned record is the
// saved event. Paths that append many events in one transaction use a
// Writer instead, which prepares its statements once.
func Append(txApp core.App, complaint *core.Record, ev Event) (*core.Record, error) {
	if !txApp.IsTransactional() {
		return nil, errors.New("events: Append must run inside a transaction")
	}
	col, err := txApp.FindCachedCollectionByNameOrId(model.ComplaintEvents)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	w, err := NewWriter(txApp, nil)
	if err != nil {
		return nil, err
	}
	params, err := w.Append(complaint.Id, ev)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Id = params["id"].(string)
	for k, v := range params {
		if k != "id" && k != "created" {
			r.Set(k, v)
		}
	}
	r.SetRaw("created", params["created"])
	return r, nil
}

// Limits of the timeline columns (migrations/1763800000_schema.go). Events
// are written without PocketBase's Save, so row checks them itself.
const (
	maxNote      = 10000
	maxActorName = 150
	maxShort     = 32 // statuses, origin
	maxReason    = 100
	maxUID       = 64
	maxData      = 64 << 10
)

var actorTypes = []string{"", "staff", "reporter", "system", "node"}

// row fills ev's defaults and returns the link it becomes and the column
// values of its row: the one place that knows how a timeline row is made.
func row(complaintID string, seq int, prevHash string, ev *Event) (Link, dbx.Params, error) {
	if ev.UID == "" {
		ev.UID = NewUID(ev.Origin)
	}
	switch {
	case !slices.Contains(model.EventKinds, ev.Kind):
		return Link{}, nil, fmt.Errorf("events: unknown kind %q", ev.Kind)
	case !slices.Contains(actorTypes, ev.ActorType):
		return Link{}, nil, fmt.Errorf("events: unknown actor type %q", ev.ActorType)
	case utf8.RuneCountInString(ev.Note) > maxNote, utf8.RuneCountInString(ev.ActorName) > maxActorName,
		utf8.RuneCountInString(ev.Reason) > maxReason, len(ev.From) > maxShort, len(ev.To) > maxShort,
		len(ev.Origin) > maxShort, len(ev.UID) > maxUID:
		return Link{}, nil, errors.New("events: a field is longer than the timeline allows")
	}
	l := Link{Complaint: complaintID, Seq: seq, UID: ev.UID, Kind: ev.Kind, ActorType: ev.ActorType,
		Actor: ev.ActorID, ActorName: ev.ActorName, From: ev.From, To: ev.To, Note: ev.Note, Reason: ev.Reason,
		Unit: ev.UnitID, Public: ev.Public, Origin: ev.Origin, At: ev.At.UTC().Format(time.RFC3339Nano),
		PrevHash: prevHash}
	var data any // NULL for an event without data
	if ev.Data != nil {
		b, err := json.Marshal(ev.Data)
		if err != nil {
			return Link{}, nil, fmt.Errorf("events: data: %w", err)
		}
		if len(b) > maxData {
			return Link{}, nil, errors.New("events: data is larger than the timeline allows")
		}
		// Hashed as it will be read back (numbers as float64), so the
		// chain verifies from the stored row.
		if err := json.Unmarshal(b, &l.Data); err != nil {
			return Link{}, nil, fmt.Errorf("events: data: %w", err)
		}
		data = string(b)
	}
	h, err := l.Hash()
	if err != nil {
		return Link{}, nil, err
	}
	return l, dbx.Params{"id": model.NewID(), "complaint": complaintID, "seq": seq,
		"uid": l.UID, "kind": l.Kind, "actor_type": l.ActorType, "actor": l.Actor, "actor_name": l.ActorName,
		"from_status": l.From, "to_status": l.To, "note": l.Note, "reason": l.Reason, "unit": l.Unit,
		"public": l.Public, "data": data, "origin": l.Origin, "at": l.At, "prev_hash": prevHash, "hash": h,
		"created": ev.At.UTC().Format(types.DefaultDateLayout)}, nil
}

// NewUID returns a globally unique event id: the origin office code, the
// time in milliseconds (12 hex digits, so uids sort by creation and the
// unique index on them grows at its end) and 80 random bits.
func NewUID(origin string) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("events: crypto/rand failed: " + err.Error())
	}
	if origin == "" {
		origin = "local"
	}
	return origin + ":" + hex.EncodeToString(b[:])
}

// Link is the canonical content of one timeline row: the fields in a
// fixed order (data re-encoded with sorted keys) that its hash covers.
type Link struct {
	Complaint string `json:"c"`
	Seq       int    `json:"s"`
	UID       string `json:"u"`
	Kind      string `json:"k"`
	ActorType string `json:"at"`
	Actor     string `json:"a"`
	ActorName string `json:"an"`
	From      string `json:"f"`
	To        string `json:"t"`
	Note      string `json:"n"`
	Reason    string `json:"r"`
	Unit      string `json:"un"`
	Public    bool   `json:"p"`
	Data      any    `json:"d"`
	Origin    string `json:"o"`
	At        string `json:"w"`
	PrevHash  string `json:"ph"`
}

// Hash is the SHA-256 link hash of l.
func (l Link) Hash() (string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("events: encode: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Hash computes the SHA-256 link hash of an event record (its "hash" field
// excluded).
func Hash(r *core.Record) (string, error) {
	var data any
	if raw := r.GetString("data"); raw != "" && raw != "null" {
		if err := json.Unmarshal([]byte(raw), &data); err != nil {
			return "", fmt.Errorf("events: data of %s: %w", r.Id, err)
		}
	}
	return Link{
		Complaint: r.GetString("complaint"), Seq: r.GetInt("seq"), UID: r.GetString("uid"),
		Kind: r.GetString("kind"), ActorType: r.GetString("actor_type"), Actor: r.GetString("actor"),
		ActorName: r.GetString("actor_name"), From: r.GetString("from_status"), To: r.GetString("to_status"),
		Note: r.GetString("note"), Reason: r.GetString("reason"), Unit: r.GetString("unit"),
		Public: r.GetBool("public"), Data: data, Origin: r.GetString("origin"), At: r.GetString("at"),
		PrevHash: r.GetString("prev_hash"),
	}.Hash()
}

// Writer appends timeline rows with their outbox rows through prepared
// statements, for paths that write many events in one transaction or many
// transactions in a row (intake's group commit): compiling an INSERT on
// these tables costs more than executing it. Its rows are the ones Append
// writes; PocketBase's per-record hooks do not run for them. Its
// statements close with the transaction.
type Writer struct {
	tx    core.App
	stmts *sqlitedb.Stmts
	q     *sql.Stmt
	last  *sql.Stmt // prepared on first use: intake never needs it
	ob    *outbox.Writer
}

// insertEvent writes a timeline row.
var insertEvent = sqlitedb.NewInsert(model.ComplaintEvents, "id", "complaint", "seq", "uid", "kind", "actor_type",
	"actor", "actor_name", "from_status", "to_status", "note", "reason", "unit", "public", "data", "origin", "at",
	"prev_hash", "hash", "created")

// NewWriter prepares the inserts for txApp, a transaction's app, taking
// them from stmts when that holds them (stmts may be nil).
func NewWriter(txApp core.App, stmts *sqlitedb.Stmts) (*Writer, error) {
	q, err := stmts.In(txApp, insertEvent.SQL)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	ob, err := outbox.NewWriter(txApp, stmts)
	if err != nil {
		return nil, err
	}
	return &Writer{tx: txApp, stmts: stmts, q: q, ob: ob}, nil
}

// Append writes ev as the next link of the chain of complaint complaintID
// and, unless it came from upstream, queues it for sync. It returns the
// row's column values.
func (w *Writer) Append(complaintID string, ev Event) (dbx.Params, error) {
	if w.last == nil {
		last, err := w.stmts.In(w.tx, "SELECT seq, hash FROM "+model.ComplaintEvents+
			" WHERE complaint = ? ORDER BY seq DESC LIMIT 1")
		if err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		w.last = last
	}
	var lastSeq int
	var lastHash string
	err := w.last.QueryRow(complaintID).Scan(&lastSeq, &lastHash)
	seq := 1
	switch {
	case err == nil:
		seq = lastSeq + 1
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("events: last link: %w", err)
	}
	if ev.At.IsZero() {
		ev.At = clock.Now(w.tx)
	}
	l, params, err := row(complaintID, seq, lastHash, &ev)
	if err != nil {
		return nil, err
	}
	if _, err := w.q.Exec(insertEvent.Args(params)...); err != nil {
		return nil, fmt.Errorf("events: insert: %w", err)
	}
	if ev.FromUpstream {
		return params, nil
	}
	return params, w.ob.Enqueue(outbox.KindEvent, l.UID, complaintID, clock.Now(w.tx))
}

// First is the first link (seq 1) of a new complaint's chain, built and
// hashed before the transaction that writes it: it depends on nothing
// stored, so the work stays out of the single writer's critical path.
type First struct {
	uid, complaint string
	at             time.Time
	upstream       bool
	args           []any
}

// NewFirst builds ev as the first link of the chain of complaint
// complaintID; ev.At must be set (from the app's clock).
func NewFirst(complaintID string, ev Event) (*First, error) {
	if ev.At.IsZero() {
		return nil, errors.New("events: the first link needs its time (Event.At)")
	}
	l, params, err := row(complaintID, 1, "", &ev)
	if err != nil {
		return nil, err
	}
	return &First{uid: l.UID, complaint: complaintID, at: ev.At, upstream: ev.FromUpstream, args: insertEvent.Args(params)}, nil
}

// AppendFirst writes f, whose complaint was created in this transaction,
// and queues it for sync.
func (w *Writer) AppendFirst(f *First) error {
	if _, err := w.q.Exec(f.args...); err != nil {
		return fmt.Errorf("events: insert: %w", err)
	}
	if f.upstream {
		return nil
	}
	return w.ob.Enqueue(outbox.KindEvent, f.uid, f.complaint, f.at)
}
