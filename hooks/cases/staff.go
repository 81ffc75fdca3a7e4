package cases

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/search"
	"simpul/hooks/sla"
)

// Queues of the staff desk.
const (
	QueueOpen      = "open"      // every open report, nearest deadline first
	QueueVerify    = "verify"    // baru: waiting for verification
	QueuePostponed = "postponed" // tertunda: waiting for the reporter
	QueueUnit      = "unit"      // terdisposisi and proses: with the units
	QueueDueSoon   = "due_soon"  // deadline within the next 2 working days
	QueueOverdue   = "overdue"   // deadline passed
	QueueClosed    = "closed"    // selesai, diarsipkan, bukan_wewenang
	QueueAll       = "all"       // everything, newest first
)

// Queues lists the queues in the order the desk shows them.
var Queues = []string{QueueOpen, QueueVerify, QueuePostponed, QueueUnit, QueueDueSoon, QueueOverdue, QueueClosed, QueueAll}

// ListQuery selects a page of a queue.
type ListQuery struct {
	Queue    string
	Search   string // a tracking code, or words (title, body, location, public follow-ups)
	Status   string
	Unit     string // unit code
	Category string // category code
	Type     string
	Page     int // from 1
	PerPage  int // 1…100
	Now      time.Time
}

// ListItem is one row of a staff list. Lists never carry a phone number or
// an e-mail address; the reporter's name only where the viewer may see it.
type ListItem struct {
	TrackingCode string `json:"tracking_code" db:"tracking_code"`
	Title        string `json:"title" db:"title"`
	Type         string `json:"type" db:"type"`
	Status       string `json:"status" db:"status"`
	Privacy      string `json:"privacy" db:"privacy"`
	Channel      string `json:"channel" db:"channel"`
	Category     string `json:"category" db:"category_name"`
	CategoryCode string `json:"category_code" db:"category_code"`
	UnitCode     string `json:"unit" db:"unit_code"`
	UnitName     string `json:"unit_name" db:"unit_name"`
	Created      string `json:"created" db:"created"`
	DueAt        string `json:"due_at" db:"due_at"`
	Overdue      bool   `json:"overdue" db:"-"`
	ReporterName string `json:"reporter_name,omitempty" db:"reporter_name"`
	UnitID       string `json:"-" db:"unit_id"`
	CreatedBy    string `json:"-" db:"created_by"`
	// Office is the code of the office that handles the case now, and
	// OfficeName its name when it is another office ("ditangani oleh");
	// HandledHere says whether that is this office. The queues of work to
	// do list only the cases handled here; the closed queue and the queue
	// of all list every case this office holds a copy of.
	Office      string `json:"office" db:"office"`
	OfficeName  string `json:"office_name,omitempty" db:"office_name"`
	HandledHere bool   `json:"handled_here" db:"-"`
}

// ListResult is a page of a queue. There is no total count: counting a
// million rows costs more than the page itself; HasMore drives paging.
type ListResult struct {
	Page    int        `json:"page"`
	PerPage int        `json:"perPage"`
	HasMore bool       `json:"hasMore"`
	Items   []ListItem `json:"items"`
}

