package upstream_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/sync/hub"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

func TestRunRoute(t *testing.T) {
	hubL := newLevel(t, "kab")
	creds, err := hub.AddNode(hubL.app, "PKM-9", "Puskesmas Sembilan")
	if err != nil {
		t.Fatal(err)
	}
	withParent := func(t testing.TB) *tests.TestApp {
		env := map[string]string{"SIMPUL_UPSTREAM_URL": hubL.srv.URL, "SIMPUL_NODE_ID": creds.NodeID,
			"SIMPUL_NODE_SECRET": creds.Secret, "SIMPUL_SYNC_INTERVAL": "1h", "SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		app := testkit.NewUnmanaged(t, cfg)
		testkit.Complaint(t, app, testkit.ComplaintSpec{Privacy: model.PrivacyAnonymous})
		return app
	}
	var adminTok, handlerTok string
	staff := func(t testing.TB, app *tests.TestApp) {
		_, adminTok = testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
		_, handlerTok = testkit.Staff(t, app, "handler@simpul.test", model.RoleHandler, "UMUM")
	}
	scenarios := []tests.ApiScenario{
		{Name: "guest", ExpectedStatus: 401, ExpectedContent: []string{"administrator"}, TestAppFactory: testkit.Factory(nil)},
		{Name: "handler", ExpectedStatus: 403, ExpectedContent: []string{"Only administrators"},
			TestAppFactory: testkit.Factory(staff), BeforeTestFunc: nil},
		{Name: "admin without a parent", ExpectedStatus: 409, ExpectedContent: []string{"SIMPUL_UPSTREAM_URL"},
			TestAppFactory: testkit.Factory(staff)},
		{Name: "admin with a parent", ExpectedStatus: 200, ExpectedContent: []string{`"ok":true`, `"pending":0`},
			TestAppFactory: func(t testing.TB) *tests.TestApp { app := withParent(t); staff(t, app); return app },
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if n := count(t, hubL.app, model.Complaints, nil); n != 1 {
					t.Errorf("hub has %d complaints after the run", n)
				}
			}},
	}
	for i := range scenarios {
		s := &scenarios[i]
		s.Method, s.URL = http.MethodPost, upstream.RunPath
		name := s.Name
		tokenOf := func() string {
			switch name {
			case "handler":
				return handlerTok
			case "guest":
				return ""
			}
			return adminTok
		}
		// Tokens exist only once the factory ran: set the header then.
		factory := s.TestAppFactory
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := factory(t)
			if tok := tokenOf(); tok != "" {
				s.Headers = map[string]string{"Authorization": tok}
			}
			return app
		}
		s.Test(t)
	}
}

// Sneakernet: the bundle applies on the parent exactly once, a tampered
// bundle applies nothing, and the later online push is all duplicates.
func TestExportImport(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	creds, err := hub.AddNode(hubL.app, "PKM", "Puskesmas")
	if err != nil {
		t.Fatal(err)
	}
	_, _, conf := seed(t, node)
	transition(t, node.app, conf, model.StatusTerdisposisi)
	var buf bytes.Buffer
	n, err := upstream.Export(node.app, creds.NodeID, creds.Secret, &buf, clock.Now(node.app))
	if err != nil || n != 5 { // 3 created, a disposition and its note
		t.Fatalf("export: %d %v", n, err)
	}
	var b upstream.Bundle
	if err := json.Unmarshal(buf.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	// The batches decompressed and decoded carry the reports, never who
	// made them (the bytes as written are gzip: searching them proves
	// nothing).
	var plain bytes.Buffer
	for i, bb := range b.Batches {
		req, err := protocol.DecodePush(bb.Body)
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		json.NewEncoder(&plain).Encode(req)
	}
	if !bytes.Contains(plain.Bytes(), []byte(conf)) {
		t.Fatalf("decoded bundle lacks complaint %s: the check below would see nothing", conf)
	}
	for _, secret := range []string{secretPhone, secretName} {
		if bytes.Contains(plain.Bytes(), []byte(secret)) {
			t.Errorf("bundle carries the reporter's identity %q", secret)
		}
	}
	b.Batches[0].Body[len(b.Batches[0].Body)/2] ^= 1
	tampered, _ := json.Marshal(b)
	if _, err := upstream.Import(hubL.app, bytes.NewReader(tampered)); err == nil {
		t.Fatal("tampered bundle imported")
	}
	if _, err := upstream.Import(hubL.app, bytes.NewReader([]byte(`{"v":1,"node":"nope","batches":[]}`))); err == nil {
		t.Fatal("bundle from an unknown node imported")
	}
	if c := count(t, hubL.app, model.Complaints, nil); c != 0 {
		t.Fatalf("refused bundles left %d complaints", c)
	}

	res, err := upstream.Import(hubL.app, bytes.NewReader(buf.Bytes()))
	if err != nil || res.Applied != 5 {
		t.Fatalf("import: %+v %v", res, err)
	}
	res, err = upstream.Import(hubL.app, bytes.NewReader(buf.Bytes()))
	if err != nil || res.Duplicates != 5 || res.Applied != 0 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	// The link comes back: everything is acknowledged as duplicates.
	node.proxy = newFaultyProxy(t, hubL.srv.URL)
	node.parent = upstream.NewHTTPParent(node.proxy.URL(), creds.NodeID, creds.Secret, clock.Func(node.app))
	node.syncer = upstream.NewSyncer(node.app, node.parent, "kab", time.Minute)
	if s := node.pass(t); s.Duplicates != 5 || s.Pushed != 0 {
		t.Errorf("online pass after import: %+v", s)
	}
	assertConverged(t, [2]*level{node, hubL})
}
