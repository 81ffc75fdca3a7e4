package cases

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"golang.org/x/crypto/bcrypt"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
	"simpul/hooks/websec"
)

// PINMatches tells whether pin matches a complaint's pin_hash, in constant
// time: "sha256:<hex>" as intake.PINHash writes it, or bcrypt ("$2…"). A
// variable only so that a test can make the comparison slow
// (TestPINGuessesAtOnce); nothing else sets it.
var PINMatches = func(pinHash, pin string) bool {
	switch {
	case pinHash == "" || pin == "":
		return false
	case strings.HasPrefix(pinHash, "$2"):
		return bcrypt.CompareHashAndPassword([]byte(pinHash), []byte(pin)) == nil
	case strings.HasPrefix(pinHash, "sha256:"):
		sum := sha256.Sum256([]byte(pin))
		return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(strings.TrimPrefix(pinHash, "sha256:"))) == 1
	}
	return false
}

// Reporter errors the tracking page shows.
var (
	ErrBadPIN      = errors.New("cases: wrong tracking code or PIN")
	ErrPINLocked   = errors.New("cases: too many wrong PINs, try again later")
	ErrClosed      = errors.New("cases: the report is closed to replies")
	ErrNotSelesai  = errors.New("cases: only a completed report can be rated")
	ErrRated       = errors.New("cases: the report has already been rated")
	ErrBadRating   = errors.New("cases: a rating is a whole number from 1 to 5")
	ErrBadReply    = errors.New("cases: a reply needs 1 to 2000 characters")
	ErrNotFoundPIN = errors.New("cases: report not found")
	// ErrCodesLimited: the client has spent its budget of unknown
	// tracking codes (websec.CodeLookups).
	ErrCodesLimited = errors.New("cases: too many unknown tracking codes, try again later")
)

// Guessing limits: a 6-digit PIN must not be brute-forced through the
// tracking code, and one machine must not spread its guesses over many
// codes it has collected (receipts photographed, a leaked list).
const (
	maxPINFailures        = 5  // per tracking code per pinLockout
	maxAddressPINFailures = 20 // per client address (IPv6: /64) per pinLockout
	pinLockout            = 15 * time.Minute
	maxReply              = 2000
)

// pinsFor counts wrong PINs per tracking code (count 0) and per client
// address (count 1) in a sliding window. A guess reserves its slot before
// the PIN is compared and gives it back when the PIN is right, so guesses
// sent at once never get more than the limit checked. Only codes that
// exist are counted here: a made-up code has no PIN to guess, and spends
// from the unknown-code budget instead (websec.CodeLookups).
//
// One guard per app (app.Store), like the login guard.
func pinsFor(app core.App) *websec.Guesses {
	return app.Store().GetOrSet(pinsKey, func() any {
		return websec.NewGuesses(pinLockout, maxPINKeys, maxPINFailures, maxAddressPINFailures)
	}).(*websec.Guesses)
}

const pinsKey = "simpul.cases.pins"

// maxPINKeys bounds each count's memory.
const maxPINKeys = 10_000

// Proof is how a reporter proves a report is theirs: the tracking code and
// the PIN printed on the receipt. Address is the client's address, which
// the guessing limit counts.
type Proof struct {
	Code, PIN, Address string
}

// reporterComplaint finds a complaint by code and checks the PIN.
func reporterComplaint(app core.App, p Proof, now time.Time) (*core.Record, error) {
	code, err := trackcode.Normalize(p.Code)
	if err != nil {
		return nil, ErrNotFoundPIN
	}
	addr := ""
	if p.Address != "" {
		addr = websec.AddressKey(p.Address)
	}
	guess, _ := pinsFor(app).Reserve(now, code, addr)
	if guess == nil {
		return nil, ErrPINLocked
	}
	lookup, _ := websec.CodeLookups(app).Reserve(p.Address, 1)
	if lookup == nil {
		guess.Release()
		return nil, ErrCodesLimited
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		// No PIN to guess, so nothing for the PIN guard to count (the
		// unknown code stays spent). The answer is the same as a wrong PIN.
		guess.Release()
		return nil, ErrBadPIN
	}
	lookup.Found(1)
	if !PINMatches(rec.GetString("pin_hash"), strings.TrimSpace(p.PIN)) {
		return nil, ErrBadPIN // the reserved slot stays counted
	}
	guess.Release()
	return rec, nil
}

