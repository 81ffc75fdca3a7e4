package cases_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

// staffSpec is who acts in a scenario; role "" means no auth.
type staffSpec struct{ role, unit string }

type transitionCase struct {
	name    string
	actor   staffSpec
	fixture testkit.ComplaintSpec
	body    string
	status  int
	content []string
	events  map[string]int
	// after checks the database; code is the complaint's tracking code.
	after func(t testing.TB, app *tests.TestApp, code string)
}

func eventCount(t testing.TB, app core.App, code string) int {
	t.Helper()
	c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatal(err)
	}
	n, err := app.CountRecords(model.ComplaintEvents, dbx.HashExp{"complaint": c.Id})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func complaintBy(t testing.TB, app core.App, code string) *core.Record {
	t.Helper()
	c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// unchanged asserts a refused move left status and timeline alone.
func unchanged(status string) func(testing.TB, *tests.TestApp, string) {
	return func(t testing.TB, app *tests.TestApp, code string) {
		c := complaintBy(t, app, code)
		if got := c.GetString("status"); got != status {
			t.Fatalf("status = %s, want unchanged %s", got, status)
		}
		if n := eventCount(t, app, code); n != 1 {
			t.Fatalf("timeline has %d events, want only the created one", n)
		}
	}
}

func runTransitionCases(t *testing.T, cases []transitionCase) {
	for _, tc := range cases {
		if tc.content == nil {
			tc.content = []string{`"status":`}
		}
		var code string
		s := &tests.ApiScenario{
			Name:            tc.name,
			Method:          http.MethodPost,
			Body:            strings.NewReader(tc.body),
			ExpectedStatus:  tc.status,
			ExpectedContent: tc.content,
			ExpectedEvents:  tc.events,
		}
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			s.Headers = map[string]string{"Content-Type": "application/json"}
			if tc.actor.role != "" {
				_, tok := testkit.Staff(t, app, "actor@simpul.test", tc.actor.role, tc.actor.unit)
				s.Headers["Authorization"] = tok
			}
			c := testkit.Complaint(t, app, tc.fixture)
			code = c.GetString("tracking_code")
			s.URL = "/api/complaints/" + code + "/transitions"
			return app
		}
		if tc.after != nil {
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) { tc.after(t, app, code) }
		}
		s.Test(t)
	}
}

