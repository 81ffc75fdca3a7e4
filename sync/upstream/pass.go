package upstream

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/sync/apply"
	"simpul/sync/protocol"
)

// sync_state keys.
const (
	stateCursor = "pull_cursor"
	stateStatus = "status"
)

// MaxBackoff caps the wait after consecutive failures.
const MaxBackoff = time.Hour

// Summary is the JSON a pass prints ("simpul sync run", POST /api/sync/run)
// and the figures the sync page shows.
type Summary struct {
	Parent      string `json:"parent"`
	Pushed      int    `json:"pushed"`
	Duplicates  int    `json:"duplicates"`
	Rejected    int    `json:"rejected"`
	Pulled      int    `json:"pulled"`
	Pending     int    `json:"pending"`
	RejectedAll int    `json:"rejected_total"`
	OK          bool   `json:"ok"`
	Error       string `json:"error,omitempty"`
	LastSuccess string `json:"last_success,omitempty"`
	LastError   string `json:"last_error,omitempty"`
	// LastErrorKind names the last error in plain terms for people
	// (see ErrorKind); the sync page translates it.
	LastErrorKind string `json:"last_error_kind,omitempty"`
	Failures      int    `json:"consecutive_failures"`
	NextRun       string `json:"next_run,omitempty"`
	DurationMS    int64  `json:"duration_ms"`
	// Waiting says what the parent holds back until an operator acts
	// (SP4N-LAPOR!'s ledger on a new or refilled hub: "simpul sync
	// lapor-ready"); empty when nothing waits.
	Waiting string `json:"waiting,omitempty"`
}

// waiter is a parent that can hold changes back until an operator acts.
type waiter interface {
	Waiting() string
}

// status is what survives between passes and processes (sync_state).
type status struct {
	LastSuccess string `json:"last_success,omitempty"`
	LastError   string `json:"last_error,omitempty"`
	LastErrorAt string `json:"last_error_at,omitempty"`
	ErrorKind   string `json:"last_error_kind,omitempty"`
	Failures    int    `json:"failures"`
	NextRun     string `json:"next_run,omitempty"`
}

// Syncer runs passes against one parent. Passes never overlap (mu).
type Syncer struct {
	app      core.App
	parent   Parent
	name     string
	Interval time.Duration
	Batch    int // changes per push
	PullPage int
	Jitter   func(max time.Duration) time.Duration
	// IDField is the complaints column that records the parent's id from
	// acknowledgements: hub_tracking_id for a Simpul parent,
	// lapor_tracking_id for the LAPOR! adapter.
	IDField string

	mu    sync.Mutex // one pass at a time
	sched gocron.Scheduler
}

// NewSyncer returns a syncer for app and parent (name is shown to people).
func NewSyncer(app core.App, parent Parent, name string, interval time.Duration) *Syncer {
	return &Syncer{
		app: app, parent: parent, name: name, Interval: interval,
		Batch: 200, PullPage: 500, IDField: "hub_tracking_id",
		Jitter: func(max time.Duration) time.Duration {
			if max <= 0 {
				return 0
			}
			return rand.N(max)
		},
	}
}

// Due reports whether the backoff after failures allows a pass now.
func (s *Syncer) Due() bool {
	st := s.loadStatus()
	if st.Failures == 0 || st.NextRun == "" {
		return true
	}
	next, err := time.Parse(time.RFC3339Nano, st.NextRun)
	return err != nil || !clock.Now(s.app).Before(next)
}

// Tick is the scheduled job: a pass when due.
func (s *Syncer) Tick(ctx context.Context) {
	if !s.Due() {
		return
	}
	sum, err := s.Pass(ctx)
	if err != nil {
		s.app.Logger().Warn("sync_pass_failed", "pushed", sum.Pushed, "pulled", sum.Pulled,
			"pending", sum.Pending, "failures", sum.Failures, "error", err.Error())
		return
	}
	if sum.Pushed+sum.Pulled+sum.Rejected > 0 {
		s.app.Logger().Info("sync_pass", "pushed", sum.Pushed, "duplicates", sum.Duplicates,
			"rejected", sum.Rejected, "pulled", sum.Pulled, "pending", sum.Pending)
	}
}

