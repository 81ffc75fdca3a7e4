package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simpul/hooks/platform/sqlitedb"
)

// Crash safety (issue 7): the real binary, killed with SIGKILL like a PLN
// outage with no UPS, must never take back what it acknowledged, and what it
// kept must still reach the parent exactly once.

// crashProc is one running "simpul serve".
type crashProc struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
	done chan struct{} // closed when the process has exited
}

// crashServe starts "simpul serve" on dir with extra environment and waits
// until /api/health answers (a port taken meanwhile is retried).
func crashServe(t *testing.T, dir string, env ...string) *crashProc {
	t.Helper()
	var last string
	for attempt := 0; attempt < 3; attempt++ {
		p, ok := startServe(t, freePort(t), dir, env...)
		if ok {
			return p
		}
		last = p.out.String()
		if !strings.Contains(last, "address already in use") {
			break
		}
	}
	t.Fatalf("simpul serve never became healthy:\n%s", last)
	return nil
}

// startServe starts "simpul serve" on addr and reports whether it became
// healthy within 30 s (if not, it is killed).
func startServe(t *testing.T, addr, dir string, env ...string) (*crashProc, bool) {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--http", addr, "--dir", dir)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &crashProc{cmd: cmd, base: "http://" + addr, out: &out, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill) // a no-op once the process is gone
	if p.healthy(30 * time.Second) {
		return p, true
	}
	p.kill()
	return p, false
}

// kill is the power cut: SIGKILL, no shutdown hooks, no flush.
func (p *crashProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop is an orderly shutdown.
func (p *crashProc) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	<-p.done
}

