package migrations

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
)

// The national holidays and cuti bersama 2025–2027 from the SKB 3 Menteri,
// each with its decree (sources in migrations/data/holidays-id.md).
//
//go:embed data/holidays-id.json
var holidaysJSON []byte

// DefaultUnitCode is the unit every complaint falls to until routed.
const DefaultUnitCode = "UMUM"

type seedCategory struct {
	code, name, nameEN string
	children           []seedCategory
}

// An Indonesian topic tree that fits a district office and a puskesmas.
// Offices map each code to a SP4N-LAPOR! topic id in the admin UI.
var seedCategories = []seedCategory{
	{"KES", "Kesehatan", "Health", []seedCategory{
		{"KES-PUSK", "Pelayanan Puskesmas", "Community health centre services", nil},
		{"KES-JKN", "Jaminan Kesehatan (BPJS/JKN)", "National health insurance (BPJS/JKN)", nil},
		{"KES-RS", "Pelayanan Rumah Sakit", "Hospital services", nil},
		{"KES-OBAT", "Obat dan Alat Kesehatan", "Medicines and medical supplies", nil},
		{"KES-POSY", "Imunisasi dan Posyandu", "Immunisation and posyandu", nil},
	}},
	{"ADM", "Administrasi Kependudukan", "Civil registration", []seedCategory{
		{"ADM-KTP", "KTP Elektronik", "Electronic ID card", nil},
		{"ADM-KK", "Kartu Keluarga", "Family card", nil},
		{"ADM-AKTA", "Akta Kelahiran dan Kematian", "Birth and death certificates", nil},
		{"ADM-PINDAH", "Pindah Datang Penduduk", "Change of residence", nil},
	}},
	{"PDK", "Pendidikan", "Education", []seedCategory{
		{"PDK-SPMB", "Penerimaan Murid Baru", "School admissions", nil},
		{"PDK-BIAYA", "Dana BOS dan Pungutan Sekolah", "School funds and fees", nil},
		{"PDK-SARPRAS", "Sarana dan Prasarana Sekolah", "School buildings and facilities", nil},
		{"PDK-KIP", "KIP dan Beasiswa", "Student aid and scholarships", nil},
	}},
	{"INF", "Infrastruktur", "Infrastructure", []seedCategory{
		{"INF-JALAN", "Jalan dan Jembatan", "Roads and bridges", nil},
		{"INF-DRAIN", "Drainase dan Banjir", "Drainage and flooding", nil},
		{"INF-PJU", "Penerangan Jalan Umum", "Street lighting", nil},
		{"INF-AIR", "Air Bersih", "Clean water", nil},
	}},
	{"LING", "Lingkungan Hidup", "Environment", []seedCategory{
		{"LING-SAMPAH", "Sampah dan Kebersihan", "Waste and cleanliness", nil},
		{"LING-CEMAR", "Pencemaran", "Pollution", nil},
		{"LING-TAMAN", "Pohon dan Taman", "Trees and parks", nil},
	}},
	{"IZIN", "Perizinan dan Investasi", "Permits and investment", []seedCategory{
		{"IZIN-PBG", "Persetujuan Bangunan Gedung", "Building approval", nil},
		{"IZIN-USAHA", "Perizinan Berusaha", "Business licensing", nil},
	}},
	{"SOS", "Sosial", "Social welfare", []seedCategory{
		{"SOS-BANSOS", "Bantuan Sosial (PKH, BPNT)", "Social assistance (PKH, BPNT)", nil},
		{"SOS-DTKS", "Data Kesejahteraan Sosial", "Social welfare registry", nil},
		{"SOS-DIFABEL", "Layanan Disabilitas dan Lansia", "Disability and elderly services", nil},
	}},
	{"TK", "Ketenagakerjaan", "Employment", []seedCategory{
		{"TK-UPAH", "Upah dan THR", "Wages and holiday allowance", nil},
		{"TK-PHK", "Pemutusan Hubungan Kerja", "Dismissal", nil},
		{"TK-LATIH", "Pelatihan dan Penempatan Kerja", "Job training and placement", nil},
	}},
	{"HUB", "Perhubungan", "Transport", []seedCategory{
		{"HUB-ANGKUTAN", "Angkutan Umum", "Public transport", nil},
		{"HUB-PARKIR", "Parkir", "Parking", nil},
	}},
	{"TIB", "Ketertiban Umum", "Public order", nil},
	{"PEL", "Pelayanan Publik", "Public service conduct", []seedCategory{
		{"PEL-PETUGAS", "Sikap dan Perilaku Petugas", "Staff conduct", nil},
		{"PEL-ANTRE", "Antrean dan Waktu Layanan", "Queues and service times", nil},
		{"PEL-BIAYA", "Biaya Layanan dan Pungutan Liar", "Service fees and illegal levies", nil},
		{"PEL-INFO", "Informasi Layanan", "Service information", nil},
	}},
	{"LAIN", "Lainnya", "Other", nil},
}

