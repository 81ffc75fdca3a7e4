package receipt

// utf8Sample must come out of every PDF with real glyphs.
const utf8Sample = "Jl. Sudirman — Pasar Baru №5 · Müller · é"

func sampleOffice() Office {
	return Office{Name: "Puskesmas Sukamaju", Code: "PKM-SKM", Address: utf8Sample,
		Phone: "0761-123456", Email: "pengaduan@sukamaju.go.id"}
}

func sampleReceipt() Receipt {
	return Receipt{Office: sampleOffice(), TrackingCode: "ABCD-EFGH-JKMN", Received: "23 Nov 2026 14:05 WIB",
		Type: "Pengaduan", Category: "Infrastruktur", Title: "Jalan rusak di depan puskesmas", Channel: "Loket",
		Deadline: "26 Nov 2026 23:59 WIB", PIN: "042917", TrackURL: "https://pengaduan.sukamaju.go.id/lacak/ABCD-EFGH-JKMN"}
}

func samplePoster(s PosterSize) Poster {
	return Poster{Size: s, Office: sampleOffice(), Label: "Pintu depan / ruang tunggu", Location: "Ruang tunggu — lantai 1 №5 · Müller · é",
		URL: "https://pengaduan.sukamaju.go.id/q/pintu-depan"}
}
