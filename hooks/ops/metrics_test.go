package ops_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"simpul/hooks/domain/lifecycle"
	smodel "simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/ops"
	"simpul/hooks/platform/clock"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

func do(t testing.TB, method, url, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// scrape fetches /metrics from srv (a loopback peer, so no credentials
// are needed) and parses it with Prometheus's own text parser.
func scrape(t testing.TB, srv *httptest.Server) (string, map[string]*dto.MetricFamily) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+ops.MetricsPath, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %d %s", res.StatusCode, b)
	}
	if ct := res.Header.Get("Content-Type"); ct != ops.ContentType {
		t.Errorf("content type %q, want %q", ct, ops.ContentType)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("the output is not valid Prometheus text: %v\n%s", err, b)
	}
	for name, f := range fams {
		if f.GetHelp() == "" {
			t.Errorf("%s has no HELP", name)
		}
	}
	return string(b), fams
}

// value returns the sample of family name whose labels include want.
func value(t testing.TB, fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("no metric %s", name)
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(want); i += 2 {
			if have[want[i]] != want[i+1] {
				continue next
			}
		}
		switch f.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue()
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue()
		case dto.MetricType_HISTOGRAM:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	t.Fatalf("no sample of %s with %v", name, want)
	return 0
}

func dt(t time.Time) string {
	d, _ := types.ParseDateTime(t.UTC())
	return d.String()
}

