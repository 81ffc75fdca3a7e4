package export_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/export"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

// oldComplaintsCSV is the complaints CSV as it was defined before the
// export read units and categories from maps, columns by position and
// dates digit by digit: one joined query scanned through dbx, time.Parse
// and time.Format, encoding/csv on the writer.
func oldComplaintsCSV(t *testing.T, app core.App, actor cases.Actor, p export.Period) []byte {
	t.Helper()
	params := dbx.Params{"from": p.From.UTC().Format(types.DefaultDateLayout), "to": p.To.UTC().Format(types.DefaultDateLayout)}
	var cond string
	switch actor.Role {
	case model.RoleAdmin, model.RoleCoordinator, privacy.RoleSupervisor:
		cond = "1=1"
	case model.RoleHandler:
		cond, params["own_unit"] = "c.unit = {:own_unit}", actor.UnitID
	case model.RoleFrontdesk:
		cond, params["own_id"] = "c.created_by = {:own_id}", actor.ID
	default:
		t.Fatalf("role %q", actor.Role)
	}
	parse := export.OldParseStored
	loc := sla.Zone(app)
	local := func(s string) string {
		if tm := parse(s); !tm.IsZero() {
			return tm.In(loc).Format("2006-01-02 15:04:05")
		}
		return ""
	}
	buf, write, flush := oldCSV(t)
	write(append([]string(nil), export.ComplaintColumns...))
	rows, err := app.DB().NewQuery(`SELECT c.id, c.tracking_code, c.created, c.type,
 COALESCE(cat.code,'') AS category_code, COALESCE(cat.name,'') AS category_name,
 COALESCE(u.code,'') AS unit_code, COALESCE(u.name,'') AS unit_name,
 c.channel, c.privacy, c.status, c.title, c.body, c.location, c.incident_date,
 c.due_at, c.verify_due_at, c.followup_due_at, c.completion_due_at, c.autoclose_at,
 c.verified_at, c.disposed_at, c.first_followup_at, c.last_followup_at, c.closed_at,
 COALESCE(c.rating,0) AS rating, c.reporter_name, c.reporter_phone, c.reporter_email,
 c.unit AS unit_id, c.created_by
 FROM complaints c
 LEFT JOIN units u ON u.id = c.unit
 LEFT JOIN categories cat ON cat.id = c.category
 WHERE c.created >= {:from} AND c.created < {:to} AND ` + cond + `
 ORDER BY c.created, c.id`).Bind(params).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r export.ComplaintRow
		if err := rows.ScanStruct(&r); err != nil {
			t.Fatal(err)
		}
		cs := privacy.Case{Privacy: r.Privacy, Status: r.Status, UnitID: r.UnitID, CreatedBy: r.CreatedBy}
		if !privacy.Shown(actor.Viewer(), cs, privacy.Identity) {
			r.ReporterName, r.ReporterPhone, r.ReporterEmail = "", "", ""
		}
		if !privacy.May(actor.Viewer(), cs, privacy.Location) {
			r.Location = ""
		}
		incident := ""
		if tm := parse(r.IncidentDate); !tm.IsZero() {
			incident = tm.UTC().Format("2006-01-02")
		}
		rating := ""
		if r.Rating > 0 {
			rating = strconv.Itoa(r.Rating)
		}
		write([]string{r.Code, local(r.Created), r.Type, r.CategoryCode, r.CategoryName, r.UnitCode, r.UnitName,
			r.Channel, r.Privacy, r.Status, vocab.Status(vocab.ID, r.Status), r.Title, r.Body, r.Location, incident,
			local(r.DueAt), local(r.VerifyDueAt), local(r.FollowupDueAt), local(r.CompletionDueAt), local(r.AutocloseAt),
			local(r.VerifiedAt), local(r.DisposedAt), local(r.FirstFollowupAt), local(r.LastFollowupAt), local(r.ClosedAt),
			rating, r.ReporterName, r.ReporterPhone, r.ReporterEmail})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	flush()
	return buf.Bytes()
}

