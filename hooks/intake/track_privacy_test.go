package intake_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// What a tracking code's holder reads (review item 7, tests review item 1):
// only public events, masked; no note at all on a confidential report; the
// reporter's own text masked, or the verifier's public version when one was
// written; never an internal note. Each assertion fails when its line in
// PublicViewOf is removed (checked by hand: the public filter, the
// confidential rule, Mask on text and notes, PublicText's verified version).
func TestTrackShowsOnlyWhatTheCodeHolderMayRead(t *testing.T) {
	app := testkit.New(t)
	const (
		internal  = "CATATAN-INTERNAL pelapor sering mengadu"
		publicFmt = "Diteruskan ke Seksi Jalan, petugas 081355556666 akan datang."
		publicOut = "Diteruskan ke Seksi Jalan, petugas 0813****6666 akan datang."
	)
	withNotes := func(spec testkit.ComplaintSpec, fields map[string]string) *core.Record {
		rec := testkit.Complaint(t, app, spec)
		for k, v := range fields {
			rec.Set(k, v)
		}
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
		err := app.RunInTransaction(func(tx core.App) error {
			if _, err := events.Append(tx, rec, events.Event{Kind: model.EventTransition, ActorType: "staff", ActorName: "Koordinator",
				From: model.StatusBaru, To: model.StatusTerdisposisi, Note: publicFmt, Public: true, Origin: "TEST"}); err != nil {
				return err
			}
			_, err := events.Append(tx, rec, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Koordinator",
				Note: internal, Origin: "TEST"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	pub := withNotes(testkit.ComplaintSpec{Status: model.StatusTerdisposisi, Reporter: "Dewi Lestari", Phone: "081234567001"},
		map[string]string{"title": "Jalan rusak, hubungi 081234567001",
			"body": "Saya Dewi, NIK 3201234567890001, e-mail dewi.lestari@gmail.com. Jalan rusak parah."})
	conf := withNotes(testkit.ComplaintSpec{Status: model.StatusTerdisposisi, Privacy: model.PrivacyConfidential,
		Reporter: "Budi Rahasia", Phone: "081299998888"}, nil)

	view := func(rec *core.Record) *intake.PublicView {
		t.Helper()
		v, err := intake.Track(app, rec.GetString("tracking_code"), "192.0.2.1")
		if err != nil || v == nil {
			t.Fatalf("track: %v %v", v, err)
		}
		return v
	}
	notes := func(v *intake.PublicView) (out []string) {
		for _, e := range v.Timeline {
			out = append(out, e.Note)
		}
		return out
	}

	v := view(pub)
	if v.Title != "Jalan rusak, hubungi 0812****7001" ||
		v.Body != "Saya Dewi, NIK 3201************, e-mail d***@***.com. Jalan rusak parah." {
		t.Errorf("public text not masked: %q / %q", v.Title, v.Body)
	}
	if got := strings.Join(notes(v), "|"); !strings.Contains(got, publicOut) || strings.Contains(got, "CATATAN") ||
		strings.Contains(got, "081355556666") {
		t.Errorf("public timeline notes %q: want the public note masked and no internal note", got)
	}

	// A verifier's public version replaces the reporter's words.
	pub.Set("public_title", "Jalan rusak di depan pasar")
	pub.Set("public_body", "Jalan rusak parah di depan pasar, 0812 3456 7890 kata warga.")
	if err := app.Save(pub); err != nil {
		t.Fatal(err)
	}
	if v := view(pub); v.Title != "Jalan rusak di depan pasar" || v.Body != "Jalan rusak parah di depan pasar, 0812****7890 kata warga." {
		t.Errorf("verifier's public text: %q / %q", v.Title, v.Body)
	}

	c := view(conf)
	if !c.Confidential || c.Title != "" || c.Body != "" || len(c.Timeline) != 2 {
		t.Fatalf("confidential view: %+v", c)
	}
	for _, n := range notes(c) {
		if n != "" {
			t.Errorf("a confidential report's timeline carries a note: %q", n)
		}
	}
}
