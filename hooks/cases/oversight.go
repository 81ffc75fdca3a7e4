package cases

import (
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/platform/clock"
	"simpul/hooks/settings"
)

// Oversight is the read-only view of the cases other offices handle: on a
// hub, what its child offices (and theirs) are handling now; on a node,
// its own intake routed elsewhere. The queues of work to do list only the
// cases this office handles (List); this view lists the others, by
// office, with each office's counts of open cases, and no action: acting
// is for the office that handles a case (a hub may still re-route or take
// over a case one of its child offices handles, from the case's page).

// OversightQuery selects a page of the cases other offices handle.
type OversightQuery struct {
	// Office is the code of one office; empty: every office but this one.
	Office string
	// Queue is QueueOpen (every open case, nearest deadline first, the
	// default) or QueueOverdue.
	Queue string
	// Status narrows to one open status (baru, tertunda, terdisposisi,
	// proses).
	Status  string
	Page    int // from 1
	PerPage int // 1…100
	Now     time.Time
}

// OversightQueues are the queues the oversight view offers.
var OversightQueues = []string{QueueOpen, QueueOverdue}

// OpenStatuses are the statuses of a case still being handled.
var OpenStatuses = []string{model.StatusBaru, model.StatusTertunda, model.StatusTerdisposisi, model.StatusProses}

// openStatusList is OpenStatuses as an SQL list.
const openStatusList = "'baru', 'tertunda', 'terdisposisi', 'proses'"

// OfficeCount is one office's open cases as this office holds them.
type OfficeCount struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Local: this office. Child: a registered child office of this hub.
	Local bool `json:"local"`
	Child bool `json:"child"`
	// Open is every open case; Verify (baru), Postponed (tertunda) and
	// Assigned (terdisposisi and proses) split it; Overdue are the open
	// ones past their deadline.
	Open      int `json:"open"`
	Verify    int `json:"verify"`
	Postponed int `json:"postponed"`
	Assigned  int `json:"assigned"`
	Overdue   int `json:"overdue"`
}

// OversightResult is a page of the oversight view and the counts per
// office: this office first, then the others by code.
type OversightResult struct {
	Office  string        `json:"office,omitempty"`
	Queue   string        `json:"queue"`
	Page    int           `json:"page"`
	PerPage int           `json:"perPage"`
	HasMore bool          `json:"hasMore"`
	Items   []ListItem    `json:"items"`
	Offices []OfficeCount `json:"offices"`
}

// ErrNoOversight is returned for a role that has no oversight view: the
// front desk and unit handlers see their own work only.
var ErrNoOversight = errors.New("cases: oversight is for coordinators, admins and supervisors")

// Oversees tells whether role has the oversight view.
func Oversees(role string) bool {
	return role == model.RoleCoordinator || role == model.RoleAdmin || role == privacy.RoleSupervisor
}

// maxOffices bounds the offices counted (a national tier has thousands of
// children; the view lists them all up to this).
const maxOffices = 5000

// Oversight returns a page of the cases other offices handle, as actor may
// see it, with the counts per office. Reporter names are never listed:
// oversight needs none (a copy held above the office of intake has none).
//
// The page is one query through an index that gives its order: one
// office's cases through idx_complaints_office_due (office, due_at, id) or
// idx_complaints_office (office, status, due_at, id); every other office's
// through idx_complaints_due or idx_complaints_status_due, skipping this
// office's own (on a hub most cases are its children's). The offices are
// found by skipping through idx_complaints_office one office at a time,
// and each count reads only that office's open cases, so the counts cost
// in proportion to the open cases, not to the table.
func Oversight(app core.App, actor Actor, q OversightQuery) (OversightResult, error) {
	pageDefaults(app, &q.Page, &q.PerPage, &q.Now)
	if !slices.Contains(OversightQueues, q.Queue) {
		q.Queue = QueueOpen
	}
	q.Office = strings.TrimSpace(q.Office)
	res := OversightResult{Office: q.Office, Queue: q.Queue, Page: q.Page, PerPage: q.PerPage, Items: []ListItem{}, Offices: []OfficeCount{}}
	if !Oversees(actor.Role) {
		return res, ErrNoOversight
	}
	local := OfficeCode(app)
	now := dtString(q.Now)
	params := dbx.Params{"now": now, "local": local}
	where := []string{"c.due_at > ''"} // open: "!= ''" as a range
	if q.Queue == QueueOverdue {
		where = append(where, "c.due_at < {:now}")
	}
	var index string
	switch {
	case q.Office != "" && q.Status != "":
		where = append(where, "c.office = {:office}", "c.status = {:status}")
		index = idxOffice
	case q.Office != "":
		where = append(where, "c.office = {:office}")
		index = idxOfficeDue
	case q.Status != "":
		where = append(where, "c.status = {:status}", "c.office != {:local}")
		index = idxStatusDue
	default:
		where = append(where, "c.office != {:local}")
		index = idxDue
	}
	params["office"], params["status"] = q.Office, q.Status
	sql := "SELECT c.tracking_code, c.title, c.type, c.status, c.privacy, c.channel," +
		" COALESCE(cat.name,'') AS category_name, COALESCE(cat.code,'') AS category_code," +
		" COALESCE(u.code, c.unit_code, '') AS unit_code, COALESCE(u.name, c.unit_name, '') AS unit_name," +
		" c.created, c.due_at, c.office, c.office_name" +
		" FROM " + model.Complaints + " c INDEXED BY " + index +
		" LEFT JOIN " + model.Units + " u ON u.id = c.unit" +
		" LEFT JOIN " + model.Categories + " cat ON cat.id = c.category" +
		" WHERE " + strings.Join(where, " AND ") +
		" ORDER BY c.due_at, c.id" + pageLimit(q.Page, q.PerPage)
	var rows []ListItem
	if err := app.DB().NewQuery(sql).Bind(params).All(&rows); err != nil {
		return res, err
	}
	rows, res.HasMore = cutPage(rows, q.PerPage)
	for i := range rows {
		r := &rows[i]
		r.Overdue = r.DueAt != "" && r.DueAt < now
		markOffice(r, local)
	}
	if rows != nil {
		res.Items = rows
	}
	var err error
	res.Offices, err = OfficeCounts(app, q.Now)
	return res, err
}

