package intake

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/events"
	"simpul/hooks/model"
	"simpul/hooks/sla"
	"simpul/hooks/trackcode"
)

// Submit validates req and, when it is acceptable, writes the complaint,
// its "created" event and the sync outbox row in one transaction shared
// with the other submissions of the moment (see commit.go). It returns an
// *Error for anything the submitter must fix (nothing is written then),
// another error for a failure of the appliance.
//
// A request whose client_ref was seen before returns the earlier complaint
// (Result.Replayed) when it carries the same report, and a 409 when the
// key was used for a different one: a key is not a way to read somebody
// else's receipt.
func Submit(app core.App, req Request) (*Result, error) {
	st := stateOf(app)
	if st == nil {
		return nil, errors.New("intake: not registered on this app")
	}
	now := st.now()
	refs, err := st.refs.get(app, st.cfg.PublicURL, st.cfg.TimeZone)
	if err != nil {
		return nil, err
	}
	d, refused := validate(refs, req, now)
	if refused != nil {
		return nil, refused
	}
	if d.attachments, refused = checkAttachments(req.Attachments); refused != nil {
		return nil, refused
	}
	// A retry of an accepted report is answered before the rate limit: a
	// phone on a bad link must not be locked out by its own retries.
	if d.ClientRef != "" {
		if res, err := replayCommitted(app, d); res != nil || err != nil {
			return res, err
		}
	}
	if key, lim := rateKey(req, d); key != "" {
		if ok, wait := st.limits.allow(key, lim, now); !ok {
			return nil, &Error{Status: http.StatusTooManyRequests, RetryAfter: wait,
				Message: "Terlalu banyak laporan dalam waktu singkat; coba lagi nanti. — Too many reports in a short time; try again later."}
		}
	}
	return st.writer.submit(d)
}

// stored is what an answer needs of a stored complaint.
type stored struct {
	ID, Code, Status, Token string
	DueAt                   time.Time
	Title, Body, Type, Cat  string
}

func storedOf(rec *core.Record) stored {
	return stored{ID: rec.Id, Code: rec.GetString("tracking_code"), Status: rec.GetString("status"),
		Token: rec.GetString("receipt_token"), DueAt: rec.GetDateTime("due_at").Time(),
		Title: rec.GetString("title"), Body: rec.GetString("body"), Type: rec.GetString("type"), Cat: rec.GetString("category")}
}

// replay answers d from an earlier complaint with its client_ref: the same
// report gives its result, another report a 409.
func replay(prev stored, d *draft) (*Result, error) {
	if prev.Title != d.Title || prev.Body != d.Body || prev.Type != d.Type || prev.Cat != d.CategoryID {
		return nil, &Error{Status: http.StatusConflict,
			Message: "client_ref sudah dipakai untuk laporan lain. — client_ref was used for another report.",
			Fields: map[string]FieldError{"client_ref": {Code: "reused",
				Message: "client_ref sudah dipakai untuk laporan lain. — client_ref was used for another report."}}}
	}
	res := result(prev, d.publicURL)
	res.Replayed = true
	return res, nil
}

// replayCommitted looks d's client_ref up among committed complaints. Both
// nil: the key is new.
func replayCommitted(app core.App, d *draft) (*Result, error) {
	rec, err := app.FindFirstRecordByData(model.Complaints, "client_ref", d.ClientRef)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("intake: client_ref lookup: %w", err)
	}
	return replay(storedOf(rec), d)
}

// result is the answer for a stored complaint.
func result(c stored, publicURL string) *Result {
	return &Result{
		ComplaintID:  c.ID,
		TrackingCode: c.Code,
		Status:       c.Status,
		DueAt:        c.DueAt,
		PIN:          PIN(c.Token),
		TrackURL:     publicURL + TrackPath(c.Code),
		ReceiptURL:   publicURL + ReceiptPath(c.Code, c.Token),
		ReceiptPath:  ReceiptPath(c.Code, c.Token),
	}
}

