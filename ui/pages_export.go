package ui

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/vocab"
	"simpul/hooks/export"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
)

// Staff exports (/staf/ekspor): a period form and three downloads
// (complaints CSV, timeline CSV, XLSX workbook), each limited to what the
// signed-in staff member may see (hooks/export applies the staff API's
// rules), plus a link to the open-data CSV.
const (
	ExportPath         = "/staf/ekspor"
	ExportDownloadPath = "/staf/ekspor/unduh"
)

// exportPageData is the data of staf_ekspor.html.
type exportPageData struct {
	StaffName string
	Role      string
	From, To  string // YYYY-MM-DD, office time
	Error     bool
	Identity  string // i18n key: what identity this role's exports carry
	Files     []exportFile
	OpenData  string
}

type exportFile struct {
	Value, Label string
}

func (p *renderer) exportPageData(e *core.RequestEvent, staff *core.Record, from, to string) *exportPageData {
	lang := Lang(e)
	role := staff.GetString("role")
	d := &exportPageData{StaffName: staff.GetString("name"), Role: role, From: from, To: to, OpenData: export.OpenDataPath,
		Identity: "export.identity." + role}
	for _, f := range []struct{ value, key string }{
		{export.FileComplaintsCSV, "export.file.complaints"},
		{export.FileEventsCSV, "export.file.events"},
		{export.FileComplaintsXLSX, "export.file.xlsx"},
	} {
		d.Files = append(d.Files, exportFile{Value: f.value, Label: vocab.T(lang, f.key)})
	}
	return d
}

// exportPeriod reads the form's period; the default is this month so far.
func (p *renderer) exportPeriod(e *core.RequestEvent) (export.Period, string, string, error) {
	loc := sla.Zone(p.app)
	now := clock.Now(p.app)
	from := strings.TrimSpace(e.Request.URL.Query().Get("from"))
	to := strings.TrimSpace(e.Request.URL.Query().Get("to"))
	per, err := export.ParsePeriod(loc, from, to, export.MonthStart(loc, now), now)
	if from == "" {
		from = export.MonthStart(loc, now).Format("2006-01-02")
	}
	if to == "" {
		to = now.In(loc).Format("2006-01-02")
	}
	return per, from, to, err
}

func (p *renderer) exportPage(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/staf")
	}
	_, from, to, err := p.exportPeriod(e)
	d := p.exportPageData(e, staff, from, to)
	d.Error = err != nil
	status := http.StatusOK
	if d.Error {
		status = http.StatusBadRequest
	}
	return p.render(e, status, "staf_ekspor.html", d)
}

// exportDownload streams one file. A GET with the session cookie: the
// cookie is SameSite=Strict, so no other site can make a browser fetch a
// staff member's export.
func (p *renderer) exportDownload(e *core.RequestEvent) error {
	noStore(e)
	staff := StaffSession(p.app, e)
	if staff == nil {
		return e.Redirect(http.StatusSeeOther, "/staf")
	}
	actor, ok := export.ActorFor(staff)
	if !ok {
		return p.staffForbidden(e)
	}
	per, from, to, err := p.exportPeriod(e)
	file := e.Request.URL.Query().Get("file")
	if err != nil || !oneOfStr(export.Files, file) {
		d := p.exportPageData(e, staff, from, to)
		d.Error = true
		return p.render(e, http.StatusBadRequest, "staf_ekspor.html", d)
	}
	return export.Download(p.app, e, actor, file, per)
}
