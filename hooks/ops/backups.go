package ops

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
)

// backupStats follows PocketBase's backups (the daily job and the ones made
// in /_/ or through POST /api/backups) so they can be monitored.
type backupStats struct {
	mu          sync.Mutex
	lastSuccess time.Time
	failures    uint64
}

// bind records every backup's outcome in this process.
func (b *backupStats) bind(app core.App) {
	app.OnBackupCreate().BindFunc(func(e *core.BackupEvent) error {
		err := e.Next()
		b.mu.Lock()
		if err != nil {
			b.failures++
		} else {
			b.lastSuccess = time.Now()
		}
		b.mu.Unlock()
		if err != nil {
			e.App.Logger().Error("ops: backup failed", "error", err.Error())
		}
		return err
	})
}

// collect exports the backup figures. With local storage the newest backup
// file's time counts too, so a restart does not reset the last success.
func (b *backupStats) collect(app core.App, ch chan<- prometheus.Metric) {
	b.mu.Lock()
	last, failures := b.lastSuccess, b.failures
	b.mu.Unlock()

	var count, size int64
	if entries, err := os.ReadDir(filepath.Join(app.DataDir(), core.LocalBackupsDirName)); err == nil {
		for _, de := range entries {
			if de.IsDir() || !strings.HasSuffix(de.Name(), ".zip") {
				continue
			}
			fi, err := de.Info()
			if err != nil {
				continue
			}
			count++
			size += fi.Size()
			if fi.ModTime().After(last) {
				last = fi.ModTime()
			}
		}
	}
	s3 := app.Settings().Backups.S3.Enabled
	ts := 0.0
	if !last.IsZero() {
		ts = float64(last.Unix())
	}
	ch <- gauge(descBackupLast, ts)
	ch <- prometheus.MustNewConstMetric(descBackupFailures, prometheus.CounterValue, float64(failures))
	ch <- gauge(descBackupS3, b2f(s3))
	ch <- gauge(descBackupFiles, float64(count))
	ch <- gauge(descBackupBytes, float64(size))
}
