package ui

// Receipt and QR-point page strings, merged into messages at start-up.
// The PDFs' own labels live in ui/receipt.
func init() {
	for lang, m := range receiptMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var receiptMessages = map[string]map[string]string{
	"id": {
		"receipt.col":             "Struk",
		"receipt.reprint":         "Cetak ulang",
		"receipt.notfound":        "Laporan tidak ditemukan",
		"receipt.notfound.body":   "Periksa kembali kode laporan.",
		"receipt.forbidden":       "Laporan ini bukan milik unit Anda.",
		"receipt.channel.open311": "Aplikasi (Open311)",
		"receipt.channel.sync":    "Kantor lain",
		"receipt.channel.import":  "Impor",

		"qrpage.nav":             "Kode QR & poster",
		"qrpage.title":           "Titik kode QR",
		"qrpage.back":            "← Kembali ke meja petugas",
		"qrpage.forbidden":       "Halaman ini khusus koordinator dan admin.",
		"qrpage.intro":           "Setiap titik kode QR membuka formulir laporan yang sudah terisi unit, kategori dan lokasinya. Cetak posternya dan tempel di tempat yang mudah dilihat.",
		"qrpage.label":           "Nama titik",
		"qrpage.slug":            "Alamat singkat (slug)",
		"qrpage.slug.hint":       "Huruf kecil a–z, angka dan tanda hubung. Kosongkan untuk dibuat dari nama titik.",
		"qrpage.unit":            "Unit",
		"qrpage.category":        "Kategori",
		"qrpage.location":        "Lokasi",
		"qrpage.scans":           "Laporan masuk",
		"qrpage.active":          "Aktif",
		"qrpage.yes":             "Ya",
		"qrpage.no":              "Tidak",
		"qrpage.poster":          "Poster",
		"qrpage.none":            "— tidak ada —",
		"qrpage.empty":           "Belum ada titik kode QR.",
		"qrpage.new":             "Titik kode QR baru",
		"qrpage.create":          "Simpan titik",
		"qrpage.created":         "Titik kode QR disimpan.",
		"qrpage.errors":          "Periksa isian yang ditandai.",
		"qrpage.err.label":       "Nama titik wajib diisi (paling banyak 200 karakter).",
		"qrpage.err.slug":        "Gunakan 2–64 huruf kecil a–z, angka atau tanda hubung, diawali huruf atau angka.",
		"qrpage.err.slug.taken":  "Alamat singkat ini sudah dipakai titik lain.",
		"qrpage.err.unit":        "Pilih unit dari daftar.",
		"qrpage.err.category":    "Pilih kategori dari daftar.",
		"qrpage.err.location":    "Lokasi paling banyak 300 karakter.",
		"qrpage.err.failed":      "Titik kode QR belum tersimpan karena gangguan sistem; silakan coba lagi.",
		"qrpage.notfound":        "Titik kode QR tidak ditemukan",
		"qrpage.notfound.body":   "Periksa kembali alamat singkatnya.",
		"qrpage.err.poster_size": "Ukuran poster harus a4 atau a5.",
	},
	"en": {
		"receipt.col":             "Receipt",
		"receipt.reprint":         "Reprint",
		"receipt.notfound":        "Report not found",
		"receipt.notfound.body":   "Check the report code.",
		"receipt.forbidden":       "This report does not belong to your unit.",
		"receipt.channel.open311": "App (Open311)",
		"receipt.channel.sync":    "Another office",
		"receipt.channel.import":  "Import",

		"qrpage.nav":             "QR codes & posters",
		"qrpage.title":           "QR code points",
		"qrpage.back":            "← Back to the staff desk",
		"qrpage.forbidden":       "This page is for coordinators and admins.",
		"qrpage.intro":           "Each QR code point opens the report form with its unit, category and location filled in. Print its poster and put it up where people see it.",
		"qrpage.label":           "Point name",
		"qrpage.slug":            "Short address (slug)",
		"qrpage.slug.hint":       "Lowercase a–z, digits and hyphens. Leave empty to derive it from the name.",
		"qrpage.unit":            "Unit",
		"qrpage.category":        "Category",
		"qrpage.location":        "Location",
		"qrpage.scans":           "Reports received",
		"qrpage.active":          "Active",
		"qrpage.yes":             "Yes",
		"qrpage.no":              "No",
		"qrpage.poster":          "Poster",
		"qrpage.none":            "— none —",
		"qrpage.empty":           "No QR code points yet.",
		"qrpage.new":             "New QR code point",
		"qrpage.create":          "Save the point",
		"qrpage.created":         "QR code point saved.",
		"qrpage.errors":          "Check the marked fields.",
		"qrpage.err.label":       "The point name is required (at most 200 characters).",
		"qrpage.err.slug":        "Use 2–64 lowercase letters a–z, digits or hyphens, starting with a letter or digit.",
		"qrpage.err.slug.taken":  "Another point already uses this short address.",
		"qrpage.err.unit":        "Choose a unit from the list.",
		"qrpage.err.category":    "Choose a category from the list.",
		"qrpage.err.location":    "The location is at most 300 characters.",
		"qrpage.err.failed":      "The QR code point was not saved because of a system fault; please try again.",
		"qrpage.notfound":        "QR code point not found",
		"qrpage.notfound.body":   "Check the short address.",
		"qrpage.err.poster_size": "The poster size must be a4 or a5.",
	},
}
