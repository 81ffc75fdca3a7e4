// Package lifecycle is the SP4N-LAPOR! state machine: which status may
// follow which, who may make each move, and what a move must carry (a unit
// for a disposition, a reason for an archive or a postponement). It is
// pure — no database, no clock — so every (from, to, role) triple is
// table-tested, and every channel (the staff desk, the JSON API, the
// auto-close job, a reporter's reply, sync) is judged by the same Check.
package lifecycle

import (
	"errors"
	"fmt"
	"strings"

	"simpul/hooks/domain/model"
)

// Actors besides the staff roles of model.Roles.
const (
	// RoleSystem is Simpul itself: the auto-close job.
	RoleSystem = "system"
	// RoleReporter is the citizen, proven by the tracking code and receipt PIN.
	RoleReporter = "reporter"
	// RoleUpstream is the parent node or SP4N-LAPOR!, applied by sync: the
	// parent is authoritative, so it may make any move the graph allows.
	RoleUpstream = "upstream"
)

// Archive reasons (LAPOR! "diarsipkan").
const (
	ReasonSpam       = "spam"
	ReasonDuplicate  = "duplicate"
	ReasonOutOfScope = "out_of_scope"
	// ReasonIncomplete: the reporter did not complete a tertunda report
	// in time (the policy's postpone_max_days; the job archives it).
	ReasonIncomplete = "incomplete"
)

// ArchiveReasons lists the reasons an archive move accepts.
var ArchiveReasons = []string{ReasonSpam, ReasonDuplicate, ReasonOutOfScope, ReasonIncomplete}

// Request is what a move carries besides its target status.
type Request struct {
	To          string
	Unit        string // target unit code, for a disposition
	Office      string // or target office code, for a routing to a child office
	Note        string
	Reason      string
	DuplicateOf string // tracking code of the original, for a duplicate
	// OwnUnit tells whether the complaint belongs to the acting handler's
	// unit; only handlers are limited by it.
	OwnUnit bool
}

// Error kinds. Check wraps one of them in an *Error.
var (
	// ErrIllegal: the graph has no such move (HTTP 400).
	ErrIllegal = errors.New("lifecycle: illegal transition")
	// ErrForbidden: the move exists but this role may not make it (HTTP 403).
	ErrForbidden = errors.New("lifecycle: role may not make this transition")
	// ErrIncomplete: the move lacks what it needs (HTTP 400).
	ErrIncomplete = errors.New("lifecycle: transition is missing required data")
)

// Error is a refused move with a message in Bahasa Indonesia and English.
type Error struct {
	Kind    error  // ErrIllegal, ErrForbidden or ErrIncomplete
	Field   string // the request field at fault, if any
	ID, EN  string // messages for people
	Code    string // machine code, e.g. "reason_required"
	From    string
	To      string
	Role    string
	wrapped string
}

func (e *Error) Error() string {
	if e.wrapped == "" {
		e.wrapped = fmt.Sprintf("%v: %s → %s as %s: %s", e.Kind, e.From, e.To, e.Role, e.EN)
	}
	return e.wrapped
}

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Group of roles.
var (
	verifiers = []string{model.RoleCoordinator, model.RoleAdmin, RoleUpstream}
	handlers  = []string{model.RoleHandler, model.RoleCoordinator, model.RoleAdmin, RoleUpstream}
)

// edge is one arrow of the graph and who may follow it.
type edge struct {
	roles []string
	label string // what the move is called, for messages
}

// graph is the LAPOR! lifecycle. A terdisposisi → terdisposisi edge is a
// re-disposition to another unit; follow-ups after the first one and
// replies during proses are events, not moves.
var graph = map[string]map[string]edge{
	model.StatusBaru: {
		model.StatusTertunda:      {verifiers, "postpone"},
		model.StatusDiarsipkan:    {verifiers, "archive"},
		model.StatusBukanWewenang: {verifiers, "hand up"},
		model.StatusTerdisposisi:  {verifiers, "dispose"},
	},
	model.StatusTertunda: {
		// The reporter (or the counter, on their behalf) supplied what was
		// asked: back to verification with the clock running again.
		model.StatusBaru: {append([]string{model.RoleFrontdesk, RoleReporter}, verifiers...), "resume"},
		// The system archives a report left tertunda past the policy's
		// upper bound (cases.ExpirePostponed).
		model.StatusDiarsipkan:    {append([]string{RoleSystem}, verifiers...), "archive"},
		model.StatusBukanWewenang: {verifiers, "hand up"},
		model.StatusTerdisposisi:  {verifiers, "dispose"},
	},
	model.StatusDiarsipkan: {
		model.StatusBaru: {verifiers, "restore"}, // archived by mistake
	},
	model.StatusBukanWewenang: {
		model.StatusBaru: {verifiers, "take back"}, // the parent returned it
	},
	model.StatusTerdisposisi: {
		model.StatusTerdisposisi:  {verifiers, "re-dispose"},
		model.StatusProses:        {handlers, "follow up"},
		model.StatusBukanWewenang: {verifiers, "hand up"},
	},
	model.StatusProses: {
		model.StatusSelesai: {append([]string{RoleSystem}, handlers...), "close"},
		// Re-routing after a follow-up: the unit (or office) that answered
		// was not the right one. Both need a reason (the note).
		model.StatusTerdisposisi:  {verifiers, "re-route"},
		model.StatusBukanWewenang: {verifiers, "hand up"},
	},
	model.StatusSelesai: {
		model.StatusProses: {append([]string{RoleReporter}, verifiers...), "reopen"},
	},
}

