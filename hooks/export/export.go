// Package export writes Simpul's data out of the appliance: the staff
// exports of a period's complaints and their timelines (CSV and XLSX), with
// personal data only where the requesting role may see it (the same rules
// as the staff API in hooks/cases), and the open-data CSV of verified
// public reports, which carries no personal data at all.
//
// What the public may list is the privacy policy's rule
// (privacy.ListedCondition, hooks/domain/privacy): the public page of
// reports (ui), the open-data CSV and Open311's GET requests all show the
// same reports, with their titles masked.
//
// Routes:
//
//	GET /data/laporan.csv?from=&to=        open data, no login
//	GET /api/exports/{file}?from=&to=       staff token; file is
//	                                        complaints.csv, events.csv or complaints.xlsx
//
// The staff desk offers the same downloads at /staf/ekspor (ui).
package export

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/budget"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/routes"
	"simpul/hooks/sla"
)

// Route paths.
const (
	OpenDataPath = "/data/laporan.csv"
	APIPath      = "/api/exports/{file}"
)

// Files of a staff export, by their name in the URL.
const (
	FileComplaintsCSV  = "complaints.csv"
	FileEventsCSV      = "events.csv"
	FileComplaintsXLSX = "complaints.xlsx"
)

// Files lists the staff export files.
var Files = []string{FileComplaintsCSV, FileEventsCSV, FileComplaintsXLSX}

// Register binds the export routes to app.
func Register(app core.App) {
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodGet, Path: OpenDataPath, Who: routes.Anyone,
			Handler: func(e *core.RequestEvent) error { return serveOpenData(app, e) }},
		{Method: http.MethodGet, Path: APIPath, Who: routes.Staff,
			Handler: func(e *core.RequestEvent) error { return serveAPI(app, e) }},
	}})
}

// Period is a span of creation times, [From, To).
type Period struct {
	From, To time.Time
}

// ErrPeriod is returned by ParsePeriod for a date that is not YYYY-MM-DD or
// an end before the start.
var ErrPeriod = errors.New("export: the period must be from ≤ to, as YYYY-MM-DD")

// ParsePeriod reads the from and to dates (YYYY-MM-DD, both days included,
// in the office's time zone loc). An empty from gives defFrom, an empty to
// today.
func ParsePeriod(loc *time.Location, from, to string, defFrom, now time.Time) (Period, error) {
	day := func(s string, def time.Time) (time.Time, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			y, m, d := def.In(loc).Date()
			return time.Date(y, m, d, 0, 0, 0, 0, loc), nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil || t.Year() < 2000 || t.Year() > 9999 {
			return time.Time{}, ErrPeriod
		}
		return t, nil
	}
	f, err := day(from, defFrom)
	if err != nil {
		return Period{}, err
	}
	t, err := day(to, now)
	if err != nil {
		return Period{}, err
	}
	if t.Before(f) {
		return Period{}, ErrPeriod
	}
	return Period{From: f, To: t.AddDate(0, 0, 1)}, nil
}

// MonthStart is the first day of now's month in loc: the default start of
// a staff export.
func MonthStart(loc *time.Location, now time.Time) time.Time {
	y, m, _ := now.In(loc).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, loc)
}

// dbTime is t as PocketBase stores dates ("2006-01-02 15:04:05.000Z").
func dbTime(t time.Time) string {
	dt, _ := types.ParseDateTime(t.UTC())
	return dt.String()
}

// ActorFor is the export actor of an authenticated request: an active
// staff member, or a superuser acting as admin. ok is false for anybody
// else.
func ActorFor(auth *core.Record) (cases.Actor, bool) {
	switch {
	case auth == nil:
		return cases.Actor{}, false
	case auth.IsSuperuser():
		return cases.Actor{Role: model.RoleAdmin, Name: "Superuser"}, true
	case auth.Collection().Name == model.Staff && auth.GetBool("active"):
		return cases.StaffActor(auth, ""), true
	}
	return cases.Actor{}, false
}

