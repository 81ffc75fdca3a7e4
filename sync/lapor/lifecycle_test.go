package lapor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/cases"
	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/sync/lapor"
)

// A report goes up once it is verified, not at receipt: received, then
// postponed, then archived as spam, nothing is sent; disposed, it is sent
// once, with our tracking code as its reference, and LAPOR!'s tracking id
// comes back onto the complaint, its timeline and the tracking page.
func TestReportGoesUpWhenVerified(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, `{"default_topic": "99"}`)
	setTopic(t, n.app, "KES-PUSK", "1204")
	code := n.add(spec{cat: "KES-PUSK", date: "2026-04-01", loc: "Jl. Merdeka 1"})
	spam := n.add(spec{})

	n.mustPass()
	n.move(code, cases.Request{To: model.StatusTertunda, Note: "Sebutkan nama puskesmasnya."})
	n.move(spam, cases.Request{To: model.StatusDiarsipkan, Reason: lifecycle.ReasonSpam})
	n.mustPass()
	if c := f.count(""); c != 0 {
		t.Fatalf("%d requests before verification, want none", c)
	}
	n.move(code, cases.Request{To: model.StatusBaru})
	n.dispose(code)
	n.mustPass()
	if got := f.byRef(); len(got) != 1 || got[code] != 1 {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
	r := f.reports()[0]
	for k, want := range map[string]string{"title": "Jalan rusak di depan puskesmas", "topic_id": "1204", "classification": "1",
		"is_anonymous": "0", "is_secret": "0", "incident_date": "2026-04-01", "location": "Jl. Merdeka 1", "KEYTOKEN": f.token} {
		if r[k] != want {
			t.Errorf("%s = %q, want %q", k, r[k], want)
		}
	}
	tid := f.idOf(code)
	if tid == "" || n.laporID(code) != tid {
		t.Fatalf("complaint's LAPOR! id %q, LAPOR!'s %q", n.laporID(code), tid)
	}
	ev, err := n.app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && kind = 'sync'", dbx.Params{"c": n.complaint(code).Id})
	if err != nil || !strings.Contains(ev.GetString("data"), tid) || ev.GetBool("public") {
		t.Fatalf("the event carrying the id down: %v %v", ev, err)
	}
	view, err := intake.Track(n.app, code, "192.0.2.8")
	if err != nil || view.LaporTrackingID != tid {
		t.Fatalf("tracking page's LAPOR! id %q (%v)", view.LaporTrackingID, err)
	}
	// Nothing more to say: the next pass is silent.
	before := f.count("")
	n.mustPass()
	if f.count("") != before {
		t.Errorf("an idle pass made %d requests", f.count("")-before)
	}
	assertNoIdentity(t, f)
}

// An office may send at receipt (send_on "created"), as before.
func TestSendOnReceiptIsConfigurable(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, `{"default_topic": "99", "send_on": "created"}`)
	code := n.add(spec{})
	n.mustPass()
	if got := f.byRef(); got[code] != 1 {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
}

