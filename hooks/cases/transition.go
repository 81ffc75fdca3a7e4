package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
)

// Actor is who makes a move.
type Actor struct {
	Role   string // a model.Role* staff role or lifecycle.RoleSystem/RoleReporter/RoleUpstream
	ID     string // staff record id, for staff
	Name   string // shown on the timeline
	UnitID string // the staff member's unit id (limits handlers)
	Origin string // office code where the move was made; empty: "local"
}

// ActorType is the complaint_events actor_type for the actor's role.
func (a Actor) ActorType() string {
	switch a.Role {
	case lifecycle.RoleSystem:
		return "system"
	case lifecycle.RoleReporter:
		return "reporter"
	case lifecycle.RoleUpstream:
		return "node"
	}
	return "staff"
}

// StaffActor describes a staff record as an actor.
func StaffActor(staff *core.Record, origin string) Actor {
	return Actor{Role: staff.GetString("role"), ID: staff.Id, Name: staff.GetString("name"),
		UnitID: staff.GetString("unit"), Origin: origin}
}

// Request is a move as the transitions route receives it.
type Request struct {
	To   string `json:"to"`
	Unit string `json:"unit"` // unit code (or id)
	// Office routes the case to a registered child office (its code, as
	// given to "simpul nodes add") instead of a unit of this office.
	Office      string `json:"office"`
	Note        string `json:"note"`
	Reason      string `json:"reason"`
	DuplicateOf string `json:"duplicate_of"` // tracking code
	// At is when the move happens; zero: now. Sync passes the time the
	// move was made elsewhere, tests pass a fixed clock.
	At time.Time `json:"-"`
}

// Limits on free text in a move.
const maxNote = 5000

type allowStatusKey struct{}

// Transition moves complaint to req.To on behalf of actor, inside the
// caller's transaction (txApp must be transactional): it checks the move
// with lifecycle.Check, sets the unit, reason, duplicate link and every SLA
// date, saves the complaint and appends the timeline event(s) — all or
// nothing. A refused move returns a *lifecycle.Error (400 or 403 kinds)
// and leaves the record in memory as it was.
//
// It is the only way a complaint's status changes; the auto-close job,
// the reporter's reply and sync all come through here.
func Transition(txApp core.App, complaint *core.Record, actor Actor, req Request) error {
	if !txApp.IsTransactional() {
		return errors.New("cases: Transition must run inside a transaction")
	}
	from := complaint.GetString("status")
	req.Note = strings.TrimSpace(req.Note)
	fail := func(kind error, field, code, id, en string) error {
		return &lifecycle.Error{Kind: kind, Field: field, Code: code, ID: id, EN: en, From: from, To: req.To, Role: actor.Role}
	}
	if len(req.Note) > maxNote {
		return fail(lifecycle.ErrIncomplete, "note", "note_too_long",
			fmt.Sprintf("Catatan terlalu panjang (maksimal %d karakter).", maxNote),
			fmt.Sprintf("The note is too long (at most %d characters).", maxNote))
	}
	local := OfficeCode(txApp)
	if strings.EqualFold(strings.TrimSpace(req.Office), local) {
		req.Office = ""
	}
	lreq := lifecycle.Request{To: req.To, Unit: req.Unit, Office: req.Office, Note: req.Note, Reason: req.Reason,
		DuplicateOf: req.DuplicateOf, OwnUnit: actor.UnitID != "" && complaint.GetString("unit") == actor.UnitID}
	if err := lifecycle.Check(from, actor.Role, lreq); err != nil {
		return err
	}

	var unit, original, child *core.Record
	if req.To == model.StatusTerdisposisi && req.Office != "" {
		n, err := childOffice(txApp, req.Office)
		if err != nil {
			return fail(lifecycle.ErrIncomplete, "office", "unknown_office",
				"Kantor tujuan bukan kantor bawahan yang terdaftar.", "The target office is not a registered child office.")
		}
		child = n
	} else if req.To == model.StatusTerdisposisi {
		u, err := findUnit(txApp, req.Unit)
		if err != nil {
			return fail(lifecycle.ErrIncomplete, "unit", "unknown_unit",
				"Unit tujuan tidak ditemukan atau tidak aktif.", "The target unit does not exist or is not active.")
		}
		unit = u
	}
	if req.To == model.StatusDiarsipkan && req.Reason == lifecycle.ReasonDuplicate {
		code, err := trackcode.Normalize(req.DuplicateOf)
		if err == nil {
			original, err = txApp.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		}
		if err != nil || original == nil {
			return fail(lifecycle.ErrIncomplete, "duplicate_of", "unknown_duplicate",
				"Laporan asli (duplicate_of) tidak ditemukan.", "The original report (duplicate_of) was not found.")
		}
		if original.Id == complaint.Id {
			return fail(lifecycle.ErrIncomplete, "duplicate_of", "self_duplicate",
				"Laporan tidak dapat menjadi duplikat dirinya sendiri.", "A report cannot be a duplicate of itself.")
		}
	}

	now := req.At
	if now.IsZero() {
		now = clock.Now(txApp)
	}
	before := complaint.Fresh()
	// A case that arrived from above without a unit keeps the deadline
	// it came with when its coordinator picks the unit.
	keepClock := from == model.StatusTerdisposisi && req.To == model.StatusTerdisposisi &&
		complaint.GetString("unit") == "" && complaint.GetString("office") == local
	complaint.Set("status", req.To)
	if unit != nil {
		complaint.Set("unit", unit.Id)
	}
	setOffice(complaint, from, req.To, local, unit, child)
	switch req.To {
	case model.StatusDiarsipkan:
		complaint.Set("reason", req.Reason)
		if original != nil {
			complaint.Set("duplicate_of", original.Id)
		}
	case model.StatusBaru, model.StatusTerdisposisi:
		complaint.Set("reason", "")
	}
	// Another unit than the one that had the case: a case that had none
	// (routed here from above, or to a child office) is not moved away
	// from anyone, so its deadline runs on (policy redispose_followup).
	unitChanged := unit != nil && before.GetString("unit") != "" && unit.Id != before.GetString("unit")
	if err := applyDeadlines(txApp, complaint, from, req.To, unitChanged, now); err != nil {
		restore(complaint, before)
		return err
	}
	if keepClock {
		for _, f := range []string{"disposed_at", "followup_due_at", "due_at"} {
			complaint.Set(f, before.Get(f))
		}
	}
	complaint.Set("version", complaint.GetInt("version")+1)
	if err := saveAllowed(txApp, complaint); err != nil {
		restore(complaint, before)
		return fmt.Errorf("cases: save complaint: %w", err)
	}

	ev := events.Event{Kind: model.EventTransition, ActorType: actor.ActorType(), ActorID: actor.ID,
		ActorName: actor.Name, From: from, To: req.To, Reason: req.Reason, Public: true,
		Origin: actor.Origin, At: now}
	data := map[string]any{}
	if unit != nil {
		ev.UnitID = unit.Id
		data["unit"] = unit.GetString("code")
	}
	if original != nil {
		data["duplicate_of"] = original.GetString("tracking_code")
	}
	if child != nil {
		data["office"] = child.GetString("code")
		data["office_name"] = child.GetString("name")
	}
	if len(data) > 0 {
		ev.Data = data
	}
	// A disposition's note is an instruction to the unit, not for the
	// reporter: it goes on an internal note after the public move.
	internalNote := !privacy.NoteIsPublic(model.EventTransition, req.To)
	if !internalNote {
		ev.Note = req.Note
	}
	if _, err := events.Append(txApp, complaint, ev); err != nil {
		return err
	}
	if internalNote && req.Note != "" {
		if _, err := events.Append(txApp, complaint, events.Event{Kind: model.EventNote, ActorType: actor.ActorType(),
			ActorID: actor.ID, ActorName: actor.Name, Note: req.Note, UnitID: ev.UnitID, Origin: actor.Origin, At: now}); err != nil {
			return err
		}
	}
	return nil
}

