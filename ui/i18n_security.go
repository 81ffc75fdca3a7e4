package ui

// Login-limit strings, merged into messages at start-up.
func init() {
	for lang, m := range securityMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var securityMessages = map[string]map[string]string{
	"id": {
		"login.locked.title": "Terlalu banyak percobaan masuk",
		"login.locked.body": "Demi keamanan, masuk ditolak sementara setelah beberapa kali kata sandi salah. " +
			"Coba lagi paling lambat 15 menit lagi. Jika Anda lupa kata sandi, hubungi admin kantor.",
		"login.locked.back":   "Kembali ke halaman masuk",
		"track.limited.title": "Terlalu banyak kode yang tidak dikenal",
		"track.limited.body": "Demi keamanan laporan warga, pencarian ditolak sementara setelah banyak kode laporan yang tidak dikenal. " +
			"Coba lagi paling lambat 15 menit lagi, dan periksa kode pada struk Anda.",
		"pin.link":  "PIN baru",
		"pin.title": "PIN baru untuk struk yang hilang",
		"pin.intro": "Pelapor yang kehilangan struk mendapat PIN baru setelah KTP-nya diperiksa. PIN lama dan tautan struk lama tidak berlaku lagi. " +
			"Cetak ulang struk tidak pernah memuat PIN.",
		"pin.nik":               "NIK pada KTP",
		"pin.name":              "Nama pada KTP (bila laporan tidak mencatat NIK)",
		"pin.check":             "Periksa KTP asli di depan Anda, lalu ketik NIK-nya. Kejadian ini dicatat.",
		"pin.submit":            "Terbitkan PIN baru",
		"pin.new":               "PIN baru",
		"pin.once":              "PIN ini hanya ditampilkan sekali. Serahkan struk baru kepada pelapor; jangan catat PIN di tempat lain.",
		"pin.err.notfound":      "Kode laporan tidak ditemukan.",
		"pin.err.anonymous":     "Laporan anonim tidak mencatat pelapornya, jadi tidak dapat diberi PIN baru.",
		"pin.err.mismatch":      "Data KTP tidak cocok dengan pelapor laporan ini. PIN tidak diterbitkan.",
		"pin.err.locked":        "Terlalu banyak percobaan yang tidak cocok untuk laporan ini. Coba lagi 15 menit lagi.",
		"reveal.title":          "Identitas pelapor (rahasia)",
		"reveal.why":            "Alasan membuka identitas",
		"reveal.hint":           "Laporan ini rahasia: setiap pembukaan identitas dicatat (siapa, kapan, alasan) dan terlihat oleh koordinator. Jangan tulis nama pelapor di alasan.",
		"reveal.submit":         "Tampilkan identitas",
		"reveal.shown":          "Identitas ditampilkan; pembukaan ini sudah dicatat.",
		"reveal.err":            "Tuliskan alasan (5–500 karakter).",
		"access.title":          "Siapa yang membuka laporan ini",
		"access.none":           "Belum ada yang membuka identitas pelapor atau menerbitkan PIN baru.",
		"access.identity_read":  "membuka identitas pelapor",
		"access.counter_lookup": "mencari di loket",
		"access.pin_reissued":   "menerbitkan PIN baru",
		"staff.reply.withheld":  "Balasan pelapor (isi hanya untuk koordinator: laporan rahasia)",
	},
	"en": {
		"login.locked.title": "Too many sign-in attempts",
		"login.locked.body": "For security, signing in is blocked for a while after several wrong passwords. " +
			"Try again within 15 minutes. If you forgot your password, ask the office admin.",
		"login.locked.back":   "Back to the sign-in page",
		"track.limited.title": "Too many unknown codes",
		"track.limited.body": "To protect citizens' reports, looking up is blocked for a while after many unknown tracking codes. " +
			"Try again within 15 minutes, and check the code on your receipt.",
		"pin.link":  "New PIN",
		"pin.title": "A new PIN for a lost receipt",
		"pin.intro": "A reporter who lost the receipt gets a new PIN once their ID card (KTP) is checked. The old PIN and the old receipt link stop working. " +
			"A reprinted receipt never carries the PIN.",
		"pin.nik":               "NIK on the ID card",
		"pin.name":              "Name on the ID card (when the report has no NIK)",
		"pin.check":             "Check the original ID card in front of you, then type its NIK. This is logged.",
		"pin.submit":            "Issue a new PIN",
		"pin.new":               "New PIN",
		"pin.once":              "This PIN is shown only once. Hand the new receipt to the reporter; do not note the PIN anywhere else.",
		"pin.err.notfound":      "No report with that code.",
		"pin.err.anonymous":     "An anonymous report records no reporter, so it cannot get a new PIN.",
		"pin.err.mismatch":      "The ID card does not match this report's reporter. No PIN was issued.",
		"pin.err.locked":        "Too many mismatches for this report. Try again in 15 minutes.",
		"reveal.title":          "Reporter's identity (confidential)",
		"reveal.why":            "Why you need to see it",
		"reveal.hint":           "This report is confidential: every time its identity is opened is logged (who, when, why) and shown to coordinators. Do not write the reporter's name in the reason.",
		"reveal.submit":         "Show the identity",
		"reveal.shown":          "Identity shown; this reading has been logged.",
		"reveal.err":            "Write a reason (5–500 characters).",
		"access.title":          "Who opened this report",
		"access.none":           "Nobody has opened the reporter's identity or issued a new PIN yet.",
		"access.identity_read":  "opened the reporter's identity",
		"access.counter_lookup": "looked it up at the counter",
		"access.pin_reissued":   "issued a new PIN",
		"staff.reply.withheld":  "The reporter's reply (its text is for coordinators only: confidential report)",
	},
}