// The whole case against the fake, every call mapped: the report when
// disposed (with its status), each follow-up once, in order, with its text;
// the reporter's answer (no call: it is the reporter's own words); the
// closing by the auto-close job; the reopen as a status; the second
// closing. No identity in any request.
func TestWholeCaseTravels(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, strings.Replace(fullMapping, `"default_topic": "99",`,
		`"default_topic": "99", "fields": {"status": "status_laporan"},`, 1))
	code := n.add(spec{privacy: model.PrivacyConfidential})
	n.dispose(code)
	n.mustPass()
	tid := f.idOf(code)
	if tid == "" || f.reports()[0]["status_laporan"] != "2" || f.reports()[0]["is_secret"] != "1" {
		t.Fatalf("report: %v (id %q)", f.reports(), tid)
	}

	n.clock.add(24 * time.Hour)
	n.followUp(code, "Petugas sudah meninjau lokasi.")
	n.clock.add(time.Hour)
	n.followUp(code, "Lubang sudah ditambal.")
	n.mustPass()
	rep := f.report(tid)
	if len(rep.followups) != 2 || rep.followups[0]["isi"] != "Petugas sudah meninjau lokasi." ||
		rep.followups[1]["isi"] != "Lubang sudah ditambal." || rep.followups[0]["tanggal"] != "2026-04-08" ||
		rep.followups[0]["ref"] == "" || rep.followups[0]["ref"] == rep.followups[1]["ref"] {
		t.Fatalf("follow-ups at LAPOR!: %+v", rep.followups)
	}
	// The move to proses came with the first follow-up: one status call.
	if strings.Join(rep.statuses, ",") != "3" {
		t.Fatalf("statuses at LAPOR!: %v", rep.statuses)
	}

	// The reporter answers; nothing travels for it.
	n.reply(code, "Terima kasih, tapi masih ada satu lubang.")
	n.mustPass()
	if rep = f.report(tid); len(rep.followups) != 2 || len(rep.statuses) != 1 {
		t.Fatalf("after the reporter's answer: %+v", rep)
	}
	n.followUp(code, "Lubang kedua sudah ditambal.")
	// Ten working days later the job closes it: Thu 9 … Wed 22 April.
	n.clock.add(16 * 24 * time.Hour)
	if closed, err := cases.AutoClose(n.app, n.clock.Now()); err != nil || closed != 1 {
		t.Fatalf("auto-close: %d %v", closed, err)
	}
	n.mustPass()
	rep = f.report(tid)
	if len(rep.followups) != 3 || len(rep.closed) != 1 || !strings.Contains(rep.closed[0]["isi"], "Ditutup otomatis") {
		t.Fatalf("after the closing: %+v", rep)
	}
	// The reporter reopens it: a status call; staff close it again.
	n.reply(code, "Lubangnya muncul lagi.")
	n.mustPass()
	if rep = f.report(tid); strings.Join(rep.statuses, ",") != "3,3" {
		t.Fatalf("after the reopen: %v", rep.statuses)
	}
	n.followUp(code, "Sudah diperbaiki permanen.")
	n.move(code, cases.Request{To: model.StatusSelesai, Note: "Selesai diperbaiki."})
	n.mustPass()
	rep = f.report(tid)
	if len(rep.followups) != 4 || len(rep.closed) != 2 || rep.closed[1]["isi"] != "Selesai diperbaiki." {
		t.Fatalf("after the second closing: %+v", rep)
	}
	if f.count("create") != 1 || f.count("lookup") != 0 {
		t.Errorf("%d creates and %d look-ups, want 1 and 0", f.count("create"), f.count("lookup"))
	}
	assertNoIdentity(t, f)
}

// Each later call is optional: a mapping without it settles what it would
// carry here, with no request; with only it, only it is made.
func TestEachCallIsOptional(t *testing.T) {
	calls := map[string]string{
		"none":     `{"default_topic": "99"}`,
		"followup": `{"default_topic": "99", "followup": {"path": "/api/v1/laporan/{tracking_id}/tindak-lanjut", "fields": {"content": "isi"}}}`,
		"status":   `{"default_topic": "99", "statuses": {"proses": "3", "selesai": "4"}, "status": {"path": "/api/v1/laporan/{tracking_id}/status", "fields": {"status": "status"}}}`,
		"close":    `{"default_topic": "99", "close": {"path": "/api/v1/laporan/{tracking_id}/selesai", "fields": {"content": "isi"}}}`,
	}
	for name, mapping := range calls {
		t.Run(name, func(t *testing.T) {
			f := newFakeLapor(t)
			n := newNode(t, f, mapping)
			code := n.add(spec{})
			n.dispose(code)
			n.followUp(code, "Sudah ditindaklanjuti.")
			n.move(code, cases.Request{To: model.StatusSelesai, Note: "Selesai."})
			n.mustPass()
			want := map[string]int{"create": 1, "followup": 0, "status": 0, "close": 0}
			switch name {
			case "followup":
				want["followup"] = 1
			case "status":
				want["status"] = 1 // selesai: proses was never told, the last status is what counts
			case "close":
				want["close"] = 1
			}
			for call, w := range want {
				if got := f.count(call); got != w {
					t.Errorf("%s calls: %d, want %d", call, got, w)
				}
			}
			if r := n.row(code); r.GetString("state") != lapor.StateWaiting || r.GetString("sent_status") != model.StatusSelesai {
				t.Errorf("row after the pass: %v", r.FieldsData())
			}
			// Nothing is owed any more: a later pass is silent.
			before := f.count("")
			n.mustPass()
			if f.count("") != before {
				t.Errorf("%d more requests on an idle pass", f.count("")-before)
			}
		})
	}
}
