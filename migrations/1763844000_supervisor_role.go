package migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

// The read-only oversight role (model.RoleSupervisor: pembina, penanggung
// jawab, Inspektorat) becomes a value of the staff role field. What it sees
// is the privacy policy's (hooks/domain/privacy: every case this office
// holds, its own and its child offices', without the reporter's identity);
// that it never acts is the lifecycle's (hooks/domain/lifecycle: no move,
// no follow-up, no edit, no counter intake). The collection rules of
// 1763820000_privacy.go already name it.
func init() {
	m.Register(upSupervisorRole, downSupervisorRole, "1763844000_supervisor_role.go")
}

func upSupervisorRole(app core.App) error {
	return setStaffRoles(app, func(values []string) []string {
		if slices.Contains(values, model.RoleSupervisor) {
			return values
		}
		return append(values, model.RoleSupervisor)
	})
}

func downSupervisorRole(app core.App) error {
	return setStaffRoles(app, func(values []string) []string {
		return slices.DeleteFunc(values, func(v string) bool { return v == model.RoleSupervisor })
	})
}

func setStaffRoles(app core.App, change func([]string) []string) error {
	c, err := app.FindCollectionByNameOrId(model.Staff)
	if err != nil {
		return err
	}
	f, ok := c.Fields.GetByName("role").(*core.SelectField)
	if !ok {
		return fmt.Errorf("migrations: staff.role is not a select field")
	}
	f.Values = change(slices.Clone(f.Values))
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: staff roles: %w", err)
	}
	return nil
}