// Allowed lists the statuses role may move a complaint to from from (own
// unit assumed), in model.Statuses order, for the staff desk's buttons.
func Allowed(from, role string, ownUnit bool) []string {
	var out []string
	for _, to := range model.Statuses {
		e, ok := graph[from][to]
		if ok && has(e.roles, role) && (role != model.RoleHandler || ownUnit) {
			out = append(out, to)
		}
	}
	return out
}

// Check decides whether role may move a complaint from from to req.To with
// req. It returns nil or an *Error.
func Check(from, role string, req Request) error {
	to := req.To
	fail := func(kind error, field, code, id, en string) error {
		return &Error{Kind: kind, Field: field, Code: code, ID: id, EN: en, From: from, To: to, Role: role}
	}
	if !known(from) {
		return fail(ErrIllegal, "", "unknown_status", "Status asal tidak dikenal.", "Unknown current status.")
	}
	if !known(to) {
		return fail(ErrIllegal, "to", "unknown_status",
			"Status tujuan tidak dikenal: gunakan salah satu dari "+strings.Join(model.Statuses, ", ")+".",
			"Unknown target status: use one of "+strings.Join(model.Statuses, ", ")+".")
	}
	e, ok := graph[from][to]
	if !ok {
		return fail(ErrIllegal, "to", "illegal_transition",
			fmt.Sprintf("Laporan berstatus %q tidak dapat diubah menjadi %q.", from, to),
			fmt.Sprintf("A report in status %q cannot move to %q.", from, to))
	}
	if !has(e.roles, role) {
		return fail(ErrForbidden, "", "role_forbidden",
			fmt.Sprintf("Peran %q tidak berwenang mengubah status %q menjadi %q.", role, from, to),
			fmt.Sprintf("Role %q may not move a report from %q to %q.", role, from, to))
	}
	if role == model.RoleHandler && !req.OwnUnit {
		return fail(ErrForbidden, "", "other_unit",
			"Petugas unit hanya dapat menangani laporan unitnya sendiri.",
			"A unit handler may only act on reports of their own unit.")
	}
	note := strings.TrimSpace(req.Note)
	switch to {
	case model.StatusTerdisposisi:
		if strings.TrimSpace(req.Unit) == "" && strings.TrimSpace(req.Office) == "" {
			return fail(ErrIncomplete, "unit", "unit_required",
				"Disposisi memerlukan unit tujuan.", "A disposition needs a target unit.")
		}
		if from == model.StatusProses && note == "" {
			return fail(ErrIncomplete, "note", "note_required",
				"Tuliskan alasan pengalihan setelah tindak lanjut.",
				"Write why the report is re-routed after a follow-up.")
		}
	case model.StatusTertunda:
		if note == "" {
			return fail(ErrIncomplete, "note", "note_required",
				"Tuliskan informasi yang perlu dilengkapi pelapor (catatan ini dapat dilihat pelapor).",
				"Write what the reporter must add (the reporter sees this note).")
		}
	case model.StatusBukanWewenang:
		if note == "" {
			return fail(ErrIncomplete, "note", "note_required",
				"Tuliskan alasan laporan bukan wewenang kantor ini.",
				"Write why the report is not this office's authority.")
		}
	case model.StatusDiarsipkan:
		if !has(ArchiveReasons, req.Reason) {
			return fail(ErrIncomplete, "reason", "reason_required",
				"Pengarsipan memerlukan alasan: spam, duplicate, out_of_scope atau incomplete.",
				"Archiving needs a reason: spam, duplicate, out_of_scope or incomplete.")
		}
		if req.Reason == ReasonDuplicate && strings.TrimSpace(req.DuplicateOf) == "" {
			return fail(ErrIncomplete, "duplicate_of", "duplicate_of_required",
				"Laporan duplikat memerlukan kode laporan aslinya (duplicate_of).",
				"A duplicate needs the original report's code (duplicate_of).")
		}
	}
	if from == model.StatusSelesai && to == model.StatusProses && role != RoleReporter && note == "" {
		return fail(ErrIncomplete, "note", "note_required",
			"Tuliskan alasan membuka kembali laporan.", "Write why the report is reopened.")
	}
	return nil
}

// Acts tells whether a staff role acts on reports at all: every role but
// the supervisor (pembina, penanggung jawab, Inspektorat), who reads the
// figures and timelines of every office below for oversight and never
// moves, follows up, edits or takes in a report. No move lists it; the
// counter (intake) asks here.
func Acts(role string) bool { return role != model.RoleSupervisor }

// Terminal reports whether no deadline runs in status s.
func Terminal(s string) bool {
	return s == model.StatusSelesai || s == model.StatusDiarsipkan || s == model.StatusBukanWewenang
}

func known(s string) bool { return has(model.Statuses, s) }

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