// The complaints CSV gives byte for byte what its old definition gave, for
// every role, on generated complaints and on edge cases: dates in other
// layouts, out of range, zero or unreadable, dates that change day in the
// office's zone, a unit that no longer exists and no category, complaints
// created in the same millisecond (ordered by id), cells a spreadsheet
// would run, quotes, line breaks and leading spaces.
func TestComplaintsCSVMatchesOldDefinition(t *testing.T) {
	app, desk := equivData(t)
	now := clock.Now(app)
	var unit string
	if err := app.DB().NewQuery("SELECT unit FROM complaints WHERE unit IN (SELECT id FROM units) LIMIT 1").Row(&unit); err != nil {
		t.Fatal(err)
	}
	all := export.Period{From: now.AddDate(-2, 0, 0), To: now.AddDate(0, 0, 1)}
	month := export.Period{From: now.AddDate(0, -1, 0), To: now}
	for name, actor := range map[string]cases.Actor{
		"admin":       {Role: model.RoleAdmin},
		"coordinator": {Role: model.RoleCoordinator, ID: "koordinator"},
		"handler":     {Role: model.RoleHandler, ID: "penangan", UnitID: unit},
		"frontdesk":   {Role: model.RoleFrontdesk, ID: desk},
	} {
		for _, p := range []export.Period{all, month} {
			var got bytes.Buffer
			n, err := export.WriteComplaintsCSV(app, &got, actor, p)
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, name, got.Bytes(), oldComplaintsCSV(t, app, actor, p))
			if n < 1 || name == "admin" && p == all && n < 600 {
				t.Fatalf("%s: only %d rows: the comparison proves nothing", name, n)
			}
		}
	}
}

// oldCSV is the CSV writer of the old definitions: a byte order mark,
// encoding/csv with CRLF, every cell through SafeCell.
func oldCSV(t *testing.T) (buf *bytes.Buffer, write func([]string), flush func()) {
	buf = bytes.NewBufferString("\uFEFF")
	w := csv.NewWriter(buf)
	w.UseCRLF = true
	write = func(cells []string) {
		for i, s := range cells {
			cells[i] = export.SafeCell(s)
		}
		if err := w.Write(cells); err != nil {
			t.Fatal(err)
		}
	}
	flush = func() {
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
	}
	return buf, write, flush
}

// sameLines fails t at the first line where got and want differ.
func sameLines(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	g, w := bytes.Split(got, []byte("\r\n")), bytes.Split(want, []byte("\r\n"))
	for i := 0; i < len(g) && i < len(w); i++ {
		if !bytes.Equal(g[i], w[i]) {
			t.Fatalf("%s: line %d differs:\n got %q\nwant %q", name, i, g[i], w[i])
		}
	}
	t.Fatalf("%s: %d lines, want %d", name, len(g), len(w))
}

// oldEachPublic is EachPublic as it was defined before it read units and
// categories from maps and columns by position: joined, scanned by dbx.
func oldEachPublic(t *testing.T, app core.App, f export.PublicFilter) []export.PublicReport {
	t.Helper()
	where := []string{privacy.ListedCondition()}
	params := dbx.Params{}
	if !f.Period.From.IsZero() {
		where = append(where, "c.created >= {:from}")
		params["from"] = f.Period.From.UTC().Format(types.DefaultDateLayout)
	}
	if !f.Period.To.IsZero() {
		where = append(where, "c.created < {:to}")
		params["to"] = f.Period.To.UTC().Format(types.DefaultDateLayout)
	}
	if f.Category != "" {
		where = append(where, "c.category IN (SELECT id FROM categories WHERE code = {:cat}"+
			" OR parent IN (SELECT id FROM categories WHERE code = {:cat}))")
		params["cat"] = f.Category
	}
	if f.Unit != "" {
		where = append(where, "c.unit = (SELECT id FROM units WHERE code = {:unit})")
		params["unit"] = f.Unit
	}
	order := "c.created DESC, c.id DESC"
	if f.Oldest {
		order = "c.created, c.id"
	}
	sql := `SELECT c.tracking_code, c.created, c.type,
 COALESCE(cat.code,'') AS category_code, COALESCE(cat.name,'') AS category_name, COALESCE(cat.name_en,'') AS category_name_en,
 COALESCE(u.code,'') AS unit_code, COALESCE(u.name,'') AS unit_name,
 c.channel, c.status, c.title, c.public_title, c.verified_at, c.first_followup_at, c.closed_at, COALESCE(c.rating,0) AS rating
 FROM ` + export.PublicFrom + `
 LEFT JOIN units u ON u.id = c.unit
 LEFT JOIN categories cat ON cat.id = c.category
 WHERE ` + strings.Join(where, " AND ") + `
 ORDER BY ` + order
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit) + " OFFSET " + strconv.Itoa(f.Offset)
	}
	var out []export.PublicReport
	if err := app.DB().NewQuery(sql).Bind(params).All(&out); err != nil {
		t.Fatal(err)
	}
	for i := range out {
		out[i].Title, out[i].PublicTitle = privacy.PublicText(out[i].Title, out[i].PublicTitle), ""
	}
	return out
}

