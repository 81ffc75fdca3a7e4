package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// treeClock is the one fake clock of a tree of processes (testclock.go):
// a file every process reads; writing it moves them all.
type treeClock struct {
	path string
	now  time.Time
}

func newTreeClock(t *testing.T, start time.Time) *treeClock {
	c := &treeClock{path: filepath.Join(t.TempDir(), "clock"), now: start}
	c.write(t)
	return c
}

func (c *treeClock) env() string { return "SIMPUL_TEST_CLOCK_FILE=" + c.path }

func (c *treeClock) write(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(c.path, []byte(c.now.Format(time.RFC3339)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// add moves every process of the tree d on.
func (c *treeClock) add(t *testing.T, d time.Duration) {
	t.Helper()
	c.now = c.now.Add(d)
	c.write(t)
}

// caseView is the staff view of a case at an office (GET
// /api/staff/complaints/{code}): what every copy agrees on.
type caseView struct {
	Status, Office, Channel, Created, Unit, Privacy string
	Dates                                           map[string]string
	Overdue                                         bool
}

func (o *treeOffice) detail(t *testing.T, code string) caseView {
	t.Helper()
	st, v := o.call(t, http.MethodGet, "/api/staff/complaints/"+code, nil)
	if st != 200 {
		t.Fatalf("%s: view %s: %d %v", o.code, code, st, v)
	}
	s := func(k string) string { x, _ := v[k].(string); return x }
	cv := caseView{Status: s("status"), Office: s("office"), Channel: s("channel"), Created: s("created"),
		Unit: s("unit"), Privacy: s("privacy"), Dates: map[string]string{}}
	cv.Overdue, _ = v["overdue"].(bool)
	if d, ok := v["dates"].(map[string]any); ok {
		for k, x := range d {
			cv.Dates[k] = fmt.Sprint(x)
		}
	}
	return cv
}

// intake takes a complaint in at the office's counter (staff API) and
// returns its tracking code.
func (o *treeOffice) intake(t *testing.T, title string) string {
	t.Helper()
	st, v := o.call(t, http.MethodPost, "/api/complaints", map[string]any{
		"type": "pengaduan", "title": title,
		"body":     "Warga melaporkan keadaan ini sejak tiga hari; mohon segera ditindaklanjuti oleh petugas.",
		"category": "INF-PJU", "privacy": "public", "reporter_name": "Warga Rahasia Uji", "reporter_phone": "081299887766",
	})
	code, _ := v["tracking_code"].(string)
	if st != http.StatusCreated || code == "" {
		t.Fatalf("intake at %s: %d %v", o.code, st, v)
	}
	return code
}

// mustSync runs one pass of each office, in order, each of which must
// succeed.
func mustSync(t *testing.T, offices ...*treeOffice) {
	t.Helper()
	for _, o := range offices {
		if !o.sync(t) {
			_, v := o.call(t, http.MethodPost, "/api/sync/run", nil)
			t.Fatalf("%s: pass failed: %v", o.code, v)
		}
	}
}

// followUp posts a follow-up at the office (the first one moves the case
// to proses); it must be accepted.
func (o *treeOffice) followUp(t *testing.T, code, note string) {
	t.Helper()
	if st, v := o.call(t, http.MethodPost, "/api/complaints/"+code+"/followups", map[string]any{"note": note}); st != 200 {
		t.Fatalf("%s: follow-up on %s: %d %v", o.code, code, st, v)
	}
}

// laporCases counts the cases the office holds under LAPOR!'s tracking id
// (the staff list, searched by the id).
func (o *treeOffice) laporCases(t *testing.T, tid string) int {
	t.Helper()
	db := crashOpen(t, o.dir) // a reader beside the running process (WAL)
	defer db.Close()
	var n int
	if err := db.Select("count(*)").From("complaints").Where(dbx.HashExp{"lapor_tracking_id": tid}).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// laporCase is the tracking code of the one case the office holds under
// LAPOR!'s tracking id.
func (o *treeOffice) laporCase(t *testing.T, tid string) string {
	t.Helper()
	db := crashOpen(t, o.dir)
	defer db.Close()
	var codes []string
	if err := db.Select("tracking_code").From("complaints").Where(dbx.HashExp{"lapor_tracking_id": tid}).Column(&codes); err != nil {
		t.Fatal(err)
	}
	if len(codes) != 1 {
		t.Fatalf("%s holds %d cases under LAPOR!'s id %s, want 1", o.code, len(codes), tid)
	}
	return codes[0]
}

// setEnv sets (or replaces) one variable of the office's environment.
func (o *treeOffice) setEnv(kv string) {
	key := kv[:strings.IndexByte(kv, '=')+1]
	o.env = slices.DeleteFunc(o.env, func(e string) bool { return strings.HasPrefix(e, key) })
	o.env = append(o.env, kv)
}

// atLapor makes the office the top of the tree, talking to the fake
// SP4N-LAPOR! with the fake's mapping.
func (o *treeOffice) atLapor(t *testing.T, f *laporFake) {
	t.Helper()
	o.env = append(o.env, "SIMPUL_ALLOW_HTTP_UPSTREAM=lab", "SIMPUL_LAPOR_URL="+f.url(), "SIMPUL_LAPOR_TOKEN="+f.token)
	db := crashOpen(t, o.dir)
	defer db.Close()
	if _, err := db.NewQuery(`INSERT INTO sync_state (key, value, created, updated)
		VALUES ('lapor_mapping', {:v}, '2026-03-01 00:00:00.000Z', '2026-03-01 00:00:00.000Z')`).
		Bind(dbx.Params{"v": laporMapping}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// laporReady runs "simpul sync lapor-ready" on the office: its children
// have resent (or it is new), and it may deliver to LAPOR! what waited.
func (o *treeOffice) laporReady(t *testing.T) {
	t.Helper()
	if rc, out, errOut := crashRun(t, o.env, "sync", "lapor-ready", "--dir", o.dir); rc != 0 || !strings.Contains(out, `"released"`) {
		t.Fatalf("%s: sync lapor-ready: %d %s%s", o.code, rc, out, errOut)
	}
}

// TestNetworkOnRealProcesses runs issue 11's scenarios on three real
// "simpul serve" processes — a kabupaten hub (KAB, the top of the tree,
// talking to SP4N-LAPOR!) and two puskesmas (PKA, PKB) — on one fake
// clock, acted on through the staff API and synced by POST /api/sync/run:
// route down, bukan wewenang across, re-route after proses, the hub and a
// child acting in the same window, a child offline for a week while cases
// are routed to it, LAPOR! through the whole case (a lost answer included),
// and the hub refilled from its children after it lost its disk. Every
// office that holds a case ends with one status and the same dates, every
// event is on every level above its own exactly once, LAPOR! holds one
// report per case and never the reporter's identity, nothing is pending.
func TestNetworkOnRealProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three processes")
	}
	wib := time.FixedZone("WIB", 7*3600)
	clk := newTreeClock(t, time.Date(2026, 3, 4, 8, 0, 0, 0, wib)) // a Wednesday
	lapor := newLaporFake(t)
	kab, creds := newTreeOffice(t, "KAB", "PKA", "PKB")
	pka, _ := newTreeOffice(t, "PKA")
	pkb, _ := newTreeOffice(t, "PKB")
	kab.atLapor(t, lapor)
	kab.laporReady(t) // a new hub with children: its operator confirms once
	for _, o := range []*treeOffice{kab, pka, pkb} {
		o.env = append(o.env, clk.env())
	}
	kab.start(t)
	pka.below(kab, creds["PKA"])
	pka.start(t)
	pkb.below(kab, creds["PKB"])
	pkb.start(t)

	// Route down: a case taken in at the hub is in PKB's queue after ONE
	// pull, with the hub's follow-up deadline; routing it to PKB's own
	// unit a day later does not restart the clock.
	down := kab.intake(t, "Lampu jalan mati di depan sekolah")
	kab.move(t, down, map[string]any{"to": "terdisposisi", "office": "PKB", "note": "Untuk Puskesmas B"})
	hubDue := kab.detail(t, down).Dates["followup_due_at"]
	if hubDue == "" {
		t.Fatal("the hub set no follow-up deadline when it routed the case")
	}
	mustSync(t, pkb)
	if v := pkb.detail(t, down); v.Status != "terdisposisi" || v.Office != "PKB" || v.Dates["followup_due_at"] != hubDue {
		t.Fatalf("PKB after one pull: %s at %s due %q, want terdisposisi at PKB due %q", v.Status, v.Office, v.Dates["followup_due_at"], hubDue)
	}
	clk.add(t, 24*time.Hour)
	pkb.move(t, down, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	if due := pkb.detail(t, down).Dates["followup_due_at"]; due != hubDue {
		t.Errorf("routing to PKB's unit restarted the clock: due %q, the hub set %q", due, hubDue)
	}
	pkb.followUp(t, down, "Petugas sudah meninjau lokasi.") // terdisposisi → proses

	// Bukan wewenang across: PKA hands a case up; it lands in the hub's
	// verification queue; the hub routes it across to PKB.
	across := pka.intake(t, "Saluran air tersumbat di gang mawar")
	mustSync(t, pka)
	pka.move(t, across, map[string]any{"to": "bukan_wewenang", "note": "Wilayah kerja Puskesmas B"})
	mustSync(t, pka)
	if v := kab.detail(t, across); v.Status != "baru" || v.Office != "KAB" || v.Dates["verify_due_at"] == "" {
		t.Fatalf("KAB after the hand-up: %s at %s, verification due %q; want it in KAB's verification queue", v.Status, v.Office, v.Dates["verify_due_at"])
	}
	kab.move(t, across, map[string]any{"to": "terdisposisi", "office": "PKB", "note": "Untuk Puskesmas B"})
	mustSync(t, pkb)
	if v := pkb.detail(t, across); v.Status != "terdisposisi" || v.Office != "PKB" {
		t.Fatalf("PKB after one pull: %s at %s", v.Status, v.Office)
	}
	pkb.move(t, across, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	mustSync(t, pkb)

	// LAPOR!: the hub's pass sends each verified case once. The answer to
	// the first report is lost: the next pass looks it up by our
	// reference instead of making a second one. LAPOR! has disposed a
	// report to the agency: the pass brings it into KAB's verification
	// queue, once.
	lapor.mu.Lock()
	lapor.loseNext = true
	lapor.mu.Unlock()
	lapor.dispose("7000001", "Sampah menumpuk di pasar", "Sampah tidak diangkut sejak seminggu; baunya sampai ke rumah warga.")
	kab.sync(t) // may fail on the lost answer
	mustSync(t, kab)
	lapor.mu.Lock()
	lookups := lapor.lookups
	lapor.mu.Unlock()
	if lookups == 0 {
		t.Error("the report whose answer was lost was not looked up before it was sent again")
	}

	fromLapor := kab.laporCase(t, "7000001")
	if v := kab.detail(t, fromLapor); v.Status != "baru" || v.Office != "KAB" || v.Channel != "lapor" {
		t.Fatalf("LAPOR!'s disposed report at KAB: %+v, want baru at KAB by channel lapor", v)
	}
	kab.move(t, fromLapor, map[string]any{"to": "terdisposisi", "office": "PKB", "note": "Untuk Puskesmas B"})
	mustSync(t, pkb)
	pkb.followUp(t, fromLapor, "Sampah sudah diangkut petugas kebersihan.")
	mustSync(t, pkb, kab, kab)
	if _, rep := lapor.report(""); !slices.Contains(rep.followups, "Sampah sudah diangkut petugas kebersihan.") {
		t.Errorf("the follow-up of LAPOR!'s own report did not reach it: %+v", rep)
	}
	if st, raw := crashCall(pkb.client, http.MethodGet, pkb.p.base+"/api/track/"+fromLapor, "", nil); st != 200 ||
		!strings.Contains(string(raw), `"lapor_tracking_id":"7000001"`) {
		t.Errorf("PKB's tracking page of LAPOR!'s report: %d %s", st, raw)
	}

	// Re-route after proses: without a reason it is refused; with one PKB
	// hands the case up and the hub routes it to PKA.
	if st, v := pkb.call(t, http.MethodPost, "/api/complaints/"+down+"/transitions", map[string]any{"to": "bukan_wewenang"}); st == 200 {
		t.Fatalf("a re-route after proses without a reason was accepted: %v", v)
	}
	pkb.move(t, down, map[string]any{"to": "bukan_wewenang", "note": "Lokasi di wilayah Puskesmas A"})
	mustSync(t, pkb)
	if v := kab.detail(t, down); v.Status != "baru" || v.Office != "KAB" {
		t.Fatalf("KAB after the re-route from proses: %s at %s", v.Status, v.Office)
	}
	kab.move(t, down, map[string]any{"to": "terdisposisi", "office": "PKA", "note": "Untuk Puskesmas A"})
	mustSync(t, pka)
	if v := pka.detail(t, down); v.Status != "terdisposisi" || v.Office != "PKA" {
		t.Fatalf("PKA after one pull: %s at %s", v.Status, v.Office)
	}

	// The same window: the hub re-routes `across` to PKA while PKB posts a
	// follow-up. The hub's state stands everywhere; PKB's follow-up is kept.
	kab.move(t, across, map[string]any{"to": "terdisposisi", "office": "PKA", "note": "Dialihkan ke Puskesmas A"})
	const overruled = "Tindak lanjut PKB di jendela yang sama."
	pkb.followUp(t, across, overruled)
	mustSync(t, pkb, pka, pkb)
	for _, o := range []*treeOffice{kab, pka, pkb} {
		if v := o.detail(t, across); v.Status != "terdisposisi" || v.Office != "PKA" {
			t.Errorf("%s after the same window: %s at %s, want terdisposisi at PKA", o.code, v.Status, v.Office)
		}
	}
	// The citizen's tracking page at the origin keeps PKB's words but does
	// not show the status they were written with as the case's last step.
	var tr struct {
		Status   string `json:"status"`
		Timeline []struct {
			Status, Note string
		} `json:"timeline"`
	}
	if st, raw := crashCall(pka.client, http.MethodGet, pka.p.base+"/api/track/"+across, "", nil); st != 200 || json.Unmarshal(raw, &tr) != nil {
		t.Fatalf("tracking %s at PKA: %d %s", across, st, raw)
	}
	last, kept := "", false
	for _, e := range tr.Timeline {
		if e.Status != "" {
			last = e.Status
		}
		kept = kept || e.Note == overruled
	}
	if last != tr.Status || tr.Status != "terdisposisi" || !kept {
		t.Errorf("the origin's tracking page of %s: status %s, last step %s, PKB's follow-up shown %v", across, tr.Status, last, kept)
	}

	// A child offline for a week while cases are routed to it: one pass
	// after it comes back puts them in its queue with the hub's deadlines,
	// which have passed meanwhile.
	pka.p.stop()
	var week []string
	weekDue := map[string]string{}
	for i := range 2 {
		code := kab.intake(t, fmt.Sprintf("Pohon tumbang menutup jalan %d", i))
		kab.move(t, code, map[string]any{"to": "terdisposisi", "office": "PKA", "note": "Untuk Puskesmas A"})
		week = append(week, code)
		weekDue[code] = kab.detail(t, code).Dates["followup_due_at"]
		clk.add(t, 24*time.Hour)
	}
	clk.add(t, 7*24*time.Hour)
	pka.start(t)
	mustSync(t, pka)
	for _, code := range week {
		v := pka.detail(t, code)
		if v.Status != "terdisposisi" || v.Office != "PKA" || v.Dates["followup_due_at"] != weekDue[code] || !v.Overdue {
			t.Errorf("%s at PKA after its week offline: %s at %s, due %q (the hub's %q), overdue %v; want terdisposisi at PKA, the hub's deadline, overdue",
				code, v.Status, v.Office, v.Dates["followup_due_at"], weekDue[code], v.Overdue)
		}
	}

	// LAPOR! through the rest of the case: PKA follows `down` up and closes
	// it; the hub's pass carries the follow-up and the closing.
	pka.move(t, down, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	pka.followUp(t, down, "Lampu sudah diganti.")
	pka.move(t, down, map[string]any{"to": "selesai", "note": "Selesai: lampu menyala kembali."})
	mustSync(t, pka, pkb, kab, pka, pkb)
	tid, rep := lapor.report(down)
	if tid == "" || !slices.Contains(rep.followups, "Petugas sudah meninjau lokasi.") || !slices.Contains(rep.followups, "Lampu sudah diganti.") ||
		len(rep.closings) != 1 || !slices.Contains(rep.statuses, "3") {
		t.Errorf("LAPOR! holds of %s: id %q %+v", down, tid, rep)
	}
	if st, raw := crashCall(pkb.client, http.MethodGet, pkb.p.base+"/api/track/"+down, "", nil); st != 200 || !strings.Contains(string(raw), tid) {
		t.Errorf("LAPOR!'s id %s is not on PKB's tracking page of %s: %d %s", tid, down, st, raw)
	}
	if st, raw := crashCall(pka.client, http.MethodGet, pka.p.base+"/api/track/"+across, "", nil); st != 200 ||
		!strings.Contains(string(raw), `"lapor_tracking_id"`) || !strings.Contains(string(raw), `"status":"terdisposisi"`) {
		t.Errorf("the origin's tracking page of %s: %d %s", across, st, raw)
	}

	// The hub loses its disk. A new hub at the same address registers its
	// children again; "simpul sync resend --all" on each refills it. It is
	// connected to LAPOR! from its first pass, before and while the
	// children resend: its ledger is new and it has children, so it makes
	// no later call and pulls nothing until the operator runs "simpul sync
	// lapor-ready" (docs/lapor-adapter.md §5); then it sends LAPOR! only
	// what the evidence that came back with the cases says it lacks.
	holders := map[string][]*treeOffice{down: {kab, pka, pkb}, across: {kab, pka, pkb}, week[0]: {kab, pka}, week[1]: {kab, pka},
		fromLapor: {kab, pkb}}
	before := map[string]caseView{}
	for code := range holders {
		before[code] = kab.detail(t, code)
	}
	lapor.mu.Lock()
	calls := len(lapor.bodies)
	lapor.mu.Unlock()
	addr := strings.TrimPrefix(kab.p.base, "http://")
	kab.p.kill()
	if err := os.RemoveAll(kab.dir); err != nil {
		t.Fatal(err)
	}
	fresh, creds2 := newTreeOffice(t, "KAB", "PKA", "PKB")
	fresh.env = append(fresh.env, clk.env())
	fresh.atLapor(t, lapor)
	fresh.p = &crashProc{base: "http://" + addr} // children name this address
	fresh.start(t)
	kab = fresh
	mustSync(t, kab) // before the children resend
	for _, c := range []*treeOffice{pka, pkb} {
		c.p.stop()
		c.setEnv("SIMPUL_NODE_ID=" + creds2[c.code][0])
		c.setEnv("SIMPUL_NODE_SECRET=" + creds2[c.code][1])
		if rc, out, errOut := crashRun(t, c.env, "sync", "resend", "--all", "--dir", c.dir); rc != 0 {
			t.Fatalf("%s: sync resend --all: %d %s%s", c.code, rc, out, errOut)
		}
		c.start(t)
		mustSync(t, c, kab) // the hub's pass between the children's resends
	}
	mustSync(t, pka, pkb, kab)
	lapor.mu.Lock()
	waited := lapor.bodies[calls:]
	lapor.mu.Unlock()
	for _, b := range waited {
		if !strings.Contains(b, "external_id=") { // a look-up by our reference is all it may make
			t.Errorf("the refilled hub called LAPOR! before its operator confirmed: %q", b)
		}
	}
	if st, sum := kab.call(t, http.MethodPost, "/api/sync/run", nil); st != 200 || !strings.Contains(fmt.Sprint(sum["waiting"]), "lapor-ready") {
		t.Errorf("the refilled hub's pass does not say what waits: %d %v", st, sum)
	}
	kab.laporReady(t)
	mustSync(t, kab, pka, pkb)
	for code, old := range before {
		if got := kab.detail(t, code); fmt.Sprint(got) != fmt.Sprint(old) {
			t.Errorf("%s on the refilled hub:\n got %+v\nwant %+v", code, got, old)
		}
	}
	for code, hs := range holders {
		want := kab.detail(t, code)
		for _, o := range hs[1:] {
			if v := o.detail(t, code); v.Status != want.Status || v.Office != want.Office || v.Created != want.Created ||
				v.Channel != want.Channel || fmt.Sprint(v.Dates) != fmt.Sprint(want.Dates) {
				t.Errorf("%s differs between KAB and %s:\n KAB %+v\n %s %+v", code, o.code, want, o.code, v)
			}
		}
	}

	// LAPOR!: one report per case, through the lost answer and the
	// refilled hub; the reporter's identity never reached it.
	for code, n := range lapor.stored() {
		if n != 1 {
			t.Errorf("LAPOR! stored %d reports for %s", n, code)
		}
	}
	if got := lapor.stored(); got[down] != 1 || got[across] != 1 || got[fromLapor] != 0 {
		t.Errorf("LAPOR! stored %v, want one each of %s and %s and none of its own report %s", got, down, across, fromLapor)
	}
	if got := kab.laporCases(t, "7000001"); got != 1 {
		t.Errorf("the refilled KAB holds LAPOR!'s report 7000001 %d times", got)
	}
	// The refilled hub knows from the evidence that came back which later
	// calls the lost one made: LAPOR! receives none of them again.
	if _, rep := lapor.report(down); len(rep.followups) != 2 || len(rep.closings) != 1 {
		t.Errorf("LAPOR! after the refill holds of %s: %+v (each follow-up and the closing once)", down, rep)
	}
	lapor.mu.Lock()
	if lapor.repeats != 0 {
		t.Errorf("LAPOR! got %d later calls again after the refill", lapor.repeats)
	}
	lapor.mu.Unlock()
	for _, secret := range []string{"Warga Rahasia Uji", "081299887766", "6281299887766"} {
		if lapor.saw(secret) {
			t.Errorf("LAPOR! received the reporter's %q", secret)
		}
	}

	// Exactly once, nothing pending, the overruled follow-up marked: read
	// the databases.
	offices := map[string]*treeOffice{"KAB": kab, "PKA": pka, "PKB": pkb}
	for _, o := range offices {
		o.p.stop()
	}
	uids := exactlyOnce(t, offices, [][2]string{{"PKA", "KAB"}, {"PKB", "KAB"}}, func(code string, db *dbx.DB) {
		var marked int
		if err := db.NewQuery(`SELECT count(*) FROM complaint_events WHERE note = {:n} AND data LIKE '%parent_authoritative%'`).
			Bind(dbx.Params{"n": overruled}).Row(&marked); err != nil {
			t.Fatal(err)
		}
		if code == "KAB" && marked != 1 {
			t.Errorf("KAB holds PKB's overruled follow-up %d times marked, want once", marked)
		}
	})
	if len(uids["KAB"]) != len(holders) {
		t.Errorf("the refilled KAB holds %d cases, want %d", len(uids["KAB"]), len(holders))
	}
}
