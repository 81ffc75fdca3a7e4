package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
)

// treeOffice is one office of the tree: a real "simpul serve" process on
// its own data directory, and its administrator's token.
type treeOffice struct {
	code, dir string
	env       []string
	p         *crashProc
	token     string
	client    *http.Client
}

// newTreeOffice prepares an office's data directory: its code, a
// superuser, and the child offices it registers (their credentials, by
// code). Passes run only when asked (a day's interval).
func newTreeOffice(t *testing.T, code string, children ...string) (*treeOffice, map[string][2]string) {
	t.Helper()
	o := &treeOffice{code: code, dir: filepath.Join(t.TempDir(), strings.ToLower(code)),
		env:    []string{"SIMPUL_OFFICE_CODE=" + code, "SIMPUL_OFFICE_NAME=Kantor " + code, "SIMPUL_SYNC_INTERVAL=24h"},
		client: &http.Client{Timeout: 30 * time.Second}}
	creds := map[string][2]string{}
	for _, c := range children {
		rc, out, errOut := crashRun(t, o.env, "nodes", "add", c, "--name", "Kantor "+c, "--dir", o.dir)
		var v struct {
			NodeID string `json:"node_id"`
			Secret string `json:"secret"`
		}
		if rc != 0 || json.Unmarshal([]byte(out), &v) != nil || v.NodeID == "" {
			t.Fatalf("%s: nodes add %s: %d %s%s", code, c, rc, out, errOut)
		}
		creds[c] = [2]string{v.NodeID, v.Secret}
	}
	if rc, out, errOut := crashRun(t, o.env, "superuser", "upsert", "root@tree.test", "rahasia-123456", "--dir", o.dir); rc != 0 {
		t.Fatalf("%s: superuser upsert: %d %s%s", code, rc, out, errOut)
	}
	return o, creds
}

// below points o at its parent with the credentials the parent issued.
func (o *treeOffice) below(parent *treeOffice, creds [2]string) {
	o.env = append(o.env, "SIMPUL_ALLOW_HTTP_UPSTREAM=lab", "SIMPUL_UPSTREAM_URL="+parent.p.base,
		"SIMPUL_NODE_ID="+creds[0], "SIMPUL_NODE_SECRET="+creds[1])
}

// start runs the office's process and signs its administrator in (made on
// the first start). A restart listens where the process did before, as
// the office's server would: its children's configuration names it.
func (o *treeOffice) start(t *testing.T) {
	t.Helper()
	if o.p == nil {
		o.p = crashServe(t, o.dir, o.env...)
	} else {
		p, ok := startServe(t, strings.TrimPrefix(o.p.base, "http://"), o.dir, o.env...)
		if !ok {
			t.Fatalf("%s: simpul serve never became healthy again:\n%s", o.code, p.out.String())
		}
		o.p = p
	}
	if o.token != "" {
		return
	}
	var auth struct {
		Token string `json:"token"`
	}
	st, raw := crashCall(o.client, http.MethodPost, o.p.base+"/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": "root@tree.test", "password": "rahasia-123456"})
	if st != 200 || json.Unmarshal(raw, &auth) != nil {
		t.Fatalf("%s: superuser login: %d %s", o.code, st, raw)
	}
	email := "admin@" + strings.ToLower(o.code) + ".test"
	if st, raw = crashCall(o.client, http.MethodPost, o.p.base+"/api/collections/staff/records", auth.Token, map[string]any{
		"email": email, "password": "rahasia-123456", "passwordConfirm": "rahasia-123456",
		"name": "Admin " + o.code, "role": "admin", "active": true,
	}); st != 200 {
		t.Fatalf("%s: create staff: %d %s", o.code, st, raw)
	}
	auth.Token = ""
	st, raw = crashCall(o.client, http.MethodPost, o.p.base+"/api/collections/staff/auth-with-password", "",
		map[string]string{"identity": email, "password": "rahasia-123456"})
	if st != 200 || json.Unmarshal(raw, &auth) != nil || auth.Token == "" {
		t.Fatalf("%s: staff login: %d %s", o.code, st, raw)
	}
	o.token = auth.Token
}

// call sends a JSON request as the office's administrator.
func (o *treeOffice) call(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	st, raw := crashCall(o.client, method, o.p.base+path, o.token, body)
	var v map[string]any
	_ = json.Unmarshal(raw, &v)
	return st, v
}

