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
	},
	"en": {
		"login.locked.title": "Too many sign-in attempts",
		"login.locked.body": "For security, signing in is blocked for a while after several wrong passwords. " +
			"Try again within 15 minutes. If you forgot your password, ask the office admin.",
		"login.locked.back":   "Back to the sign-in page",
		"track.limited.title": "Too many unknown codes",
		"track.limited.body": "To protect citizens' reports, looking up is blocked for a while after many unknown tracking codes. " +
			"Try again within 15 minutes, and check the code on your receipt.",
	},
}
