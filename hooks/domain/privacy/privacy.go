// Package privacy is the one place that decides who may see what of a
// complaint. Every output asks it: the staff API, the desk pages and the
// case summary PDF, the staff exports, the counter, the collection API
// rules (and so PocketBase's realtime, which applies them), the public
// pages, tracking, open data and Open311, the reporter's notices and sync.
// It is pure: a Viewer, a Case and a Part go in, a yes or no comes out.
//
// The rules (docs/architecture.md "Domain", docs/security.md §1.3):
//
//   - A staff member sees a case in their scope: coordinators, admins and
//     supervisors every case, a handler their unit's, the front desk what
//     they took in. Within it they see its text, location and files.
//     Supervisors (pembina, penanggung jawab, Inspektorat) only read: on a
//     hub, every case it holds, its own and every office's below, with the
//     timeline but never the reporter's identity; they act on none
//     (lifecycle.Acts).
//   - Internal notes (timeline events that are not public) are for those who
//     handle the case: not the front desk.
//   - The reporter's identity (name, phone, e-mail): of a public report, for
//     the staff who see the case, supervisors excepted (oversight needs no
//     identities); of a confidential report, for coordinators and admins
//     only, and each reading is logged with its reason (Reveal); of an
//     anonymous report, for nobody (none is stored). The NIK, checked at the
//     counter, only for coordinators and admins.
//   - The reporter's own words (replies, a rating's comment) on a
//     confidential report often name them: only those who may know the
//     reporter read them; others see that a reply came.
//   - The public sees, in lists (/laporan, open data, Open311 lists), only
//     verified public reports (Listed), and of them the title. Whoever holds
//     a tracking code sees the case's status and public timeline and, unless
//     it is confidential, its text, and its location once it is verified.
//     Every free text that goes public is masked (Mask).
//   - A reporter notice carries the status and the notes marked public.
//   - The office above (sync) gets everything but the identity and the NIK:
//     they never leave the node.
package privacy

import (
	"slices"
	"strings"

	"simpul/hooks/domain/model"
)

// Viewers that are not staff roles.
const (
	// Public is anyone, reading a list (/laporan, open data, Open311).
	Public = "public"
	// CodeHolder is whoever holds a tracking code: /lacak/{code},
	// /api/track/{code}, Open311 by id.
	CodeHolder = "code_holder"
	// Reporter is the reporter, reading a notice (e-mail, SMS).
	Reporter = "reporter"
	// Parent is the office above, through sync.
	Parent = "parent"
)

// RoleSupervisor is the read-only oversight role (model.RoleSupervisor):
// every case, no identities, no acting (lifecycle.Acts).
const RoleSupervisor = model.RoleSupervisor

// StaffRoles are the staff viewers, in the order the tests walk them.
var StaffRoles = []string{model.RoleFrontdesk, model.RoleHandler, model.RoleCoordinator, model.RoleAdmin, RoleSupervisor}

// Viewer is who looks.
type Viewer struct {
	Role    string // a staff role, or Public, CodeHolder, Reporter, Parent
	UnitID  string // a handler's unit
	StaffID string // a staff member's id
}

// Case is what the rules need of a complaint.
type Case struct {
	Privacy   string // model.Privacy*
	Status    string // model.Status*
	UnitID    string // the unit it is with
	CreatedBy string // the staff member who took it in at the counter
}

// Part is a piece of a complaint.
type Part string

// The parts of a complaint.
const (
	// Exists: the case at all — its code, status, type, category, unit,
	// dates and the public steps of its timeline.
	Exists Part = "exists"
	// Text: the title and the body the reporter wrote.
	Text Part = "text"
	// Location: the place typed and the coordinates.
	Location Part = "location"
	// Files: the reporter's attachments and the follow-up files.
	Files Part = "files"
	// InternalNotes: timeline events that are not public (a disposition's
	// instruction to the unit, an edit, a note).
	InternalNotes Part = "internal_notes"
	// ReporterWords: the reporter's replies and a rating's comment.
	ReporterWords Part = "reporter_words"
	// Identity: the reporter's name, phone and e-mail.
	Identity Part = "identity"
	// NIK: the reporter's national id number (checked at the counter).
	NIK Part = "nik"
)

// Parts lists every part, in the order the tests walk them.
var Parts = []Part{Exists, Text, Location, Files, InternalNotes, ReporterWords, Identity, NIK}

// Verified tells whether a case passed verification and is with (or was
// closed by) a unit: terdisposisi, proses, selesai. Reports still waiting
// (baru, tertunda) or refused at verification (diarsipkan, bukan_wewenang)
// are not.
func Verified(status string) bool {
	return slices.Contains(VerifiedStatuses, status)
}

// VerifiedStatuses are the statuses of a verified case.
var VerifiedStatuses = []string{model.StatusTerdisposisi, model.StatusProses, model.StatusSelesai}