var reporterActor = Actor{Role: lifecycle.RoleReporter, Name: "Pelapor"}

// Reply adds the reporter's reply, proven by the receipt PIN: while
// tertunda it sends the report back to verification with the clock
// running again; while proses it stops auto-close (staff owe an answer);
// on a selesai report it reopens proses. It returns the complaint after
// the reply. While proses and on a reopen, staff owe the next follow-up
// within the policy's reopen_followup_days. For the tracking page (ui) and
// the JSON route.
func Reply(app core.App, proof Proof, message string) (*core.Record, error) {
	now := clock.Now(app)
	message = strings.TrimSpace(message)
	if message == "" || utf8.RuneCountInString(message) > maxReply {
		return nil, ErrBadReply
	}
	rec, err := reporterComplaint(app, proof, now)
	if err != nil {
		return nil, err
	}
	status := rec.GetString("status")
	if status == model.StatusDiarsipkan || status == model.StatusBukanWewenang {
		return nil, ErrClosed
	}
	err = app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			return err
		}
		rec = c
		actor := reporterActor
		actor.Origin = officeCodeOf(tx)
		// A confidential report's words stay off the public tracking page.
		if _, err := events.Append(tx, c, events.Event{Kind: model.EventReply, ActorType: "reporter", ActorName: "Pelapor",
			Note: message, Public: c.GetString("privacy") == model.PrivacyPublic, Origin: actor.Origin, At: now}); err != nil {
			return err
		}
		return ReplyEffect(tx, c, actor.Origin, now)
	})
	if err != nil {
		return nil, fmt.Errorf("cases: reply: %w", err)
	}
	return rec, nil
}

// ReplyEffect is what a reporter's reply made at now does to the case,
// inside the caller's transaction (the reply's event is the caller's):
// while tertunda it sends the case back to verification, on a selesai case
// it reopens proses, while proses it stops auto-close and staff owe the
// next follow-up. Reply calls it where the reporter replies (the office of
// intake); a hub calls it for a reply that reached it in the same window
// as a change the origin had not seen, so that the reporter's act is not
// lost to a state the reporter never saw (docs/sync-protocol.md §5).
// origin is the office code the moves are stamped with.
func ReplyEffect(tx core.App, c *core.Record, origin string, now time.Time) error {
	actor := reporterActor
	actor.Origin = origin
	setTime(c, "last_reply_at", now)
	switch c.GetString("status") {
	case model.StatusTertunda:
		return Transition(tx, c, actor, Request{To: model.StatusBaru, At: now})
	case model.StatusSelesai:
		return Transition(tx, c, actor, Request{To: model.StatusProses, At: now})
	case model.StatusProses:
		// An answer to a follow-up: staff owe the next one.
		cal, err := sla.CalendarFor(tx)
		if err != nil {
			return fmt.Errorf("cases: calendar: %w", err)
		}
		p, err := sla.PolicyFor(tx)
		if err != nil {
			return fmt.Errorf("cases: policy: %w", err)
		}
		oweFollowup(cal, p, c, now)
	}
	return tx.Save(c)
}