// Pass pushes the outbox until it is empty, then pulls until the parent
// has nothing more. It returns the summary and the pass's error, if any;
// the summary is valid either way.
func (s *Syncer) Pass(ctx context.Context) (Summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := clock.Now(s.app)
	sum := Summary{Parent: s.name}
	_, err := outbox.QueueUnsent(s.app, start)
	if err == nil {
		err = s.push(ctx, &sum)
	}
	if err == nil {
		err = s.pull(ctx, &sum)
	}
	st := s.loadStatus()
	if err != nil {
		st.Failures++
		st.LastError, st.ErrorKind = err.Error(), ErrorKindOf(err)
		st.LastErrorAt = clock.Now(s.app).UTC().Format(time.RFC3339)
		st.NextRun = clock.Now(s.app).Add(s.backoff(st.Failures)).UTC().Format(time.RFC3339Nano)
	} else {
		st.Failures = 0
		st.LastSuccess = clock.Now(s.app).UTC().Format(time.RFC3339)
		st.NextRun = clock.Now(s.app).Add(s.Interval).UTC().Format(time.RFC3339Nano)
	}
	s.saveStatus(st)
	sum.OK = err == nil
	if err != nil {
		sum.Error = err.Error()
	}
	sum.LastSuccess, sum.LastError, sum.Failures, sum.NextRun = st.LastSuccess, st.LastError, st.Failures, st.NextRun
	sum.LastErrorKind = st.kind()
	sum.Pending, sum.RejectedAll = Counts(s.app)
	if w, ok := s.parent.(waiter); ok {
		sum.Waiting = w.Waiting()
	}
	sum.DurationMS = clock.Now(s.app).Sub(start).Milliseconds()
	return sum, err
}

// backoff is the wait after n consecutive failures: exponential from the
// interval, capped, with jitter so that many nodes coming back after an
// outage do not hit the parent in step.
func (s *Syncer) backoff(n int) time.Duration {
	d := s.Interval
	for i := 1; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, MaxBackoff)
	// Half fixed, half random ("equal jitter"): never less than half the
	// backoff, so a dead parent is not hammered.
	return d/2 + s.Jitter(d/2)
}

// Status returns the persisted figures without running a pass.
func (s *Syncer) Status() Summary {
	st := s.loadStatus()
	sum := Summary{Parent: s.name, LastSuccess: st.LastSuccess, LastError: st.LastError,
		Failures: st.Failures, NextRun: st.NextRun, OK: st.Failures == 0, LastErrorKind: st.kind()}
	sum.Pending, sum.RejectedAll = Counts(s.app)
	return sum
}

func (s *Syncer) push(ctx context.Context, sum *Summary) error {
	for {
		rows, err := outbox.Pending(s.app, s.Batch)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		changes, err := BuildChanges(s.app, rows)
		if err != nil {
			return err
		}
		uids := make([]string, len(rows))
		for i, r := range rows {
			uids[i] = r.UID
		}
		res, err := s.parent.Push(ctx, protocol.PushRequest{V: protocol.Version, Changes: changes})
		if err != nil {
			// Not acknowledged: the rows stay pending and are sent again;
			// the parent applies each uid once however often it arrives.
			if aerr := outbox.Attempted(s.app, uids, err.Error()); aerr != nil {
				s.app.Logger().Warn("sync_attempt_not_recorded", "error", aerr.Error())
			}
			return err
		}
		if err := s.settle(rows, res, sum); err != nil {
			return err
		}
	}
}

