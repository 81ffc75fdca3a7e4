package sla_test

import (
	"os"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

func TestInitialDueUsesSeededCalendar(t *testing.T) {
	app := testkit.New(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	// Tuesday before Nyepi and Idulfitri 2026: six holidays and cuti
	// bersama in a row, all seeded from the SKB.
	received := time.Date(2026, 3, 17, 9, 0, 0, 0, jkt)
	verify, completion, err := sla.InitialDue(app, received)
	if err != nil {
		t.Fatal(err)
	}
	if got := verify.Format(time.DateOnly); got != "2026-03-27" {
		t.Errorf("verification due %s, want 2026-03-27", got)
	}
	if got := completion.Format(time.DateOnly); got != "2026-05-16" {
		t.Errorf("completion due %s, want 2026-05-16 (60 calendar days)", got)
	}
	p, err := sla.PolicyFor(app)
	if err != nil || p != sla.DefaultPolicy {
		t.Errorf("PolicyFor = %+v, %v; want the seeded defaults %+v", p, err, sla.DefaultPolicy)
	}
}

func TestEditsInvalidateTheCache(t *testing.T) {
	app := testkit.New(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	received := time.Date(2026, 11, 20, 10, 0, 0, 0, jkt) // Friday
	due := func() string {
		t.Helper()
		v, _, err := sla.InitialDue(app, received)
		if err != nil {
			t.Fatal(err)
		}
		return v.Format(time.DateOnly) + " " + v.Location().String()
	}
	if got := due(); got != "2026-11-25 Asia/Jakarta" {
		t.Fatalf("due %s, want 2026-11-25", got)
	}

	// A local holiday on Tuesday moves the deadline a day.
	col, _ := app.FindCollectionByNameOrId(model.Holidays)
	h := core.NewRecord(col)
	h.Set("date", "2026-11-24")
	h.Set("type", model.HolidayLokal)
	h.Set("name", "Hari Jadi Kabupaten")
	h.Set("legal_basis", "Keputusan Bupati No. 1 Tahun 2026")
	if err := app.Save(h); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-11-26 Asia/Jakarta" {
		t.Fatalf("after a local holiday: due %s, want 2026-11-26", got)
	}

	// A puskesmas open Monday to Saturday in WITA.
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("working_weekdays", []int{1, 2, 3, 4, 5, 6})
	office.Set("timezone", "Asia/Makassar")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-11-25 Asia/Makassar" {
		t.Fatalf("after Mon–Sat in WITA: due %s, want Sat 21, Mon 23, (Tue 24 local holiday), Wed 25", got)
	}

	// A stricter policy.
	pol, err := app.FindFirstRecordByData(model.SLAPolicies, "code", "default")
	if err != nil {
		t.Fatal(err)
	}
	pol.Set("verify_days", 1)
	if err := app.Save(pol); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-11-21 Asia/Makassar" {
		t.Fatalf("after verify_days=1: due %s, want 2026-11-21", got)
	}
}