func (p *crashProc) healthy(within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return false
		default:
		}
		if res, err := http.Get(p.base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// crashCall sends a JSON request and returns the status and body; status 0
// means no answer (the process died under it).
func crashCall(client *http.Client, method, url, token string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, b
}

// crashRun runs a command to completion with extra environment.
func crashRun(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return 0, stdout.String(), stderr.String()
}

func crashOpen(t *testing.T, dir string) *dbx.DB {
	t.Helper()
	db, err := sqlitedb.Connect(filepath.Join(dir, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// An acknowledged complaint as its client knows it.
type ackedComplaint struct {
	title, body string
	status      string // the status the last acknowledged move left
	events      int    // timeline rows: created + acknowledged moves
	inFlight    string // a move sent but not answered (the process died): its target
}

// ledger is what clients were told: the only truth a crash must not undo.
type ledger struct {
	mu          sync.Mutex
	byCode      map[string]*ackedComplaint
	codes       []string
	moves       int // acknowledged transitions
	unexpected  []string
	inFlightRes int // in-flight moves found committed after a restart
}

// waitAcked waits until n complaints are acknowledged in all, at most
// for limit (a bound on a hung server, not a measure of speed).
func (l *ledger) waitAcked(n int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		l.mu.Lock()
		got := len(l.codes)
		l.mu.Unlock()
		if got >= n {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

func (l *ledger) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.unexpected) < 20 {
		l.unexpected = append(l.unexpected, fmt.Sprintf(format, args...))
	}
}

// crashWorkload runs intake clients and one case worker against base until
// stop is closed.
func crashWorkload(base, token string, round, intakeClients int, l *ledger, rng *rand.Rand, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	for w := 0; w < intakeClients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := 0; !stopped(); i++ {
				title := fmt.Sprintf("Lampu jalan mati r%d w%d n%d", round, w, i)
				body := fmt.Sprintf("Lampu jalan di depan pasar blok %d-%d-%d mati sejak tiga hari; jalan gelap dan rawan.", round, w, i)
				status, raw := crashCall(client, http.MethodPost, base+"/api/complaints", token, map[string]any{
					"type": "pengaduan", "title": title, "body": body, "category": "INF-PJU",
					"privacy": "public", "reporter_name": "Warga Uji",
				})
				var res struct {
					Code string `json:"tracking_code"`
				}
				switch {
				case status == 0:
					// No answer: the citizen holds no receipt.
				case status == http.StatusCreated && json.Unmarshal(raw, &res) == nil && res.Code != "":
					l.mu.Lock()
					l.byCode[res.Code] = &ackedComplaint{title: title, body: body, status: "baru", events: 1}
					l.codes = append(l.codes, res.Code)
					l.mu.Unlock()
				default:
					l.fail("intake answered %d: %.300s", status, raw)
				}
			}
		}(w)
	}
	// The case worker: baru → tertunda → baru …, so timelines grow past
	// their first link and the chains have something to break.
	wg.Add(1)
	go func() {
		defer wg.Done()
		client := &http.Client{Timeout: 10 * time.Second}
		for !stopped() {
			l.mu.Lock()
			var code string
			var c *ackedComplaint
			if n := len(l.codes); n > 0 {
				code = l.codes[rng.IntN(n)]
				c = l.byCode[code]
			}
			if c == nil || c.inFlight != "" {
				l.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				continue
			}
			move := map[string]any{"to": "tertunda", "note": "Mohon lengkapi nomor tiang lampu."}
			if c.status == "tertunda" {
				move = map[string]any{"to": "baru", "note": "Pelapor sudah melengkapi."}
			}
			to := move["to"].(string)
			c.inFlight = to
			l.mu.Unlock()
			status, raw := crashCall(client, http.MethodPost, base+"/api/complaints/"+code+"/transitions", token, move)
			l.mu.Lock()
			switch status {
			case 0: // unknown outcome: settled from the database after the restart
			case http.StatusOK:
				c.inFlight, c.status = "", to
				c.events++
				l.moves++
			default:
				c.inFlight = ""
				l.mu.Unlock()
				l.fail("transition %s → %s answered %d: %.300s", code, to, status, raw)
				continue
			}
			l.mu.Unlock()
		}
	}()
	return &wg
}

// crashCheck compares the node's database with the ledger: every
// acknowledged complaint present with the text it was sent with, its status
// and its timeline as acknowledged. Moves whose answer was lost are settled
// here from what the database kept (either outcome is correct).
func crashCheck(t *testing.T, dir string, l *ledger, when string) (stored int) {
	t.Helper()
	db := crashOpen(t, dir)
	defer db.Close()
	var rows []struct {
		Code   string `db:"tracking_code"`
		Title  string `db:"title"`
		Body   string `db:"body"`
		Status string `db:"status"`
		Events int    `db:"events"`
	}
	err := db.NewQuery(`SELECT c.tracking_code, c.title, c.body, c.status,
		(SELECT count(*) FROM complaint_events e WHERE e.complaint = c.id) AS events FROM complaints c`).All(&rows)
	if err != nil {
		t.Fatalf("%s: read complaints: %v", when, err)
	}
	got := make(map[string]int, len(rows))
	for i, r := range rows {
		got[r.Code] = i
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lost := 0
	for _, code := range l.codes {
		c := l.byCode[code]
		i, ok := got[code]
		if !ok {
			if lost++; lost <= 5 {
				t.Errorf("%s: acknowledged complaint %s is gone", when, code)
			}
			continue
		}
		r := rows[i]
		if r.Title != c.title || r.Body != c.body {
			t.Errorf("%s: complaint %s damaged: %q / %q", when, code, r.Title, r.Body)
		}
		if c.inFlight != "" {
			switch r.Status {
			case c.inFlight: // the move committed; its answer was lost
				c.status = c.inFlight
				c.events++
				l.inFlightRes++
			case c.status: // it did not
			default:
				t.Errorf("%s: complaint %s is %s; expected %s or %s", when, code, r.Status, c.status, c.inFlight)
			}
			c.inFlight = ""
		}
		if r.Status != c.status || r.Events != c.events {
			t.Errorf("%s: complaint %s: status %s with %d events; acknowledged %s with %d", when, code, r.Status, r.Events, c.status, c.events)
		}
	}
	if lost > 0 {
		t.Fatalf("%s: %d of %d acknowledged complaints lost", when, lost, len(l.codes))
	}
	return len(rows)
}

// crashAudit runs "simpul audit verify" on dir.
func crashAudit(t *testing.T, dir, when string, env ...string) {
	t.Helper()
	code, out, errOut := crashRun(t, env, "audit", "verify", "--dir", dir)
	if code != 0 || !strings.Contains(out, `"ok":true`) {
		t.Fatalf("%s: audit verify: exit %d\n%s%s", when, code, out, errOut)
	}
}

// crashStaff creates a coordinator through the superuser API and returns its
// auth token. A staff session is the counter: no guest rate limit, so eight
// clients on one address can keep the writer busy.
func crashStaff(t *testing.T, dir string) string {
	t.Helper()
	if code, out, errOut := crashRun(t, nil, "superuser", "upsert", "root@crash.test", "rahasia-123456", "--dir", dir); code != 0 {
		t.Fatalf("superuser upsert: %d %s%s", code, out, errOut)
	}
	p := crashServe(t, dir)
	defer p.stop()
	client := &http.Client{Timeout: 10 * time.Second}
	var auth struct {
		Token string `json:"token"`
	}
	status, raw := crashCall(client, http.MethodPost, p.base+"/api/collections/_superusers/auth-with-password", "",
		map[string]string{"identity": "root@crash.test", "password": "rahasia-123456"})
	if status != 200 || json.Unmarshal(raw, &auth) != nil {
		t.Fatalf("superuser login: %d %s", status, raw)
	}
	status, raw = crashCall(client, http.MethodPost, p.base+"/api/collections/staff/records", auth.Token, map[string]any{
		"email": "koordinator@crash.test", "password": "rahasia-123456", "passwordConfirm": "rahasia-123456",
		"name": "Koordinator Uji", "role": "coordinator", "active": true,
	})
	if status != 200 {
		t.Fatalf("create staff: %d %s", status, raw)
	}
	status, raw = crashCall(client, http.MethodPost, p.base+"/api/collections/staff/auth-with-password", "",
		map[string]string{"identity": "koordinator@crash.test", "password": "rahasia-123456"})
	auth.Token = ""
	if status != 200 || json.Unmarshal(raw, &auth) != nil || auth.Token == "" {
		t.Fatalf("staff login: %d %s", status, raw)
	}
	return auth.Token
}

// TestCrashSafety runs the real binary under concurrent intake and case
// work, kills it with SIGKILL at random moments, restarts it and checks
// after every restart that every complaint whose tracking code reached a
// client is there, intact, with the timeline its client was told, and that
// every hash chain verifies. Then it delivers the node's outbox to a real
// hub (another simpul process), killing "sync run" midway a few times, and
// checks that the hub holds every complaint and every event exactly once.
func TestCrashSafety(t *testing.T) {
	kills, syncKills, intakeClients := 20, 3, 8
	if testing.Short() {
		kills, syncKills = 3, 1
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SIMPUL_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with SIMPUL_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	start := time.Now()

	nodeDir := filepath.Join(t.TempDir(), "node")
	token := crashStaff(t, nodeDir)
	l := &ledger{byCode: map[string]*ackedComplaint{}}
	var stored int
	// About 2,000 complaints in all, whatever the number of kills: the
	// delivery below needs an outbox of many push batches (200 changes
	// each) for its kills to land midway.
	perRound := 2000 / kills
	for round := 0; round < kills; round++ {
		p := crashServe(t, nodeDir)
		when := fmt.Sprintf("after %d kills", round)
		crashCheck(t, nodeDir, l, when)
		crashAudit(t, nodeDir, when)
		stop := make(chan struct{})
		l.mu.Lock()
		need := len(l.codes) + perRound/2 + rng.IntN(perRound)
		l.mu.Unlock()
		wg := crashWorkload(p.base, token, round, intakeClients, l, rand.New(rand.NewPCG(seed, uint64(round))), stop)
		// The kill lands after a random amount of work, not of time: on a
		// fast or a loaded machine alike, every round has acknowledged
		// complaints (and moves on them) for the crash to lose.
		if !l.waitAcked(need, time.Minute) {
			p.kill()
			close(stop)
			wg.Wait()
			t.Fatalf("round %d: intake acknowledged no complaint within a minute: %v", round, l.unexpected)
		}
		p.kill()
		close(stop)
		wg.Wait()
	}
	p := crashServe(t, nodeDir)
	when := fmt.Sprintf("after %d kills", kills)
	stored = crashCheck(t, nodeDir, l, when)
	// The HTTP door agrees with the database for a sample.
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < 10 && len(l.codes) > 0; i++ {
		code := l.codes[rng.IntN(len(l.codes))]
		c := l.byCode[code]
		status, raw := crashCall(client, http.MethodGet, p.base+"/api/track/"+code, "", nil)
		var v struct {
			Title, Body, Status string
		}
		if status != 200 || json.Unmarshal(raw, &v) != nil || v.Title != c.title || v.Body != c.body || v.Status != c.status {
			t.Errorf("GET /api/track/%s: %d %.300s; want %q %q %s", code, status, raw, c.title, c.body, c.status)
		}
	}
	p.stop()
	crashAudit(t, nodeDir, when)
	if len(l.unexpected) > 0 {
		t.Errorf("unexpected answers under load:\n%s", strings.Join(l.unexpected, "\n"))
	}
	t.Logf("%d kills: %d complaints acknowledged (%d stored; %d committed whose answer was lost), %d moves acknowledged (+%d committed whose answer was lost); none lost, chains verify (%s)",
		kills, len(l.codes), stored, stored-len(l.codes), l.moves, l.inFlightRes, time.Since(start).Round(time.Millisecond))

	crashDeliver(t, nodeDir, l, syncKills, rng)
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

// syncSummary is the part of "simpul sync run"'s JSON the harness reads.
type syncSummary struct {
	Pushed     int    `json:"pushed"`
	Duplicates int    `json:"duplicates"`
	Rejected   int    `json:"rejected"`
	Pending    int    `json:"pending"`
	OK         bool   `json:"ok"`
	Error      string `json:"error"`
}

// crashDeliver pushes the node's outbox to a real hub, killing "sync run"
// midway syncKills times, then checks exactly-once delivery.
func crashDeliver(t *testing.T, nodeDir string, l *ledger, syncKills int, rng *rand.Rand) {
	start := time.Now()
	hubDir := filepath.Join(t.TempDir(), "hub")
	hubEnv := []string{"SIMPUL_OFFICE_CODE=KAB-UJI"}
	code, out, errOut := crashRun(t, hubEnv, "nodes", "add", "PKM-UJI", "--name", "Puskesmas Uji", "--dir", hubDir)
	var creds struct {
		NodeID string `json:"node_id"`
		Secret string `json:"secret"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &creds) != nil || creds.NodeID == "" {
		t.Fatalf("nodes add: %d %s%s", code, out, errOut)
	}
	hub := crashServe(t, hubDir, hubEnv...)
	defer hub.stop()
	nodeEnv := []string{"SIMPUL_ALLOW_HTTP_UPSTREAM=lab", "SIMPUL_UPSTREAM_URL=" + hub.base, "SIMPUL_NODE_ID=" + creds.NodeID, "SIMPUL_NODE_SECRET=" + creds.Secret}

	nodeDB := crashOpen(t, nodeDir)
	defer nodeDB.Close()
	hubDB := crashOpen(t, hubDir)
	defer hubDB.Close()
	count := func(db *dbx.DB, q string, params dbx.Params) int {
		var n int
		if err := db.NewQuery(q).Bind(params).Row(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	inbox := func() int {
		return count(hubDB, "SELECT count(*) FROM sync_inbox WHERE node = {:n}", dbx.Params{"n": creds.NodeID})
	}
	// The node ran with no parent, so it queued nothing (docs/sync-protocol.md
	// §5): its first "sync run" with one queues every event, then pushes.
	total := count(nodeDB, "SELECT count(*) FROM complaint_events", nil)
	if n := count(nodeDB, "SELECT count(*) FROM sync_outbox", nil); n != 0 {
		t.Errorf("the node queued %d changes while it had no parent", n)
	}

	sent := func() int { return count(nodeDB, "SELECT count(*) FROM sync_outbox WHERE status = 'sent'", nil) }

	// Kill the node's sync run midway, after the hub has applied a random
	// number (1–4) of its batches: every other time at the worst moment,
	// once the hub has committed a batch the node has not yet recorded as
	// acknowledged (so it must be sent again); otherwise after a random
	// extra moment, wherever that falls.
	landed, inWindow := 0, 0
	for k := 0; k < syncKills; k++ {
		target := inbox() + 1 + rng.IntN(4)*200
		worst := k%2 == 0
		cmd := exec.Command(binary, "sync", "run", "--dir", nodeDir)
		cmd.Env = append(os.Environ(), nodeEnv...)
		var so bytes.Buffer
		cmd.Stdout, cmd.Stderr = &so, &so
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		finished := false
	wait:
		for {
			select {
			case <-done:
				finished = true
				break wait
			case <-time.After(time.Millisecond):
				if n := inbox(); n >= target && (!worst || n > sent()) {
					if !worst {
						time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
					}
					cmd.Process.Signal(syscall.SIGKILL)
					<-done
					break wait
				}
			}
		}
		if finished {
			t.Logf("sync run %d finished before it could be killed: %s", k, so.String())
			break
		}
		landed++
		if inbox() > sent() {
			inWindow++
		}
	}
	midway := count(nodeDB, "SELECT count(*) FROM sync_outbox WHERE status = 'pending'", nil)
	// What the hub applied but the node still holds as pending must come
	// back as duplicates, nothing else.
	wantDups := inbox() - sent()

	// Then run it to the end, as the scheduler would.
	var pushed, dups, runs int
	for {
		runs++
		code, out, errOut := crashRun(t, nodeEnv, "sync", "run", "--dir", nodeDir)
		var s syncSummary
		lines := strings.Split(strings.TrimSpace(out), "\n")
		line := lines[len(lines)-1]
		if err := json.Unmarshal([]byte(line), &s); err != nil || code != 0 || !s.OK || s.Rejected > 0 {
			t.Fatalf("sync run: exit %d %s%s", code, out, errOut)
		}
		pushed += s.Pushed
		dups += s.Duplicates
		if s.Pending == 0 || runs == 5 {
			if s.Pending != 0 {
				t.Fatalf("%d changes still pending after %d runs", s.Pending, runs)
			}
			break
		}
	}
	if dups != wantDups || pushed != midway-wantDups {
		t.Errorf("after the killed runs: %d pending, %d of them already on the hub; the finishing runs pushed %d and got %d duplicates",
			midway, wantDups, pushed, dups)
	}

	// The node: nothing pending or rejected; every event queued once and sent.
	nodeEvents := count(nodeDB, "SELECT count(*) FROM complaint_events", nil)
	if n := count(nodeDB, "SELECT count(*) FROM sync_outbox WHERE status != 'sent'", nil); n != 0 {
		t.Errorf("node outbox: %d rows not sent", n)
	}
	if n := count(nodeDB, "SELECT count(*) FROM sync_outbox o JOIN complaint_events e ON e.uid = o.uid WHERE o.status = 'sent'", nil); n != nodeEvents {
		t.Errorf("node outbox: %d sent rows for %d events", n, nodeEvents)
	}

	// The hub: every node event exactly once, nothing else from this node.
	var uids []string
	if err := nodeDB.NewQuery("SELECT uid FROM complaint_events").Column(&uids); err != nil {
		t.Fatal(err)
	}
	var hubRows []struct {
		UID string `db:"uid"`
		N   int    `db:"n"`
	}
	err := hubDB.NewQuery(`SELECT e.uid, count(*) AS n FROM complaint_events e JOIN complaints c ON c.id = e.complaint
		WHERE c.origin_node = {:n} GROUP BY e.uid`).Bind(dbx.Params{"n": creds.NodeID}).All(&hubRows)
	if err != nil {
		t.Fatal(err)
	}
	onHub := make(map[string]int, len(hubRows))
	for _, r := range hubRows {
		onHub[r.UID] = r.N
	}
	missing, extra := 0, 0
	for _, u := range uids {
		if onHub[u] != 1 {
			if missing++; missing <= 5 {
				t.Errorf("event %s is on the hub %d times", u, onHub[u])
			}
		}
		delete(onHub, u)
	}
	for u := range onHub {
		if extra++; extra <= 5 {
			t.Errorf("hub has event %s the node never had", u)
		}
	}
	if n := inbox(); n != len(uids) {
		t.Errorf("hub inbox holds %d uids from the node, which has %d events", n, len(uids))
	}

	// Every acknowledged complaint exactly once on the hub (origin + code),
	// with its text and the node's status.
	var hubComplaints []struct {
		Code   string `db:"tracking_code"`
		Title  string `db:"title"`
		Body   string `db:"body"`
		Status string `db:"status"`
	}
	err = hubDB.NewQuery(`SELECT tracking_code, title, body, status FROM complaints WHERE origin_node = {:n}`).
		Bind(dbx.Params{"n": creds.NodeID}).All(&hubComplaints)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string][]int{}
	for i, c := range hubComplaints {
		byCode[c.Code] = append(byCode[c.Code], i)
	}
	if nodeComplaints := count(nodeDB, "SELECT count(*) FROM complaints", nil); len(hubComplaints) != nodeComplaints {
		t.Errorf("hub has %d complaints from the node, which has %d", len(hubComplaints), nodeComplaints)
	}
	for _, code := range l.codes {
		c := l.byCode[code]
		idx := byCode[code]
		if len(idx) != 1 {
			t.Errorf("acknowledged complaint %s is on the hub %d times", code, len(idx))
			continue
		}
		h := hubComplaints[idx[0]]
		if h.Title != c.title || h.Body != c.body || h.Status != c.status {
			t.Errorf("hub copy of %s: %q %q %s; want %q %q %s", code, h.Title, h.Body, h.Status, c.title, c.body, c.status)
		}
	}
	hub.stop()
	crashAudit(t, hubDir, "hub after sync", hubEnv...)
	t.Logf("delivery: %d events to send; %d sync runs killed midway (%d between the hub's commit and the node's record of it), %d still pending then, %d of them already on the hub; %d runs to finish: %d ok, %d dup; hub holds %d events and %d complaints from the node, each once (%s)",
		total, landed, inWindow, midway, wantDups, runs, pushed, dups, len(uids), len(hubComplaints), time.Since(start).Round(time.Millisecond))
	if landed == 0 && syncKills > 0 {
		t.Errorf("no sync run was killed midway: the delivery was not exercised under crashes")
	}
}

// shimSource counts fsync/fdatasync calls per file of the process it is
// preloaded into (LD_PRELOAD), appending "call path" lines to
// $SIMPUL_SYNC_LOG. SQLite calls them through libc, so this sees exactly
// what the binary's SQLite asks the disk to make durable.
const shimSource = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void note(const char *what, int fd) {
	const char *log = getenv("SIMPUL_SYNC_LOG");
	if (!log) return;
	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	path[n > 0 ? n : 0] = 0;
	int out = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (out < 0) return;
	dprintf(out, "%s %s\n", what, path);
	close(out);
}
int fsync(int fd) {
	static int (*real)(int);
	if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	note("fsync", fd);
	return real(fd);
}
int fdatasync(int fd) {
	static int (*real)(int);
	if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	note("fdatasync", fd);
	return real(fd);
}
`

// TestDataDBSyncsEveryCommit checks synchronous=FULL in the running binary
// itself, where no test can ask its connections: in WAL mode FULL syncs the
// WAL at every commit, NORMAL only at checkpoints. So N complaints
// acknowledged one after another must cost at least N syncs of
// data.db-wal. (The pragma per pool and database is checked in
// hooks/platform/sqlitedb; the synchronous setting is per connection, not stored in
// the file, so reading data.db afterwards would prove nothing.)
func TestDataDBSyncsEveryCommit(t *testing.T) {
	work := t.TempDir()
	src := filepath.Join(work, "shim.c")
	shim := filepath.Join(work, "shim.so")
	if err := os.WriteFile(src, []byte(shimSource), 0o600); err != nil {
		t.Fatal(err)
	}
	cc := "gcc"
	if out, err := exec.Command("go", "env", "CC").Output(); err == nil && strings.TrimSpace(string(out)) != "" {
		cc = strings.Fields(string(out))[0]
	}
	if out, err := exec.Command(cc, "-shared", "-fPIC", "-O2", "-o", shim, src, "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("build the fsync shim with %s (cgo needs a C compiler anyway): %v\n%s", cc, err, out)
	}
	logFile := filepath.Join(work, "syncs.log")
	dir := filepath.Join(work, "pb_data")
	p := crashServe(t, dir, "LD_PRELOAD="+shim, "SIMPUL_SYNC_LOG="+logFile)
	defer p.kill()
	walSyncs := func() (data, aux int) {
		b, _ := os.ReadFile(logFile)
		for _, line := range strings.Split(string(b), "\n") {
			switch {
			case strings.HasSuffix(line, string(filepath.Separator)+"data.db-wal"):
				data++
			case strings.HasSuffix(line, string(filepath.Separator)+"auxiliary.db-wal"):
				aux++
			}
		}
		return data, aux
	}
	before, _ := walSyncs()
	if before == 0 {
		t.Fatalf("the shim saw no sync of data.db-wal at start-up (is the binary linked dynamically?)")
	}
	const n = 8 // under the guest limit of 10 per minute
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; i < n; i++ { // one after another: one commit each
		status, raw := crashCall(client, http.MethodPost, p.base+"/api/complaints", "", map[string]any{
			"type": "pengaduan", "title": fmt.Sprintf("Jalan berlubang nomor %d", i), "body": "Lubang besar di depan sekolah dasar.",
			"category": "INF-PJU", "privacy": "anonymous",
		})
		if status != http.StatusCreated {
			t.Fatalf("submission %d: %d %s", i, status, raw)
		}
	}
	after, aux := walSyncs()
	if after-before < n {
		t.Fatalf("%d acknowledged commits caused %d syncs of data.db-wal: the data database does not run synchronous=FULL", n, after-before)
	}
	t.Logf("%d acknowledged commits: %d syncs of data.db-wal (auxiliary.db-wal: %d since start)", n, after-before, aux)
}
