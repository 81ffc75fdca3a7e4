package ui

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/text/unicode/norm"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/links"
	"simpul/hooks/platform/clock"
	"simpul/ui/receipt"
)

// The QR-point page (/staf/qr): coordinators and admins list the office's
// QR points with their scan counts, add new ones and print each one's
// poster (A4 or A5) with the point's landing URL, {public base URL}/q/{slug}.

// qrPage is the data of staf_qr.html.
type qrPage struct {
	CSRF      string
	StaffName string
	Role      string
	Points    []qrRow
	Units     []choice
	Cats      []choice
	Form      qrForm
	Errors    map[string]string // field → i18n key
	Created   string
	Failed    bool
	HasErrors bool
}

type qrRow struct {
	Label, Slug, Unit, Category, Location string
	Scans                                 int
	Active                                bool
	PosterA4, PosterA5                    string
}

// qrForm is what was typed into the create form, kept as typed.
type qrForm struct {
	Label, Slug, Unit, Category, Location string
}

// Err is the i18n key of a field's error, or "".
func (d *qrPage) Err(field string) string { return d.Errors[field] }

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)

// qrStaff returns the session's coordinator or admin; otherwise it has
// answered the request (the staff login, or a 403 page) and returns nil.
func (p *renderer) qrStaff(e *core.RequestEvent) (*core.Record, error) {
	staff := StaffSession(p.app, e)
	if staff == nil {
		return nil, e.Redirect(http.StatusSeeOther, "/staf")
	}
	if r := staff.GetString("role"); r != model.RoleCoordinator && r != model.RoleAdmin {
		return nil, p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
			Title: "qrpage.title", Body: "qrpage.forbidden", Links: []link{{"/staf", "nav.staff"}},
		})
	}
	return staff, nil
}

func (p *renderer) qrPointsPage(e *core.RequestEvent) error {
	noStore(e)
	staff, err := p.qrStaff(e)
	if staff == nil {
		return err
	}
	d := p.newQRPage(e, staff)
	if slug := e.Request.URL.Query().Get("ok"); slugRe.MatchString(slug) {
		d.Created = slug
	}
	return p.render(e, http.StatusOK, "staf_qr.html", d)
}

func (p *renderer) newQRPage(e *core.RequestEvent, staff *core.Record) *qrPage {
	lang := Lang(e)
	d := &qrPage{CSRF: CSRFToken(e), StaffName: staff.GetString("name"), Role: staff.GetString("role"), Errors: map[string]string{}}
	unitNames, catNames := map[string]string{}, map[string]string{}
	d.Units = append(d.Units, choice{Value: "", Label: vocab.T(lang, "qrpage.none")})
	d.Cats = append(d.Cats, choice{Value: "", Label: vocab.T(lang, "qrpage.none")})
	if units, err := p.app.FindRecordsByFilter(model.Units, "id != ''", "name", 0, 0); err == nil {
		for _, u := range units {
			unitNames[u.Id] = u.GetString("name")
			if u.GetBool("active") {
				d.Units = append(d.Units, choice{Value: u.GetString("code"), Label: u.GetString("name")})
			}
		}
	}
	if cats, err := p.app.FindRecordsByFilter(model.Categories, "id != ''", "code", 0, 0); err == nil {
		for _, c := range cats {
			name := c.GetString("name")
			if lang == "en" && c.GetString("name_en") != "" {
				name = c.GetString("name_en")
			}
			catNames[c.Id] = name
			if c.GetBool("active") {
				d.Cats = append(d.Cats, choice{Value: c.GetString("code"), Label: name})
			}
		}
	}
	points, err := p.app.FindRecordsByFilter(model.QRPoints, "id != ''", "label", 0, 0)
	if err != nil {
		p.app.Logger().Error("ui: qr points list failed", "error", err.Error())
	}
	for _, q := range points {
		slug := q.GetString("slug")
		poster := "/staf/qr/" + url.PathEscape(slug) + "/poster?size="
		d.Points = append(d.Points, qrRow{Label: q.GetString("label"), Slug: slug, Unit: unitNames[q.GetString("unit")],
			Category: catNames[q.GetString("category")], Location: q.GetString("location"), Scans: q.GetInt("scans"),
			Active: q.GetBool("active"), PosterA4: poster + "a4", PosterA5: poster + "a5"})
	}
	return d
}

