package stats

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
)

// Viewer is who asks for statistics: a staff role and, for a handler, the
// unit they work in.
type Viewer struct {
	Role   string
	UnitID string
}

// SeesAllUnits tells whether v may see every unit's figures: coordinators,
// admins, supervisors (oversight) and front desk (aggregates only) do; a
// handler sees their own unit.
func (v Viewer) SeesAllUnits() bool {
	return v.Role == model.RoleCoordinator || v.Role == model.RoleAdmin || v.Role == model.RoleSupervisor ||
		v.Role == model.RoleFrontdesk
}

// MayPrint tells whether v may download the monthly report PDF:
// coordinators, admins and supervisors.
func (v Viewer) MayPrint() bool {
	return v.Role == model.RoleCoordinator || v.Role == model.RoleAdmin || v.Role == model.RoleSupervisor
}

// QueryError is a refused statistics request: Status 400 for a bad
// parameter (Field names it), 403 for a viewer with nothing to see.
type QueryError struct {
	Status int
	Field  string
	Code   string
	ID, EN string // the message in Bahasa Indonesia and English
}

func (e *QueryError) Error() string { return "stats: " + e.Code + ": " + e.EN }

func badParam(field, code, id, en string) *QueryError {
	return &QueryError{Status: http.StatusBadRequest, Field: field, Code: code, ID: id, EN: en}
}

// ParseQuery reads from=YYYY-MM-DD, to=YYYY-MM-DD, unit=CODE and
// office=CODE (the handling office: the whole answer is restricted to its
// cases) as v may ask them. Defaults: from the first of the current month
// to today (office time zone). A handler always gets their own unit,
// whatever unit says.
func ParseQuery(app core.App, v Viewer, values url.Values, now time.Time) (Query, error) {
	loc := sla.Zone(app)
	today := dateOnly(now.In(loc), loc)
	q := Query{From: time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc), To: today}
	parse := func(field string, dst *time.Time) error {
		s := strings.TrimSpace(values.Get(field))
		if s == "" {
			return nil
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			return badParam(field, "invalid_date", "Tanggal harus berformat TTTT-BB-HH.", "Dates must be YYYY-MM-DD.")
		}
		*dst = t
		return nil
	}
	if err := parse("from", &q.From); err != nil {
		return q, err
	}
	if err := parse("to", &q.To); err != nil {
		return q, err
	}
	if q.To.Before(q.From) {
		return q, badParam("to", "period_reversed", "Tanggal akhir sebelum tanggal awal.", "The end date is before the start date.")
	}
	if q.To.After(q.From.AddDate(MaxPeriod, 0, 0)) {
		return q, badParam("to", "period_too_long", "Periode paling lama 5 tahun.", "The period may be at most 5 years.")
	}
	if office := strings.TrimSpace(values.Get("office")); office != "" {
		if !officeCode.MatchString(office) {
			return q, badParam("office", "invalid_office", "Kode kantor tidak valid.", "Invalid office code.")
		}
		q.Office = office
	}
	unitID, err := UnitScope(app, v, values.Get("unit"))
	q.UnitID = unitID
	return q, err
}

// officeCode is what an office code may look like (nodes.code).
var officeCode = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)

// ParseMonth reads month=YYYY-MM (default: the current month, office time
// zone) and returns its first day.
func ParseMonth(app core.App, s string, now time.Time) (time.Time, error) {
	loc := sla.Zone(app)
	s = strings.TrimSpace(s)
	if s == "" {
		n := now.In(loc)
		return time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc), nil
	}
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, badParam("month", "invalid_month", "Bulan harus berformat TTTT-BB.", "The month must be YYYY-MM.")
	}
	return t, nil
}

// UnitScope resolves the unit a viewer's figures cover: a handler's own
// unit always; for others the unit with code (empty: every unit).
func UnitScope(app core.App, v Viewer, code string) (string, error) {
	switch {
	case v.Role == model.RoleHandler:
		if v.UnitID == "" {
			return "", &QueryError{Status: http.StatusForbidden, Code: "no_unit",
				ID: "Akun Anda belum terhubung dengan unit.", EN: "Your account is not linked to a unit."}
		}
		if _, err := app.FindRecordById(model.Units, v.UnitID); err != nil {
			return "", &QueryError{Status: http.StatusForbidden, Code: "no_unit",
				ID: "Unit akun Anda tidak ditemukan.", EN: "Your account's unit no longer exists."}
		}
		return v.UnitID, nil
	case !v.SeesAllUnits():
		return "", &QueryError{Status: http.StatusForbidden, Code: "forbidden",
			ID: "Hanya petugas aktif.", EN: "Active staff only."}
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return "", nil
	}
	u, err := app.FindFirstRecordByData(model.Units, "code", code)
	if err != nil {
		return "", badParam("unit", "unknown_unit", "Unit tidak dikenal.", "Unknown unit.")
	}
	return u.Id, nil
}
