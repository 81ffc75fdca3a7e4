package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"simpul/hooks/platform/sqlitedb"
)

// TestRestoreDrill is the operator's restore drill (docs/operator.md,
// "Cadangan dan pemulihan"), run against the real binary: complaints and
// their hash-chained timelines, a backup through PocketBase's API, a copy
// taken off the machine, the data directory wiped, and then both restore
// procedures of the guide: unzip into an empty data directory (a new
// disk), and upload + restore in PocketBase on a freshly installed node.
// Each must bring back every row of data.db byte for byte (complaints,
// events with their hashes, staff, settings…) and every stored file, and
// "simpul audit verify" must pass.
func TestRestoreDrill(t *testing.T) {
	const email, password = "root@simpul.test", "rahasia-123456"
	dir := filepath.Join(t.TempDir(), "pb_data")
	offsite := filepath.Join(t.TempDir(), "offsite")

	// The office's data: 50 demo complaints with LAPOR!-like timelines,
	// and three real submissions (one with a photo in storage/).
	if code, out := simpul(t, "demo", "seed", "--count", "50", "--dir", dir); code != 0 {
		t.Fatalf("demo seed: exit %d\n%s", code, out)
	}
	if code, out := simpul(t, "superuser", "upsert", email, password, "--dir", dir); code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	base, stop := serve(t, dir)
	var codes []string
	for i := 0; i < 3; i++ {
		codes = append(codes, drillSubmit(t, base, i == 0))
	}
	tok := drillLogin(t, base, email, password)

	// The defaults the guide promises: daily at 03:00 WIB (20:00 UTC), 7 kept.
	code, body := drillDo(t, http.MethodGet, base+"/api/settings", tok, "", nil)
	if code != 200 || !strings.Contains(body, `"cron":"0 20 * * *"`) || !strings.Contains(body, `"cronMaxKeep":7`) {
		t.Errorf("backup settings: %d %.400s", code, body)
	}
	if code, body := drillDo(t, http.MethodGet, base+"/api/crons", tok, "", nil); code != 200 ||
		!strings.Contains(body, `{"id":"__pbAutoBackup__","expression":"0 20 * * *"}`) {
		t.Errorf("the backup job is not scheduled: %d %s", code, body)
	}

	// 1. Back up (what the 03:00 job does; "Buat cadangan" in /_/).
	if code, body := drillDo(t, http.MethodPost, base+"/api/backups", tok, "application/json",
		strings.NewReader(`{"name":"latihan.zip"}`)); code != http.StatusNoContent {
		t.Fatalf("create backup: %d %s", code, body)
	}
	// 2. Take a copy off the machine (download with a file token).
	code, body = drillDo(t, http.MethodPost, base+"/api/files/token", tok, "", nil)
	var ft struct{ Token string }
	if code != 200 || json.Unmarshal([]byte(body), &ft) != nil || ft.Token == "" {
		t.Fatalf("file token: %d %s", code, body)
	}
	code, zipBody := drillDo(t, http.MethodGet, base+"/api/backups/latihan.zip?token="+ft.Token, "", "", nil)
	if code != 200 || !strings.HasPrefix(zipBody, "PK") {
		t.Fatalf("download backup: %d %.100q", code, zipBody)
	}
	if err := os.MkdirAll(offsite, 0o700); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(offsite, "latihan.zip")
	if err := os.WriteFile(zipPath, []byte(zipBody), 0o600); err != nil {
		t.Fatal(err)
	}
	stop()
	before := drillDump(t, dir)
	if n := len(before.tables["complaints"]); n != 53 {
		t.Fatalf("%d complaints before the drill, want 53", n)
	}
	if n := len(before.tables["complaint_events"]); n < 53 {
		t.Fatalf("only %d timeline events before the drill", n)
	}
	if len(before.files) == 0 {
		t.Fatal("no stored file before the drill (the photo)")
	}

	// 3. Disaster: the data directory is gone.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}

	t.Run("unzip into an empty data directory", func(t *testing.T) {
		drillUnzip(t, zipPath, dir)
		if code, out := simpul(t, "audit", "verify", "--dir", dir); code != 0 || !strings.Contains(out, `"ok":true`) {
			t.Fatalf("audit verify after restore: exit %d\n%s", code, out)
		}
		base, stop := serve(t, dir)
		for _, c := range codes {
			if status, body := drillDo(t, http.MethodGet, base+"/api/track/"+c, "", "", nil); status != 200 {
				t.Errorf("track %s after restore: %d %.200s", c, status, body)
			}
		}
		stop()
		drillCompare(t, before, drillDump(t, dir))
	})

	t.Run("upload and restore in PocketBase on a new node", func(t *testing.T) {
		dir2 := filepath.Join(t.TempDir(), "pb_data")
		if code, out := simpul(t, "superuser", "upsert", email, password, "--dir", dir2); code != 0 {
			t.Fatalf("superuser upsert: exit %d\n%s", code, out)
		}
		base, stop := serve(t, dir2)
		defer stop()
		tok := drillLogin(t, base, email, password)
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", "latihan.zip")
		fw.Write([]byte(zipBody))
		mw.Close()
		if code, body := drillDo(t, http.MethodPost, base+"/api/backups/upload", tok, mw.FormDataContentType(), &form); code != http.StatusNoContent {
			t.Fatalf("upload backup: %d %s", code, body)
		}
		if code, body := drillDo(t, http.MethodPost, base+"/api/backups/latihan.zip/restore", tok, "", nil); code != http.StatusNoContent {
			t.Fatalf("restore: %d %s", code, body)
		}
		// PocketBase restores, then restarts the process in place
		// (same PID, same flags); the restored complaints appear.
		deadline := time.Now().Add(60 * time.Second)
		for {
			if status, _ := drillTry(base + "/api/track/" + codes[0]); status == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the restored complaint never appeared")
			}
			time.Sleep(100 * time.Millisecond)
		}
		stop()
		if code, out := simpul(t, "audit", "verify", "--dir", dir2); code != 0 || !strings.Contains(out, `"ok":true`) {
			t.Fatalf("audit verify after restore: exit %d\n%s", code, out)
		}
		drillCompare(t, before, drillDump(t, dir2))
	})
}

