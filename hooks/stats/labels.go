package stats

import (
	"strconv"
	"strings"
)

// Label names a breakdown key for people, in lang ("id" or "en"): channel,
// type, gender and status codes, "YYYY-MM" months, and the empty unit or
// category. Unit and category names come from the data instead.
func Label(lang, kind, key string) string {
	if lang != "en" {
		lang = "id"
	}
	switch kind {
	case DimMonth:
		y, m, ok := strings.Cut(key, "-")
		if mi, err := strconv.Atoi(m); ok && err == nil && mi >= 1 && mi <= 12 {
			return monthNames[lang][mi-1] + " " + y
		}
		return key
	case DimUnit, DimCategory:
		if key == "" {
			return labels[lang][kind+".none"]
		}
		return key
	}
	if s, ok := labels[lang][kind+"."+key]; ok {
		return s
	}
	return key
}

// MonthName is the name of month m (1–12) in lang.
func MonthName(lang string, m int) string {
	if lang != "en" {
		lang = "id"
	}
	if m < 1 || m > 12 {
		return ""
	}
	return monthNames[lang][m-1]
}

var monthNames = map[string][12]string{
	"id": {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// text is a PDF string in lang.
func text(lang, key string) string {
	if lang != "en" {
		lang = "id"
	}
	if s, ok := labels[lang]["pdf."+key]; ok {
		return s
	}
	return labels["id"]["pdf."+key]
}

var labels = map[string]map[string]string{
	"id": {
		"unit.none":                    "Belum ditentukan",
		"category.none":                "Tanpa kategori",
		"channel.web":                  "Situs web",
		"channel.qr":                   "Kode QR",
		"channel.kiosk":                "Kios",
		"channel.counter":              "Loket",
		"channel.open311":              "Open311",
		"channel.sync":                 "Sinkronisasi",
		"channel.import":               "Impor",
		"channel.letter":               "Surat",
		"channel.phone":                "Telepon",
		"channel.sms":                  "SMS",
		"channel.whatsapp":             "WhatsApp",
		"channel.suggestion_box":       "Kotak saran",
		"type.pengaduan":               "Pengaduan",
		"type.aspirasi":                "Aspirasi",
		"type.permintaan_informasi":    "Permintaan informasi",
		"gender.perempuan":             "Perempuan",
		"gender.laki_laki":             "Laki-laki",
		"status.baru":                  "Belum Terverifikasi",
		"status.tertunda":              "Tertunda",
		"status.diarsipkan":            "Diarsipkan",
		"status.bukan_wewenang":        "Bukan Wewenang",
		"status.terdisposisi":          "Terdisposisi",
		"status.proses":                "Proses",
		"status.selesai":               "Selesai",
		"pdf.title":                    "Laporan Bulanan Pengelolaan Pengaduan",
		"pdf.period":                   "Periode",
		"pdf.unit":                     "Unit",
		"pdf.all_units":                "Semua unit",
		"pdf.generated":                "Dibuat",
		"pdf.received":                 "Laporan masuk",
		"pdf.routed":                   "Terdisposisi",
		"pdf.followed":                 "Ditindaklanjuti",
		"pdf.completed":                "Selesai",
		"pdf.capaian":                  "Capaian tindak lanjut",
		"pdf.within":                   "Tindak lanjut ≤ %d hari kerja",
		"pdf.median":                   "Median waktu tindak lanjut",
		"pdf.median_value":             "hari kerja (%s jam)",
		"pdf.overdue":                  "Terlambat saat ini",
		"pdf.of_received":              "dari laporan masuk",
		"pdf.of_routed":                "dari terdisposisi",
		"pdf.of_flow":                  "(proses + selesai) / terdisposisi",
		"pdf.of_followed":              "dari yang ditindaklanjuti",
		"pdf.in_month":                 "laporan bulan ini",
		"pdf.by_unit":                  "Per unit",
		"pdf.col.unit":                 "Unit",
		"pdf.col.received":             "Masuk",
		"pdf.col.routed":               "Disposisi",
		"pdf.col.followed":             "Tindak lanjut",
		"pdf.col.completed":            "Selesai",
		"pdf.col.within":               "≤ %d HK",
		"pdf.col.median":               "Median HK",
		"pdf.col.overdue":              "Terlambat",
		"pdf.other_units":              "Unit lain (%d)",
		"pdf.by_channel":               "Per kanal",
		"pdf.by_type":                  "Per jenis",
		"pdf.by_gender":                "Per jenis kelamin pelapor",
		"pdf.gender_not_given":         "tidak diisi",
		"pdf.by_category":              "Kategori terbanyak",
		"pdf.overdue_all":              "Laporan terlambat saat ini (semua periode)",
		"pdf.overdue_stages":           "verifikasi %d · tindak lanjut pertama %d · penyelesaian %d",
		"pdf.none":                     "Tidak ada laporan pada bulan ini.",
		"pdf.footnote":                 "Definisi setiap angka ada di panduan statistik Simpul. Hari kerja menurut kalender kantor (hari libur nasional dan cuti bersama dikecualikan). Tanpa data pribadi pelapor.",
		"pdf.filename":                 "laporan-bulanan",
		"pdf.disability":               "menyatakan disabilitas",
		"pdf.statuses":                 "Status saat ini",
		"pdf.signature":                "Mengetahui, Kepala Kantor",
		"pdf.overdue_in_month_caption": "dari laporan bulan ini",
	},
	"en": {
		"unit.none":                    "Not assigned",
		"category.none":                "No category",
		"channel.web":                  "Website",
		"channel.qr":                   "QR code",
		"channel.kiosk":                "Kiosk",
		"channel.counter":              "Counter",
		"channel.open311":              "Open311",
		"channel.sync":                 "Sync",
		"channel.import":               "Import",
		"channel.letter":               "Letter",
		"channel.phone":                "Phone call",
		"channel.sms":                  "SMS",
		"channel.whatsapp":             "WhatsApp",
		"channel.suggestion_box":       "Suggestion box",
		"type.pengaduan":               "Complaint",
		"type.aspirasi":                "Suggestion",
		"type.permintaan_informasi":    "Information request",
		"gender.perempuan":             "Female",
		"gender.laki_laki":             "Male",
		"status.baru":                  "Awaiting verification",
		"status.tertunda":              "On hold",
		"status.diarsipkan":            "Archived",
		"status.bukan_wewenang":        "Not our authority",
		"status.terdisposisi":          "Assigned",
		"status.proses":                "In progress",
		"status.selesai":               "Completed",
		"pdf.title":                    "Monthly Complaint Handling Report",
		"pdf.period":                   "Period",
		"pdf.unit":                     "Unit",
		"pdf.all_units":                "All units",
		"pdf.generated":                "Generated",
		"pdf.received":                 "Reports received",
		"pdf.routed":                   "Routed to a unit",
		"pdf.followed":                 "Followed up",
		"pdf.completed":                "Completed",
		"pdf.capaian":                  "Follow-up rate (capaian)",
		"pdf.within":                   "Follow-up within %d working days",
		"pdf.median":                   "Median time to first follow-up",
		"pdf.median_value":             "working days (%s hours)",
		"pdf.overdue":                  "Overdue now",
		"pdf.of_received":              "of reports received",
		"pdf.of_routed":                "of routed",
		"pdf.of_flow":                  "in progress or completed",
		"pdf.of_followed":              "of followed up",
		"pdf.in_month":                 "reports of this month",
		"pdf.by_unit":                  "By unit",
		"pdf.col.unit":                 "Unit",
		"pdf.col.received":             "Received",
		"pdf.col.routed":               "Routed",
		"pdf.col.followed":             "Followed up",
		"pdf.col.completed":            "Completed",
		"pdf.col.within":               "≤ %d WD",
		"pdf.col.median":               "Median WD",
		"pdf.col.overdue":              "Overdue",
		"pdf.other_units":              "Other units (%d)",
		"pdf.by_channel":               "By channel",
		"pdf.by_type":                  "By type",
		"pdf.by_gender":                "By reporter's gender",
		"pdf.gender_not_given":         "not given",
		"pdf.by_category":              "Top categories",
		"pdf.overdue_all":              "Reports overdue now (all periods)",
		"pdf.overdue_stages":           "verification %d · first follow-up %d · completion %d",
		"pdf.none":                     "No reports this month.",
		"pdf.footnote":                 "Every figure is defined in Simpul's statistics guide. Working days follow the office calendar (national holidays and cuti bersama excluded). No reporter data.",
		"pdf.filename":                 "monthly-report",
		"pdf.disability":               "declared a disability",
		"pdf.statuses":                 "Status now",
		"pdf.signature":                "Acknowledged, Head of Office",
		"pdf.overdue_in_month_caption": "of this month's reports",
	},
}
