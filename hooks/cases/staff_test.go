package cases_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/ui/testkit"
)

// TestStaffAccess checks who sees which complaint and which reporter
// fields, per role, in lists and in the detail view.
func TestStaffAccess(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	fd, fdTok := testkit.Staff(t, app, "fd@simpul.test", model.RoleFrontdesk, "")
	_, hTok := testkit.Staff(t, app, "h@simpul.test", model.RoleHandler, "UMUM")
	_, h2Tok := testkit.Staff(t, app, "h2@simpul.test", model.RoleHandler, "KES")
	_, coordTok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	_, adminTok := testkit.Staff(t, app, "a@simpul.test", model.RoleAdmin, "")

	pub := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Reporter: "Siti Aminah", Phone: "+6281234567890", CreatedBy: fd.Id})
	setField(t, app, pub, "reporter_email", "siti@contoh.id")
	conf := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Privacy: model.PrivacyConfidential, Reporter: "Rahmat Hidayat", Phone: "+6289999999999"})
	anon := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UMUM", Privacy: model.PrivacyAnonymous})
	other := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "KES", Reporter: "Ketut Arya"})

	list := func(tok, query string) (int, map[string]any, []map[string]any) {
		st, out := c.json("GET", "/api/staff/complaints"+query, tok, "")
		var items []map[string]any
		if arr, ok := out["items"].([]any); ok {
			for _, it := range arr {
				items = append(items, it.(map[string]any))
			}
		}
		return st, out, items
	}
	codes := func(items []map[string]any) map[string]bool {
		m := map[string]bool{}
		for _, it := range items {
			m[it["tracking_code"].(string)] = true
		}
		return m
	}
	code := func(r interface{ GetString(string) string }) string { return r.GetString("tracking_code") }

	if st, _, _ := list("", "?queue=all"); st != 401 {
		t.Fatalf("no auth: %d", st)
	}
	// Coordinators and admins see everything; lists never carry phone or e-mail.
	for _, tok := range []string{coordTok, adminTok} {
		st, out, items := list(tok, "?queue=all")
		if st != 200 || len(items) != 4 {
			t.Fatalf("coordinator/admin list: %d, %d items", st, len(items))
		}
		body := raw(out)
		for _, secret := range []string{"+628", "siti@contoh.id", "reporter_phone", "reporter_email"} {
			if strings.Contains(body, secret) {
				t.Fatalf("a list shows %q", secret)
			}
		}
		// A list cannot ask why: a confidential reporter is in no list.
		if strings.Contains(body, "Rahmat Hidayat") || !strings.Contains(body, "Siti Aminah") {
			t.Fatal("coordinators see public reporters' names in lists, never a confidential one")
		}
	}
	// A handler sees their unit only, and not a confidential report's reporter.
	_, out, items := list(hTok, "?queue=all")
	got := codes(items)
	if len(items) != 3 || got[code(other)] || !got[code(conf)] {
		t.Fatalf("handler list: %v", got)
	}
	if strings.Contains(raw(out), "Rahmat") || !strings.Contains(raw(out), "Siti Aminah") {
		t.Fatal("handler list privacy wrong")
	}
	// Asking for another unit's queue does not widen the scope.
	if _, _, items := list(hTok, "?queue=all&unit=KES"); len(items) != 0 {
		t.Fatalf("handler saw %d reports of another unit", len(items))
	}
	if _, _, items := list(h2Tok, "?queue=all"); len(items) != 1 || items[0]["tracking_code"] != code(other) {
		t.Fatalf("the KES handler's list: %v", items)
	}
	// Front desk sees what they took in.
	if _, _, items := list(fdTok, "?queue=all"); len(items) != 1 || items[0]["tracking_code"] != code(pub) {
		t.Fatalf("front desk list: %v", items)
	}

	// Detail views.
	view := func(tok string, r interface{ GetString(string) string }) (int, map[string]any) {
		return c.json("GET", "/api/staff/complaints/"+code(r), tok, "")
	}
	if st, _ := view(h2Tok, pub); st != 403 {
		t.Fatalf("another unit's handler viewing: %d", st)
	}
	if st, _ := view(fdTok, conf); st != 403 {
		t.Fatalf("front desk viewing what they did not take in: %d", st)
	}
	st, d := view(hTok, pub)
	if st != 200 || d["reporter"] == nil || !strings.Contains(raw(d["reporter"]), "+6281234567890") {
		t.Fatalf("handler sees a public report's reporter: %d %v", st, d["reporter"])
	}
	if tl, _ := d["timeline"].([]any); len(tl) != 1 {
		t.Fatalf("timeline: %v", d["timeline"])
	}
	if st, d := view(hTok, conf); st != 200 || d["reporter"] != nil || strings.Contains(raw(d), "Rahmat") {
		t.Fatalf("handler must not see a confidential reporter: %v", d["reporter"])
	}
	// A coordinator may know a confidential reporter, but opens the
	// identity on purpose, with a reason, and the reading is logged.
	if st, d := view(coordTok, conf); st != 200 || d["reporter"] != nil || d["identity_hidden"] != true || strings.Contains(raw(d), "Rahmat") {
		t.Fatalf("coordinator's view of a confidential report: %v %v", d["reporter"], d["identity_hidden"])
	}
	reveal := "/api/staff/complaints/" + code(conf) + "/identity"
	if st, _ := c.json("POST", reveal, coordTok, `{"reason":""}`); st != 400 {
		t.Fatalf("reveal without a reason: %d", st)
	}
	if st, _ := c.json("POST", reveal, hTok, `{"reason":"Perlu menghubungi pelapor"}`); st != 403 {
		t.Fatalf("a handler revealing: %d", st)
	}
	if st, d := c.json("POST", reveal, coordTok, `{"reason":"Perlu menghubungi pelapor"}`); st != 200 || !strings.Contains(raw(d["reporter"]), "Rahmat Hidayat") {
		t.Fatalf("coordinator reveals a confidential reporter: %d %v", st, d)
	}
	var reads []struct {
		Reason string `db:"reason"`
		Role   string `db:"actor_role"`
	}
	if err := app.DB().NewQuery("SELECT reason, actor_role FROM access_log WHERE action = 'identity_read' AND complaint = {:c}").
		Bind(dbx.Params{"c": conf.Id}).All(&reads); err != nil {
		t.Fatal(err)
	}
	if len(reads) != 1 || reads[0].Reason != "Perlu menghubungi pelapor" || reads[0].Role != model.RoleCoordinator {
		t.Fatalf("the identity read is not logged once with its reason: %+v", reads)
	}
	// Coordinators see who looked.
	if _, d := view(coordTok, conf); !strings.Contains(raw(d["access_log"]), "Perlu menghubungi pelapor") {
		t.Fatalf("the coordinator's view lacks the access log: %v", d["access_log"])
	}
	if _, d := view(hTok, conf); d["access_log"] != nil {
		t.Fatalf("a handler sees the access log: %v", d["access_log"])
	}
	if _, d := view(adminTok, anon); d["reporter"] != nil {
		t.Fatalf("an anonymous report has no reporter: %v", d["reporter"])
	}
	if _, d := view(hTok, pub); !strings.Contains(raw(d["allowed_transitions"]), "[]") && d["allowed_transitions"] != nil {
		t.Fatalf("a handler cannot verify: %v", d["allowed_transitions"])
	}
	if _, d := view(coordTok, pub); !strings.Contains(raw(d["allowed_transitions"]), "terdisposisi") {
		t.Fatalf("a coordinator may dispose: %v", d["allowed_transitions"])
	}
}