func update(t testing.TB, app core.App, table, id string, cols dbx.Params) {
	t.Helper()
	if _, err := app.DB().Update(table, cols, dbx.HashExp{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// The figures come from the database as it is at scrape time; intake is
// counted as it happens; nothing personal or unbounded becomes a label.
func TestMetricsMatchDatabase(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	now := clock.Now(app)

	// Through the real intake route: one accepted, one refused.
	code, body := do(t, http.MethodPost, srv.URL+"/api/complaints", `{"type":"pengaduan","title":"Lampu jalan mati",
		"body":"Lampu jalan di gang tiga mati sejak seminggu.","category":"LAIN","privacy":"public",
		"reporter_name":"Rahmat Hidayat","reporter_phone":"081298765432"}`, "Content-Type", "application/json")
	if code != http.StatusCreated {
		t.Fatalf("intake: %d %s", code, body)
	}
	apiCode := between(body, `"tracking_code":"`, `"`)
	if code, body := do(t, http.MethodPost, srv.URL+"/api/complaints", `{"title":"x"}`, "Content-Type", "application/json"); code != http.StatusBadRequest {
		t.Fatalf("bad intake: %d %s", code, body)
	}
	// A QR landing post (an unknown point: refused) counts under the
	// route pattern, never under its slug; a counter login is not intake.
	do(t, http.MethodPost, srv.URL+"/q/titik-rahasia-99", "title=x", "Content-Type", "application/x-www-form-urlencoded")
	// An Open311 client without a key (403).
	do(t, http.MethodPost, srv.URL+"/open311/v2/requests.json", "service_code=LAIN", "Content-Type", "application/x-www-form-urlencoded")
	do(t, http.MethodPost, srv.URL+"/loket/masuk", "email=x", "Content-Type", "application/x-www-form-urlencoded")

	// Fixtures, then their state set directly.
	a := testkit.Complaint(t, app, testkit.ComplaintSpec{Reporter: "Siti Aminah", Phone: "081234567890"})
	overdue := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	closed := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	future := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	paused := testkit.Complaint(t, app, testkit.ComplaintSpec{})
	update(t, app, smodel.Complaints, overdue.Id, dbx.Params{"channel": smodel.ChannelKiosk, "status": smodel.StatusProses, "due_at": dt(now.Add(-48 * time.Hour))})
	update(t, app, smodel.Complaints, closed.Id, dbx.Params{"status": smodel.StatusSelesai, "due_at": dt(now.Add(-48 * time.Hour))})
	update(t, app, smodel.Complaints, future.Id, dbx.Params{"due_at": dt(now.Add(48 * time.Hour))})
	update(t, app, smodel.Complaints, paused.Id, dbx.Params{"status": smodel.StatusTertunda, "due_at": ""})

	// Outbox: one change refused, the oldest waiting one an hour old.
	var rows []struct {
		ID string `db:"id"`
	}
	if err := app.DB().Select("id").From(smodel.SyncOutbox).OrderBy("rowid").All(&rows); err != nil || len(rows) < 3 {
		t.Fatalf("outbox rows: %v (%d)", err, len(rows))
	}
	update(t, app, smodel.SyncOutbox, rows[0].ID, dbx.Params{"status": outbox.StatusRejected})
	update(t, app, smodel.SyncOutbox, rows[1].ID, dbx.Params{"created": dt(now.Add(-time.Hour))})
	pending, _ := outbox.Count(app, smodel.OutboxPending)

	_, err := app.DB().Insert(smodel.SyncState, dbx.Params{"id": "opsteststatus01", "key": "status",
		"value":   `{"last_success":"` + now.Add(-2*time.Minute).UTC().Format(time.RFC3339) + `","failures":2}`,
		"created": dt(now), "updated": dt(now)}).Execute()
	if err != nil {
		t.Fatal(err)
	}

	text, fams := scrape(t, srv)

	// Complaints by channel and status, against the database.
	var total float64
	for _, c := range smodel.Channels {
		for _, s := range smodel.Statuses {
			var n int
			err := app.DB().Select("count(*)").From(smodel.Complaints).
				Where(dbx.HashExp{"channel": c, "status": s}).Row(&n)
			if err != nil {
				t.Fatal(err)
			}
			if got := value(t, fams, "simpul_complaints", "channel", c, "status", s); got != float64(n) {
				t.Errorf("simpul_complaints{%s,%s} = %v, database %d", c, s, got, n)
			}
			total += float64(n)
		}
	}
	if total != 6 {
		t.Errorf("complaints in total %v, want 6", total)
	}
	for status, want := range map[string]float64{smodel.StatusBaru: 3, smodel.StatusTertunda: 1, smodel.StatusTerdisposisi: 0, smodel.StatusProses: 1} {
		if got := value(t, fams, "simpul_queue_size", "status", status); got != want {
			t.Errorf("queue %s = %v, want %v", status, got, want)
		}
	}
	if got := value(t, fams, "simpul_complaints_overdue"); got != 1 {
		t.Errorf("overdue = %v, want 1 (only the open complaint past its deadline)", got)
	}
	for _, s := range fams["simpul_queue_size"].GetMetric() {
		if st := s.GetLabel()[0].GetValue(); lifecycle.Terminal(st) {
			t.Errorf("a closed status in the queues: %s", st)
		}
	}

	// Intake.
	for _, c := range []struct {
		route, class string
		want         float64
	}{
		{ops.RouteAPI, "2xx", 1}, {ops.RouteAPI, "4xx", 1}, {ops.RouteAPI, "5xx", 0},
		{ops.RouteQR, "4xx", 1}, {ops.RouteLoket, "2xx", 0}, {ops.RouteLoket, "4xx", 0},
		{ops.RouteOpen311, "4xx", 1},
	} {
		if got := value(t, fams, "simpul_intake_requests_total", "route", c.route, "code", c.class); got != c.want {
			t.Errorf("intake %s %s = %v, want %v", c.route, c.class, got, c.want)
		}
	}
	if got := value(t, fams, "simpul_intake_duration_seconds", "route", ops.RouteAPI); got != 2 {
		t.Errorf("latency observations for the API = %v, want 2", got)
	}
	for _, m := range fams["simpul_intake_duration_seconds"].GetMetric() {
		h := m.GetHistogram()
		var prev uint64
		for _, b := range h.GetBucket() {
			if b.GetCumulativeCount() < prev || b.GetCumulativeCount() > h.GetSampleCount() {
				t.Errorf("histogram buckets not cumulative: %v", h)
			}
			prev = b.GetCumulativeCount()
		}
	}

	// Sync.
	if got := value(t, fams, "simpul_sync_outbox_pending"); got != float64(pending) || pending < 2 {
		t.Errorf("outbox pending = %v, database %d", got, pending)
	}
	if got := value(t, fams, "simpul_sync_outbox_rejected"); got != 1 {
		t.Errorf("outbox rejected = %v, want 1", got)
	}
	if got := value(t, fams, "simpul_sync_outbox_oldest_pending_age_seconds"); got < 3600 || got > 3600+120 {
		t.Errorf("oldest pending age = %v, want about 3600", got)
	}
	if got := value(t, fams, "simpul_sync_consecutive_failures"); got != 2 {
		t.Errorf("failures = %v, want 2", got)
	}
	if got := value(t, fams, "simpul_sync_seconds_since_last_success"); got < 120 || got > 120+120 {
		t.Errorf("since last success = %v, want about 120", got)
	}
	if got := value(t, fams, "simpul_sync_parent_configured"); got != 0 {
		t.Errorf("parent configured = %v on a test app without one", got)
	}

	// Process and files.
	if got := value(t, fams, "simpul_db_file_bytes", "file", "data.db"); got <= 0 {
		t.Errorf("data.db size %v", got)
	}
	if value(t, fams, "go_goroutines") <= 0 || value(t, fams, "go_memstats_heap_alloc_bytes") <= 0 {
		t.Error("runtime figures missing")
	}

	// Privacy: no tracking code, no reporter, no slug; every label from a
	// fixed set.
	for _, secret := range []string{a.GetString("tracking_code"), apiCode, "Siti Aminah", "081234567890",
		"Rahmat Hidayat", "081298765432", "titik-rahasia-99", "127.0.0.1"} {
		if secret != "" && strings.Contains(text, secret) {
			t.Errorf("the metrics carry %q", secret)
		}
	}
	allowed := map[string]map[string]bool{
		"channel": set(smodel.Channels...), "status": set(smodel.Statuses...),
		"route": set(ops.IntakeRoutes...), "code": set("2xx", "3xx", "4xx", "5xx", "other"),
		"file": set("data.db", "data.db-wal", "auxiliary.db", "auxiliary.db-wal"),
		// go_info, from client_golang's Go collector.
		"version": set(runtime.Version()),
	}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if vals, ok := allowed[l.GetName()]; !ok || !vals[l.GetValue()] {
					t.Errorf("%s has label %s=%q outside the fixed sets", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}

// The metrics read sync/upstream's persisted status: a real failing pass,
// then a real successful one, must show in them.
func TestSyncMetricsFollowUpstream(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	fake := &fakeParent{err: errors.New("dial tcp: connection refused")}
	s := upstream.NewSyncer(app, fake, "hub", time.Minute)

	if _, err := s.Pass(context.Background()); err == nil {
		t.Fatal("the pass against a dead parent succeeded")
	}
	_, fams := scrape(t, srv)
	if got := value(t, fams, "simpul_sync_consecutive_failures"); got != 1 {
		t.Errorf("failures after a failed pass = %v, want 1", got)
	}
	if got := value(t, fams, "simpul_sync_last_success_timestamp_seconds"); got != 0 {
		t.Errorf("last success %v before any success", got)
	}
	if _, ok := fams["simpul_sync_seconds_since_last_success"]; ok {
		t.Error("seconds since last success given before any success")
	}

	fake.err = nil
	if _, err := s.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, fams = scrape(t, srv)
	if got := value(t, fams, "simpul_sync_consecutive_failures"); got != 0 {
		t.Errorf("failures after a success = %v", got)
	}
	if got := value(t, fams, "simpul_sync_last_success_timestamp_seconds"); got < float64(clock.Now(app).Add(-time.Minute).Unix()) {
		t.Errorf("last success %v, want about now", got)
	}
}

type fakeParent struct{ err error }

func (p *fakeParent) Push(ctx context.Context, req protocol.PushRequest) (protocol.PushResponse, error) {
	if p.err != nil {
		return protocol.PushResponse{}, p.err
	}
	res := protocol.PushResponse{V: protocol.Version}
	for _, c := range req.Changes {
		res.Acks = append(res.Acks, protocol.Ack{UID: c.Event.UID, Result: protocol.AckOK})
	}
	return res, nil
}

func (p *fakeParent) Pull(ctx context.Context, cursor int64, limit int) (protocol.PullResponse, error) {
	if p.err != nil {
		return protocol.PullResponse{}, p.err
	}
	return protocol.PullResponse{V: protocol.Version, NextCursor: cursor}, nil
}

// Backups made while serving are counted, with the local folder.
func TestBackupMetrics(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	_, fams := scrape(t, srv)
	if got := value(t, fams, "simpul_backup_last_success_timestamp_seconds"); got != 0 {
		t.Fatalf("last backup %v on a fresh app", got)
	}
	if err := app.CreateBackup(context.Background(), "uji.zip"); err != nil {
		t.Fatal(err)
	}
	_, fams = scrape(t, srv)
	if got := value(t, fams, "simpul_backup_last_success_timestamp_seconds"); got < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("last backup %v, want about now", got)
	}
	if got := value(t, fams, "simpul_backup_local_files"); got != 1 {
		t.Errorf("local backups %v, want 1", got)
	}
	if got := value(t, fams, "simpul_backup_local_bytes"); got <= 0 {
		t.Errorf("local backup bytes %v", got)
	}
	if got := value(t, fams, "simpul_backup_failures_total"); got != 0 {
		t.Errorf("failures %v", got)
	}
}

func set(vals ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
