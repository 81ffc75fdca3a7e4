package cases

import (
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/privacy"
)

// CaseOf is what the privacy policy needs of a stored complaint.
func CaseOf(c *core.Record) privacy.Case {
	return privacy.Case{Privacy: c.GetString("privacy"), Status: c.GetString("status"),
		UnitID: c.GetString("unit"), CreatedBy: c.GetString("created_by")}
}

// Viewer is the actor as the privacy policy sees them.
func (a Actor) Viewer() privacy.Viewer {
	return privacy.Viewer{Role: a.Role, UnitID: a.UnitID, StaffID: a.ID}
}
