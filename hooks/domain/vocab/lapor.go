package vocab

// Strings about the hand-over to SP4N-LAPOR! shown on pages.
var lapor = Table{
	"sync.err.lapor_token":   {"SP4N-LAPOR! menolak token akses kantor ini. Periksa SIMPUL_LAPOR_TOKEN (atau SIMPUL_LAPOR_TOKEN_FILE) lalu mulai ulang Simpul. Tidak ada laporan yang ditandai terkirim.", "SP4N-LAPOR! refused this office's access token. Check SIMPUL_LAPOR_TOKEN (or SIMPUL_LAPOR_TOKEN_FILE), then restart Simpul. No report was marked sent."},
	"sync.err.lapor_url":     {"Alamat SP4N-LAPOR! tampaknya salah (tidak ditemukan, dialihkan, atau bukan jawaban JSON). Periksa SIMPUL_LAPOR_URL. Laporan tetap aman dan dikirim ulang.", "The SP4N-LAPOR! address looks wrong (not found, redirected, or not a JSON answer). Check SIMPUL_LAPOR_URL. The reports are safe and will be sent again."},
	"sync.err.lapor_mapping": {"Pemetaan SP4N-LAPOR! (baris lapor_mapping di sync_state) tidak valid. Perbaiki di /_/; sampai itu, tidak ada laporan yang dikirim.", "The SP4N-LAPOR! mapping (the lapor_mapping row in sync_state) is not valid. Fix it in /_/; until then no report is sent."},
}
