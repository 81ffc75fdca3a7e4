package ops_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/migrations"
	"simpul/ui/testkit"
)

const opsMigrationFile = "1763805000_ops_settings.go"

func opsMigration(t *testing.T) *core.Migration {
	t.Helper()
	for _, m := range core.AppMigrations.Items() {
		if m.File == opsMigrationFile {
			return m
		}
	}
	t.Fatalf("migration %s is not registered", opsMigrationFile)
	return nil
}

// migrated returns a test app with the settings as stored: tests.TestApp
// switches request logs off in memory (Logs.MaxDays = 0) after migrating.
func migrated(t *testing.T) core.App {
	t.Helper()
	app := testkit.New(t)
	if err := app.ReloadSettings(); err != nil {
		t.Fatal(err)
	}
	return app
}

type opsValues struct {
	cron    string
	keep    int
	maxDays int
	logIP   bool
}

func current(app core.App) opsValues {
	s := app.Settings()
	return opsValues{s.Backups.Cron, s.Backups.CronMaxKeep, s.Logs.MaxDays, s.Logs.LogIP}
}

// hasChannelIndex reports whether complaints has the metrics' index, and
// that SQLite answers the metrics' query from it.
func hasChannelIndex(t *testing.T, app core.App) bool {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_complaints_channel_status'").Row(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return false
	}
	var plan []struct {
		Detail string `db:"detail"`
	}
	if err := app.DB().NewQuery("EXPLAIN QUERY PLAN SELECT channel, status, count(*) FROM complaints GROUP BY channel, status").All(&plan); err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 || plan[0].Detail != "SCAN complaints USING COVERING INDEX idx_complaints_channel_status" {
		t.Errorf("the metrics query does not use the index: %+v", plan)
	}
	return true
}

// A migrated app backs up daily at 03:00 WIB (20:00 UTC: PocketBase's
// cron runs in UTC), keeps 7, keeps logs 7 days and never logs IPs; the
// job is scheduled.
func TestOpsSettingsOnAFreshApp(t *testing.T) {
	app := migrated(t)
	want := opsValues{"0 20 * * *", migrations.OpsBackupKeep, migrations.OpsLogsMaxDays, false}
	if got := current(app); got != want {
		t.Fatalf("settings %+v, want %+v", got, want)
	}
	var scheduled string
	for _, j := range app.Cron().Jobs() {
		if j.Id() == "__pbAutoBackup__" {
			scheduled = j.Expression()
		}
	}
	if scheduled != "0 20 * * *" {
		t.Errorf("the backup job is scheduled at %q", scheduled)
	}
	if !hasChannelIndex(t, app) {
		t.Error("complaints have no channel/status index")
	}
}

func TestBackupCronFollowsTheOfficeZone(t *testing.T) {
	for zone, want := range map[string]string{
		"Asia/Jakarta": "0 20 * * *", "Asia/Pontianak": "0 20 * * *",
		"Asia/Makassar": "0 19 * * *", "Asia/Jayapura": "0 18 * * *", "UTC": "0 3 * * *",
	} {
		if got, err := migrations.BackupCron(zone); err != nil || got != want {
			t.Errorf("BackupCron(%s) = %q, %v; want %q", zone, got, err, want)
		}
	}
	if _, err := migrations.BackupCron("Mars/Olympus"); err == nil {
		t.Error("an unknown zone gave a schedule")
	}

	// The migration reads the office's zone.
	app := migrated(t)
	m := opsMigration(t)
	if _, err := app.DB().Update(model.Offices, dbx.Params{"timezone": "Asia/Jayapura"}, nil).Execute(); err != nil {
		t.Fatal(err)
	}
	if err := m.Down(app); err != nil {
		t.Fatal(err)
	}
	if err := m.Up(app); err != nil {
		t.Fatal(err)
	}
	if got := app.Settings().Backups.Cron; got != "0 18 * * *" {
		t.Errorf("an office in WIT backs up at %q, want 03:00 WIT = 0 18 * * * UTC", got)
	}
}

// Down puts PocketBase's defaults back; up twice equals up once; values an
// operator chose survive both directions.
func TestOpsMigrationDownUpIdempotent(t *testing.T) {
	app := migrated(t)
	m := opsMigration(t)
	ours := current(app)

	if err := m.Down(app); err != nil {
		t.Fatal(err)
	}
	pb := opsValues{"", 3, 5, true}
	if got := current(app); got != pb {
		t.Fatalf("after down %+v, want PocketBase's defaults %+v", got, pb)
	}
	if hasChannelIndex(t, app) {
		t.Error("down left the index")
	}
	for i := 0; i < 2; i++ {
		if err := m.Up(app); err != nil {
			t.Fatalf("up #%d: %v", i+1, err)
		}
		if got := current(app); got != ours || !hasChannelIndex(t, app) {
			t.Fatalf("after up #%d %+v, want %+v and the index", i+1, got, ours)
		}
	}

	// The operator moves the backup to 01:30 UTC, keeps 14, logs 30 days.
	s := app.Settings()
	s.Backups.Cron, s.Backups.CronMaxKeep, s.Logs.MaxDays = "30 1 * * *", 14, 30
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	chosen := opsValues{"30 1 * * *", 14, 30, false}
	if err := m.Down(app); err != nil {
		t.Fatal(err)
	}
	if got := current(app); got != (opsValues{"30 1 * * *", 14, 30, true}) {
		t.Errorf("down changed the operator's choices: %+v", got)
	}
	if err := m.Up(app); err != nil {
		t.Fatal(err)
	}
	if got := current(app); got != chosen {
		t.Errorf("up changed the operator's choices: %+v, want %+v", got, chosen)
	}
}
