package cases

import (
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// bindOfficeFields fills a new complaint's office fields on every save path
// that goes through PocketBase (the counter's and kiosk's attachments path,
// fixtures, the demo seed, the admin UI): a complaint taken in here is
// handled here until it is routed, so office and origin_office are this
// office's code. Intake's prepared INSERT and sync write them themselves.
func bindOfficeFields(app core.App) {
	app.OnRecordCreate(model.Complaints).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("office") == "" || e.Record.GetString("origin_office") == "" {
			code := OfficeCode(e.App)
			if e.Record.GetString("origin_office") == "" {
				e.Record.Set("origin_office", code)
			}
			if e.Record.GetString("office") == "" {
				e.Record.Set("office", code)
			}
		}
		return e.Next()
	})
}

// OfficeCode is this office's code (the offices row, seeded from
// SIMPUL_OFFICE_CODE), the value of a complaint's office while it is
// handled here.
func OfficeCode(app core.App) string { return officeCodeOf(app) }
