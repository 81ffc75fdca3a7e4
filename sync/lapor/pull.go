package lapor

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/sla"
)

// pullSinceKey is the sync_state row with the day of the last pull that
// succeeded (sent as the pull call's "since").
const pullSinceKey = "lapor_pull_since"

// maxPulled bounds the reports one pull takes in.
const maxPulled = 500

// fallbackCategory receives a pulled report whose topic no category maps.
const fallbackCategory = "LAIN"

// pullDisposed asks LAPOR!'s data access for the reports it disposed to
// this agency and puts each one this office does not hold yet (by LAPOR!'s
// tracking id) into the verification queue: status baru, channel "lapor",
// LAPOR!'s id on it, the verification clock running from now. The data
// access carries no reporter identity; none is stored. It returns how many
// came in.
func (a *Adapter) pullDisposed(ctx context.Context, m Mapping) (int, error) {
	values := map[string]string{}
	var since string
	if err := a.app.DB().Select("value").From(model.SyncState).Where(dbx.HashExp{"key": pullSinceKey}).Row(&since); err == nil {
		var day string
		if json.Unmarshal([]byte(since), &day) == nil && day != "" {
			if t, err := time.Parse(time.DateOnly, day); err == nil {
				values[CallSince] = t.Format(m.DateFormat)
			}
		}
	}
	started := clock.Now(a.app).In(sla.Zone(a.app)).Format(time.DateOnly)
	res := a.call(ctx, m, m.Pull.Method, m.Pull.Path, named(m.Pull.Call, values))
	if res.kind != answered {
		return 0, fmt.Errorf("lapor: pull: %w", res.err)
	}
	list := listOf(res.answer, m.Pull.ListField)
	n := 0
	for i, item := range list {
		if i >= maxPulled {
			break
		}
		obj, ok := item.(map[string]any)
		if !ok {
			continue
		}
		made, err := a.takeIn(m, obj)
		if err != nil {
			return n, err
		}
		if made {
			n++
		}
	}
	if len(list) <= maxPulled {
		// Next time, ask from today (the same day again: LAPOR!'s
		// "since" may be inclusive; what is held already is skipped).
		b, _ := json.Marshal(started)
		_, err := a.app.DB().NewQuery(`INSERT INTO sync_state (id, key, value, created, updated)
			VALUES ({:id}, {:k}, {:v}, {:now}, {:now})
			ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated = excluded.updated`).
			Bind(dbx.Params{"id": model.NewID(), "k": pullSinceKey, "v": string(b), "now": dt(clock.Now(a.app))}).Execute()
		if err != nil {
			return n, fmt.Errorf("lapor: pull state: %w", err)
		}
	}
	if n > 0 {
		a.app.Logger().Info("lapor_reports_pulled", "count", n)
	}
	return n, nil
}

// listOf finds the list of reports in the answer: under key at the top
// level, or under "data" (as a list or as an object holding key).
func listOf(answer map[string]any, key string) []any {
	if l, ok := answer[key].([]any); ok {
		return l
	}
	if d, ok := answer["data"].(map[string]any); ok {
		if l, ok := d[key].([]any); ok {
			return l
		}
	}
	if l, ok := answer["data"].([]any); ok {
		return l
	}
	return nil
}

