package ops

import (
	"bytes"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"

	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/routes"
)

// ContentType is the media type /metrics answers in: the Prometheus text
// format, version 0.0.4.
var ContentType = string(textFormat)

var textFormat = expfmt.NewFormat(expfmt.TypeTextPlain)

// metricsSet is one app's metrics: a registry of its own (tests run many
// apps in one process, so nothing goes to client_golang's global
// registry), the intake counters that count as requests happen, and the
// collector that reads everything else at scrape time.
type metricsSet struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetricsSet(app core.App, backups *backupStats, parent bool) *metricsSet {
	m := &metricsSet{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "simpul_intake_requests_total", Help: intakeHelp},
			[]string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "simpul_intake_duration_seconds", Help: latencyHelp,
			Buckets: latencyBounds}, []string{"route"}),
	}
	// Every route and class from the start, at zero: a rate over a series
	// that appears only with its first request misses that request.
	for _, r := range IntakeRoutes {
		for _, c := range statusClasses {
			m.requests.WithLabelValues(r, c)
		}
		m.latency.WithLabelValues(r)
	}
	m.reg.MustRegister(m.requests, m.latency, &stateCollector{app: app, backups: backups, parent: parent},
		// The go_* and process_* families every Prometheus set-up knows.
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts one intake submission to route (one of IntakeRoutes).
func (m *metricsSet) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, statusClass(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// metrics answers a scrape: 401 without credentials from another host,
// 403 for anyone but a superuser or an active admin, else the text format;
// a figure that cannot be read (the database) is a 500, never a partial
// answer that looks like zeros.
func (m *metricsSet) metrics(e *core.RequestEvent) error {
	if !IsLocal(e.Request) {
		if e.Auth == nil {
			return e.UnauthorizedError("Metrics: sign in as an administrator, or scrape from the server itself.", nil)
		}
		if !routes.IsAdmin(e.Auth) {
			return e.ForbiddenError("Metrics are for administrators only.", nil)
		}
	}
	fams, err := m.reg.Gather()
	if err != nil {
		return e.InternalServerError("", err)
	}
	var b bytes.Buffer
	enc := expfmt.NewEncoder(&b, textFormat)
	for _, f := range fams {
		if err := enc.Encode(f); err != nil {
			return e.InternalServerError("", err)
		}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, ContentType, b.Bytes())
}

// stateCollector reads, at scrape time, what the database and the data
// directory hold (collect.go, backups.go).
type stateCollector struct {
	app     core.App
	backups *backupStats
	parent  bool
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range stateDescs {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	start := time.Now()
	now := clock.Now(c.app)
	if err := collectComplaints(c.app, ch, now); err != nil {
		ch <- prometheus.NewInvalidMetric(descComplaints, err)
		return
	}
	if err := collectSync(c.app, ch, c.parent, now); err != nil {
		ch <- prometheus.NewInvalidMetric(descOutboxPending, err)
		return
	}
	collectFiles(c.app, ch)
	c.backups.collect(c.app, ch)
	ch <- gauge(descScrapeDuration, time.Since(start).Seconds())
}

// gauge is one sample of a gauge family; labels in the order of its Desc.
// Label values come from fixed sets (statuses, channels, file names),
// never from citizens' input.
func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	d := prometheus.NewDesc(name, help, labels, nil)
	stateDescs = append(stateDescs, d)
	return d
}

// stateDescs are the families stateCollector emits (desc adds each).
var stateDescs []*prometheus.Desc

var (
	descComplaints = desc("simpul_complaints", "Complaints in the database by intake channel and current status.",
		"channel", "status")
	descQueue   = desc("simpul_queue_size", "Open complaints (a deadline runs or is paused) by status.", "status")
	descOverdue = desc("simpul_complaints_overdue", "Open complaints whose current deadline (due_at) has passed.")

	descParent = desc("simpul_sync_parent_configured",
		"1 when this node pushes to a parent (SIMPUL_UPSTREAM_URL or SIMPUL_LAPOR_URL), else 0.")
	descOutboxPending  = desc("simpul_sync_outbox_pending", "Changes waiting to be pushed to the parent.")
	descOutboxRejected = desc("simpul_sync_outbox_rejected", "Changes the parent refused for good (see /staf/sinkron).")
	descOutboxAge      = desc("simpul_sync_outbox_oldest_pending_age_seconds",
		"Age of the oldest change waiting to be pushed; 0 when none waits.")
	descSyncFailures = desc("simpul_sync_consecutive_failures", "Sync passes that failed in a row since the last success.")
	descSyncLast     = desc("simpul_sync_last_success_timestamp_seconds",
		"Unix time of the last successful sync pass; 0 when there was none.")
	descSyncSince = desc("simpul_sync_seconds_since_last_success",
		"Seconds since the last successful sync pass (absent when there was none).")

	descDBFile = desc("simpul_db_file_bytes", "Size of the SQLite files in the data directory.", "file")

	descBackupLast = desc("simpul_backup_last_success_timestamp_seconds",
		"Unix time of the newest backup (made by this process, or the newest file in the local backups folder); 0 when none.")
	descBackupFailures = desc("simpul_backup_failures_total", "Backups that failed since the process started.")
	descBackupS3       = desc("simpul_backup_s3_enabled",
		"1 when backups go to S3-compatible storage, else 0 (local backups folder).")
	descBackupFiles = desc("simpul_backup_local_files", "Backup files in the local backups folder (pb_data/backups).")
	descBackupBytes = desc("simpul_backup_local_bytes", "Size of the backup files in the local backups folder.")

	descScrapeDuration = desc("simpul_metrics_scrape_duration_seconds",
		"Time spent reading the database and the data directory for these metrics.")
)

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
