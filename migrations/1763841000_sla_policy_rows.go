package migrations

import (
	"fmt"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(slaPolicyRowsUp, slaPolicyRowsDown, "1763841000_sla_policy_rows.go")
}

// slaPolicyRow is one SLA rule as shipped by this migration (hooks/sla.Rules
// holds the same seeds; TestPolicyRowsMatchTheRules keeps the two equal).
type slaPolicyRow struct{ code, unit, value, name, basis string }

var slaPolicyRows = []slaPolicyRow{
	{"verify_days", "working_days", "3", "Verifikasi laporan paling lama sejak laporan diterima",
		"PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): verifikasi paling lama 3 hari kerja"},
	{"followup_days", "working_days", "5", "Tindak lanjut pertama paling lama sejak disposisi",
		"PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): tindak lanjut paling lama 5 hari kerja sejak laporan diteruskan"},
	{"autoclose_days", "working_days", "10", "Laporan selesai otomatis bila pelapor tidak menanggapi tindak lanjut terakhir",
		"PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): laporan selesai 10 hari kerja setelah tindak lanjut tanpa tanggapan"},
	{"completion_calendar_days", "calendar_days", "60", "Penyelesaian pengaduan paling lama",
		"Perpres 76/2013 tentang Pengelolaan Pengaduan Pelayanan Publik: paling lama 60 hari"},
	{"completion_from", "choice", "verified",
		"Batas penyelesaian dihitung sejak (verified: verifikasi, berkas lengkap; received: laporan diterima)",
		"Perpres 76/2013: dihitung sejak berkas pengaduan dinyatakan lengkap (di Simpul: saat diverifikasi dan didisposisikan)"},
	{"redispose_followup", "choice", "other_unit",
		"Disposisi ulang (other_unit: hanya disposisi ke unit lain memberi batas tindak lanjut baru; keep: batas tidak pernah diulang)",
		"Simpul (aturan kami): PermenPANRB 62/2018 menghitung 5 hari kerja sejak disposisi; disposisi ulang ke unit yang sama bukan disposisi baru, agar angka \"tepat waktu\" tidak dapat diakali"},
	{"reopen_followup_days", "working_days", "5",
		"Tindak lanjut berikutnya paling lama sejak pelapor menanggapi (laporan dibuka kembali)",
		"Simpul (aturan kami): tidak ada batas nasional; disamakan dengan batas tindak lanjut pertama (5 hari kerja, PermenPANRB 62/2018)"},
	{"postpone_max_days", "working_days", "10", "Laporan tertunda diarsipkan otomatis bila pelapor tidak melengkapi dalam",
		"Simpul (aturan kami): tidak ada batas nasional untuk status tertunda; 10 hari kerja disamakan dengan batas selesai otomatis (PermenPANRB 62/2018)"},
}

// The columns of the one policy row before this migration.
var slaPolicyColumns = []string{"verify_days", "followup_days", "autoclose_days", "completion_calendar_days"}

// slaPolicyRowsUp turns sla_policies from one row of four numbers into one
// row per rule (code, value, unit, legal basis), so every rule, the new
// ones included, is edited the same way and carries where its value comes
// from. The values an office had set are kept.
func slaPolicyRowsUp(app core.App) error {
	col, err := app.FindCollectionByNameOrId(model.SLAPolicies)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if col.Fields.GetByName("value") != nil {
		return nil
	}
	kept := map[string]string{}
	if old, err := app.FindFirstRecordByFilter(col, "active = true"); err == nil {
		for _, f := range slaPolicyColumns {
			if n := old.GetInt(f); n > 0 {
				kept[f] = strconv.Itoa(n)
			}
		}
	}
	if _, err := app.DB().NewQuery("DELETE FROM " + model.SLAPolicies).Execute(); err != nil {
		return fmt.Errorf("migrations: clear sla_policies: %w", err)
	}
	for _, f := range append([]string{"active"}, slaPolicyColumns...) {
		col.Fields.RemoveByName(f)
	}
	col.Fields.Add(
		&core.TextField{Name: "value", Required: true, Max: 32, Help: "whole days, or one of the rule's choices"},
		&core.SelectField{Name: "unit", Required: true, MaxSelect: 1, Values: []string{"working_days", "calendar_days", "choice"}},
		&core.TextField{Name: "legal_basis", Required: true, Max: 500},
	)
	if err := app.Save(col); err != nil {
		return fmt.Errorf("migrations: sla_policies rows: %w", err)
	}
	for _, r := range slaPolicyRows {
		rec := core.NewRecord(col)
		rec.Set("code", r.code)
		rec.Set("name", r.name)
		rec.Set("unit", r.unit)
		rec.Set("value", r.value)
		if v, ok := kept[r.code]; ok {
			rec.Set("value", v)
		}
		rec.Set("legal_basis", r.basis)
		if err := app.Save(rec); err != nil {
			return fmt.Errorf("migrations: sla_policies %s: %w", r.code, err)
		}
	}
	return nil
}

func slaPolicyRowsDown(app core.App) error {
	col, err := app.FindCollectionByNameOrId(model.SLAPolicies)
	if err != nil || col.Fields.GetByName("value") == nil {
		return err
	}
	values := map[string]int{"verify_days": 3, "followup_days": 5, "autoclose_days": 10, "completion_calendar_days": 60}
	for _, f := range slaPolicyColumns {
		if rec, err := app.FindFirstRecordByData(col, "code", f); err == nil {
			if n, err := strconv.Atoi(rec.GetString("value")); err == nil {
				values[f] = n
			}
		}
	}
	if _, err := app.DB().NewQuery("DELETE FROM " + model.SLAPolicies).Execute(); err != nil {
		return err
	}
	for _, f := range []string{"value", "unit", "legal_basis"} {
		col.Fields.RemoveByName(f)
	}
	for _, f := range slaPolicyColumns {
		col.Fields.Add(&core.NumberField{Name: f, Required: true, OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(365.0)})
	}
	col.Fields.Add(&core.BoolField{Name: "active"})
	if err := app.Save(col); err != nil {
		return err
	}
	rec := core.NewRecord(col)
	rec.Set("code", "default")
	rec.Set("name", "SP4N-LAPOR! (PermenPANRB 62/2018)")
	for f, v := range values {
		rec.Set(f, v)
	}
	rec.Set("active", true)
	return app.Save(rec)
}