func TestTransitionRoute(t *testing.T) {
	coordinator := staffSpec{model.RoleCoordinator, ""}
	// The complaint is saved through PocketBase (its hooks guard the
	// status); its timeline row and outbox row are plain INSERTs
	// (hooks/events), checked in the database by the "after" functions.
	moved := map[string]int{"OnRecordUpdate": 1, "OnRecordCreate": 0}
	runTransitionCases(t, []transitionCase{
		{name: "no auth is 401", fixture: testkit.ComplaintSpec{},
			body: `{"to":"terdisposisi","unit":"UMUM"}`, status: 401, after: unchanged(model.StatusBaru)},
		{name: "coordinator disposes to a unit", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"terdisposisi","unit":"umum","note":"Mohon ditindaklanjuti"}`, status: 200,
			content: []string{`"status":"terdisposisi"`, `"due_at":"2`},
			// the move, then the internal note: two events and two outbox
			// rows, written as plain INSERTs (counted below)
			events: map[string]int{"OnRecordUpdate": 1, "OnRecordCreate": 0},
			after: func(t testing.TB, app *tests.TestApp, code string) {
				c := complaintBy(t, app, code)
				if c.GetString("unit") == "" || c.GetString("followup_due_at") == "" || c.GetString("disposed_at") == "" {
					t.Fatalf("disposition fields not set: unit=%q followup_due_at=%q", c.GetString("unit"), c.GetString("followup_due_at"))
				}
				if c.GetString("due_at") != c.GetString("followup_due_at") {
					t.Fatalf("due_at %s should be the follow-up deadline %s", c.GetString("due_at"), c.GetString("followup_due_at"))
				}
				evs, _ := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": c.Id})
				if len(evs) != 3 {
					t.Fatalf("want created, transition and note events, got %d", len(evs))
				}
				tr, note := evs[1], evs[2]
				if tr.GetString("kind") != model.EventTransition || tr.GetString("from_status") != "baru" ||
					tr.GetString("to_status") != "terdisposisi" || !tr.GetBool("public") || tr.GetString("actor") == "" || tr.GetString("note") != "" {
					t.Fatalf("transition event wrong: %v", tr.FieldsData())
				}
				if note.GetString("kind") != model.EventNote || note.GetBool("public") || note.GetString("note") != "Mohon ditindaklanjuti" {
					t.Fatalf("the disposition note must be internal: %v", note.FieldsData())
				}
				if n, _ := app.CountRecords(model.SyncOutbox, dbx.HashExp{"complaint": c.Id, "status": model.OutboxPending}); n != 3 {
					t.Fatalf("%d outbox rows, want one per event (3)", n)
				}
				if _, err := events.Verify(app); err != nil {
					t.Fatalf("chain: %v", err)
				}
			}},
		{name: "illegal move is 400 and changes nothing", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"selesai"}`, status: 400, content: []string{`"status":400`, `tidak dapat diubah`, `cannot move`, `"to":{"code":"illegal_transition"`},
			after: unchanged(model.StatusBaru)},
		{name: "unknown status is 400", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"hapus"}`, status: 400, after: unchanged(model.StatusBaru)},
		{name: "front desk may not dispose", actor: staffSpec{model.RoleFrontdesk, ""}, fixture: testkit.ComplaintSpec{},
			body: `{"to":"terdisposisi","unit":"UMUM"}`, status: 403, after: unchanged(model.StatusBaru)},
		{name: "handler may not verify even in own unit", actor: staffSpec{model.RoleHandler, "UMUM"}, fixture: testkit.ComplaintSpec{Unit: "UMUM"},
			body: `{"to":"terdisposisi","unit":"UMUM"}`, status: 403, content: []string{`"status":403`}, after: unchanged(model.StatusBaru)},
		{name: "handler of another unit is 403", actor: staffSpec{model.RoleHandler, "KES"},
			fixture: testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusTerdisposisi},
			body:    `{"to":"proses","note":"x"}`, status: 403, after: unchanged(model.StatusTerdisposisi)},
		{name: "handler of the unit follows up", actor: staffSpec{model.RoleHandler, "UMUM"},
			fixture: testkit.ComplaintSpec{Unit: "UMUM", Status: model.StatusTerdisposisi},
			body:    `{"to":"proses","note":"Sudah diperbaiki"}`, status: 200, events: moved,
			after: func(t testing.TB, app *tests.TestApp, code string) {
				c := complaintBy(t, app, code)
				if c.GetString("autoclose_at") == "" || c.GetString("first_followup_at") == "" {
					t.Fatal("follow-up dates not set")
				}
			}},
		{name: "archive needs a reason", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"diarsipkan"}`, status: 400, content: []string{`"reason":{"code":"reason_required"`}, after: unchanged(model.StatusBaru)},
		{name: "duplicate needs an existing original", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"diarsipkan","reason":"duplicate","duplicate_of":"0000-0000-000"}`, status: 400,
			content: []string{`"duplicate_of":{"code":"unknown_duplicate"`}, after: unchanged(model.StatusBaru)},
		{name: "postpone needs a note the reporter sees", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"tertunda"}`, status: 400, content: []string{`"note":{"code":"note_required"`}, after: unchanged(model.StatusBaru)},
		{name: "disposition to an unknown unit", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"terdisposisi","unit":"NOPE"}`, status: 400, content: []string{`"unit":{"code":"unknown_unit"`}, after: unchanged(model.StatusBaru)},
		{name: "malformed JSON", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":`, status: 400, after: unchanged(model.StatusBaru)},
		{name: "unknown field", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"tertunda","note":"x","status":"selesai"}`, status: 400, after: unchanged(model.StatusBaru)},
		{name: "oversized body", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"tertunda","note":"` + strings.Repeat("a", 70<<10) + `"}`, status: 413, after: unchanged(model.StatusBaru)},
		{name: "note too long", actor: coordinator, fixture: testkit.ComplaintSpec{},
			body: `{"to":"tertunda","note":"` + strings.Repeat("a", 6000) + `"}`, status: 400, after: unchanged(model.StatusBaru)},
	})
}