// Rate records the reporter's 1–5 rating of a completed report, once.
func Rate(app core.App, proof Proof, rating int, comment string) (*core.Record, error) {
	now := clock.Now(app)
	comment = strings.TrimSpace(comment)
	if rating < 1 || rating > 5 {
		return nil, ErrBadRating
	}
	if utf8.RuneCountInString(comment) > maxReply {
		return nil, ErrBadReply
	}
	rec, err := reporterComplaint(app, proof, now)
	if err != nil {
		return nil, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			return err
		}
		rec = c
		if c.GetString("status") != model.StatusSelesai {
			return ErrNotSelesai
		}
		if c.GetInt("rating") != 0 {
			return ErrRated
		}
		c.Set("rating", rating)
		if err := tx.Save(c); err != nil {
			return err
		}
		_, err = events.Append(tx, c, events.Event{Kind: model.EventRating, ActorType: "reporter", ActorName: "Pelapor",
			Note: comment, Data: map[string]any{"rating": rating}, Public: c.GetString("privacy") == model.PrivacyPublic,
			Origin: officeCodeOf(tx), At: now})
		return err
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

func officeCodeOf(app core.App) string {
	o, _ := settings.OfficeOf(app)
	return o.Code
}

// reporterError maps reporter errors to PocketBase errors; nil for an
// unexpected one.
func reporterError(err error) error {
	switch {
	case errors.Is(err, ErrBadPIN), errors.Is(err, ErrNotFoundPIN):
		return router.NewApiError(http.StatusForbidden, "Kode laporan atau PIN salah. — Wrong tracking code or PIN.",
			map[string]router.SafeErrorItem{"pin": fieldErr{"bad_pin", "Kode laporan atau PIN salah. — Wrong tracking code or PIN."}})
	case errors.Is(err, ErrPINLocked):
		return router.NewTooManyRequestsError("Terlalu banyak PIN salah; coba lagi 15 menit lagi. — Too many wrong PINs; try again in 15 minutes.", nil)
	case errors.Is(err, ErrCodesLimited):
		return router.NewTooManyRequestsError(websec.LookupLimitedMessage, nil)
	case errors.Is(err, ErrClosed):
		return badField("status", "closed", "Laporan ini sudah ditutup dan tidak menerima tanggapan.", "This report is closed to replies.")
	case errors.Is(err, ErrNotSelesai):
		return badField("status", "not_completed", "Penilaian hanya untuk laporan yang selesai.", "Only a completed report can be rated.")
	case errors.Is(err, ErrRated):
		return router.NewApiError(http.StatusConflict, "Laporan ini sudah dinilai. — This report has already been rated.", nil)
	case errors.Is(err, ErrBadRating):
		return badField("rating", "bad_rating", "Nilai harus 1 sampai 5.", "A rating is 1 to 5.")
	case errors.Is(err, ErrBadReply):
		return badField("message", "bad_message", "Tanggapan harus 1–2000 karakter.", "A reply needs 1–2000 characters.")
	}
	return nil
}

// limitedRetry sets Retry-After on a guessing limit's 429: the whole
// window, an upper bound of the wait.
func limitedRetry(e *core.RequestEvent, err error) {
	switch {
	case errors.Is(err, ErrPINLocked):
		e.Response.Header().Set("Retry-After", websec.RetryAfter(pinLockout))
	case errors.Is(err, ErrCodesLimited):
		e.Response.Header().Set("Retry-After", websec.RetryAfter(websec.UnknownCodeWindow))
	}
}

func (h *handlers) reply(e *core.RequestEvent) error {
	var body struct {
		PIN     string `json:"pin"`
		Message string `json:"message"`
	}
	if err := readJSON(e, &body); err != nil {
		return err
	}
	rec, err := Reply(h.app, Proof{Code: e.Request.PathValue("code"), PIN: body.PIN, Address: e.RealIP()}, body.Message)
	if err != nil {
		if ae := reporterError(err); ae != nil {
			limitedRetry(e, err)
			return ae
		}
		h.app.Logger().Error("cases: reply failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"tracking_code": rec.GetString("tracking_code"), "status": rec.GetString("status")})
}

func (h *handlers) rate(e *core.RequestEvent) error {
	var body struct {
		PIN     string `json:"pin"`
		Rating  int    `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := readJSON(e, &body); err != nil {
		return err
	}
	rec, err := Rate(h.app, Proof{Code: e.Request.PathValue("code"), PIN: body.PIN, Address: e.RealIP()}, body.Rating, body.Comment)
	if err != nil {
		if ae := reporterError(err); ae != nil {
			limitedRetry(e, err)
			return ae
		}
		h.app.Logger().Error("cases: rating failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"tracking_code": rec.GetString("tracking_code"), "rating": rec.GetInt("rating")})
}