type holidayRow struct {
	Date       string `json:"date"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	LegalBasis string `json:"legal_basis"`
}

func init() {
	m.Register(seedDefaults, nil, "1763800100_seed_defaults.go")
}

// seedDefaults makes a fresh appliance usable with no set-up. Every row is
// upserted by its natural key, so running it again changes nothing.
func seedDefaults(app core.App) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	steps := []func(core.App, config.Config) error{seedOffice, seedUnit, seedCategoryTree, seedSLA, seedHolidays, seedQRPoint}
	for _, step := range steps {
		if err := step(app, cfg); err != nil {
			return fmt.Errorf("migrations: seed: %w", err)
		}
	}
	return nil
}

// upsert finds the record of collection whose field equals value, or makes
// a new one, and lets fill set it when it is new.
func upsert(app core.App, collection, field, value string, fill func(*core.Record)) (*core.Record, error) {
	rec, err := app.FindFirstRecordByFilter(collection, field+" = {:v}", dbx.Params{"v": value})
	if err == nil {
		return rec, nil
	}
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	rec = core.NewRecord(col)
	rec.Set(field, value)
	fill(rec)
	if err := app.Save(rec); err != nil {
		return nil, fmt.Errorf("%s %s: %w", collection, value, err)
	}
	return rec, nil
}

func seedOffice(app core.App, cfg config.Config) error {
	n, err := app.CountRecords(model.Offices)
	if err != nil || n > 0 {
		return err
	}
	days, _ := config.WeekdaysFromSpec(cfg.WorkingWeekdays)
	_, err = upsert(app, model.Offices, "code", cfg.OfficeCode, func(r *core.Record) {
		r.Set("name", cfg.OfficeName)
		r.Set("timezone", cfg.TimeZone)
		r.Set("working_weekdays", days)
		r.Set("public_base_url", cfg.PublicURL)
	})
	return err
}

func seedUnit(app core.App, _ config.Config) error {
	_, err := upsert(app, model.Units, "code", DefaultUnitCode, func(r *core.Record) {
		r.Set("name", "Unit Pelayanan Umum")
		r.Set("active", true)
	})
	return err
}

func seedCategoryTree(app core.App, _ config.Config) error {
	var add func(parent string, list []seedCategory) error
	add = func(parent string, list []seedCategory) error {
		for i, c := range list {
			rec, err := upsert(app, model.Categories, "code", c.code, func(r *core.Record) {
				r.Set("name", c.name)
				r.Set("name_en", c.nameEN)
				r.Set("parent", parent)
				r.Set("sort", (i+1)*10)
				r.Set("active", true)
			})
			if err != nil {
				return err
			}
			if err := add(rec.Id, c.children); err != nil {
				return err
			}
		}
		return nil
	}
	return add("", seedCategories)
}

func seedSLA(app core.App, _ config.Config) error {
	_, err := upsert(app, model.SLAPolicies, "code", "default", func(r *core.Record) {
		r.Set("name", "SP4N-LAPOR! (PermenPANRB 62/2018)")
		r.Set("verify_days", 3)
		r.Set("followup_days", 5)
		r.Set("autoclose_days", 10)
		r.Set("completion_calendar_days", 60)
		r.Set("active", true)
	})
	return err
}

func seedHolidays(app core.App, _ config.Config) error {
	var rows []holidayRow
	if err := json.Unmarshal(holidaysJSON, &rows); err != nil {
		return fmt.Errorf("holidays-id.json: %w", err)
	}
	col, err := app.FindCachedCollectionByNameOrId(model.Holidays)
	if err != nil {
		return err
	}
	for _, h := range rows {
		exists, _ := app.FindFirstRecordByFilter(col, "date = {:d} && name = {:n}", dbx.Params{"d": h.Date, "n": h.Name})
		if exists != nil {
			continue
		}
		r := core.NewRecord(col)
		r.Set("date", h.Date)
		r.Set("type", h.Type)
		r.Set("name", h.Name)
		r.Set("legal_basis", h.LegalBasis)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("holiday %s: %w", h.Date, err)
		}
	}
	return nil
}

// seedQRPoint posts one code for the front door, so a fresh appliance can
// print a working poster at once.
func seedQRPoint(app core.App, _ config.Config) error {
	unit, err := app.FindFirstRecordByData(model.Units, "code", DefaultUnitCode)
	if err != nil {
		return err
	}
	_, err = upsert(app, model.QRPoints, "slug", "pintu-depan", func(r *core.Record) {
		r.Set("label", "Pintu depan / ruang tunggu")
		r.Set("unit", unit.Id)
		r.Set("location", "Ruang tunggu pelayanan")
		r.Set("active", true)
	})
	return err
}
