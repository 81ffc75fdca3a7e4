package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	gosync "sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/links"
	"simpul/hooks/platform/config"
)

// SMS gateway: when SIMPUL_SMS_WEBHOOK_URL is set, each public step of a
// complaint whose reporter left a phone number is POSTed there as JSON
// {"to": "+62…", "message": "…", "tracking_code": "…"}, with
// "Authorization: Bearer $SIMPUL_SMS_WEBHOOK_TOKEN" when that is set. Any
// 2xx answer counts as sent. Documented in docs/bench-cases.md and the
// operator guide.
const (
	envSMSWebhook = "SIMPUL_SMS_WEBHOOK_URL"
	envSMSToken   = "SIMPUL_SMS_WEBHOOK_TOKEN"
)

// notifier sends reporter notices after a step has committed. Sending runs
// in the background so a slow mail server never holds a staff request;
// wait lets tests (and shutdown) see the sends finish.
type notifier struct {
	app    core.App
	cfg    config.Config
	client *http.Client
	wg     gosync.WaitGroup
}

func newNotifier(app core.App, cfg config.Config) *notifier {
	n := &notifier{app: app, cfg: cfg, client: &http.Client{Timeout: 10 * time.Second}}
	app.Store().Set(notifierKey, n)
	return n
}

const notifierKey = "simpul.cases.notifier"

// notifierFor returns the app's notifier (nil before Register).
func notifierFor(app core.App) *notifier {
	n, _ := app.Store().Get(notifierKey).(*notifier)
	return n
}

func (n *notifier) wait() { n.wg.Wait() }

// step tells the reporter about the public step of c that has just
// committed: its status (or, for a follow-up, the unit's answer) and where
// to track it. Anonymous reporters are never contacted: they left no way
// to be. No caller hands it a note: the note told is the one on the
// step's public timeline event (publicStepNote), so a note the policy
// keeps internal (privacy.NoteIsPublic: a disposition's instruction to the
// unit) cannot reach the reporter on any path (review item 3).
func (n *notifier) step(c *core.Record) {
	if n == nil || c.GetString("privacy") == model.PrivacyAnonymous {
		return
	}
	status, publicNote := c.GetString("status"), publicStepNote(n.app, c.Id)
	email, phone := c.GetString("reporter_email"), c.GetString("reporter_phone")
	if email == "" && phone == "" {
		return
	}
	code := c.GetString("tracking_code")
	label := status
	if vocab.Has("notice.status." + status) {
		label = vocab.T(vocab.ID, "notice.status."+status)
	}
	if status == model.StatusBukanWewenang && !n.cfg.Linked() {
		label = vocab.T(vocab.ID, "notice.status.bw.unlinked")
	}
	// A notice answers no request: with no public base URL configured it
	// names the tracking page and code instead of a link.
	base := links.Configured(n.app)
	var b strings.Builder
	fmt.Fprintf(&b, "Laporan %s: status kini %s.", code, label)
	if note := strings.TrimSpace(publicNote); note != "" {
		if r := []rune(note); len(r) > 300 {
			note = string(r[:300]) + "…"
		}
		fmt.Fprintf(&b, " Catatan petugas: %s", note)
	}
	if base != "" {
		fmt.Fprintf(&b, " Lacak: %s/lacak/%s", base, code)
	} else {
		fmt.Fprintf(&b, " Lacak di halaman Lacak laporan dengan kode %s.", code)
	}
	text := b.String()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		if email != "" {
			n.sendMail(email, "Perkembangan laporan "+code, text)
		}
		if phone != "" {
			n.sendSMS(phone, code, text)
		}
	}()
}

func (n *notifier) sendMail(to, subject, text string) {
	s := n.app.Settings()
	if !s.SMTP.Enabled {
		return
	}
	msg := &mailer.Message{
		From:    mail.Address{Name: s.Meta.SenderName, Address: s.Meta.SenderAddress},
		To:      []mail.Address{{Address: to}},
		Subject: subject,
		Text:    text,
		HTML:    "<p>" + html.EscapeString(text) + "</p>",
	}
	if err := n.app.NewMailClient().Send(msg); err != nil {
		n.app.Logger().Warn("cases: reporter notice e-mail failed", "error", redactErr(err))
	}
}

func (n *notifier) sendSMS(phone, code, text string) {
	url := os.Getenv(envSMSWebhook)
	if url == "" {
		return
	}
	body, _ := json.Marshal(map[string]string{"to": phone, "message": text, "tracking_code": code})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		n.app.Logger().Warn("cases: sms webhook url invalid", "error", redactErr(err))
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if tok := os.Getenv(envSMSToken); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := n.client.Do(req)
	if err != nil {
		n.app.Logger().Warn("cases: sms webhook failed", "error", redactErr(err))
		return
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		n.app.Logger().Warn("cases: sms webhook refused", "status", resp.StatusCode)
	}
}

var (
	emailLike  = regexp.MustCompile(`[^\s<>"'@:,;]+@[^\s<>"',;]+`)
	numberLike = regexp.MustCompile(`\+?\d[\d .-]{6,}\d`)
)

// redactErr is a delivery failure as it may be logged: an SMTP server's
// refusal usually quotes the recipient's address, and a failed webhook
// call its URL, which may carry the provider's key. Addresses, phone-like
// numbers and the URL go; what went wrong stays.
func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return numberLike.ReplaceAllString(emailLike.ReplaceAllString(err.Error(), "[e-mail]"), "[number]")
}

// NotifyStep tells the reporter about the public step of c that has just
// committed (the staff desk calls it after its transaction; the JSON
// routes and the jobs do the same). What it tells is read from the
// public timeline, never passed in.
func NotifyStep(app core.App, c *core.Record) {
	notifierFor(app).step(c)
}

// publicStepNote is what the reporter may read of the complaint's latest
// step: the notes of its public timeline events (transitions and
// follow-ups) written at the instant of the latest one. A step may write
// more than one (a follow-up on a disposed case, then the move to proses
// at the same instant); notes not on the public timeline are never read.
// Empty when there is none.
func publicStepNote(app core.App, complaintID string) string {
	var rows []struct {
		At   string `db:"at"`
		Note string `db:"note"`
	}
	err := app.DB().Select("at", "note").From(model.ComplaintEvents).
		Where(dbx.HashExp{"complaint": complaintID, "public": true}).
		AndWhere(dbx.In("kind", model.EventTransition, model.EventFollowUp)).
		OrderBy("seq DESC").Limit(5).All(&rows)
	if err != nil || len(rows) == 0 {
		return ""
	}
	var notes []string
	for _, r := range rows {
		if r.At != rows[0].At {
			break
		}
		if n := strings.TrimSpace(r.Note); n != "" {
			notes = append([]string{n}, notes...)
		}
	}
	return strings.Join(notes, "\n")
}
