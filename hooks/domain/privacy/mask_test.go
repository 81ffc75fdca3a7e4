package privacy_test

import (
	"regexp"
	"testing"

	"simpul/hooks/domain/privacy"
)

// Each row is what a citizen might type and what the public may read; the
// expected texts were written by hand from the rule in Mask's doc.
func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Saya Dewi Lestari HP 081234567890, tolong hubungi.", "Saya Dewi Lestari HP 0812****7890, tolong hubungi."},
		{"WA 0812-3456-7890 atau 0812 3456 7890", "WA 0812****7890 atau 0812****7890"},
		{"Telp +62 812 3456 7890 (malam)", "Telp +6281*****7890 (malam)"},
		{"hubungi 6281234567890", "hubungi 6281*****7890"},
		{"kantor (021) 555-1234", "kantor 0215**1234"},
		{"NIK saya 3201234567890001.", "NIK saya 3201************."},
		{"NIK 3201 2345 6789 0001", "NIK 3201************"},
		{"No 12 0812 3456 7890", "No 12 0812****7890"},
		{"nomor 081234567890081234567890", "nomor ************************"},
		{"email dewi.lestari@gmail.com ya", "email d***@***.com ya"},
		{"surat ke a@mail.kab.go.id", "surat ke a***@***.id"},
		{"+1 415 555 0100", "+1415***0100"},
		// A phone glued to other digits by a bracket or dash is still a phone.
		{"1(081234567890", "1(0812****7890"},
		{"ref 7-081234567890", "ref 7-0812****7890"},
		{"a@b.id@c.id", "a***@***.id"},
		// Left as typed: dates, times, amounts, house and RT/RW numbers.
		{"tanggal 12-03-2026 jam 10.30, kerugian Rp 1.500.000", "tanggal 12-03-2026 jam 10.30, kerugian Rp 1.500.000"},
		{"anggaran Rp 150.000.000", "anggaran Rp 150.000.000"},
		{"Jl. Merdeka No. 45 RT 003/RW 005", "Jl. Merdeka No. 45 RT 003/RW 005"},
		{"Lampu jalan mati", "Lampu jalan mati"},
		{"", ""},
	} {
		if got := privacy.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

var leftover = regexp.MustCompile(`(?:^|[^0-9])(0[0-9]{8,}|[0-9]{16})(?:[^0-9]|$)`)

// Masking twice changes nothing more, and no phone-like run of digits
// (0 and 8 more) or NIK-like run (16) is left in what is shown.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"HP 081234567890", "x@y.id", "3201234567890001", "+62 812 3456 7890", "Rp 1.500.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := privacy.Mask(s)
		if twice := privacy.Mask(once); twice != once {
			t.Fatalf("Mask is not idempotent: %q → %q → %q", s, once, twice)
		}
		if m := leftover.FindString(once); m != "" {
			t.Fatalf("Mask(%q) = %q still shows %q", s, once, m)
		}
	})
}
