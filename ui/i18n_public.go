package ui

// Strings of the public page of reports (/laporan) and the staff exports
// (/staf/ekspor), merged into messages at start-up.
func init() {
	for lang, m := range publicMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var publicMessages = map[string]map[string]string{
	"id": {
		"public.title":        "Laporan warga yang sudah diverifikasi",
		"public.start_link":   "Lihat laporan warga",
		"public.intro":        "Laporan publik yang sudah diverifikasi petugas dan sedang atau telah ditindaklanjuti, terbaru lebih dulu. Pilih kode untuk melihat perkembangannya.",
		"public.category":     "Kategori",
		"public.unit":         "Unit",
		"public.filter":       "Tampilkan",
		"public.any_category": "Semua kategori",
		"public.any_unit":     "Semua unit",
		"public.col.date":     "Tanggal",
		"public.col.title":    "Ringkasan",
		"public.col.status":   "Status",
		"public.col.code":     "Kode",
		"public.empty":        "Belum ada laporan terverifikasi untuk pilihan ini.",
		"public.prev":         "← Sebelumnya",
		"public.next":         "Berikutnya →",
		"public.privacy":      "Identitas pelapor tidak pernah ditampilkan. Laporan anonim, rahasia dan yang belum diverifikasi tidak tercantum di sini.",
		"public.opendata":     "Unduh data terbuka (CSV)",

		"export.nav":                  "Ekspor data",
		"export.title":                "Ekspor data pengaduan",
		"export.back":                 "← Kembali ke meja petugas",
		"export.period":               "Periode laporan masuk",
		"export.from":                 "Dari tanggal",
		"export.to":                   "Sampai tanggal",
		"export.period_hint":          "Kedua tanggal termasuk, menurut waktu kantor",
		"export.bad_period":           "Periode tidak valid: tanggal awal harus sebelum atau sama dengan tanggal akhir.",
		"export.file.complaints":      "Unduh pengaduan (CSV)",
		"export.file.events":          "Unduh riwayat (CSV)",
		"export.file.xlsx":            "Unduh Excel (XLSX)",
		"export.identity.admin":       "Anda melihat identitas pelapor laporan publik dan rahasia. Laporan anonim tidak menyimpan identitas.",
		"export.identity.coordinator": "Anda melihat identitas pelapor laporan publik dan rahasia. Laporan anonim tidak menyimpan identitas.",
		"export.identity.handler":     "Berisi laporan unit Anda saja; identitas pelapor hanya untuk laporan publik.",
		"export.identity.frontdesk":   "Berisi laporan yang Anda catat di loket saja; identitas pelapor hanya untuk laporan publik.",
		"export.care":                 "Berkas ekspor berisi data pribadi: simpan di perangkat kantor, jangan dibagikan, dan hapus bila tidak diperlukan lagi.",
		"export.opendata.title":       "Data terbuka",
		"export.opendata.body":        "Laporan publik terverifikasi tanpa data pribadi, terbuka untuk umum:",
	},
	"en": {
		"public.title":        "Verified citizen reports",
		"public.start_link":   "See citizens' reports",
		"public.intro":        "Public reports that staff have verified and that are being or have been handled, newest first. Choose a code to follow its progress.",
		"public.category":     "Category",
		"public.unit":         "Unit",
		"public.filter":       "Show",
		"public.any_category": "All categories",
		"public.any_unit":     "All units",
		"public.col.date":     "Date",
		"public.col.title":    "Summary",
		"public.col.status":   "Status",
		"public.col.code":     "Code",
		"public.empty":        "No verified reports for this choice yet.",
		"public.prev":         "← Previous",
		"public.next":         "Next →",
		"public.privacy":      "Reporters are never shown. Anonymous, confidential and unverified reports are not listed here.",
		"public.opendata":     "Download the open data (CSV)",

		"export.nav":                  "Export data",
		"export.title":                "Export complaint data",
		"export.back":                 "← Back to the staff desk",
		"export.period":               "Reports received",
		"export.from":                 "From",
		"export.to":                   "To",
		"export.period_hint":          "Both days included, in office time",
		"export.bad_period":           "Invalid period: the start must be on or before the end.",
		"export.file.complaints":      "Download complaints (CSV)",
		"export.file.events":          "Download timelines (CSV)",
		"export.file.xlsx":            "Download Excel (XLSX)",
		"export.identity.admin":       "You see the reporters of public and confidential reports. Anonymous reports store no identity.",
		"export.identity.coordinator": "You see the reporters of public and confidential reports. Anonymous reports store no identity.",
		"export.identity.handler":     "Only your unit's reports; reporters only of public reports.",
		"export.identity.frontdesk":   "Only the reports you took in at the counter; reporters only of public reports.",
		"export.care":                 "Exports hold personal data: keep them on office devices, do not share them, and delete them when no longer needed.",
		"export.opendata.title":       "Open data",
		"export.opendata.body":        "Verified public reports without personal data, open to everyone:",
	},
}
