package events

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// Actions of the access log (model.AccessLog).
const (
	// AccessIdentityRead: a confidential reporter's identity was shown, on
	// purpose, with a reason.
	AccessIdentityRead = "identity_read"
	// AccessCounterLookup: the counter looked reports up (by phone, name or
	// code); the log says how many were found, never what was searched.
	AccessCounterLookup = "counter_lookup"
	// AccessPINReissued: a walk-in who lost the receipt got a new PIN after
	// the clerk checked the KTP; the old PIN stopped working.
	AccessPINReissued = "pin_reissued"
)

// Access is one reading to account for: who, what, why.
type Access struct {
	Action      string
	ComplaintID string // empty for a lookup that found several or none
	ActorID     string // the staff member; empty for a superuser
	ActorName   string
	ActorRole   string
	Reason      string // why, in the reader's words
	Detail      string // how (phone, name, code); never the value searched
	Found       int
}

// LogAccess writes a to the access log. It is append-only: nobody changes
// or deletes an entry through the API (hooks/guards.go), superusers
// included.
func LogAccess(app core.App, a Access) error {
	col, err := app.FindCachedCollectionByNameOrId(model.AccessLog)
	if err != nil {
		return fmt.Errorf("events: access log: %w", err)
	}
	r := core.NewRecord(col)
	r.Set("action", a.Action)
	r.Set("complaint", a.ComplaintID)
	r.Set("actor", a.ActorID)
	r.Set("actor_name", a.ActorName)
	r.Set("actor_role", a.ActorRole)
	r.Set("reason", a.Reason)
	r.Set("detail", a.Detail)
	r.Set("found", a.Found)
	if err := app.Save(r); err != nil {
		return fmt.Errorf("events: access log: %w", err)
	}
	return nil
}

// AccessEntry is one access log entry as coordinators read it.
type AccessEntry struct {
	Action    string `db:"action" json:"action"`
	ActorName string `db:"actor_name" json:"actor_name"`
	ActorRole string `db:"actor_role" json:"actor_role"`
	Reason    string `db:"reason" json:"reason"`
	Created   string `db:"created" json:"at"`
}

// AccessOf returns the access log entries about one complaint, newest
// first (at most limit).
func AccessOf(app core.App, complaintID string, limit int) ([]AccessEntry, error) {
	var out []AccessEntry
	err := app.DB().Select("action", "actor_name", "actor_role", "reason", "created").From(model.AccessLog).
		Where(dbx.NewExp("complaint = {:c} AND complaint != ''", dbx.Params{"c": complaintID})).
		OrderBy("created DESC").Limit(int64(limit)).All(&out)
	if err != nil {
		return nil, fmt.Errorf("events: access log: %w", err)
	}
	return out, nil
}
