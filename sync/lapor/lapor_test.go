package lapor_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
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
	idNIK   = "3201234567890123"
	pin     = "135790"
)

// wib is the office's zone; the tests' days are worked in it.
var wib, _ = time.LoadLocation("Asia/Jakarta")

// movable is a clock the test moves.
type movable struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movable) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movable) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// node is a real Simpul wired like "simpul serve" with SIMPUL_LAPOR_URL
// pointing at the fake, on a clock that starts on Tuesday 7 April 2026,
// 09:00 WIB, and moves only when the test moves it.
type node struct {
	app   *tests.TestApp
	sync  *upstream.Syncer
	clock *movable
	coord cases.Actor
	t     *testing.T
}

func newNode(t *testing.T, f *fakeLapor, mapping string) *node {
	t.Helper()
	env := map[string]string{"SIMPUL_LAPOR_URL": f.URL(), "SIMPUL_LAPOR_TOKEN": f.token, "SIMPUL_SYNC_INTERVAL": "1h",
		"SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"} // the fake speaks plain http
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
	c := &movable{t: time.Date(2026, 4, 7, 9, 0, 0, 0, wib)}
	clock.Set(app, c.Now)
	if mapping != "" {
		setMapping(t, app, mapping)
	}
	// A new office: its operator ran "simpul sync lapor-ready".
	if _, err := lapor.ConfirmLedger(app); err != nil {
		t.Fatal(err)
	}
	coord, _ := testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	return &node{app: app, sync: s, clock: c, coord: cases.StaffActor(coord, "TEST"), t: t}
}

// pass runs one sync pass and returns its summary and error.
func (n *node) pass() (upstream.Summary, error) {
	n.t.Helper()
	return n.sync.Pass(n.t.Context())
}

// mustPass runs a pass that must succeed.
func (n *node) mustPass() upstream.Summary {
	n.t.Helper()
	sum, err := n.pass()
	if err != nil {
		n.t.Fatalf("pass: %v %+v", err, sum)
	}
	return sum
}

type spec struct {
	cat, privacy, typ, date, loc string
}

// add writes a complaint as intake would, with the full reporter identity
// (name, phone, e-mail, NIK) and a receipt PIN, its "created" event queued
// in the outbox, and returns its tracking code.
func (n *node) add(s spec) string {
	t := n.t
	t.Helper()
	rec := testkit.Complaint(t, n.app, testkit.ComplaintSpec{Category: s.cat, Privacy: s.privacy, Reporter: idName, Phone: idPhone})
	if s.typ == "" {
		s.typ = model.TypePengaduan
	}
	date := ""
	if s.date != "" {
		date = s.date + " 00:00:00.000Z"
	}
	sum := sha256.Sum256([]byte(pin))
	_, err := n.app.DB().NewQuery(`UPDATE complaints SET reporter_name = {:n}, reporter_phone = {:p},
		reporter_email = {:e}, reporter_nik = {:nik}, type = {:ty}, incident_date = {:d}, location = {:l}, pin_hash = {:pin}
		WHERE id = {:id}`).
		Bind(dbx.Params{"n": idName, "p": idPhone, "e": idEmail, "nik": idNIK, "ty": s.typ, "d": date, "l": s.loc,
			"pin": "sha256:" + hex.EncodeToString(sum[:]), "id": rec.Id}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	return rec.GetString("tracking_code")
}

func (n *node) complaint(code string) *core.Record {
	n.t.Helper()
	c, err := n.app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		n.t.Fatal(err)
	}
	return c
}

// move makes a staff move through cases.Transition, as the desk does.
func (n *node) move(code string, req cases.Request) {
	n.t.Helper()
	req.At = n.clock.Now()
	err := n.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		if err != nil {
			return err
		}
		return cases.Transition(tx, c, n.coord, req)
	})
	if err != nil {
		n.t.Fatalf("%s → %s: %v", code, req.To, err)
	}
}

func (n *node) dispose(code string) {
	n.t.Helper()
	n.move(code, cases.Request{To: model.StatusTerdisposisi, Unit: "UMUM", Note: "Mohon ditindaklanjuti."})
}

// followUp posts a follow-up through cases.FollowUp.
func (n *node) followUp(code, note string) {
	n.t.Helper()
	err := n.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		if err != nil {
			return err
		}
		return cases.FollowUp(tx, c, n.coord, &cases.FollowupRequest{Note: note, At: n.clock.Now()})
	})
	if err != nil {
		n.t.Fatalf("follow-up: %v", err)
	}
}

// reply is the reporter's reply, proven by the PIN.
func (n *node) reply(code, msg string) {
	n.t.Helper()
	if _, err := cases.Reply(n.app, cases.Proof{Code: code, PIN: pin}, msg); err != nil {
		n.t.Fatalf("reply: %v", err)
	}
}

func (n *node) laporID(code string) string {
	n.t.Helper()
	return n.complaint(code).GetString("lapor_tracking_id")
}

// row is the adapter's record of a complaint.
func (n *node) row(code string) *core.Record {
	n.t.Helper()
	r, err := n.app.FindFirstRecordByData(lapor.Reports, "complaint", n.complaint(code).Id)
	if err != nil {
		n.t.Fatalf("no lapor_reports row for %s: %v", code, err)
	}
	return r
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

// assertNoIdentity checks every request the fake received, raw and
// decoded, headers included, for the reporter's name, phone, e-mail, NIK
// and PIN.
func assertNoIdentity(t *testing.T, f *fakeLapor) {
	t.Helper()
	caps := f.captures()
	if len(caps) == 0 {
		t.Fatal("the fake received nothing: the check proves nothing")
	}
	needles := []string{"Siti", "Wulandari", idPhone, "81298765432", "siti.rahayu", "contoh.id", idNIK, pin}
	for i, c := range caps {
		hay := [][]byte{c.body, []byte(c.path)}
		if dec, err := url.QueryUnescape(string(c.body)); err == nil {
			hay = append(hay, []byte(dec))
		}
		for k, vs := range c.header {
			hay = append(hay, []byte(k+": "+strings.Join(vs, ",")))
		}
		for _, v := range c.fields {
			hay = append(hay, []byte(v))
		}
		for _, h := range hay {
			for _, n := range needles {
				if bytes.Contains(h, []byte(n)) {
					t.Fatalf("request %d (%s) carries reporter identity %q: %.300s", i, c.call, n, h)
				}
			}
		}
	}
}