func TestStaffQueues(t *testing.T) {
	app := testkit.New(t)
	c := client{t, testkit.Serve(t, app)}
	_, tok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	baru := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	setField(t, app, baru, "due_at", endOf(2020, 1, 2)) // long overdue
	tunda := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTertunda})
	unit := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusTerdisposisi, Unit: "UMUM"})
	setField(t, app, unit, "due_at", endOf(2099, 1, 2))
	done := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusSelesai})

	cases := []struct {
		query string
		want  []string
	}{
		{"?queue=verify", []string{baru.GetString("tracking_code")}},
		{"?queue=postponed", []string{tunda.GetString("tracking_code")}},
		{"?queue=unit", []string{unit.GetString("tracking_code")}},
		{"?queue=overdue", []string{baru.GetString("tracking_code")}},
		{"?queue=closed", []string{done.GetString("tracking_code")}},
		{"", []string{baru.GetString("tracking_code"), unit.GetString("tracking_code")}}, // open, nearest deadline first
		{"?queue=all&q=" + strings.ToLower(done.GetString("tracking_code")), []string{done.GetString("tracking_code")}},
		{"?queue=all&q=" + "lubang+%22OR%22+tidakada", nil}, // every word is required; FTS5 syntax is text
		{"?queue=all&q=" + "Lubang+JALAN", []string{baru.GetString("tracking_code"), tunda.GetString("tracking_code"),
			unit.GetString("tracking_code"), done.GetString("tracking_code")}}, // body and title, any case, equal rank: oldest first
		{"?queue=all&status=tertunda", []string{tunda.GetString("tracking_code")}},
		{"?queue=all&category=LAIN&perPage=2&page=2", nil},
	}
	for _, tc := range cases {
		st, out := c.json("GET", "/api/staff/complaints"+tc.query, tok, "")
		if st != 200 {
			t.Fatalf("%s: %d %v", tc.query, st, out)
		}
		items, _ := out["items"].([]any)
		if tc.want == nil && tc.query == "?queue=all&category=LAIN&perPage=2&page=2" {
			if len(items) != 2 || out["hasMore"] != false {
				t.Fatalf("%s: %d items, hasMore %v", tc.query, len(items), out["hasMore"])
			}
			continue
		}
		var got []string
		for _, it := range items {
			got = append(got, it.(map[string]any)["tracking_code"].(string))
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Fatalf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}
	if st, _ := c.json("GET", "/api/staff/complaints?queue=nope", tok, ""); st != 400 {
		t.Fatalf("unknown queue: %d", st)
	}
}