// Listed tells whether the public may list a case: a verified public
// report.
func Listed(c Case) bool {
	return c.Privacy == model.PrivacyPublic && Verified(c.Status)
}

// ListedCondition is the SQL condition, on complaints aliased c, of a case
// the public may list (Listed): privacy public and a verified status. It
// takes no parameters. Its privacy term is the condition of the partial
// index idx_complaints_public, written the same way so SQLite uses it.
func ListedCondition() string {
	return "c.privacy = '" + model.PrivacyPublic + "' AND c.status IN ('" + strings.Join(VerifiedStatuses, "','") + "')"
}

// PublicText is what the public reads of a text the reporter wrote (a
// title, a body): the version a verifier wrote for the public when there
// is one, else the reporter's own; masked either way (Mask).
func PublicText(own, verified string) string {
	if strings.TrimSpace(verified) != "" {
		return Mask(verified)
	}
	return Mask(own)
}

// InScope tells whether a staff viewer sees the case at all.
func InScope(v Viewer, c Case) bool {
	switch v.Role {
	case model.RoleAdmin, model.RoleCoordinator, RoleSupervisor:
		return true
	case model.RoleHandler:
		return v.UnitID != "" && c.UnitID == v.UnitID
	case model.RoleFrontdesk:
		return v.StaffID != "" && c.CreatedBy == v.StaffID
	}
	return false
}

// KnowsReporter tells whether a staff role may know who reported a case
// of privacy tier, whether or not they see the case (the counter's phone
// search asks before it finds anything). A confidential identity still
// needs a reason each time (Reveal).
func KnowsReporter(role, privacy string) bool {
	switch privacy {
	case model.PrivacyAnonymous:
		return false
	case model.PrivacyConfidential:
		return role == model.RoleCoordinator || role == model.RoleAdmin
	}
	return slices.Contains([]string{model.RoleFrontdesk, model.RoleHandler, model.RoleCoordinator, model.RoleAdmin}, role)
}

// FoundByIdentity tells whether a search by who the reporter is (the
// counter's lookup by phone or name) may find c for v: only a case whose
// reporter v may know, and for a handler only one of their unit. A
// confidential report is found only by coordinators and admins; a lookup
// by tracking code (the code is the secret) is not such a search.
func FoundByIdentity(v Viewer, c Case) bool {
	if !KnowsReporter(v.Role, c.Privacy) {
		return false
	}
	return v.Role != model.RoleHandler || InScope(v, c)
}

// May tells whether v may see part of c.
func May(v Viewer, c Case, part Part) bool {
	switch v.Role {
	case Public:
		return Listed(c) && (part == Exists || part == Text)
	case CodeHolder:
		switch part {
		case Exists:
			return true
		case Text:
			return c.Privacy != model.PrivacyConfidential
		case Location:
			return c.Privacy != model.PrivacyConfidential && Verified(c.Status)
		case ReporterWords:
			// A public report's replies are on its public timeline.
			return c.Privacy == model.PrivacyPublic
		}
		return false
	case Reporter:
		return part == Exists
	case Parent:
		return part != Identity && part != NIK
	}
	if !InScope(v, c) {
		return false
	}
	switch part {
	case Exists, Text, Location, Files:
		return true
	case InternalNotes:
		return v.Role != model.RoleFrontdesk
	case ReporterWords:
		return c.Privacy != model.PrivacyConfidential || KnowsReporter(v.Role, c.Privacy)
	case Identity:
		return KnowsReporter(v.Role, c.Privacy)
	case NIK:
		return c.Privacy != model.PrivacyAnonymous && (v.Role == model.RoleCoordinator || v.Role == model.RoleAdmin)
	}
	return false
}

// ReadsAccessLog tells whether a staff role reads the access log (who
// opened a confidential identity, looked reports up, issued a new PIN):
// coordinators, admins and supervisors.
func ReadsAccessLog(role string) bool {
	return role == model.RoleCoordinator || role == model.RoleAdmin || role == RoleSupervisor
}

// Reveal tells whether showing part of c to v is a reading that must be
// logged with its reason (who, when, why): a confidential reporter's
// identity or NIK. Outputs that cannot ask for a reason (lists, exports,
// PDFs) leave such parts out.
func Reveal(c Case, part Part) bool {
	return c.Privacy == model.PrivacyConfidential && (part == Identity || part == NIK)
}

// Shown tells whether an output that shows part of c to v without asking
// for a reason may show it: May, and not a part that must be revealed.
func Shown(v Viewer, c Case, part Part) bool {
	return May(v, c, part) && !Reveal(c, part)
}

// NoteIsPublic tells whether the note a staff member writes with a step
// reaches the reporter and the public timeline. A disposition's note is an
// instruction to the unit: internal. Every other step's note (asking for
// more information, a follow-up, an archive or completion note) is public.
func NoteIsPublic(kind, toStatus string) bool {
	switch kind {
	case model.EventFollowUp:
		return true
	case model.EventTransition:
		return toStatus != model.StatusTerdisposisi
	}
	return false
}