func (p *renderer) qrPointCreate(e *core.RequestEvent) error {
	noStore(e)
	staff, err := p.qrStaff(e)
	if staff == nil {
		return err
	}
	if !CheckCSRF(e) {
		return p.staffForbidden(e)
	}
	f := e.Request.FormValue
	form := qrForm{Label: strings.TrimSpace(f("label")), Slug: strings.TrimSpace(f("slug")),
		Unit: strings.TrimSpace(f("unit")), Category: strings.TrimSpace(f("category")), Location: strings.TrimSpace(f("location"))}
	errs := map[string]string{}
	if form.Label == "" || utf8.RuneCountInString(form.Label) > 200 {
		errs["label"] = "qrpage.err.label"
	}
	if utf8.RuneCountInString(form.Location) > 300 {
		errs["location"] = "qrpage.err.location"
	}
	var unitID, catID string
	if form.Unit != "" {
		u, err := p.app.FindFirstRecordByFilter(model.Units, "code = {:c} && active = true", dbx.Params{"c": form.Unit})
		if err != nil {
			errs["unit"] = "qrpage.err.unit"
		} else {
			unitID = u.Id
		}
	}
	if form.Category != "" {
		c, err := p.app.FindFirstRecordByFilter(model.Categories, "code = {:c} && active = true", dbx.Params{"c": form.Category})
		if err != nil {
			errs["category"] = "qrpage.err.category"
		} else {
			catID = c.Id
		}
	}
	slug := form.Slug
	switch {
	case slug == "" && errs["label"] == "":
		slug = p.freeSlug(suggestSlug(form.Label))
	case slug == "":
	case !slugRe.MatchString(slug):
		errs["slug"] = "qrpage.err.slug"
	case p.slugTaken(slug):
		errs["slug"] = "qrpage.err.slug.taken"
	}
	if len(errs) == 0 {
		err = p.app.RunInTransaction(func(tx core.App) error {
			if p.slugTakenIn(tx, slug) {
				errs["slug"] = "qrpage.err.slug.taken"
				return nil
			}
			col, err := tx.FindCachedCollectionByNameOrId(model.QRPoints)
			if err != nil {
				return err
			}
			rec := core.NewRecord(col)
			rec.Set("slug", slug)
			rec.Set("label", form.Label)
			rec.Set("unit", unitID)
			rec.Set("category", catID)
			rec.Set("location", form.Location)
			rec.Set("scans", 0)
			rec.Set("active", true)
			return tx.Save(rec)
		})
		if err == nil && len(errs) == 0 {
			p.app.Logger().Info("qr_point_created", "staff_id", staff.Id, "slug", slug)
			return e.Redirect(http.StatusSeeOther, "/staf/qr?ok="+url.QueryEscape(slug))
		}
	}
	d := p.newQRPage(e, staff)
	d.Form, d.Errors, d.HasErrors = form, errs, len(errs) > 0
	status := http.StatusBadRequest
	if err != nil {
		p.app.Logger().Error("ui: qr point create failed", "error", err.Error())
		d.Failed, status = true, http.StatusInternalServerError
	}
	return p.render(e, status, "staf_qr.html", d)
}

func (p *renderer) slugTaken(slug string) bool { return p.slugTakenIn(p.app, slug) }

func (p *renderer) slugTakenIn(app core.App, slug string) bool {
	n, err := app.CountRecords(model.QRPoints, dbx.HashExp{"slug": slug})
	return err != nil || n > 0
}

// freeSlug is base, or base-2, base-3 … whichever is still free.
func (p *renderer) freeSlug(base string) string {
	slug := base
	for i := 2; p.slugTaken(slug) && i < 1000; i++ {
		suffix := "-" + strconv.Itoa(i)
		slug = strings.TrimRight(base[:min(len(base), 64-len(suffix))], "-") + suffix
	}
	return slug
}

// suggestSlug derives a slug from a label: letters without their accents,
// digits, and hyphens for everything else ("Pintu Depan – Loket 2" →
// "pintu-depan-loket-2").
func suggestSlug(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(label)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 64 {
			break
		}
	}
	s := strings.Trim(b.String()[:min(b.Len(), 64)], "-")
	if len(s) < 2 {
		s = "titik-qr"
	}
	return s
}

func (p *renderer) qrPosterPDF(e *core.RequestEvent) error {
	noStore(e)
	staff, err := p.qrStaff(e)
	if staff == nil {
		return err
	}
	size, err := receipt.ParsePosterSize(e.Request.URL.Query().Get("size"))
	if err != nil {
		return p.render(e, http.StatusBadRequest, "notfound.html", notFoundPage{
			Title: "qrpage.title", Body: "qrpage.err.poster_size", Links: []link{{"/staf/qr", "qrpage.title"}},
		})
	}
	slug := e.Request.PathValue("slug")
	var point *core.Record
	if slugRe.MatchString(slug) {
		point, _ = p.app.FindFirstRecordByData(model.QRPoints, "slug", slug)
	}
	if point == nil {
		return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
			Title: "qrpage.notfound", Body: "qrpage.notfound.body", Links: []link{{"/staf/qr", "qrpage.title"}},
		})
	}
	office, base, _ := p.officeIdentity(e.Request)
	if base == "" || links.Loopback(base) {
		// A code for 127.0.0.1 opens nothing on a citizen's phone.
		return p.render(e, http.StatusConflict, "notfound.html", notFoundPage{
			Title: "qrpage.loopback.title", Body: "qrpage.loopback.body", Links: []link{{"/staf/qr", "qrpage.title"}},
			LAN: links.LANAddresses(links.Port(links.Origin(e.Request))), Path: e.Request.URL.RequestURI(),
		})
	}
	var buf bytes.Buffer
	err = receipt.RenderPoster(&buf, receipt.Poster{Size: size, Office: office, Label: point.GetString("label"),
		Location: point.GetString("location"), URL: base + "/q/" + url.PathEscape(slug), Linked: p.linked()})
	if err != nil {
		p.app.Logger().Error("ui: poster pdf failed", "slug", slug, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	// Printed for an address phones can open: the checklist's last step.
	if _, err := p.app.DB().NewQuery("UPDATE qr_points SET printed_at = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": clock.Now(p.app).UTC().Format(types.DefaultDateLayout), "id": point.Id}).Execute(); err != nil {
		p.app.Logger().Warn("ui: poster printed_at", "error", err.Error())
	}
	return sendPDF(e, "poster-"+slug+"-"+string(size)+".pdf", buf.Bytes())
}
