package lapor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
)

// Reports is the collection holding, per complaint, what LAPOR! has of it
// (migrations/1763843000_lapor_reports.go).
const Reports = "lapor_reports"

// States of a lapor_reports row.
const (
	StateWaiting = "waiting" // LAPOR! has all it should have (or the report is not due to go yet)
	StateDue     = "due"     // something is to be delivered, at next_at or now
	StateHeld    = "held"    // staff must act (held_reason): nothing is sent until they resend
)

// Why a report is held.
const (
	HeldRefused = "refused" // LAPOR! (or the mapping) refused it for good
	// HeldUnconfirmed: a report was sent, its answer never came, and there
	// is no look-up call to learn whether LAPOR! stored it. Staff check on
	// LAPOR! (our tracking code is the reference), then link its id or
	// resend.
	HeldUnconfirmed = "unconfirmed"
)

// Origins of a report.
const (
	OriginLocal = "local" // received here (or below) and sent up
	OriginLapor = "lapor" // pulled from LAPOR!'s data access
)

// Retry waits after unconfirmed answers: doubling from RetryBase, at most
// RetryMax.
const (
	RetryBase = 5 * time.Minute
	RetryMax  = 6 * time.Hour
)

// retryAfter is the wait after the n-th unconfirmed attempt in a row.
func retryAfter(n int) time.Duration {
	d := RetryBase
	for i := 1; i < n && d < RetryMax; i++ {
		d *= 2
	}
	return min(d, RetryMax)
}

func dt(t time.Time) string {
	d, _ := types.ParseDateTime(t.UTC())
	return d.String()
}

// markDue records that complaints changed: a new row is due now, a row
// waiting becomes due (keeping a backoff already running), a held one
// stays held.
//
// A new row is unsure (what LAPOR! holds of the complaint is not known
// here) when the node's ledger is not known (LedgerKnown) or the complaint
// already carries a LAPOR! id that no row of this ledger recorded: a hub
// refilled from its children, or restored.
func markDue(app core.App, complaintIDs []string) error {
	if len(complaintIDs) == 0 {
		return nil
	}
	known, err := LedgerKnown(app)
	if err != nil {
		return err
	}
	now := dt(clock.Now(app))
	return app.RunInTransaction(func(tx core.App) error {
		seen := map[string]bool{}
		for _, id := range complaintIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			_, err := tx.DB().NewQuery(`INSERT INTO ` + Reports + ` (id, complaint, lapor_id, state, held_reason, create_tried,
				followup_seq, sent_status, attempts, next_at, last_error, origin, unsure, created, updated)
				SELECT {:rid}, c.id, c.lapor_tracking_id, {:due}, '', 0, 0, '', 0, '', '', {:origin},
				c.lapor_tracking_id != '' OR NOT {:known}, {:now}, {:now}
				FROM complaints c WHERE c.id = {:c}
				ON CONFLICT(complaint) DO UPDATE SET state = CASE WHEN state = {:held} THEN state ELSE {:due} END,
				updated = excluded.updated`).
				Bind(dbx.Params{"rid": model.NewID(), "c": id, "due": StateDue, "held": StateHeld, "origin": OriginLocal, "known": known, "now": now}).Execute()
			if err != nil {
				return fmt.Errorf("lapor: mark %s due: %w", id, err)
			}
		}
		return nil
	})
}