// settle marks acknowledged rows in one transaction and records the hub's
// id on complaints that do not have it yet.
func (s *Syncer) settle(rows []outbox.Row, res protocol.PushResponse, sum *Summary) error {
	want := make(map[string]outbox.Row, len(rows))
	for _, r := range rows {
		want[r.UID] = r
	}
	var sent []string
	rejected := map[string]string{}
	hubIDs := map[string]string{}
	revs := map[string]int64{}
	for _, a := range res.Acks {
		r, ok := want[a.UID]
		if !ok {
			continue // not ours: ignore rather than trust
		}
		delete(want, a.UID)
		switch a.Result {
		case protocol.AckOK:
			sum.Pushed++
			sent = append(sent, a.UID)
		case protocol.AckDup:
			sum.Duplicates++
			sent = append(sent, a.UID)
		case protocol.AckRejected:
			sum.Rejected++
			rejected[a.UID] = a.Error
		default:
			continue
		}
		if a.HubID != "" && r.Complaint != "" {
			hubIDs[r.Complaint] = a.HubID
		}
		if a.Rev > 0 && r.Complaint != "" {
			revs[r.Complaint] = a.Rev
		}
	}
	err := s.app.RunInTransaction(func(tx core.App) error {
		if err := outbox.Settle(tx, sent, rejected, clock.Now(s.app)); err != nil {
			return err
		}
		for comp, hid := range hubIDs {
			// IDField is one of two constants set in code, never input.
			if _, err := tx.DB().NewQuery(`UPDATE complaints SET ` + s.IDField + ` = {:h}
				WHERE id = {:id} AND ` + s.IDField + ` = ''`).Bind(dbx.Params{"h": hid, "id": comp}).Execute(); err != nil {
				return fmt.Errorf("upstream: hub id: %w", err)
			}
		}
		for comp, rev := range revs {
			// The parent's revision of the case, now that it holds our state.
			if _, err := tx.DB().NewQuery(`UPDATE complaints SET parent_rev = {:r} WHERE id = {:id}`).
				Bind(dbx.Params{"r": rev, "id": comp}).Execute(); err != nil {
				return fmt.Errorf("upstream: parent revision: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upstream: settle: %w", err)
	}
	if len(want) > 0 {
		// The parent skipped some changes: stop this pass rather than loop.
		return fmt.Errorf("upstream: parent acknowledged %d of %d changes", len(rows)-len(want), len(rows))
	}
	return nil
}

func (s *Syncer) pull(ctx context.Context, sum *Summary) error {
	for {
		cursor, err := s.cursor()
		if err != nil {
			return err
		}
		res, err := s.parent.Pull(ctx, cursor, s.PullPage)
		if err != nil {
			return err
		}
		n, err := ApplyPulled(s.app, res)
		if err != nil {
			return err
		}
		sum.Pulled += n
		if !res.More || res.NextCursor <= cursor {
			return nil
		}
	}
}

func (s *Syncer) cursor() (int64, error) {
	var raw string
	err := s.app.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": stateCursor}).Row(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("upstream: cursor: %w", err)
	}
	var c int64
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return 0, fmt.Errorf("upstream: cursor value: %w", err)
	}
	return c, nil
}

// ApplyPulled applies one pull page and stores its cursor in the same
// transaction, so a crash re-pulls at most this page and events already
// present are skipped by uid. The parent is authoritative: its state of a
// case is applied whenever its revision differs from the one this node
// last saw (docs/sync-protocol.md §6). A case routed here arrives whole,
// with its history. It returns how many events it applied.
func ApplyPulled(app core.App, res protocol.PullResponse) (int, error) {
	applied := 0
	var news apply.News
	err := app.RunInTransaction(func(tx core.App) error {
		applied = 0
		news.Reset()
		ap, err := apply.New(tx)
		if err != nil {
			return err
		}
		defer ap.Close()
		cs := apply.NewCases(tx)
		defer cs.Close()
		local := apply.LocalOffice(tx)
		for _, it := range res.Items {
			comp, err := tx.FindFirstRecordByData(model.Complaints, "tracking_code", it.TC)
			if err != nil && it.Complaint != nil {
				comp, err = cs.Create(*it.Complaint, it.State, local, nil)
				if err != nil {
					return fmt.Errorf("upstream: routed case: %w", err)
				}
				news.Created(comp.Id)
			}
			if err != nil {
				// The parent names a case this node does not have: skip it
				// (logged by uid only) rather than block the feed.
				app.Logger().Warn("sync_pull_unknown_complaint", "uid", it.Event.UID)
				continue
			}
			for _, ev := range append(it.History, it.Event) {
				dup, err := ap.Exists(ev.UID)
				if err != nil {
					return err
				}
				if dup {
					continue
				}
				if err := ap.Event(comp, ev, apply.Options{FromUpstream: true}); err != nil {
					return err
				}
				news.Changed(comp.Id)
				applied++
			}
			if it.State.Rev != int64(comp.GetInt("parent_rev")) {
				if err := apply.ApplyState(tx, comp, it.State, local, apply.StateOptions{
					RevBy: apply.RevByParent, ParentRev: it.State.Rev}); err != nil {
					return err
				}
				news.Changed(comp.Id)
				if err := markAuthority(tx, comp); err != nil {
					return err
				}
			}
		}
		return setState(tx, stateCursor, res.NextCursor)
	})
	if err != nil {
		return 0, fmt.Errorf("upstream: apply pull: %w", err)
	}
	news.Fire(app) // an open desk hears of what was routed here or moved
	return applied, nil
}

// markAuthority records that the parent acted on the case.
func markAuthority(tx core.App, c *core.Record) error {
	if c.GetString("authority") == apply.AuthorityUpstream {
		return nil
	}
	_, err := tx.DB().Update(model.Complaints, dbx.Params{"authority": apply.AuthorityUpstream}, dbx.HashExp{"id": c.Id}).Execute()
	if err != nil {
		return fmt.Errorf("upstream: authority: %w", err)
	}
	c.Set("authority", apply.AuthorityUpstream)
	return nil
}

func setState(app core.App, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("upstream: state %s: %w", key, err)
	}
	now := clock.Now(app).UTC().Format("2006-01-02 15:04:05.000Z")
	_, err = app.DB().NewQuery(`INSERT INTO sync_state (key, value, created, updated) VALUES ({:k}, {:v}, {:now}, {:now})
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated = excluded.updated`).
		Bind(dbx.Params{"k": key, "v": string(b), "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("upstream: state %s: %w", key, err)
	}
	return nil
}

func (s *Syncer) loadStatus() status {
	var raw string
	var st status
	if err := s.app.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": stateStatus}).Row(&raw); err == nil {
		_ = json.Unmarshal([]byte(raw), &st)
	}
	return st
}

