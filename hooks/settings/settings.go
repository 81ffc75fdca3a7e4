// Package settings keeps the office's own set-up in one place: the
// offices row that pages, receipts, intake and sync read; the server's
// SIMPUL_* office variables, written into that row at every start (so a
// variable set after the first start takes effect, and the server's
// configuration wins over the set-up page); PocketBase's application name,
// which follows the office's name; and staff accounts that can sign in as
// soon as they are created.
package settings

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
)

// Register binds the start-up step and the record hooks to app.
func Register(app core.App, cfg config.Config) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "simpulOfficeEnv",
		// Before the routes: the first request must see the variables.
		Priority: -100,
		Func: func(se *core.ServeEvent) error {
			if err := ApplyEnv(se.App, cfg); err != nil {
				return err
			}
			return se.Next()
		},
	})
	bindOfficeCache(app)
	app.OnRecordAfterCreateSuccess(model.Offices).BindFunc(func(e *core.RecordEvent) error {
		followName(e.App, e.Record)
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess(model.Offices).BindFunc(func(e *core.RecordEvent) error {
		followName(e.App, e.Record)
		return e.Next()
	})
	bindStaff(app)
	bindFirstAdminHint(app)
}

// ApplyEnv writes the office variables that are set (cfg.OfficeEnv) into
// the office row, and sets PocketBase's application name to the office's.
// Unset variables leave the row as the set-up page left it.
func ApplyEnv(app core.App, cfg config.Config) error {
	office, err := OfficeRecord(app)
	if err != nil {
		return nil // not migrated yet (a command that needs no office)
	}
	changed := false
	set := func(field string, v any) {
		if fmt.Sprint(office.Get(field)) != fmt.Sprint(v) {
			office.Set(field, v)
			changed = true
		}
	}
	for _, name := range config.OfficeVars {
		v, ok := cfg.OfficeEnv[name]
		if !ok {
			continue
		}
		switch name {
		case "SIMPUL_OFFICE_NAME":
			set("name", v)
		case "SIMPUL_OFFICE_CODE":
			set("code", v)
		case "SIMPUL_TIMEZONE":
			set("timezone", v)
		case "SIMPUL_WORKING_DAYS":
			days, err := config.WeekdaysFromSpec(v)
			if err != nil {
				return err
			}
			set("working_weekdays", days)
		case "SIMPUL_PUBLIC_URL":
			set("public_base_url", strings.TrimRight(v, "/"))
		}
	}
	if changed {
		if err := app.Save(office); err != nil {
			return fmt.Errorf("settings: office variables: %w", err)
		}
		return nil // the update hook follows the name
	}
	followName(app, office)
	return nil
}

// EnvField names, per offices field, the variable that sets it.
var EnvField = map[string]string{
	"name": "SIMPUL_OFFICE_NAME", "code": "SIMPUL_OFFICE_CODE", "timezone": "SIMPUL_TIMEZONE",
	"working_weekdays": "SIMPUL_WORKING_DAYS", "public_base_url": "SIMPUL_PUBLIC_URL",
}

// followName makes PocketBase's application name (the dashboard's title,
// the sender name of its e-mails) the office's name.
func followName(app core.App, office *core.Record) {
	name := strings.TrimSpace(office.GetString("name"))
	s := app.Settings()
	if name == "" || s.Meta.AppName == name {
		return
	}
	s.Meta.AppName = name
	if s.Meta.SenderName == "" || s.Meta.SenderName == "Support" {
		s.Meta.SenderName = name
	}
	if err := app.Save(s); err != nil {
		app.Logger().Warn("settings: application name", "error", err.Error())
	}
}

// InactiveMessage answers a correct password for a deactivated account.
const InactiveMessage = "Akun ini dinonaktifkan. Hubungi admin kantor untuk mengaktifkannya kembali. — " +
	"This account is deactivated; ask the office's admin to activate it again."

// bindStaff makes a staff account created through the API or /_/ active
// (docs/api.md: active unless an admin deactivates it), and
// answers a deactivated account's correct password with a message of its
// own instead of PocketBase's "Failed to authenticate".
func bindStaff(app core.App) {
	app.OnRecordCreateRequest(model.Staff).BindFunc(func(e *core.RecordRequestEvent) error {
		e.Record.Set("active", true)
		return e.Next()
	})
	app.OnRecordAuthWithPasswordRequest(model.Staff).Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{
		Id:       "simpulStaffInactive",
		Priority: 10, // inside the login limiter (websec), which counts this as a failure
		Func: func(e *core.RecordAuthWithPasswordRequestEvent) error {
			if e.Record != nil && !e.Record.GetBool("active") && e.Record.ValidatePassword(e.Password) {
				return router.NewApiError(http.StatusForbidden, InactiveMessage, nil)
			}
			return e.Next()
		},
	})
}