// The indexes that serve the queues' first pages (migrations
// 1763800000_schema.go, 1763803000_cases.go, 1763808000_queue_indexes.go).
// List names the one that serves both its WHERE and its ORDER BY with
// INDEXED BY: without it SQLite's planner, which counts a sort with a
// LIMIT as cheap, may scan the whole table and sort it (seen at 1,000,000
// complaints). A partial index is used only when the query repeats its
// WHERE term, so the queue conditions below are written exactly as in the
// migration (statusesAssigned, statusesClosed, and the tests for an empty
// unit or created_by).
//
// The queues of work to do (Actionable) list the cases this office handles
// (office = its code): a hub holds copies of its child offices' cases, a
// node copies of its own intake routed elsewhere. Their indexes lead with
// office (1763833000_office_queues.go), so a page costs the same on a hub.
const (
	idxDue          = "idx_complaints_due"           // due_at, id
	idxStatusDue    = "idx_complaints_status_due"    // status, due_at, id
	idxQueue        = "idx_complaints_queue"         // status, unit, due_at, id
	idxUnitDue      = "idx_complaints_unit_due"      // unit, due_at, id
	idxCreated      = "idx_complaints_created"       // created, status
	idxOffice       = "idx_complaints_office"        // office, status, due_at, id
	idxOfficeDue    = "idx_complaints_office_due"    // office, due_at, id
	idxPostponed    = "idx_complaints_postponed"     // office, paused_at, id, unit WHERE tertunda
	idxAssigned     = "idx_complaints_assigned"      // office, due_at, id WHERE terdisposisi, proses
	idxUnitAssigned = "idx_complaints_unit_assigned" // unit, due_at, id WHERE terdisposisi, proses
	idxClosed       = "idx_complaints_closed"        // closed_at DESC, id WHERE closed
	idxUnitClosed   = "idx_complaints_unit_closed"   // unit, closed_at DESC, id WHERE closed
	idxUnitCreated  = "idx_complaints_unit_created"  // unit, created, status WHERE unit != ''
	idxDeskCreated  = "idx_complaints_desk_created"  // created_by, created WHERE created_by != ''
	idxDeskDue      = "idx_complaints_desk_due"      // created_by, due_at, id WHERE created_by != ''
	// status IN (…), as an OR: PocketBase's index parser takes no
	// parentheses in a partial index's WHERE.
	statusesAssigned = "(c.status = 'terdisposisi' OR c.status = 'proses')"
	statusesClosed   = "(c.status = 'selesai' OR c.status = 'diarsipkan' OR c.status = 'bukan_wewenang')"
)

// queueIndex is, per queue, the index for all complaints, for one unit's
// (a handler, or the unit filter) and for one front-desk clerk's.
type queueIndex struct{ all, unit, desk string }

var queueIndexes = map[string]queueIndex{
	QueueOpen:      {idxOfficeDue, idxUnitDue, idxDeskDue},
	QueueVerify:    {idxOffice, idxQueue, idxDeskDue},
	QueuePostponed: {idxPostponed, idxPostponed, idxDeskCreated},
	QueueUnit:      {idxAssigned, idxUnitAssigned, idxDeskDue},
	QueueDueSoon:   {idxOfficeDue, idxUnitDue, idxDeskDue},
	QueueOverdue:   {idxOfficeDue, idxUnitDue, idxDeskDue},
	QueueClosed:    {idxClosed, idxUnitClosed, idxDeskCreated},
	QueueAll:       {idxCreated, idxUnitCreated, idxDeskCreated},
}

// pageDefaults makes a staff list's paging sane, for List and Oversight
// alike: pages count from 1, 1…100 rows a page (30 when out of range), and
// a zero now is the app's clock.
func pageDefaults(app core.App, page, perPage *int, now *time.Time) {
	if *perPage < 1 || *perPage > 100 {
		*perPage = 30
	}
	if *page < 1 {
		*page = 1
	}
	if now.IsZero() {
		*now = clock.Now(app)
	}
}

// pageLimit is the LIMIT of a page: one row more than the page holds, so
// cutPage can tell whether another page follows without counting.
func pageLimit(page, perPage int) string {
	return " LIMIT " + strconv.Itoa(perPage+1) + " OFFSET " + strconv.Itoa((page-1)*perPage)
}

// cutPage drops the extra row pageLimit read and says whether it was there.
func cutPage(rows []ListItem, perPage int) ([]ListItem, bool) {
	if len(rows) > perPage {
		return rows[:perPage], true
	}
	return rows, false
}

