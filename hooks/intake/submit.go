package intake

import (
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/events"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/sla"
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
	// A supervisor reads and never acts: not even a report taken in at
	// the counter (its token or its /loket session).
	if req.Staff != nil && !lifecycle.Acts(req.Staff.GetString("role")) {
		return nil, &Error{Status: http.StatusForbidden,
			Message: "Pengawas hanya membaca; laporan dicatat oleh petugas loket. — Supervisors only read; reports are taken in by the front desk."}
	}
	now := clock.Now(app)
	refs, err := st.refs.get(app, st.cfg.PublicURL, st.cfg.TimeZone)
	if err != nil {
		return nil, err
	}
	d, refused := validate(refs, req, now)
	if refused != nil {
		return nil, refused
	}
	if d.publicURL == "" { // links.Base: no public URL configured
		d.publicURL = strings.TrimRight(req.Origin, "/")
	}
	if d.attachments, refused = checkAttachments(req.Attachments); refused != nil {
		return nil, refused
	}
	d.owner = submitter(req, d)
	limited := func() *Error {
		if key, lim := rateKey(req, d); key != "" {
			if ok, wait := st.limits.allow(key, lim, now); !ok {
				return &Error{Status: http.StatusTooManyRequests, RetryAfter: wait,
					Message: "Terlalu banyak laporan dalam waktu singkat; coba lagi nanti. — Too many reports in a short time; try again later."}
			}
		}
		return nil
	}
	// A retry of an accepted report by the client that sent it is answered
	// before the rate limit: a phone on a bad link must not be locked out
	// by its own retries. Anyone else's use of a known client_ref (a
	// replay without the receipt's secrets, or a 409) spends the budget
	// like a new report: a client_ref is not a way to probe for reports.
	if d.ClientRef != "" {
		res, err := replayCommitted(app, d)
		var refusedRef *Error
		if (res != nil && res.foreign) || errors.As(err, &refusedRef) {
			if over := limited(); over != nil {
				return nil, over
			}
		}
		if res != nil || err != nil {
			return res, err
		}
	}
	if over := limited(); over != nil {
		return nil, over
	}
	if d.pre, err = prepare(app, d); err != nil {
		return nil, err
	}
	return st.writer.submit(d)
}

// prepared is everything about a new complaint that depends on nothing
// stored. The submitting goroutine makes it, so that the single writer,
// which every submission waits for, only executes inserts.
type prepared struct {
	c             stored
	completionDue time.Time
	now           time.Time
	fields        map[string]any
	args          []any // fields as the prepared insert binds them
	first         *events.First
}

// newCode makes tracking codes (a variable so a test can force a clash).
var newCode = trackcode.New

func prepare(app core.App, d *draft) (*prepared, error) {
	now := clock.Now(app)
	verifyDue, completionDue, err := sla.InitialDue(app, now)
	if err != nil {
		return nil, fmt.Errorf("intake: deadlines: %w", err)
	}
	c := stored{ID: model.NewID(), Code: newCode(), Status: model.StatusBaru, Token: NewReceiptToken(), DueAt: verifyDue}
	actorType := "reporter"
	if d.StaffID != "" {
		actorType = "staff"
	}
	first, err := events.NewFirst(c.ID, events.Event{
		Kind: model.EventCreated, ActorType: actorType, ActorID: d.StaffID, ActorName: d.StaffName,
		To: model.StatusBaru, Public: true, Origin: d.officeCode, At: now,
		Data: map[string]any{"channel": d.Channel},
	})
	if err != nil {
		return nil, err
	}
	f := fields(d, c, completionDue, now)
	return &prepared{c: c, completionDue: completionDue, now: now, fields: f, args: insertArgs(f), first: first}, nil
}

// stored is what an answer needs of a stored complaint.
type stored struct {
	ID, Code, Status, Token string
	DueAt                   time.Time
	Title, Body, Type, Cat  string
	Tag                     string // client_tag (ClientTag)
}