// serveAPI is GET /api/exports/{file}.
func serveAPI(app core.App, e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("Silakan masuk sebagai petugas. — Staff sign-in required.", nil)
	}
	actor, ok := ActorFor(e.Auth)
	if !ok {
		return e.ForbiddenError("Hanya petugas aktif. — Active staff only.", nil)
	}
	file := e.Request.PathValue("file")
	if !oneOf(file, Files) {
		return e.NotFoundError("Berkas ekspor tidak dikenal. — Unknown export file: "+strings.Join(Files, ", ")+".", nil)
	}
	loc := sla.Zone(app)
	now := clock.Now(app)
	q := e.Request.URL.Query()
	p, err := ParsePeriod(loc, q.Get("from"), q.Get("to"), MonthStart(loc, now), now)
	if err != nil {
		return e.BadRequestError("Periode tidak valid (from ≤ to, TTTT-BB-HH). — Invalid period (from ≤ to, YYYY-MM-DD).", nil)
	}
	return Download(app, e, actor, file, p)
}

// Download streams one staff export file to the response with the right
// headers. Callers have checked who is asking; actor decides what they get.
// Every file streams with bounded memory whatever the period (budget.Export);
// when other exports hold the memory budget the request is refused with 503
// and a message, and a workbook with more rows than a sheet holds is refused
// with 400 before anything is written.
func Download(app core.App, e *core.RequestEvent, actor cases.Actor, file string, p Period) error {
	release, err := budget.Request(app, e, budget.Export)
	if err != nil {
		return err
	}
	defer release()
	loc := sla.Zone(app)
	span := p.From.In(loc).Format("2006-01-02") + "_" + p.To.Add(-time.Nanosecond).In(loc).Format("2006-01-02")
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store") // personal data
	h.Set("X-Content-Type-Options", "nosniff")
	var n int
	switch file {
	case FileComplaintsCSV:
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="pengaduan-`+span+`.csv"`)
		e.Response.WriteHeader(http.StatusOK)
		n, err = WriteComplaintsCSV(app, e.Response, actor, p)
	case FileEventsCSV:
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="riwayat-`+span+`.csv"`)
		e.Response.WriteHeader(http.StatusOK)
		n, err = WriteEventsCSV(app, e.Response, actor, p)
	case FileComplaintsXLSX:
		// The workbook streams like the CSV files; what a sheet cannot hold
		// is refused before the status line goes out.
		if fits, err := FitsSheets(app, actor, p); err != nil {
			app.Logger().Error("export_failed", "file", file, "error", err.Error())
			return e.InternalServerError("", nil)
		} else if !fits {
			return e.BadRequestError("Periode ini berisi lebih banyak baris daripada yang muat dalam satu lembar Excel "+
				"(1.048.575); pilih periode yang lebih pendek atau unduh CSV. — This period holds more rows than an Excel "+
				"sheet (1,048,575); choose a shorter period or download the CSV files.", nil)
		}
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", `attachment; filename="pengaduan-`+span+`.xlsx"`)
		e.Response.WriteHeader(http.StatusOK)
		n, err = WriteXLSX(app, e.Response, actor, p)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		// The status line is out: all we can do is stop and log.
		app.Logger().Error("export_failed", "file", file, "error", err.Error())
		return nil
	}
	// Who exported what: an audit trail without personal data.
	app.Logger().Info("export_downloaded", "file", file, "role", actor.Role, "staff_id", actor.ID, "rows", n,
		"from", p.From.Format(time.RFC3339), "to", p.To.Format(time.RFC3339))
	return nil
}

// serveOpenData is GET /data/laporan.csv: verified public reports, no
// personal data, no login.
func serveOpenData(app core.App, e *core.RequestEvent) error {
	release, err := budget.Request(app, e, budget.Export)
	if err != nil {
		return err
	}
	defer release()
	loc := sla.Zone(app)
	q := e.Request.URL.Query()
	now := clock.Now(app)
	p, err := ParsePeriod(loc, q.Get("from"), q.Get("to"), time.Date(2000, 1, 1, 0, 0, 0, 0, loc), now)
	if err != nil {
		return e.BadRequestError("Periode tidak valid (from ≤ to, TTTT-BB-HH). — Invalid period (from ≤ to, YYYY-MM-DD).", nil)
	}
	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="laporan-terverifikasi.csv"`)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*") // open data
	e.Response.WriteHeader(http.StatusOK)
	if _, err := WriteOpenDataCSV(app, e.Response, p); err != nil {
		app.Logger().Error("export_failed", "file", "open_data", "error", err.Error())
	}
	return nil
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// errf names the package in an error.
func errf(what string, err error) error { return fmt.Errorf("export: %s: %w", what, err) }