// List returns a page of a queue as actor may see it: handlers only their
// unit's reports, front desk only what they took in.
//
// Each page is one query through the index that serves both its WHERE and
// its ORDER BY (queueIndexes), so the first page reads about PerPage+1
// index entries whatever the table's size. The filters are checked on the
// rows as the index yields them (a status filter on the queue of all, in
// the index itself): a rare value reads further, at worst the queue's
// whole index (docs/bench-cases.md). A tracking code in the search box goes
// through the tracking-code index; words go through the full-text index
// (hooks/search), whose best-ranked matches are checked against the same
// conditions and listed best first.
func List(app core.App, actor Actor, q ListQuery) (ListResult, error) {
	pageDefaults(app, &q.Page, &q.PerPage, &q.Now)
	res := ListResult{Page: q.Page, PerPage: q.PerPage, Items: []ListItem{}}
	now := dtString(q.Now)
	where := []string{}
	params := dbx.Params{"now": now}
	add := func(cond string) { where = append(where, cond) }

	byUnit, byDesk := false, false
	switch actor.Role {
	case model.RoleAdmin, model.RoleCoordinator, privacy.RoleSupervisor:
	case model.RoleHandler:
		if actor.UnitID == "" {
			return res, nil
		}
		add("c.unit = {:own_unit}")
		params["own_unit"] = actor.UnitID
		byUnit = true
	case model.RoleFrontdesk:
		add("c.created_by = {:own_id}")
		params["own_id"] = actor.ID
		if actor.ID != "" {
			add("c.created_by != ''") // implied; lets the partial desk indexes serve
			byDesk = true
		}
	default:
		return res, nil
	}
	if q.Unit != "" {
		// Unit ids are never empty: the subquery is an id or NULL.
		add("c.unit = (SELECT id FROM " + model.Units + " WHERE code = {:unit})")
		params["unit"] = strings.ToUpper(q.Unit)
		byUnit = true
	}
	if byUnit {
		add("c.unit != ''") // implied by c.unit = a unit id; lets idx_complaints_unit_created serve
	}

	order := "c.due_at, c.id"
	switch q.Queue {
	case QueueVerify:
		add("c.status = 'baru'")
	case QueuePostponed:
		add("c.status = 'tertunda'")
		order = "c.paused_at, c.id"
	case QueueUnit:
		add(statusesAssigned)
	case QueueDueSoon:
		soon := q.Now.Add(48 * time.Hour)
		if cal, err := sla.CalendarFor(app); err == nil {
			soon = cal.AddWorkingDays(q.Now, 2)
		}
		add("c.due_at >= {:now} AND c.due_at <= {:soon}")
		params["soon"] = dtString(soon)
	case QueueOverdue:
		// "> ''" is "!= ''" for a text column, as a range the index can
		// start from instead of walking past every empty due_at first.
		add("c.due_at > '' AND c.due_at < {:now}")
	case QueueClosed:
		add(statusesClosed)
		order = "c.closed_at DESC, c.id"
	case QueueAll:
		order = "c.created DESC, c.id"
	default: // open
		q.Queue = QueueOpen
		add("c.due_at > ''") // "!= ''" as a range, as for overdue
	}
	local := OfficeCode(app)
	if Actionable(q.Queue) {
		add("c.office = {:office}")
		params["office"] = local
	}
	idx := queueIndexes[q.Queue]
	index := idx.all
	switch {
	case byDesk:
		index = idx.desk
	case byUnit:
		index = idx.unit
	}
	if q.Status != "" {
		add("c.status = {:status}")
		params["status"] = q.Status
	}
	if q.Type != "" {
		add("c.type = {:type}")
		params["type"] = q.Type
	}
	if q.Category != "" {
		add("c.category IN (SELECT id FROM " + model.Categories + " WHERE code = {:cat} OR parent IN (SELECT id FROM " +
			model.Categories + " WHERE code = {:cat}))")
		params["cat"] = strings.ToUpper(q.Category)
	}
	match := ""
	if s := strings.TrimSpace(q.Search); s != "" {
		if code, err := trackcode.Normalize(s); err == nil {
			add("c.tracking_code = {:code}")
			params["code"] = code
			index = "" // the unique tracking-code index finds the one row
		} else if match = search.Match(s); match == "" {
			return res, nil // no word to look for
		}
	}
	from := model.Complaints + " c"
	if index != "" {
		from += " INDEXED BY " + index
	}
	if match != "" {
		// Words: the best-ranked matches of the full-text index, checked
		// against the same conditions as the queue (search.Candidates).
		// CROSS JOIN keeps that order: the planner may otherwise walk a
		// unit's whole queue and probe the candidates.
		from = search.Candidates + " m CROSS JOIN " + model.Complaints + " c ON c.id = m.complaint"
		order = "m.rank, m.docid"
		params["match"] = match
	}
	sql := "SELECT c.tracking_code, c.title, c.type, c.status, c.privacy, c.channel," +
		" COALESCE(cat.name,'') AS category_name, COALESCE(cat.code,'') AS category_code, COALESCE(u.code,'') AS unit_code, COALESCE(u.name,'') AS unit_name," +
		" c.created, c.due_at, c.reporter_name, c.unit AS unit_id, c.created_by, c.office, c.office_name" +
		" FROM " + from +
		" LEFT JOIN " + model.Units + " u ON u.id = c.unit" +
		" LEFT JOIN " + model.Categories + " cat ON cat.id = c.category"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY " + order + pageLimit(q.Page, q.PerPage)
	var rows []ListItem
	if match == "" {
		if err := app.DB().NewQuery(sql).Bind(params).All(&rows); err != nil {
			return res, err
		}
	} else {
		// Complaints stored since the last catch-up are indexed first, so
		// the search finds every one committed before it began.
		if _, err := search.CatchUp(app); err != nil {
			return res, err
		}
		if err := searchPage(app, sql, params, q.Page*q.PerPage+1, q.PerPage+1, &rows); err != nil {
			return res, err
		}
	}
	rows, res.HasMore = cutPage(rows, q.PerPage)
	for i := range rows {
		r := &rows[i]
		// A list cannot ask why: a confidential reporter stays off it,
		// even for those who may reveal them (privacy.Shown).
		if !privacy.Shown(actor.Viewer(), privacy.Case{Privacy: r.Privacy, Status: r.Status, UnitID: r.UnitID,
			CreatedBy: r.CreatedBy}, privacy.Identity) {
			r.ReporterName = ""
		}
		r.Overdue = r.DueAt != "" && r.DueAt < now
		markOffice(r, local)
	}
	res.Items = rows
	return res, nil
}

