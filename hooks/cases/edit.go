package cases

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
)

// EditRequest is a verifier's correction; empty fields stay as they are.
type EditRequest struct {
	Title    string `json:"title"`    // rewritten as a summary
	Category string `json:"category"` // category code
	Type     string `json:"type"`
	Privacy  string `json:"privacy"`
	Note     string `json:"note"`
	// PublicTitle and PublicBody are what the public reads instead of the
	// reporter's own words (tracking, /laporan, open data, Open311): a
	// verifier writes them before the report goes public, leaving out
	// what identifies anyone. The reporter's text stays for staff.
	PublicTitle string `json:"public_title"`
	PublicBody  string `json:"public_body"`
}

// Edit applies a verifier's correction inside txApp's transaction and logs
// it as an internal "edit" event with each change (from, to). Only
// coordinators and admins verify, and only before the report is closed.
// Making a report anonymous erases the reporter's identity: an anonymous
// report stores none.
func Edit(txApp core.App, c *core.Record, actor Actor, req EditRequest, now time.Time) error {
	if actor.Role != model.RoleCoordinator && actor.Role != model.RoleAdmin {
		return router.NewForbiddenError("Hanya verifikator (koordinator atau admin) yang dapat mengoreksi laporan. — Only verifiers (coordinators, admins) may correct a report.", nil)
	}
	if lifecycle.Terminal(c.GetString("status")) {
		return badField("status", "closed", "Laporan yang sudah ditutup tidak dapat dikoreksi.", "A closed report cannot be corrected.")
	}
	changes := map[string]any{}
	change := func(field, to string) {
		if from := c.GetString(field); from != to {
			changes[field] = map[string]string{"from": from, "to": to}
			c.Set(field, to)
		}
	}
	if t := strings.TrimSpace(req.Title); t != "" {
		if n := utf8.RuneCountInString(t); n < 5 || n > 200 {
			return badField("title", "bad_title", "Judul 5–200 karakter.", "A title has 5–200 characters.")
		}
		change("title", t)
	}
	if t := strings.TrimSpace(req.PublicTitle); t != "" {
		if n := utf8.RuneCountInString(t); n < 5 || n > 200 {
			return badField("public_title", "bad_public_title", "Judul untuk publik 5–200 karakter.", "A public title has 5–200 characters.")
		}
		change("public_title", t)
	}
	if b := strings.TrimSpace(req.PublicBody); b != "" {
		if n := utf8.RuneCountInString(b); n < 10 || n > 10000 {
			return badField("public_body", "bad_public_body", "Isi untuk publik 10–10.000 karakter.", "A public text has 10–10,000 characters.")
		}
		change("public_body", b)
	}
	if code := strings.TrimSpace(req.Category); code != "" {
		cat, err := txApp.FindFirstRecordByFilter(model.Categories, "code = {:c} && active = true", dbx.Params{"c": strings.ToUpper(code)})
		if err != nil {
			return badField("category", "unknown_category", "Kategori tidak dikenal.", "Unknown category.")
		}
		if from := c.GetString("category"); from != cat.Id {
			changes["category"] = map[string]string{"from": from, "to": cat.Id, "code": cat.GetString("code")}
			c.Set("category", cat.Id)
		}
	}
	if t := req.Type; t != "" {
		if !oneOf(model.Types, t) {
			return badField("type", "unknown_type", "Jenis laporan tidak dikenal.", "Unknown report type.")
		}
		change("type", t)
	}
	if p := req.Privacy; p != "" {
		if !oneOf(model.Privacies, p) {
			return badField("privacy", "unknown_privacy", "Tingkat kerahasiaan tidak dikenal.", "Unknown privacy tier.")
		}
		change("privacy", p)
		if p == model.PrivacyAnonymous {
			for _, f := range []string{"reporter_name", "reporter_phone", "reporter_email", "reporter_nik"} {
				c.Set(f, "")
			}
			c.Set("identity_checked", false)
		}
	}
	if len(changes) == 0 {
		return badField("", "no_change", "Tidak ada yang diubah.", "Nothing to change.")
	}
	if len(req.Note) > maxNote {
		return badField("note", "note_too_long", "Catatan terlalu panjang.", "The note is too long.")
	}
	c.Set("version", c.GetInt("version")+1)
	if err := txApp.Save(c); err != nil {
		return badField("", "invalid", "Koreksi tidak valid.", "Invalid correction.")
	}
	_, err := events.Append(txApp, c, events.Event{Kind: model.EventEdit, ActorType: actor.ActorType(), ActorID: actor.ID,
		ActorName: actor.Name, Note: strings.TrimSpace(req.Note), Data: map[string]any{"changes": changes},
		Origin: actor.Origin, At: now})
	return err
}

func oneOf(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// edit is POST /api/complaints/{code}/edit.
func (h *handlers) edit(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	var req EditRequest
	if err := readJSON(e, &req); err != nil {
		return err
	}
	rec, err := findComplaint(h.app, e, e.Request.PathValue("code"))
	if err != nil {
		return err
	}
	if canSee(actor, rec) && !Handles(h.app, rec) {
		return notHandledHere(e, rec) // a copy: the handling office edits it
	}
	err = h.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			return err
		}
		rec = c
		return Edit(tx, c, actor, req, clock.Now(h.app))
	})
	if err != nil {
		var ae *router.ApiError
		if errors.As(err, &ae) {
			return ae
		}
		h.app.Logger().Error("cases: edit failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"tracking_code": rec.GetString("tracking_code"),
		"title": rec.GetString("title"), "type": rec.GetString("type"), "privacy": rec.GetString("privacy"),
		"public_title": rec.GetString("public_title"), "public_body": rec.GetString("public_body")})
}
