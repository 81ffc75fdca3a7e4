package vocab

// Strings of the start page, the layout and the language switch.
var start = Table{
	"app.tagline":   {"Layanan pengaduan, aspirasi dan permintaan informasi", "Complaints, suggestions and information requests"},
	"nav.report":    {"Buat laporan", "Report"},
	"nav.track":     {"Lacak laporan", "Track a report"},
	"nav.staff":     {"Petugas", "Staff"},
	"nav.counter":   {"Loket", "Counter"},
	"start.intro":   {"Sampaikan pengaduan, aspirasi atau permintaan informasi Anda. Laporan diteruskan ke SP4N-LAPOR! dan ditindaklanjuti sesuai batas waktu.", "Submit a complaint, a suggestion or a request for information. Reports are forwarded to SP4N-LAPOR! and handled within set deadlines."},
	"start.report":  {"Buat laporan baru", "Make a new report"},
	"start.track":   {"Lacak laporan dengan kode", "Track a report by its code"},
	"start.privacy": {"Identitas pelapor dilindungi. Anda dapat melapor secara anonim atau rahasia.", "Reporters' identities are protected. You may report anonymously or confidentially."},
	"lang.switch":   {"English", "Bahasa Indonesia"},
	"footer.lapor":  {"Terhubung dengan SP4N-LAPOR! — Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional", "Connected to SP4N-LAPOR!, Indonesia's national public-service complaint system"},
}
