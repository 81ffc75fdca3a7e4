package cases

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
)

// Follow-up limits (the case_files field allows 10 MB a file).
const (
	maxFollowupFiles = 5
	maxFollowupBody  = 5*10<<20 + 1<<20
)

// FollowupRequest is a unit's follow-up (tindak lanjut).
type FollowupRequest struct {
	Note   string                  `json:"note"`
	Canned string                  `json:"canned"` // canned_responses code; its text comes first
	At     time.Time               `json:"-"`
	Files  []*multipart.FileHeader `json:"-"`
}

func badField(field, code, id, en string) error {
	return router.NewBadRequestError(id+" — "+en, map[string]router.SafeErrorItem{field: fieldErr{code, id + " — " + en}})
}

// followup is POST /api/complaints/{code}/followups: JSON {note, canned}
// or multipart with the same fields and up to five "attachments". The
// first follow-up moves terdisposisi → proses; every follow-up restarts the
// auto-close clock.
func (h *handlers) followup(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	var req FollowupRequest
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, maxFollowupBody)
		if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
			return router.NewApiError(http.StatusRequestEntityTooLarge, "Lampiran terlalu besar atau formulir rusak. — Attachments too large or malformed form.", nil)
		}
		req.Note, req.Canned = e.Request.FormValue("note"), e.Request.FormValue("canned")
		req.Files = e.Request.MultipartForm.File["attachments"]
	} else if err := readJSON(e, &req); err != nil {
		return err
	}
	req.At = clock.Now(h.app)
	return h.stepCase(e, actor, "follow-up", "autoclose_at", func(tx core.App, c *core.Record) error {
		return FollowUp(tx, c, actor, &req)
	})
}

// FollowUp records a follow-up inside txApp's transaction: a public
// "followup" event (files beside it in case_files, their SHA-256 in the
// event), then the move to proses when it is the first one. req.Note is
// replaced by the full text (canned text first).
func FollowUp(txApp core.App, c *core.Record, actor Actor, req *FollowupRequest) error {
	status := c.GetString("status")
	if status != model.StatusTerdisposisi && status != model.StatusProses {
		return &lifecycle.Error{Kind: lifecycle.ErrIllegal, Field: "", Code: "no_followup_now", From: status, To: model.StatusProses, Role: actor.Role,
			ID: "Tindak lanjut hanya untuk laporan yang terdisposisi atau dalam proses.",
			EN: "Follow-ups are only for reports that are assigned or in progress."}
	}
	// Same role rule as the move to proses.
	if err := lifecycle.Check(model.StatusTerdisposisi, actor.Role, lifecycle.Request{To: model.StatusProses,
		OwnUnit: actor.UnitID != "" && c.GetString("unit") == actor.UnitID}); err != nil {
		return err
	}
	note := strings.TrimSpace(req.Note)
	if code := strings.TrimSpace(req.Canned); code != "" {
		cr, err := txApp.FindFirstRecordByFilter(CannedResponses, "code = {:c} && active = true", dbx.Params{"c": strings.ToUpper(code)})
		if err != nil {
			return badField("canned", "unknown_canned", "Jawaban baku tidak ditemukan.", "Unknown canned response.")
		}
		note = strings.TrimSpace(cr.GetString("body") + "\n\n" + note)
	}
	if note == "" {
		return badField("note", "note_required", "Tuliskan isi tindak lanjut.", "Write the follow-up.")
	}
	if len(note) > maxNote {
		return badField("note", "note_too_long", fmt.Sprintf("Tindak lanjut terlalu panjang (maksimal %d karakter).", maxNote),
			fmt.Sprintf("The follow-up is too long (at most %d characters).", maxNote))
	}
	if len(req.Files) > maxFollowupFiles {
		return badField("attachments", "too_many_files", "Maksimal 5 lampiran.", "At most 5 attachments.")
	}
	req.Note = note
	now := req.At
	if now.IsZero() {
		now = clock.Now(txApp)
	}
	uid := events.NewUID(actor.Origin)
	var files []map[string]any
	if len(req.Files) > 0 {
		col, err := txApp.FindCachedCollectionByNameOrId(CaseFiles)
		if err != nil {
			return fmt.Errorf("cases: %w", err)
		}
		for _, fh := range req.Files {
			sum, err := hashPart(fh)
			if err != nil {
				return badField("attachments", "bad_file", "Lampiran tidak terbaca.", "An attachment could not be read.")
			}
			f, err := filesystem.NewFileFromMultipart(fh)
			if err != nil {
				return badField("attachments", "bad_file", "Lampiran tidak terbaca.", "An attachment could not be read.")
			}
			r := core.NewRecord(col)
			r.Set("complaint", c.Id)
			r.Set("event_uid", uid)
			r.Set("file", f)
			r.Set("sha256", sum)
			r.Set("public", true)
			if err := txApp.Save(r); err != nil {
				return badField("attachments", "bad_file", "Lampiran ditolak (jenis: JPEG, PNG, WebP, PDF; maksimal 10 MB).",
					"Attachment refused (JPEG, PNG, WebP or PDF, at most 10 MB).")
			}
			files = append(files, map[string]any{"name": fh.Filename, "file": r.GetString("file"), "sha256": sum})
		}
	}
	ev := events.Event{UID: uid, Kind: model.EventFollowUp, ActorType: actor.ActorType(), ActorID: actor.ID,
		ActorName: actor.Name, Note: note, UnitID: c.GetString("unit"), Public: true, Origin: actor.Origin, At: now}
	if len(files) > 0 {
		ev.Data = map[string]any{"files": files}
	}
	if _, err := events.Append(txApp, c, ev); err != nil {
		return err
	}
	if status == model.StatusTerdisposisi {
		return Transition(txApp, c, actor, Request{To: model.StatusProses, At: now})
	}
	cal, err := sla.CalendarFor(txApp)
	if err != nil {
		return fmt.Errorf("cases: calendar: %w", err)
	}
	p, err := sla.PolicyFor(txApp)
	if err != nil {
		return fmt.Errorf("cases: policy: %w", err)
	}
	markFollowup(cal, p, c, now)
	setDue(c, status)
	c.Set("version", c.GetInt("version")+1)
	if err := txApp.Save(c); err != nil {
		return fmt.Errorf("cases: save complaint: %w", err)
	}
	return nil
}

func hashPart(fh *multipart.FileHeader) (string, error) {
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
