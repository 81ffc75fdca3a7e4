package ui_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// The case page does not invite mistakes (review item 8): one primary
// action (the usual next step), the others folded away; archiving has no
// reason chosen for the clerk; every note says whether the reporter reads
// it; a canned response is written into the box (and sent once); the
// outcome is said in words where the person looks.
func TestBrowserCaseActions(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	testkit.Staff(t, app, "umum@simpul.test", model.RoleHandler, "UMUM")
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti", Phone: "081234567890"})
	code := rec.GetString("tracking_code")
	col, err := app.FindCollectionByNameOrId(cases.CannedResponses)
	if err != nil {
		t.Fatal(err)
	}
	canned := core.NewRecord(col)
	canned.Set("code", "SELESAI-PERBAIKAN")
	canned.Set("title", "Sudah diperbaiki")
	canned.Set("body", "Terima kasih atas laporan Anda. Petugas sudah memperbaikinya.")
	canned.Set("active", true)
	if err := app.Save(canned); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Counter)
	b.Go("/staf")
	b.Fill("#email", "koordinator@simpul.test")
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#logout")
	b.Go("/staf/laporan/" + code)

	var primaries []string
	b.Eval(`Array.from(document.querySelectorAll("#moves button.primary")).map(function(e){return e.id})`, &primaries)
	if len(primaries) != 1 || primaries[0] != "do-terdisposisi" {
		t.Errorf("primary buttons on a new report: %v, want only do-terdisposisi", primaries)
	}
	var archiveOpen bool
	b.Eval(`document.getElementById("action-diarsipkan").open === true`, &archiveOpen)
	if archiveOpen {
		t.Error("archiving is offered open")
	}
	if got := b.Value("#reason-diarsipkan"); got != "" {
		t.Errorf("the archive reason comes preselected: %q", got)
	}
	for sel, want := range map[string]string{`label[for="note-tertunda"]`: "Dibaca pelapor",
		`label[for="note-terdisposisi"]`: "internal", `label[for="note-diarsipkan"]`: "Dibaca pelapor"} {
		var got string
		b.Eval(`document.querySelector('`+sel+`').textContent`, &got)
		if !strings.Contains(got, want) {
			t.Errorf("%s says %q, want %q", sel, got, want)
		}
	}
	b.Screenshot("new-report")

	// Archiving without a reason goes nowhere.
	b.Click("#action-diarsipkan summary")
	b.Click("#do-diarsipkan")
	if fresh, _ := app.FindRecordById(model.Complaints, rec.Id); fresh.GetString("status") != model.StatusBaru {
		t.Fatalf("archived without a reason: %s", fresh.GetString("status"))
	}

	// The next step, with a message in words where the person looks.
	b.Select("#unit-terdisposisi", "UMUM")
	b.Click("#do-terdisposisi")
	b.WaitVisible("#action-ok")
	if got := b.Text("#action-ok"); !strings.Contains(got, "Terdisposisi") || !strings.Contains(got, "Unit Pelayanan Umum") {
		t.Errorf("after routing the page says %q", got)
	}
	if b.Focused() != "action-ok" || !b.InView("#action-ok") {
		t.Error("the outcome is not where the person looks")
	}

	// The handler: the follow-up is the next step; a canned text fills the box.
	b.Click("#logout")
	b.WaitVisible("#login")
	b.Fill("#email", "umum@simpul.test")
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#logout")
	b.Go("/staf/laporan/" + code)
	b.Eval(`Array.from(document.querySelectorAll("#moves button.primary")).map(function(e){return e.id})`, &primaries)
	if len(primaries) != 1 || primaries[0] != "do-followup" {
		t.Errorf("primary buttons for the unit: %v, want only do-followup", primaries)
	}
	b.Eval(`(function(){var s=document.getElementById("canned"); s.value="SELESAI-PERBAIKAN";
	  s.dispatchEvent(new Event("change", {bubbles: true})); return s.value;})()`, nil)
	if got := b.Value("#fu-note"); got != "Terima kasih atas laporan Anda. Petugas sudah memperbaikinya." {
		t.Fatalf("the canned text did not fill the box: %q", got)
	}
	b.Screenshot("followup")
	b.Click("#do-followup")
	b.WaitVisible("#action-ok")
	evs, err := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c} && kind = 'followup'", "", 0, 0, dbx.Params{"c": rec.Id})
	if err != nil || len(evs) != 1 {
		t.Fatalf("follow-ups: %d %v", len(evs), err)
	}
	if got := evs[0].GetString("note"); strings.Count(got, "Terima kasih") != 1 {
		t.Errorf("the canned text was sent %d times: %q", strings.Count(got, "Terima kasih"), got)
	}
}
