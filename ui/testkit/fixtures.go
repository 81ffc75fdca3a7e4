package testkit

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/sync/protocol"
)

// ComplaintSpec describes a complaint fixture; zero values get defaults.
type ComplaintSpec struct {
	Unit      string // unit code
	Category  string // category code; default "LAIN"
	Privacy   string // default public
	Status    string // default baru
	CreatedBy string // staff id
	Reporter  string // reporter name
	Phone     string
}

// Complaint writes a complaint and its "created" event straight to the
// database, for tests of what comes after intake.
func Complaint(t testing.TB, app core.App, spec ComplaintSpec) *core.Record {
	t.Helper()
	if spec.Category == "" {
		spec.Category = "LAIN"
	}
	if spec.Privacy == "" {
		spec.Privacy = model.PrivacyPublic
	}
	if spec.Status == "" {
		spec.Status = model.StatusBaru
	}
	cat, err := app.FindFirstRecordByData(model.Categories, "code", spec.Category)
	if err != nil {
		t.Fatalf("testkit: category %s: %v", spec.Category, err)
	}
	var rec *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(model.Complaints)
		if err != nil {
			return err
		}
		rec = core.NewRecord(col)
		rec.Set("tracking_code", trackcode.New())
		rec.Set("type", model.TypePengaduan)
		rec.Set("title", "Jalan rusak di depan puskesmas")
		rec.Set("body", "Lubang besar di jalan depan puskesmas sejak dua minggu, membahayakan pengendara.")
		rec.Set("category", cat.Id)
		if spec.Unit != "" {
			rec.Set("unit", Unit(t, tx, spec.Unit).Id)
		}
		rec.Set("privacy", spec.Privacy)
		rec.Set("status", spec.Status)
		rec.Set("channel", model.ChannelWeb)
		rec.Set("created_by", spec.CreatedBy)
		rec.Set("reporter_name", spec.Reporter)
		rec.Set("reporter_phone", spec.Phone)
		created, _ := types.ParseDateTime(clock.Now(tx)) // the app's clock, not the wall clock
		rec.SetRaw("created", created)
		rec.SetRaw("updated", created)
		if err := tx.Save(rec); err != nil {
			return err
		}
		_, err = events.Append(tx, rec, events.Event{Kind: model.EventCreated, ActorType: "system",
			To: spec.Status, Public: true, Origin: "TEST"})
		return err
	})
	if err != nil {
		t.Fatalf("testkit: complaint: %v", err)
	}
	return rec
}

// Node registers a child node with a known id and secret (hub.AddNode
// makes random ones), so that tests can sign requests before the app
// exists.
func Node(t testing.TB, app core.App, id, code, secret string, active bool) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(model.Nodes)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Id = id
	r.Set("code", code)
	r.Set("name", "Puskesmas "+code)
	r.Set("key_hash", protocol.DeriveKeyHex(secret))
	r.Set("active", active)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Move makes a staff move on a complaint the way the transitions route
// does (cases.Transition, as an administrator of this office), filling
// what the move needs: unit UMUM for a disposition unless office routes
// it to a child office, a reason for an archive, a note otherwise.
func Move(t testing.TB, app core.App, trackingCode, to, office string) {
	t.Helper()
	req := cases.Request{To: to, Office: office, Note: "Catatan petugas untuk " + to}
	switch to {
	case model.StatusTerdisposisi:
		if office == "" {
			req.Unit = "UMUM"
		}
	case model.StatusDiarsipkan:
		req.Reason = "spam"
	}
	err := app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", trackingCode)
		if err != nil {
			return err
		}
		return cases.Transition(tx, c, cases.Actor{Role: model.RoleAdmin, Name: "Petugas", Origin: cases.OfficeCode(tx)}, req)
	})
	if err != nil {
		t.Fatalf("testkit: move %s → %s: %v", trackingCode, to, err)
	}
}