// OfficeCounts counts the open cases of every office this office holds
// cases of, and of every registered child office: this office first, then
// the others by code. An office that holds no open case here is listed
// only if it is this office or a child.
func OfficeCounts(app core.App, now time.Time) ([]OfficeCount, error) {
	local := OfficeCode(app)
	var codes []string
	// A loose index scan: the next office after the last one, one index
	// seek each, instead of reading every case for DISTINCT.
	err := app.DB().NewQuery(`WITH RECURSIVE o(code) AS (
			SELECT (SELECT min(office) FROM ` + model.Complaints + ` INDEXED BY ` + idxOffice + ` WHERE office > '')
			UNION ALL
			SELECT (SELECT min(office) FROM ` + model.Complaints + ` INDEXED BY ` + idxOffice + ` WHERE office > o.code)
			FROM o WHERE o.code IS NOT NULL)
		SELECT code FROM o WHERE code IS NOT NULL LIMIT ` + strconv.Itoa(maxOffices)).Column(&codes)
	if err != nil {
		return nil, err
	}
	var nodes []struct {
		Code string `db:"code"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("code", "name").From(model.Nodes).Where(dbx.HashExp{"active": true}).All(&nodes); err != nil {
		return nil, err
	}
	children := map[string]string{}
	for _, n := range nodes {
		children[n.Code] = n.Name
		codes = append(codes, n.Code)
	}
	codes = append(codes, local)
	slices.Sort(codes)
	codes = slices.Compact(codes)

	self, _ := settings.OfficeOf(app) // no office row yet: the code stands for the name
	localName := self.Name
	// The open cases by status and, of those, the overdue ones, in one read
	// of the office's open entries of idx_complaints_office (office,
	// status, due_at, id): the index answers alone, no case row is read.
	byStatus := app.DB().NewQuery("SELECT status, count(*) AS n, coalesce(sum(due_at > '' AND due_at < {:now}), 0) AS overdue FROM " +
		model.Complaints + " INDEXED BY " + idxOffice +
		" WHERE office = {:o} AND status IN (" + openStatusList + ") GROUP BY status").Prepare()
	defer byStatus.Close()
	named := app.DB().NewQuery("SELECT office_name FROM " + model.Complaints + " INDEXED BY " + idxOffice +
		" WHERE office = {:o} LIMIT 1").Prepare()
	defer named.Close()

	out := make([]OfficeCount, 0, len(codes))
	nowStr := dtString(now)
	for _, code := range codes {
		oc := OfficeCount{Code: code, Local: code == local}
		childName, isChild := children[code]
		oc.Child = isChild && !oc.Local
		var counts []struct {
			Status  string `db:"status"`
			N       int    `db:"n"`
			Overdue int    `db:"overdue"`
		}
		if err := byStatus.Bind(dbx.Params{"o": code, "now": nowStr}).All(&counts); err != nil {
			return nil, err
		}
		for _, c := range counts {
			oc.Open += c.N
			oc.Overdue += c.Overdue
			switch c.Status {
			case model.StatusBaru:
				oc.Verify = c.N
			case model.StatusTertunda:
				oc.Postponed = c.N
			default:
				oc.Assigned += c.N
			}
		}
		if oc.Open == 0 && !oc.Local && !oc.Child {
			continue
		}
		switch {
		case oc.Local:
			oc.Name = localName
		case oc.Child:
			oc.Name = childName
		default:
			// Every case of this office may have come without its name.
			if err := named.Bind(dbx.Params{"o": code}).Row(&oc.Name); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
		}
		if oc.Name == "" {
			oc.Name = code
		}
		out = append(out, oc)
	}
	slices.SortStableFunc(out, func(a, b OfficeCount) int {
		switch {
		case a.Local == b.Local:
			return strings.Compare(a.Code, b.Code)
		case a.Local:
			return -1
		}
		return 1
	})
	return out, nil
}

func (h *handlers) oversight(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	if !Oversees(actor.Role) {
		return e.ForbiddenError("Pengawasan hanya untuk koordinator, admin dan pengawas. — "+
			"Oversight is for coordinators, admins and supervisors.", nil)
	}
	v := e.Request.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	per, _ := strconv.Atoi(v.Get("perPage"))
	q := OversightQuery{Office: v.Get("office"), Queue: v.Get("queue"), Status: v.Get("status"), Page: page, PerPage: per,
		Now: clock.Now(h.app)}
	if q.Queue != "" && !slices.Contains(OversightQueues, q.Queue) {
		return badField("queue", "unknown_queue", "Antrian tidak dikenal: "+strings.Join(OversightQueues, ", ")+".",
			"Unknown queue: "+strings.Join(OversightQueues, ", ")+".")
	}
	if q.Status != "" && !slices.Contains(OpenStatuses, q.Status) {
		return badField("status", "unknown_status", "Status harus status terbuka: "+strings.Join(OpenStatuses, ", ")+".",
			"The status must be an open one: "+strings.Join(OpenStatuses, ", ")+".")
	}
	if len(q.Office) > 32 {
		return badField("office", "unknown_office", "Kode kantor tidak dikenal.", "Unknown office code.")
	}
	res, err := Oversight(h.app, actor, q)
	if err != nil {
		h.app.Logger().Error("cases: oversight failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, res)
}
