package ops_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/ui/testkit"
)

// runBackupJob runs PocketBase's scheduled backup job once, as the 03:00
// tick would.
func runBackupJob(t *testing.T, app core.App) {
	t.Helper()
	for _, j := range app.Cron().Jobs() {
		if j.Id() == "__pbAutoBackup__" {
			j.Run()
			return
		}
	}
	t.Fatal("no scheduled backup job")
}

// The daily job keeps the newest 7 automatic backups in the local folder.
func TestDailyBackupKeepsSeven(t *testing.T) {
	app := testkit.New(t)
	dir := filepath.Join(app.DataDir(), core.LocalBackupsDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 8; i++ {
		p := filepath.Join(dir, fmt.Sprintf("@auto_pb_backup_lama_%d.zip", i))
		if err := os.WriteFile(p, []byte("PK"), 0o644); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Duration(i) * 24 * time.Hour)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	manual := filepath.Join(dir, "sebelum-upgrade.zip")
	if err := os.WriteFile(manual, []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}

	runBackupJob(t, app)

	names, _ := filepath.Glob(filepath.Join(dir, "@auto_pb_backup_*.zip"))
	if len(names) != 7 {
		t.Fatalf("%d automatic backups kept, want 7: %v", len(names), names)
	}
	for _, gone := range []int{7, 8} { // the two oldest
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("@auto_pb_backup_lama_%d.zip", gone))); err == nil {
			t.Errorf("the old backup %d was kept", gone)
		}
	}
	if _, err := os.Stat(manual); err != nil {
		t.Error("a manual backup was removed by the automatic retention")
	}
}

// Off-site backups with the settings the guide gives (PATCH /api/settings,
// path-style), against an S3-compatible server: the backup lands in the
// bucket, the daily job keeps 7 there, and the metrics follow.
func TestBackupsToS3CompatibleStorage(t *testing.T) {
	s3 := newFakeS3(t, "simpul-pkm-sukamaju")
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	tok := testkit.SuperuserToken(t, app)
	code, body := do(t, http.MethodPatch, srv.URL+"/api/settings", `{"backups": {"s3": {"enabled": true,
		"endpoint": "`+s3.URL+`", "bucket": "simpul-pkm-sukamaju", "region": "us-east-1",
		"accessKey": "KUNCI_AKSES", "secret": "KUNCI_RAHASIA", "forcePathStyle": true}}}`,
		"Authorization", tok, "Content-Type", "application/json")
	if code != 200 {
		t.Fatalf("settings: %d %s", code, body)
	}
	if code, body := do(t, http.MethodPost, srv.URL+"/api/settings/test/s3", `{"filesystem":"backups"}`,
		"Authorization", tok, "Content-Type", "application/json"); code != http.StatusNoContent {
		t.Fatalf("S3 test: %d %s", code, body)
	}
	for i := 1; i <= 8; i++ {
		s3.put(fmt.Sprintf("@auto_pb_backup_lama_%d.zip", i), []byte("PK"), time.Now().Add(-time.Duration(i)*24*time.Hour))
	}

	runBackupJob(t, app)

	auto := s3.keys("@auto_pb_backup_")
	if len(auto) != 7 {
		t.Fatalf("%d automatic backups in the bucket, want 7: %v", len(auto), auto)
	}
	fresh := 0
	for _, k := range auto {
		if !strings.Contains(k, "_lama_") {
			fresh++
			if b := s3.get(k); !strings.HasPrefix(string(b), "PK") || len(b) < 1000 {
				t.Errorf("the new backup %s is not a zip (%d bytes)", k, len(b))
			}
		}
	}
	if fresh != 1 {
		t.Errorf("%d new backups in the bucket, want 1: %v", fresh, auto)
	}
	if entries, _ := os.ReadDir(filepath.Join(app.DataDir(), core.LocalBackupsDirName)); len(entries) != 0 {
		t.Errorf("backups written locally too: %d", len(entries))
	}
	_, fams := scrape(t, srv)
	if got := value(t, fams, "simpul_backup_s3_enabled"); got != 1 {
		t.Errorf("s3 enabled = %v", got)
	}
	if got := value(t, fams, "simpul_backup_last_success_timestamp_seconds"); got < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last backup %v, want about now", got)
	}
}

// fakeS3 is the part of the S3 API PocketBase's backups use (path-style
// PUT, GET, HEAD, DELETE and ListObjectsV2), in memory. It checks no
// signatures.
type fakeS3 struct {
	*httptest.Server
	bucket string
	mu     sync.Mutex
	objs   map[string]fakeObject
}

type fakeObject struct {
	body []byte
	mod  time.Time
}

func newFakeS3(t *testing.T, bucket string) *fakeS3 {
	f := &fakeS3{bucket: bucket, objs: map[string]fakeObject{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeS3) put(key string, body []byte, mod time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objs[key] = fakeObject{body, mod.UTC().Truncate(time.Second)}
}

func (f *fakeS3) get(key string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objs[key].body
}

func (f *fakeS3) keys(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.objs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (f *fakeS3) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+f.bucket)
	if !ok {
		http.Error(w, "NoSuchBucket", http.StatusNotFound)
		return
	}
	key := strings.TrimPrefix(rest, "/")
	switch {
	case key == "" && r.Method == http.MethodGet:
		type content struct {
			Key          string
			LastModified time.Time
			Size         int
		}
		res := struct {
			XMLName  xml.Name `xml:"ListBucketResult"`
			Name     string
			Prefix   string
			KeyCount int
			Contents []content
		}{Name: f.bucket, Prefix: r.URL.Query().Get("prefix")}
		f.mu.Lock()
		for k, o := range f.objs {
			if strings.HasPrefix(k, res.Prefix) {
				res.Contents = append(res.Contents, content{k, o.mod, len(o.body)})
			}
		}
		f.mu.Unlock()
		sort.Slice(res.Contents, func(i, j int) bool { return res.Contents[i].Key < res.Contents[j].Key })
		res.KeyCount = len(res.Contents)
		w.Header().Set("Content-Type", "application/xml")
		xml.NewEncoder(w).Encode(res)
	case r.Method == http.MethodPut:
		b, _ := io.ReadAll(r.Body)
		f.put(key, b, time.Now())
	case r.Method == http.MethodDelete:
		f.mu.Lock()
		delete(f.objs, key)
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		f.mu.Lock()
		o, ok := f.objs[key]
		f.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(o.body)))
		w.Header().Set("Last-Modified", o.mod.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/zip")
		if r.Method == http.MethodGet {
			w.Write(o.body)
		}
	default:
		w.WriteHeader(http.StatusNotImplemented)
	}
}