// saveAllowed saves a complaint with the mark that lets the status guard
// through. Only this package can make the mark.
func saveAllowed(txApp core.App, complaint *core.Record) error {
	return txApp.SaveWithContext(context.WithValue(context.Background(), allowStatusKey{}, true), complaint)
}

// restore puts back the fields a refused move had already set.
func restore(dst, src *core.Record) {
	for k, v := range src.FieldsData() {
		dst.Set(k, v)
	}
}

func findUnit(app core.App, codeOrID string) (*core.Record, error) {
	codeOrID = strings.TrimSpace(codeOrID)
	u, err := app.FindFirstRecordByData(model.Units, "code", strings.ToUpper(codeOrID))
	if err != nil {
		u, err = app.FindRecordById(model.Units, codeOrID)
	}
	if err != nil {
		return nil, err
	}
	if !u.GetBool("active") {
		return nil, errors.New("cases: unit inactive")
	}
	return u, nil
}

// ErrStatusGuard is returned when something other than Transition tries to
// change a complaint's status.
var ErrStatusGuard = errors.New("cases: a complaint's status changes only through its transitions (POST /api/complaints/{code}/transitions)")

// bindStatusGuard refuses status changes on every save path unless the
// save carries Transition's mark.
func bindStatusGuard(app core.App) {
	app.OnRecordUpdate(model.Complaints).BindFunc(func(e *core.RecordEvent) error {
		if e.Context != nil && e.Context.Value(allowStatusKey{}) != nil {
			return e.Next()
		}
		// Compare with the stored row, not Record.Original(): PocketBase
		// does not refresh the original after a save, so a record created
		// or moved earlier in the same request would look changed.
		var stored string
		err := e.App.DB().Select("status").From(model.Complaints).
			Where(dbx.HashExp{"id": e.Record.Id}).Row(&stored)
		if err == nil && stored != e.Record.GetString("status") {
			return ErrStatusGuard
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(model.Complaints).BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.Original().GetString("status") != e.Record.GetString("status") {
			return e.BadRequestError("Status laporan hanya dapat diubah melalui POST /api/complaints/{code}/transitions. "+
				"The status changes only through the transitions route.", nil)
		}
		return e.Next()
	})
}
