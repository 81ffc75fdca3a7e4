package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
	"simpul/sync/hub"
	"simpul/ui/testkit"
)

func TestSyncPage(t *testing.T) {
	parent := testkit.New(t)
	parentSrv := testkit.Serve(t, parent)
	creds, err := hub.AddNode(parent, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SIMPUL_UPSTREAM_URL": parentSrv.URL, "SIMPUL_NODE_ID": creds.NodeID,
		"SIMPUL_NODE_SECRET": creds.Secret, "SIMPUL_SYNC_INTERVAL": "1h", "SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	node := testkit.NewUnmanaged(t, cfg)
	t.Cleanup(node.Cleanup)
	testkit.Staff(t, node, "admin@simpul.test", model.RoleAdmin, "")
	testkit.Staff(t, node, "kes@simpul.test", model.RoleHandler, "KES")
	srv := testkit.Serve(t, node)
	testkit.Complaint(t, node, testkit.ComplaintSpec{Privacy: model.PrivacyAnonymous})

	handler := newDeskClient(t, srv.URL)
	handler.login("kes@simpul.test")
	if st, _ := handler.get("/staf/sinkron"); st != http.StatusForbidden {
		t.Fatalf("handler sees the sync page: %d", st)
	}

	admin := newDeskClient(t, srv.URL)
	admin.login("admin@simpul.test")
	st, body := admin.get("/staf/sinkron")
	if st != 200 || !strings.Contains(body, parentSrv.URL) || !strings.Contains(body, `id="sync-now"`) {
		t.Fatalf("sync page: %d\n%s", st, body)
	}
	if st, _, _ := admin.post("/staf/sinkron", url.Values{"csrf": {"forged"}}); st != http.StatusForbidden {
		t.Fatalf("sync now without CSRF: %d", st)
	}
	st, _, body = admin.post("/staf/sinkron", url.Values{"csrf": {admin.csrf}})
	if st != 200 || !strings.Contains(body, `id="run-result"`) || !strings.Contains(body, "Sinkronisasi selesai") {
		t.Fatalf("sync now: %d\n%s", st, body)
	}
	if !strings.Contains(body, `<dd id="pending">0</dd>`) {
		t.Errorf("pending after a good run:\n%s", body)
	}
	if n, _ := parent.CountRecords(model.Complaints); n != 1 {
		t.Errorf("parent has %d complaints after sync now", n)
	}

	// The parent goes away: the page says so in plain words.
	parentSrv.Close()
	testkit.Complaint(t, node, testkit.ComplaintSpec{})
	st, _, body = admin.post("/staf/sinkron", url.Values{"csrf": {admin.csrf}})
	if st != 200 || !strings.Contains(body, "tidak dapat dihubungi") || !strings.Contains(body, `<dd id="pending">1</dd>`) {
		t.Fatalf("parent down: %d\n%s", st, body)
	}
}