// batchWriter holds one transaction's prepared statements. Intake writes
// its rows through them rather than through PocketBase's generic Save:
// Save runs field interceptors, hooks and relation look-ups per record and
// cost about 0.5 ms of CPU each on a 2-core office server, three times per
// complaint, with every submission waiting in line behind the writer.
// validate has already checked every field and reference. A submission
// with files still goes through Save, which stores them.
type batchWriter struct {
	tx        core.App
	insert    *dbx.Query
	byRef     *dbx.Query
	codeTaken *dbx.Query
	events    *events.Writer
}

// complaintColumns are the columns intake writes; the others keep their
// defaults.
var complaintColumns = []string{"id", "tracking_code", "type", "title", "body", "location", "geo", "incident_date",
	"category", "unit", "privacy", "reporter_name", "reporter_phone", "reporter_email", "reporter_nik",
	"reporter_gender", "reporter_disability", "identity_checked", "pin_hash", "receipt_token", "status", "channel",
	"qr_point", "kiosk", "created_by", "client_ref", "due_at", "verify_due_at", "completion_due_at", "authority",
	"version", "created", "updated"}

func newBatchWriter(tx core.App) *batchWriter {
	ph := make([]string, len(complaintColumns))
	for i, c := range complaintColumns {
		ph[i] = "{:" + c + "}"
	}
	return &batchWriter{
		tx: tx,
		insert: tx.DB().NewQuery("INSERT INTO " + model.Complaints + " (" + strings.Join(complaintColumns, ", ") +
			") VALUES (" + strings.Join(ph, ", ") + ")").Prepare(),
		byRef: tx.DB().NewQuery("SELECT id, tracking_code, status, receipt_token, due_at, title, body, type, category" +
			" FROM " + model.Complaints + " WHERE client_ref = {:ref} AND client_ref != ''").Prepare(),
		codeTaken: tx.DB().NewQuery("SELECT COUNT(*) FROM " + model.Complaints + " WHERE tracking_code = {:c}").Prepare(),
		events:    events.NewWriter(tx),
	}
}

func (w *batchWriter) close() {
	w.insert.Close()
	w.byRef.Close()
	w.codeTaken.Close()
	w.events.Close()
}

// write stores one draft inside w's transaction. It returns an *Error only
// before it has written anything, so the caller may go on with the
// transaction.
func (w *batchWriter) write(d *draft) (*Result, error) {
	if d.ClientRef != "" {
		// A retry that arrived in the same batch as its first try.
		var row struct {
			ID     string `db:"id"`
			Code   string `db:"tracking_code"`
			Status string `db:"status"`
			Token  string `db:"receipt_token"`
			Due    string `db:"due_at"`
			Title  string `db:"title"`
			Body   string `db:"body"`
			Type   string `db:"type"`
			Cat    string `db:"category"`
		}
		err := w.byRef.Bind(dbx.Params{"ref": d.ClientRef}).One(&row)
		switch {
		case err == nil:
			due, _ := types.ParseDateTime(row.Due)
			return replay(stored{ID: row.ID, Code: row.Code, Status: row.Status, Token: row.Token, DueAt: due.Time(),
				Title: row.Title, Body: row.Body, Type: row.Type, Cat: row.Cat}, d)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("intake: client_ref lookup: %w", err)
		}
	}
	now := time.Now()
	verifyDue, completionDue, err := sla.InitialDue(w.tx, now)
	if err != nil {
		return nil, fmt.Errorf("intake: deadlines: %w", err)
	}
	code, err := w.freshCode()
	if err != nil {
		return nil, err
	}
	token := NewReceiptToken()
	c := stored{ID: core.GenerateDefaultRandomId(), Code: code, Status: model.StatusBaru, Token: token, DueAt: verifyDue}
	if len(d.attachments) > 0 {
		err = w.saveWithFiles(d, c, completionDue, now)
	} else {
		err = w.insertRow(d, c, completionDue, now)
	}
	if err != nil {
		return nil, err
	}
	actorType := "reporter"
	if d.StaffID != "" {
		actorType = "staff"
	}
	err = w.events.AppendFirst(c.ID, events.Event{
		Kind: model.EventCreated, ActorType: actorType, ActorID: d.StaffID, ActorName: d.StaffName,
		To: model.StatusBaru, Public: true, Origin: d.officeCode, At: now,
		Data: map[string]any{"channel": d.Channel},
	})
	if err != nil {
		return nil, err
	}
	// Counters are plain SQL: a record save would run every hook of those
	// collections (and drop the reference cache) for a number.
	if d.QRID != "" {
		if _, err := w.tx.DB().NewQuery("UPDATE qr_points SET scans = scans + 1 WHERE id = {:id}").
			Bind(dbx.Params{"id": d.QRID}).Execute(); err != nil {
			return nil, fmt.Errorf("intake: qr scans: %w", err)
		}
	}
	if d.KioskID != "" {
		if _, err := w.tx.DB().NewQuery("UPDATE kiosks SET last_seen_at = {:at} WHERE id = {:id}").
			Bind(dbx.Params{"id": d.KioskID, "at": dbTime(now)}).Execute(); err != nil {
			return nil, fmt.Errorf("intake: kiosk seen: %w", err)
		}
	}
	return result(c, d.publicURL), nil
}