func TestTransitionUnknownCode(t *testing.T) {
	s := &tests.ApiScenario{Method: http.MethodPost, URL: "/api/complaints/ZZZZ-ZZZZ-ZZZ/transitions",
		Body: strings.NewReader(`{"to":"tertunda","note":"x"}`), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}}
	s.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := testkit.NewUnmanaged(t, testkit.Config())
		_, tok := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
		s.Headers = map[string]string{"Authorization": tok}
		return app
	}
	s.Test(t)
}

func TestDuplicateLink(t *testing.T) {
	app := testkit.New(t)
	orig := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	dup := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	coord, _ := testkit.Staff(t, app, "c@simpul.test", model.RoleCoordinator, "")
	actor := cases.StaffActor(coord, "TEST")
	err := app.RunInTransaction(func(tx core.App) error {
		return cases.Transition(tx, dup, actor, cases.Request{To: model.StatusDiarsipkan, Reason: "duplicate",
			DuplicateOf: strings.ToLower(strings.ReplaceAll(orig.GetString("tracking_code"), "-", ""))})
	})
	if err != nil {
		t.Fatal(err)
	}
	dup = complaintBy(t, app, dup.GetString("tracking_code"))
	if dup.GetString("duplicate_of") != orig.Id || dup.GetString("reason") != "duplicate" || dup.GetString("due_at") != "" {
		t.Fatalf("duplicate not linked: %v", dup.FieldsData())
	}
	d, err := cases.View(app, actor, orig, clock.Now(app))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Duplicates) != 1 || d.Duplicates[0] != dup.GetString("tracking_code") {
		t.Fatalf("original does not list its duplicate: %v", d.Duplicates)
	}
	// A report cannot be its own duplicate.
	other := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	err = app.RunInTransaction(func(tx core.App) error {
		return cases.Transition(tx, other, actor, cases.Request{To: model.StatusDiarsipkan, Reason: "duplicate", DuplicateOf: other.GetString("tracking_code")})
	})
	if err == nil || !strings.Contains(err.Error(), "itself") {
		t.Fatalf("self-duplicate: %v", err)
	}
}

// TestStatusGuard: the status cannot change any other way than Transition.
func TestStatusGuard(t *testing.T) {
	t.Run("superuser PATCH through the collection API", func(t *testing.T) {
		var code string
		s := &tests.ApiScenario{Method: http.MethodPatch, Body: strings.NewReader(`{"status":"selesai"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`transitions`}}
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
			code = c.GetString("tracking_code")
			s.URL = "/api/collections/complaints/records/" + c.Id
			s.Headers = map[string]string{"Authorization": testkit.SuperuserToken(t, app), "Content-Type": "application/json"}
			return app
		}
		s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) { unchanged(model.StatusBaru)(t, app, code) }
		s.Test(t)
	})
	t.Run("superuser PATCH of other fields still works", func(t *testing.T) {
		s := &tests.ApiScenario{Method: http.MethodPatch, Body: strings.NewReader(`{"location":"Jl. Merdeka 1"}`), ExpectedStatus: 200,
			ExpectedContent: []string{`"location":"Jl. Merdeka 1"`, `"status":"baru"`}}
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := testkit.NewUnmanaged(t, testkit.Config())
			c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
			s.URL = "/api/collections/complaints/records/" + c.Id
			s.Headers = map[string]string{"Authorization": testkit.SuperuserToken(t, app), "Content-Type": "application/json"}
			return app
		}
		s.Test(t)
	})
	t.Run("Go code saving a new status", func(t *testing.T) {
		app := testkit.New(t)
		c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
		c.Set("status", model.StatusSelesai)
		if err := app.Save(c); !errors.Is(err, cases.ErrStatusGuard) {
			t.Fatalf("want ErrStatusGuard, got %v", err)
		}
		if got := complaintBy(t, app, c.GetString("tracking_code")).GetString("status"); got != model.StatusBaru {
			t.Fatalf("status changed to %s", got)
		}
	})
	t.Run("Transition outside a transaction", func(t *testing.T) {
		app := testkit.New(t)
		c := testkit.Complaint(t, app, testkit.ComplaintSpec{})
		err := cases.Transition(app, c, cases.Actor{Role: model.RoleAdmin}, cases.Request{To: model.StatusTertunda, Note: "x"})
		if err == nil {
			t.Fatal("Transition must refuse to run outside a transaction")
		}
	})
}
