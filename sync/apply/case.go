package apply

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
)

// fallbackCategory receives cases whose category code this level does not
// know (offices may extend their trees).
const fallbackCategory = "LAIN"

// Snapshot is the case as it travels: never the reporter's name, phone,
// e-mail, NIK, PIN or receipt token, whatever the privacy tier
// (docs/sync-protocol.md §3).
func Snapshot(c *core.Record, categoryCode string) protocol.Complaint {
	s := protocol.Complaint{
		ID: c.Id, TrackingCode: c.GetString("tracking_code"), Type: c.GetString("type"),
		Title: c.GetString("title"), Body: c.GetString("body"), Category: categoryCode,
		Privacy: c.GetString("privacy"), Status: c.GetString("status"), Channel: c.GetString("channel"),
		Location: c.GetString("location"), Gender: c.GetString("reporter_gender"),
		Disability: c.GetBool("reporter_disability"), HubID: c.GetString("hub_tracking_id"),
		PublicTitle: c.GetString("public_title"), PublicBody: c.GetString("public_body"),
	}
	if d := c.GetDateTime("incident_date"); !d.IsZero() {
		s.IncidentDate = d.Time().UTC().Format("2006-01-02")
	}
	if d := c.GetDateTime("created"); !d.IsZero() {
		s.Created = d.Time().UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	return s
}

// Cases writes new copies of cases that arrived over sync, through one
// INSERT prepared on first use: preparing an INSERT on the complaints
// table (many indexes) costs several times executing it.
type Cases struct {
	tx         core.App
	insert     *dbx.Query
	codeTaken  *dbx.Query
	categories map[string]string // code → id
}

// NewCases prepares a writer of new cases on txApp.
func NewCases(txApp core.App) *Cases {
	return &Cases{tx: txApp, categories: map[string]string{},
		codeTaken: txApp.DB().NewQuery("SELECT count(*) FROM complaints WHERE tracking_code = {:c}").Prepare()}
}

// Close releases the prepared statements.
func (w *Cases) Close() {
	w.codeTaken.Close()
	if w.insert != nil {
		w.insert.Close()
	}
}

// Rejection is a case refused for what it carries (a taken tracking code,
// an invalid complaint, an unknown category with no fallback): the sender
// is told so and stops sending it. Any other error of Create is a fault
// here (a failed write) and must fail the whole batch, so that nothing of
// it stays and the sender sends it again (errors.As finds a Rejection).
type Rejection struct{ error }

func (r Rejection) Unwrap() error { return r.error }

// Create makes this level's copy of the case k with state st. set may
// fill more fields (origin_node, origin_id) before the record is
// validated as Save would and written. No reporter identity exists in k.
func (w *Cases) Create(k protocol.Complaint, st protocol.State, local Office, set func(c *core.Record)) (*core.Record, error) {
	catID, err := w.category(k.Category)
	if err != nil {
		return nil, err
	}
	col, err := w.tx.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	var n int
	if err := w.codeTaken.Bind(dbx.Params{"c": k.TrackingCode}).Row(&n); err != nil {
		return nil, fmt.Errorf("apply: tracking code check: %w", err)
	}
	if n > 0 {
		return nil, Rejection{errors.New("tracking code already used by another complaint here")}
	}
	c := core.NewRecord(col)
	c.Set("id", model.NewID())
	c.Set("tracking_code", k.TrackingCode)
	c.Set("type", k.Type)
	c.Set("title", k.Title)
	c.Set("body", k.Body)
	c.Set("public_title", k.PublicTitle)
	c.Set("public_body", k.PublicBody)
	c.Set("category", catID)
	c.Set("privacy", k.Privacy)
	c.Set("status", st.Status)
	channel := k.Channel
	if channel == "" {
		channel = model.ChannelSync
	}
	c.Set("channel", channel)
	c.Set("incident_date", k.IncidentDate)
	c.Set("location", k.Location)
	c.Set("reporter_gender", k.Gender)
	c.Set("reporter_disability", k.Disability)
	c.Set("authority", AuthorityLocal)
	c.Set("version", 1)
	now := types.NowDateTime()
	created := now
	if t, err := time.Parse(time.RFC3339Nano, k.Created); err == nil {
		created, _ = types.ParseDateTime(t.UTC())
	}
	c.SetRaw("created", created)
	c.SetRaw("updated", now)
	if set != nil {
		set(c)
	}
	if err := w.tx.Validate(c); err != nil {
		return nil, Rejection{fmt.Errorf("complaint not valid here: %w", err)}
	}
	if err := w.write(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (w *Cases) write(c *core.Record) error {
	row, err := c.DBExport(w.tx)
	if err != nil {
		return fmt.Errorf("apply: complaint columns: %w", err)
	}
	if w.insert == nil {
		// A new record exports every field of the collection, so one
		// statement serves every copy of the transaction.
		cols := slices.Sorted(maps.Keys(row))
		ph := make([]string, len(cols))
		for i, col := range cols {
			ph[i] = "{:" + col + "}"
		}
		w.insert = w.tx.DB().NewQuery("INSERT INTO " + model.Complaints + " (" + strings.Join(cols, ", ") +
			") VALUES (" + strings.Join(ph, ", ") + ")").Prepare()
	}
	if _, err := w.insert.Bind(dbx.Params(row)).Execute(); err != nil {
		return fmt.Errorf("apply: insert complaint: %w", err)
	}
	c.MarkAsNotNew()
	return nil
}

func (w *Cases) category(code string) (string, error) {
	if id, ok := w.categories[code]; ok {
		return id, nil
	}
	var id string
	for _, c := range []string{code, fallbackCategory} {
		err := w.tx.DB().Select("id").From(model.Categories).Where(dbx.HashExp{"code": c}).Row(&id)
		if err == nil {
			w.categories[code] = id
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("apply: category: %w", err)
		}
	}
	return "", Rejection{fmt.Errorf("category %q unknown here and no %s fallback", code, fallbackCategory)}
}

// Content overwrites the case's content (an edit made where it is
// handled: title, body, type, category, location, the public wording)
// from k.
func (w *Cases) Content(c *core.Record, k protocol.Complaint) error {
	catID, err := w.category(k.Category)
	if err != nil {
		return err
	}
	params := dbx.Params{"title": k.Title, "body": k.Body, "type": k.Type, "category": catID,
		"location": k.Location, "public_title": k.PublicTitle, "public_body": k.PublicBody}
	if _, err := w.tx.DB().Update(model.Complaints, params, dbx.HashExp{"id": c.Id}).Execute(); err != nil {
		return fmt.Errorf("apply: content of %s: %w", c.Id, err)
	}
	for k, v := range params {
		c.Set(k, v)
	}
	return nil
}