// The public list and the open-data CSV give what their old definition
// gave: the same reports field by field for the page's filters and pages,
// and the same bytes of the CSV.
func TestPublicMatchesOldDefinition(t *testing.T) {
	app, _ := equivData(t)
	loc := sla.Zone(app)
	var unit, category string
	if err := app.DB().NewQuery("SELECT u.code, cat.code FROM complaints c JOIN units u ON u.id = c.unit"+
		" JOIN categories cat ON cat.id = c.category WHERE "+privacy.ListedCondition()+" LIMIT 1").Row(&unit, &category); err != nil {
		t.Fatal(err)
	}
	for _, f := range []export.PublicFilter{{}, {Oldest: true}, {Limit: 21}, {Limit: 21, Offset: 40}, {Unit: unit},
		{Category: category, Limit: 5, Offset: 1}, {Category: "LING"}} {
		var got []export.PublicReport
		if err := export.EachPublic(app, f, func(r *export.PublicReport) error { got = append(got, *r); return nil }); err != nil {
			t.Fatal(err)
		}
		want := oldEachPublic(t, app, f)
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%+v: %d reports, want %d (and more than none)", f, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%+v: report %d\n got %+v\nwant %+v", f, i, got[i], want[i])
			}
		}
	}
	var got bytes.Buffer
	if _, err := export.WriteOpenDataCSV(app, &got, export.Period{}); err != nil {
		t.Fatal(err)
	}
	want, write, flush := oldCSV(t)
	local := func(s string) string {
		if tm := export.OldParseStored(s); !tm.IsZero() {
			return tm.In(loc).Format("2006-01-02 15:04:05")
		}
		return ""
	}
	write(append([]string(nil), export.OpenDataColumns...))
	for _, r := range oldEachPublic(t, app, export.PublicFilter{Oldest: true}) {
		rating := ""
		if r.Rating > 0 {
			rating = strconv.Itoa(r.Rating)
		}
		write([]string{r.Code, local(r.Created), r.Type, r.CategoryCode, r.CategoryName, r.UnitCode,
			r.UnitName, r.Channel, r.Status, vocab.Status(vocab.ID, r.Status), r.Title, local(r.VerifiedAt),
			local(r.FirstFollowupAt), local(r.ClosedAt), rating})
	}
	flush()
	sameLines(t, "open data", got.Bytes(), want.Bytes())
}

// equivData is 600 generated complaints and edge cases among them (the
// newest seven), and the id of a front-desk clerk who took in two.
func equivData(t *testing.T) (core.App, string) {
	t.Helper()
	app := testkit.New(t)
	now := clock.Now(app)
	if _, err := cases.Seed(app, cases.SeedOptions{Count: 600, Now: now}); err != nil {
		t.Fatal(err)
	}
	desk, _ := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "UMUM")
	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM complaints ORDER BY created DESC LIMIT 12").Column(&ids); err != nil {
		t.Fatal(err)
	}
	same := now.Add(-time.Hour).UTC().Format(types.DefaultDateLayout)
	for i, set := range []dbx.Params{
		{"due_at": "2026-03-01T10:00:00Z", "verified_at": "garbage", "closed_at": "0001-01-01 00:00:00.000Z",
			"incident_date": "2024-02-29 00:00:00.000Z", "rating": 5},
		{"unit": "tidak-ada", "category": "", "disposed_at": "2026-02-30 10:00:00.000Z", "incident_date": "2026-01-01",
			"privacy": model.PrivacyPublic, "status": model.StatusProses, "public_title": "Judul publik 081234567890"},
		{"created": same, "title": `=cmd|' /C calc'!A0`, "body": "baris \"satu\"\r\nbaris dua\rtiga\n", "location": " Jl. Spasi",
			"privacy": model.PrivacyPublic, "status": model.StatusProses, "public_title": "  ", "verified_at": "2026-02-29 10:00:00.000Z"},
		{"created": same, "reporter_name": "@Budi", "reporter_phone": "+6281234567890", "rating": 0},
		{"created": same, "created_by": desk.Id, "first_followup_at": "2026-01-31 17:00:00.000Z",
			"last_followup_at": "2026-01-31 16:59:59.999Z", "autoclose_at": "2026-12-31T23:30:00+07:00"},
		{"created_by": desk.Id, "privacy": model.PrivacyConfidential, "completion_due_at": "9999-12-31 23:59:59.999Z",
			"verify_due_at": "2026-01-01 10:00:00,000Z", "followup_due_at": "2026-01-01 10:00:00.000z"},
		{"privacy": model.PrivacyAnonymous, "title": "-1", "body": "\tisi", "location": "+62 lokasi"},
	} {
		if _, err := app.DB().Update(model.Complaints, set, dbx.HashExp{"id": ids[i]}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	return app, desk.Id
}
