package ops

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/prometheus/client_golang/prometheus"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
)

// collectComplaints exports the complaints by channel and status, the open
// queues and the overdue count, all read from the database at scrape time.
func collectComplaints(app core.App, ch chan<- prometheus.Metric, now time.Time) error {
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
	for _, c := range model.Channels {
		for _, s := range model.Statuses {
			ch <- gauge(descComplaints, float64(counts[[2]string{c, s}]), c, s)
		}
	}

	open := openStatuses()
	for _, s := range open {
		ch <- gauge(descQueue, float64(byStatus[s]), s)
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
	ch <- gauge(descOverdue, float64(overdue))
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

// collectSync exports the outbox and the link to the parent.
func collectSync(app core.App, ch chan<- prometheus.Metric, parentConfigured bool, now time.Time) error {
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

	ch <- gauge(descParent, b2f(parentConfigured))
	ch <- gauge(descOutboxPending, float64(pending))
	ch <- gauge(descOutboxRejected, float64(rejected))
	ch <- gauge(descOutboxAge, age)
	ch <- gauge(descSyncFailures, float64(st.Failures))
	last := 0.0
	if t, err := time.Parse(time.RFC3339, st.LastSuccess); err == nil {
		last = float64(t.Unix())
	}
	ch <- gauge(descSyncLast, last)
	if last > 0 {
		ch <- gauge(descSyncSince, max(0, float64(now.Unix())-last))
	}
	return nil
}

// collectFiles exports the database file sizes.
func collectFiles(app core.App, ch chan<- prometheus.Metric) {
	for _, f := range []string{"data.db", "data.db-wal", "auxiliary.db", "auxiliary.db-wal"} {
		var size int64
		if fi, err := os.Stat(filepath.Join(app.DataDir(), f)); err == nil {
			size = fi.Size()
		}
		ch <- gauge(descDBFile, float64(size), f)
	}
}
