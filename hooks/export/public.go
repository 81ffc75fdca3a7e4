package export

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/sla"
)

// PublicFrom is the FROM clause of a list of public reports (complaints
// aliased c): it names the index that serves privacy.ListedCondition in
// date order, which SQLite's planner would otherwise pass over for a
// status index and a sort of every public report. Use it only with
// privacy.ListedCondition in the WHERE.
const PublicFrom = "complaints c INDEXED BY idx_complaints_public"

// PublicFilter narrows a list of public reports.
type PublicFilter struct {
	Period   Period // created in [From, To); zero times: unbounded
	Category string // a category code: that category and its children
	Unit     string // a unit code
	Limit    int    // 0: no limit
	Offset   int
	Oldest   bool // oldest first (the CSV); default newest first (the page)
}

// PublicReport is a verified public report as the public sees it in a list:
// never the reporter, never the body or the location the citizen typed
// (people write names and phone numbers into them), never a note. The
// title is the public summary: the verifier's public title when there is
// one, and masked (privacy.PublicText).
type PublicReport struct {
	Code            string `db:"tracking_code"`
	Created         string `db:"created"`
	Type            string `db:"type"`
	CategoryCode    string `db:"category_code"`
	CategoryName    string `db:"category_name"`
	CategoryNameEN  string `db:"category_name_en"`
	UnitCode        string `db:"unit_code"`
	UnitName        string `db:"unit_name"`
	Channel         string `db:"channel"`
	Status          string `db:"status"`
	Title           string `db:"title"`
	PublicTitle     string `db:"public_title"`
	VerifiedAt      string `db:"verified_at"`
	FirstFollowupAt string `db:"first_followup_at"`
	ClosedAt        string `db:"closed_at"`
	Rating          int    `db:"rating"`
}

// CreatedTime is the report's creation time.
func (r *PublicReport) CreatedTime() time.Time { return parseStored(r.Created) }

// EachPublic calls fn for every verified public report that f selects,
// streaming from the database.
func EachPublic(app core.App, f PublicFilter, fn func(*PublicReport) error) error {
	where := []string{privacy.ListedCondition()}
	params := dbx.Params{}
	if !f.Period.From.IsZero() {
		where = append(where, "c.created >= {:from}")
		params["from"] = dbTime(f.Period.From)
	}
	if !f.Period.To.IsZero() {
		where = append(where, "c.created < {:to}")
		params["to"] = dbTime(f.Period.To)
	}
	if c := strings.ToUpper(strings.TrimSpace(f.Category)); c != "" {
		// On c's own column, so the rows come straight from the index.
		where = append(where, "c.category IN (SELECT id FROM categories WHERE code = {:cat}"+
			" OR parent IN (SELECT id FROM categories WHERE code = {:cat}))")
		params["cat"] = c
	}
	if u := strings.ToUpper(strings.TrimSpace(f.Unit)); u != "" {
		where = append(where, "c.unit = (SELECT id FROM units WHERE code = {:unit})")
		params["unit"] = u
	}
	order := "c.created DESC, c.id DESC"
	if f.Oldest {
		order = "c.created, c.id"
	}
	units, categories, err := loadUnitsAndCategories(app)
	if err != nil {
		return err
	}
	// Units and categories named from maps and columns read by position, as
	// in EachComplaint (the join scanned the units for every row, those an
	// OFFSET skips included).
	sql := `SELECT c.tracking_code, c.created, c.type, c.category, c.unit,
 c.channel, c.status, c.title, c.public_title, c.verified_at, c.first_followup_at, c.closed_at, COALESCE(c.rating,0)
 FROM ` + PublicFrom + `
 WHERE ` + strings.Join(where, " AND ") + `
 ORDER BY ` + order
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	rows, err := app.DB().NewQuery(sql).Bind(params).Rows()
	if err != nil {
		return errf("public reports", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r PublicReport
		var category, unit string
		err := rows.Scan(&r.Code, &r.Created, &r.Type, &category, &unit, &r.Channel, &r.Status, &r.Title, &r.PublicTitle,
			&r.VerifiedAt, &r.FirstFollowupAt, &r.ClosedAt, &r.Rating)
		if err != nil {
			return errf("public report row", err)
		}
		cat, u := categories[category], units[unit]
		r.CategoryCode, r.CategoryName, r.CategoryNameEN, r.UnitCode, r.UnitName = cat.code, cat.name, cat.nameEN, u.code, u.name
		r.Title, r.PublicTitle = privacy.PublicText(r.Title, r.PublicTitle), ""
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenDataColumns are the header of the open-data CSV.
var OpenDataColumns = []string{"code", "created", "type", "category", "category_name", "unit", "unit_name",
	"channel", "status", "status_label", "title", "verified_at", "first_followup_at", "closed_at", "rating"}

// WriteOpenDataCSV streams the verified public reports created in p as
// CSV, oldest first, and returns how many rows it wrote. It carries no
// personal data: no reporter, no NIK, no body, no location text, no notes.
func WriteOpenDataCSV(app core.App, w io.Writer, p Period) (int, error) {
	loc := sla.Zone(app)
	cw, err := newCSV(w, OpenDataColumns)
	if err != nil {
		return 0, err
	}
	n := 0
	each := func(fn func(*PublicReport) error) error {
		return EachPublic(app, PublicFilter{Period: p, Oldest: true}, fn)
	}
	err = pipelined(each, func(r *PublicReport) error {
		n++
		rating := ""
		if r.Rating > 0 {
			rating = strconv.Itoa(r.Rating)
		}
		return cw.row([]string{r.Code, localTime(loc, r.Created), r.Type, r.CategoryCode, r.CategoryName, r.UnitCode,
			r.UnitName, r.Channel, r.Status, vocab.Status(vocab.ID, r.Status), r.Title, localTime(loc, r.VerifiedAt),
			localTime(loc, r.FirstFollowupAt), localTime(loc, r.ClosedAt), rating})
	})
	if err != nil {
		return n, err
	}
	return n, cw.flush()
}