// fields are the complaint's columns for d, as stored.
func fields(d *draft, c stored, completionDue, now time.Time) map[string]any {
	geo := types.GeoPoint{}
	if d.Lat != nil {
		geo = types.GeoPoint{Lat: *d.Lat, Lon: *d.Lon}
	}
	incident := ""
	if d.IncidentDate != "" {
		// A calendar date: stored at 00:00 UTC and read back as a UTC date.
		incident = d.IncidentDate + " 00:00:00.000Z"
	}
	return map[string]any{
		"id": c.ID, "tracking_code": c.Code, "type": d.Type, "title": d.Title, "body": d.Body,
		"location": d.Location, "geo": geo, "incident_date": incident, "category": d.CategoryID, "unit": d.UnitID,
		"privacy": d.Privacy, "reporter_name": d.ReporterName, "reporter_phone": d.ReporterPhone,
		"reporter_email": d.ReporterEmail, "reporter_nik": d.ReporterNIK, "reporter_gender": d.Gender,
		"reporter_disability": d.Disability, "identity_checked": d.IdentityChecked,
		"pin_hash": PINHash(PIN(c.Token)), "receipt_token": c.Token, "status": c.Status, "channel": d.Channel,
		"qr_point": d.QRID, "kiosk": d.KioskID, "created_by": d.StaffID, "client_ref": d.ClientRef,
		"due_at": dbTime(c.DueAt), "verify_due_at": dbTime(c.DueAt), "completion_due_at": dbTime(completionDue),
		"authority": "local", "version": 1, "created": dbTime(now), "updated": dbTime(now),
	}
}

// insertRow writes a complaint without files through the prepared insert.
func (w *batchWriter) insertRow(d *draft, c stored, completionDue, now time.Time) error {
	f := fields(d, c, completionDue, now)
	geo, _ := json.Marshal(f["geo"])
	f["geo"] = string(geo)
	if _, err := w.insert.Bind(dbx.Params(f)).Execute(); err != nil {
		return fmt.Errorf("intake: insert: %w", err)
	}
	return nil
}

// saveWithFiles writes a complaint with attachments through PocketBase's
// Save, which stores the files (and removes them again if the transaction
// fails).
func (w *batchWriter) saveWithFiles(d *draft, c stored, completionDue, now time.Time) error {
	col, err := w.tx.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Load(fields(d, c, completionDue, now))
	files := make([]*filesystem.File, len(d.attachments))
	for i, a := range d.attachments {
		files[i] = a.file
	}
	rec.Set("attachments", files)
	if err := w.tx.Save(rec); err != nil {
		return fmt.Errorf("intake: save: %w", err)
	}
	return nil
}

// freshCode returns a tracking code no complaint has. With 50 random bits
// a clash is all but impossible; the check keeps it impossible.
func (w *batchWriter) freshCode() (string, error) {
	for range 3 {
		code := trackcode.New()
		var n int
		if err := w.codeTaken.Bind(dbx.Params{"c": code}).Row(&n); err != nil {
			return "", fmt.Errorf("intake: tracking code: %w", err)
		}
		if n == 0 {
			return code, nil
		}
	}
	return "", errors.New("intake: no free tracking code")
}

// dbTime is a time as PocketBase stores dates.
func dbTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(types.DefaultDateLayout)
}
