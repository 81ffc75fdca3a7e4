package migrations

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
)

// The operations defaults (docs/operator.md, "Cadangan" and "Log").
const (
	// OpsBackupHour is the office-time hour of the daily automatic backup.
	OpsBackupHour = 3
	// OpsBackupKeep is how many automatic backups are kept.
	OpsBackupKeep = 7
	// OpsLogsMaxDays is how long the logs in auxiliary.db are kept.
	OpsLogsMaxDays = 7
	// opsChannelIndex serves /metrics' complaints by channel and status
	// from the index alone (about 13 ms instead of 120 ms for a table scan
	// at 100,000 complaints).
	opsChannelIndex = "idx_complaints_channel_status"
)

// PocketBase's own defaults on a fresh data directory
// (core.newDefaultSettings in v0.39.11): what up replaces and down puts
// back.
const (
	pbBackupKeep  = 3
	pbLogsMaxDays = 5
	pbLogIP       = true
)

func init() {
	m.Register(opsSettingsUp, opsSettingsDown, "1763805000_ops_settings.go")
}

// opsSettingsUp turns on PocketBase's scheduled backups (daily at 03:00
// office time, the newest OpsBackupKeep kept) and sets the logging policy:
// logs kept OpsLogsMaxDays days and no client IP addresses (a citizen's IP
// is personal data). hooks/ops completes the policy: successful requests
// are not logged unless the minimum log level is lowered to debug.
//
// Only values still at PocketBase's defaults change, so a schedule or
// retention an operator chose in /_/ is kept, and running it twice changes
// nothing the second time. It also indexes complaints by channel and status
// for the metrics.
func opsSettingsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: ops: %w", err)
	}
	if c.GetIndex(opsChannelIndex) == "" {
		c.AddIndex(opsChannelIndex, false, "channel, status", "")
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: ops index: %w", err)
		}
	}
	s := app.Settings()
	if s.Backups.Cron == "" {
		cron, err := BackupCron(officeZone(app))
		if err != nil {
			return err
		}
		s.Backups.Cron = cron
		if s.Backups.CronMaxKeep == 0 || s.Backups.CronMaxKeep == pbBackupKeep {
			s.Backups.CronMaxKeep = OpsBackupKeep
		}
	}
	if s.Logs.MaxDays == pbLogsMaxDays {
		s.Logs.MaxDays = OpsLogsMaxDays
	}
	s.Logs.LogIP = false
	if err := app.Save(s); err != nil {
		return fmt.Errorf("migrations: ops settings: %w", err)
	}
	return nil
}

// opsSettingsDown puts PocketBase's defaults back where up's values are
// still in place (values an operator changed since are left alone) and
// drops the index.
func opsSettingsDown(app core.App) error {
	if c, err := app.FindCollectionByNameOrId(model.Complaints); err == nil && c.GetIndex(opsChannelIndex) != "" {
		c.RemoveIndex(opsChannelIndex)
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: ops index down: %w", err)
		}
	}
	s := app.Settings()
	if isOpsBackupCron(s.Backups.Cron) {
		s.Backups.Cron = ""
		if s.Backups.CronMaxKeep == OpsBackupKeep {
			s.Backups.CronMaxKeep = pbBackupKeep
		}
	}
	if s.Logs.MaxDays == OpsLogsMaxDays {
		s.Logs.MaxDays = pbLogsMaxDays
	}
	s.Logs.LogIP = pbLogIP
	if err := app.Save(s); err != nil {
		return fmt.Errorf("migrations: ops settings down: %w", err)
	}
	return nil
}

// BackupCron is the 5-field cron expression, in UTC (PocketBase's cron
// runs in UTC), for OpsBackupHour:00 every day in the time zone zone:
// "0 20 * * *" for Asia/Jakarta (03:00 WIB), "0 19 * * *" for WITA,
// "0 18 * * *" for WIT.
func BackupCron(zone string) (string, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return "", fmt.Errorf("migrations: backup time zone: %w", err)
	}
	// Indonesia has no daylight saving time: any date gives the offset.
	at := time.Date(2025, time.January, 15, OpsBackupHour, 0, 0, 0, loc).UTC()
	return fmt.Sprintf("%d %d * * *", at.Minute(), at.Hour()), nil
}

// isOpsBackupCron reports whether cron is the schedule up would have set
// for one of the office time zones (the office's zone may have changed
// since).
func isOpsBackupCron(cron string) bool {
	for _, z := range model.TimeZones {
		if c, err := BackupCron(z); err == nil && c == cron {
			return true
		}
	}
	return false
}

// officeZone is the seeded office's time zone (the seed migration runs
// first), or the default.
func officeZone(app core.App) string {
	var zone string
	err := app.DB().Select("timezone").From(model.Offices).OrderBy("rowid").Limit(1).Row(&zone)
	if err != nil || zone == "" {
		return config.DefaultTimeZone
	}
	return zone
}