// takeIn stores one pulled report as a new complaint, unless this office
// holds it already. It reports whether it made one.
func (a *Adapter) takeIn(m Mapping, item map[string]any) (bool, error) {
	get := func(key string) string {
		name := m.Pull.Report[key]
		if name == "" {
			return ""
		}
		v, _ := find(item, name)
		return scalar(v)
	}
	tid := get(CallTrackingID)
	if tid == "" || len(tid) > maxIDLen {
		return false, nil
	}
	var have int
	if err := a.app.DB().Select("count(*)").From(model.Complaints).
		Where(dbx.NewExp("lapor_tracking_id = {:t} AND lapor_tracking_id != ''", dbx.Params{"t": tid})).Row(&have); err != nil {
		return false, fmt.Errorf("lapor: pulled report: %w", err)
	}
	if have > 0 {
		return false, nil
	}
	title := cut(get(FieldTitle), 200)
	body := cut(get(FieldContent), 10000)
	if title == "" {
		title = "Laporan SP4N-LAPOR! " + tid
	}
	if body == "" {
		body = title
	}
	catID, err := a.categoryForTopic(get(FieldTopic))
	if err != nil {
		return false, err
	}
	typ := model.TypePengaduan
	if v := get(FieldType); v != "" {
		for ours, theirs := range m.Types {
			if theirs == v {
				typ = ours
			}
		}
	}
	privacy := model.PrivacyPublic
	if v := get(FieldAnonymous); v != "" && (v == m.FlagTrue || v == "true") {
		privacy = model.PrivacyAnonymous
	}
	now := clock.Now(a.app)
	verifyDue, completionDue, err := sla.InitialDue(a.app, now)
	if err != nil {
		return false, fmt.Errorf("lapor: deadlines: %w", err)
	}
	err = a.app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(model.Complaints)
		if err != nil {
			return err
		}
		c := core.NewRecord(col)
		c.Id = model.NewID()
		code, err := freeCode(tx)
		if err != nil {
			return err
		}
		c.Set("tracking_code", code)
		c.Set("type", typ)
		c.Set("title", title)
		c.Set("body", body)
		c.Set("category", catID)
		c.Set("privacy", privacy)
		c.Set("status", model.StatusBaru)
		c.Set("channel", model.ChannelLapor)
		c.Set("location", cut(get(FieldLocation), 500))
		if d := get(FieldDate); d != "" {
			if t, err := time.Parse(m.DateFormat, d); err == nil {
				c.Set("incident_date", t.Format(time.DateOnly)+" 00:00:00.000Z")
			}
		}
		c.Set("lapor_tracking_id", tid)
		c.Set("authority", "local")
		c.Set("version", 1)
		c.Set("verify_due_at", verifyDue)
		c.Set("due_at", verifyDue)
		if !completionDue.IsZero() {
			c.Set("completion_due_at", completionDue)
		}
		if err := tx.Save(c); err != nil {
			return fmt.Errorf("lapor: pulled report %s: %w", tid, err)
		}
		// From above: not queued back up. Its later events are.
		if _, err := events.Append(tx, c, events.Event{Kind: model.EventCreated, ActorType: "node", ActorName: ParentName,
			To: model.StatusBaru, Public: true, Origin: EventOrigin, At: now, FromUpstream: true,
			Data: map[string]any{"channel": model.ChannelLapor, TrackingIDKey: tid}}); err != nil {
			return err
		}
		rc, err := tx.FindCachedCollectionByNameOrId(Reports)
		if err != nil {
			return err
		}
		r := core.NewRecord(rc)
		r.Set("complaint", c.Id)
		r.Set("lapor_id", tid)
		r.Set("state", StateWaiting)
		r.Set("origin", OriginLapor)
		return tx.Save(r)
	})
	if err != nil {
		return false, err
	}
	return true, nil
}

// categoryForTopic is the category whose lapor_topic_id is topic, else
// the fallback category.
func (a *Adapter) categoryForTopic(topic string) (string, error) {
	var id string
	if topic != "" {
		err := a.app.DB().Select("id").From(model.Categories).
			Where(dbx.NewExp("lapor_topic_id = {:t} AND lapor_topic_id != ''", dbx.Params{"t": topic})).Limit(1).Row(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("lapor: category: %w", err)
		}
	}
	if err := a.app.DB().Select("id").From(model.Categories).Where(dbx.HashExp{"code": fallbackCategory}).Row(&id); err != nil {
		return "", fmt.Errorf("lapor: no category for topic %q and no %s: %w", topic, fallbackCategory, err)
	}
	return id, nil
}

// freeCode is a tracking code no complaint has.
func freeCode(app core.App) (string, error) {
	for range 5 {
		code := trackcode.New()
		var n int
		if err := app.DB().Select("count(*)").From(model.Complaints).Where(dbx.HashExp{"tracking_code": code}).Row(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return code, nil
		}
	}
	return "", errors.New("lapor: no free tracking code")
}

// cut shortens s to n characters and trims it.
func cut(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	return s
}
