package open311_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks"
	"simpul/hooks/domain/model"
	"simpul/hooks/open311"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/platform/token"
	"simpul/ui/testkit"
)

// "simpul open311 keys add NAME" prints the key once and stores only its
// hash; adding the same name again replaces the key.
func TestKeysAddCommand(t *testing.T) {
	app := testkit.New(t)
	run := func() open311.KeyCredentials {
		t.Helper()
		var out bytes.Buffer
		for _, c := range hooks.Commands(app, testkit.Config()) {
			if c.Name() != "open311" {
				continue
			}
			c.SetOut(&out)
			c.SetArgs([]string{"keys", "add", "Aplikasi Warga"})
			if err := c.Execute(); err != nil {
				t.Fatal(err)
			}
		}
		var creds open311.KeyCredentials
		if err := json.Unmarshal(out.Bytes(), &creds); err != nil || creds.APIKey == "" || creds.KeyID == "" {
			t.Fatalf("output %q: %v", out.String(), err)
		}
		return creds
	}
	first := run()
	rec, err := app.FindRecordById(model.Open311Keys, first.KeyID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("key_hash") != token.Hash(first.APIKey) || !rec.GetBool("active") || rec.GetString("name") != "Aplikasi Warga" {
		t.Fatalf("stored key: %v", rec.FieldsData())
	}
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM open311_keys WHERE key_hash = {:k} OR name = {:k}").
		Bind(map[string]any{"k": first.APIKey}).Row(&n); err != nil || n != 0 {
		t.Fatalf("the key itself is stored: %d %v", n, err)
	}
	second := run()
	if second.KeyID != first.KeyID || second.APIKey == first.APIKey {
		t.Fatalf("rotation: %+v then %+v", first, second)
	}
	rec, _ = app.FindRecordById(model.Open311Keys, first.KeyID)
	if rec.GetString("key_hash") != token.Hash(second.APIKey) {
		t.Fatal("the old key still works")
	}
}

// The command works on a fresh data directory: it migrates first.
func TestKeysAddOnFreshDataDir(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir(), EncryptionEnv: "pb_test_env", DBConnect: sqlitedb.Connect})
	t.Cleanup(func() { _ = app.ResetBootstrapState() })
	cmd := open311.Commands(app)[0]
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"keys", "add", "Mitra Baru"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var creds open311.KeyCredentials
	if err := json.Unmarshal(out.Bytes(), &creds); err != nil {
		t.Fatalf("%q: %v", out.String(), err)
	}
	rec, err := app.FindRecordById(model.Open311Keys, creds.KeyID)
	if err != nil || rec.GetString("key_hash") != token.Hash(creds.APIKey) {
		t.Fatalf("key not stored: %v", err)
	}
}

// An admin who creates a key through the collection API gets a fresh key
// from the server, once; whatever key_hash they sent is ignored.
func TestKeyCreatedThroughAPI(t *testing.T) {
	s := &tests.ApiScenario{
		Method:             http.MethodPost,
		URL:                "/api/collections/open311_keys/records",
		Body:               strings.NewReader(`{"name":"Mitra Kota","key_hash":"0000"}`),
		ExpectedStatus:     http.StatusOK,
		ExpectedContent:    []string{`"api_key":"`, `"active":true`},
		NotExpectedContent: []string{`"key_hash"`, `"0000"`},
	}
	s.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := testkit.NewUnmanaged(t, testkit.Config())
		_, token := testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
		s.Headers = map[string]string{"Authorization": token}
		return app
	}
	s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		var got struct {
			ID     string `json:"id"`
			APIKey string `json:"api_key"`
		}
		if err := json.NewDecoder(res.Body).Decode(&got); err != nil || got.APIKey == "" {
			t.Fatalf("answer: %+v %v", got, err)
		}
		rec, err := app.FindRecordById(model.Open311Keys, got.ID)
		if err != nil || rec.GetString("key_hash") != token.Hash(got.APIKey) {
			t.Fatalf("stored hash does not match the key shown: %v", err)
		}
	}
	s.Test(t)
}
