package ui

// Strings of the front-desk work (issue 13): links and their warnings,
// attachments on the case page, the set-up page, the counter's clerk
// fields, the kiosk's steps, thermal printing. Merged into messages at
// start-up like the other i18n_*.go files; keys that existed before stay
// where they were.
func init() {
	for lang, m := range frontdeskMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var frontdeskMessages = map[string]map[string]string{
	"id": {
		"links.origin":          "Alamat publik kantor belum diatur. Tautan, struk dan kode QR memakai alamat yang sedang Anda buka:",
		"links.loopback":        "Halaman ini dibuka lewat alamat komputer server sendiri (127.0.0.1 atau localhost). Kode QR dan tautan dengan alamat ini tidak bisa dibuka dari ponsel warga, jadi poster tidak dicetak.",
		"links.lan":             "Buka halaman ini lewat alamat jaringan kantor, misalnya:",
		"links.set":             "Admin kantor dapat menetapkan alamat tetap di Pengaturan (Alamat publik).",
		"qrpage.loopback.title": "Poster belum dapat dicetak",
		"qrpage.loopback.body":  "Halaman ini dibuka lewat alamat komputer server sendiri (127.0.0.1 atau localhost). Kode QR dengan alamat ini tidak dapat dibuka dari ponsel warga.",
		"login.inactive":        "Akun ini dinonaktifkan. Hubungi admin kantor untuk mengaktifkannya kembali.",

		"files.title":          "Lampiran pelapor",
		"files.followups":      "Lampiran tindak lanjut",
		"files.none":           "Tidak ada lampiran.",
		"files.download":       "Unduh",
		"files.open":           "Buka",
		"files.pdf":            "Dokumen PDF",
		"files.forbidden":      "Anda tidak berwenang melihat lampiran ini.",
		"files.notfound":       "Lampiran tidak ditemukan",
		"files.notfound.body":  "Lampiran ini tidak ada pada laporan tersebut.",
		"form.held":            "Lampiran yang sudah Anda pilih tetap tersimpan dan ikut terkirim (tidak perlu memilih ulang):",
		"form.held.drop":       "Hapus",
		"done.receipt.save":    "Simpan bukti laporan (PDF)",
		"done.receipt.thermal": "Untuk printer struk:",
		"skip":                 "Langsung ke isi halaman",
	},
	"en": {
		"links.origin":          "The office's public address is not set. Links, receipts and QR codes use the address you opened this page at:",
		"links.loopback":        "This page was opened at the server's own address (127.0.0.1 or localhost). QR codes and links with this address cannot be opened from citizens' phones, so posters are not printed.",
		"links.lan":             "Open this page at the office network's address, for example:",
		"links.set":             "The office's admin can set a fixed address in Settings (Public address).",
		"qrpage.loopback.title": "The poster cannot be printed yet",
		"qrpage.loopback.body":  "This page was opened at the server's own address (127.0.0.1 or localhost). A QR code with this address cannot be opened from citizens' phones.",
		"login.inactive":        "This account is deactivated. Ask the office's admin to activate it again.",

		"files.title":          "Reporter's attachments",
		"files.followups":      "Follow-up attachments",
		"files.none":           "No attachments.",
		"files.download":       "Download",
		"files.open":           "Open",
		"files.pdf":            "PDF document",
		"files.forbidden":      "You may not see this attachment.",
		"files.notfound":       "Attachment not found",
		"files.notfound.body":  "This report has no such attachment.",
		"form.held":            "The files you chose are kept and will be sent (no need to choose them again):",
		"form.held.drop":       "Remove",
		"done.receipt.save":    "Save the receipt (PDF)",
		"done.receipt.thermal": "For a receipt printer:",
		"skip":                 "Skip to content",
	},
}
