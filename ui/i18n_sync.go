package ui

// Sync page strings, merged into messages at start-up.
func init() {
	for lang, m := range syncMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var syncMessages = map[string]map[string]string{
	"id": {
		"sync.title":           "Sinkronisasi ke server induk",
		"sync.back":            "← Kembali ke meja petugas",
		"sync.parent":          "Server induk",
		"sync.noparent":        "Belum ada: laporan hanya tersimpan di kantor ini. Admin server menyambungkannya di berkas konfigurasi (panduan operator, bagian Sinkronisasi).",
		"sync.last_success":    "Terakhir berhasil",
		"sync.never":           "Belum pernah",
		"sync.pending":         "Perubahan menunggu dikirim",
		"sync.rejected":        "Perubahan ditolak server induk (perlu diperiksa admin)",
		"sync.next_run":        "Jadwal berikutnya",
		"sync.state":           "Keadaan",
		"sync.fine":            "Baik",
		"sync.failures":        "gagal berturut-turut",
		"sync.now":             "Sinkronkan sekarang",
		"sync.ran.ok":          "Sinkronisasi selesai.",
		"sync.ran.failed":      "Sinkronisasi gagal. Data tetap aman di kantor ini dan akan dikirim ulang otomatis.",
		"sync.pushed":          "terkirim",
		"sync.pulled":          "diterima",
		"sync.err.unreachable": "Server induk tidak dapat dihubungi (jaringan putus atau server mati). Data aman dan dikirim otomatis saat jaringan pulih.",
		"sync.err.auth":        "Server induk menolak identitas kantor ini. Minta kode node dan rahasia baru ke pengelola server induk, lalu admin server memasangnya di berkas konfigurasi.",
		"sync.err.busy":        "Server induk sedang sibuk; dicoba lagi otomatis.",
		"sync.err.parent":      "Server induk sedang mengalami gangguan; dicoba lagi otomatis.",
		"sync.err.refused":     "Server induk menolak data yang dikirim. Hubungi pengelola server induk.",
		"sync.err.other":       "Terjadi kesalahan saat sinkronisasi; dicoba lagi otomatis.",
	},
	"en": {
		"sync.title":           "Sync with the parent server",
		"sync.back":            "← Back to the staff desk",
		"sync.parent":          "Parent server",
		"sync.noparent":        "None: reports stay in this office only. The server's admin connects one in the configuration file (operator guide, Sync).",
		"sync.last_success":    "Last success",
		"sync.never":           "Never",
		"sync.pending":         "Changes waiting to be sent",
		"sync.rejected":        "Changes the parent refused (an admin should check)",
		"sync.next_run":        "Next run",
		"sync.state":           "State",
		"sync.fine":            "Fine",
		"sync.failures":        "failures in a row",
		"sync.now":             "Sync now",
		"sync.ran.ok":          "Sync finished.",
		"sync.ran.failed":      "Sync failed. The data is safe in this office and will be sent again automatically.",
		"sync.pushed":          "sent",
		"sync.pulled":          "received",
		"sync.err.unreachable": "The parent server cannot be reached (link down or server off). The data is safe and will be sent when the link is back.",
		"sync.err.auth":        "The parent server refused this office's identity. Ask its operator for a new node id and secret; the server's admin puts them in the configuration file.",
		"sync.err.busy":        "The parent server is busy; retrying automatically.",
		"sync.err.parent":      "The parent server is having trouble; retrying automatically.",
		"sync.err.refused":     "The parent server refused the data sent. Contact its operator.",
		"sync.err.other":       "Something went wrong while syncing; retrying automatically.",
	},
}
