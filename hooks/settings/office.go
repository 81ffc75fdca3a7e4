package settings

import (
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// Office is this office as its offices row describes it: the one answer
// to "this office's code, name, time zone, contact and public URL" for
// pages, receipts, PDFs, intake, cases, SLA and Open311. Fields are the
// row's values as stored (empty when the set-up left them empty); callers
// choose their own fallback for an empty field.
type Office struct {
	ID, Code, Name        string
	TimeZone              string // IANA name, e.g. "Asia/Jakarta"
	Address, Phone, Email string
	PublicBaseURL         string // without a trailing slash
	WorkingWeekdays       []int  // time.Weekday numbers; empty when unset
	Logo                  string // the logo's file name, "" for none
	FilesPath             string // the row's files path: a logo's key is FilesPath + "/" + Logo
	CounterPrinter        string // the counter's receipt printer, tcp://HOST:PORT; "" for none
}

// OfficeOf returns this office (the offices row; the first created if
// there were ever more than one); ok is false when there is none (a
// command that runs before the migrations). Once Register has bound the
// hooks that drop it, the answer is kept in the app's store and read again
// only after a change to the offices collection commits.
func OfficeOf(app core.App) (Office, bool) {
	c, cached := app.Store().Get(officeKey).(*officeCache)
	if !cached {
		return loadOffice(app)
	}
	c.mu.Lock()
	if c.val != nil {
		o := *c.val
		c.mu.Unlock()
		o.WorkingWeekdays = slices.Clone(o.WorkingWeekdays)
		return o, true
	}
	gen := c.gen
	c.mu.Unlock()
	o, ok := loadOffice(app)
	if ok {
		c.mu.Lock()
		if c.gen == gen { // no change committed while we read
			v := o
			v.WorkingWeekdays = slices.Clone(o.WorkingWeekdays)
			c.val = &v
		}
		c.mu.Unlock()
	}
	return o, ok
}

// ForgetOffice drops the kept answer, for a writer that changes the
// offices row with plain SQL (no record hooks fire for it).
func ForgetOffice(app core.App) {
	if c, ok := app.Store().Get(officeKey).(*officeCache); ok {
		c.forget()
	}
}

const officeKey = "simpul.settings.office"

// officeCache is OfficeOf's store entry. gen counts changes, so a read
// that raced a change is not kept.
type officeCache struct {
	mu  sync.Mutex
	gen uint64
	val *Office
}

func (c *officeCache) forget() {
	c.mu.Lock()
	c.gen++
	c.val = nil
	c.mu.Unlock()
}

// bindOfficeCache keeps OfficeOf's answer in app's store and drops it
// after every create, update or delete of an offices row commits.
func bindOfficeCache(app core.App) {
	c := app.Store().GetOrSet(officeKey, func() any { return &officeCache{} }).(*officeCache)
	forget := func(e *core.RecordEvent) error {
		c.forget()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(model.Offices).BindFunc(forget)
	app.OnRecordAfterUpdateSuccess(model.Offices).BindFunc(forget)
	app.OnRecordAfterDeleteSuccess(model.Offices).BindFunc(forget)
}

func loadOffice(app core.App) (Office, bool) {
	rec, err := OfficeRecord(app)
	if err != nil {
		return Office{}, false
	}
	o := Office{
		ID: rec.Id, Code: rec.GetString("code"), Name: rec.GetString("name"),
		TimeZone: rec.GetString("timezone"),
		Address:  rec.GetString("address"), Phone: rec.GetString("phone"), Email: rec.GetString("email"),
		PublicBaseURL: strings.TrimRight(strings.TrimSpace(rec.GetString("public_base_url")), "/"),
		Logo:          rec.GetString("logo"), FilesPath: rec.BaseFilesPath(),
		CounterPrinter: rec.GetString("counter_printer"),
	}
	var days []int
	if err := rec.UnmarshalJSONField("working_weekdays", &days); err == nil {
		o.WorkingWeekdays = days
	}
	return o, true
}

// OfficeRecord returns the offices row itself (the first created), for
// the set-up code that writes it; readers use OfficeOf.
func OfficeRecord(app core.App) (*core.Record, error) {
	recs, err := app.FindRecordsByFilter(model.Offices, "id != ''", "created", 1, 0)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("settings: no office row")
	}
	return recs[0], nil
}
