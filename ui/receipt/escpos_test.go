package receipt_test

import (
	"strings"
	"testing"

	"simpul/ui/receipt"
	"simpul/ui/testkit"
)

func TestESCPOSJob(t *testing.T) {
	r := receipt.Receipt{Lang: "id", Office: receipt.Office{Name: "UPT Puskesmas Sukamaju — Kecamatan Sukamaju Kabupaten Contoh", Address: "Jl. Merdeka No. 1",
		Phone: "0261 123456", Email: "pkm@sukamaju.go.id"},
		TrackingCode: "7P4C-EJ19-7CT", Received: "9 Des 2026 10:05 WITA", Type: "Pengaduan", Category: "Pelayanan Puskesmas",
		Title: "Antrean obat lebih dari dua jam di apotek puskesmas", Channel: "Loket", Deadline: "14 Des 2026 23:59 WITA",
		PIN: "482913", TrackURL: "http://192.168.1.10:8090/lacak/7P4C-EJ19-7CT"}
	for f, cols := range map[receipt.Format]int{receipt.Format58: 32, receipt.Format80: 48} {
		job, err := receipt.ESCPOS(r, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(job) < 2 || job[0] != 0x1b || job[1] != '@' {
			t.Fatalf("%s: the job does not begin with ESC @", f)
		}
		d, err := testkit.DecodeESCPOS(job)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !d.Init || !d.Cut || len(d.Unexpected) > 0 {
			t.Errorf("%s: init %v cut %v %v", f, d.Init, d.Cut, d.Unexpected)
		}
		if len(d.QR) != 1 || d.QR[0] != r.TrackURL || d.QRModel != 2 || d.QRModule < 3 {
			t.Errorf("%s: QR %q (model %d, module %d), want the tracking URL", f, d.QR, d.QRModel, d.QRModule)
		}
		text := strings.Join(d.Lines, "\n")
		if !strings.Contains(strings.Join(d.Lines, ""), r.TrackURL) || !strings.Contains(text, "\n7P4C-EJ19-7CT") && f == receipt.Format58 {
			t.Errorf("%s: the tracking address is not printed whole, broken after a slash:\n%s", f, text)
		}
		for _, want := range []string{"TANDA TERIMA LAPORAN", "UPT Puskesmas Sukamaju - Kecamatan", "Diterima: 9 Des 2026 10:05 WITA",
			"Lacak laporan Anda di:"} {
			if !strings.Contains(strings.Join(d.Lines, " "), want) {
				t.Errorf("%s: the job does not print %q:\n%s", f, want, text)
			}
		}
		if strings.Join(d.BigText, "|") != "7P4C-EJ19-7CT|482913" {
			t.Errorf("%s: printed large: %q, want the code and the PIN", f, d.BigText)
		}
		for _, l := range d.Lines {
			if len(l) > cols {
				t.Errorf("%s: a line of %d characters on a %d-column roll: %q", f, len(l), cols, l)
			}
		}
	}
	// A reprint: no PIN, and says how to get one.
	r.PIN, r.Copy = "", true
	job, _ := receipt.ESCPOS(r, receipt.Format80)
	d, err := testkit.DecodeESCPOS(job)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(d.Lines, "\n")
	if strings.Contains(text, "482913") || !strings.Contains(text, "SALINAN") {
		t.Errorf("a copy prints the PIN or does not say it is a copy:\n%s", text)
	}
	if _, err := receipt.ESCPOS(r, receipt.FormatA4); err == nil {
		t.Error("an A4 ESC/POS job")
	}
}
