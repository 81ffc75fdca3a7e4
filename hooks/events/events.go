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
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/model"
	"simpul/sync/outbox"
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
// saved event.
func Append(txApp core.App, complaint *core.Record, ev Event) (*core.Record, error) {
	if !txApp.IsTransactional() {
		return nil, errors.New("events: Append must run inside a transaction")
	}
	col, err := txApp.FindCachedCollectionByNameOrId(model.ComplaintEvents)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	var last struct {
		Seq  int    `db:"seq"`
		Hash string `db:"hash"`
	}
	err = txApp.DB().Select("seq", "hash").From(model.ComplaintEvents).
		Where(dbx.HashExp{"complaint": complaint.Id}).
		OrderBy("seq DESC").Limit(1).One(&last)
	seq := 1
	switch {
	case err == nil:
		seq = last.Seq + 1
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("events: last link: %w", err)
	}
	if ev.UID == "" {
		ev.UID = NewUID(ev.Origin)
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	r := core.NewRecord(col)
	r.Set("complaint", complaint.Id)
	r.Set("seq", seq)
	r.Set("uid", ev.UID)
	r.Set("kind", ev.Kind)
	r.Set("actor_type", ev.ActorType)
	r.Set("actor", ev.ActorID)
	r.Set("actor_name", ev.ActorName)
	r.Set("from_status", ev.From)
	r.Set("to_status", ev.To)
	r.Set("note", ev.Note)
	r.Set("reason", ev.Reason)
	r.Set("unit", ev.UnitID)
	r.Set("public", ev.Public)
	if ev.Data != nil {
		r.Set("data", ev.Data)
	}
	r.Set("origin", ev.Origin)
	r.Set("at", ev.At.UTC().Format(time.RFC3339Nano))
	r.Set("prev_hash", last.Hash)
	h, err := Hash(r)
	if err != nil {
		return nil, err
	}
	r.Set("hash", h)
	if err := txApp.Save(r); err != nil {
		return nil, fmt.Errorf("events: save: %w", err)
	}
	if !ev.FromUpstream {
		if err := outbox.Enqueue(txApp, outbox.KindEvent, ev.UID, complaint.Id); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// NewUID returns a globally unique event id: the origin office code and 80
// random bits.
func NewUID(origin string) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("events: crypto/rand failed: " + err.Error())
	}
	if origin == "" {
		origin = "local"
	}
	return origin + ":" + hex.EncodeToString(b[:])
}

// hashed is the canonical content of an event: the fields in a fixed order,
// data re-encoded with sorted keys.
type hashed struct {
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

// Hash computes the SHA-256 link hash of an event record (its "hash" field
// excluded).
func Hash(r *core.Record) (string, error) {
	var data any
	if raw := r.GetString("data"); raw != "" && raw != "null" {
		if err := json.Unmarshal([]byte(raw), &data); err != nil {
			return "", fmt.Errorf("events: data of %s: %w", r.Id, err)
		}
	}
	b, err := json.Marshal(hashed{
		Complaint: r.GetString("complaint"), Seq: r.GetInt("seq"), UID: r.GetString("uid"),
		Kind: r.GetString("kind"), ActorType: r.GetString("actor_type"), Actor: r.GetString("actor"),
		ActorName: r.GetString("actor_name"), From: r.GetString("from_status"), To: r.GetString("to_status"),
		Note: r.GetString("note"), Reason: r.GetString("reason"), Unit: r.GetString("unit"),
		Public: r.GetBool("public"), Data: data, Origin: r.GetString("origin"), At: r.GetString("at"),
		PrevHash: r.GetString("prev_hash"),
	})
	if err != nil {
		return "", fmt.Errorf("events: encode: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
