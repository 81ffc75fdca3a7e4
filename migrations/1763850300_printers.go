package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(printersUp, printersDown, "1763850300_printers.go")
}

// printerPattern is a receipt printer on the network, raw ESC/POS on a TCP
// port: tcp://HOST:PORT (ui.ParsePrinter checks it the same way).
const printerPattern = `^tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$`

// printersUp gives a kiosk and the counter an optional thermal printer
// that the server prints receipts to (docs/kiosk.md, docs/operator.md).
func printersUp(app core.App) error {
	for _, f := range []struct{ collection, field, help string }{
		{model.Kiosks, "printer", "optional receipt printer of this kiosk: tcp://HOST:PORT, e.g. tcp://192.168.1.50:9100 (docs/kiosk.md)"},
		{model.Offices, "counter_printer", "optional receipt printer of the counter: tcp://HOST:PORT, e.g. tcp://192.168.1.51:9100 (docs/operator.md)"},
	} {
		c, err := app.FindCollectionByNameOrId(f.collection)
		if err != nil {
			return fmt.Errorf("migrations: printers: %w", err)
		}
		if c.Fields.GetByName(f.field) != nil {
			continue
		}
		c.Fields.Add(&core.TextField{Name: f.field, Max: 300, Pattern: printerPattern, Help: f.help})
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: printers: %w", err)
		}
	}
	return nil
}

func printersDown(app core.App) error {
	for _, f := range [][2]string{{model.Kiosks, "printer"}, {model.Offices, "counter_printer"}} {
		c, err := app.FindCollectionByNameOrId(f[0])
		if err != nil {
			return fmt.Errorf("migrations: printers: %w", err)
		}
		c.Fields.RemoveByName(f[1])
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}
