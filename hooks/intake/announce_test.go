package intake_test

import (
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
// staff desks from it); a replay, which wrote nothing, does not.
func TestIntakeAnnouncesEachNewReport(t *testing.T) {
	app := testkit.New(t)
	var mu sync.Mutex
	var heard []string
	app.OnRecordAfterCreateSuccess(model.Complaints).BindFunc(func(e *core.RecordEvent) error {
		mu.Lock()
		heard = append(heard, e.Record.GetString("tracking_code"))
		mu.Unlock()
		return e.Next()
	})
	first := goodRequest("Jembatan kayu di dusun dua rapuh")
	first.ClientRef = "f-jembatan"
	var want []string
	for _, r := range []intake.Request{first, first, goodRequest("Selokan tersumbat di depan pasar")} {
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
}
