package cases

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/privacy"
	"simpul/hooks/events"
)

// Errors of RevealIdentity.
var (
	ErrRevealForbidden = errors.New("cases: this role may not know the reporter of this report")
	ErrRevealReason    = errors.New("cases: a reason of 5 to 500 characters is needed")
)

// RevealIdentity shows a confidential reporter's identity to actor, on
// purpose: the reading is logged first (who, when, why), and only then is
// the identity returned; a log that cannot be written reveals nothing. For
// a report that is not confidential it is what View shows anyway, and
// nothing is logged. The caller has checked that actor sees the case.
func RevealIdentity(app core.App, actor Actor, c *core.Record, reason string) (map[string]any, error) {
	viewer, cs := actor.Viewer(), CaseOf(c)
	if !privacy.InScope(viewer, cs) || !privacy.May(viewer, cs, privacy.Identity) {
		return nil, ErrRevealForbidden
	}
	if !privacy.Reveal(cs, privacy.Identity) {
		return reporterOf(viewer, cs, c), nil
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 5 || n > 500 {
		return nil, ErrRevealReason
	}
	err := events.LogAccess(app, events.Access{Action: events.AccessIdentityRead, ComplaintID: c.Id, ActorID: actor.ID,
		ActorName: actor.Name, ActorRole: actor.Role, Reason: reason, Detail: "identity"})
	if err != nil {
		return nil, fmt.Errorf("cases: reveal: %w", err)
	}
	return reporterOf(viewer, cs, c), nil
}

// revealIdentity is POST /api/staff/complaints/{code}/identity with
// {"reason": "…"}: a confidential reporter's identity, for coordinators
// and admins, logged.
func (h *handlers) revealIdentity(e *core.RequestEvent) error {
	actor, err := h.staffActor(e)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if err := readJSON(e, &body); err != nil {
		return err
	}
	rec, err := h.visibleCase(e, actor)
	if err != nil {
		return err
	}
	rep, err := RevealIdentity(h.app, actor, rec, body.Reason)
	switch {
	case errors.Is(err, ErrRevealForbidden):
		return e.ForbiddenError("Identitas pelapor laporan ini bukan untuk peran Anda. — This reporter's identity is not for your role.", nil)
	case errors.Is(err, ErrRevealReason):
		return badField("reason", "reason_required", "Tuliskan alasan membuka identitas (5–500 karakter).",
			"Give the reason for opening the identity (5–500 characters).")
	case err != nil:
		h.app.Logger().Error("cases: reveal failed", "complaint_id", rec.Id, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{"tracking_code": rec.GetString("tracking_code"), "reporter": rep})
}
