package lapor_test

import (
	"bytes"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/sync/hub"
	"simpul/sync/lapor"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// The reporter identity every fixture carries, on every privacy tier
// (anonymous ones too, forced into the database), so that a leak of any
// of them onto the wire shows.
const (
	idName  = "Siti Rahayu Wulandari"
	idPhone = "081298765432"
	idEmail = "siti.rahayu@contoh.id"
)

// newNode is a real Simpul wired like "simpul serve" with SIMPUL_LAPOR_URL
// pointing at the fake: its syncer's parent is the LAPOR! adapter.
func newNode(t *testing.T, f *fakeLapor) (*tests.TestApp, *upstream.Syncer) {
	t.Helper()
	env := map[string]string{"SIMPUL_LAPOR_URL": f.URL(), "SIMPUL_LAPOR_TOKEN": f.token, "SIMPUL_SYNC_INTERVAL": "1h", "SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app := testkit.NewUnmanaged(t, cfg)
	t.Cleanup(app.Cleanup)
	s := upstream.FromApp(app)
	if s == nil {
		t.Fatal("SIMPUL_LAPOR_URL set, but the app has no syncer")
	}
	if st := s.Status(); st.Parent != lapor.ParentName {
		t.Fatalf("parent %q, want %q", st.Parent, lapor.ParentName)
	}
	return app, s
}

// shortSyncer is a syncer on app whose adapter gives up on a request
// after timeout (the wired one waits lapor.DefaultTimeout).
func shortSyncer(app core.App, f *fakeLapor, timeout time.Duration) *upstream.Syncer {
	s := upstream.NewSyncer(app, lapor.New(app, lapor.Config{URL: f.URL(), Token: f.token, Timeout: timeout}), lapor.ParentName, time.Minute)
	s.IDField = "lapor_tracking_id"
	return s
}

type spec struct {
	cat, privacy, typ, date, loc string
}

// addComplaint writes a complaint with its "created" event queued in the
// outbox and the full reporter identity, and returns its tracking code.
func addComplaint(t *testing.T, app core.App, s spec) string {
	t.Helper()
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Category: s.cat, Privacy: s.privacy, Reporter: idName, Phone: idPhone})
	if s.typ == "" {
		s.typ = model.TypePengaduan
	}
	date := ""
	if s.date != "" {
		date = s.date + " 00:00:00.000Z"
	}
	_, err := app.DB().NewQuery(`UPDATE complaints SET reporter_name = {:n}, reporter_phone = {:p},
		reporter_email = {:e}, type = {:ty}, incident_date = {:d}, location = {:l} WHERE id = {:id}`).
		Bind(dbx.Params{"n": idName, "p": idPhone, "e": idEmail, "ty": s.typ, "d": date, "l": s.loc, "id": rec.Id}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	return rec.GetString("tracking_code")
}

// transition moves a complaint the way a staff action does: a timeline
// event queued in the outbox, and the status.
func transition(t *testing.T, app core.App, code, to string) {
	t.Helper()
	testkit.Move(t, app, code, to, "")
}

func setTopic(t *testing.T, app core.App, category, topic string) {
	t.Helper()
	if _, err := app.DB().NewQuery(`UPDATE categories SET lapor_topic_id = {:t} WHERE code = {:c}`).
		Bind(dbx.Params{"t": topic, "c": category}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// setMapping stores raw as the value of the sync_state row lapor_mapping,
// byte for byte (as an admin could leave it).
func setMapping(t *testing.T, app core.App, raw string) {
	t.Helper()
	_, err := app.DB().NewQuery(`INSERT INTO sync_state (id, key, value, created, updated)
		VALUES ('laprmapping0001', {:k}, {:v}, '2025-01-01 00:00:00.000Z', '2025-01-01 00:00:00.000Z')
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`).Bind(dbx.Params{"k": lapor.MappingKey, "v": raw}).Execute()
	if err != nil {
		t.Fatal(err)
	}
}

func laporID(t *testing.T, app core.App, code string) string {
	t.Helper()
	var id string
	if err := app.DB().Select("lapor_tracking_id").From(model.Complaints).Where(dbx.HashExp{"tracking_code": code}).Row(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func outboxCount(t *testing.T, app core.App, status string) int {
	t.Helper()
	n, err := outbox.Count(app, status)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// createdRow returns the status and last error of a complaint's "created"
// outbox row.
func createdRow(t *testing.T, app core.App, code string) (status, lastErr string) {
	t.Helper()
	var row struct {
		Status  string `db:"status"`
		LastErr string `db:"last_error"`
	}
	err := app.DB().NewQuery(`SELECT o.status, o.last_error FROM sync_outbox o
		JOIN complaint_events e ON e.uid = o.uid JOIN complaints c ON c.id = e.complaint
		WHERE c.tracking_code = {:tc} AND e.kind = 'created'`).Bind(dbx.Params{"tc": code}).One(&row)
	if err != nil {
		t.Fatal(err)
	}
	return row.Status, row.LastErr
}

// assertNoIdentity checks every request the fake received, raw and
// decoded, headers included.
func assertNoIdentity(t *testing.T, f *fakeLapor) {
	t.Helper()
	caps := f.captures()
	if len(caps) == 0 {
		t.Fatal("the fake received nothing: the check proves nothing")
	}
	needles := []string{"Siti", "Wulandari", idPhone, "siti.rahayu", "contoh.id"}
	for i, c := range caps {
		hay := [][]byte{c.body}
		if dec, err := url.QueryUnescape(string(c.body)); err == nil {
			hay = append(hay, []byte(dec))
		}
		for k, vs := range c.header {
			hay = append(hay, []byte(k+": "+strings.Join(vs, ",")))
		}
		for _, h := range hay {
			for _, n := range needles {
				if bytes.Contains(h, []byte(n)) {
					t.Fatalf("request %d carries reporter identity %q: %.300s", i, n, h)
				}
			}
		}
	}
}

func TestPostsEachComplaintOnceWithoutIdentity(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setTopic(t, app, "KES-PUSK", "1204")
	setMapping(t, app, `{"default_topic": "99"}`)

	pub := addComplaint(t, app, spec{cat: "KES-PUSK", privacy: model.PrivacyPublic, date: "2025-03-04", loc: "Jl. Merdeka 1"})
	anon := addComplaint(t, app, spec{cat: "INF-JALAN", privacy: model.PrivacyAnonymous, typ: model.TypeAspirasi})
	conf := addComplaint(t, app, spec{cat: "LAIN", privacy: model.PrivacyConfidential, typ: model.TypePermintaanInformasi})
	transition(t, app, pub, model.StatusTerdisposisi) // a later event: settled, never a second report

	sum, err := s.Pass(t.Context())
	if err != nil {
		t.Fatalf("pass: %v (%+v)", err, sum)
	}
	if !sum.OK || sum.Pushed != 5 || sum.Rejected != 0 || sum.Pending != 0 || sum.Parent != lapor.ParentName {
		t.Fatalf("summary: %+v", sum)
	}
	reps := f.reports()
	if len(reps) != 3 || f.count() != 3 {
		t.Fatalf("fake stored %d reports from %d requests, want 3 and 3", len(reps), f.count())
	}
	want := map[string]map[string]string{
		pub:  {"topic_id": "1204", "classification": "1", "is_anonymous": "0", "is_secret": "0", "incident_date": "2025-03-04", "location": "Jl. Merdeka 1"},
		anon: {"topic_id": "99", "classification": "2", "is_anonymous": "1", "is_secret": "0"},
		conf: {"topic_id": "99", "classification": "3", "is_anonymous": "0", "is_secret": "1"},
	}
	for i, r := range reps {
		code := r["external_id"]
		w, ok := want[code]
		if !ok {
			t.Fatalf("report %d has reference %q, not one of ours", i, code)
		}
		delete(want, code)
		for k, v := range w {
			if r[k] != v {
				t.Errorf("%s: %s = %q, want %q", code, k, r[k], v)
			}
		}
		if r["KEYTOKEN"] != f.token || r["title"] == "" || !strings.Contains(r["content"], "Lubang besar") {
			t.Errorf("%s: token/title/content not as sent: %v", code, r)
		}
		if got := laporID(t, app, code); got != trackingIDFor(i+1) {
			t.Errorf("%s: lapor_tracking_id %q, want %q", code, got, trackingIDFor(i+1))
		}
		if hub := func() string {
			c, _ := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
			return c.GetString("hub_tracking_id")
		}(); hub != "" {
			t.Errorf("%s: hub_tracking_id %q set by the LAPOR! adapter", code, hub)
		}
	}
	if len(want) != 0 {
		t.Errorf("never posted: %v", want)
	}
	if n := outboxCount(t, app, model.OutboxSent); n != 5 {
		t.Errorf("%d outbox rows sent, want 5", n)
	}
	assertNoIdentity(t, f)

	// A second pass has nothing to send; a later event is settled without
	// a request.
	sum, err = s.Pass(t.Context())
	if err != nil || sum.Pushed+sum.Duplicates+sum.Rejected != 0 || f.count() != 3 {
		t.Fatalf("second pass: %v %+v, fake saw %d requests", err, sum, f.count())
	}
	transition(t, app, conf, model.StatusTerdisposisi)
	sum, err = s.Pass(t.Context())
	if err != nil || sum.Pushed != 2 || f.count() != 3 || sum.Pending != 0 { // the move and its note
		t.Fatalf("pass after a later event: %v %+v, fake saw %d requests", err, sum, f.count())
	}
	for code, n := range f.byRef() {
		if n != 1 {
			t.Errorf("%s exists %d times at LAPOR!", code, n)
		}
	}
}

// The fake fails in a way that is worth retrying: nothing is marked sent,
// the summary says why, and a later pass delivers every report once.
func TestTransientFailuresRetryLater(t *testing.T) {
	cases := []struct {
		mode, inError, kind string
	}{
		{"500", "answered 500", upstream.ErrKindParent},
		{"429", "answered 429", upstream.ErrKindBusy},
		{"hang", "deadline exceeded", upstream.ErrKindUnreachable},
		{"408", "request timeout", upstream.ErrKindUnreachable},
		{"drop", "EOF", upstream.ErrKindUnreachable},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			f := newFakeLapor(t)
			app, _ := newNode(t, f)
			s := shortSyncer(app, f, 300*time.Millisecond)
			a := addComplaint(t, app, spec{privacy: model.PrivacyPublic})
			b := addComplaint(t, app, spec{privacy: model.PrivacyConfidential})
			setMapping(t, app, `{"default_topic": "99"}`)
			f.set(tc.mode)
			sum, err := s.Pass(t.Context())
			if err == nil || sum.OK || !strings.Contains(sum.Error, tc.inError) || sum.LastErrorKind != tc.kind {
				t.Fatalf("pass against %s: err %v, summary %+v", tc.mode, err, sum)
			}
			if sum.Pending != 2 || outboxCount(t, app, model.OutboxSent) != 0 || sum.Failures != 1 {
				t.Errorf("after a failed pass: %+v", sum)
			}
			if laporID(t, app, a)+laporID(t, app, b) != "" {
				t.Error("a tracking id was recorded from a failed post")
			}
			if strings.Contains(sum.Error, f.srv.URL+"/") {
				t.Errorf("the error carries the full URL: %s", sum.Error)
			}
			f.set("ok")
			sum, err = s.Pass(t.Context())
			if err != nil || sum.Pushed != 2 || sum.Pending != 0 || sum.Failures != 0 {
				t.Fatalf("pass after recovery: %v %+v", err, sum)
			}
			if got := f.byRef(); len(got) != 2 || got[a] != 1 || got[b] != 1 {
				t.Errorf("reports at LAPOR!: %v", got)
			}
			assertNoIdentity(t, f)
		})
	}
}

// LAPOR! takes the first report, then fails: the report it took is not
// posted again (its id was recorded at once), the other one is.
func TestFailureMidBatchPostsNothingTwice(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setMapping(t, app, `{"default_topic": "99"}`)
	a := addComplaint(t, app, spec{})
	b := addComplaint(t, app, spec{})
	f.mu.Lock()
	f.mode, f.okLeft = "fail-after", 1
	f.mu.Unlock()
	if sum, err := s.Pass(t.Context()); err == nil || sum.Pending != 2 {
		t.Fatalf("pass: %v %+v", err, sum)
	}
	if laporID(t, app, a) != trackingIDFor(1) || laporID(t, app, b) != "" {
		t.Fatalf("ids after the half pass: %q %q", laporID(t, app, a), laporID(t, app, b))
	}
	f.set("ok")
	sum, err := s.Pass(t.Context())
	if err != nil || sum.Pushed != 1 || sum.Duplicates != 1 || sum.Pending != 0 {
		t.Fatalf("second pass: %v %+v", err, sum)
	}
	if got := f.byRef(); got[a] != 1 || got[b] != 1 || len(got) != 2 {
		t.Errorf("reports at LAPOR!: %v", got)
	}
	if laporID(t, app, b) != trackingIDFor(2) {
		t.Errorf("b's id %q", laporID(t, app, b))
	}
}

// Answers that mean the office's configuration is wrong stop the pass with
// an error naming what to check, and mark nothing.
func TestConfigurationErrorsMarkNothing(t *testing.T) {
	cases := []struct {
		mode, inError, hint, kind string
	}{
		{"401", "check SIMPUL_LAPOR_TOKEN", "token", upstream.ErrKindAuth},
		{"wrong-token", "check SIMPUL_LAPOR_TOKEN", "token", upstream.ErrKindAuth},
		{"404", "check SIMPUL_LAPOR_URL", "url", upstream.ErrKindRefused},
		{"302", "check SIMPUL_LAPOR_URL", "url", ""},
		{"html", "check SIMPUL_LAPOR_URL", "url", ""},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			f := newFakeLapor(t)
			app, s := newNode(t, f)
			setMapping(t, app, `{"default_topic": "99"}`)
			addComplaint(t, app, spec{})
			addComplaint(t, app, spec{privacy: model.PrivacyAnonymous})
			if tc.mode == "wrong-token" {
				f.token = "another-token" // the office's token no longer matches
			} else {
				f.set(tc.mode)
			}
			sum, err := s.Pass(t.Context())
			if err == nil || !strings.Contains(sum.Error, tc.inError) {
				t.Fatalf("pass: %v %+v", err, sum)
			}
			if h := lapor.Hint(sum.LastError); h != tc.hint {
				t.Errorf("hint %q, want %q", h, tc.hint)
			}
			if tc.kind != "" && sum.LastErrorKind != tc.kind {
				t.Errorf("kind %q, want %q", sum.LastErrorKind, tc.kind)
			}
			if sum.Pending != 2 || sum.RejectedAll != 0 || outboxCount(t, app, model.OutboxSent) != 0 {
				t.Errorf("rows marked after a configuration error: %+v", sum)
			}
			if f.count() != 1 {
				t.Errorf("the pass went on after the first answer: %d requests", f.count())
			}
			if len(f.reports()) != 0 {
				t.Error("the fake stored a report")
			}
			if strings.Contains(sum.Error, f.token) {
				t.Error("the error carries the token")
			}
		})
	}
}

// LAPOR! refuses one report (400): that one is rejected with the reason,
// the others go through; the refused one does not block the queue, its
// later events send nothing, and once an admin re-queues it, it is sent.
func TestRefusedReportDoesNotBlockTheQueue(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setMapping(t, app, `{"default_topic": "99"}`)
	a := addComplaint(t, app, spec{})
	bad := addComplaint(t, app, spec{privacy: model.PrivacyConfidential})
	c := addComplaint(t, app, spec{})
	f.refuse[bad] = 400

	sum, err := s.Pass(t.Context())
	if err != nil || sum.Pushed != 2 || sum.Rejected != 1 || sum.Pending != 0 || sum.RejectedAll != 1 {
		t.Fatalf("pass: %v %+v", err, sum)
	}
	if got := f.byRef(); got[a] != 1 || got[c] != 1 || got[bad] != 0 {
		t.Errorf("reports at LAPOR!: %v", got)
	}
	st, reason := createdRow(t, app, bad)
	if st != outbox.StatusRejected || !strings.Contains(reason, "refused the report (400)") || !strings.Contains(reason, "Topik tidak dikenal") {
		t.Errorf("refused row: %s %q", st, reason)
	}
	if laporID(t, app, bad) != "" {
		t.Error("a refused report got an id")
	}

	requests := f.count()
	transition(t, app, bad, model.StatusTerdisposisi)
	if sum, err := s.Pass(t.Context()); err != nil || f.count() != requests || sum.Pending != 0 {
		t.Fatalf("a later event of a refused report: %v %+v, %d requests (was %d)", err, sum, f.count(), requests)
	}

	// The admin fixes the cause and sets the row back to pending.
	delete(f.refuse, bad)
	if _, err := app.DB().NewQuery(`UPDATE sync_outbox SET status = 'pending' WHERE status = 'rejected'`).Execute(); err != nil {
		t.Fatal(err)
	}
	if sum, err := s.Pass(t.Context()); err != nil || sum.Pushed != 1 || sum.RejectedAll != 0 {
		t.Fatalf("after re-queueing: %v %+v", err, sum)
	}
	if got := f.byRef(); got[bad] != 1 || laporID(t, app, bad) == "" {
		t.Errorf("re-queued report: %v, id %q", got, laporID(t, app, bad))
	}
}

// A 200 answer without a tracking id is a refusal with a clear reason; an
// answer with the ids under "data" is understood.
func TestAnswerShapes(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setMapping(t, app, `{"default_topic": "99"}`)
	noid := addComplaint(t, app, spec{})
	f.set("noid")
	sum, err := s.Pass(t.Context())
	if err != nil || sum.Rejected != 1 || sum.Pushed != 0 {
		t.Fatalf("no id: %v %+v", err, sum)
	}
	if st, reason := createdRow(t, app, noid); st != outbox.StatusRejected ||
		!strings.Contains(reason, "without a TrackingID") || !strings.Contains(reason, "tidak lengkap") {
		t.Errorf("row: %s %q", st, reason)
	}

	nested := addComplaint(t, app, spec{})
	f.set("nested")
	if sum, err := s.Pass(t.Context()); err != nil || sum.Pushed != 1 {
		t.Fatalf("nested: %v %+v", err, sum)
	}
	if got := laporID(t, app, nested); got != trackingIDFor(1) {
		t.Errorf("id from data: %q", got)
	}
}

// A complaint whose "created" event went to an earlier parent (acknowledged
// before this node was connected to LAPOR!) is posted with its next event.
func TestLaterEventOfAnEarlierSentComplaintPostsIt(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setMapping(t, app, `{"default_topic": "99"}`)
	code := addComplaint(t, app, spec{})
	if _, err := app.DB().NewQuery(`UPDATE sync_outbox SET status = 'sent'`).Execute(); err != nil {
		t.Fatal(err)
	}
	transition(t, app, code, model.StatusTerdisposisi)
	transition(t, app, code, model.StatusProses)
	sum, err := s.Pass(t.Context())
	if err != nil || sum.Pushed != 3 || sum.Pending != 0 { // a disposition carries its note
		t.Fatalf("pass: %v %+v", err, sum)
	}
	reps := f.reports()
	if len(reps) != 1 || reps[0]["external_id"] != code || laporID(t, app, code) != trackingIDFor(1) {
		t.Fatalf("reports %v, id %q", reps, laporID(t, app, code))
	}
}

// The office's overrides in sync_state change what is sent: field names,
// type codes, flag values, the body encoding, the token's place, extra
// fields, the unit's LAPOR! id, statuses, the answer's keys.
func TestMappingOverrides(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	f.tokenField, f.tokenHeader, f.refField = "", "Authorization", "no_referensi"
	f.trackingKey, f.transactionKey = "no_tracking", "id_transaksi"
	setMapping(t, app, `{
		"fields": {"token": "", "title": "judul", "content": "isi", "topic": "kategori",
			"type": "jenis", "anonymous": "anonim", "secret": "rahasia", "reference": "no_referensi",
			"date": "tanggal_kejadian", "location": "", "status": "status", "unit": "instansi_tujuan"},
		"types": {"pengaduan": "P", "aspirasi": "A"},
		"statuses": {"baru": "0"},
		"flag_true": "ya", "flag_false": "tidak",
		"default_topic": "77",
		"date_format": "02/01/2006",
		"extra": {"sumber": "simpul", "id_instansi": "3201"},
		"encoding": "json",
		"token_header": "Authorization", "token_prefix": "Bearer ",
		"tracking_field": "no_tracking", "transaction_field": "id_transaksi"
	}`)
	unit := testkit.Unit(t, app, "KES")
	if _, err := app.DB().NewQuery(`UPDATE units SET lapor_id = 'U-88' WHERE id = {:id}`).Bind(dbx.Params{"id": unit.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	rec := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: "KES", Privacy: model.PrivacyAnonymous})
	code := rec.GetString("tracking_code")
	if _, err := app.DB().NewQuery(`UPDATE complaints SET incident_date = '2025-03-04 00:00:00.000Z', location = 'Pasar'
		WHERE id = {:id}`).Bind(dbx.Params{"id": rec.Id}).Execute(); err != nil {
		t.Fatal(err)
	}

	sum, err := s.Pass(t.Context())
	if err != nil || sum.Pushed != 1 {
		t.Fatalf("pass: %v %+v", err, sum)
	}
	caps := f.captures()
	if len(caps) != 1 || !strings.HasPrefix(caps[0].header.Get("Content-Type"), "application/json") ||
		caps[0].header.Get("Authorization") != "Bearer "+f.token {
		t.Fatalf("request: %d captured, headers %v", len(caps), caps[0].header)
	}
	want := map[string]string{"judul": "Jalan rusak di depan puskesmas", "kategori": "77", "jenis": "P", "anonim": "ya",
		"rahasia": "tidak", "no_referensi": code, "tanggal_kejadian": "04/03/2025", "status": "0",
		"instansi_tujuan": "U-88", "sumber": "simpul", "id_instansi": "3201"}
	got := caps[0].fields
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, k := range []string{"KEYTOKEN", "title", "topic_id", "classification", "location", "external_id"} {
		if _, ok := got[k]; ok {
			t.Errorf("default field %s still sent", k)
		}
	}
	if !strings.Contains(got["isi"], "Lubang besar") || len(got) != len(want)+1 {
		t.Errorf("fields sent: %v", got)
	}
	if laporID(t, app, code) != trackingIDFor(1) {
		t.Errorf("id from no_tracking: %q", laporID(t, app, code))
	}
}

// A broken mapping stops the pass before any request, with an error that
// names the sync_state row.
func TestInvalidMappingSendsNothing(t *testing.T) {
	cases := map[string]string{
		"not JSON":        `{"fields": {"title": "judul"`,
		"unknown key":     `{"feilds": {"title": "judul"}}`,
		"unknown field":   `{"fields": {"judul": "title"}}`,
		"unknown type":    `{"types": {"complaint": "1"}}`,
		"bad encoding":    `{"encoding": "xml"}`,
		"token nowhere":   `{"fields": {"token": ""}}`,
		"extra collision": `{"extra": {"title": "x"}}`,
	}
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	addComplaint(t, app, spec{})
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			setMapping(t, app, raw)
			sum, err := s.Pass(t.Context())
			if err == nil || !strings.Contains(sum.Error, lapor.MappingKey) || lapor.Hint(sum.LastError) != "mapping" ||
				sum.LastErrorKind != upstream.ErrKindOther {
				t.Fatalf("pass: %v %+v", err, sum)
			}
			if sum.Pending != 1 || f.count() != 0 {
				t.Errorf("sent with a broken mapping: %+v, %d requests", sum, f.count())
			}
		})
	}
	// Stored as a JSON string (as an admin form may keep it), it is read.
	setMapping(t, app, `"{\"default_topic\": \"99\"}"`)
	if sum, err := s.Pass(t.Context()); err != nil || sum.Pushed != 1 {
		t.Fatalf("mapping as a JSON string: %v %+v", err, sum)
	}
}

