package export

import (
	"io"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/sla"
)

// ComplaintRow is one complaint as a staff export carries it. The reporter
// fields are empty unless the privacy policy shows them to the role; an
// export cannot ask why, so a confidential reporter is never in it.
type ComplaintRow struct {
	ID              string `db:"id"`
	Code            string `db:"tracking_code"`
	Created         string `db:"created"`
	Type            string `db:"type"`
	CategoryCode    string `db:"category_code"`
	CategoryName    string `db:"category_name"`
	UnitCode        string `db:"unit_code"`
	UnitName        string `db:"unit_name"`
	Channel         string `db:"channel"`
	Privacy         string `db:"privacy"`
	Status          string `db:"status"`
	Title           string `db:"title"`
	Body            string `db:"body"`
	Location        string `db:"location"`
	IncidentDate    string `db:"incident_date"`
	DueAt           string `db:"due_at"`
	VerifyDueAt     string `db:"verify_due_at"`
	FollowupDueAt   string `db:"followup_due_at"`
	CompletionDueAt string `db:"completion_due_at"`
	AutocloseAt     string `db:"autoclose_at"`
	VerifiedAt      string `db:"verified_at"`
	DisposedAt      string `db:"disposed_at"`
	FirstFollowupAt string `db:"first_followup_at"`
	LastFollowupAt  string `db:"last_followup_at"`
	ClosedAt        string `db:"closed_at"`
	Rating          int    `db:"rating"`
	ReporterName    string `db:"reporter_name"`
	ReporterPhone   string `db:"reporter_phone"`
	ReporterEmail   string `db:"reporter_email"`
	UnitID          string `db:"unit_id"`
	CreatedBy       string `db:"created_by"`
}

// complaintDates are the ComplaintRow date columns, in column order.
var complaintDates = []string{"due_at", "verify_due_at", "followup_due_at", "completion_due_at", "autoclose_at",
	"verified_at", "disposed_at", "first_followup_at", "last_followup_at", "closed_at"}

func (r *ComplaintRow) dates() [10]string {
	return [...]string{r.DueAt, r.VerifyDueAt, r.FollowupDueAt, r.CompletionDueAt, r.AutocloseAt,
		r.VerifiedAt, r.DisposedAt, r.FirstFollowupAt, r.LastFollowupAt, r.ClosedAt}
}

// ComplaintColumns are the header of the complaints CSV and sheet. Times
// are in the office's time zone.
var ComplaintColumns = append(append([]string{"code", "created", "type", "category", "category_name", "unit", "unit_name",
	"channel", "privacy", "status", "status_label", "title", "body", "location", "incident_date"},
	complaintDates...), "rating", "reporter_name", "reporter_phone", "reporter_email")

// EventRow is one timeline event of an exported complaint.
type EventRow struct {
	Code      string `db:"tracking_code"`
	Seq       int    `db:"seq"`
	At        string `db:"at"`
	Kind      string `db:"kind"`
	From      string `db:"from_status"`
	To        string `db:"to_status"`
	ActorType string `db:"actor_type"`
	ActorName string `db:"actor_name"`
	Public    bool   `db:"public"`
	Reason    string `db:"reason"`
	Note      string `db:"note"`
	Privacy   string `db:"privacy"`
	UnitID    string `db:"unit_id"`
	CreatedBy string `db:"created_by"`
	Status    string `db:"status"`
}

// EventColumns are the header of the events CSV and sheet.
var EventColumns = []string{"code", "seq", "at", "kind", "from", "to", "actor_type", "actor", "public", "reason", "note"}

// scope is the SQL condition (on complaints c) of what actor may see, the
// privacy policy's scope (privacy.InScope) as the staff API applies it:
// admins, coordinators and supervisors all, handlers their unit's, front
// desk what they entered. ok is false when the actor may see nothing.
func scope(actor cases.Actor, params dbx.Params) (string, bool) {
	switch actor.Role {
	case model.RoleAdmin, model.RoleCoordinator, privacy.RoleSupervisor:
		return "1=1", true
	case model.RoleHandler:
		if actor.UnitID == "" {
			return "", false
		}
		params["own_unit"] = actor.UnitID
		return "c.unit = {:own_unit}", true
	case model.RoleFrontdesk:
		if actor.ID == "" {
			return "", false
		}
		params["own_id"] = actor.ID
		return "c.created_by = {:own_id}", true
	}
	return "", false
}