func (s *Syncer) saveStatus(st status) {
	if err := setState(s.app, stateStatus, st); err != nil {
		s.app.Logger().Warn("sync_status_save_failed", "error", err.Error())
	}
}

// BuildChanges turns outbox rows into wire changes: the immutable event
// row, the case's state as it is now and, when the parent may not have the
// case (it has acknowledged no state of it yet, or the change is an edit),
// the case itself on the first change of it in the batch. No reporter
// identity is read.
func BuildChanges(app core.App, rows []outbox.Row) ([]protocol.Change, error) {
	uids := make([]any, len(rows))
	compIDs := make([]string, 0, len(rows))
	for i, r := range rows {
		uids[i] = r.UID
		compIDs = append(compIDs, r.Complaint)
	}
	evs, err := app.FindAllRecords(model.ComplaintEvents, dbx.In("uid", uids...))
	if err != nil {
		return nil, fmt.Errorf("upstream: load events: %w", err)
	}
	byUID := make(map[string]*core.Record, len(evs))
	for _, e := range evs {
		byUID[e.GetString("uid")] = e
	}
	comps, err := app.FindRecordsByIds(model.Complaints, compIDs)
	if err != nil {
		return nil, fmt.Errorf("upstream: load complaints: %w", err)
	}
	byID := make(map[string]*core.Record, len(comps))
	catIDs := map[string]bool{}
	for _, c := range comps {
		byID[c.Id] = c
		catIDs[c.GetString("category")] = true
	}
	catCodes := map[string]string{}
	for id := range catIDs {
		var code string
		if err := app.DB().Select("code").From(model.Categories).Where(dbx.HashExp{"id": id}).Row(&code); err == nil {
			catCodes[id] = code
		}
	}
	local := apply.LocalOffice(app)
	units := apply.UnitNames(app)
	states := map[string]protocol.State{}
	whole := map[string]bool{} // cases already sent whole in this batch
	out := make([]protocol.Change, 0, len(rows))
	for _, r := range rows {
		ev, c := byUID[r.UID], byID[r.Complaint]
		if ev == nil || c == nil {
			return nil, fmt.Errorf("upstream: outbox row %s has no event or complaint", r.UID)
		}
		st, ok := states[c.Id]
		if !ok {
			st = apply.StateOf(app, c, local)
			st.Base = int64(c.GetInt("parent_rev"))
			states[c.Id] = st
		}
		full := (c.GetInt("parent_rev") == 0 && !whole[c.Id]) || ev.GetString("kind") == model.EventEdit
		whole[c.Id] = whole[c.Id] || full
		out = append(out, protocol.Change{Event: apply.ToWire(ev, units), TC: c.GetString("tracking_code"), State: st,
			Full: full, Complaint: apply.Snapshot(c, catCodes[c.GetString("category")])})
	}
	return out, nil
}

