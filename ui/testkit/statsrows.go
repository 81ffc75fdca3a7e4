// LoadStatsRows writes the fixed data set the statistics tests
// check by hand (hooks/stats and ui): ten complaints with exact dates in
// Asia/Jakarta (WIB), across Imlek, Nyepi and Idul Fitri 2026. It is
// imported by tests only.
//
// Office: the seeded default, Asia/Jakarta, Monday–Friday. Holidays used
// (migrations/data/holidays-id.json, SKB 2026): 16 Feb (cuti bersama
// Imlek), 17 Feb (Imlek), 18 Mar (cuti bersama Nyepi), 19 Mar (Nyepi),
// 20 Mar (cuti bersama Idul Fitri), 21–22 Mar (Idul Fitri, a weekend),
// 23–24 Mar (cuti bersama Idul Fitri), 3 Apr (Wafat Yesus Kristus).
//
// "Now" for these tests is Friday 10 April 2026, 09:00 WIB (StatsNow).

package testkit

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// WIB is the fixture's office time zone.
var WIB = mustZone("Asia/Jakarta")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// At parses "2006-01-02 15:04[:05]" in WIB.
func At(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, WIB); err == nil {
			return t
		}
	}
	panic("testkit: bad time " + s)
}

// StatsNow is the fixed "now" of the statistics tests.
var StatsNow = At("2026-04-10 09:00")

// StatsRow is one complaint of the data set. Times are WIB; "" leaves a date
// empty. FollowupDue is written by hand from the working calendar (the
// tests check that hooks/sla computes the same).
type StatsRow struct {
	Name                                      string
	Created                                   string
	Unit, Category, Channel, Type, Gender     string
	Status                                    string
	Disposed, FollowupDue, FirstFollowup, Due string
	Disability                                bool
}

// StatsRows is the data set. Each comment shows the working-day arithmetic.
var StatsRows = []StatsRow{
	// C0: received the evening before the period (31 Jan 23:30 WIB = 16:30 UTC): outside
	// any period from 1 Feb. Still waiting for verification: due 3 working days later,
	// Wed 4 Feb (2, 3, 4 Feb) → overdue now, but only in the all-periods count.
	{Name: "C0", Created: "2026-01-31 23:30", Unit: "", Category: "LAIN", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "perempuan", Status: model.StatusBaru, Due: "2026-02-04 23:59:59"},
	// C1: received 1 Feb 00:30 WIB (31 Jan 17:30 UTC: January in UTC, February in WIB).
	// Disposed Mon 2 Feb 09:00; +5 working days: 3, 4, 5, 6, 9 Feb → due Mon 9 Feb 23:59:59.
	// First follow-up Wed 4 Feb 15:00: 2 working days (3, 4 Feb), 54 hours. Within. Selesai.
	{Name: "C1", Created: "2026-02-01 00:30", Unit: "KES", Category: "KES-PUSK", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "perempuan", Status: model.StatusSelesai,
		Disposed: "2026-02-02 09:00", FollowupDue: "2026-02-09 23:59:59", FirstFollowup: "2026-02-04 15:00"},
	// C2: disposed Wed 11 Feb 10:00; +5 working days: 12, 13, (16 cuti bersama Imlek,
	// 17 Imlek), 18, 19, 20 → due Fri 20 Feb. First follow-up Thu 19 Feb 10:00: 4 working
	// days (12, 13, 18, 19), 8 × 24 = 192 hours. Within. Proses; completion due
	// 10 Feb + 60 days = Sat 11 Apr 23:59:59 → not overdue at 10 Apr 09:00.
	{Name: "C2", Created: "2026-02-10 08:00", Unit: "KES", Category: "KES-JKN", Channel: model.ChannelKiosk,
		Type: model.TypePengaduan, Gender: "laki_laki", Status: model.StatusProses,
		Disposed: "2026-02-11 10:00", FollowupDue: "2026-02-20 23:59:59", FirstFollowup: "2026-02-19 10:00",
		Due: "2026-04-11 23:59:59"},
	// C3: THE HOLIDAY CASE. Disposed Tue 17 Mar 10:00; 18 (cuti Nyepi), 19 (Nyepi),
	// 20 (cuti Idul Fitri), 21–22 (Idul Fitri, weekend), 23, 24 (cuti Idul Fitri) are not
	// working days; +5: 25, 26, 27, 30, 31 → due Tue 31 Mar. First follow-up Mon 30 Mar
	// 11:00, 13 calendar days later but 4 working days (25, 26, 27, 30): WITHIN.
	// 13 × 24 + 1 = 313 hours. Reporter gave no gender. Selesai.
	{Name: "C3", Created: "2026-03-16 14:00", Unit: "PUPR", Category: "INF-JALAN", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "", Status: model.StatusSelesai,
		Disposed: "2026-03-17 10:00", FollowupDue: "2026-03-31 23:59:59", FirstFollowup: "2026-03-30 11:00"},
	// C4: disposed Tue 17 Mar 11:00, due Tue 31 Mar as C3. First follow-up Wed 1 Apr 09:00:
	// 6 working days (25, 26, 27, 30, 31, 1): LATE. 17 Mar 11:00 → 1 Apr 09:00 = 15 days
	// − 2 h = 358 hours. Proses; completion due 16 Mar + 60 = 15 May → not overdue.
	{Name: "C4", Created: "2026-03-16 15:00", Unit: "PUPR", Category: "INF-JALAN", Channel: model.ChannelCounter,
		Type: model.TypeAspirasi, Gender: "perempuan", Status: model.StatusProses,
		Disposed: "2026-03-17 11:00", FollowupDue: "2026-03-31 23:59:59", FirstFollowup: "2026-04-01 09:00",
		Due: "2026-05-15 23:59:59", Disability: true},
	// C5: received on a holiday (Fri 20 Mar). Disposed Wed 25 Mar 08:00; +5: 26, 27, 30,
	// 31 Mar, 1 Apr → due Wed 1 Apr. No follow-up yet: terdisposisi, due_at = 1 Apr
	// 23:59:59 < now → OVERDUE (follow-up stage).
	{Name: "C5", Created: "2026-03-20 10:00", Unit: "PUPR", Category: "LAIN", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "laki_laki", Status: model.StatusTerdisposisi,
		Disposed: "2026-03-25 08:00", FollowupDue: "2026-04-01 23:59:59", Due: "2026-04-01 23:59:59"},
	// C6: received Wed 1 Apr 09:00, not verified; +3 working days: 2, (3 Good Friday), 6, 7
	// → due Tue 7 Apr < now → OVERDUE (verification stage). No unit yet.
	{Name: "C6", Created: "2026-04-01 09:00", Unit: "", Category: "LAIN", Channel: model.ChannelWeb,
		Type: model.TypePermintaanInformasi, Gender: "perempuan", Status: model.StatusBaru,
		Due: "2026-04-07 23:59:59"},
	// C7: received Wed 8 Apr 10:00; +3: 9, 10, 13 → due Mon 13 Apr: not overdue.
	{Name: "C7", Created: "2026-04-08 10:00", Unit: "", Category: "LAIN", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "", Status: model.StatusBaru, Due: "2026-04-13 23:59:59"},
	// C8: archived as spam before any disposition (the QR point named unit UMUM).
	{Name: "C8", Created: "2026-02-25 10:00", Unit: "UMUM", Category: "PEL-PETUGAS", Channel: model.ChannelKiosk,
		Type: model.TypePengaduan, Gender: "laki_laki", Status: model.StatusDiarsipkan},
	// C9: disposed to KES Tue 3 Mar, handed back as not our authority the next day:
	// routed (disposed_at stays), never followed up, no deadline (terminal).
	{Name: "C9", Created: "2026-03-02 10:00", Unit: "KES", Category: "KES-PUSK", Channel: model.ChannelWeb,
		Type: model.TypePengaduan, Gender: "perempuan", Status: model.StatusBukanWewenang,
		Disposed: "2026-03-03 09:00", FollowupDue: "2026-03-10 23:59:59"},
}

