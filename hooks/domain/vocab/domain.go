package vocab

// The domain's words: statuses, report types, channels, privacy tiers,
// genders, roles and the empty breakdown keys. Every status label of
// Simpul is defined here and nowhere else.
//
// status.CODE is the official SP4N-LAPOR! label (pages, tracking API,
// exports, Open311); KEY.short is the form charts and tables use where it
// is shorter (vocab.Short); notice.status.CODE is what a reporter reads in
// an e-mail or SMS notice (the label with what it means for them).
var domain = Table{
	"status.baru":                  {"Belum Terverifikasi", "Awaiting verification"},
	"status.tertunda":              {"Tertunda", "On hold"},
	"status.diarsipkan":            {"Diarsipkan", "Archived"},
	"status.bukan_wewenang":        {"Bukan Wewenang", "Not our authority"},
	"status.terdisposisi":          {"Terdisposisi (Belum Ditindaklanjuti)", "Assigned (awaiting follow-up)"},
	"status.terdisposisi.short":    {"Terdisposisi", "Assigned"},
	"status.proses":                {"Proses", "In progress"},
	"status.selesai":               {"Selesai", "Completed"},
	"notice.status.baru":           {"Belum Terverifikasi", "Awaiting verification"},
	"notice.status.tertunda":       {"Tertunda (mohon lengkapi informasi)", "On hold (please add the missing information)"},
	"notice.status.diarsipkan":     {"Diarsipkan", "Archived"},
	"notice.status.bukan_wewenang": {"Bukan Wewenang (diteruskan ke instansi atas, yang menyampaikannya ke instansi yang berwenang)", "Not our authority (handed up to the parent office, which passes it to the competent agency)"},
	"notice.status.bw.unlinked":    {"Bukan Wewenang (tidak diteruskan otomatis; catatan petugas menyebut instansi yang berwenang)", "Not our authority (not passed on automatically; the staff note names the competent agency)"},
	"notice.status.terdisposisi":   {"Terdisposisi ke unit terkait", "Assigned to the unit concerned"},
	"notice.status.proses":         {"Proses (tindak lanjut tersedia)", "In progress (a follow-up is available)"},
	"notice.status.selesai":        {"Selesai", "Completed"},

	"type.pengaduan":            {"Pengaduan", "Complaint"},
	"type.aspirasi":             {"Aspirasi", "Suggestion"},
	"type.permintaan_informasi": {"Permintaan informasi", "Information request"},

	"channel.web":            {"Situs web", "Website"},
	"channel.qr":             {"Kode QR", "QR code"},
	"channel.kiosk":          {"Kios", "Kiosk"},
	"channel.counter":        {"Loket (datang langsung)", "Counter (walk-in)"},
	"channel.counter.short":  {"Loket", "Counter"},
	"channel.open311":        {"Aplikasi (Open311)", "App (Open311)"},
	"channel.open311.short":  {"Open311", "Open311"},
	"channel.sync":           {"Kantor lain", "Another office"},
	"channel.sync.short":     {"Sinkronisasi", "Sync"},
	"channel.import":         {"Impor", "Import"},
	"channel.lapor":          {"SP4N-LAPOR!", "SP4N-LAPOR!"},
	"channel.letter":         {"Surat", "Letter"},
	"channel.phone":          {"Telepon", "Phone call"},
	"channel.sms":            {"SMS", "SMS"},
	"channel.whatsapp":       {"WhatsApp", "WhatsApp"},
	"channel.suggestion_box": {"Kotak saran", "Suggestion box"},

	"privacy.public":       {"Biasa", "Normal"},
	"privacy.anonymous":    {"Anonim", "Anonymous"},
	"privacy.confidential": {"Rahasia", "Confidential"},

	"gender.perempuan": {"Perempuan", "Female"},
	"gender.laki_laki": {"Laki-laki", "Male"},

	"role.frontdesk":   {"Petugas loket", "Counter clerk"},
	"role.handler":     {"Petugas unit", "Unit handler"},
	"role.coordinator": {"Koordinator", "Coordinator"},
	"role.admin":       {"Admin kantor", "Office admin"},
	"role.supervisor":  {"Pengawas", "Supervisor"},

	"unit.none":     {"Belum ditentukan", "Not assigned"},
	"category.none": {"Tanpa kategori", "No category"},
}

// months are the month names, January first.
var months = [2][12]string{
	{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}