func storedOf(rec *core.Record) stored {
	return stored{ID: rec.Id, Code: rec.GetString("tracking_code"), Status: rec.GetString("status"),
		Token: rec.GetString("receipt_token"), DueAt: rec.GetDateTime("due_at").Time(),
		Title: rec.GetString("title"), Body: rec.GetString("body"), Type: rec.GetString("type"), Cat: rec.GetString("category"),
		Tag: rec.GetString("client_tag")}
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
	if prev.Tag == "" || !hmac.Equal([]byte(prev.Tag), []byte(ClientTag(prev.Token, d.owner))) {
		// Another client (or a report stored before tags, or one whose PIN
		// was issued again): the tracking code, never the receipt's
		// secrets (review item 8).
		res.PIN, res.ReceiptURL, res.ReceiptPath, res.foreign = "", "", "", true
	}
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

// batchWriter writes one transaction's submissions. Intake writes its rows
// through prepared statements rather than through PocketBase's generic
// Save: Save runs field interceptors, hooks and relation look-ups per record
// and cost about 0.5 ms of CPU each on a 2-core office server, three times
// per complaint, with every submission waiting in line behind the writer.
// validate has already checked every field and reference. A submission
// with files still goes through Save, which stores them.
type batchWriter struct {
	tx     core.App
	stmts  *sqlitedb.Stmts
	insert *sql.Stmt
	byRef  *sql.Stmt // prepared on first use: most submissions carry no client_ref
	events *events.Writer
}

// insertComplaint writes the columns intake sets; the others keep their
// defaults.
var insertComplaint = sqlitedb.NewInsert(model.Complaints, "id", "tracking_code", "type", "title", "body",
	"location", "geo", "incident_date", "category", "unit", "privacy", "reporter_name", "reporter_phone",
	"reporter_email", "reporter_nik", "reporter_gender", "reporter_disability", "identity_checked", "pin_hash",
	"receipt_token", "status", "channel", "qr_point", "kiosk", "created_by", "client_ref", "client_tag", "due_at",
	"verify_due_at", "completion_due_at", "authority", "version", "office", "origin_office", "created", "updated")

// codeColumn is the tracking code's position in the insert's arguments.
var codeColumn = insertComplaint.Column("tracking_code")

// insertArgs are fields as the prepared insert binds them.
func insertArgs(fields map[string]any) []any {
	a := insertComplaint.Args(fields)
	geo, _ := json.Marshal(fields["geo"])
	a[insertComplaint.Column("geo")] = string(geo)
	return a
}

func newBatchWriter(tx core.App, stmts *sqlitedb.Stmts) (*batchWriter, error) {
	insert, err := stmts.In(tx, insertComplaint.SQL)
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	ev, err := events.NewWriter(tx, stmts)
	if err != nil {
		return nil, err
	}
	return &batchWriter{tx: tx, stmts: stmts, insert: insert, events: ev}, nil
}

// write stores one draft inside w's transaction. It returns an *Error only
// before it has written anything, so the caller may go on with the
// transaction.
func (w *batchWriter) write(d *draft) (*Result, error) {
	if d.ClientRef != "" {
		// A retry that arrived in the same batch as its first try.
		var row struct{ ID, Code, Status, Token, Due, Title, Body, Type, Cat, Tag string }
		if w.byRef == nil {
			var err error
			if w.byRef, err = w.stmts.In(w.tx, "SELECT id, tracking_code, status, receipt_token, due_at, title,"+
				" body, type, category, client_tag FROM "+model.Complaints+" WHERE client_ref = ? AND client_ref != ''"); err != nil {
				return nil, fmt.Errorf("intake: %w", err)
			}
		}
		err := w.byRef.QueryRow(d.ClientRef).Scan(&row.ID, &row.Code, &row.Status, &row.Token, &row.Due, &row.Title,
			&row.Body, &row.Type, &row.Cat, &row.Tag)
		switch {
		case err == nil:
			due, _ := types.ParseDateTime(row.Due)
			return replay(stored{ID: row.ID, Code: row.Code, Status: row.Status, Token: row.Token, DueAt: due.Time(),
				Title: row.Title, Body: row.Body, Type: row.Type, Cat: row.Cat, Tag: row.Tag}, d)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("intake: client_ref lookup: %w", err)
		}
	}
	p := d.pre
	var err error
	if len(d.attachments) > 0 {
		err = w.saveWithFiles(d, p)
	} else {
		err = w.insertRow(p)
	}
	if err != nil {
		return nil, err
	}
	if err := w.events.AppendFirst(p.first); err != nil {
		return nil, err
	}
	// Counters are plain SQL: a record save would run every hook of those
	// collections (and drop the reference cache) for a number.
	if d.QRID != "" {
		if err := w.exec("UPDATE qr_points SET scans = scans + 1 WHERE id = ?", d.QRID); err != nil {
			return nil, fmt.Errorf("intake: qr scans: %w", err)
		}
	}
	if d.KioskID != "" {
		if err := w.exec("UPDATE kiosks SET last_seen_at = ? WHERE id = ?", dbTime(p.now), d.KioskID); err != nil {
			return nil, fmt.Errorf("intake: kiosk seen: %w", err)
		}
	}
	return result(p.c, d.publicURL), nil
}

// exec runs query through a statement kept across batches.
func (w *batchWriter) exec(query string, args ...any) error {
	st, err := w.stmts.In(w.tx, query)
	if err == nil {
		_, err = st.Exec(args...)
	}
	return err
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
		"qr_point": d.QRID, "kiosk": d.KioskID, "created_by": d.StaffID, "client_ref": d.ClientRef, "client_tag": clientTag(d, c.Token),
		"due_at": dbTime(c.DueAt), "verify_due_at": dbTime(c.DueAt), "completion_due_at": dbTime(completionDue),
		"authority": "local", "version": 1, "office": d.officeCode, "origin_office": d.officeCode,
		"created": dbTime(now), "updated": dbTime(now),
	}
}

