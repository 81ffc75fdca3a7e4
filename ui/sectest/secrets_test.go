package sectest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks"
	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/open311"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/platform/token"
	"simpul/sync/hub"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// runCommand runs a simpul CLI command in-process, as the binary wires it,
// and returns what it printed.
func runCommand(t *testing.T, app core.App, args ...string) []byte {
	t.Helper()
	cfg := testkit.Config()
	root := &cobra.Command{Use: "simpul", SilenceUsage: true}
	root.AddCommand(hooks.Commands(app, cfg)...)
	root.AddCommand(upstream.Commands(app, cfg)...)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatalf("simpul %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.Bytes()
}

// dataBytes returns every file of a data directory (data.db, its WAL,
// auxiliary.db, storage/) concatenated.
func dataBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		all = append(all, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// Kiosk tokens, node secrets, Open311 keys and staff passwords issued the
// way operators issue them leave no cleartext anywhere in the data
// directory. The receipt token is the one secret kept in clear (a reprint
// needs it; docs/security.md says why that is acceptable).
func TestSecretsAtRest(t *testing.T) {
	app := testkit.NewUnmanaged(t, testkit.Config())
	var kiosk intake.KioskCredentials
	var node hub.Credentials
	var key open311.KeyCredentials
	for _, c := range []struct {
		out  any
		args []string
	}{
		{&kiosk, []string{"kiosks", "add", "Kios Lobi Utama", "--location", "Ruang tunggu"}},
		{&node, []string{"nodes", "add", "PKM-7", "--name", "Puskesmas Tujuh"}},
		{&key, []string{"open311", "keys", "add", "Aplikasi Warga Kota"}},
	} {
		if err := json.Unmarshal(runCommand(t, app, c.args...), c.out); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
	}
	if kiosk.Token == "" || node.Secret == "" || key.APIKey == "" {
		t.Fatalf("credentials not printed: %+v %+v %+v", kiosk, node, key)
	}
	m := printedPassword.FindSubmatch(runCommand(t, app, "staff", "add", "petugas@simpul.test", "--name", "Petugas"))
	if m == nil {
		t.Fatal("simpul staff add printed no password")
	}
	staffPassword := string(m[1])
	res, err := intake.Submit(app, intake.Request{Type: "pengaduan", Title: "Antrean obat terlalu lama",
		Body: "Menunggu tiga jam di apotek puskesmas.", Category: "LAIN", Privacy: "public",
		ReporterName: "Siti Aminah", ReporterPhone: "081234567890", RemoteIP: "192.0.2.10"})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := app.FindRecordById(model.Complaints, res.ComplaintID)
	receiptToken := c.GetString("receipt_token")

	dir := app.DataDir()
	if err := app.ResetBootstrapState(); err != nil { // close the databases (checkpoint the WAL)
		t.Fatal(err)
	}
	defer app.Cleanup()
	data := dataBytes(t, dir)
	for what, secret := range map[string]string{
		"kiosk token": kiosk.Token, "node secret": node.Secret, "Open311 key": key.APIKey,
		"staff password": staffPassword,
	} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the %s is stored in clear in the data directory", what)
		}
	}
	// The scan sees what is there: names in clear, the receipt token by
	// design, the kiosk token's SHA-256 and the node's derived key.
	for what, clear := range map[string]string{
		"kiosk name": "Kios Lobi Utama", "receipt token": receiptToken,
		"kiosk token hash": token.Hash(kiosk.Token), "Open311 key hash": token.Hash(key.APIKey),
	} {
		if !bytes.Contains(data, []byte(clear)) {
			t.Errorf("the %s is not in the data directory: the scan is blind", what)
		}
	}
}

// Admins who may list kiosks, nodes and Open311 keys never see the stored
// hashes through the API (hidden fields).
func TestSecretHashesHiddenFromAdmins(t *testing.T) {
	app := testkit.New(t)
	_, admin := testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
	if _, err := intake.AddKiosk(app, "Kios Lobi", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := hub.AddNode(app, "PKM-7", "Puskesmas Tujuh"); err != nil {
		t.Fatal(err)
	}
	if _, err := open311.AddKey(app, "Aplikasi Warga"); err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)
	b := newBrowser(t, srv.URL)
	for col, field := range map[string]string{model.Kiosks: "token_hash", model.Nodes: "key_hash", model.Open311Keys: "key_hash"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/collections/"+col+"/records", nil)
		req.Header.Set("Authorization", admin)
		r := b.do(req)
		if r.status != http.StatusOK || !strings.Contains(r.body, `"totalItems":1`) {
			t.Fatalf("%s list as admin: %d %s", col, r.status, r.body)
		}
		if strings.Contains(r.body, field) {
			t.Errorf("%s: %s visible to an admin: %s", col, field, r.body)
		}
		// Nor can a filter probe it.
		req, _ = http.NewRequest(http.MethodGet, srv.URL+"/api/collections/"+col+"/records?filter="+field+"%3E%27%27", nil)
		req.Header.Set("Authorization", admin)
		if r := b.do(req); r.status == http.StatusOK && !strings.Contains(r.body, `"totalItems":0`) {
			t.Errorf("%s: a filter on %s matched: %s", col, field, r.body)
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// With --encryptionEnv (SIMPUL_ENCRYPTION_KEY in the Dockerfile and the
// systemd unit) PocketBase's settings row, which holds the SMTP password
// and the S3 secret, is encrypted in data.db; without the key it is not,
// and a data directory encrypted with a key does not open without it.
func TestSettingsEncryptedAtRest(t *testing.T) {
	const env = "SIMPUL_TEST_ENCRYPTION_KEY"
	smtpPassword, s3Secret := "smtp-"+randomHex(12), "s3-"+randomHex(12)
	open := func(dir, key string) (*core.BaseApp, error) {
		t.Setenv(env, key)
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: env, DBConnect: sqlitedb.Connect})
		if err := app.Bootstrap(); err != nil {
			return nil, err
		}
		return app, app.RunAllMigrations()
	}
	for _, key := range []string{"", randomHex(16)} { // 32 characters, as openssl rand -hex 16
		dir := t.TempDir()
		app, err := open(dir, key)
		if err != nil {
			t.Fatal(err)
		}
		s := app.Settings()
		s.SMTP.Password = smtpPassword
		s.Backups.S3.Secret = s3Secret
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
		if err := app.ResetBootstrapState(); err != nil {
			t.Fatal(err)
		}
		data := dataBytes(t, dir)
		inClear := bytes.Contains(data, []byte(smtpPassword)) || bytes.Contains(data, []byte(s3Secret))
		switch {
		case key == "" && !inClear:
			t.Fatal("without a key the settings should be in clear: the scan is blind")
		case key != "" && inClear:
			t.Fatal("with --encryptionEnv the SMTP password or S3 secret is stored in clear")
		case key == "":
			continue
		}
		// The same key opens it again; no key refuses to start.
		again, err := open(dir, key)
		if err != nil {
			t.Fatal(err)
		}
		if got := again.Settings().SMTP.Password; got != smtpPassword {
			t.Errorf("SMTP password after reopening: %q", got)
		}
		again.ResetBootstrapState()
		if app, err := open(dir, ""); err == nil || !strings.Contains(err.Error(), env) {
			t.Errorf("opening without the key: %v", err)
			if app != nil {
				app.ResetBootstrapState()
			}
		}
	}
}