// TestStaffListScenario: the list route as an ApiScenario (no auth, a
// non-staff token).
func TestStaffListScenario(t *testing.T) {
	(&tests.ApiScenario{Name: "guest", Method: http.MethodGet, URL: "/api/staff/complaints",
		ExpectedStatus: 401, ExpectedContent: []string{`"status":401`},
		TestAppFactory: testkit.Factory(nil)}).Test(t)
}

// staffScenario is a GET of the staff API as the staff member email (the
// fixture setup made them), after setup.
func staffScenario(name, email string, setup func(t testing.TB, app *tests.TestApp) string, want, notWant []string) *tests.ApiScenario {
	if len(want) == 0 {
		want = []string{"tracking_code"}
	}
	s := &tests.ApiScenario{Name: name, Method: http.MethodGet, ExpectedStatus: 200, ExpectedContent: want, NotExpectedContent: notWant}
	s.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := testkit.NewUnmanaged(t, testkit.Config())
		s.URL = setup(t, app)
		staff, err := app.FindAuthRecordByEmail(model.Staff, email)
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := staff.NewAuthToken()
		s.Headers = map[string]string{"Authorization": tok}
		return app
	}
	return s
}

// Duplicates name only the reports the viewer may see (review item 12):
// a handler's view of a report never names another unit's duplicate.
func TestDuplicatesOnlyWhatTheViewerMaySee(t *testing.T) {
	codes := map[string]string{}
	setup := func(path string) func(t testing.TB, app *tests.TestApp) string {
		return func(t testing.TB, app *tests.TestApp) string {
			testkit.Staff(t, app, "a@simpul.test", model.RoleHandler, "UNIT-A")
			testkit.Staff(t, app, "b@simpul.test", model.RoleHandler, "UNIT-B")
			testkit.Staff(t, app, "k@simpul.test", model.RoleCoordinator, "")
			x := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A"})
			y := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-B", Status: model.StatusDiarsipkan})
			z := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Status: model.StatusDiarsipkan})
			setField(t, app, y, "duplicate_of", x.Id)
			setField(t, app, z, "duplicate_of", x.Id)
			codes["x"], codes["y"], codes["z"] = x.GetString("tracking_code"), y.GetString("tracking_code"), z.GetString("tracking_code")
			return "/api/staff/complaints/" + codes[path]
		}
	}
	// The scenarios' expectations need the codes, which exist only once the
	// app does: check them after the request.
	check := func(s *tests.ApiScenario, want, notWant []string) *tests.ApiScenario {
		s.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := res.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			for _, k := range want {
				if !strings.Contains(b.String(), codes[k]) {
					t.Errorf("%s: the answer lacks %s (%s)", s.Name, k, codes[k])
				}
			}
			for _, k := range notWant {
				if strings.Contains(b.String(), codes[k]) {
					t.Errorf("%s: the answer names %s (%s), another unit's report", s.Name, k, codes[k])
				}
			}
		}
		return s
	}
	check(staffScenario("unit A's handler views the original", "a@simpul.test", setup("x"), nil, nil), []string{"x", "z"}, []string{"y"}).Test(t)
	check(staffScenario("unit B's handler views its duplicate", "b@simpul.test", setup("y"), nil, nil), []string{"y"}, []string{"x"}).Test(t)
	check(staffScenario("the coordinator views the original", "k@simpul.test", setup("x"), nil, nil), []string{"x", "y", "z"}, nil).Test(t)
}

// A confidential reporter's own reply (which names them) is for those who
// may know the reporter (review item 4): the unit's handler sees that a
// reply came, not its words, in the staff API and the events export; the
// coordinator reads it.
func TestConfidentialReplyWithheldFromHandlers(t *testing.T) {
	const words = "Saya Rahmat dari RT 3, rumah cat biru"
	setup := func(path string) func(t testing.TB, app *tests.TestApp) string {
		return func(t testing.TB, app *tests.TestApp) string {
			testkit.Staff(t, app, "a@simpul.test", model.RoleHandler, "UNIT-A")
			testkit.Staff(t, app, "k@simpul.test", model.RoleCoordinator, "")
			c := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "UNIT-A", Privacy: model.PrivacyConfidential,
				Status: model.StatusProses})
			err := app.RunInTransaction(func(tx core.App) error {
				_, err := events.Append(tx, c, events.Event{Kind: model.EventReply, ActorType: "reporter", ActorName: "Pelapor", Note: words})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if path == "export" {
				return "/api/exports/events.csv"
			}
			return "/api/staff/complaints/" + c.GetString("tracking_code")
		}
	}
	staffScenario("handler, staff API", "a@simpul.test", setup("view"), []string{`"kind":"reply"`, `"withheld":true`}, []string{words}).Test(t)
	staffScenario("handler, events export", "a@simpul.test", setup("export"), []string{"reply"}, []string{words}).Test(t)
	staffScenario("coordinator, staff API", "k@simpul.test", setup("view"), []string{words}, []string{`"withheld":true`}).Test(t)
	staffScenario("coordinator, events export", "k@simpul.test", setup("export"), []string{words}, nil).Test(t)
}