func drillSubmit(t *testing.T, base string, withPhoto bool) string {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for k, v := range map[string]string{
		"type": "pengaduan", "title": "Pipa air bocor di pasar", "category": "INF-AIR", "privacy": "public",
		"body":          "Pipa air bersih di los ikan bocor sejak kemarin, lantai licin dan air terbuang.",
		"reporter_name": "Dewi Lestari", "reporter_phone": "081311112222",
	} {
		mw.WriteField(k, v)
	}
	if withPhoto {
		img := image.NewRGBA(image.Rect(0, 0, 8, 8))
		img.Set(3, 3, color.RGBA{200, 30, 30, 255})
		fw, _ := mw.CreateFormFile("attachments", "foto.png")
		png.Encode(fw, img)
	}
	mw.Close()
	code, body := drillDo(t, http.MethodPost, base+"/api/complaints", "", mw.FormDataContentType(), &form)
	var out struct {
		TrackingCode string `json:"tracking_code"`
	}
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &out) != nil || out.TrackingCode == "" {
		t.Fatalf("submit: %d %s", code, body)
	}
	return out.TrackingCode
}

func drillLogin(t *testing.T, base, email, password string) string {
	t.Helper()
	code, body := drillDo(t, http.MethodPost, base+"/api/collections/_superusers/auth-with-password", "", "application/json",
		strings.NewReader(fmt.Sprintf(`{"identity":%q,"password":%q}`, email, password)))
	var out struct{ Token string }
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil || out.Token == "" {
		t.Fatalf("superuser login: %d %s", code, body)
	}
	return out.Token
}

func drillDo(t *testing.T, method, url, token, contentType string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func drillTry(url string) (int, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// drillUnzip is the guide's "unzip -q latihan.zip -d /var/lib/simpul":
// the real unzip when the machine has it, else the same in Go.
func drillUnzip(t *testing.T, zipPath, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if unzip, err := exec.LookPath("unzip"); err == nil {
		if out, err := exec.Command(unzip, "-q", zipPath, "-d", dir).CombinedOutput(); err != nil {
			t.Fatalf("unzip: %v\n%s", err, out)
		}
		return
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(os.PathSeparator)) {
			t.Fatalf("zip entry outside the data directory: %s", f.Name)
		}
		if f.FileInfo().IsDir() {
			os.MkdirAll(dst, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// drillState is everything a restore must bring back: every row of every
// table of data.db (rendered column by column) and every stored file's
// SHA-256.
type drillState struct {
	tables map[string][]string
	files  map[string]string
}

func drillDump(t *testing.T, dir string) drillState {
	t.Helper()
	db, err := sqlitedb.Connect(filepath.Join(dir, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	if err := db.NewQuery(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).Column(&names); err != nil {
		t.Fatal(err)
	}
	st := drillState{tables: map[string][]string{}, files: map[string]string{}}
	for _, name := range names {
		rows, err := db.DB().Query(`SELECT * FROM "` + name + `" ORDER BY rowid`)
		if err != nil && strings.Contains(err.Error(), "no such column: rowid") {
			// A WITHOUT ROWID table (the statistics store, FTS5's own
			// tables) reads in primary-key order.
			rows, err = db.DB().Query(`SELECT * FROM "` + name + `"`)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%q;", cols[i], fmt.Sprint(v))
			}
			st.tables[name] = append(st.tables[name], b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	storage := filepath.Join(dir, "storage")
	filepath.WalkDir(storage, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(storage, path)
		st.files[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	return st
}

func drillCompare(t *testing.T, want, got drillState) {
	t.Helper()
	for name, rows := range want.tables {
		g := got.tables[name]
		if len(g) != len(rows) {
			t.Errorf("table %s: %d rows restored, %d backed up", name, len(g), len(rows))
			continue
		}
		for i := range rows {
			if g[i] != rows[i] {
				t.Errorf("table %s row %d differs:\nbacked up %s\nrestored  %s", name, i, rows[i], g[i])
				break
			}
		}
	}
	for name := range got.tables {
		if _, ok := want.tables[name]; !ok {
			t.Errorf("table %s appeared after the restore", name)
		}
	}
	if len(got.files) != len(want.files) {
		t.Errorf("%d stored files restored, %d backed up", len(got.files), len(want.files))
	}
	for f, sum := range want.files {
		if got.files[f] != sum {
			t.Errorf("stored file %s not restored intact", f)
		}
	}
	t.Logf("restored %d complaints, %d timeline events, %d stored files; %d non-empty tables compared",
		len(got.tables["complaints"]), len(got.tables["complaint_events"]), len(got.files), len(got.tables))
}
