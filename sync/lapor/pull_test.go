package lapor_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/sync/hub"
	"simpul/ui/testkit"
)

// What LAPOR! disposes to this agency comes into the verification queue:
// once each (by LAPOR!'s tracking id), in the category its topic maps to,
// channel "lapor", with LAPOR!'s id and no reporter identity. Handled here,
// its follow-up goes back to that report — never as a new one.
func TestDisposedReportsArePulledIntoVerification(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, fullMapping)
	setTopic(t, n.app, "INF-JALAN", "57")
	f.dispose(map[string]any{"TrackingID": "7001", "judul": "Jembatan desa roboh", "isi": "Jembatan penghubung dua dusun roboh.",
		"topic_id": "57", "tanggal": "2026-04-02", "lokasi": "Dusun Krajan"})
	f.dispose(map[string]any{"TrackingID": 7002, "judul": "Pungutan di sekolah", "isi": "Ada pungutan seragam.", "topic_id": "999"})
	f.dispose(map[string]any{"judul": "tanpa nomor"}) // no tracking id: skipped

	n.mustPass()
	var got []struct {
		Code    string `db:"tracking_code"`
		LaporID string `db:"lapor_tracking_id"`
		Status  string `db:"status"`
		Channel string `db:"channel"`
		Cat     string `db:"cat"`
		Title   string `db:"title"`
		Name    string `db:"reporter_name"`
		Due     string `db:"due_at"`
		Loc     string `db:"location"`
	}
	err := n.app.DB().NewQuery(`SELECT c.tracking_code, c.lapor_tracking_id, c.status, c.channel, k.code AS cat, c.title,
		c.reporter_name, c.due_at, c.location FROM complaints c JOIN categories k ON k.id = c.category
		WHERE c.channel = 'lapor' ORDER BY c.lapor_tracking_id`).All(&got)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].LaporID != "7001" || got[0].Cat != "INF-JALAN" || got[0].Status != model.StatusBaru ||
		got[0].Title != "Jembatan desa roboh" || got[0].Loc != "Dusun Krajan" || got[0].Due == "" || got[0].Name != "" ||
		got[1].LaporID != "7002" || got[1].Cat != "LAIN" {
		t.Fatalf("pulled: %+v", got)
	}
	if sent := f.captures()[0]; sent.call != "pull" || sent.fields["sejak"] != "" {
		t.Fatalf("first pull asked %+v", sent.fields)
	}
	// In the verification queue of the staff desk.
	list, err := cases.List(n.app, n.coord, cases.ListQuery{Queue: cases.QueueVerify, Now: n.clock.Now()})
	if err != nil || len(list.Items) != 2 || list.Items[0].Channel != model.ChannelLapor {
		t.Fatalf("verification queue: %+v %v", list, err)
	}

	// The next pull asks from the day of the last one, and makes nothing twice.
	n.clock.add(24 * time.Hour)
	n.mustPass()
	pulls := 0
	for _, c := range f.captures() {
		if c.call == "pull" {
			pulls++
			if pulls == 2 && c.fields["sejak"] != "2026-04-07" {
				t.Errorf("second pull since %q, want 2026-04-07", c.fields["sejak"])
			}
		}
	}
	var count int
	_ = n.app.DB().Select("count(*)").From(model.Complaints).Where(dbx.HashExp{"channel": model.ChannelLapor}).Row(&count)
	if pulls != 2 || count != 2 {
		t.Fatalf("%d pulls, %d pulled complaints", pulls, count)
	}

	// Handled here: disposed, followed up; the follow-up goes to 7001.
	code := got[0].Code
	n.dispose(code)
	n.followUp(code, "Jembatan darurat sudah dipasang.")
	n.mustPass()
	caps := f.captures()
	var followups []capture
	for _, c := range caps {
		if c.call == "followup" {
			followups = append(followups, c)
		}
	}
	if f.count("create") != 0 || len(followups) != 1 || followups[0].path != "/api/v1/laporan/7001/tindak-lanjut" ||
		len(f.report("7001").followups) != 1 || f.report("7001").followups[0]["isi"] != "Jembatan darurat sudah dipasang." {
		t.Fatalf("%d creates; follow-ups %+v", f.count("create"), followups)
	}
}

// A kabupaten hub whose parent is LAPOR! relays a puskesmas's report once
// it is verified there; LAPOR!'s tracking id travels back down to the
// puskesmas, whose public tracking page shows it; the identity never
// leaves the puskesmas.
func TestTrackingIDTravelsDownToTheOrigin(t *testing.T) {
	f := newFakeLapor(t)
	kab := newNode(t, f, `{"default_topic": "99"}`)
	setTopic(t, kab.app, "KES-PUSK", "1204")
	kabSrv := testkit.Serve(t, kab.app)
	creds, err := hub.AddNode(kab.app, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	pkm := below(t, kab, kabSrv.URL, creds)
	pkmApp := pkm.app
	verified := pkm.add(spec{cat: "KES-PUSK"})
	waiting := pkm.add(spec{cat: "INF-JALAN", privacy: model.PrivacyAnonymous})
	pkm.dispose(verified)

	pkm.mustPass()
	kab.mustPass()
	if got := f.byRef(); len(got) != 1 || got[verified] != 1 {
		t.Fatalf("reports at LAPOR!: %v (only the verified one should be there)", got)
	}
	tid := f.idOf(verified)
	if kab.laporID(verified) != tid {
		t.Fatalf("hub's LAPOR! id %q, want %q", kab.laporID(verified), tid)
	}
	// The puskesmas's next pass pulls it down.
	pkm.mustPass()
	if pkm.laporID(verified) != tid || pkm.laporID(waiting) != "" {
		t.Fatalf("puskesmas ids: %q, %q", pkm.laporID(verified), pkm.laporID(waiting))
	}
	res, err := http.Get(testkit.Serve(t, pkmApp).URL + "/api/track/" + verified)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var view struct {
		LaporID string `json:"lapor_tracking_id"`
	}
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &view); err != nil || view.LaporID != tid {
		t.Fatalf("tracking API at the puskesmas: %s", b)
	}
	assertNoIdentity(t, f)
}
