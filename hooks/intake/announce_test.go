package intake_test

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// The fast path writes with prepared SQL, yet every new report fires the
// record-created event as app.Save would (PocketBase's realtime tells the
// staff desks from it); a replay, which wrote nothing, does not. The
// announced record is made from the inserted columns, not read back, so
// it must equal the stored row field by field, and be marked not new, as
// app.Save leaves a record it created.
func TestIntakeAnnouncesEachNewReport(t *testing.T) {
	app := testkit.New(t)
	var mu sync.Mutex
	var heard []string
	announced := map[string]*core.Record{}
	app.OnRecordAfterCreateSuccess(model.Complaints).BindFunc(func(e *core.RecordEvent) error {
		mu.Lock()
		heard = append(heard, e.Record.GetString("tracking_code"))
		announced[e.Record.Id] = e.Record
		mu.Unlock()
		return e.Next()
	})
	first := goodRequest("Jembatan kayu di dusun dua rapuh")
	first.ClientRef = "f-jembatan"
	located := goodRequest("Selokan tersumbat di depan pasar")
	lat, lon := -6.2, 106.8
	located.Lat, located.Lon = &lat, &lon
	located.IncidentDate = "2026-11-30"
	var want []string
	for _, r := range []intake.Request{first, first, located} {
		res, err := intake.Submit(app, r)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Replayed {
			want = append(want, res.TrackingCode)
		}
	}
	// The writer fires the events after the batch commits and before it
	// answers the submitter, so they have all fired once Submit returns.
	mu.Lock()
	got := slices.Clone(heard)
	mu.Unlock()
	if !slices.Equal(got, want) {
		t.Fatalf("created events for %v, want one for each new report %v", got, want)
	}
	for id, rec := range announced {
		stored, err := app.FindRecordById(model.Complaints, id)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(stored.FieldsData())
		if a, _ := json.Marshal(rec.FieldsData()); string(a) != string(b) {
			t.Errorf("announced record differs from the stored row:\nannounced %s\nstored    %s", a, b)
		}
		if rec.IsNew() || rec.LastSavedPK() != id {
			t.Errorf("announced record %s is new (last saved %v)", id, rec.LastSavedPK())
		}
	}
}
