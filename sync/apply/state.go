package apply

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/settings"
	"simpul/sync/protocol"
)

// RevByParent is complaints.rev_by when the parent made the last change.
const RevByParent = "up"

// Office is this level's office: its code and name.
type Office struct{ Code, Name string }

// LocalOffice is this level's office (settings.OfficeOf).
func LocalOffice(app core.App) Office {
	o, _ := settings.OfficeOf(app)
	return Office{Code: o.Code, Name: o.Name}
}

// StateOf is the case's state as it travels from this level.
func StateOf(app core.App, c *core.Record, local Office) protocol.State {
	st := protocol.State{
		Rev: int64(c.GetInt("state_rev")), Status: c.GetString("status"), Privacy: c.GetString("privacy"),
		Office: c.GetString("office"), OfficeName: c.GetString("office_name"),
		OriginOffice: c.GetString("origin_office"), Unit: c.GetString("unit_code"), UnitName: c.GetString("unit_name"),
		Reason: c.GetString("reason"), Rating: c.GetInt("rating"), Paused: c.GetInt("paused_remaining"),
	}
	if st.Office == "" {
		st.Office = local.Code
	}
	if st.OriginOffice == "" {
		st.OriginOffice = local.Code
	}
	if st.OfficeName == "" && st.Office == local.Code {
		st.OfficeName = local.Name
	}
	if u := c.GetString("unit"); u != "" {
		var unit struct {
			Code string `db:"code"`
			Name string `db:"name"`
		}
		if err := app.DB().Select("code", "name").From(model.Units).Where(dbx.HashExp{"id": u}).One(&unit); err == nil {
			st.Unit, st.UnitName = unit.Code, unit.Name
		}
	}
	for key, field := range protocol.StateDates {
		if t := c.GetDateTime(field).Time(); !t.IsZero() {
			if st.Dates == nil {
				st.Dates = map[string]int64{}
			}
			st.Dates[key] = t.UnixMilli()
		}
	}
	return st
}

// StateOptions says how a received state is written.
type StateOptions struct {
	// RevBy records who made the change: a child node's id, or
	// RevByParent.
	RevBy string
	// ParentRev, when set, is the parent's revision to remember.
	ParentRev int64
}

// ApplyState overwrites the case's state on this level with st (the
// caller decided that st wins, docs/sync-protocol.md §6), as one SQL
// update: the status guard of hooks/cases admits only its own
// transitions, and a mirrored state must not append events of its own.
// The unit points at a local unit only when the case is handled here.
func ApplyState(txApp core.App, c *core.Record, st protocol.State, local Office, opts StateOptions) error {
	unitID := ""
	if st.Unit != "" && st.Office == local.Code {
		err := txApp.DB().Select("id").From(model.Units).Where(dbx.HashExp{"code": st.Unit}).Row(&unitID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("apply: unit: %w", err)
		}
	}
	now := types.NowDateTime()
	params := dbx.Params{
		"status": st.Status, "privacy": st.Privacy, "office": st.Office, "office_name": st.OfficeName,
		"origin_office": st.OriginOffice, "unit": unitID, "unit_code": st.Unit, "unit_name": st.UnitName,
		"reason": st.Reason, "paused_remaining": st.Paused,
		"state_rev": c.GetInt("state_rev") + 1, "rev_by": opts.RevBy, "version": c.GetInt("version") + 1,
		"updated": now.String(),
	}
	if st.Rating > 0 {
		params["rating"] = st.Rating
	}
	if opts.ParentRev > 0 {
		params["parent_rev"] = opts.ParentRev
	}
	for key, field := range protocol.StateDates {
		params[field] = ""
		if ms, ok := st.Dates[key]; ok {
			dt, _ := types.ParseDateTime(time.UnixMilli(ms).UTC())
			params[field] = dt.String()
		}
	}
	if _, err := txApp.DB().Update(model.Complaints, params, dbx.HashExp{"id": c.Id}).Execute(); err != nil {
		return fmt.Errorf("apply: state of %s: %w", c.Id, err)
	}
	for k, v := range params {
		c.Set(k, v)
	}
	return nil
}
