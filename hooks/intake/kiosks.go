package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/appcmd"
	"simpul/hooks/platform/token"
)

// KioskCredentials are what "simpul kiosks add" prints, once.
type KioskCredentials struct {
	KioskID string `json:"kiosk_id"`
	Token   string `json:"token"`
}

// AddKiosk registers a kiosk, or issues a new token to the kiosk with the
// same name (the old token stops working), and returns the token to be
// shown once: only its SHA-256 is stored.
func AddKiosk(app core.App, name, location, unitCode string) (KioskCredentials, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return KioskCredentials{}, errors.New("intake: a kiosk needs a name of 1–100 characters")
	}
	unitID := ""
	if unitCode != "" {
		u, err := app.FindFirstRecordByData(model.Units, "code", strings.ToUpper(unitCode))
		if err != nil {
			return KioskCredentials{}, fmt.Errorf("intake: unit %q not found", unitCode)
		}
		unitID = u.Id
	}
	rec, secret, err := token.Issue(app, token.Holder{
		Collection: model.Kiosks, KeyField: "name", Key: name, HashField: "token_hash",
		Set: func(rec *core.Record) {
			if location != "" {
				rec.Set("location", location)
			}
			if unitID != "" {
				rec.Set("unit", unitID)
			}
		},
	})
	if err != nil {
		return KioskCredentials{}, fmt.Errorf("intake: kiosk: %w", err)
	}
	return KioskCredentials{KioskID: rec.Id, Token: secret}, nil
}

// SetKioskPrinter gives the kiosk kioskID a network receipt printer
// (tcp://HOST:PORT, raw ESC/POS; the field's pattern checks it), or none
// with "".
func SetKioskPrinter(app core.App, kioskID, printer string) error {
	rec, err := app.FindRecordById(model.Kiosks, kioskID)
	if err != nil {
		return fmt.Errorf("intake: kiosk: %w", err)
	}
	rec.Set("printer", strings.TrimSpace(printer))
	if err := app.Save(rec); err != nil {
		return fmt.Errorf("intake: kiosk printer (write tcp://HOST:PORT, e.g. tcp://192.168.1.50:9100): %w", err)
	}
	return nil
}

// Commands returns "simpul kiosks add NAME [--location L] [--unit CODE]
// [--printer tcp://HOST:PORT]".
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "kiosks", Short: "Manage the touch kiosks allowed to submit reports"}
	var location, unit, printer string
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Register a kiosk (or give it a new token) and print its token as JSON, once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := appcmd.Migrate(app); err != nil {
				return fmt.Errorf("intake: %w", err)
			}
			creds, err := AddKiosk(app, args[0], location, unit)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("printer") {
				if err := SetKioskPrinter(app, creds.KioskID, printer); err != nil {
					return err
				}
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(creds)
		},
	}
	add.Flags().StringVar(&location, "location", "", "where the kiosk stands")
	add.Flags().StringVar(&unit, "unit", "", "the unit code its reports go to by default")
	add.Flags().StringVar(&printer, "printer", "", "its network receipt printer, raw ESC/POS: tcp://HOST:PORT (docs/kiosk.md)")
	root.AddCommand(add)
	return []*cobra.Command{root}
}