// deliver brings LAPOR! up to date with every due complaint whose time has
// come, oldest first, until none is left, MaxPerPass is reached or a
// systemic failure stops the pass (returned).
func (a *Adapter) deliver(ctx context.Context, m Mapping, known bool) error {
	done := map[string]bool{}
	for len(done) < a.MaxPerPass {
		now := dt(clock.Now(a.app))
		var ids []string
		err := a.app.DB().Select("id").From(Reports).
			Where(dbx.NewExp("state = {:due} AND (next_at = '' OR next_at <= {:now})", dbx.Params{"due": StateDue, "now": now})).
			OrderBy("attempts", "next_at", "updated").Limit(100).Column(&ids)
		if err != nil {
			return fmt.Errorf("lapor: due reports: %w", err)
		}
		progress := false
		for _, id := range ids {
			if done[id] || len(done) >= a.MaxPerPass {
				continue
			}
			done[id] = true
			progress = true
			if err := a.reconcile(ctx, m, id, known); err != nil {
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		if !progress {
			return nil
		}
	}
	return nil
}

// reconcile sends complaint row id's missing pieces to LAPOR!: the report
// (looked up first when an earlier attempt may have stored it), the
// follow-ups LAPOR! has not had, then the status or the closing. Each piece
// is recorded as soon as LAPOR! confirms it, and what LAPOR! confirmed of
// the later calls is written on the timeline (recordSent) so that it
// travels down the tree. It returns only a systemic error; everything
// about this one report is recorded on its row.
//
// An unsure row (what LAPOR! holds is not known here) on a node whose
// ledger is known takes what LAPOR! holds from that evidence and looks its
// report up before creating it. On a node whose ledger is not known yet
// (known false) it only creates a report after a look-up found none — then
// LAPOR! holds exactly what this node sends — and otherwise waits, with
// no request, until "simpul sync lapor-ready" (ConfirmLedger).
func (a *Adapter) reconcile(ctx context.Context, m Mapping, id string, known bool) (err error) {
	r, err := a.app.FindRecordById(Reports, id)
	if err != nil {
		return fmt.Errorf("lapor: report row %s: %w", id, err)
	}
	c, err := a.app.FindRecordById(model.Complaints, r.GetString("complaint"))
	if err != nil {
		// The complaint is gone (it cannot be deleted; a restore from an
		// older backup could): nothing to deliver.
		r.Set("state", StateWaiting)
		return a.saveRow(r)
	}
	had, status, err := a.evidence(c)
	if err != nil {
		return err
	}
	if r.GetBool("unsure") && known {
		r.Set("sent_status", status)
		if r.GetString("lapor_id") == "" && m.Lookup.Configured() {
			r.Set("create_tried", true)
		}
		r.Set("unsure", false)
	}
	// What LAPOR! confirms in this round, written down however the round
	// ends.
	var sent []string
	statusTold := false
	defer func() {
		if e := a.recordSent(c, sent, r.GetString("sent_status"), statusTold); e != nil && err == nil {
			err = e
		}
	}()
	if r.GetString("lapor_id") == "" {
		if !eligible(m, c) {
			r.Set("state", StateWaiting)
			return a.saveRow(r)
		}
		if r.GetBool("unsure") {
			if !m.Lookup.Configured() {
				return a.wait(r)
			}
			r.Set("create_tried", true)
		}
		before := r.GetString("sent_status")
		ok, err := a.send(ctx, m, r, c)
		statusTold = r.GetString("sent_status") != before
		if err != nil || !ok {
			return err
		}
	}
	if r.GetBool("unsure") {
		return a.wait(r)
	}
	if ok, err := a.followups(ctx, m, r, c, had, &sent); err != nil || !ok {
		return err
	}
	ok, made, err := a.status(ctx, m, r, c)
	statusTold = statusTold || made
	if err != nil || !ok {
		return err
	}
	r.Set("state", StateWaiting)
	r.Set("attempts", 0)
	r.Set("next_at", "")
	r.Set("last_error", "")
	return a.saveRow(r)
}

// wait parks an unsure row, without a request, until the ledger is
// confirmed; the sync page counts it.
func (a *Adapter) wait(r *core.Record) error {
	r.Set("state", StateWaiting)
	r.Set("next_at", "")
	r.Set("last_error", waitingNote)
	return a.saveRow(r)
}

// send creates the report, or finds the one an unanswered attempt made.
// It returns whether the report is on LAPOR! now.
func (a *Adapter) send(ctx context.Context, m Mapping, r, c *core.Record) (bool, error) {
	ref := c.GetString("tracking_code")
	if r.GetBool("create_tried") {
		if !m.Lookup.Configured() {
			return false, a.hold(r, HeldUnconfirmed, "LAPOR! did not confirm the report and no look-up call is mapped: "+
				"check on LAPOR! for reference "+ref+", then link its tracking id or resend")
		}
		res := a.call(ctx, m, m.Lookup.Method, pathWith(m.Lookup.Path, "", ref), named(m.Lookup, map[string]string{CallReference: ref}))
		switch {
		case res.kind == answered:
			if tid := lookup(res.answer, m.TrackingField); tid != "" {
				return a.found(r, c, tid, "found by reference "+ref)
			}
			// Not there: it was never stored; create it below.
		case res.systemic():
			// A 404 included: "not found" must be an answer, never a
			// missing page, or a wrong path would make duplicates.
			return false, a.retry(r, res.err, true)
		default:
			return false, a.hold(r, HeldRefused, "look-up refused: "+res.err.Error())
		}
	}
	fields, refusal := a.report(m, c)
	if refusal != "" {
		return false, a.hold(r, HeldRefused, refusal)
	}
	// Before the request, not after: if the answer is lost, the next
	// attempt must look first.
	r.Set("create_tried", true)
	if err := a.saveRow(r); err != nil {
		return false, err
	}
	res := a.call(ctx, m, http.MethodPost, "", fields)
	switch res.kind {
	case answered:
		tid := lookup(res.answer, m.TrackingField)
		if tid == "" || len(tid) > maxIDLen {
			why := fmt.Sprintf("LAPOR! answered %d without a %s", res.status, m.TrackingField)
			if tid != "" {
				why = fmt.Sprintf("LAPOR! answered a %s longer than %d characters", m.TrackingField, maxIDLen)
			}
			if msg := lookup(res.answer, m.MessageField); msg != "" {
				why += ": " + clip(msg, 200)
			}
			// Unconfirmed, about this report: its own backoff.
			return false, a.retry(r, errors.New(why), false)
		}
		a.app.Logger().Info("lapor_report_sent", "tracking_code", c.GetString("tracking_code"),
			"lapor_tracking_id", tid, "lapor_transaction_id", lookup(res.answer, m.TransactionField))
		if m.Fields[FieldStatus] != "" && m.Statuses[c.GetString("status")] != "" {
			r.Set("sent_status", c.GetString("status"))
		}
		return a.found(r, c, tid, "")
	case notSent:
		r.Set("create_tried", false) // it never arrived: a plain retry cannot double it
		return false, a.retry(r, res.err, true)
	case refused:
		r.Set("create_tried", false)
		a.app.Logger().Warn("lapor_report_refused", "tracking_code", c.GetString("tracking_code"), "http_status", res.status)
		return false, a.hold(r, HeldRefused, res.err.Error())
	case misconfigured:
		if res.status == 401 || res.status == 403 || res.status == 404 || res.status == 405 || (res.status >= 300 && res.status < 400) {
			r.Set("create_tried", false) // refused at the door: nothing stored
		}
		return false, a.retry(r, res.err, true)
	}
	return false, a.retry(r, res.err, true)
}

// found records LAPOR!'s tracking id of the report (on the row and on the
// complaint) and a timeline event that carries it down the tree to the
// office of origin, whose tracking page shows it. The event is not queued
// upward: it came from above.
func (a *Adapter) found(r, c *core.Record, tid, how string) (bool, error) {
	err := a.app.RunInTransaction(func(tx core.App) error {
		if err := recordID(tx, c, tid); err != nil {
			return err
		}
		r.Set("lapor_id", tid)
		r.Set("create_tried", false)
		if how == "" {
			// Created here after no look-up found it: LAPOR! holds
			// exactly what this ledger sends from now on.
			r.Set("unsure", false)
		}
		return tx.Save(r)
	})
	if err != nil {
		a.app.Logger().Error("lapor_tracking_id_not_saved", "tracking_code", c.GetString("tracking_code"), "lapor_tracking_id", tid)
		return false, fmt.Errorf("lapor: save tracking id: %w", err)
	}
	if how != "" {
		a.app.Logger().Info("lapor_report_found", "tracking_code", c.GetString("tracking_code"), "lapor_tracking_id", tid)
	}
	return true, nil
}

// recordID writes tid on complaint c (the first id wins) and appends the
// "sync" event that carries it down the tree, inside txApp's transaction.
func recordID(txApp core.App, c *core.Record, tid string) error {
	res, err := txApp.DB().NewQuery(`UPDATE complaints SET lapor_tracking_id = {:t} WHERE id = {:id} AND lapor_tracking_id = ''`).
		Bind(dbx.Params{"t": tid, "id": c.Id}).Execute()
	if err != nil {
		return fmt.Errorf("lapor: tracking id: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	c.Set("lapor_tracking_id", tid)
	_, err = events.Append(txApp, c, events.Event{Kind: model.EventSync, ActorType: "node", ActorName: ParentName,
		Data: map[string]any{TrackingIDKey: tid}, Origin: EventOrigin, At: clock.Now(txApp), FromUpstream: true})
	return err
}

// TrackingIDKey is the key of LAPOR!'s tracking id in a "sync" event's
// data; sync/apply copies it onto the complaint wherever the event
// arrives (down the tree).
const TrackingIDKey = "lapor_tracking_id"

// EventOrigin is the origin of the events the adapter writes.
const EventOrigin = "LAPOR"

// followups sends the public follow-ups LAPOR! has not had, in order. It
// returns whether all went (or there is no follow-up call: then they are
// settled here).
//
// A follow-up the timeline's evidence says LAPOR! holds (had) is not sent
// again; each one LAPOR! confirms now is added to sent.
func (a *Adapter) followups(ctx context.Context, m Mapping, r, c *core.Record, had map[string]bool, sent *[]string) (bool, error) {
	var evs []struct {
		Seq  int    `db:"seq"`
		UID  string `db:"uid"`
		Note string `db:"note"`
		At   string `db:"at"`
	}
	err := a.app.DB().Select("seq", "uid", "note", "at").From(model.ComplaintEvents).
		Where(dbx.NewExp("complaint = {:c} AND kind = {:k} AND public = 1 AND seq > {:s}",
			dbx.Params{"c": c.Id, "k": model.EventFollowUp, "s": r.GetInt("followup_seq")})).
		OrderBy("seq").All(&evs)
	if err != nil {
		return false, fmt.Errorf("lapor: follow-ups: %w", err)
	}
	if len(evs) == 0 {
		return true, nil
	}
	if !m.Followup.Configured() {
		r.Set("followup_seq", evs[len(evs)-1].Seq)
		return true, nil
	}
	tid := r.GetString("lapor_id")
	for _, ev := range evs {
		if had[ev.UID] {
			r.Set("followup_seq", ev.Seq)
			continue
		}
		res := a.call(ctx, m, m.Followup.Method, pathWith(m.Followup.Path, tid, ev.UID), named(m.Followup, map[string]string{
			CallTrackingID: tid, CallReference: ev.UID, CallContent: ev.Note, CallDate: a.date(m, ev.At)}))
		if ok, err := a.settled(r, res, "follow-up"); !ok {
			return false, err
		}
		r.Set("followup_seq", ev.Seq)
		*sent = append(*sent, ev.UID)
		if err := a.saveRow(r); err != nil {
			return false, err
		}
	}
	return true, nil
}

// status tells LAPOR! the complaint's status when it differs from the last
// one it received: the closing through the close call when mapped, any
// status through the status call when it and the status have a value. It
// returns whether the status is settled, and whether LAPOR! confirmed a
// call that told it.
func (a *Adapter) status(ctx context.Context, m Mapping, r, c *core.Record) (bool, bool, error) {
	status, sent := c.GetString("status"), r.GetString("sent_status")
	if status == sent {
		return true, false, nil
	}
	tid := r.GetString("lapor_id")
	note, at, uid := a.lastMove(c, status)
	var res result
	made := false
	switch {
	case status == model.StatusSelesai && m.Close.Configured():
		res, made = a.call(ctx, m, m.Close.Method, pathWith(m.Close.Path, tid, c.GetString("tracking_code")), named(m.Close,
			map[string]string{CallTrackingID: tid, CallReference: uid, CallContent: note, CallDate: a.date(m, at)})), true
	case m.Status.Configured() && m.Statuses[status] != "" && m.Statuses[status] != m.Statuses[sent]:
		res, made = a.call(ctx, m, m.Status.Method, pathWith(m.Status.Path, tid, c.GetString("tracking_code")), named(m.Status,
			map[string]string{CallTrackingID: tid, CallReference: uid, CallStatus: m.Statuses[status], CallNote: note, CallDate: a.date(m, at)})), true
	}
	// Without a call that carries this status (or with the same value on
	// LAPOR!), it is settled here.
	if made {
		if ok, err := a.settled(r, res, "status"); !ok {
			return false, false, err
		}
	}
	r.Set("sent_status", status)
	return true, made, nil
}

// settled judges the answer to a later call: answered is done; a systemic
// failure stops the pass; a refusal holds the report for staff.
func (a *Adapter) settled(r *core.Record, res result, what string) (bool, error) {
	switch {
	case res.kind == answered:
		return true, nil
	case res.kind == refused:
		return false, a.hold(r, HeldRefused, what+": "+res.err.Error())
	default:
		return false, a.retry(r, res.err, res.systemic())
	}
}

// lastMove returns the public note, time and event uid of the complaint's
// last move to status.
func (a *Adapter) lastMove(c *core.Record, status string) (string, string, string) {
	var ev struct {
		Note string `db:"note"`
		At   string `db:"at"`
		UID  string `db:"uid"`
	}
	err := a.app.DB().Select("note", "at", "uid").From(model.ComplaintEvents).
		Where(dbx.NewExp("complaint = {:c} AND kind = {:k} AND to_status = {:s} AND public = 1",
			dbx.Params{"c": c.Id, "k": model.EventTransition, "s": status})).
		OrderBy("seq DESC").Limit(1).One(&ev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		a.app.Logger().Warn("lapor_last_move", "error", err.Error())
	}
	return ev.Note, ev.At, ev.UID
}

// date formats an event time (RFC 3339) as the mapping's dates.
func (a *Adapter) date(m Mapping, at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		t = clock.Now(a.app)
	}
	return t.In(sla.Zone(a.app)).Format(m.DateFormat)
}

// retry records a failed attempt. A cause about this report (an answer
// without a tracking id) makes it wait retryAfter(n) on the app's clock
// while the others go on. A systemic cause is returned to end the pass:
// the syncer's own backoff paces the next one, and the report is tried
// again then (after the reports that have not failed: deliver takes the
// fewest attempts first, so one report LAPOR! cannot take does not starve
// the rest).
func (a *Adapter) retry(r *core.Record, cause error, systemic bool) error {
	n := r.GetInt("attempts") + 1
	r.Set("state", StateDue)
	r.Set("attempts", n)
	r.Set("next_at", "")
	if !systemic {
		r.Set("next_at", dt(clock.Now(a.app).Add(retryAfter(n))))
	}
	r.Set("last_error", clip(cause.Error(), 500))
	if err := a.saveRow(r); err != nil {
		return err
	}
	if systemic {
		return cause
	}
	return nil
}

// hold stops the report until staff resend it (the sync page lists it with
// why).
func (a *Adapter) hold(r *core.Record, reason, why string) error {
	r.Set("state", StateHeld)
	r.Set("held_reason", reason)
	r.Set("next_at", "")
	r.Set("last_error", clip(why, 500))
	return a.saveRow(r)
}

func (a *Adapter) saveRow(r *core.Record) error {
	if err := a.app.Save(r); err != nil {
		return fmt.Errorf("lapor: save report row: %w", err)
	}
	return nil
}

// report returns the fields one complaint is sent with (without the
// token), or why the mapping cannot express it. Reporter identity is never
// among them: none of name, phone, e-mail, NIK, PIN or receipt token is
// read.
func (a *Adapter) report(m Mapping, c *core.Record) (map[string]string, string) {
	category := ""
	topic := m.DefaultTopic
	var cat struct {
		Code  string `db:"code"`
		Topic string `db:"lapor_topic_id"`
	}
	if err := a.app.DB().Select("code", "lapor_topic_id").From(model.Categories).
		Where(dbx.HashExp{"id": c.GetString("category")}).One(&cat); err == nil {
		category = cat.Code
		if t := strings.TrimSpace(cat.Topic); t != "" {
			topic = t
		}
	}
	if topic == "" && m.Fields[FieldTopic] != "" {
		return nil, fmt.Sprintf("category %s has no LAPOR! topic: set its lapor_topic_id (or default_topic in %s)", category, MappingKey)
	}
	typ := m.Types[c.GetString("type")]
	if typ == "" && m.Fields[FieldType] != "" {
		return nil, fmt.Sprintf("report type %s has no LAPOR! value in %s types", c.GetString("type"), MappingKey)
	}
	flag := func(b bool) string {
		if b {
			return m.FlagTrue
		}
		return m.FlagFalse
	}
	out := map[string]string{}
	set := func(key, v string) {
		if name := m.Fields[key]; name != "" {
			out[name] = v
		}
	}
	privacy := c.GetString("privacy")
	set(FieldTitle, c.GetString("title"))
	set(FieldContent, c.GetString("body"))
	set(FieldTopic, topic)
	set(FieldType, typ)
	set(FieldAnonymous, flag(privacy == model.PrivacyAnonymous))
	set(FieldSecret, flag(privacy == model.PrivacyConfidential))
	if d := c.GetDateTime("incident_date"); !d.IsZero() {
		set(FieldDate, d.Time().UTC().Format(m.DateFormat))
	}
	if l := c.GetString("location"); l != "" {
		set(FieldLocation, l)
	}
	// Our tracking code as the reference: how a report whose answer was
	// lost is found again (the look-up call), and how staff find it.
	set(FieldReference, c.GetString("tracking_code"))
	if s := m.Statuses[c.GetString("status")]; s != "" {
		set(FieldStatus, s)
	}
	if m.Fields[FieldUnit] != "" && c.GetString("unit") != "" {
		var u string
		if err := a.app.DB().Select("lapor_id").From(model.Units).Where(dbx.HashExp{"id": c.GetString("unit")}).Row(&u); err == nil && strings.TrimSpace(u) != "" {
			set(FieldUnit, strings.TrimSpace(u))
		}
	}
	return out, ""
}
