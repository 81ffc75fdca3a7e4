package ui

import "simpul/hooks/domain/model"

// messages holds every UI string in Bahasa Indonesia ("id") and English
// ("en"). A key missing in English falls back to Indonesian; a key missing
// everywhere shows itself, so a gap is visible rather than blank.
var messages = map[string]map[string]string{
	"id": {
		"app.tagline":           "Layanan pengaduan, aspirasi dan permintaan informasi",
		"nav.report":            "Buat laporan",
		"nav.track":             "Lacak laporan",
		"nav.staff":             "Petugas",
		"nav.counter":           "Loket",
		"start.intro":           "Sampaikan pengaduan, aspirasi atau permintaan informasi Anda. Laporan diteruskan ke SP4N-LAPOR! dan ditindaklanjuti sesuai batas waktu.",
		"start.report":          "Buat laporan baru",
		"start.track":           "Lacak laporan dengan kode",
		"start.privacy":         "Identitas pelapor dilindungi. Anda dapat melapor secara anonim atau rahasia.",
		"lang.switch":           "English",
		"footer.lapor":          "Terhubung dengan SP4N-LAPOR! — Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional",
		"status.baru":           "Belum Terverifikasi",
		"status.tertunda":       "Tertunda",
		"status.diarsipkan":     "Diarsipkan",
		"status.bukan_wewenang": "Bukan Wewenang",
		"status.terdisposisi":   "Terdisposisi (Belum Ditindaklanjuti)",
		"status.proses":         "Proses",
		"status.selesai":        "Selesai",
	},
	"en": {
		"app.tagline":           "Complaints, suggestions and information requests",
		"nav.report":            "Report",
		"nav.track":             "Track a report",
		"nav.staff":             "Staff",
		"nav.counter":           "Counter",
		"start.intro":           "Submit a complaint, a suggestion or a request for information. Reports are forwarded to SP4N-LAPOR! and handled within set deadlines.",
		"start.report":          "Make a new report",
		"start.track":           "Track a report by its code",
		"start.privacy":         "Reporters' identities are protected. You may report anonymously or confidentially.",
		"lang.switch":           "Bahasa Indonesia",
		"footer.lapor":          "Connected to SP4N-LAPOR!, Indonesia's national public-service complaint system",
		"status.baru":           "Awaiting verification",
		"status.tertunda":       "On hold",
		"status.diarsipkan":     "Archived",
		"status.bukan_wewenang": "Not our authority",
		"status.terdisposisi":   "Assigned (awaiting follow-up)",
		"status.proses":         "In progress",
		"status.selesai":        "Completed",
	},
}

// Translator returns the lookup function for lang.
func Translator(lang string) func(string) string {
	return func(key string) string { return T(lang, key) }
}

// T translates key into lang.
func T(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["id"][key]; ok {
		return s
	}
	return key
}

// StatusLabel is the official label of a status code in lang.
func StatusLabel(lang, code string) string {
	for _, s := range model.Statuses {
		if s == code {
			return T(lang, "status."+code)
		}
	}
	return code
}