// searchPage runs a page of a word search. The full-text index ranks only
// the best candidates first (a few times the rows up to this page's end);
// when the queue's conditions leave too few of them and the index had more,
// it widens the candidates eightfold, up to every match. A word found in
// 300,000 reports costs the ranking of all of them only when the viewer's
// scope keeps almost none.
//
// need is how many rows the page reaches into the results (its offset and
// its rows, one more to tell whether more follow), limit what sql returns.
func searchPage(app core.App, sql string, params dbx.Params, need, limit int, rows *[]ListItem) error {
	for cand := max(8*need, 256); ; cand *= 8 {
		params["candidates"] = cand
		*rows = (*rows)[:0]
		if err := app.DB().NewQuery(sql).Bind(params).All(rows); err != nil {
			return err
		}
		if len(*rows) == limit {
			return nil
		}
		var matches int
		if err := app.DB().NewQuery(search.CountUpTo).Bind(params).Row(&matches); err != nil {
			return err
		}
		if matches <= cand {
			return nil // every match was a candidate
		}
	}
}

// Actionable tells whether queue lists work to do here, and so only the
// cases this office handles: every queue but the closed one and the one
// of all.
func Actionable(queue string) bool { return queue != QueueClosed && queue != QueueAll }

// markOffice says whether the row's case is handled here; a case handled
// here carries no office name (the desk knows its own).
func markOffice(r *ListItem, local string) {
	r.HandledHere = r.Office == "" || r.Office == local
	if r.HandledHere {
		r.OfficeName = ""
	} else if r.OfficeName == "" {
		r.OfficeName = r.Office
	}
}

