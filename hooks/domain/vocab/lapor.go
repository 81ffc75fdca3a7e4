package vocab

// Strings about the hand-over to SP4N-LAPOR! shown on pages.
var lapor = Table{
	"sync.err.lapor_token":   {"SP4N-LAPOR! menolak token akses kantor ini. Periksa SIMPUL_LAPOR_TOKEN (atau SIMPUL_LAPOR_TOKEN_FILE) lalu mulai ulang Simpul. Tidak ada laporan yang ditandai terkirim.", "SP4N-LAPOR! refused this office's access token. Check SIMPUL_LAPOR_TOKEN (or SIMPUL_LAPOR_TOKEN_FILE), then restart Simpul. No report was marked sent."},
	"sync.err.lapor_url":     {"Alamat SP4N-LAPOR! tampaknya salah (tidak ditemukan, dialihkan, atau bukan jawaban JSON). Periksa SIMPUL_LAPOR_URL. Laporan tetap aman dan dikirim ulang.", "The SP4N-LAPOR! address looks wrong (not found, redirected, or not a JSON answer). Check SIMPUL_LAPOR_URL. The reports are safe and will be sent again."},
	"sync.err.lapor_mapping": {"Pemetaan SP4N-LAPOR! (baris lapor_mapping di sync_state) tidak valid. Perbaiki di /_/; sampai itu, tidak ada laporan yang dikirim.", "The SP4N-LAPOR! mapping (the lapor_mapping row in sync_state) is not valid. Fix it in /_/; until then no report is sent."},

	"sync.lapor.title":            {"Pengiriman ke SP4N-LAPOR!", "Delivery to SP4N-LAPOR!"},
	"sync.lapor.due":              {"Laporan dengan perubahan yang belum sampai", "Reports with changes not delivered yet"},
	"sync.lapor.retrying":         {"Di antaranya, menunggu konfirmasi SP4N-LAPOR! (dicoba ulang otomatis)", "Of them, waiting for SP4N-LAPOR! to confirm (retried automatically)"},
	"sync.lapor.held":             {"Perlu tindakan petugas", "Waiting for staff"},
	"sync.lapor.waiting":          {"Menunggu konfirmasi pengisian ulang", "Waiting for the refill to be confirmed"},
	"sync.lapor.ledger":           {"Kantor ini belum tahu apa yang sudah dimiliki SP4N-LAPOR! (basis datanya baru: kantor baru, atau server yang diisi ulang dari kantor bawahan). Laporan baru dikirim hanya setelah dicari dulu di SP4N-LAPOR!; tindak lanjut, status, dan laporan yang didisposisikan SP4N-LAPOR! menunggu. Kantor baru: operator segera menjalankan simpul sync lapor-ready. Server yang diisi ulang: setelah semua kantor bawahan mengirim ulang (simpul sync resend --all) dan sinkron.", "This office does not know yet what SP4N-LAPOR! holds (its database is new: a new office, or a server refilled from its child offices). A new report is sent only after it was looked up on SP4N-LAPOR!; follow-ups, statuses and the reports SP4N-LAPOR! disposed wait. A new office: the operator runs simpul sync lapor-ready now. A refilled server: once every child office has resent (simpul sync resend --all) and synced."},
	"sync.lapor.held.intro":       {"Laporan berikut tidak dikirim lagi sampai petugas bertindak. Perbaiki penyebabnya (kategori dan topiknya, isi laporan, atau pemetaan), lalu kirim ulang. Bila SP4N-LAPOR! tidak mengonfirmasi, periksa dulu di SP4N-LAPOR! apakah laporan dengan kode ini sudah ada: bila ada, simpan nomor pelacakannya; bila tidak, kirim ulang.", "These reports are not sent again until staff act. Fix the cause (the category and its topic, the report, or the mapping), then resend. If SP4N-LAPOR! did not confirm, first check on SP4N-LAPOR! whether a report with this code is there: if it is, save its tracking number; if not, resend."},
	"sync.lapor.held.refused":     {"Ditolak", "Refused"},
	"sync.lapor.held.unconfirmed": {"Tidak dikonfirmasi SP4N-LAPOR!", "Not confirmed by SP4N-LAPOR!"},
	"sync.lapor.code":             {"Kode laporan", "Report code"},
	"sync.lapor.reason":           {"Sebab", "Why"},
	"sync.lapor.since":            {"Sejak", "Since"},
	"sync.lapor.action":           {"Tindakan", "Action"},
	"sync.lapor.resend":           {"Kirim ulang", "Resend"},
	"sync.lapor.link.label":       {"Nomor pelacakan di SP4N-LAPOR!", "Tracking number on SP4N-LAPOR!"},
	"sync.lapor.link":             {"Simpan nomor", "Save number"},
	"sync.lapor.resent":           {"Laporan masuk antrean lagi dan dikirim pada sinkronisasi berikutnya.", "The report is queued again and goes with the next sync."},
	"sync.lapor.linked":           {"Nomor SP4N-LAPOR! disimpan; tindak lanjutnya dikirim pada sinkronisasi berikutnya.", "The SP4N-LAPOR! number is saved; its follow-ups go with the next sync."},
	"sync.lapor.notheld":          {"Laporan itu tidak sedang menunggu tindakan.", "That report is not waiting for staff."},
	"sync.lapor.badid":            {"Nomor pelacakan tidak valid (1–64 karakter tanpa spasi) atau laporan sudah punya nomor lain.", "The tracking number is not valid (1–64 characters, no spaces) or the report already has another one."},
}
