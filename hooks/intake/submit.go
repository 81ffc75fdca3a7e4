package intake

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
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
		if res, err := replay(app, d); res != nil || err != nil {
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

// replay finds an earlier complaint with d's client_ref: the same report
// gives its result, another report a 409. Both nil: the key is new.
func replay(app core.App, d *draft) (*Result, error) {
	rec, err := app.FindFirstRecordByData(model.Complaints, "client_ref", d.ClientRef)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("intake: client_ref lookup: %w", err)
	}
	if rec.GetString("title") != d.Title || rec.GetString("body") != d.Body ||
		rec.GetString("type") != d.Type || rec.GetString("category") != d.CategoryID {
		return nil, &Error{Status: http.StatusConflict,
			Message: "client_ref sudah dipakai untuk laporan lain. — client_ref was used for another report.",
			Fields: map[string]FieldError{"client_ref": {Code: "reused",
				Message: "client_ref sudah dipakai untuk laporan lain. — client_ref was used for another report."}}}
	}
	res := result(rec, d.publicURL)
	res.Replayed = true
	return res, nil
}

// result is the answer for a stored complaint.
func result(rec *core.Record, publicURL string) *Result {
	code, token := rec.GetString("tracking_code"), rec.GetString("receipt_token")
	return &Result{
		Complaint:    rec,
		TrackingCode: code,
		Status:       rec.GetString("status"),
		DueAt:        rec.GetDateTime("due_at").Time(),
		PIN:          PIN(token),
		TrackURL:     publicURL + TrackPath(code),
		ReceiptURL:   publicURL + ReceiptPath(code, token),
		ReceiptPath:  ReceiptPath(code, token),
	}
}

// write stores one draft inside tx. It returns an *Error only before it
// has written anything, so the caller may go on with the transaction.
func write(tx core.App, d *draft) (*Result, error) {
	if d.ClientRef != "" {
		// Two submissions with one key in the same batch: the second is a
		// replay of the first.
		if res, err := replay(tx, d); res != nil || err != nil {
			return res, err
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return nil, fmt.Errorf("intake: %w", err)
	}
	now := time.Now()
	verifyDue, completionDue, err := sla.InitialDue(tx, now)
	if err != nil {
		return nil, fmt.Errorf("intake: deadlines: %w", err)
	}
	code, err := freshCode(tx)
	if err != nil {
		return nil, err
	}
	token := NewReceiptToken()
	rec := core.NewRecord(col)
	rec.Load(map[string]any{
		"tracking_code":       code,
		"type":                d.Type,
		"title":               d.Title,
		"body":                d.Body,
		"location":            d.Location,
		"category":            d.CategoryID,
		"unit":                d.UnitID,
		"privacy":             d.Privacy,
		"reporter_name":       d.ReporterName,
		"reporter_phone":      d.ReporterPhone,
		"reporter_email":      d.ReporterEmail,
		"reporter_nik":        d.ReporterNIK,
		"reporter_gender":     d.Gender,
		"reporter_disability": d.Disability,
		"identity_checked":    d.IdentityChecked,
		"pin_hash":            PINHash(PIN(token)),
		"receipt_token":       token,
		"status":              model.StatusBaru,
		"channel":             d.Channel,
		"qr_point":            d.QRID,
		"kiosk":               d.KioskID,
		"created_by":          d.StaffID,
		"client_ref":          d.ClientRef,
		"due_at":              verifyDue,
		"verify_due_at":       verifyDue,
		"completion_due_at":   completionDue,
		"authority":           "local",
		"version":             1,
	})
	if d.IncidentDate != "" {
		// A calendar date: stored at 00:00 UTC and read back as a UTC date.
		rec.Set("incident_date", d.IncidentDate+" 00:00:00.000Z")
	}
	if d.Lat != nil {
		rec.Set("geo", types.GeoPoint{Lat: *d.Lat, Lon: *d.Lon})
	}
	if len(d.attachments) > 0 {
		files := make([]*filesystem.File, len(d.attachments))
		for i, a := range d.attachments {
			files[i] = a.file
		}
		rec.Set("attachments", files)
	}
	if err := tx.Save(rec); err != nil {
		return nil, fmt.Errorf("intake: save: %w", err)
	}
	actorType := "reporter"
	if d.StaffID != "" {
		actorType = "staff"
	}
	_, err = events.Append(tx, rec, events.Event{
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
		if _, err := tx.DB().NewQuery("UPDATE qr_points SET scans = scans + 1 WHERE id = {:id}").
			Bind(dbx.Params{"id": d.QRID}).Execute(); err != nil {
			return nil, fmt.Errorf("intake: qr scans: %w", err)
		}
	}
	if d.KioskID != "" {
		if _, err := tx.DB().NewQuery("UPDATE kiosks SET last_seen_at = {:at} WHERE id = {:id}").
			Bind(dbx.Params{"id": d.KioskID, "at": types.NowDateTime().String()}).Execute(); err != nil {
			return nil, fmt.Errorf("intake: kiosk seen: %w", err)
		}
	}
	return result(rec, d.publicURL), nil
}

// freshCode returns a tracking code no complaint has. With 50 random bits
// a clash is all but impossible; the check keeps it impossible.
func freshCode(tx core.App) (string, error) {
	for range 3 {
		code := trackcode.New()
		var n int
		if err := tx.DB().NewQuery("SELECT COUNT(*) FROM complaints WHERE tracking_code = {:c}").
			Bind(dbx.Params{"c": code}).Row(&n); err != nil {
			return "", fmt.Errorf("intake: tracking code: %w", err)
		}
		if n == 0 {
			return code, nil
		}
	}
	return "", errors.New("intake: no free tracking code")
}
