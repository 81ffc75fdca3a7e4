package settings

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/appcmd"
)

// The first staff account of a new office is made on the server's command
// line, as PocketBase's "superuser upsert" makes the superuser: whoever
// can run the binary on the data directory already holds every record, so
// the command asks for nothing more, and nobody needs /_/ to reach a
// signed-in desk (README, the first hour). Every later account is made on
// the settings page (/staf/pengaturan) by that admin.

// bindFirstAdminHint replaces PocketBase's start-up installer, which on a
// data directory without a superuser opens a browser at /_/ and prints a
// link to make one (and a "go run . superuser upsert" line without the
// build tags): an office needs neither to start. Until the office has an
// active admin, the server says instead how to make the first one.
func bindFirstAdminHint(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.InstallerFunc = func(app core.App, _ *core.Record, _ string) error {
			n, err := app.CountRecords(model.Staff, dbx.HashExp{"role": model.RoleAdmin, "active": true})
			if err != nil || n > 0 {
				return err
			}
			fmt.Print(FirstAdminHint)
			return nil
		}
		return se.Next()
	})
}

// FirstAdminHint is what the server prints at start while the office has
// no active admin.
const FirstAdminHint = `
(!) Belum ada admin kantor. Buat akun staf pertama di terminal lain (kata sandinya dicetak sekali):
    simpul staff add EMAIL --name "NAMA"
    (dari kode sumber: go run -tags "no_default_driver sqlite_math_functions sqlite_fts5" . staff add EMAIL --name "NAMA")
    lalu masuk di /staf. Dasbor /_/ tidak diperlukan.
(!) No office admin yet: make the first staff account with the command above, then sign in at /staf.

`

// StaffAccount is what "simpul staff add" made: the account and its new
// password, shown once.
type StaffAccount struct {
	Email, Name, Role, Password string
	Created                     bool // false: an existing account got a new password
}

// passwordAlphabet leaves out letters and digits read alike (0/o, 1/l/i).
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newPassword returns 16 random characters of passwordAlphabet in groups
// of four (about 79 bits), easy to read off a terminal and type once.
func newPassword() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on Go's platforms
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		// 256 % 31 = 8: the first 8 letters come up 9/256 instead of
		// 8/256 of the time, a loss of under 0.1 bit per character.
		s.WriteByte(passwordAlphabet[int(c)%len(passwordAlphabet)])
	}
	return s.String()
}

// AddStaff creates an active staff account with a generated password
// (role empty: admin), or, when the e-mail already has one, gives it a new
// password and makes it active again, keeping its role, unit and name
// unless they are given (a lost admin password is recovered the same way).
// A handler needs a unit.
func AddStaff(app core.App, email, name, role, unitCode string) (StaffAccount, error) {
	email, name, role, unitCode = strings.TrimSpace(email), strings.TrimSpace(name), strings.TrimSpace(role), strings.TrimSpace(unitCode)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return StaffAccount{}, fmt.Errorf("settings: %q is not an e-mail address", email)
	}
	if role != "" && !slices.Contains(model.Roles, role) {
		return StaffAccount{}, fmt.Errorf("settings: role %q: one of %s", role, strings.Join(model.Roles, ", "))
	}
	if utf8.RuneCountInString(name) > 150 {
		return StaffAccount{}, errors.New("settings: --name is longer than 150 characters")
	}
	rec, err := app.FindAuthRecordByEmail(model.Staff, email)
	created := err != nil
	if created {
		if name == "" {
			return StaffAccount{}, errors.New("settings: a new account needs --name")
		}
		col, err := app.FindCollectionByNameOrId(model.Staff)
		if err != nil {
			return StaffAccount{}, fmt.Errorf("settings: %w", err)
		}
		rec = core.NewRecord(col)
		rec.SetEmail(email)
		rec.Set("role", model.RoleAdmin)
	}
	if name != "" {
		rec.Set("name", name)
	}
	if role != "" {
		rec.Set("role", role)
	}
	if unitCode != "" {
		u, err := app.FindFirstRecordByData(model.Units, "code", unitCode)
		if err != nil {
			return StaffAccount{}, fmt.Errorf("settings: no unit with code %q", unitCode)
		}
		rec.Set("unit", u.Id)
	}
	if rec.GetString("role") == model.RoleHandler && rec.GetString("unit") == "" {
		return StaffAccount{}, errors.New("settings: a handler needs --unit CODE (the unit whose cases they handle)")
	}
	pw := newPassword()
	rec.SetPassword(pw)
	rec.Set("active", true)
	rec.SetVerified(true)
	if err := app.Save(rec); err != nil {
		return StaffAccount{}, fmt.Errorf("settings: staff account %s: %w", email, err)
	}
	return StaffAccount{Email: email, Name: rec.GetString("name"), Role: rec.GetString("role"), Password: pw, Created: created}, nil
}

// Commands returns "simpul staff add EMAIL [--name NAME] [--role ROLE]
// [--unit CODE]".
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "staff", Short: "Staff accounts: the first admin, or a new password for a lost one"}
	var name, role, unit string
	add := &cobra.Command{
		Use:          "add EMAIL",
		Short:        "Create an active staff account (or give an existing one a new password) and print the password, once",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := appcmd.Migrate(app); err != nil {
				return fmt.Errorf("settings: %w", err)
			}
			acc, err := AddStaff(app, args[0], name, role, unit)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if acc.Created {
				fmt.Fprintf(w, "Akun staf dibuat (staff account created): %s, %s, peran %s\n", acc.Email, acc.Name, acc.Role)
			} else {
				fmt.Fprintf(w, "Kata sandi baru untuk (new password for): %s, %s, peran %s\n", acc.Email, acc.Name, acc.Role)
			}
			fmt.Fprintf(w, "Kata sandi (password): %s\n", acc.Password)
			fmt.Fprintln(w, "Masuk di /staf dengan e-mail dan kata sandi ini; kata sandi tidak ditampilkan lagi.")
			fmt.Fprintln(w, "(Sign in at /staf with this e-mail and password; it is not shown again.)")
			return nil
		},
	}
	add.Flags().StringVar(&name, "name", "", "the person's name (required for a new account)")
	add.Flags().StringVar(&role, "role", "", "one of "+strings.Join(model.Roles, ", ")+" (a new account: admin; an existing one keeps its role)")
	add.Flags().StringVar(&unit, "unit", "", "unit code (required for a handler)")
	root.AddCommand(add)
	return []*cobra.Command{root}
}
