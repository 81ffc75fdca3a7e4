package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// TestOversightPage: on a kabupaten hub (KAB, children PKM-A and PKM-Z),
// the desk's queues list the hub's own work; /staf/pengawasan lists the
// open cases other offices handle, by office, to coordinators, admins and
// supervisors only. A child office's case may be re-routed by the hub's
// coordinator; a copy of a case an office that is not a child handles is
// read-only (409); a supervisor sees every case and acts on none.
func TestOversightPage(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	o, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	o.Set("code", "KAB")
	o.Set("name", "Dinas Kominfo Kabupaten")
	if err := app.Save(o); err != nil {
		t.Fatal(err)
	}
	testkit.Node(t, app, "nodepkma0000001", "PKM-A", "rahasia-a", true)
	testkit.Node(t, app, "nodepkmz0000001", "PKM-Z", "rahasia-z", true)
	testkit.Staff(t, app, "koordinator@kab.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "unit@kab.test", model.RoleHandler, "UMUM")
	testkit.Staff(t, app, "inspektorat@kab.test", model.RoleSupervisor, "")

	local := testkit.Complaint(t, app, testkit.ComplaintSpec{}).GetString("tracking_code")
	// Routed by the hub to its child PKM-A.
	atA := testkit.Complaint(t, app, testkit.ComplaintSpec{}).GetString("tracking_code")
	testkit.Move(t, app, atA, model.StatusTerdisposisi, "PKM-A")
	// A copy of a case PKM-B handles (an office that is not this hub's child).
	atB := testkit.Complaint(t, app, testkit.ComplaintSpec{Status: model.StatusProses}).GetString("tracking_code")
	if _, err := app.DB().Update(model.Complaints, dbx.Params{"office": "PKM-B", "office_name": "Puskesmas B"},
		dbx.HashExp{"tracking_code": atB}).Execute(); err != nil {
		t.Fatal(err)
	}
	// Every open case has a deadline (intake and sync set one).
	if _, err := app.DB().Update(model.Complaints, dbx.Params{"due_at": "2099-01-01 00:00:00.000Z"}, nil).Execute(); err != nil {
		t.Fatal(err)
	}
	office := func(code string) (string, string) {
		c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		if err != nil {
			t.Fatal(err)
		}
		return c.GetString("office"), c.GetString("status")
	}

	coord := newDeskClient(t, srv.URL)
	coord.login("koordinator@kab.test")
	st, body := coord.get("/staf?queue=open")
	if st != 200 || !strings.Contains(body, local) || strings.Contains(body, atA) || strings.Contains(body, atB) ||
		!strings.Contains(body, `id="oversight-link"`) {
		t.Fatalf("the coordinator's open queue: %d; want the hub's own case only and the oversight link\n%s", st, body)
	}
	st, body = coord.get("/staf/pengawasan")
	if st != 200 || !strings.Contains(body, atA) || !strings.Contains(body, atB) || strings.Contains(body, local) {
		t.Fatalf("oversight: %d; want PKM-A's and PKM-B's cases, not the hub's own\n%s", st, body)
	}
	for _, want := range []string{`id="office-PKM-A"`, `id="office-PKM-B"`, "Puskesmas B", `class="handled-by">Puskesmas PKM-A<`} {
		if !strings.Contains(body, want) {
			t.Errorf("oversight page lacks %q", want)
		}
	}
	if st, body = coord.get("/staf/pengawasan?office=PKM-B"); st != 200 || !strings.Contains(body, atB) || strings.Contains(body, atA) {
		t.Errorf("filtered to PKM-B: %d, PKM-A's case listed: %v", st, strings.Contains(body, atA))
	}

	// A child office's case: the hub may re-route it, to the other child.
	st, body = coord.get("/staf/laporan/" + atA)
	if st != 200 || !strings.Contains(body, `id="handled-elsewhere"`) || !strings.Contains(body, "kantor bawahan") ||
		!strings.Contains(body, `value="office:PKM-Z"`) || strings.Contains(body, `value="office:PKM-A"`) ||
		strings.Contains(body, `id="followup-form"`) {
		t.Fatalf("a child office's case at the hub: %d\n%s", st, body)
	}
	st, loc, _ := coord.post("/staf/laporan/"+atA, url.Values{"csrf": {coord.csrf}, "action": {"move"},
		"to": {model.StatusTerdisposisi}, "unit": {"office:PKM-Z"}, "note": {"Wilayah kerja PKM-Z"}})
	if st != http.StatusSeeOther {
		t.Fatalf("re-route to PKM-Z: %d", st)
	}
	if off, s := office(atA); off != "PKM-Z" || s != model.StatusTerdisposisi {
		t.Fatalf("after re-routing: %s at %s, want terdisposisi at PKM-Z (%s)", s, off, loc)
	}

	// A copy of a case an office that is not a child handles: read-only.
	st, body = coord.get("/staf/laporan/" + atB)
	if st != 200 || !strings.Contains(body, `id="handled-elsewhere"`) || !strings.Contains(body, "hanya untuk dibaca") ||
		strings.Contains(body, `id="move-`) {
		t.Fatalf("another office's copy: %d; want the read-only notice and no moves\n%s", st, body)
	}
	if st, _, _ := coord.post("/staf/laporan/"+atB, url.Values{"csrf": {coord.csrf}, "action": {"followup"},
		"note": {"Sudah kami tangani"}}); st != http.StatusConflict {
		t.Errorf("a follow-up on another office's copy: %d, want 409", st)
	}
	if off, s := office(atB); off != "PKM-B" || s != model.StatusProses {
		t.Errorf("another office's copy changed: %s at %s", s, off)
	}

	// In English (the choice is kept in a cookie).
	if st, body = coord.get("/staf/pengawasan?lang=en"); st != 200 || !strings.Contains(body, "Oversight") || !strings.Contains(body, "By office") {
		t.Errorf("English oversight page: %d", st)
	}

	// A supervisor reads the page and every case, and acts on none.
	sup := newDeskClient(t, srv.URL)
	sup.login("inspektorat@kab.test")
	if st, body = sup.get("/staf/pengawasan"); st != 200 || !strings.Contains(body, atA) || !strings.Contains(body, atB) {
		t.Fatalf("supervisor's oversight page: %d", st)
	}
	st, body = sup.get("/staf/laporan/" + atA)
	if st != 200 || !strings.Contains(body, `id="read-only-role"`) || strings.Contains(body, `id="move-`) {
		t.Fatalf("supervisor's case page: %d; want the read-only note and no moves\n%s", st, body)
	}
	if st, _, _ := sup.post("/staf/laporan/"+atA, url.Values{"csrf": {sup.csrf}, "action": {"move"},
		"to": {model.StatusTerdisposisi}, "unit": {"office:PKM-A"}, "note": {"x"}}); st == http.StatusSeeOther {
		t.Error("a supervisor moved a case")
	}
	if off, s := office(atA); off != "PKM-Z" || s != model.StatusTerdisposisi {
		t.Errorf("after the supervisor's attempt: %s at %s", s, off)
	}

	// A handler has no oversight.
	h := newDeskClient(t, srv.URL)
	h.login("unit@kab.test")
	if _, body = h.get("/staf"); strings.Contains(body, `id="oversight-link"`) {
		t.Error("a handler is offered the oversight page")
	}
	if st, body = h.get("/staf/pengawasan"); st != http.StatusForbidden || strings.Contains(body, atA) {
		t.Errorf("a handler's oversight page: %d", st)
	}
}
