package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(adminHintsUp, adminHintsDown, "1763850000_admin_hints.go")
}

// adminHints are the help texts /_/ shows under the fields an office IT
// person fills in there (PocketBase's dashboard is English-only and shows
// raw field names; the office's own set-up page is /staf/pengaturan).
var adminHints = map[string]map[string]string{
	model.Staff: {
		"name": "Nama lengkap petugas, tampil di halaman dan riwayat laporan. — Full name, shown on pages and in timelines.",
		"role": "frontdesk = petugas loket; handler = petugas unit (isi Unit); coordinator = verifikator/koordinator; " +
			"admin = pengaturan kantor (/staf/pengaturan). — Counter clerk; unit handler (set Unit); coordinator; office admin.",
		"unit": "Wajib untuk handler: unit yang ditanganinya. — Required for handlers: the unit they handle.",
		"active": "Akun baru selalu aktif. Hapus centang untuk menonaktifkan petugas yang keluar. — " +
			"New accounts are always active; untick to deactivate someone who left.",
		"lang": "Bahasa halaman petugas (id atau en). — The staff pages' language.",
	},
	model.Offices: {
		"working_weekdays": "Lebih mudah diubah di /staf/pengaturan. Hari kerja ISO: 1 = Senin … 7 = Minggu, mis. [1,2,3,4,5]. — " +
			"Easier on /staf/pengaturan. ISO weekdays, 1 = Monday.",
		"public_base_url": "Alamat yang dibuka ponsel warga, untuk kode QR dan struk; kosong = alamat halaman yang dibuka petugas. — " +
			"The address citizens' phones open; empty = the address staff opened the page at.",
	},
}

// hintsBefore are the help texts the schema shipped with, for down.
var hintsBefore = map[string]string{model.Offices + ".working_weekdays": "ISO weekdays, 1 = Monday … 7 = Sunday"}

func adminHintsUp(app core.App) error { return setHints(app, true) }

func adminHintsDown(app core.App) error { return setHints(app, false) }

func setHints(app core.App, on bool) error {
	for name, hints := range adminHints {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return fmt.Errorf("migrations: hints: %w", err)
		}
		for field, help := range hints {
			f := c.Fields.GetByName(field)
			if f == nil {
				continue
			}
			if !on {
				help = hintsBefore[name+"."+field]
			}
			switch ft := f.(type) {
			case *core.TextField:
				ft.Help = help
			case *core.SelectField:
				ft.Help = help
			case *core.RelationField:
				ft.Help = help
			case *core.BoolField:
				ft.Help = help
			case *core.JSONField:
				ft.Help = help
			case *core.URLField:
				ft.Help = help
			}
		}
		if err := app.Save(c); err != nil {
			return fmt.Errorf("migrations: hints on %s: %w", name, err)
		}
	}
	return nil
}