// EachComplaint calls fn for every complaint created in p that actor may
// see, oldest first, streaming from the database. Identity fields are
// cleared where the role may not see them. The row fn gets is reused for
// the next one: fn must not keep it.
func EachComplaint(app core.App, actor cases.Actor, p Period, fn func(*ComplaintRow) error) error {
	params := dbx.Params{"from": dbTime(p.From), "to": dbTime(p.To)}
	cond, ok := scope(actor, params)
	if !ok {
		return nil
	}
	units, categories, err := loadUnitsAndCategories(app)
	if err != nil {
		return err
	}
	// Units and categories are named from the maps above, not joined: with
	// a handful of rows SQLite scans the units table for every complaint,
	// which cost a third of a year's export. Columns are read by position
	// into the row, not through dbx's reflection.
	q := app.DB().NewQuery(`SELECT c.id, c.tracking_code, c.created, c.type, c.category, c.unit,
 c.channel, c.privacy, c.status, c.title, c.body, c.location, c.incident_date,
 c.due_at, c.verify_due_at, c.followup_due_at, c.completion_due_at, c.autoclose_at,
 c.verified_at, c.disposed_at, c.first_followup_at, c.last_followup_at, c.closed_at,
 COALESCE(c.rating,0), c.reporter_name, c.reporter_phone, c.reporter_email, c.created_by
 FROM complaints c
 WHERE c.created >= {:from} AND c.created < {:to} AND ` + cond + `
 ORDER BY c.created, c.id`).Bind(params)
	rows, err := q.Rows()
	if err != nil {
		return errf("complaints", err)
	}
	defer rows.Close()
	var r ComplaintRow
	var category string
	for rows.Next() {
		err := rows.Scan(&r.ID, &r.Code, &r.Created, &r.Type, &category, &r.UnitID,
			&r.Channel, &r.Privacy, &r.Status, &r.Title, &r.Body, &r.Location, &r.IncidentDate,
			&r.DueAt, &r.VerifyDueAt, &r.FollowupDueAt, &r.CompletionDueAt, &r.AutocloseAt,
			&r.VerifiedAt, &r.DisposedAt, &r.FirstFollowupAt, &r.LastFollowupAt, &r.ClosedAt,
			&r.Rating, &r.ReporterName, &r.ReporterPhone, &r.ReporterEmail, &r.CreatedBy)
		if err != nil {
			return errf("complaint row", err)
		}
		u, cat := units[r.UnitID], categories[category]
		r.UnitCode, r.UnitName, r.CategoryCode, r.CategoryName = u.code, u.name, cat.code, cat.name
		cs := privacy.Case{Privacy: r.Privacy, Status: r.Status, UnitID: r.UnitID, CreatedBy: r.CreatedBy}
		if !privacy.Shown(actor.Viewer(), cs, privacy.Identity) {
			r.ReporterName, r.ReporterPhone, r.ReporterEmail = "", "", ""
		}
		if !privacy.May(actor.Viewer(), cs, privacy.Location) {
			r.Location = ""
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ref is a unit's or category's code and names.
type ref struct{ code, name, nameEN string }

// loadUnitsAndCategories reads every unit and every category by id.
func loadUnitsAndCategories(app core.App) (units, categories map[string]ref, err error) {
	if units, err = loadRefs(app, "units"); err != nil {
		return nil, nil, err
	}
	categories, err = loadRefs(app, "categories")
	return units, categories, err
}

// loadRefs reads the code and names of every row of table (units or
// categories: tens of rows, hundreds at most) by id.
func loadRefs(app core.App, table string) (map[string]ref, error) {
	nameEN := "''"
	if table == "categories" {
		nameEN = "name_en"
	}
	rows, err := app.DB().NewQuery("SELECT id, code, name, " + nameEN + " FROM " + table).Rows()
	if err != nil {
		return nil, errf(table, err)
	}
	defer rows.Close()
	out := map[string]ref{}
	for rows.Next() {
		var id string
		var r ref
		if err := rows.Scan(&id, &r.code, &r.name, &r.nameEN); err != nil {
			return nil, errf(table, err)
		}
		out[id] = r
	}
	return out, rows.Err()
}

// EachEvent calls fn for every timeline event of the complaints
// EachComplaint would give, complaint by complaint in seq order, as the
// staff API shows them: internal events not for the front desk, a
// confidential reporter's words blanked for those who may not know them.
// The row fn gets is reused for the next one: fn must not keep it.
func EachEvent(app core.App, actor cases.Actor, p Period, fn func(*EventRow) error) error {
	params := dbx.Params{"from": dbTime(p.From), "to": dbTime(p.To)}
	cond, ok := scope(actor, params)
	if !ok {
		return nil
	}
	q := app.DB().NewQuery(`SELECT c.tracking_code, e.seq, e.at, e.kind, e.from_status, e.to_status,
 e.actor_type, e.actor_name, e.public, e.reason, e.note,
 c.privacy, c.unit AS unit_id, c.created_by, c.status
 FROM complaints c
 JOIN complaint_events e ON e.complaint = c.id
 WHERE c.created >= {:from} AND c.created < {:to} AND ` + cond + `
 ORDER BY c.created, c.id, e.seq`).Bind(params)
	rows, err := q.Rows()
	if err != nil {
		return errf("events", err)
	}
	defer rows.Close()
	var r EventRow
	for rows.Next() {
		// By position, as in EachComplaint.
		err := rows.Scan(&r.Code, &r.Seq, &r.At, &r.Kind, &r.From, &r.To, &r.ActorType, &r.ActorName, &r.Public,
			&r.Reason, &r.Note, &r.Privacy, &r.UnitID, &r.CreatedBy, &r.Status)
		if err != nil {
			return errf("event row", err)
		}
		cs := privacy.Case{Privacy: r.Privacy, Status: r.Status, UnitID: r.UnitID, CreatedBy: r.CreatedBy}
		switch {
		case r.ActorType == "reporter":
			if !privacy.May(actor.Viewer(), cs, privacy.ReporterWords) {
				r.Note = ""
			}
		case !r.Public && !privacy.May(actor.Viewer(), cs, privacy.InternalNotes):
			continue
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// complaintCells makes the cells of complaint rows one after the other,
// reusing its slices: the eleven times of a row are written into one
// buffer and become one string, instead of a string each.
type complaintCells struct {
	cells  []string
	buf    []byte
	labels map[string]string // status label by status code
}

// of is r's cells; they are valid until the next call.
func (c *complaintCells) of(loc *time.Location, r *ComplaintRow) []string {
	var ends [11]int
	c.buf = appendStoredLocal(c.buf[:0], loc, r.Created)
	ends[0] = len(c.buf)
	for i, d := range r.dates() {
		c.buf = appendStoredLocal(c.buf, loc, d)
		ends[i+1] = len(c.buf)
	}
	times := string(c.buf)
	label, ok := c.labels[r.Status]
	if !ok {
		if c.labels == nil {
			c.labels = map[string]string{}
		}
		label = vocab.Status(vocab.ID, r.Status)
		c.labels[r.Status] = label
	}
	c.cells = append(c.cells[:0], r.Code, times[:ends[0]], r.Type, r.CategoryCode, r.CategoryName, r.UnitCode, r.UnitName,
		r.Channel, r.Privacy, r.Status, label, r.Title, r.Body, r.Location, dateOnly(r.IncidentDate))
	for i := 1; i < len(ends); i++ {
		c.cells = append(c.cells, times[ends[i-1]:ends[i]])
	}
	rating := ""
	if r.Rating > 0 {
		rating = strconv.Itoa(r.Rating)
	}
	return append(c.cells, rating, r.ReporterName, r.ReporterPhone, r.ReporterEmail)
}

func eventRecord(loc *time.Location, r *EventRow) []string {
	pub := "false"
	if r.Public {
		pub = "true"
	}
	return []string{r.Code, strconv.Itoa(r.Seq), localTime(loc, r.At), r.Kind, r.From, r.To, r.ActorType, r.ActorName, pub, r.Reason, r.Note}
}

// dateOnly is the calendar date of a stored date-only field (incident_date
// is kept at 00:00 UTC).
func dateOnly(stored string) string {
	if t, ok := parseDBTime(stored); ok && !t.IsZero() {
		return stored[:10] // already the UTC date
	}
	if t := parseStored(stored); !t.IsZero() {
		return t.UTC().Format("2006-01-02")
	}
	return ""
}

// WriteComplaintsCSV streams the complaints of p that actor may see as CSV
// and returns how many rows it wrote.
func WriteComplaintsCSV(app core.App, w io.Writer, actor cases.Actor, p Period) (int, error) {
	loc := sla.Zone(app)
	cw, err := newCSV(w, ComplaintColumns)
	if err != nil {
		return 0, err
	}
	n := 0
	var cells complaintCells
	err = pipelined(func(fn func(*ComplaintRow) error) error { return EachComplaint(app, actor, p, fn) },
		func(r *ComplaintRow) error {
			n++
			return cw.row(cells.of(loc, r))
		})
	if err != nil {
		return n, err
	}
	return n, cw.flush()
}

// WriteEventsCSV streams the timelines of the complaints of p that actor
// may see as CSV and returns how many rows it wrote.
func WriteEventsCSV(app core.App, w io.Writer, actor cases.Actor, p Period) (int, error) {
	loc := sla.Zone(app)
	cw, err := newCSV(w, EventColumns)
	if err != nil {
		return 0, err
	}
	n := 0
	err = pipelined(func(fn func(*EventRow) error) error { return EachEvent(app, actor, p, fn) },
		func(r *EventRow) error {
			n++
			return cw.row(eventRecord(loc, r))
		})
	if err != nil {
		return n, err
	}
	return n, cw.flush()
}

// Sheet names of the workbook.
const (
	SheetComplaints = "complaints"
	SheetEvents     = "events"
)

// maxSheetRows is Excel's row limit (the header takes one).
var maxSheetRows = 1_048_576

type exportError string

func (e exportError) Error() string { return string(e) }

// errTooManyRows: more rows than a sheet holds; use the CSV files.
const errTooManyRows = exportError("more rows than an Excel sheet holds; use the CSV export")

// FitsSheets tells whether the complaints and the events of p that actor
// may see fit in a workbook's sheets (Excel's 1,048,576 rows, the header
// included).
func FitsSheets(app core.App, actor cases.Actor, p Period) (bool, error) {
	params := dbx.Params{"from": dbTime(p.From), "to": dbTime(p.To)}
	cond, ok := scope(actor, params)
	if !ok {
		return true, nil
	}
	var complaints, events int
	err := app.DB().NewQuery(`SELECT count(*), coalesce(sum((SELECT count(*) FROM complaint_events e WHERE e.complaint = c.id)), 0)
 FROM complaints c WHERE c.created >= {:from} AND c.created < {:to} AND `+cond).Bind(params).Row(&complaints, &events)
	if err != nil {
		return false, errf("count rows", err)
	}
	return complaints < maxSheetRows && events < maxSheetRows, nil
}

// WriteXLSX writes the workbook of p for actor to w as it reads the rows
// (xlsx.go): a complaints sheet and an events sheet, the same columns as
// the CSV files, dates as dates in the office's time zone, text always as
// text. It returns the number of complaint rows. A sheet that would pass
// Excel's row limit is an error (check FitsSheets first: by then part of
// the file is written).
func WriteXLSX(app core.App, w io.Writer, actor cases.Actor, p Period) (int, error) {
	loc := sla.Zone(app)
	x, err := newXLSX(w, SheetComplaints, SheetEvents)
	if err != nil {
		return 0, errf("xlsx", err)
	}
	when := func(stored string) xlsxCell {
		if t := parseStored(stored); !t.IsZero() {
			return t.In(loc)
		}
		return nil
	}
	if err := x.sheet(0, ComplaintColumns); err != nil {
		return 0, errf("xlsx", err)
	}
	n := 0
	row := make([]xlsxCell, 0, len(ComplaintColumns))
	err = pipelined(func(fn func(*ComplaintRow) error) error { return EachComplaint(app, actor, p, fn) }, func(r *ComplaintRow) error {
		if n+2 > maxSheetRows {
			return errf("complaints sheet", errTooManyRows)
		}
		var incident xlsxCell
		if d := parseStored(r.IncidentDate); !d.IsZero() {
			incident = xlsxDate(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
		}
		row = append(row[:0], r.Code, when(r.Created), r.Type, r.CategoryCode, r.CategoryName, r.UnitCode, r.UnitName,
			r.Channel, r.Privacy, r.Status, vocab.Status(vocab.ID, r.Status), r.Title, r.Body, r.Location, incident)
		for _, d := range r.dates() {
			row = append(row, when(d))
		}
		var rating xlsxCell
		if r.Rating > 0 {
			rating = r.Rating
		}
		row = append(row, rating, r.ReporterName, r.ReporterPhone, r.ReporterEmail)
		n++
		return x.rowOf(row)
	})
	if err != nil {
		return n, err
	}
	if err := x.sheet(1, EventColumns); err != nil {
		return n, errf("xlsx", err)
	}
	m := 0
	err = pipelined(func(fn func(*EventRow) error) error { return EachEvent(app, actor, p, fn) }, func(r *EventRow) error {
		if m+2 > maxSheetRows {
			return errf("events sheet", errTooManyRows)
		}
		m++
		row = append(row[:0], r.Code, r.Seq, when(r.At), r.Kind, r.From, r.To, r.ActorType, r.ActorName, r.Public, r.Reason, r.Note)
		return x.rowOf(row)
	})
	if err != nil {
		return n, err
	}
	if err := x.close(); err != nil {
		return n, errf("xlsx", err)
	}
	return n, nil
}
