package sla

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// Codes of the SLA policy rows (collection sla_policies: one row per rule,
// each with its value and legal basis; docs/cases.md lists them).
const (
	RuleVerifyDays         = "verify_days"
	RuleFollowupDays       = "followup_days"
	RuleAutocloseDays      = "autoclose_days"
	RuleCompletionDays     = "completion_calendar_days"
	RuleCompletionFrom     = "completion_from"
	RuleRedispose          = "redispose_followup"
	RuleReopenFollowupDays = "reopen_followup_days"
	RulePostponeMaxDays    = "postpone_max_days"
)

// Units of a rule's value.
const (
	UnitWorkingDays  = "working_days"
	UnitCalendarDays = "calendar_days"
	UnitChoice       = "choice"
)

// Values of the choice rules.
const (
	// CompletionFromVerified counts the completion limit from verification
	// (berkas lengkap); CompletionFromReceived from receipt.
	CompletionFromVerified = "verified"
	CompletionFromReceived = "received"
	// RedisposeOtherUnit: a re-disposition (or a re-route after a follow-up)
	// to another unit gives that unit a fresh follow-up deadline; to the
	// same unit the deadline runs on. RedisposeKeep: it never restarts.
	RedisposeOtherUnit = "other_unit"
	RedisposeKeep      = "keep"
)

// Rule is one SLA policy row as shipped: its code, what its value means,
// the default and where the default comes from. The rows in the database
// are editable (value and legal basis); these are the seeds and the rules
// a value is validated against.
type Rule struct {
	Code       string
	Unit       string
	Default    string
	Choices    []string // for UnitChoice
	Name       string   // what the rule says, in Bahasa Indonesia
	LegalBasis string   // where the default comes from ("Simpul" when it is ours)
}

// Rules lists every SLA policy row, in the order people read them.
var Rules = []Rule{
	{Code: RuleVerifyDays, Unit: UnitWorkingDays, Default: "3",
		Name:       "Verifikasi laporan paling lama sejak laporan diterima",
		LegalBasis: "PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): verifikasi paling lama 3 hari kerja"},
	{Code: RuleFollowupDays, Unit: UnitWorkingDays, Default: "5",
		Name:       "Tindak lanjut pertama paling lama sejak disposisi",
		LegalBasis: "PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): tindak lanjut paling lama 5 hari kerja sejak laporan diteruskan"},
	{Code: RuleAutocloseDays, Unit: UnitWorkingDays, Default: "10",
		Name:       "Laporan selesai otomatis bila pelapor tidak menanggapi tindak lanjut terakhir",
		LegalBasis: "PermenPANRB 62/2018 (pedoman SP4N-LAPOR!): laporan selesai 10 hari kerja setelah tindak lanjut tanpa tanggapan"},
	{Code: RuleCompletionDays, Unit: UnitCalendarDays, Default: "60",
		Name:       "Penyelesaian pengaduan paling lama",
		LegalBasis: "Perpres 76/2013 tentang Pengelolaan Pengaduan Pelayanan Publik: paling lama 60 hari"},
	{Code: RuleCompletionFrom, Unit: UnitChoice, Default: CompletionFromVerified,
		Choices:    []string{CompletionFromVerified, CompletionFromReceived},
		Name:       "Batas penyelesaian dihitung sejak (verified: verifikasi, berkas lengkap; received: laporan diterima)",
		LegalBasis: "Perpres 76/2013: dihitung sejak berkas pengaduan dinyatakan lengkap (di Simpul: saat diverifikasi dan didisposisikan)"},
	{Code: RuleRedispose, Unit: UnitChoice, Default: RedisposeOtherUnit,
		Choices:    []string{RedisposeOtherUnit, RedisposeKeep},
		Name:       "Disposisi ulang (other_unit: hanya disposisi ke unit lain memberi batas tindak lanjut baru; keep: batas tidak pernah diulang)",
		LegalBasis: "Simpul (aturan kami): PermenPANRB 62/2018 menghitung 5 hari kerja sejak disposisi; disposisi ulang ke unit yang sama bukan disposisi baru, agar angka \"tepat waktu\" tidak dapat diakali"},
	{Code: RuleReopenFollowupDays, Unit: UnitWorkingDays, Default: "5",
		Name:       "Tindak lanjut berikutnya paling lama sejak pelapor menanggapi (laporan dibuka kembali)",
		LegalBasis: "Simpul (aturan kami): tidak ada batas nasional; disamakan dengan batas tindak lanjut pertama (5 hari kerja, PermenPANRB 62/2018)"},
	{Code: RulePostponeMaxDays, Unit: UnitWorkingDays, Default: "10",
		Name:       "Laporan tertunda diarsipkan otomatis bila pelapor tidak melengkapi dalam",
		LegalBasis: "Simpul (aturan kami): tidak ada batas nasional untuk status tertunda; 10 hari kerja disamakan dengan batas selesai otomatis (PermenPANRB 62/2018)"},
}

// RuleFor returns the rule with code, or false.
func RuleFor(code string) (Rule, bool) {
	i := slices.IndexFunc(Rules, func(r Rule) bool { return r.Code == code })
	if i < 0 {
		return Rule{}, false
	}
	return Rules[i], true
}

// maxDays bounds a rule in days.
const maxDays = 365

// Check validates value for the rule: whole days from 1 to 365, or one of
// the choices.
func (r Rule) Check(value string) error {
	value = strings.TrimSpace(value)
	if r.Unit == UnitChoice {
		if !slices.Contains(r.Choices, value) {
			return fmt.Errorf("use one of %s", strings.Join(r.Choices, ", "))
		}
		return nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 || n > maxDays {
		return fmt.Errorf("a whole number of days from 1 to %d", maxDays)
	}
	return nil
}

// bindValidation checks every policy row written, whatever the path (the
// admin UI, the collection API, Go code): the code must be a known rule,
// its unit the rule's, its value valid for the rule.
func bindValidation(app core.App) {
	app.OnRecordValidate(model.SLAPolicies).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.Collection().Fields.GetByName("value") == nil {
			// The shape before the policy rows (migration 1763841000):
			// the migrations that seed it run with this hook bound.
			return e.Next()
		}
		code := e.Record.GetString("code")
		r, ok := RuleFor(code)
		if !ok {
			known := make([]string, len(Rules))
			for i, r := range Rules {
				known[i] = r.Code
			}
			return validation.Errors{"code": validation.NewError("unknown_rule",
				"Aturan SLA tidak dikenal; yang ada: "+strings.Join(known, ", ")+".")}
		}
		if u := e.Record.GetString("unit"); u != r.Unit {
			return validation.Errors{"unit": validation.NewError("wrong_unit", "Satuan aturan "+code+" adalah "+r.Unit+".")}
		}
		if err := r.Check(e.Record.GetString("value")); err != nil {
			return validation.Errors{"value": validation.NewError("bad_value", "Nilai "+code+" tidak valid: "+err.Error()+".")}
		}
		return e.Next()
	})
}
