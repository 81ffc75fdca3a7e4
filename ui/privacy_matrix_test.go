package ui_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/events"
	"simpul/hooks/export"
	"simpul/ui/testkit"
)

// The access table of issue 12 item 1, proved from outside: every role ×
// privacy tier × output, each part of a complaint a sentinel string, and
// each output's text must carry exactly the parts the privacy policy lets
// that viewer read (privacy.Shown for staff outputs, which ask no reason;
// privacy.May for the public and a code holder), of the parts that output
// carries at all. A part shown where the policy says no, or missing where
// it says yes, fails.
// The supervisor (read-only oversight) is walked like every other role.
func TestPrivacyEveryRoleTierOutput(t *testing.T) {
	app := testkit.New(t)
	staff := map[string]*core.Record{}
	tokens := map[string]string{}
	for _, s := range []struct{ who, role, unit string }{
		{"loket", model.RoleFrontdesk, ""}, {"seksi-a", model.RoleHandler, "UNIT-A"}, {"seksi-b", model.RoleHandler, "UNIT-B"},
		{"koord", model.RoleCoordinator, ""}, {"admin", model.RoleAdmin, ""}, {"pengawas", model.RoleSupervisor, ""},
	} {
		staff[s.who], tokens[s.who] = testkit.Staff(t, app, s.who+"@simpul.test", s.role, s.unit)
	}
	roles := []string{"loket", "seksi-a", "seksi-b", "koord", "admin", "pengawas"}

	// One complaint per tier, taken in by the clerk, with unit A, verified
	// and being handled; each part a sentinel with the tier's letter.
	tiers := []struct{ privacy, letter string }{
		{model.PrivacyPublic, "P"}, {model.PrivacyAnonymous, "A"}, {model.PrivacyConfidential, "C"},
	}
	recs := map[string]*core.Record{}
	sentinel := func(letter string, part privacy.Part) string {
		switch part {
		case privacy.Text:
			return "JUDULX" + letter
		case privacy.Location:
			return "LOKASIX" + letter
		case privacy.InternalNotes:
			return "INTERNALX" + letter
		case privacy.ReporterWords:
			return "BALASANX" + letter
		case privacy.Identity:
			return "NAMAX" + letter
		case privacy.NIK:
			return "320100000000" + map[string]string{"P": "1111", "A": "2222", "C": "3333"}[letter]
		}
		return ""
	}
	parts := []privacy.Part{privacy.Text, privacy.Location, privacy.InternalNotes, privacy.ReporterWords, privacy.Identity, privacy.NIK}
	for _, tier := range tiers {
		spec := testkit.ComplaintSpec{Unit: "UNIT-A", Privacy: tier.privacy, Status: model.StatusProses, CreatedBy: staff["loket"].Id}
		if tier.privacy != model.PrivacyAnonymous {
			spec.Reporter, spec.Phone = sentinel(tier.letter, privacy.Identity), "08121111000"+map[string]string{"P": "1", "C": "3"}[tier.letter]
		}
		rec := testkit.Complaint(t, app, spec)
		rec.Set("title", sentinel(tier.letter, privacy.Text)+" jalan rusak")
		rec.Set("body", "ISIBODYX"+tier.letter+" jalan rusak parah sejak banjir")
		rec.Set("location", sentinel(tier.letter, privacy.Location)+" Jl. Merdeka")
		if tier.privacy != model.PrivacyAnonymous {
			rec.Set("reporter_nik", sentinel(tier.letter, privacy.NIK))
			rec.Set("identity_checked", true)
		}
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
		err := app.RunInTransaction(func(tx core.App) error {
			if _, err := events.Append(tx, rec, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Koordinator",
				Note: sentinel(tier.letter, privacy.InternalNotes) + " cek dulu", Origin: "TEST"}); err != nil {
				return err
			}
			// As the reply route writes it: on the public timeline of a
			// public report only.
			_, err := events.Append(tx, rec, events.Event{Kind: model.EventReply, ActorType: "reporter", ActorName: "Pelapor",
				Note: sentinel(tier.letter, privacy.ReporterWords) + " masih rusak", Public: tier.privacy == model.PrivacyPublic, Origin: "TEST"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		recs[tier.letter] = rec
	}
	srv := testkit.Serve(t, app)
	allTime := export.Period{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}

	withToken := func(who, path string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", tokens[who])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		return b.String()
	}
	desks := map[string]*client{}
	for _, who := range roles {
		desks[who] = newClient(t, srv)
		desks[who].loginDesk(who + "@simpul.test")
	}
	csv := func(who string, write func(core.App, *bytes.Buffer, cases.Actor) error) string {
		var b bytes.Buffer
		if err := write(app, &b, cases.StaffActor(staff[who], "")); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}

	// The outputs: what each carries at all, and how to read it for a
	// staff member (who) or the public (who == "").
	type output struct {
		name    string
		public  string // privacy.Public or privacy.CodeHolder; empty: a staff output
		carries []privacy.Part
		read    func(who string, rec *core.Record) string
	}
	outputs := []output{
		{"staff API", "", []privacy.Part{privacy.Text, privacy.Location, privacy.InternalNotes, privacy.ReporterWords, privacy.Identity, privacy.NIK},
			func(who string, rec *core.Record) string {
				return withToken(who, "/api/staff/complaints/"+rec.GetString("tracking_code"))
			}},
		{"desk page", "", []privacy.Part{privacy.Text, privacy.Location, privacy.InternalNotes, privacy.ReporterWords, privacy.Identity, privacy.NIK},
			func(who string, rec *core.Record) string {
				_, body := desks[who].get("/staf/laporan/" + rec.GetString("tracking_code"))
				return body
			}},
		// The collection API never returns the hidden identity fields.
		{"collection API", "", []privacy.Part{privacy.Text, privacy.Location, privacy.InternalNotes, privacy.ReporterWords},
			func(who string, rec *core.Record) string {
				return withToken(who, "/api/collections/complaints/records/"+rec.Id) +
					withToken(who, "/api/collections/complaint_events/records?perPage=200&filter=(complaint='"+rec.Id+"')")
			}},
		{"staff export", "", []privacy.Part{privacy.Text, privacy.Location, privacy.InternalNotes, privacy.ReporterWords, privacy.Identity},
			func(who string, rec *core.Record) string {
				out := csv(who, func(app core.App, b *bytes.Buffer, a cases.Actor) error {
					_, err := export.WriteComplaintsCSV(app, b, a, allTime)
					return err
				}) + csv(who, func(app core.App, b *bytes.Buffer, a cases.Actor) error {
					_, err := export.WriteEventsCSV(app, b, a, allTime)
					return err
				})
				return rowsOf(out, rec.GetString("tracking_code"))
			}},
		{"tracking", privacy.CodeHolder, []privacy.Part{privacy.Text, privacy.ReporterWords},
			func(_ string, rec *core.Record) string {
				_, body := newClient(t, srv).get("/api/track/" + rec.GetString("tracking_code"))
				return body
			}},
		{"Open311 by code", privacy.CodeHolder, []privacy.Part{privacy.Text, privacy.Location},
			func(_ string, rec *core.Record) string {
				_, body := newClient(t, srv).get("/open311/v2/requests/" + rec.GetString("tracking_code") + ".json")
				return body
			}},
		{"open data", privacy.Public, []privacy.Part{privacy.Text},
			func(_ string, rec *core.Record) string {
				var b bytes.Buffer
				if _, err := export.WriteOpenDataCSV(app, &b, export.Period{}); err != nil {
					t.Fatal(err)
				}
				return rowsOf(b.String(), rec.GetString("tracking_code"))
			}},
		{"/laporan", privacy.Public, []privacy.Part{privacy.Text},
			func(_ string, rec *core.Record) string {
				_, body := newClient(t, srv).get("/laporan")
				return body
			}},
	}

	for _, out := range outputs {
		viewers := roles
		if out.public != "" {
			viewers = []string{""}
		}
		for _, who := range viewers {
			for _, tier := range tiers {
				rec := recs[tier.letter]
				cs := cases.CaseOf(rec)
				text := out.read(who, rec)
				for _, part := range parts {
					var allowed bool
					if out.public != "" {
						allowed = privacy.May(privacy.Viewer{Role: out.public}, cs, part)
					} else {
						allowed = privacy.Shown(cases.StaffActor(staff[who], "").Viewer(), cs, part)
					}
					carried := false
					for _, p := range out.carries {
						carried = carried || p == part
					}
					if tier.privacy == model.PrivacyAnonymous && (part == privacy.Identity || part == privacy.NIK) {
						allowed = false // none stored
					}
					want := carried && allowed
					got := strings.Contains(text, sentinel(tier.letter, part))
					if part == privacy.Text { // the title, or the body (Open311's description)
						got = got || strings.Contains(text, "ISIBODYX"+tier.letter)
					}
					if got != want {
						t.Errorf("%s, %s, %s report: %s shown %v, want %v", out.name, orPublic(who, out.public), tier.privacy, part, got, want)
					}
				}
				// The body and the phone follow the text and the identity.
				if !carriesAllowed(out.carries, privacy.Text) || !textAllowed(out.public, who, staff, cs) {
					if strings.Contains(text, "ISIBODYX"+tier.letter) {
						t.Errorf("%s, %s, %s report: the body is shown", out.name, orPublic(who, out.public), tier.privacy)
					}
				}
				if phone := rec.GetString("reporter_phone"); phone != "" && strings.Contains(text, phone) &&
					(out.public != "" || !privacy.Shown(cases.StaffActor(staff[who], "").Viewer(), cs, privacy.Identity)) {
					t.Errorf("%s, %s, %s report: the phone is shown", out.name, orPublic(who, out.public), tier.privacy)
				}
			}
		}
	}
}

func carriesAllowed(carries []privacy.Part, part privacy.Part) bool {
	for _, p := range carries {
		if p == part {
			return true
		}
	}
	return false
}

func textAllowed(public, who string, staff map[string]*core.Record, cs privacy.Case) bool {
	if public != "" {
		return privacy.May(privacy.Viewer{Role: public}, cs, privacy.Text)
	}
	return privacy.Shown(cases.StaffActor(staff[who], "").Viewer(), cs, privacy.Text)
}

func orPublic(who, public string) string {
	if who == "" {
		return public
	}
	return who
}

// rowsOf keeps the CSV lines that name code (and the header).
func rowsOf(csv, code string) string {
	var b strings.Builder
	for i, line := range strings.Split(csv, "\n") {
		if i == 0 || strings.Contains(line, code) {
			fmt.Fprintln(&b, line)
		}
	}
	return b.String()
}