// Kinds of sync error, for people (Summary.LastErrorKind).
const (
	ErrKindUnreachable = "unreachable" // no connection, DNS, reset, timeout
	ErrKindAuth        = "auth"        // the parent refused our credentials
	ErrKindBusy        = "busy"        // rate limited
	ErrKindParent      = "parent"      // the parent failed (5xx)
	ErrKindRefused     = "refused"     // the parent refused the data (4xx)
	ErrKindOther       = "other"
)

// kind is the kind of the last error: as classified when it happened, or
// from its text for a state saved before kinds were.
func (st status) kind() string {
	if st.ErrorKind != "" || st.LastError == "" {
		return st.ErrorKind
	}
	return errorKindOfText(st.LastError)
}

// ErrorKindOf classifies a failed pass: by the parent's answer
// (*StatusError, found with errors.As) or the network error; the text is
// read only for parents that return plain errors (the LAPOR! adapter).
func ErrorKindOf(err error) string {
	var se *StatusError
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		switch {
		case se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden:
			return ErrKindAuth
		case se.Code == http.StatusTooManyRequests:
			return ErrKindBusy
		case se.Code == http.StatusRequestTimeout:
			return ErrKindUnreachable
		case se.Code >= 500:
			return ErrKindParent
		}
		return ErrKindRefused
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.As(err, &ne):
		return ErrKindUnreachable
	}
	return errorKindOfText(err.Error())
}

// errorKindOfText classifies an error by its message, so the sync page can
// say in plain words what is wrong and what to do.
func errorKindOfText(msg string) string {
	switch {
	case msg == "":
		return ""
	case strings.Contains(msg, "answered 401"), strings.Contains(msg, "answered 403"),
		strings.Contains(msg, "not signed with this node's key"):
		return ErrKindAuth
	case strings.Contains(msg, "answered 429"):
		return ErrKindBusy
	case strings.Contains(msg, "answered 5"):
		return ErrKindParent
	case strings.Contains(msg, "answered 4"):
		return ErrKindRefused
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"),
		strings.Contains(msg, "timeout"), strings.Contains(msg, "deadline exceeded"),
		strings.Contains(msg, "EOF"), strings.Contains(msg, "reset"), strings.Contains(msg, "unreachable"):
		return ErrKindUnreachable
	}
	return ErrKindOther
}

// Counts returns the pending and rejected outbox counts, for the sync page
// and every summary. A count that fails is logged and shown as 0: the
// figures must not make a pass or the page fail.
func Counts(app core.App) (pending, rejected int) {
	var err1, err2 error
	pending, err1 = outbox.Count(app, model.OutboxPending)
	rejected, err2 = outbox.Count(app, outbox.StatusRejected)
	if err := errors.Join(err1, err2); err != nil {
		app.Logger().Warn("sync_count_failed", "error", err.Error())
	}
	return pending, rejected
}