func dtString(t time.Time) string {
	dt, _ := types.ParseDateTime(t.UTC())
	return dt.String()
}

func (h *handlers) staffList(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	v := e.Request.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	per, _ := strconv.Atoi(v.Get("perPage"))
	q := ListQuery{Queue: v.Get("queue"), Search: v.Get("q"), Status: v.Get("status"), Unit: v.Get("unit"),
		Category: v.Get("category"), Type: v.Get("type"), Page: page, PerPage: per, Now: clock.Now(h.app)}
	if q.Queue != "" && !oneOf(Queues, q.Queue) {
		return badField("queue", "unknown_queue", "Antrian tidak dikenal: "+strings.Join(Queues, ", ")+".",
			"Unknown queue: "+strings.Join(Queues, ", ")+".")
	}
	if q.Status != "" && !oneOf(model.Statuses, q.Status) {
		return badField("status", "unknown_status", "Status tidak dikenal.", "Unknown status.")
	}
	res, err := List(h.app, actor, q)
	if err != nil {
		h.app.Logger().Error("cases: staff list failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return e.JSON(http.StatusOK, res)
}

// TimelineItem is one event as staff see it.
type TimelineItem struct {
	Seq       int            `json:"seq"`
	Kind      string         `json:"kind"`
	At        string         `json:"at"`
	ActorType string         `json:"actor_type"`
	ActorName string         `json:"actor_name"`
	From      string         `json:"from,omitempty"`
	To        string         `json:"to,omitempty"`
	Note      string         `json:"note,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Public    bool           `json:"public"`
	Data      map[string]any `json:"data,omitempty"`
	// Withheld: the reporter's words are not for this viewer (privacy).
	Withheld bool `json:"withheld,omitempty"`
}

// Detail is a complaint as a staff member may see it.
type Detail struct {
	ID           string `json:"id"`
	TrackingCode string `json:"tracking_code"`
	Title        string `json:"title"`
	Body         string `json:"body"`
	// PublicTitle and PublicBody: what the public reads instead, when a
	// verifier wrote it (empty: the reporter's own, masked).
	PublicTitle  string            `json:"public_title,omitempty"`
	PublicBody   string            `json:"public_body,omitempty"`
	Type         string            `json:"type"`
	Status       string            `json:"status"`
	Privacy      string            `json:"privacy"`
	Channel      string            `json:"channel"`
	Category     string            `json:"category"`
	CategoryName string            `json:"category_name"`
	Unit         string            `json:"unit"`
	UnitName     string            `json:"unit_name"`
	Location     string            `json:"location"`
	IncidentDate string            `json:"incident_date"`
	Created      string            `json:"created"`
	Dates        map[string]string `json:"dates"`
	Overdue      bool              `json:"overdue"`
	Reason       string            `json:"reason,omitempty"`
	DuplicateOf  string            `json:"duplicate_of,omitempty"`
	Duplicates   []string          `json:"duplicates"`
	Rating       int               `json:"rating,omitempty"`
	Reporter     map[string]any    `json:"reporter,omitempty"` // only where the role may see it
	// IdentityHidden: the reporter of this confidential report may be
	// revealed to this viewer, with a reason that is logged
	// (POST /api/staff/complaints/{code}/identity).
	IdentityHidden bool `json:"identity_hidden,omitempty"`
	// AccessLog is who opened this report's identity, looked it up at the
	// counter or issued a new PIN (coordinators, admins, supervisors).
	AccessLog []events.AccessEntry `json:"access_log,omitempty"`
	// Office is the code of the office that handles the case now,
	// OfficeName its name (empty when it is this office), OriginOffice
	// the office of intake. HandledHere: this office handles it. ReadOnly:
	// nobody may act on it here (a copy of a case another office handles
	// and this office does not oversee, or a supervisor's view), so
	// Allowed is empty.
	Office       string           `json:"office"`
	OfficeName   string           `json:"office_name,omitempty"`
	OriginOffice string           `json:"origin_office"`
	HandledHere  bool             `json:"handled_here"`
	ReadOnly     bool             `json:"read_only"`
	Allowed      []string         `json:"allowed_transitions"`
	Timeline     []TimelineItem   `json:"timeline"`
	Files        []map[string]any `json:"files"`
	// Attachments are the reporter's files and the follow-ups' (Files
	// lists the latter with their checksums).
	Attachments []Attachment `json:"attachments"`
}

// reporterOf is the reporter block of c as viewer may see it: name, phone
// and e-mail, the NIK only where the policy allows it.
func reporterOf(viewer privacy.Viewer, cs privacy.Case, c *core.Record) map[string]any {
	rep := map[string]any{}
	for _, f := range []string{"reporter_name", "reporter_phone", "reporter_email"} {
		if v := c.GetString(f); v != "" {
			rep[strings.TrimPrefix(f, "reporter_")] = v
		}
	}
	if v := c.GetString("reporter_nik"); v != "" && privacy.May(viewer, cs, privacy.NIK) {
		rep["nik"] = v
	}
	if len(rep) == 0 {
		return nil
	}
	rep["identity_checked"] = c.GetBool("identity_checked")
	return rep
}

// View builds the staff view of c for actor, applying the privacy policy
// (hooks/domain/privacy) field by field: duplicates only where the viewer
// may see them, the identity where it may be shown (a confidential one
// only through RevealIdentity), internal notes not for the front desk, a
// confidential reporter's words only for those who may know them.
func View(app core.App, actor Actor, c *core.Record, now time.Time) (*Detail, error) {
	d := &Detail{ID: c.Id, TrackingCode: c.GetString("tracking_code"), Title: c.GetString("title"), Body: c.GetString("body"),
		Type: c.GetString("type"), Status: c.GetString("status"), Privacy: c.GetString("privacy"), Channel: c.GetString("channel"),
		Location: c.GetString("location"), IncidentDate: c.GetString("incident_date"), Created: c.GetString("created"),
		Reason: c.GetString("reason"), Rating: c.GetInt("rating"), Dates: map[string]string{}, Duplicates: []string{},
		Timeline: []TimelineItem{}, Files: []map[string]any{}}
	for _, f := range []string{"due_at", "verify_due_at", "followup_due_at", "next_followup_due_at", "autoclose_at",
		"completion_due_at", "paused_at", "postpone_expires_at", "verified_at", "disposed_at", "first_followup_at",
		"last_followup_at", "last_reply_at", "closed_at"} {
		if v := c.GetString(f); v != "" {
			d.Dates[f] = v
		}
	}
	d.Overdue = d.Dates["due_at"] != "" && d.Dates["due_at"] < dtString(now)
	if cat, err := app.FindRecordById(model.Categories, c.GetString("category")); err == nil {
		d.Category, d.CategoryName = cat.GetString("code"), cat.GetString("name")
	}
	if u, err := app.FindRecordById(model.Units, c.GetString("unit")); err == nil {
		d.Unit, d.UnitName = u.GetString("code"), u.GetString("name")
	}
	viewer, cs := actor.Viewer(), CaseOf(c)
	if privacy.May(viewer, cs, privacy.Text) {
		d.PublicTitle, d.PublicBody = c.GetString("public_title"), c.GetString("public_body")
	} else {
		d.Title, d.Body = "", ""
	}
	if !privacy.May(viewer, cs, privacy.Location) {
		d.Location = ""
	}
	// Duplicates link reports to each other: only the ones the viewer may
	// see are named (another unit's codes stay off a handler's page).
	if id := c.GetString("duplicate_of"); id != "" {
		if o, err := app.FindRecordById(model.Complaints, id); err == nil && privacy.InScope(viewer, CaseOf(o)) {
			d.DuplicateOf = o.GetString("tracking_code")
		}
	}
	// "duplicate_of != ''" (implied: c.Id is never empty) lets the partial
	// index idx_complaints_duplicates serve; without it, a scan.
	var dups []*core.Record
	if err := app.RecordQuery(model.Complaints).
		Where(dbx.NewExp("duplicate_of = {:id} AND duplicate_of != ''", dbx.Params{"id": c.Id})).
		OrderBy("created").Limit(50).All(&dups); err != nil {
		return nil, err
	}
	for _, o := range dups {
		if privacy.InScope(viewer, CaseOf(o)) {
			d.Duplicates = append(d.Duplicates, o.GetString("tracking_code"))
		}
	}
	if privacy.May(viewer, cs, privacy.Identity) {
		if privacy.Reveal(cs, privacy.Identity) {
			d.IdentityHidden = c.GetString("reporter_name")+c.GetString("reporter_phone")+c.GetString("reporter_email") != ""
		} else {
			d.Reporter = reporterOf(viewer, cs, c)
		}
	}
	if privacy.ReadsAccessLog(actor.Role) {
		var err error
		if d.AccessLog, err = events.AccessOf(app, c.Id, 50); err != nil {
			return nil, err
		}
	}
	local := OfficeCode(app)
	d.Office, d.OfficeName, d.OriginOffice = c.GetString("office"), c.GetString("office_name"), c.GetString("origin_office")
	d.HandledHere = d.Office == "" || d.Office == local
	if d.HandledHere {
		d.OfficeName = ""
	} else if d.OfficeName == "" {
		d.OfficeName = d.Office
	}
	d.ReadOnly = !Handles(app, c) || actor.Role == privacy.RoleSupervisor
	d.Allowed = []string{}
	if !d.ReadOnly {
		d.Allowed = lifecycle.Allowed(d.Status, actor.Role, actor.UnitID != "" && c.GetString("unit") == actor.UnitID)
	}
	evs, err := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": c.Id})
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		it := TimelineItem{Seq: ev.GetInt("seq"), Kind: ev.GetString("kind"), At: ev.GetString("at"),
			ActorType: ev.GetString("actor_type"), ActorName: ev.GetString("actor_name"), From: ev.GetString("from_status"),
			To: ev.GetString("to_status"), Note: ev.GetString("note"), Reason: ev.GetString("reason"), Public: ev.GetBool("public")}
		_ = ev.UnmarshalJSONField("data", &it.Data)
		switch {
		case it.ActorType == "reporter":
			// A reporter's own words on a confidential report often name
			// them: for those who may know the reporter; others see
			// that a reply came.
			if !privacy.May(viewer, cs, privacy.ReporterWords) && it.Note != "" {
				it.Note, it.Withheld = "", true
			}
		case !it.Public && !privacy.May(viewer, cs, privacy.InternalNotes):
			continue
		}
		d.Timeline = append(d.Timeline, it)
	}
	files, err := app.FindRecordsByFilter(CaseFiles, "complaint = {:c}", "created", 0, 0, dbx.Params{"c": c.Id})
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		d.Files = append(d.Files, map[string]any{"id": f.Id, "event_uid": f.GetString("event_uid"),
			"file": f.GetString("file"), "sha256": f.GetString("sha256")})
	}
	if d.Attachments, err = attachmentsOf(app, c); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *handlers) staffView(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	rec, err := h.visibleCase(e, actor)
	if err != nil {
		return err
	}
	d, err := View(h.app, actor, rec, clock.Now(h.app))
	if err != nil {
		h.app.Logger().Error("cases: staff view failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, d)
}

// ErrNoAccess is returned by ViewFor when the actor may not see the
// complaint.
var ErrNoAccess = errors.New("cases: no access to this complaint")

// ViewFor is View after the access check (the staff desk's entry point).
func ViewFor(app core.App, actor Actor, c *core.Record, now time.Time) (*Detail, error) {
	if !canSee(actor, c) {
		return nil, ErrNoAccess
	}
	return View(app, actor, c, now)
}
