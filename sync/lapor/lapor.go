// Package lapor is the adapter to the national SP4N-LAPOR! system behind
// the same upstream.Parent interface as a parent Simpul: the top node of a
// tree pushes its outbox to it, and each pass delivers what LAPOR! lacks
// and pulls what LAPOR! disposed to this agency.
//
// LAPOR!'s current integration API is documented only to registered agency
// developers, so nothing about it is hard-coded: the endpoint and the token
// are configuration (SIMPUL_LAPOR_URL, SIMPUL_LAPOR_TOKEN, read by
// hooks/platform/config), and the name of every field, the value tables,
// the body encoding, where the token goes and every later call (look-up,
// follow-up, status, closing, the data-access list) are an editable mapping
// (the sync_state row "lapor_mapping"). docs/lapor-adapter.md says exactly
// what travels.
//
// The whole case travels: the report once it is verified (or at receipt,
// if the mapping says so), then its follow-ups, status changes and closing,
// each through its own optional call. The adapter keeps, per complaint,
// what LAPOR! has (lapor_reports): its tracking id, the last follow-up and
// status it received. Push only records which complaints changed; Pull
// delivers what each lacks, oldest first, and then pulls the reports
// LAPOR! disposed to this agency into the verification queue.
//
// Delivery never makes a second report: a report whose answer did not
// arrive (a time-out, a 5xx, a cut connection, an answer without a
// tracking id) is looked up by our reference before it is created again,
// and without a look-up call it waits for staff instead. An answer LAPOR!
// does not confirm is retried with backoff (per report, on the app's
// clock); only a definite refusal is final, shown on /staf/sinkron where
// staff fix it and resend. The reporter's identity never travels.
package lapor

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
)

// ParentName is how the sync summary and the sync page name this parent.
const ParentName = "SP4N-LAPOR!"

// DefaultTimeout bounds one request to LAPOR!.
const DefaultTimeout = 30 * time.Second

// maxIDLen is the width of complaints.lapor_tracking_id.
const maxIDLen = 64

// Config is where and as whom to call (hooks/platform/config reads it from
// SIMPUL_LAPOR_URL and SIMPUL_LAPOR_TOKEN or SIMPUL_LAPOR_TOKEN_FILE).
type Config struct {
	URL     string        // the full URL reports are posted to; later calls go to paths on its host
	Token   string        // the agency's access token
	Timeout time.Duration // per request; 0 means DefaultTimeout
}

// Adapter carries complaints to LAPOR! and back. It implements
// upstream.Parent.
type Adapter struct {
	app    core.App
	cfg    Config
	Client *http.Client
	// MaxPerPass bounds the complaints one pass delivers (the rest wait
	// for the next pass, oldest first).
	MaxPerPass int
}

// New returns an adapter for app. Its client does not follow redirects: a
// redirected POST would arrive as a GET, so a redirect is reported as a
// wrong SIMPUL_LAPOR_URL instead.
func New(app core.App, cfg Config) *Adapter {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Adapter{app: app, cfg: cfg, MaxPerPass: 500, Client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Push records which complaints the changes concern, so that the pass's
// delivery (Pull) brings LAPOR! up to date with each; it makes no request.
// Every change is acknowledged once it is recorded: from then on the
// adapter, not the outbox, owes LAPOR! the change. A push that is sent
// again records nothing new.
func (a *Adapter) Push(ctx context.Context, req protocol.PushRequest) (protocol.PushResponse, error) {
	res := protocol.PushResponse{V: protocol.Version, Acks: make([]protocol.Ack, 0, len(req.Changes))}
	ids := make([]string, 0, len(req.Changes))
	for _, ch := range req.Changes {
		ids = append(ids, ch.Complaint.ID)
	}
	if err := markDue(a.app, ids); err != nil {
		return res, err
	}
	for _, ch := range req.Changes {
		res.Acks = append(res.Acks, protocol.Ack{UID: ch.Event.UID, Result: protocol.AckOK})
	}
	return res, nil
}

// Pull delivers what LAPOR! lacks of every complaint that is due, then
// pulls the reports LAPOR! disposed to this agency (when the mapping has a
// pull call). A failure that is about LAPOR! or the link (no connection, a
// 5xx, a wrong token or URL) ends the pass with its error, so the syncer
// retries later with its backoff; a report's own trouble waits for that
// report's own backoff or for staff.
func (a *Adapter) Pull(ctx context.Context, cursor int64, limit int) (protocol.PullResponse, error) {
	res := protocol.PullResponse{V: protocol.Version, Items: []protocol.PullItem{}, NextCursor: cursor}
	m, err := LoadMapping(a.app)
	if err != nil {
		return res, err
	}
	known, err := LedgerKnown(a.app)
	if err != nil {
		return res, err
	}
	if err := a.deliver(ctx, m, known); err != nil {
		return res, err
	}
	// Not before the ledger is known: the reports LAPOR! disposed to a hub
	// that lost its disk come back from its children, and a pull now would
	// take them in again as new cases.
	if m.Pull.Configured() && known {
		if _, err := a.pullDisposed(ctx, m); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Hint names what an office should check for a stored sync error from this
// adapter: "token", "url", "mapping", or "" when the generic kind says it
// (sync/upstream.ErrorKind). The sync page words it.
func Hint(msg string) string {
	switch {
	case strings.Contains(msg, "SIMPUL_LAPOR_TOKEN"):
		return "token"
	case strings.Contains(msg, "SIMPUL_LAPOR_URL"):
		return "url"
	case strings.Contains(msg, MappingKey):
		return "mapping"
	}
	return ""
}

// eligible reports whether complaint c is to be on LAPOR! by now: once
// verified (disposed, or handed up as not this office's authority), or at
// receipt when the mapping says so — never an archived report.
func eligible(m Mapping, c *core.Record) bool {
	status := c.GetString("status")
	if status == model.StatusDiarsipkan {
		return false
	}
	if m.SendOn == SendCreated {
		return true
	}
	switch status {
	case model.StatusTerdisposisi, model.StatusProses, model.StatusSelesai, model.StatusBukanWewenang:
		return true
	}
	return c.GetString("disposed_at") != ""
}
