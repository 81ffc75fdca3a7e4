package cases

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
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
	// The office's code changes (SIMPUL_OFFICE_CODE set on a node that ran
	// standalone, or the set-up page): the cases it handles and took in
	// follow, or the queues, which list the cases whose office is this
	// office's code, would empty. Copies of other offices' cases keep
	// their codes.
	app.OnRecordUpdate(model.Offices).BindFunc(func(e *core.RecordEvent) error {
		old := e.Record.Original().GetString("code") // as stored before this update
		if err := e.Next(); err != nil {
			return err
		}
		code := e.Record.GetString("code")
		if old == "" || code == "" || old == code {
			return nil
		}
		for _, f := range []string{"office", "origin_office"} {
			if _, err := e.App.DB().Update(model.Complaints, dbx.Params{f: code}, dbx.HashExp{f: old}).Execute(); err != nil {
				return fmt.Errorf("cases: office code %s → %s: %w", old, code, err)
			}
		}
		return nil
	})
}

// OfficeCode is this office's code (the offices row, seeded from
// SIMPUL_OFFICE_CODE), the value of a complaint's office while it is
// handled here.
func OfficeCode(app core.App) string { return officeCodeOf(app) }

// childOffice finds the active child office (nodes row) with code.
func childOffice(app core.App, code string) (*core.Record, error) {
	n, err := app.FindFirstRecordByFilter(model.Nodes, "code = {:c} && active = true", dbx.Params{"c": strings.TrimSpace(code)})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// setOffice moves responsibility with a transition: a disposition to a
// unit here or a take-back brings the case here; a routing to a child
// office hands it to that office, with no unit (its coordinator picks
// one).
func setOffice(c *core.Record, from, to, local string, unit, child *core.Record) {
	switch {
	case child != nil:
		c.Set("office", child.GetString("code"))
		c.Set("office_name", child.GetString("name"))
		c.Set("unit", "")
		c.Set("unit_code", "")
		c.Set("unit_name", "")
	case unit != nil, to == model.StatusBaru && from == model.StatusBukanWewenang:
		c.Set("office", local)
		c.Set("office_name", "")
		if unit != nil {
			c.Set("unit_code", unit.GetString("code"))
			c.Set("unit_name", unit.GetString("name"))
		}
	}
}

// Handles reports whether staff of this office may act on c: it handles
// the case, or the case is handled by one of its child offices (a hub
// oversees and may re-route what it routed). A copy of a case handled
// elsewhere is read-only here (docs/sync-protocol.md §6).
func Handles(app core.App, c *core.Record) bool {
	office := c.GetString("office")
	if office == "" || office == OfficeCode(app) {
		return true
	}
	_, err := childOffice(app, office)
	return err == nil
}

// notHandledHere is the refusal for a copy of a case handled elsewhere.
func notHandledHere(e *core.RequestEvent, c *core.Record) error {
	name := c.GetString("office_name")
	if name == "" {
		name = c.GetString("office")
	}
	return e.Error(http.StatusConflict, "Laporan ini sedang ditangani oleh "+name+"; perubahan dilakukan di sana. — "+
		"This report is handled by "+name+"; it is changed there.", nil)
}