// move makes a transition at the office; it must be accepted.
func (o *treeOffice) move(t *testing.T, code string, req map[string]any) {
	t.Helper()
	if st, v := o.call(t, http.MethodPost, "/api/complaints/"+code+"/transitions", req); st != 200 {
		t.Fatalf("%s: %s → %v: %d %v", o.code, code, req, st, v)
	}
}

// sync runs one pass of the office's process now (POST /api/sync/run) and
// reports whether it succeeded.
func (o *treeOffice) sync(t *testing.T) bool {
	t.Helper()
	st, v := o.call(t, http.MethodPost, "/api/sync/run", nil)
	if st != 200 && st != http.StatusBadGateway {
		t.Fatalf("%s: sync run: %d %v", o.code, st, v)
	}
	return st == 200 && v["ok"] == true
}

// view is the staff view of a case at the office: status and handling
// office.
func (o *treeOffice) view(t *testing.T, code string) (status, office string) {
	t.Helper()
	st, v := o.call(t, http.MethodGet, "/api/staff/complaints/"+code, nil)
	if st != 200 {
		t.Fatalf("%s: view %s: %d %v", o.code, code, st, v)
	}
	s, _ := v["status"].(string)
	off, _ := v["office"].(string)
	return s, off
}

// TestTreeOfRealProcesses is the journey of a case on real processes: a
// province (PROV), a kabupaten hub (KAB) below it and two puskesmas (PKA,
// PKB) below KAB, each "simpul serve" on its own data directory, acted on
// through the staff API, synced by POST /api/sync/run. A case taken in at
// PKA is handed up, routed across to PKB and followed up there; the hub
// loses power (SIGKILL) while PKA has changes to send. Every office that
// holds a case ends with the same status and handling office, the origin's
// tracking page says who handles it, and every event is on every level
// above its own exactly once.
func TestTreeOfRealProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four processes")
	}
	prov, provCreds := newTreeOffice(t, "PROV", "KAB")
	kab, kabCreds := newTreeOffice(t, "KAB", "PKA", "PKB")
	pka, _ := newTreeOffice(t, "PKA")
	pkb, _ := newTreeOffice(t, "PKB")
	prov.start(t)
	kab.below(prov, provCreds["KAB"])
	kab.start(t)
	pka.below(kab, kabCreds["PKA"])
	pka.start(t)
	pkb.below(kab, kabCreds["PKB"])
	pkb.start(t)

	var codes []string
	for i := range 3 {
		st, v := pka.call(t, http.MethodPost, "/api/complaints", map[string]any{
			"type": "pengaduan", "title": fmt.Sprintf("Lampu jalan mati %d", i),
			"body":     "Lampu jalan di depan pasar mati sejak tiga hari; jalan gelap dan rawan.",
			"category": "INF-PJU", "privacy": "public", "reporter_name": "Warga Uji",
		})
		code, _ := v["tracking_code"].(string)
		if st != http.StatusCreated || code == "" {
			t.Fatalf("intake at PKA: %d %v", st, v)
		}
		codes = append(codes, code)
	}
	local, across, late := codes[0], codes[1], codes[2]
	if !pka.sync(t) || !kab.sync(t) {
		t.Fatal("the first passes failed")
	}

	pka.move(t, local, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	pka.move(t, across, map[string]any{"to": "bukan_wewenang", "note": "Wilayah kerja Puskesmas B"})
	if !pka.sync(t) {
		t.Fatal("PKA's pass failed")
	}
	// KAB loses power; PKA keeps working and cannot send.
	kab.p.kill()
	pka.move(t, late, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	if pka.sync(t) {
		t.Fatal("PKA's pass succeeded with its parent down")
	}
	kab.start(t)
	if !pka.sync(t) {
		t.Fatal("PKA's pass failed after KAB came back")
	}

	// KAB routes the handed-up case across to PKB; one pull puts it there.
	if s, o := kab.view(t, across); s != "baru" || o != "KAB" {
		t.Fatalf("KAB after PKA's hand-up: %s at %s, want baru at KAB", s, o)
	}
	kab.move(t, across, map[string]any{"to": "terdisposisi", "office": "PKB", "note": "Untuk Puskesmas B"})
	if !pkb.sync(t) {
		t.Fatal("PKB's pass failed")
	}
	if s, o := pkb.view(t, across); s != "terdisposisi" || o != "PKB" {
		t.Fatalf("PKB after one pull: %s at %s, want terdisposisi at PKB", s, o)
	}
	pkb.move(t, across, map[string]any{"to": "terdisposisi", "unit": "UMUM", "note": "Untuk unit umum"})
	pkb.move(t, across, map[string]any{"to": "proses", "note": "Petugas sudah memeriksa lokasi; lampu diganti besok."})
	for range 2 { // up from PKB, across to PKA, up to PROV
		for _, o := range []*treeOffice{pkb, pka, kab} {
			if !o.sync(t) {
				t.Fatalf("%s: pass failed", o.code)
			}
		}
	}

	want := map[string][3]string{ // status, office, then the holders
		local:  {"terdisposisi", "PKA", "PROV KAB PKA"},
		across: {"proses", "PKB", "PROV KAB PKA PKB"},
		late:   {"terdisposisi", "PKA", "PROV KAB PKA"},
	}
	offices := map[string]*treeOffice{"PROV": prov, "KAB": kab, "PKA": pka, "PKB": pkb}
	for code, w := range want {
		for _, h := range strings.Fields(w[2]) {
			if s, o := offices[h].view(t, code); s != w[0] || o != w[1] {
				t.Errorf("%s at %s: %s at %s, want %s at %s", code, h, s, o, w[0], w[1])
			}
		}
	}
	st, raw := crashCall(pka.client, http.MethodGet, pka.p.base+"/api/track/"+across, "", nil)
	if st != 200 || !strings.Contains(string(raw), `"code":"PKB"`) || !strings.Contains(string(raw), "lampu diganti besok") {
		t.Errorf("the origin's tracking page: %d %s", st, raw)
	}

	// Exactly once: stop every process and read the databases.
	for _, o := range []*treeOffice{pka, pkb, kab, prov} {
		o.p.stop()
	}
	uids := exactlyOnce(t, offices, [][2]string{{"PKA", "KAB"}, {"PKB", "KAB"}, {"KAB", "PROV"}}, func(code string, db *dbx.DB) {
		var queued int
		if err := db.Select("count(*)").From("sync_outbox").Row(&queued); err != nil {
			t.Fatal(err)
		}
		if code == "PROV" && queued != 0 { // the top of the tree queues nothing (docs/sync-protocol.md §5)
			t.Errorf("PROV, with no parent, holds %d outbox rows", queued)
		}
	})
	if len(uids["PROV"]) != len(codes) {
		t.Errorf("PROV holds %d cases, want %d", len(uids["PROV"]), len(codes))
	}
}

// exactlyOnce reads the databases of stopped offices (by code): no event
// twice on an office, nothing pending, and every event of the first office
// of each pair on the second. check (may be nil) reads more of each
// database. It returns each office's event uids by case.
func exactlyOnce(t *testing.T, offices map[string]*treeOffice, pairs [][2]string, check func(code string, db *dbx.DB)) map[string]map[string][]string {
	t.Helper()
	uids := map[string]map[string][]string{} // office → case → event uids
	for code, o := range offices {
		db := crashOpen(t, o.dir)
		var rows []struct {
			Code string `db:"tracking_code"`
			UID  string `db:"uid"`
		}
		if err := db.NewQuery(`SELECT c.tracking_code, e.uid FROM complaint_events e
			JOIN complaints c ON c.id = e.complaint`).All(&rows); err != nil {
			t.Fatal(err)
		}
		uids[code] = map[string][]string{}
		for _, r := range rows {
			if slices.Contains(uids[code][r.Code], r.UID) {
				t.Errorf("%s: event %s of %s twice", code, r.UID, r.Code)
			}
			uids[code][r.Code] = append(uids[code][r.Code], r.UID)
		}
		var pending int
		if err := db.Select("count(*)").From("sync_outbox").Where(dbx.HashExp{"status": "pending"}).Row(&pending); err != nil {
			t.Fatal(err)
		}
		if pending != 0 {
			t.Errorf("%s: %d changes still pending", code, pending)
		}
		if check != nil {
			check(code, db)
		}
		db.Close()
	}
	for _, pair := range pairs {
		for code, list := range uids[pair[0]] {
			for _, u := range list {
				if !slices.Contains(uids[pair[1]][code], u) {
					t.Errorf("event %s of %s is at %s, not at %s", u, code, pair[0], pair[1])
				}
			}
		}
	}
	return uids
}
