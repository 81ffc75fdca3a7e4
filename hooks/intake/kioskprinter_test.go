package intake_test

import (
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// `simpul kiosks add --printer`: a kiosk's network printer is kept as
// written when it is tcp://HOST:PORT, refused otherwise (the field's
// pattern), and cleared with "".
func TestKioskPrinter(t *testing.T) {
	app := testkit.New(t)
	creds, err := intake.AddKiosk(app, "Kios Lobi", "Lobi", "")
	if err != nil {
		t.Fatal(err)
	}
	printer := func() string {
		rec, err := app.FindRecordById(model.Kiosks, creds.KioskID)
		if err != nil {
			t.Fatal(err)
		}
		return rec.GetString("printer")
	}
	for _, bad := range []string{"192.168.1.50:9100", "http://192.168.1.50:9100", "tcp://192.168.1.50", "tcp://h:9100/x"} {
		if err := intake.SetKioskPrinter(app, creds.KioskID, bad); err == nil {
			t.Errorf("printer %q accepted", bad)
		}
	}
	for _, good := range []string{"tcp://192.168.1.50:9100", "tcp://printer-lobi.lan:9100", "tcp://[fd00::5]:9100", ""} {
		if err := intake.SetKioskPrinter(app, creds.KioskID, good); err != nil || printer() != good {
			t.Errorf("printer %q: %v, stored %q", good, err, printer())
		}
	}
}
