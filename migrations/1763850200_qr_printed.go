package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(qrPrintedUp, qrPrintedDown, "1763850200_qr_printed.go")
}

// qrPrintedUp records when a QR point's poster was last printed for an
// address phones can open: the QR page shows it, and the first-run
// checklist on /staf ticks "one QR point printed".
func qrPrintedUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.QRPoints)
	if err != nil {
		return fmt.Errorf("migrations: qr printed: %w", err)
	}
	if c.Fields.GetByName("printed_at") != nil {
		return nil
	}
	c.Fields.Add(&core.DateField{Name: "printed_at", Help: "when a poster was last printed (for a non-loopback address)"})
	return app.Save(c)
}

func qrPrintedDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.QRPoints)
	if err != nil {
		return fmt.Errorf("migrations: qr printed: %w", err)
	}
	c.Fields.RemoveByName("printed_at")
	return app.Save(c)
}