// A category without a topic and no default topic: that report is refused
// locally with the category named; no request goes out for it.
func TestMissingTopicIsRefusedLocally(t *testing.T) {
	f := newFakeLapor(t)
	app, s := newNode(t, f)
	setTopic(t, app, "KES-PUSK", "1204")
	ok := addComplaint(t, app, spec{cat: "KES-PUSK"})
	none := addComplaint(t, app, spec{cat: "INF-AIR"})
	sum, err := s.Pass(t.Context())
	if err != nil || sum.Pushed != 1 || sum.Rejected != 1 {
		t.Fatalf("pass: %v %+v", err, sum)
	}
	if st, reason := createdRow(t, app, none); st != outbox.StatusRejected || !strings.Contains(reason, "INF-AIR") {
		t.Errorf("row: %s %q", st, reason)
	}
	if got := f.byRef(); got[ok] != 1 || len(got) != 1 || f.count() != 1 {
		t.Errorf("reports %v after %d requests", got, f.count())
	}
}

func TestConfigLoad(t *testing.T) {
	tokenFile := t.TempDir() + "/token"
	if err := os.WriteFile(tokenFile, []byte("dari-berkas\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
		token   string
	}{
		{"none", map[string]string{}, "", ""},
		{"url and token", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api/laporan", "SIMPUL_LAPOR_TOKEN": "t1"}, "", "t1"},
		{"token file", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN_FILE": tokenFile}, "", "dari-berkas"},
		{"missing token file", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN_FILE": tokenFile + ".x"}, "SIMPUL_LAPOR_TOKEN_FILE", ""},
		{"no token", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api"}, "SIMPUL_LAPOR_URL needs SIMPUL_LAPOR_TOKEN", ""},
		{"not a URL", map[string]string{"SIMPUL_LAPOR_URL": "lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t"}, "SIMPUL_LAPOR_URL \"lapor.example/api\" is not an http(s) URL", ""},
		{"ftp", map[string]string{"SIMPUL_LAPOR_URL": "ftp://lapor.example/", "SIMPUL_LAPOR_TOKEN": "t"}, "is not an http(s) URL", ""},
		{"both parents", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t",
			"SIMPUL_UPSTREAM_URL": "https://kab.example", "SIMPUL_NODE_ID": "n", "SIMPUL_NODE_SECRET": "s"}, "not both", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string { return tc.env[k] })
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if cfg.LaporToken != tc.token || cfg.LaporURL != tc.env["SIMPUL_LAPOR_URL"] {
					t.Errorf("config: url %q token %q", cfg.LaporURL, cfg.LaporToken)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "config: ") {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// A kabupaten hub whose parent is LAPOR! relays what a puskesmas pushed to
// it: each puskesmas complaint reaches LAPOR! once, under the puskesmas's
// tracking code, with the category's topic and the privacy flags; the
// identity stays on the puskesmas.
func TestHubRelaysChildComplaints(t *testing.T) {
	f := newFakeLapor(t)
	kab, kabSync := newNode(t, f)
	setMapping(t, kab, `{"default_topic": "99"}`)
	setTopic(t, kab, "KES-PUSK", "1204")
	// Serving starts its scheduler: a pass of its own may deliver some
	// reports first; either way each is posted once.
	kabSrv := testkit.Serve(t, kab)
	creds, err := hub.AddNode(kab, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	pkm := testkit.New(t)
	pkmSync := upstream.NewSyncer(pkm, upstream.NewHTTPParent(kabSrv.URL, creds.NodeID, creds.Secret, clock.Func(pkm)), "kab", time.Minute)
	pub := addComplaint(t, pkm, spec{cat: "KES-PUSK"})
	anon := addComplaint(t, pkm, spec{cat: "INF-JALAN", privacy: model.PrivacyAnonymous})
	transition(t, pkm, pub, model.StatusTerdisposisi)

	if sum, err := pkmSync.Pass(t.Context()); err != nil || sum.Pushed != 4 { // a disposition carries its note
		t.Fatalf("puskesmas pass: %v %+v", err, sum)
	}
	if sum, err := kabSync.Pass(t.Context()); err != nil || sum.Pending != 0 || sum.Rejected != 0 {
		t.Fatalf("kabupaten pass: %v %+v", err, sum)
	}
	got := map[string]map[string]string{}
	for _, r := range f.reports() {
		if got[r["external_id"]] != nil {
			t.Fatalf("%s posted twice", r["external_id"])
		}
		got[r["external_id"]] = r
	}
	if len(got) != 2 || got[pub]["topic_id"] != "1204" || got[anon]["topic_id"] != "99" ||
		got[anon]["is_anonymous"] != "1" || got[pub]["is_anonymous"] != "0" {
		t.Fatalf("reports at LAPOR!: %v", got)
	}
	if laporID(t, kab, pub) == "" || laporID(t, kab, anon) == "" {
		t.Error("the hub did not record LAPOR!'s ids")
	}
	assertNoIdentity(t, f)
}
