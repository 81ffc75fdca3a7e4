package ops

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
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

// write exports the backup figures. With local storage the newest backup
// file's time counts too, so a restart does not reset the last success.
func (b *backupStats) write(app core.App, x *expo) {
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
	x.gauge("simpul_backup_last_success_timestamp_seconds",
		"Unix time of the newest backup (made by this process, or the newest file in the local backups folder); 0 when none.", ts)
	x.family("simpul_backup_failures_total", "counter", "Backups that failed since the process started.")
	x.sample("simpul_backup_failures_total", float64(failures))
	x.gauge("simpul_backup_s3_enabled", "1 when backups go to S3-compatible storage, else 0 (local backups folder).", b2f(s3))
	x.gauge("simpul_backup_local_files", "Backup files in the local backups folder (pb_data/backups).", float64(count))
	x.gauge("simpul_backup_local_bytes", "Size of the backup files in the local backups folder.", float64(size))
}
