package privacy_test

import (
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
)

// letters name the parts in a compact table: E exists, T text, L location,
// F files, I internal notes, W the reporter's words, D identity, N NIK.
var letters = map[privacy.Part]string{
	privacy.Exists: "E", privacy.Text: "T", privacy.Location: "L", privacy.Files: "F",
	privacy.InternalNotes: "I", privacy.ReporterWords: "W", privacy.Identity: "D", privacy.NIK: "N",
}

// The policy, written out by hand from docs/architecture.md "Domain" and docs/security.md
// §1.3 (not from the code): what every viewer may see of a case in unit A
// taken in by clerk "fd1", per privacy tier and status.
func TestPolicyTable(t *testing.T) {
	viewers := map[string]privacy.Viewer{
		"frontdesk (took it in)": {Role: model.RoleFrontdesk, StaffID: "fd1"},
		"frontdesk (another)":    {Role: model.RoleFrontdesk, StaffID: "fd2"},
		"handler (own unit)":     {Role: model.RoleHandler, UnitID: "A", StaffID: "h1"},
		"handler (other unit)":   {Role: model.RoleHandler, UnitID: "B", StaffID: "h2"},
		"handler (no unit)":      {Role: model.RoleHandler, StaffID: "h3"},
		"coordinator":            {Role: model.RoleCoordinator, StaffID: "c1"},
		"admin":                  {Role: model.RoleAdmin, StaffID: "a1"},
		"supervisor":             {Role: privacy.RoleSupervisor, StaffID: "s1"},
		"public (lists)":         {Role: privacy.Public},
		"code holder":            {Role: privacy.CodeHolder},
		"reporter (notice)":      {Role: privacy.Reporter},
		"parent office (sync)":   {Role: privacy.Parent},
	}
	type row struct{ viewer, public, anonymous, confidential string }
	for _, status := range []string{model.StatusProses, model.StatusBaru} {
		want := []row{
			{"frontdesk (took it in)", "ETLFWD", "ETLFW", "ETLF"},
			{"frontdesk (another)", "", "", ""},
			{"handler (own unit)", "ETLFIWD", "ETLFIW", "ETLFI"},
			{"handler (other unit)", "", "", ""},
			{"handler (no unit)", "", "", ""},
			{"coordinator", "ETLFIWDN", "ETLFIW", "ETLFIWDN"},
			{"admin", "ETLFIWDN", "ETLFIW", "ETLFIWDN"},
			{"supervisor", "ETLFIW", "ETLFIW", "ETLFI"},
			{"public (lists)", "ET", "", ""},
			{"code holder", "ETLW", "ETL", "E"},
			{"reporter (notice)", "E", "E", "E"},
			{"parent office (sync)", "ETLFIW", "ETLFIW", "ETLFIW"},
		}
		if status == model.StatusBaru {
			// Not verified: not listed, and no location to the public.
			want[8] = row{"public (lists)", "", "", ""}
			want[9] = row{"code holder", "ETW", "ET", "E"}
		}
		for _, r := range want {
			for tier, exp := range map[string]string{model.PrivacyPublic: r.public, model.PrivacyAnonymous: r.anonymous,
				model.PrivacyConfidential: r.confidential} {
				c := privacy.Case{Privacy: tier, Status: status, UnitID: "A", CreatedBy: "fd1"}
				var got strings.Builder
				for _, p := range privacy.Parts {
					if privacy.May(viewers[r.viewer], c, p) {
						got.WriteString(letters[p])
					}
				}
				if got.String() != exp {
					t.Errorf("%s, %s report (%s): sees %q, want %q", r.viewer, tier, status, got.String(), exp)
				}
			}
		}
	}
}

// A confidential reporter's identity and NIK are shown only on purpose,
// with a reason, and logged; outputs that cannot ask (lists, exports,
// PDFs) leave them out even for coordinators.
func TestRevealOnlyConfidentialIdentity(t *testing.T) {
	coord := privacy.Viewer{Role: model.RoleCoordinator}
	for _, tier := range model.Privacies {
		c := privacy.Case{Privacy: tier, Status: model.StatusProses}
		for _, p := range privacy.Parts {
			want := tier == model.PrivacyConfidential && (p == privacy.Identity || p == privacy.NIK)
			if got := privacy.Reveal(c, p); got != want {
				t.Errorf("Reveal(%s, %s) = %v", tier, p, got)
			}
			if privacy.Shown(coord, c, p) && want {
				t.Errorf("%s of a %s report shown without a reason", p, tier)
			}
		}
	}
}

// Only verified public reports are listed (docs/architecture.md "Domain": a public report
// "may be shown publicly after verification").
func TestListed(t *testing.T) {
	for _, tier := range model.Privacies {
		for _, st := range model.Statuses {
			want := tier == model.PrivacyPublic && (st == model.StatusTerdisposisi || st == model.StatusProses || st == model.StatusSelesai)
			if got := privacy.Listed(privacy.Case{Privacy: tier, Status: st}); got != want {
				t.Errorf("Listed(%s, %s) = %v, want %v", tier, st, got, want)
			}
		}
	}
}

// A disposition's note is an instruction to the unit; every other step's
// note reaches the reporter.
func TestNoteIsPublic(t *testing.T) {
	for _, tc := range []struct {
		kind, to string
		want     bool
	}{
		{model.EventTransition, model.StatusTerdisposisi, false},
		{model.EventTransition, model.StatusTertunda, true},
		{model.EventTransition, model.StatusDiarsipkan, true},
		{model.EventTransition, model.StatusBukanWewenang, true},
		{model.EventTransition, model.StatusSelesai, true},
		{model.EventTransition, model.StatusProses, true},
		{model.EventFollowUp, "", true},
		{model.EventNote, "", false},
		{model.EventEdit, "", false},
	} {
		if got := privacy.NoteIsPublic(tc.kind, tc.to); got != tc.want {
			t.Errorf("NoteIsPublic(%s, %s) = %v", tc.kind, tc.to, got)
		}
	}
}
