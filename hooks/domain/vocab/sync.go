package vocab

// Strings of the sync page.
var syncPage = Table{
	"sync.title":           {"Sinkronisasi ke server induk", "Sync with the parent server"},
	"sync.back":            {"← Kembali ke meja petugas", "← Back to the staff desk"},
	"sync.parent":          {"Server induk", "Parent server"},
	"sync.noparent":        {"Belum ada: laporan hanya tersimpan di kantor ini. Admin server menyambungkannya di berkas konfigurasi (panduan operator, bagian Sinkronisasi).", "None: reports stay in this office only. The server's admin connects one in the configuration file (operator guide, Sync)."},
	"sync.last_success":    {"Terakhir berhasil", "Last success"},
	"sync.never":           {"Belum pernah", "Never"},
	"sync.pending":         {"Perubahan menunggu dikirim", "Changes waiting to be sent"},
	"sync.rejected":        {"Perubahan ditolak server induk (perlu diperiksa admin)", "Changes the parent refused (an admin should check)"},
	"sync.next_run":        {"Jadwal berikutnya", "Next run"},
	"sync.state":           {"Keadaan", "State"},
	"sync.fine":            {"Baik", "Fine"},
	"sync.failures":        {"gagal berturut-turut", "failures in a row"},
	"sync.now":             {"Sinkronkan sekarang", "Sync now"},
	"sync.ran.ok":          {"Sinkronisasi selesai.", "Sync finished."},
	"sync.ran.failed":      {"Sinkronisasi gagal. Data tetap aman di kantor ini dan akan dikirim ulang otomatis.", "Sync failed. The data is safe in this office and will be sent again automatically."},
	"sync.pushed":          {"terkirim", "sent"},
	"sync.pulled":          {"diterima", "received"},
	"sync.err.unreachable": {"Server induk tidak dapat dihubungi (jaringan putus atau server mati). Data aman dan dikirim otomatis saat jaringan pulih.", "The parent server cannot be reached (link down or server off). The data is safe and will be sent when the link is back."},
	"sync.err.auth":        {"Server induk menolak identitas kantor ini. Minta kode node dan rahasia baru ke pengelola server induk, lalu admin server memasangnya di berkas konfigurasi.", "The parent server refused this office's identity. Ask its operator for a new node id and secret; the server's admin puts them in the configuration file."},
	"sync.err.busy":        {"Server induk sedang sibuk; dicoba lagi otomatis.", "The parent server is busy; retrying automatically."},
	"sync.err.parent":      {"Server induk sedang mengalami gangguan; dicoba lagi otomatis.", "The parent server is having trouble; retrying automatically."},
	"sync.err.refused":     {"Server induk menolak data yang dikirim. Hubungi pengelola server induk.", "The parent server refused the data sent. Contact its operator."},
	"sync.err.other":       {"Terjadi kesalahan saat sinkronisasi; dicoba lagi otomatis.", "Something went wrong while syncing; retrying automatically."},
}
