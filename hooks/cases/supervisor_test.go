package cases_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// The reporter of the supervisor fixture: every piece of identity a case
// can hold, so that a leak of any of them shows.
var supervisorIdentity = []string{"Siti Aminah", "6281234567001", "siti.aminah@contoh.id", "3201234567890123"}

// supervisorFixture is a kabupaten hub (KAB) with a registered child office
// PKM-A: one case of its own, disposed to its unit UMUM, and one it routed
// to PKM-A (both with an internal disposition note in their timelines);
// a coordinator, a supervisor created as any staff member is (the role is
// a value of staff.role), and their tokens.
type supervisorFixture struct {
	dir                string
	coord, supervisor  string
	local, child       string // tracking codes
	confidentialOfKAB  string
	disposedNote       string
	superuser          string
	complaints, events int
}

func newSupervisorFixture(t *testing.T) *supervisorFixture {
	t.Helper()
	app := testkit.NewUnmanaged(t, testkit.Config())
	defer app.Cleanup()
	clock.Set(app, clock.Fixed(hubNow))
	setOffice(t, app, "KAB", "Dinas Kominfo Kabupaten")
	testkit.Node(t, app, "nodepkma0000001", "PKM-A", "rahasia-a", true)
	f := &supervisorFixture{disposedNote: "Catatan petugas untuk " + model.StatusTerdisposisi}
	withIdentity := func(privacy string) *core.Record {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Privacy: privacy, Reporter: supervisorIdentity[0], Phone: "+" + supervisorIdentity[1]})
		if _, err := app.DB().Update(model.Complaints, dbx.Params{"reporter_email": supervisorIdentity[2],
			"reporter_nik": supervisorIdentity[3]}, dbx.HashExp{"id": rec.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	f.local = withIdentity(model.PrivacyPublic).GetString("tracking_code")
	testkit.Move(t, app, f.local, model.StatusTerdisposisi, "")
	f.child = withIdentity(model.PrivacyPublic).GetString("tracking_code")
	testkit.Move(t, app, f.child, model.StatusTerdisposisi, "PKM-A")
	f.confidentialOfKAB = withIdentity(model.PrivacyConfidential).GetString("tracking_code")
	_, f.coord = testkit.Staff(t, app, "koordinator@kab.test", model.RoleCoordinator, "")
	_, f.supervisor = testkit.Staff(t, app, "inspektorat@kab.test", model.RoleSupervisor, "")
	f.superuser = testkit.SuperuserToken(t, app)
	f.complaints, f.events = rowCount(t, app, model.Complaints), rowCount(t, app, model.ComplaintEvents)
	f.dir = testkit.Snapshot(t, app)
	return f
}

func (f *supervisorFixture) factory(t testing.TB) *tests.TestApp {
	app := testkit.NewFromDir(t, f.dir, testkit.Config())
	clock.Set(app, clock.Fixed(hubNow))
	return app
}

// unchanged fails when a scenario wrote a complaint or a timeline event,
// counted in SQL (intake's prepared INSERT fires no record hook).
func (f *supervisorFixture) unchanged(t testing.TB, app *tests.TestApp, _ *http.Response) {
	if c, e := rowCount(t, app, model.Complaints), rowCount(t, app, model.ComplaintEvents); c != f.complaints || e != f.events {
		t.Errorf("a refused request wrote: complaints %d → %d, events %d → %d", f.complaints, c, f.events, e)
	}
	var status string
	if err := app.DB().Select("status").From(model.Complaints).Where(dbx.HashExp{"tracking_code": f.child}).Row(&status); err != nil || status != model.StatusTerdisposisi {
		t.Errorf("the routed case is %q (%v), want terdisposisi", status, err)
	}
}

func rowCount(t testing.TB, app core.App, table string) int {
	t.Helper()
	var n int
	if err := app.DB().Select("count(*)").From(table).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSupervisorRole (issue 11 item 4): the read-only oversight role —
// pembina, penanggung jawab, Inspektorat — is a staff role; on a hub it
// reads the figures and the case timelines of its own office and of every
// office below, never the reporter's identity, and every attempt to act
// (a move, a follow-up, an edit, opening an identity, a report at the
// counter) is refused with nothing written.
func TestSupervisorRole(t *testing.T) {
	f := newSupervisorFixture(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }
	json := func(tok string) map[string]string {
		return map[string]string{"Authorization": tok, "Content-Type": "application/json"}
	}
	readOnly := map[string]int{"*": 0}
	scenarios := []tests.ApiScenario{
		{Name: "an admin creates a supervisor through the collection API", Method: http.MethodPost,
			URL: "/api/collections/" + model.Staff + "/records", Headers: json(f.superuser),
			Body: strings.NewReader(`{"email":"pembina@kab.test","password":"rahasia-123456","passwordConfirm":"rahasia-123456",` +
				`"name":"Pembina","role":"supervisor","active":true}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"role":"supervisor"`}},
		{Name: "the timeline of a case routed to a child office, without identity", Method: http.MethodGet,
			URL: "/api/staff/complaints/" + f.child, Headers: auth(f.supervisor), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent:    []string{`"tracking_code":"` + f.child + `"`, `"timeline":[`, f.disposedNote, `"allowed_transitions":[]`},
			NotExpectedContent: supervisorIdentity},
		{Name: "the timeline of the hub's own case, without identity", Method: http.MethodGet,
			URL: "/api/staff/complaints/" + f.local, Headers: auth(f.supervisor), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent:    []string{`"tracking_code":"` + f.local + `"`, f.disposedNote, `"allowed_transitions":[]`},
			NotExpectedContent: supervisorIdentity},
		{Name: "a confidential case, without identity", Method: http.MethodGet,
			URL: "/api/staff/complaints/" + f.confidentialOfKAB, Headers: auth(f.supervisor), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent: []string{`"tracking_code":"` + f.confidentialOfKAB + `"`}, NotExpectedContent: supervisorIdentity},
		{Name: "every office's open cases and counts (oversight)", Method: http.MethodGet,
			URL: "/api/staff/oversight", Headers: auth(f.supervisor), ExpectedStatus: 200, ExpectedEvents: readOnly,
			ExpectedContent:    []string{`"tracking_code":"` + f.child + `"`, `"code":"PKM-A"`, `"code":"KAB"`},
			NotExpectedContent: supervisorIdentity},
		{Name: "the figures", Method: http.MethodGet, URL: "/api/stats", Headers: auth(f.supervisor),
			ExpectedStatus: 200, ExpectedEvents: readOnly, ExpectedContent: []string{`"received":3`, `"capaian_tindak_lanjut"`}},
		{Name: "the monthly report", Method: http.MethodGet, URL: "/api/stats/monthly.pdf?month=2026-11", Headers: auth(f.supervisor),
			ExpectedStatus: 200, ExpectedEvents: readOnly, ExpectedContent: []string{"%PDF-"}},
		{Name: "no move", Method: http.MethodPost, URL: "/api/complaints/" + f.local + "/transitions", Headers: json(f.supervisor),
			Body:           strings.NewReader(`{"to":"bukan_wewenang","note":"Bukan urusan kami"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly, AfterTestFunc: f.unchanged},
		{Name: "no re-routing of a child office's case", Method: http.MethodPost, URL: "/api/complaints/" + f.child + "/transitions",
			Headers: json(f.supervisor), Body: strings.NewReader(`{"to":"terdisposisi","unit":"UMUM"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly, AfterTestFunc: f.unchanged},
		{Name: "no follow-up", Method: http.MethodPost, URL: "/api/complaints/" + f.local + "/followups", Headers: json(f.supervisor),
			Body:           strings.NewReader(`{"note":"Jalan sudah ditambal."}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly, AfterTestFunc: f.unchanged},
		{Name: "no edit", Method: http.MethodPost, URL: "/api/complaints/" + f.local + "/edit", Headers: json(f.supervisor),
			Body:           strings.NewReader(`{"title":"Judul lain","note":"perbaikan"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: readOnly, AfterTestFunc: f.unchanged},
		{Name: "no identity opened, even with a reason", Method: http.MethodPost,
			URL: "/api/staff/complaints/" + f.confidentialOfKAB + "/identity", Headers: json(f.supervisor),
			Body:           strings.NewReader(`{"reason":"Pemeriksaan Inspektorat"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: supervisorIdentity,
			ExpectedEvents: readOnly, AfterTestFunc: f.unchanged},
		{Name: "no report taken in at the counter", Method: http.MethodPost, URL: "/api/complaints", Headers: json(f.supervisor),
			Body: strings.NewReader(`{"type":"pengaduan","title":"Lampu jalan mati","body":"Lampu jalan di depan pasar mati sejak seminggu.",` +
				`"category":"LAIN","privacy":"public","reporter_name":"Budi","reporter_phone":"081234567002"}`),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: []string{`"tracking_code"`},
			AfterTestFunc: f.unchanged},
		// The coordinator still acts: the refusals above are the role's.
		{Name: "a coordinator's move on the same case", Method: http.MethodPost, URL: "/api/complaints/" + f.local + "/transitions",
			Headers: json(f.coord), Body: strings.NewReader(`{"to":"proses","note":"Sedang dikerjakan"}`),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"proses"`}, ExpectedEvents: map[string]int{"OnRecordUpdate": 1}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = f.factory
		s.Test(t)
	}
}

// The digest's row of one case: its code and the office heading above it.
func digestOffice(text, code string) string {
	head := ""
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "- ") && strings.Contains(line, "): ") {
			head = line
		}
		if strings.HasPrefix(line, "- "+code+" ") {
			return head
		}
	}
	return ""
}

// TestOverdueDigestPerOffice (issue 11 item 4): on a hub, the overdue
// digest lists only open cases past their deadline, under the office that
// handles each (this office first, then each office below by code, with
// its count); a closed, archived or bukan_wewenang case whose row still
// carries a passed deadline is never listed. Coordinators, admins and
// supervisors get it; handlers do not; it carries no reporter data.
func TestOverdueDigestPerOffice(t *testing.T) {
	app := testkit.NewUnmanaged(t, testkit.Config())
	defer app.Cleanup()
	clock.Set(app, clock.Fixed(hubNow))
	setOffice(t, app, "KAB", "Dinas Kominfo Kabupaten")
	testkit.Node(t, app, "nodepkma0000001", "PKM-A", "rahasia-a", true)
	testkit.Staff(t, app, "koordinator@kab.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "admin@kab.test", model.RoleAdmin, "")
	testkit.Staff(t, app, "inspektorat@kab.test", model.RoleSupervisor, "")
	testkit.Staff(t, app, "unit@kab.test", model.RoleHandler, "UMUM")
	day := func(d int) string { return hubNow.AddDate(0, 0, d).UTC().Format("2006-01-02 15:04:05.000Z") }
	codes := map[string]string{}
	for _, c := range []struct{ name, office, officeName, status, due string }{
		{"kab-late", "KAB", "", model.StatusProses, day(-2)},
		{"kab-closed-stale", "KAB", "", model.StatusSelesai, day(-5)},
		{"kab-fine", "KAB", "", model.StatusTerdisposisi, day(3)},
		{"a-late", "PKM-A", "Puskesmas A", model.StatusTerdisposisi, day(-1)},
		{"a-later", "PKM-A", "Puskesmas A", model.StatusBaru, day(-4)},
		{"a-archived-stale", "PKM-A", "Puskesmas A", model.StatusDiarsipkan, day(-4)},
		{"a-elsewhere-stale", "PKM-A", "Puskesmas A", model.StatusBukanWewenang, day(-6)},
		{"b-late", "PKM-B", "Puskesmas B", model.StatusTertunda, day(-6)},
	} {
		rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: c.status, Reporter: "Siti Aminah", Phone: "+6281234567001"})
		if _, err := app.DB().Update(model.Complaints, dbx.Params{"office": c.office, "office_name": c.officeName,
			"due_at": c.due}, dbx.HashExp{"id": rec.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		codes[c.name] = rec.GetString("tracking_code")
	}
	app.Settings().SMTP.Enabled = true
	n, err := cases.SendOverdueDigest(app, hubNow)
	if err != nil || n != 3 || app.TestMailer.TotalSend() != 3 {
		t.Fatalf("digest: %d sent (%v), mailer %d; want 3 (coordinator, admin, supervisor)", n, err, app.TestMailer.TotalSend())
	}
	for _, m := range app.TestMailer.Messages() {
		if m.To[0].Address == "unit@kab.test" {
			t.Error("a handler got the digest")
		}
	}
	msg := app.TestMailer.LastMessage()
	text := msg.Text
	if !strings.Contains(msg.Subject, "4 laporan") || !strings.Contains(text, ": 4\n") {
		t.Errorf("the digest counts other than the 4 open overdue cases: %q\n%s", msg.Subject, text)
	}
	for name, office := range map[string]string{
		"kab-late": "Dinas Kominfo Kabupaten (KAB): 1",
		"a-late":   "Puskesmas PKM-A (PKM-A): 2",
		"a-later":  "Puskesmas PKM-A (PKM-A): 2",
		"b-late":   "Puskesmas B (PKM-B): 1",
	} {
		if got := digestOffice(text, codes[name]); got != office {
			t.Errorf("%s is under %q, want %q:\n%s", name, got, office, text)
		}
	}
	for _, name := range []string{"kab-closed-stale", "kab-fine", "a-archived-stale", "a-elsewhere-stale"} {
		if strings.Contains(text, codes[name]) {
			t.Errorf("the digest lists %s:\n%s", name, text)
		}
	}
	// This office first, then the others by code; within one, the
	// earliest deadline first.
	if k, a, b := strings.Index(text, "(KAB)"), strings.Index(text, "(PKM-A)"), strings.Index(text, "(PKM-B)"); !(k < a && a < b) {
		t.Errorf("offices out of order:\n%s", text)
	}
	if strings.Index(text, codes["a-later"]) > strings.Index(text, codes["a-late"]) {
		t.Errorf("within PKM-A the earlier deadline is not first:\n%s", text)
	}
	for _, s := range []string{"Siti", "6281234567001", "Jalan rusak", "Lubang"} {
		if strings.Contains(text, s) {
			t.Errorf("the digest carries reporter data or complaint text (%q):\n%s", s, text)
		}
	}
}