// clientTag is the client_tag of a new complaint: empty without a
// client_ref (nothing to replay).
func clientTag(d *draft, token string) string {
	if d.ClientRef == "" {
		return ""
	}
	return ClientTag(token, d.owner)
}

// insertRow writes a complaint without files through the prepared insert.
// Its tracking code is checked by the unique index rather than a look-up
// first: a clash (50 random bits) is all but impossible, and a failed
// INSERT leaves the transaction usable, so a new code is simply tried.
func (w *batchWriter) insertRow(p *prepared) error {
	for range 3 {
		_, err := w.insert.Exec(p.args...)
		if !codeClash(err) {
			if err != nil {
				return fmt.Errorf("intake: insert: %w", err)
			}
			return nil
		}
		p.c.Code = newCode()
		p.args[codeColumn] = p.c.Code
		p.fields["tracking_code"] = p.c.Code
	}
	return errors.New("intake: no free tracking code")
}

// codeClash reports whether err is the tracking code's unique index
// refusing a duplicate.
func codeClash(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique &&
		strings.Contains(se.Error(), "tracking_code")
}

// saveWithFiles writes a complaint with attachments through PocketBase's
// Save, which stores the files (and removes them again if the transaction
// fails). Save refuses a taken tracking code as a validation error, so the
// code is checked first on this (rare, slow anyway) path.
func (w *batchWriter) saveWithFiles(d *draft, p *prepared) error {
	for n := 0; ; n++ {
		var taken int
		if err := w.tx.DB().NewQuery("SELECT COUNT(*) FROM " + model.Complaints + " WHERE tracking_code = {:c}").
			Bind(dbx.Params{"c": p.c.Code}).Row(&taken); err != nil {
			return fmt.Errorf("intake: tracking code: %w", err)
		}
		if taken == 0 {
			break
		}
		if n == 2 {
			return errors.New("intake: no free tracking code")
		}
		p.c.Code = newCode()
		p.fields["tracking_code"] = p.c.Code
	}
	col, err := w.tx.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Load(p.fields)
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

// dbTime is a time as PocketBase stores dates.
func dbTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(types.DefaultDateLayout)
}
