package ops

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
)

// processStart approximates the process start time for
// process_start_time_seconds.
var processStart = time.Now()

// writeComplaints exports the complaints by channel and status, the open
// queues and the overdue count, all read from the database at scrape time.
func writeComplaints(app core.App, x *expo, now time.Time) error {
	var rows []struct {
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int64  `db:"n"`
	}
	err := app.DB().Select("channel", "status", "count(*) AS n").From(model.Complaints).
		GroupBy("channel", "status").All(&rows)
	if err != nil {
		return fmt.Errorf("ops: complaints: %w", err)
	}
	counts := map[[2]string]int64{}
	byStatus := map[string]int64{}
	for _, r := range rows {
		counts[[2]string{r.Channel, r.Status}] = r.N
		byStatus[r.Status] += r.N
	}
	x.family("simpul_complaints", "gauge", "Complaints in the database by intake channel and current status.")
	for _, c := range model.Channels {
		for _, s := range model.Statuses {
			x.sample("simpul_complaints", float64(counts[[2]string{c, s}]), label{"channel", c}, label{"status", s})
		}
	}

	open := openStatuses()
	x.family("simpul_queue_size", "gauge", "Open complaints (a deadline runs or is paused) by status.")
	for _, s := range open {
		x.sample("simpul_queue_size", float64(byStatus[s]), label{"status", s})
	}

	nowDT, _ := types.ParseDateTime(now.UTC())
	params := dbx.Params{"now": nowDT.String()}
	in := make([]string, len(open))
	for i, s := range open {
		key := "s" + strconv.Itoa(i)
		in[i] = "{:" + key + "}"
		params[key] = s
	}
	var overdue int64
	err = app.DB().Select("count(*)").From(model.Complaints).
		Where(dbx.NewExp("status IN ("+strings.Join(in, ",")+") AND due_at != '' AND due_at < {:now}", params)).
		Row(&overdue)
	if err != nil {
		return fmt.Errorf("ops: overdue: %w", err)
	}
	x.gauge("simpul_complaints_overdue", "Open complaints whose current deadline (due_at) has passed.", float64(overdue))
	return nil
}

// openStatuses are the statuses that are not terminal, in lifecycle order.
func openStatuses() []string {
	var out []string
	for _, s := range model.Statuses {
		if !lifecycle.Terminal(s) {
			out = append(out, s)
		}
	}
	return out
}

// syncStatus is the part of sync/upstream's persisted status (sync_state
// key "status") the metrics read. It is read here rather than through
// sync/upstream so that hooks do not depend on the sync client; a test in
// this package runs a real failing pass to keep the two in step.
type syncStatus struct {
	LastSuccess string `json:"last_success"`
	Failures    int    `json:"failures"`
}

// syncStateStatusKey is sync/upstream's sync_state key for its status.
const syncStateStatusKey = "status"

// writeSync exports the outbox and the link to the parent.
func writeSync(app core.App, x *expo, parentConfigured bool, now time.Time) error {
	pending, err := outbox.Count(app, model.OutboxPending)
	if err != nil {
		return err
	}
	rejected, err := outbox.Count(app, outbox.StatusRejected)
	if err != nil {
		return err
	}
	var oldest string
	err = app.DB().Select("COALESCE(min(created), '')").From(model.SyncOutbox).
		Where(dbx.HashExp{"status": model.OutboxPending}).Row(&oldest)
	if err != nil {
		return fmt.Errorf("ops: outbox age: %w", err)
	}
	age := 0.0
	if dt, err := types.ParseDateTime(oldest); err == nil && !dt.IsZero() {
		age = max(0, now.Sub(dt.Time()).Seconds())
	}

	var raw string
	var st syncStatus
	err = app.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": syncStateStatusKey}).Row(&raw)
	if err == nil {
		_ = json.Unmarshal([]byte(raw), &st)
	}

	x.gauge("simpul_sync_parent_configured", "1 when this node pushes to a parent (SIMPUL_UPSTREAM_URL or SIMPUL_LAPOR_URL), else 0.", b2f(parentConfigured))
	x.gauge("simpul_sync_outbox_pending", "Changes waiting to be pushed to the parent.", float64(pending))
	x.gauge("simpul_sync_outbox_rejected", "Changes the parent refused for good (see /staf/sinkron).", float64(rejected))
	x.gauge("simpul_sync_outbox_oldest_pending_age_seconds", "Age of the oldest change waiting to be pushed; 0 when none waits.", age)
	x.gauge("simpul_sync_consecutive_failures", "Sync passes that failed in a row since the last success.", float64(st.Failures))
	last := 0.0
	if t, err := time.Parse(time.RFC3339, st.LastSuccess); err == nil {
		last = float64(t.Unix())
	}
	x.gauge("simpul_sync_last_success_timestamp_seconds", "Unix time of the last successful sync pass; 0 when there was none.", last)
	if last > 0 {
		x.gauge("simpul_sync_seconds_since_last_success", "Seconds since the last successful sync pass (absent when there was none).", max(0, float64(now.Unix())-last))
	}
	return nil
}

// writeFiles exports the database file sizes and the backups.
func writeFiles(app core.App, x *expo, b *backupStats) {
	x.family("simpul_db_file_bytes", "gauge", "Size of the SQLite files in the data directory.")
	for _, f := range []string{"data.db", "data.db-wal", "auxiliary.db", "auxiliary.db-wal"} {
		var size int64
		if fi, err := os.Stat(filepath.Join(app.DataDir(), f)); err == nil {
			size = fi.Size()
		}
		x.sample("simpul_db_file_bytes", float64(size), label{"file", f})
	}
	b.write(app, x)
}

// writeProcess exports the Go runtime's and the process's memory under
// the names every Prometheus set-up knows (go_*, process_*).
func writeProcess(x *expo) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	x.gauge("go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	x.gauge("go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and still in use.", float64(ms.HeapAlloc))
	x.gauge("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", float64(ms.HeapInuse))
	x.gauge("go_memstats_sys_bytes", "Number of bytes obtained from the system.", float64(ms.Sys))
	if rss, ok := residentBytes(); ok {
		x.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", float64(rss))
	}
	x.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", float64(processStart.Unix()))
}

// residentBytes reads the resident set size from /proc (Linux); elsewhere
// it reports false and the metric is left out.
func residentBytes() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
