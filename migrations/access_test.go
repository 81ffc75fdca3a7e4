package migrations_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// The roles of the access matrix, in column order.
var roles = []string{"guest", "frontdesk", "handler", "handler-other-unit", "coordinator", "admin", "superuser"}

// Cell outcomes. For lists, "ok" means the target record is in the page and
// "hidden" means the request succeeds but the record is not in it.
const (
	ok     = 200
	hidden = -200
	made   = 201 // create succeeded (PocketBase answers 200)
	gone   = 204
	no400  = 400
	no403  = 403
	no404  = 404
)

type row struct {
	collection string
	action     string // list, view, create, update, delete
	body       string // for create and update
	want       [7]int // per role, in the order of roles
}

// targeted rows test another record of a collection than its default
// target (fixture.targets key), for rules that depend on the record: an
// internal note, a confidential reporter's reply, a confidential report.
// They are extra: each collection still has its five actions (matrix) on
// its default target.
type targeted struct {
	row
	target string
}

// matrix is the whole access policy: every role × collection × action.
// Guests see nothing of complaints, reporters or events; handlers see their
// own unit; front-desk staff see what they entered; coordinators and admins
// see everything; the timeline and complaint creation have no generic door
// even for superusers.
var matrix = []row{
	{model.Complaints, "list", "", [7]int{hidden, ok, ok, hidden, ok, ok, ok}},
	{model.Complaints, "view", "", [7]int{no404, ok, ok, no404, ok, ok, ok}},
	{model.Complaints, "create", `{"title":"x"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{model.Complaints, "update", `{"location":"Jl. Merdeka 1"}`, [7]int{no403, no403, no403, no403, no403, no403, ok}},
	{model.Complaints, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, no403}},

	{model.ComplaintEvents, "list", "", [7]int{hidden, ok, ok, hidden, ok, ok, ok}},
	{model.ComplaintEvents, "view", "", [7]int{no404, ok, ok, no404, ok, ok, ok}},
	{model.ComplaintEvents, "create", `{"kind":"note"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{model.ComplaintEvents, "update", `{"note":"diubah"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{model.ComplaintEvents, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, no403}},

	{model.Offices, "list", "", [7]int{hidden, ok, ok, ok, ok, ok, ok}},
	{model.Offices, "view", "", [7]int{no404, ok, ok, ok, ok, ok, ok}},
	{model.Offices, "create", `{"name":"Kantor Dua","code":"K2","timezone":"Asia/Jakarta"}`, [7]int{no403, no403, no403, no403, no403, no403, made}},
	{model.Offices, "update", `{"name":"Puskesmas Sukamaju"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Offices, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, gone}},

	{model.Units, "list", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Units, "view", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Units, "create", `{"code":"BARU","name":"Unit Baru","active":true}`, [7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Units, "update", `{"name":"Seksi Pelayanan"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Units, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, gone}},

	{model.Categories, "list", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Categories, "view", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Categories, "create", `{"code":"BARU","name":"Kategori Baru"}`, [7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Categories, "update", `{"lapor_topic_id":"123"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	// A category a complaint uses cannot be deleted, even by a superuser.
	{model.Categories, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, no400}},

	{model.QRPoints, "list", "", [7]int{hidden, ok, ok, ok, ok, ok, ok}},
	{model.QRPoints, "view", "", [7]int{no404, ok, ok, ok, ok, ok, ok}},
	{model.QRPoints, "create", `{"slug":"loket-2","label":"Loket 2"}`, [7]int{no400, no400, no400, no400, made, made, made}},
	{model.QRPoints, "update", `{"label":"Ruang tunggu lantai 2"}`, [7]int{no404, no404, no404, no404, ok, ok, ok}},
	{model.QRPoints, "delete", "", [7]int{no404, no404, no404, no404, gone, gone, gone}},

	{model.Kiosks, "list", "", [7]int{hidden, hidden, hidden, hidden, hidden, ok, ok}},
	{model.Kiosks, "view", "", [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Kiosks, "create", `{"name":"Kios 2"}`, [7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Kiosks, "update", `{"location":"Lobi"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Kiosks, "delete", "", [7]int{no404, no404, no404, no404, no404, gone, gone}},

	// Open311 API keys: admins only (hooks/open311 sets key_hash on create).
	{model.Open311Keys, "list", "", [7]int{hidden, hidden, hidden, hidden, hidden, ok, ok}},
	{model.Open311Keys, "view", "", [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Open311Keys, "create", `{"name":"Mitra Dua"}`, [7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Open311Keys, "update", `{"active":false}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Open311Keys, "delete", "", [7]int{no404, no404, no404, no404, no404, gone, gone}},

	// The target staff record is the handler's own.
	{model.Staff, "list", "", [7]int{hidden, hidden, ok, hidden, ok, ok, ok}},
	{model.Staff, "view", "", [7]int{no404, no404, ok, no404, ok, ok, ok}},
	{model.Staff, "create", `{"email":"baru@simpul.test","password":"rahasia-123456","passwordConfirm":"rahasia-123456","name":"Baru","role":"handler"}`,
		[7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Staff, "update", `{"name":"Nama Baru"}`, [7]int{no404, no404, ok, no404, no404, ok, ok}},
	{model.Staff, "delete", "", [7]int{no404, no404, no404, no404, no404, gone, gone}},

	{model.Holidays, "list", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Holidays, "view", "", [7]int{ok, ok, ok, ok, ok, ok, ok}},
	{model.Holidays, "create", `{"date":"2027-12-31","type":"lokal","name":"Hari Jadi","legal_basis":"Perbup 1/2027"}`,
		[7]int{no400, no400, no400, no400, no400, made, made}},
	{model.Holidays, "update", `{"legal_basis":"Perbup 2/2027"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.Holidays, "delete", "", [7]int{no404, no404, no404, no404, no404, gone, gone}},

	{model.SLAPolicies, "list", "", [7]int{hidden, ok, ok, ok, ok, ok, ok}},
	{model.SLAPolicies, "view", "", [7]int{no404, ok, ok, ok, ok, ok, ok}},
	// One row per rule (hooks/sla.Rules): a rule is edited, not invented.
	{model.SLAPolicies, "create", `{"code":"p2","unit":"working_days","value":"1","legal_basis":"-"}`,
		[7]int{no403, no403, no403, no403, no403, no403, no400}},
	{model.SLAPolicies, "update", `{"value":"2"}`, [7]int{no404, no404, no404, no404, no404, ok, ok}},
	{model.SLAPolicies, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, gone}},

	// Canned follow-up texts: every staff member reads them, coordinators
	// and admins keep them.
	{cannedResponses, "list", "", [7]int{hidden, ok, ok, ok, ok, ok, ok}},
	{cannedResponses, "view", "", [7]int{no404, ok, ok, ok, ok, ok, ok}},
	{cannedResponses, "create", `{"code":"JADWAL","title":"Jadwal","body":"Dijadwalkan.","active":true}`,
		[7]int{no400, no400, no400, no400, made, made, made}},
	{cannedResponses, "update", `{"title":"Judul baru"}`, [7]int{no404, no404, no404, no404, ok, ok, ok}},
	{cannedResponses, "delete", "", [7]int{no404, no404, no404, no404, gone, gone, gone}},

	// Follow-up files are seen like the timeline they belong to and, like
	// it, are written by the application only.
	{caseFiles, "list", "", [7]int{hidden, ok, ok, hidden, ok, ok, ok}},
	{caseFiles, "view", "", [7]int{no404, ok, ok, no404, ok, ok, ok}},
	{caseFiles, "create", `{"complaint":"{complaint}","event_uid":"x:1"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{caseFiles, "update", `{"public":true}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{caseFiles, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, no403}},

	// Who read a confidential identity, looked reports up at the counter
	// or issued a new PIN: coordinators and admins read it; nobody writes,
	// changes or removes it through the API, superusers included.
	{model.AccessLog, "list", "", [7]int{hidden, hidden, hidden, hidden, ok, ok, ok}},
	{model.AccessLog, "view", "", [7]int{no404, no404, no404, no404, ok, ok, ok}},
	{model.AccessLog, "create", `{"action":"identity_read"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{model.AccessLog, "update", `{"reason":"diubah"}`, [7]int{no403, no403, no403, no403, no403, no403, no403}},
	{model.AccessLog, "delete", "", [7]int{no403, no403, no403, no403, no403, no403, no403}},
}

// targetedRows apply the privacy policy (hooks/domain/privacy) record by
// record: on the timeline an internal note is not for the front desk, and
// a confidential reporter's own reply only for coordinators and admins
// (the row stays out: the API cannot blank one field of it); a
// confidential report is seen like any report of its unit, its identity
// hidden from every role (checked with the complaints rows).
var targetedRows = []targeted{
	{row{model.ComplaintEvents, "list", "", [7]int{hidden, hidden, ok, hidden, ok, ok, ok}}, targetInternalNote},
	{row{model.ComplaintEvents, "view", "", [7]int{no404, no404, ok, no404, ok, ok, ok}}, targetInternalNote},
	{row{model.ComplaintEvents, "list", "", [7]int{hidden, hidden, hidden, hidden, ok, ok, ok}}, targetConfidentialReply},
	{row{model.ComplaintEvents, "view", "", [7]int{no404, no404, no404, no404, ok, ok, ok}}, targetConfidentialReply},
	// A reply on an anonymous report is not on the public timeline, but it
	// is the reporter's words, not an internal note: the clerk who took the
	// report in reads it (privacy.May).
	{row{model.ComplaintEvents, "list", "", [7]int{hidden, ok, ok, hidden, ok, ok, ok}}, targetAnonymousReply},
	{row{model.ComplaintEvents, "view", "", [7]int{no404, ok, ok, no404, ok, ok, ok}}, targetAnonymousReply},
	{row{model.Complaints, "list", "", [7]int{hidden, ok, ok, hidden, ok, ok, ok}}, targetConfidential},
	{row{model.Complaints, "view", "", [7]int{no404, ok, ok, no404, ok, ok, ok}}, targetConfidential},
}

// Extra targets (targeted.target).
const (
	targetInternalNote      = "complaint_events (internal note)"
	targetConfidentialReply = "complaint_events (confidential reporter's reply)"
	targetConfidential      = "complaints (confidential)"
	targetAnonymousReply    = "complaint_events (anonymous reporter's reply)"
)

// Collections owned by hooks/cases (named here to keep this package's
// imports to the model).
const (
	cannedResponses = "canned_responses"
	caseFiles       = "case_files"
	// What the SP4N-LAPOR! adapter keeps per complaint (sync/lapor).
	laporReports = "lapor_reports"
)

// Sync bookkeeping is for superusers only, in every action.
func init() {
	bodies := map[string][2]string{
		model.SyncOutbox: {`{"uid":"u-2","kind":"event","status":"pending"}`, `{"attempts":3}`},
		model.SyncState:  {`{"key":"k-2"}`, `{"value":{"a":1}}`},
		model.Nodes:      {`{"code":"N2","name":"Puskesmas Dua"}`, `{"name":"Puskesmas Tiga"}`},
		model.SyncInbox:  {`{"uid":"u-2","node":"{node}"}`, `{"uid":"u-3"}`},
		model.SyncCopies: {`{"complaint":"{complaint}","node":"{node}","since_seq":7}`, `{"since_seq":9}`},
		laporReports:     {`{"complaint":"{complaint}","state":"due"}`, `{"state":"waiting"}`},
	}
	for _, c := range []string{model.SyncOutbox, model.SyncState, model.Nodes, model.SyncInbox, model.SyncCopies, laporReports} {
		nodes := c == model.Nodes // nodes may be listed by admins (hub dashboard)
		list, view := [7]int{no403, no403, no403, no403, no403, no403, ok}, [7]int{no403, no403, no403, no403, no403, no403, ok}
		if nodes {
			list = [7]int{hidden, hidden, hidden, hidden, hidden, ok, ok}
			view = [7]int{no404, no404, no404, no404, no404, ok, ok}
		}
		del := [7]int{no403, no403, no403, no403, no403, no403, gone}
		if nodes {
			// A node whose pushes the hub has applied (sync_inbox) cannot be
			// deleted, even by a superuser: deactivate it instead.
			del[6] = no400
		}
		matrix = append(matrix,
			row{c, "list", "", list},
			row{c, "view", "", view},
			row{c, "create", bodies[c][0], [7]int{no403, no403, no403, no403, no403, no403, made}},
			row{c, "update", bodies[c][1], [7]int{no403, no403, no403, no403, no403, no403, ok}},
			row{c, "delete", "", del},
		)
	}
}

// fixture is the data every cell starts from.
type fixture struct {
	dir     string
	tokens  map[string]string // role → auth token ("" for guest)
	targets map[string]string // collection → target record id
}

func buildFixture(t *testing.T) fixture {
	app := testkit.NewUnmanaged(t, testkit.Config())
	f := fixture{tokens: map[string]string{"guest": ""}, targets: map[string]string{}}
	first := func(collection, filter string) string {
		r, err := app.FindFirstRecordByFilter(collection, filter)
		if err != nil {
			t.Fatalf("fixture %s: %v", collection, err)
		}
		return r.Id
	}
	fd, tok := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "UMUM")
	f.tokens["frontdesk"] = tok
	ha, tok := testkit.Staff(t, app, "seksi-a@simpul.test", model.RoleHandler, "UNIT-A")
	f.tokens["handler"] = tok
	_, f.tokens["handler-other-unit"] = testkit.Staff(t, app, "seksi-b@simpul.test", model.RoleHandler, "UNIT-B")
	_, f.tokens["coordinator"] = testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	_, f.tokens["admin"] = testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	f.tokens["superuser"] = testkit.SuperuserToken(t, app)

	c := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", CreatedBy: fd.Id, Reporter: "Siti Aminah", Phone: "081234567890"})
	f.targets[model.Complaints] = c.Id
	ev, err := app.FindFirstRecordByData(model.ComplaintEvents, "complaint", c.Id)
	if err != nil {
		t.Fatal(err)
	}
	f.targets[model.ComplaintEvents] = ev.Id
	conf := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", CreatedBy: fd.Id, Reporter: "Siti Aminah",
		Phone: "081234567890", Privacy: model.PrivacyConfidential})
	f.targets[targetConfidential] = conf.Id
	appendEvent := func(complaint *core.Record, e events.Event) string {
		var id string
		err := app.RunInTransaction(func(tx core.App) error {
			r, err := events.Append(tx, complaint, e)
			if err == nil {
				id = r.Id
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.targets[targetInternalNote] = appendEvent(c, events.Event{Kind: model.EventNote, ActorType: "staff",
		ActorName: "Koordinator", Note: "Mohon ditindaklanjuti minggu ini."})
	f.targets[targetConfidentialReply] = appendEvent(conf, events.Event{Kind: model.EventReply, ActorType: "reporter",
		ActorName: "Pelapor", Note: "Saya Siti, yang melapor kemarin."})
	anon := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", CreatedBy: fd.Id, Privacy: model.PrivacyAnonymous})
	f.targets[targetAnonymousReply] = appendEvent(anon, events.Event{Kind: model.EventReply, ActorType: "reporter",
		ActorName: "Pelapor", Note: "Lampunya masih mati."})
	if err := events.LogAccess(app, events.Access{Action: events.AccessIdentityRead, ComplaintID: conf.Id,
		ActorName: "Koordinator", ActorRole: model.RoleCoordinator, Reason: "Menghubungi pelapor"}); err != nil {
		t.Fatal(err)
	}
	f.targets[model.AccessLog] = first(model.AccessLog, "id != ''")
	f.targets[model.Staff] = ha.Id
	f.targets[model.Units] = testkit.Unit(t, app, "UNIT-A").Id
	f.targets[model.Offices] = first(model.Offices, "id != ''")
	f.targets[model.Categories] = first(model.Categories, "code = 'LAIN'")
	f.targets[model.QRPoints] = first(model.QRPoints, "slug = 'pintu-depan'")
	f.targets[model.Holidays] = first(model.Holidays, "date = '2026-08-17'")
	f.targets[model.SLAPolicies] = first(model.SLAPolicies, "code = 'verify_days'")
	f.targets[model.SyncOutbox] = first(model.SyncOutbox, "id != ''")
	for _, x := range []struct{ collection, field, value string }{
		{model.Kiosks, "name", "Kios Lobi"},
		{model.SyncState, "key", "cursor"},
		{model.Nodes, "code", "PKM-1"},
		{model.Open311Keys, "name", "Mitra Aplikasi"},
	} {
		col, _ := app.FindCollectionByNameOrId(x.collection)
		r := core.NewRecord(col)
		r.Set(x.field, x.value)
		if x.collection == model.Nodes {
			r.Set("name", "Puskesmas Satu")
		}
		if err := app.Save(r); err != nil {
			t.Fatalf("fixture %s: %v", x.collection, err)
		}
		f.targets[x.collection] = r.Id
	}
	for _, x := range []struct {
		collection string
		fields     map[string]any
	}{
		{cannedResponses, map[string]any{"code": "UJI", "title": "Uji", "body": "Teks uji.", "active": true}},
		{caseFiles, map[string]any{"complaint": c.Id, "event_uid": ev.GetString("uid")}},
		{model.SyncInbox, map[string]any{"uid": "u-1", "node": f.targets[model.Nodes], "complaint": c.Id}},
		{model.SyncCopies, map[string]any{"node": f.targets[model.Nodes], "complaint": c.Id}},
		{laporReports, map[string]any{"complaint": conf.Id, "state": "held", "held_reason": "refused"}},
	} {
		col, _ := app.FindCollectionByNameOrId(x.collection)
		r := core.NewRecord(col)
		r.Load(x.fields)
		if err := app.Save(r); err != nil {
			t.Fatalf("fixture %s: %v", x.collection, err)
		}
		f.targets[x.collection] = r.Id
	}
	f.dir = testkit.Snapshot(t, app)
	return f
}

func TestAccessMatrix(t *testing.T) {
	f := buildFixture(t)
	covered := map[string]int{}
	all := make([]targeted, 0, len(matrix)+len(targetedRows))
	for _, r := range matrix {
		all = append(all, targeted{r, r.collection})
		covered[r.collection]++
	}
	for _, tr := range append(all, targetedRows...) {
		r, target := tr.row, tr.target
		for i, role := range roles {
			want := r.want[i]
			id := f.targets[target]
			if id == "" {
				t.Fatalf("no target record for %s", r.collection)
			}
			s := tests.ApiScenario{
				Name:           fmt.Sprintf("%s %s as %s", r.action, target, role),
				TestAppFactory: func(t testing.TB) *tests.TestApp { return testkit.NewFromDir(t, f.dir, testkit.Config()) },
				Headers:        map[string]string{},
			}
			if tok := f.tokens[role]; tok != "" {
				s.Headers["Authorization"] = tok
			}
			base := "/api/collections/" + r.collection + "/records"
			switch r.action {
			case "list":
				s.Method, s.URL = http.MethodGet, base+"?perPage=500"
			case "view":
				s.Method, s.URL = http.MethodGet, base+"/"+id
			case "create":
				body := strings.NewReplacer("{complaint}", f.targets[model.Complaints], "{node}", f.targets[model.Nodes]).Replace(r.body)
				s.Method, s.URL, s.Body = http.MethodPost, base, strings.NewReader(body)
				s.Headers["Content-Type"] = "application/json"
			case "update":
				s.Method, s.URL, s.Body = http.MethodPatch, base+"/"+id, strings.NewReader(r.body)
				s.Headers["Content-Type"] = "application/json"
			case "delete":
				s.Method, s.URL = http.MethodDelete, base+"/"+id
			}
			switch want {
			case ok:
				s.ExpectedStatus = http.StatusOK
				if r.action == "list" || r.action == "view" {
					s.ExpectedContent = []string{`"id":"` + id + `"`}
				} else {
					s.ExpectedContent = []string{`"id":`}
				}
			case hidden:
				s.ExpectedStatus = http.StatusOK
				s.ExpectedContent = []string{`"items":`}
				s.NotExpectedContent = []string{id}
			case made:
				s.ExpectedStatus = http.StatusOK
				s.ExpectedContent = []string{`"id":`}
			case gone:
				s.ExpectedStatus = http.StatusNoContent
			default:
				s.ExpectedStatus = want
				s.ExpectedContent = []string{`"status":` + fmt.Sprint(want)}
			}
			if (r.collection == model.Complaints || r.collection == model.AccessLog) && want != no403 && role != "superuser" {
				// Personal data never comes out of the collection API, for any role.
				s.NotExpectedContent = append(s.NotExpectedContent, "Siti Aminah", "081234567890", "pin_hash", "receipt_token")
			}
			s.Test(t)
		}
	}
	// Every collection the migrations create is in the matrix.
	app := testkit.New(t)
	cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.System || strings.HasPrefix(c.Name, "_") {
			continue
		}
		if covered[c.Name] != 5 {
			t.Errorf("collection %s has %d of 5 actions in the access matrix", c.Name, covered[c.Name])
		}
	}
}

// A staff member may edit their own name but never raise their own role,
// move unit or reactivate themselves.
func TestStaffCannotEscalateThemselves(t *testing.T) {
	app := testkit.NewUnmanaged(t, testkit.Config())
	rec, token := testkit.Staff(t, app, "seksi@simpul.test", model.RoleHandler, "UNIT-A")
	dir := testkit.Snapshot(t, app)
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"role":"admin"}`, 404},
		{`{"unit":""}`, 404},
		{`{"active":true,"name":"x"}`, 404},
		{`{"name":"Nama Sendiri"}`, 200},
	} {
		(&tests.ApiScenario{
			Name:            "self update " + tc.body,
			Method:          http.MethodPatch,
			URL:             "/api/collections/staff/records/" + rec.Id,
			Body:            strings.NewReader(tc.body),
			Headers:         map[string]string{"Authorization": token, "Content-Type": "application/json"},
			TestAppFactory:  func(t testing.TB) *tests.TestApp { return testkit.NewFromDir(t, dir, testkit.Config()) },
			ExpectedStatus:  tc.status,
			ExpectedContent: []string{map[int]string{404: `"status":404`, 200: `"name":"Nama Sendiri"`}[tc.status]},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				got, err := app.FindRecordById(model.Staff, rec.Id)
				if err != nil {
					t.Fatal(err)
				}
				if got.GetString("role") != model.RoleHandler || got.GetString("unit") == "" {
					t.Fatalf("handler changed itself: role %q unit %q", got.GetString("role"), got.GetString("unit"))
				}
			},
		}).Test(t)
	}
}