// Personal data the fixture writes, which no statistics output may carry.
const (
	ReporterName  = "Siti Rahmawati Statistika"
	ReporterPhone = "+6281299887766"
	ReporterEmail = "siti.statistika@contoh.id"
)

// LoadStatsRows writes Rows into app and returns the complaints by name. Each is
// written with Complaint and then given its exact dates with SQL
// ("created" is an autodate that no Save lets us set).
func LoadStatsRows(t testing.TB, app core.App) map[string]*core.Record {
	t.Helper()
	out := map[string]*core.Record{}
	db := func(s string) string {
		if s == "" {
			return ""
		}
		return At(s).UTC().Format("2006-01-02 15:04:05.000Z")
	}
	for _, r := range StatsRows {
		rec := Complaint(t, app, ComplaintSpec{Unit: r.Unit, Category: r.Category, Status: r.Status,
			Reporter: ReporterName, Phone: ReporterPhone})
		_, err := app.DB().NewQuery(`UPDATE complaints SET created = {:created}, type = {:type}, channel = {:channel},
			reporter_gender = {:gender}, reporter_email = {:email}, reporter_disability = {:dis},
			disposed_at = {:disposed}, followup_due_at = {:fdue}, first_followup_at = {:first},
			last_followup_at = {:first}, due_at = {:due}, verified_at = {:disposed}
			WHERE id = {:id}`).Bind(dbx.Params{
			"created": db(r.Created), "type": r.Type, "channel": r.Channel, "gender": r.Gender,
			"email": ReporterEmail, "dis": r.Disability, "disposed": db(r.Disposed), "fdue": db(r.FollowupDue),
			"first": db(r.FirstFollowup), "due": db(r.Due), "id": rec.Id,
		}).Execute()
		if err != nil {
			t.Fatalf("testkit: %s: %v", r.Name, err)
		}
		out[r.Name] = rec
	}
	return out
}
