package cases

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/intake"
	"simpul/hooks/platform/clock"
	"simpul/hooks/websec"
)

// A walk-in who lost the receipt gets a new PIN at the counter, never the
// old one (a reprint prints no PIN): the clerk checks the KTP and types
// the NIK (or, for a report that has none, the name) from it; when it
// matches the report's reporter, a new receipt token — and with it a new
// PIN — replaces the old, which stops working together with the old
// receipt link, and the access log records who did it. An anonymous report
// has no reporter to check, so it cannot get a new PIN.

// Errors of ReissuePIN.
var (
	ErrReissueNotFound  = errors.New("cases: no report with that code")
	ErrReissueAnonymous = errors.New("cases: an anonymous report has no reporter to check")
	ErrReissueMismatch  = errors.New("cases: the ID card does not match the report's reporter")
	ErrReissueLocked    = errors.New("cases: too many mismatches for this report, try again later")
	ErrReissueRole      = errors.New("cases: only the front desk, coordinators and admins issue PINs")
)

// Mismatches allowed per report per window: a clerk mistypes; a clerk
// guessing who reported gets nowhere.
const (
	maxReissueMismatches = 5
	reissueWindow        = 15 * time.Minute
)

func reissueGuard(app core.App) *websec.Guesses {
	return app.Store().GetOrSet("simpul.cases.reissue", func() any {
		return websec.NewGuesses(reissueWindow, maxPINKeys, maxReissueMismatches)
	}).(*websec.Guesses)
}

// Reissued is a new PIN, to be shown once.
type Reissued struct {
	Complaint *core.Record
	PIN       string
	Token     string // the new receipt token (its receipt URL)
}

// ReissuePIN checks the reporter's KTP (nik, or name when the report has no
// NIK) against the report with code and, when they match, gives it a new
// receipt token and PIN. The check reserves its slot before it compares
// (like every guessing limit).
func ReissuePIN(app core.App, actor Actor, code, nik, name string) (*Reissued, error) {
	switch actor.Role {
	case model.RoleFrontdesk, model.RoleCoordinator, model.RoleAdmin:
	default:
		return nil, ErrReissueRole
	}
	norm, err := trackcode.Normalize(code)
	if err != nil {
		return nil, ErrReissueNotFound
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", norm)
	if err != nil {
		return nil, ErrReissueNotFound
	}
	storedNIK, storedName := rec.GetString("reporter_nik"), rec.GetString("reporter_name")
	if rec.GetString("privacy") == model.PrivacyAnonymous || (storedNIK == "" && storedName == "") {
		return nil, ErrReissueAnonymous
	}
	guess, _ := reissueGuard(app).Reserve(clock.Now(app), rec.Id)
	if guess == nil {
		return nil, ErrReissueLocked
	}
	if !sameReporter(storedNIK, storedName, nik, name) {
		return nil, ErrReissueMismatch // the slot stays counted
	}
	guess.Release()
	token := intake.NewReceiptToken()
	pin := intake.PIN(token)
	rec.Set("receipt_token", token)
	rec.Set("pin_hash", intake.PINHash(pin))
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return err
		}
		detail := "name"
		if storedNIK != "" {
			detail = "nik"
		}
		return events.LogAccess(tx, events.Access{Action: events.AccessPINReissued, ComplaintID: rec.Id,
			ActorID: actor.ID, ActorName: actor.Name, ActorRole: actor.Role,
			Reason: "KTP diperiksa di loket; PIN lama tidak berlaku lagi", Detail: detail})
	})
	if err != nil {
		return nil, fmt.Errorf("cases: reissue PIN: %w", err)
	}
	return &Reissued{Complaint: rec, PIN: pin, Token: token}, nil
}

// sameReporter compares what the clerk read off the KTP with the report:
// the NIK when the report has one, else the name (case, spaces and
// punctuation aside).
func sameReporter(storedNIK, storedName, nik, name string) bool {
	if storedNIK != "" {
		return strings.TrimSpace(nik) == storedNIK
	}
	a, b := foldName(storedName), foldName(name)
	return a != "" && a == b
}

func foldName(s string) string {
	var b strings.Builder
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '.' || r == ',' || r == '\'' || r == '-' }) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(f))
	}
	return b.String()
}
