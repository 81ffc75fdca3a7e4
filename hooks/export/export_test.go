package export_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/xuri/excelize/v2"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/export"
	"simpul/hooks/platform/budget"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

const (
	hostileTitle = `=HYPERLINK("http://jahat.example","klik")`
	hostileBody  = "@SUM(1+1) lalu +62 812 dan -1"
	internalNote = "CATATAN-INTERNAL jangan bocor"
	publicNote   = "Diteruskan ke Seksi A."
)

// fixture: staff of every role and a complaint of every kind, created now,
// plus one created 60 days ago (outside the default period).
type fixture struct {
	app    *tests.TestApp
	actors map[string]cases.Actor
	tokens map[string]string
	codes  map[string]string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	app := testkit.New(t)
	f := &fixture{app: app, actors: map[string]cases.Actor{}, tokens: map[string]string{}, codes: map[string]string{}}
	for _, s := range []struct{ name, role, unit string }{
		{"coordinator", model.RoleCoordinator, ""}, {"admin", model.RoleAdmin, ""},
		{"handler-a", model.RoleHandler, "UNIT-A"}, {"handler-b", model.RoleHandler, "UNIT-B"},
		{"frontdesk", model.RoleFrontdesk, "UMUM"},
	} {
		rec, tok := testkit.Staff(t, app, s.name+"@simpul.test", s.role, s.unit)
		f.actors[s.name], f.tokens[s.name] = cases.StaffActor(rec, ""), tok
	}
	add := func(name string, spec testkit.ComplaintSpec, email string) *core.Record {
		rec := testkit.Complaint(t, app, spec)
		rec.Set("reporter_email", email)
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
		f.codes[name] = rec.GetString("tracking_code")
		return rec
	}
	pub := add("public-a", testkit.ComplaintSpec{Unit: "UNIT-A", Category: "INF-JALAN", Status: model.StatusTerdisposisi,
		Reporter: "Siti Aminah", Phone: "081234567890"}, "siti@contoh.id")
	pub.Set("title", hostileTitle)
	pub.Set("body", hostileBody)
	pub.Set("location", "-Jl. Merdeka 1")
	if err := app.Save(pub); err != nil {
		t.Fatal(err)
	}
	add("confidential-a", testkit.ComplaintSpec{Unit: "UNIT-A", Privacy: model.PrivacyConfidential, Status: model.StatusProses,
		Reporter: "Budi Rahasia", Phone: "081299998888"}, "budi@contoh.id")
	add("anonymous-a", testkit.ComplaintSpec{Unit: "UNIT-A", Privacy: model.PrivacyAnonymous, Status: model.StatusSelesai}, "")
	add("desk-b", testkit.ComplaintSpec{Unit: "UNIT-B", CreatedBy: f.actors["frontdesk"].ID, Reporter: "Citra Loket",
		Phone: "081311112222"}, "")
	add("archived-b", testkit.ComplaintSpec{Unit: "UNIT-B", Status: model.StatusDiarsipkan, Reporter: "Dedi Spam"}, "")
	old := add("old-a", testkit.ComplaintSpec{Unit: "UNIT-A", Status: model.StatusSelesai, Reporter: "Eka Lama"}, "")
	if _, err := app.DB().NewQuery("UPDATE complaints SET created = {:c} WHERE id = {:id}").Bind(dbx.Params{
		"c": clock.Now(app).AddDate(0, 0, -60).UTC().Format("2006-01-02 15:04:05.000Z"), "id": old.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	err := app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, pub.Id)
		if err != nil {
			return err
		}
		if _, err := events.Append(tx, c, events.Event{Kind: model.EventTransition, ActorType: "staff", ActorName: "Koordinator",
			From: model.StatusBaru, To: model.StatusTerdisposisi, Note: publicNote, Public: true, Origin: "TEST"}); err != nil {
			return err
		}
		_, err = events.Append(tx, c, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Koordinator",
			Note: internalNote, Origin: "TEST"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// period is the default staff period: this month, up to today.
func (f *fixture) period(t *testing.T) export.Period {
	t.Helper()
	loc := sla.Zone(f.app)
	now := clock.Now(f.app)
	p, err := export.ParsePeriod(loc, now.AddDate(0, 0, -7).In(loc).Format("2006-01-02"), "", time.Time{}, now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readCSV checks the BOM and CRLF line ends and returns the rows by code
// (each a column → value map) and the header.
func readCSV(t *testing.T, b []byte) (map[string]map[string]string, []string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV without a UTF-8 byte order mark")
	}
	b = b[3:]
	if n := bytes.Count(b, []byte("\n")); n == 0 || n != bytes.Count(b, []byte("\r\n")) {
		t.Fatal("CSV lines must end with CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	out := map[string]map[string]string{}
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out[r[0]+"#"+m["seq"]] = m
	}
	return out, recs[0]
}

func (f *fixture) complaintsCSV(t *testing.T, actor string) map[string]map[string]string {
	t.Helper()
	var buf bytes.Buffer
	n, err := export.WriteComplaintsCSV(f.app, &buf, f.actors[actor], f.period(t))
	if err != nil {
		t.Fatal(err)
	}
	rows, header := readCSV(t, buf.Bytes())
	if strings.Join(header, ",") != strings.Join(export.ComplaintColumns, ",") || n != len(rows) {
		t.Fatalf("header %v, %d rows reported, %d read", header, n, len(rows))
	}
	byCode := map[string]map[string]string{}
	for k, v := range rows {
		byCode[strings.TrimSuffix(k, "#")] = v
	}
	return byCode
}

func (f *fixture) names(list ...string) []string {
	var out []string
	for _, n := range list {
		out = append(out, f.codes[n])
	}
	sort.Strings(out)
	return out
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Each role exports what the staff API shows it, with identity only where
// the privacy policy shows it without a reason: an export cannot ask why,
// so a confidential reporter is in no export, not even a coordinator's.
func TestComplaintExportPrivacyPerRole(t *testing.T) {
	f := newFixture(t)
	all := []string{"public-a", "confidential-a", "anonymous-a", "desk-b", "archived-b"}
	for _, tc := range []struct {
		actor    string
		see      []string
		identity []string // complaints whose reporter the role sees
	}{
		{"coordinator", all, []string{"public-a", "desk-b", "archived-b"}},
		{"admin", all, []string{"public-a", "desk-b", "archived-b"}},
		{"handler-a", []string{"public-a", "confidential-a", "anonymous-a"}, []string{"public-a"}},
		{"handler-b", []string{"desk-b", "archived-b"}, []string{"desk-b", "archived-b"}},
		{"frontdesk", []string{"desk-b"}, []string{"desk-b"}},
	} {
		t.Run(tc.actor, func(t *testing.T) {
			rows := f.complaintsCSV(t, tc.actor)
			if got, want := keys(rows), f.names(tc.see...); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("exported %v, want %v", got, want)
			}
			// The same set as the staff desk's "all" queue.
			list, err := cases.List(f.app, f.actors[tc.actor], cases.ListQuery{Queue: cases.QueueAll, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			var desk []string
			for _, it := range list.Items {
				if it.TrackingCode != f.codes["old-a"] {
					desk = append(desk, it.TrackingCode)
				}
			}
			sort.Strings(desk)
			if strings.Join(desk, ",") != strings.Join(keys(rows), ",") {
				t.Fatalf("export %v differs from the staff list %v", keys(rows), desk)
			}
			visible := map[string]bool{}
			for _, n := range tc.identity {
				visible[f.codes[n]] = true
			}
			for code, r := range rows {
				has := r["reporter_name"] != "" || r["reporter_phone"] != "" || r["reporter_email"] != ""
				if has != visible[code] {
					t.Errorf("%s (%s): identity shown %v, want %v: %v", code, r["privacy"], has, visible[code], r)
				}
				if r["privacy"] == model.PrivacyAnonymous && has {
					t.Errorf("anonymous reporter exported")
				}
			}
			if r, ok := rows[f.codes["public-a"]]; ok {
				if r["reporter_name"] != "Siti Aminah" || r["reporter_phone"] != "081234567890" || r["reporter_email"] != "siti@contoh.id" {
					t.Errorf("public reporter: %v", r)
				}
				if r["status_label"] != "Terdisposisi (Belum Ditindaklanjuti)" || r["category"] != "INF-JALAN" ||
					r["unit"] != "UNIT-A" || r["created"] == "" || r["due_at"] != "" && len(r["due_at"]) != 19 {
					t.Errorf("row: %v", r)
				}
			}
		})
	}
}

// A cell that a spreadsheet would run as a formula gets a leading
// apostrophe in CSV.
func TestCSVFormulaInjectionNeutralised(t *testing.T) {
	f := newFixture(t)
	r := f.complaintsCSV(t, "coordinator")[f.codes["public-a"]]
	if r["title"] != "'"+hostileTitle || r["body"] != "'"+hostileBody || r["location"] != "'-Jl. Merdeka 1" {
		t.Fatalf("cells not neutralised: title %q body %q location %q", r["title"], r["body"], r["location"])
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx",
		"\rx": "'\rx", "a=b": "a=b", "": "", "Jalan": "Jalan"} {
		if got := export.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// The timeline export carries internal notes only to staff who see the
// complaint.
func TestEventsExport(t *testing.T) {
	f := newFixture(t)
	read := func(actor string) map[string]map[string]string {
		var buf bytes.Buffer
		if _, err := export.WriteEventsCSV(f.app, &buf, f.actors[actor], f.period(t)); err != nil {
			t.Fatal(err)
		}
		rows, header := readCSV(t, buf.Bytes())
		if strings.Join(header, ",") != strings.Join(export.EventColumns, ",") {
			t.Fatalf("header %v", header)
		}
		return rows
	}
	a := read("handler-a")
	pubCode := f.codes["public-a"]
	if len(a[pubCode+"#1"]) == 0 || a[pubCode+"#1"]["kind"] != "created" || a[pubCode+"#2"]["note"] != publicNote ||
		a[pubCode+"#3"]["note"] != internalNote || a[pubCode+"#3"]["public"] != "false" || a[pubCode+"#2"]["public"] != "true" {
		t.Fatalf("handler A's timeline of %s: %v", pubCode, a)
	}
	for k := range a {
		if strings.HasPrefix(k, f.codes["desk-b"]) {
			t.Fatal("handler A got another unit's timeline")
		}
	}
	b := read("handler-b")
	for k, r := range b {
		if strings.HasPrefix(k, pubCode) || r["note"] == internalNote {
			t.Fatalf("handler B got unit A's timeline: %v", r)
		}
	}
	if len(b) != 2 {
		t.Fatalf("handler B: %d events", len(b))
	}
}

// The workbook parses back: a complaints sheet and an events sheet, text
// kept as text (never a formula), identity per role.
func TestXLSXExport(t *testing.T) {
	f := newFixture(t)
	open := func(actor string) *excelize.File {
		var buf bytes.Buffer
		n, err := export.WriteXLSX(f.app, &buf, f.actors[actor], f.period(t))
		if err != nil || n == 0 {
			t.Fatalf("xlsx: %d rows, %v", n, err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		if got := strings.Join(x.GetSheetList(), ","); got != "complaints,events" {
			t.Fatalf("sheets %s", got)
		}
		return x
	}
	sheet := func(x *excelize.File, name string) (map[string]map[string]string, map[string]string) {
		rows, err := x.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]map[string]string{}
		cells := map[string]string{}
		for i, r := range rows[1:] {
			m := map[string]string{}
			for j, h := range rows[0] {
				if j < len(r) {
					m[h] = r[j]
				}
				if h == "title" {
					cells[r[0]], _ = excelize.CoordinatesToCellName(j+1, i+2)
				}
			}
			out[r[0]+"#"+m["seq"]] = m
		}
		return out, cells
	}
	x := open("coordinator")
	rows, cells := sheet(x, "complaints")
	pub := rows[f.codes["public-a"]+"#"]
	if pub["title"] != hostileTitle || pub["reporter_name"] != "Siti Aminah" || pub["body"] != hostileBody {
		t.Fatalf("public row: %v", pub)
	}
	if formula, err := x.GetCellFormula("complaints", cells[f.codes["public-a"]]); err != nil || formula != "" {
		t.Fatalf("title became a formula: %q %v", formula, err)
	}
	if conf := rows[f.codes["confidential-a"]+"#"]; conf["reporter_name"] != "" || conf["body"] == "" {
		t.Fatalf("a confidential reporter in a coordinator's export (an export cannot ask why): %v", conf)
	}
	if len(rows) != 5 {
		t.Fatalf("%d complaint rows", len(rows))
	}
	created, err := x.GetCellValue("complaints", "B2")
	if err != nil || len(created) < 10 || created[4] != '-' {
		t.Fatalf("created is a formatted date: %q %v", created, err)
	}
	evs, _ := sheet(x, "events")
	if evs[f.codes["public-a"]+"#3"]["note"] != internalNote {
		t.Fatalf("events sheet: %v", evs)
	}

	h := open("handler-a")
	rows, _ = sheet(h, "complaints")
	if len(rows) != 3 || rows[f.codes["confidential-a"]+"#"]["reporter_name"] != "" || rows[f.codes["public-a"]+"#"]["reporter_phone"] != "081234567890" {
		t.Fatalf("handler A's workbook: %v", rows)
	}
}

// The open-data CSV: verified public reports only, no personal data, no
// body, no notes.
func TestOpenDataCSV(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	n, err := export.WriteOpenDataCSV(f.app, &buf, export.Period{})
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	rows, header := readCSV(t, buf.Bytes())
	if strings.Join(header, ",") != strings.Join(export.OpenDataColumns, ",") {
		t.Fatalf("header %v", header)
	}
	want := f.names("public-a", "old-a") // verified public, of any age
	for i := range want {
		want[i] += "#"
	}
	if got := keys(rows); n != 2 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("open data rows %v (n=%d), want only the verified public reports %v", got, n, want)
	}
	// A period narrows it.
	var recent bytes.Buffer
	if n, err := export.WriteOpenDataCSV(f.app, &recent, f.period(t)); err != nil || n != 1 ||
		!strings.Contains(recent.String(), f.codes["public-a"]) {
		t.Fatalf("open data of the last week: %d rows, %v", n, err)
	}
	r := rows[f.codes["public-a"]+"#"]
	if r["title"] != "'"+hostileTitle || r["status"] != model.StatusTerdisposisi || r["category"] != "INF-JALAN" {
		t.Fatalf("row %v", r)
	}
	for _, secret := range []string{"Siti Aminah", "081234567890", "siti@contoh.id", "Budi", "Citra", "Dedi", "Eka Lama",
		hostileBody, "@SUM", "Merdeka", internalNote, publicNote, f.codes["confidential-a"], f.codes["anonymous-a"],
		f.codes["desk-b"], f.codes["archived-b"], "reporter", "body", "note", "privacy"} {
		if strings.Contains(raw, secret) {
			t.Errorf("open data carries %q", secret)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, loc)
	def := export.MonthStart(loc, now)
	for _, tc := range []struct {
		from, to string
		ok       bool
		want     [2]string
	}{
		{"", "", true, [2]string{"2026-03-01T00:00:00+07:00", "2026-03-16T00:00:00+07:00"}},
		{"2026-01-01", "2026-01-31", true, [2]string{"2026-01-01T00:00:00+07:00", "2026-02-01T00:00:00+07:00"}},
		{"2026-02-01", "2026-01-31", false, [2]string{}},
		{"kemarin", "", false, [2]string{}},
		{"2026-01-01", "2026-13-01", false, [2]string{}},
	} {
		p, err := export.ParsePeriod(loc, tc.from, tc.to, def, now)
		if (err == nil) != tc.ok {
			t.Errorf("%q..%q: %v", tc.from, tc.to, err)
			continue
		}
		if tc.ok && (p.From.Format(time.RFC3339) != tc.want[0] || p.To.Format(time.RFC3339) != tc.want[1]) {
			t.Errorf("%q..%q = %v..%v", tc.from, tc.to, p.From, p.To)
		}
	}
}

func TestExportRoutes(t *testing.T) {
	var tokens map[string]string
	var codes map[string]string
	factory := func(s *tests.ApiScenario, who string) func(testing.TB) *tests.TestApp {
		return func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			tokens = map[string]string{}
			codes = map[string]string{}
			_, tokens["handler"] = testkit.Staff(t, app, "seksi@simpul.test", model.RoleHandler, "UNIT-A")
			_, tokens["coordinator"] = testkit.Staff(t, app, "koor@simpul.test", model.RoleCoordinator, "")
			c := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Status: model.StatusProses,
				Privacy: model.PrivacyConfidential, Reporter: "Budi Rahasia"})
			codes["conf"] = c.GetString("tracking_code")
			c = testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Status: model.StatusSelesai, Reporter: "Siti Aminah"})
			codes["pub"] = c.GetString("tracking_code")
			if who != "" {
				s.Headers = map[string]string{"Authorization": tokens[who]}
			}
			return app
		}
	}
	for _, tc := range []struct {
		name, url, who string
		status         int
		ctype          string
		want, notWant  []string
	}{
		{"no login", "/api/exports/complaints.csv", "", 401, "", []string{`"status":401`}, nil},
		{"unknown file", "/api/exports/rahasia.csv", "coordinator", 404, "", []string{`"status":404`}, nil},
		{"bad period", "/api/exports/complaints.csv?from=2026-02-01&to=2026-01-01", "coordinator", 400, "", []string{`"status":400`}, nil},
		{"handler csv", "/api/exports/complaints.csv", "handler", 200, "text/csv; charset=utf-8", []string{"Siti Aminah", "Unit UNIT-A"}, []string{"Budi Rahasia"}},
		{"coordinator csv", "/api/exports/complaints.csv", "coordinator", 200, "text/csv; charset=utf-8", []string{"Siti Aminah"}, []string{"Budi Rahasia"}},
		{"events csv", "/api/exports/events.csv", "coordinator", 200, "text/csv; charset=utf-8", []string{"created"}, nil},
		{"xlsx", "/api/exports/complaints.xlsx", "handler", 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{"PK"}, nil},
		{"open data", "/data/laporan.csv", "", 200, "text/csv; charset=utf-8", []string{"code,created"}, []string{"Siti Aminah", "Budi Rahasia"}},
		{"open data bad period", "/data/laporan.csv?from=kemarin", "", 400, "", []string{`"status":400`}, nil},
	} {
		s := &tests.ApiScenario{Name: tc.name, Method: http.MethodGet, URL: tc.url, ExpectedStatus: tc.status,
			ExpectedContent: tc.want, NotExpectedContent: tc.notWant}
		s.TestAppFactory = factory(s, tc.who)
		s.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if tc.ctype != "" && res.Header.Get("Content-Type") != tc.ctype {
				t.Fatalf("content type %q", res.Header.Get("Content-Type"))
			}
			if tc.url == "/data/laporan.csv" {
				b, _ := io.ReadAll(res.Body)
				if !strings.Contains(string(b), codes["pub"]) || strings.Contains(string(b), codes["conf"]) {
					t.Fatalf("open data:\n%s", b)
				}
			}
			if tc.status == 200 && tc.who != "" && !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Fatal("a download must be an attachment")
			}
		}
		s.Test(t)
	}
}

// The public list (open data, and /laporan and Open311 through EachPublic)
// shows the verifier's public title when there is one, else the title;
// masked either way (review item 7).
func TestPublicTitleMasked(t *testing.T) {
	f := newFixture(t)
	setTitle := func(code, title, public string) {
		t.Helper()
		rec, err := f.app.FindFirstRecordByData(model.Complaints, "tracking_code", f.codes[code])
		if err != nil {
			t.Fatal(err)
		}
		rec.Set("title", title)
		rec.Set("public_title", public)
		if err := f.app.Save(rec); err != nil {
			t.Fatal(err)
		}
	}
	setTitle("old-a", "Jalan rusak, hubungi Eka 081234567001 atau eka@contoh.id", "")
	setTitle("public-a", "Saya Siti HP 081234567890 melapor lampu mati", "Lampu jalan mati di depan pasar")
	var buf bytes.Buffer
	if _, err := export.WriteOpenDataCSV(f.app, &buf, export.Period{}); err != nil {
		t.Fatal(err)
	}
	rows, _ := readCSV(t, buf.Bytes())
	if got := rows[f.codes["old-a"]+"#"]["title"]; got != "Jalan rusak, hubungi Eka 0812****7001 atau e***@***.id" {
		t.Errorf("masked title: %q", got)
	}
	if got := rows[f.codes["public-a"]+"#"]["title"]; got != "Lampu jalan mati di depan pasar" {
		t.Errorf("verifier's public title: %q", got)
	}
	for _, secret := range []string{"081234567001", "eka@contoh.id", "081234567890", "Saya Siti"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("open data carries %q", secret)
		}
	}
}

// TestExportRefusals: an export that does not fit in the memory budget
// left by the exports running is refused at once with 503, Retry-After and
// a message saying why (and served once the others end); a workbook whose
// sheets would pass Excel's row limit is refused with 400 before a byte of
// it is written.
func TestExportRefusals(t *testing.T) {
	f := newFixture(t)
	srv := testkit.Serve(t, f.app)
	get := func(path, who string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if who != "" {
			req.Header.Set("Authorization", f.tokens[who])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	b := budget.New(budget.Export + budget.Export/2) // room for one export
	budget.Set(f.app, b)
	release, ok := b.Take(budget.Export) // one running
	if !ok {
		t.Fatal("the first export does not fit")
	}
	for _, path := range []string{"/api/exports/complaints.csv", "/api/exports/complaints.xlsx", "/data/laporan.csv"} {
		who := "coordinator"
		if strings.HasPrefix(path, "/data/") {
			who = ""
		}
		res, body := get(path, who)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, "memorinya terbatas") || !strings.Contains(body, "memory is limited") {
			t.Fatalf("%s with the budget spent: %d %q %s", path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	}
	release()
	if res, body := get("/api/exports/complaints.csv", "coordinator"); res.StatusCode != 200 || !strings.Contains(body, "Siti Aminah") {
		t.Fatalf("after the other export ended: %d", res.StatusCode)
	}
	if b.Used() != 0 {
		t.Fatalf("%d bytes of the budget still taken after the downloads", b.Used())
	}

	defer export.SetMaxSheetRows(3)()
	res, body := get("/api/exports/complaints.xlsx", "coordinator")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "CSV") || res.Header.Get("Content-Disposition") != "" {
		t.Fatalf("a workbook larger than a sheet: %d %s", res.StatusCode, body)
	}
	if res, _ := get("/api/exports/complaints.xlsx", "handler-b"); res.StatusCode != 200 {
		t.Fatalf("a workbook that fits (handler B's two reports): %d", res.StatusCode)
	}
}
