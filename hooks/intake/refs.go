package intake

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/token"
	"simpul/hooks/settings"
)

// refData is what validation looks codes up in: the active categories,
// units, QR points and kiosks, and the office's identity. It is loaded
// once and dropped whenever one of those collections changes, so intake
// does no reference queries on its hot path.
type refData struct {
	categories map[string]string   // code → id
	units      map[string]string   // code → id
	qr         map[string]*qrRef   // slug → point
	kiosks     map[string]kioskRef // SHA-256 of the token → kiosk

	officeCode, publicURL, timeZone string
	loc                             *time.Location
}

type qrRef struct{ id, unit, category string }

type kioskRef struct{ id, unit string }

func (r *refData) kiosk(tok string) (kioskRef, bool) {
	if tok == "" || len(tok) > 200 {
		return kioskRef{}, false
	}
	k, ok := r.kiosks[token.Hash(tok)]
	return k, ok
}

// refCache holds one app's refData.
type refCache struct {
	mu   sync.Mutex
	data *refData
}

func (c *refCache) drop() {
	c.mu.Lock()
	c.data = nil
	c.mu.Unlock()
}

func (c *refCache) get(app core.App, fallbackURL, fallbackTZ string) (*refData, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil {
		return c.data, nil
	}
	d, err := loadRefs(app, fallbackURL, fallbackTZ)
	if err != nil {
		return nil, err
	}
	c.data = d
	return d, nil
}

// bindRefInvalidation drops the cache after any committed change to the
// collections it mirrors.
func (c *refCache) bind(app core.App) {
	drop := func(e *core.RecordEvent) error { c.drop(); return e.Next() }
	names := []string{model.Categories, model.Units, model.QRPoints, model.Kiosks, model.Offices}
	app.OnRecordAfterCreateSuccess(names...).BindFunc(drop)
	app.OnRecordAfterUpdateSuccess(names...).BindFunc(drop)
	app.OnRecordAfterDeleteSuccess(names...).BindFunc(drop)
}

func loadRefs(app core.App, fallbackURL, fallbackTZ string) (*refData, error) {
	d := &refData{
		categories: map[string]string{}, units: map[string]string{},
		qr: map[string]*qrRef{}, kiosks: map[string]kioskRef{},
		publicURL: fallbackURL, timeZone: fallbackTZ,
	}
	type row struct {
		ID   string `db:"id"`
		Code string `db:"code"`
	}
	var rows []row
	if err := app.DB().NewQuery("SELECT id, code FROM categories WHERE active = TRUE").All(&rows); err != nil {
		return nil, fmt.Errorf("intake: categories: %w", err)
	}
	for _, r := range rows {
		d.categories[strings.ToUpper(r.Code)] = r.ID
	}
	rows = nil
	if err := app.DB().NewQuery("SELECT id, code FROM units WHERE active = TRUE").All(&rows); err != nil {
		return nil, fmt.Errorf("intake: units: %w", err)
	}
	for _, r := range rows {
		d.units[strings.ToUpper(r.Code)] = r.ID
	}
	var points []struct {
		ID       string `db:"id"`
		Slug     string `db:"slug"`
		Unit     string `db:"unit"`
		Category string `db:"category"`
	}
	if err := app.DB().NewQuery("SELECT id, slug, unit, category FROM qr_points WHERE active = TRUE").All(&points); err != nil {
		return nil, fmt.Errorf("intake: qr points: %w", err)
	}
	for _, p := range points {
		d.qr[p.Slug] = &qrRef{id: p.ID, unit: p.Unit, category: p.Category}
	}
	var kiosks []struct {
		ID   string `db:"id"`
		Hash string `db:"token_hash"`
		Unit string `db:"unit"`
	}
	if err := app.DB().NewQuery("SELECT id, token_hash, unit FROM kiosks WHERE active = TRUE AND token_hash != ''").All(&kiosks); err != nil {
		return nil, fmt.Errorf("intake: kiosks: %w", err)
	}
	for _, k := range kiosks {
		d.kiosks[k.Hash] = kioskRef{id: k.ID, unit: k.Unit}
	}
	if office, ok := settings.OfficeOf(app); ok {
		d.officeCode = office.Code
		if office.PublicBaseURL != "" {
			d.publicURL = office.PublicBaseURL
		}
		if office.TimeZone != "" {
			d.timeZone = office.TimeZone
		}
	}
	loc, err := time.LoadLocation(d.timeZone)
	if err != nil {
		return nil, fmt.Errorf("intake: office time zone %q: %w", d.timeZone, err)
	}
	d.loc = loc
	return d, nil
}
