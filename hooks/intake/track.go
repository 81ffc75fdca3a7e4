package intake

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/privacy"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/websec"
)

// PublicView is what anybody holding a tracking code may see: never the
// reporter's identity, and for a confidential report neither its title,
// its body nor the notes on its timeline.
type PublicView struct {
	TrackingCode  string      `json:"tracking_code"`
	Status        string      `json:"status"`
	StatusLabel   string      `json:"status_label"`
	Type          string      `json:"type"`
	Category      CategoryRef `json:"category"`
	Confidential  bool        `json:"confidential"`
	Title         string      `json:"title,omitempty"`
	Body          string      `json:"body,omitempty"`
	Created       time.Time   `json:"created"`
	DueAt         *time.Time  `json:"due_at,omitempty"` // the deadline of the current stage, if one runs
	HubTrackingID string      `json:"hub_tracking_id,omitempty"`
	// HandledBy names the office that handles the report now ("ditangani
	// oleh"), once it is not the office of intake: routed down or across
	// the tree (docs/sync-protocol.md).
	HandledBy       *OfficeRef    `json:"handled_by,omitempty"`
	LaporTrackingID string        `json:"lapor_tracking_id,omitempty"`
	Rated           bool          `json:"rated"`
	Timeline        []PublicEvent `json:"timeline"`
	record          *core.Record
}

// Record is the stored complaint (for pages that need more than the view).
func (v *PublicView) Record() *core.Record { return v.record }

// OfficeRef names an office of the network.
type OfficeRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// CategoryRef names a category.
type CategoryRef struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// PublicEvent is one public step of the timeline.
type PublicEvent struct {
	At          time.Time `json:"at"`
	Kind        string    `json:"kind"`
	Status      string    `json:"status,omitempty"`
	StatusLabel string    `json:"status_label,omitempty"`
	Note        string    `json:"note,omitempty"`
}

// Track returns the public view of the complaint whose code the citizen
// typed (any case, dashes optional). It returns a nil view for an unknown
// code and a 400 *Error for a malformed one or one with a typo. A
// well-formed code spends from client's budget of unknown codes
// (websec.CodeLookups; client is the caller's address): reserved before
// the lookup, given back when the code exists, a 429 *Error when spent.
func Track(app core.App, input, client string) (*PublicView, error) {
	code, err := trackcode.Normalize(input)
	switch {
	case errors.Is(err, trackcode.ErrCheck):
		return nil, &Error{Status: http.StatusBadRequest, Message: "Kode laporan salah ketik. — The tracking code has a typo.",
			Fields: map[string]FieldError{"code": {Code: "typo", Message: "Periksa kembali kode pada struk. — Check the code on the receipt."}}}
	case err != nil:
		return nil, &Error{Status: http.StatusBadRequest, Message: "Kode laporan tidak valid. — Invalid tracking code.",
			Fields: map[string]FieldError{"code": {Code: "malformed", Message: "Kode laporan tidak valid. — Invalid tracking code."}}}
	}
	lookup, wait := websec.CodeLookups(app).Reserve(client, 1)
	if lookup == nil {
		return nil, &Error{Status: http.StatusTooManyRequests, RetryAfter: wait, Message: websec.LookupLimitedMessage}
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("intake: track: %w", err)
	}
	lookup.Found(1)
	return PublicViewOf(app, rec)
}

// PublicViewOf is the public view of a stored complaint.
func PublicViewOf(app core.App, rec *core.Record) (*PublicView, error) {
	status := rec.GetString("status")
	v := &PublicView{
		TrackingCode:    rec.GetString("tracking_code"),
		Status:          status,
		StatusLabel:     officialLabel(status),
		Type:            rec.GetString("type"),
		Confidential:    rec.GetString("privacy") == model.PrivacyConfidential,
		Created:         rec.GetDateTime("created").Time(),
		HubTrackingID:   rec.GetString("hub_tracking_id"),
		LaporTrackingID: rec.GetString("lapor_tracking_id"),
		Rated:           rec.GetInt("rating") > 0,
		Timeline:        []PublicEvent{},
		record:          rec,
	}
	// What a code holder reads (hooks/domain/privacy): the text unless the
	// report is confidential, the verifier's public version when there is
	// one, masked either way.
	cs, holder := privacy.Case{Privacy: rec.GetString("privacy"), Status: status}, privacy.Viewer{Role: privacy.CodeHolder}
	readsText := privacy.May(holder, cs, privacy.Text)
	if readsText {
		v.Title = privacy.PublicText(rec.GetString("title"), rec.GetString("public_title"))
		v.Body = privacy.PublicText(rec.GetString("body"), rec.GetString("public_body"))
	}
	if o := rec.GetString("office"); o != "" && o != rec.GetString("origin_office") {
		name := rec.GetString("office_name")
		if name == "" {
			name = o
		}
		v.HandledBy = &OfficeRef{Code: o, Name: name}
	}
	if due := rec.GetDateTime("due_at").Time(); !due.IsZero() {
		v.DueAt = &due
	}
	if c, err := app.FindRecordById(model.Categories, rec.GetString("category")); err == nil {
		v.Category = CategoryRef{Code: c.GetString("code"), Name: c.GetString("name"), NameEN: c.GetString("name_en")}
	}
	var evs []struct {
		At   string `db:"at"`
		Kind string `db:"kind"`
		To   string `db:"to_status"`
		Note string `db:"note"`
		// Overruled: a move another office made in the same window as one
		// nearer the top, whose state stood instead (docs/sync-protocol.md
		// §5): its words stay, the status it names never held.
		Overruled bool `db:"overruled"`
	}
	err := app.DB().Select("at", "kind", "to_status", "note",
		"COALESCE(json_extract(data, '$.sync_conflict'), '') != '' AS overruled").From(model.ComplaintEvents).
		Where(dbx.HashExp{"complaint": rec.Id, "public": true}).OrderBy("seq").Limit(500).All(&evs)
	if err != nil {
		return nil, fmt.Errorf("intake: timeline: %w", err)
	}
	for _, ev := range evs {
		at, _ := time.Parse(time.RFC3339Nano, ev.At)
		pe := PublicEvent{At: at, Kind: ev.Kind, Status: ev.To, StatusLabel: officialLabel(ev.To)}
		if ev.Overruled {
			pe.Status, pe.StatusLabel = "", ""
		}
		if readsText {
			pe.Note = privacy.Mask(ev.Note)
		}
		v.Timeline = append(v.Timeline, pe)
	}
	return v, nil
}

// officialLabel is status's SP4N-LAPOR! label (Indonesian, as the tracking
// API has always answered); "" for a code that is not a status.
func officialLabel(status string) string {
	if !vocab.Has("status." + status) {
		return ""
	}
	return vocab.Status(vocab.ID, status)
}
