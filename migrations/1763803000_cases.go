package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
)

const (
	idCannedResponses = "simpul_canned_responses"
	idCaseFiles       = "simpul_case_files"
)

func init() {
	m.Register(createCases, dropCases, "1763803000_cases.go")
}

// createCases adds what case handling needs beyond the base schema: the
// paused SLA clock and the reporter's last reply on complaints, queue
// indexes, canned follow-up texts, and follow-up attachments (a timeline
// row cannot carry files itself: it is hashed and never updated, so files
// live beside it and the event's data holds their SHA-256).
func createCases(app core.App) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if c.Fields.GetByName("paused_remaining") == nil {
		c.Fields.Add(
			&core.NumberField{Name: "paused_remaining", OnlyInt: true, Min: zero,
				Help: "working days left on the verification clock when it was paused (tertunda)"},
			&core.DateField{Name: "last_reply_at"},
		)
	}
	c.AddIndex("idx_complaints_status_due", false, "status, due_at", "")
	c.AddIndex("idx_complaints_unit_due", false, "unit, due_at", "")
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: complaints for cases: %w", err)
	}

	if _, err := app.FindCollectionByNameOrId("canned_responses"); err != nil {
		cr := core.NewBaseCollection("canned_responses", idCannedResponses)
		cr.ListRule, cr.ViewRule = types.Pointer(ruleStaff), types.Pointer(ruleStaff)
		cr.CreateRule, cr.UpdateRule, cr.DeleteRule = types.Pointer(ruleCoordinator), types.Pointer(ruleCoordinator), types.Pointer(ruleCoordinator)
		cr.Fields.Add(
			&core.TextField{Name: "code", Required: true, Max: 32, Pattern: `^[A-Z0-9][A-Z0-9-]*$`},
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "body", Required: true, Max: 5000},
			&core.RelationField{Name: "unit", CollectionId: idUnits, MaxSelect: 1, Help: "empty: every unit"},
			&core.BoolField{Name: "active"},
		)
		cr.Fields.Add(timestamps()...)
		cr.AddIndex("idx_canned_code", true, "code", "")
		if err := app.Save(cr); err != nil {
			return fmt.Errorf("migrations: create canned_responses: %w", err)
		}
		seed := []struct{ code, title, body string }{
			{"DITERIMA", "Laporan sedang ditangani",
				"Terima kasih atas laporan Anda. Laporan telah kami terima dan sedang ditindaklanjuti oleh unit terkait. Kami akan menyampaikan perkembangan melalui kanal ini."},
			{"SURVEI", "Survei lapangan dijadwalkan",
				"Petugas kami telah menjadwalkan peninjauan lapangan atas lokasi yang Anda laporkan. Hasilnya akan kami sampaikan setelah peninjauan."},
			{"SELESAI", "Tindak lanjut telah dilaksanakan",
				"Tindak lanjut atas laporan Anda telah dilaksanakan. Apabila masih terdapat kendala, silakan balas melalui halaman pelacakan dalam 10 hari kerja."},
		}
		for _, s := range seed {
			r := core.NewRecord(cr)
			r.Set("code", s.code)
			r.Set("title", s.title)
			r.Set("body", s.body)
			r.Set("active", true)
			if err := app.Save(r); err != nil {
				return fmt.Errorf("migrations: canned response %s: %w", s.code, err)
			}
		}
	}

	if _, err := app.FindCollectionByNameOrId("case_files"); err != nil {
		cf := core.NewBaseCollection("case_files", idCaseFiles)
		cf.ListRule = types.Pointer(ruleEventACL)
		cf.ViewRule = cf.ListRule
		cf.Fields.Add(
			&core.RelationField{Name: "complaint", CollectionId: idComplaints, MaxSelect: 1, Required: true},
			&core.TextField{Name: "event_uid", Required: true, Max: 64},
			&core.FileField{Name: "file", MaxSelect: 1, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentMimeTypes},
			&core.TextField{Name: "sha256", Max: 64},
			&core.BoolField{Name: "public"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		cf.AddIndex("idx_case_files_event", false, "complaint, event_uid", "")
		if err := app.Save(cf); err != nil {
			return fmt.Errorf("migrations: create case_files: %w", err)
		}
	}
	return nil
}

func dropCases(app core.App) error {
	for _, name := range []string{"case_files", "canned_responses"} {
		if c, err := app.FindCollectionByNameOrId(name); err == nil {
			if err := app.Delete(c); err != nil {
				return fmt.Errorf("migrations: drop %s: %w", name, err)
			}
		}
	}
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return nil
	}
	c.Fields.RemoveByName("paused_remaining")
	c.Fields.RemoveByName("last_reply_at")
	c.RemoveIndex("idx_complaints_status_due")
	c.RemoveIndex("idx_complaints_unit_due")
	return app.Save(c)
}
