package ui

// Sync page strings for SP4N-LAPOR! as the parent (sync/lapor), merged into
// messages at start-up. The sync page picks sync.err.lapor_<hint> from
// lapor.Hint of the last error.
func init() {
	for lang, m := range laporMessages {
		if messages[lang] == nil {
			messages[lang] = map[string]string{}
		}
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}

var laporMessages = map[string]map[string]string{
	"id": {
		"sync.err.lapor_token":   "SP4N-LAPOR! menolak token akses kantor ini. Periksa SIMPUL_LAPOR_TOKEN (atau SIMPUL_LAPOR_TOKEN_FILE) lalu mulai ulang Simpul. Tidak ada laporan yang ditandai terkirim.",
		"sync.err.lapor_url":     "Alamat SP4N-LAPOR! tampaknya salah (tidak ditemukan, dialihkan, atau bukan jawaban JSON). Periksa SIMPUL_LAPOR_URL. Laporan tetap aman dan dikirim ulang.",
		"sync.err.lapor_mapping": "Pemetaan SP4N-LAPOR! (baris lapor_mapping di sync_state) tidak valid. Perbaiki di /_/; sampai itu, tidak ada laporan yang dikirim.",
	},
	"en": {
		"sync.err.lapor_token":   "SP4N-LAPOR! refused this office's access token. Check SIMPUL_LAPOR_TOKEN (or SIMPUL_LAPOR_TOKEN_FILE), then restart Simpul. No report was marked sent.",
		"sync.err.lapor_url":     "The SP4N-LAPOR! address looks wrong (not found, redirected, or not a JSON answer). Check SIMPUL_LAPOR_URL. The reports are safe and will be sent again.",
		"sync.err.lapor_mapping": "The SP4N-LAPOR! mapping (the lapor_mapping row in sync_state) is not valid. Fix it in /_/; until then no report is sent.",
	},
}
