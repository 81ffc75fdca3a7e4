package ui

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/token"
)

// categoryNames maps category codes to their names in lang (English names
// where an admin gave one), for pages that list complaints.
func (p *renderer) categoryNames(lang string) map[string]string {
	out := map[string]string{}
	recs, err := p.app.FindRecordsByFilter(model.Categories, "id != ''", "", 0, 0)
	if err != nil {
		return out
	}
	for _, r := range recs {
		name := r.GetString("name")
		if lang == "en" && r.GetString("name_en") != "" {
			name = r.GetString("name_en")
		}
		out[r.GetString("code")] = name
	}
	return out
}

// categoryHint is what a report in the top-level category code should
// say so the unit can act on it (guide.cat.CODE, else a general hint).
func categoryHint(lang, code string) string {
	if s := vocab.T(lang, "guide.cat."+code); s != "guide.cat."+code {
		return s
	}
	return vocab.T(lang, "guide.cat.default")
}

// formFields are the inputs of the complaint form; their names are the
// API field names (docs/api.md).
var formFields = []string{"channel", "type", "title", "body", "category", "unit", "incident_date", "location",
	"privacy", "reporter_name", "reporter_nik", "reporter_phone", "reporter_email", "identity_checked",
	"reporter_gender", "reporter_disability"}

// choice is one option of a select or radio group.
type choice struct {
	Value, Label, Hint string
}

// catGroup is a parent category with its children (an optgroup), or a
// childless top-level category (Options empty: a plain option). Icon names
// the kiosk tile's symbol (caticons in complaint_form.html); Hint is what
// a follow-up on a report of the group needs (5W1H), set on every option.
type catGroup struct {
	Value, Label, Icon, Hint string
	Options                  []choice
}

// catIcons are the top-level category codes with a symbol of their own;
// every other category shows the "other" symbol.
var catIcons = map[string]bool{"KES": true, "ADM": true, "PDK": true, "INF": true, "LING": true, "IZIN": true,
	"SOS": true, "TK": true, "HUB": true, "TIB": true, "PEL": true, "LAIN": true}

// fieldError is one error, for the summary at the top of the form.
type fieldError struct {
	Field, Label, Message string
}

// formView is the complaint form as rendered: the values typed, the errors
// per field and the choices. Templates read it through its methods.
type formView struct {
	Values    url.Values
	Errors    map[string]string
	ErrorList []fieldError
	HasErrors bool
	Failed    bool // a server-side failure, not the citizen's fault

	ClientRef string
	Honeypot  string
	// Held names the attachments kept from an earlier try (held.go).
	Held      string
	HeldFiles []heldFile
	QRSlug    string
	CSRF      string
	Action    string
	Kiosk     bool
	Counter   bool

	Types     []choice
	Privacies []choice
	Groups    []catGroup
	Units     []choice
	Channels  []choice // the counter's: how the report reached the desk
	Genders   []choice
	// Guide lists what a complete report says (5W1H); CategoryHint is the
	// chosen category's own hint.
	Guide        []string
	CategoryHint string
	Today        string // the office's date, the latest incident date
}

// Val is the value typed into field.
func (f *formView) Val(field string) string { return f.Values.Get(field) }

// Err is field's error message, or "".
func (f *formView) Err(field string) string { return f.Errors[field] }

// Is tells whether field holds value (radios, selects, checkboxes).
func (f *formView) Is(field, value string) bool { return f.Values.Get(field) == value }

// Desc is the aria-describedby list of field: its hint and its error.
func (f *formView) Desc(field string) string {
	if f.Errors[field] != "" {
		return field + "-hint " + field + "-err"
	}
	return field + "-hint"
}

// formPage is the data of a page that shows the complaint form.
type formPage struct {
	Form    *formView
	QRLabel string
}

// newClientRef returns a fresh idempotency key for one rendering of the
// form: submitting the same rendering twice (a double tap, a retry on a
// flaky link) gives the same complaint.
func newClientRef() string { return "f-" + token.New() }

// newForm returns the form with its choices loaded and the defaults set.
func (p *renderer) newForm(lang, action string) *formView {
	f := &formView{
		Values:    url.Values{},
		Errors:    map[string]string{},
		ClientRef: newClientRef(),
		Honeypot:  honeypotField,
		Action:    action,
	}
	f.Values.Set("type", model.TypePengaduan)
	f.Values.Set("privacy", model.PrivacyPublic)
	for _, t := range model.Types {
		f.Types = append(f.Types, choice{t, vocab.T(lang, "type."+t), vocab.T(lang, "type."+t+".hint")})
	}
	for _, pv := range model.Privacies {
		f.Privacies = append(f.Privacies, choice{pv, vocab.T(lang, "privacy."+pv), vocab.T(lang, "privacy."+pv+".hint")})
	}
	f.Groups = p.categoryGroups(lang)
	f.Units = p.formUnits()
	for _, g := range []string{"perempuan", "laki_laki"} {
		f.Genders = append(f.Genders, choice{Value: g, Label: vocab.T(lang, "form.gender."+g)})
	}
	f.Genders = append(f.Genders, choice{Value: "", Label: vocab.T(lang, "form.gender.none")})
	for _, k := range []string{"what", "where", "when", "who", "service", "hope"} {
		f.Guide = append(f.Guide, vocab.T(lang, "guide."+k))
	}
	f.Today = inZone(clock.Now(p.app), p.office().TimeZone).Format("2006-01-02")
	return f
}

// counterForm adds the clerk's fields to f: the channel, defaulting to a
// walk-in.
func (f *formView) counterForm(lang string) {
	f.Counter = true
	for _, c := range model.CounterChannels {
		f.Channels = append(f.Channels, choice{Value: c, Label: vocab.T(lang, "channel."+c)})
	}
	f.Values.Set("channel", model.ChannelCounter)
}

// settle fills what depends on the values: the chosen category's hint.
func (f *formView) settle() {
	code := f.Values.Get("category")
	for _, g := range f.Groups {
		if g.Value == code {
			f.CategoryHint = g.Hint
		}
		for _, o := range g.Options {
			if o.Value == code {
				f.CategoryHint = o.Hint
			}
		}
	}
}

// categoryGroups builds the grouped category select from the active
// categories: top-level categories become optgroups of their children.
func (p *renderer) categoryGroups(lang string) []catGroup {
	recs, err := p.app.FindRecordsByFilter(model.Categories, "active = true", "sort,name", 0, 0)
	if err != nil {
		p.app.Logger().Error("ui: categories failed", "error", err.Error())
		return nil
	}
	name := func(r *core.Record) string {
		if lang == "en" && r.GetString("name_en") != "" {
			return r.GetString("name_en")
		}
		return r.GetString("name")
	}
	children := map[string][]choice{}
	for _, r := range recs {
		if parent := r.GetString("parent"); parent != "" {
			children[parent] = append(children[parent], choice{Value: r.GetString("code"), Label: name(r)})
		}
	}
	var groups []catGroup
	for _, r := range recs {
		if r.GetString("parent") == "" {
			code := r.GetString("code")
			g := catGroup{Value: code, Label: name(r), Icon: "LAIN", Hint: categoryHint(lang, code), Options: children[r.Id]}
			if catIcons[code] {
				g.Icon = code
			}
			for i := range g.Options {
				g.Options[i].Hint = g.Hint
			}
			groups = append(groups, g)
		}
	}
	// Childless top-level categories ("Lainnya") go last, after the groups.
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].Options) > 0 && len(groups[j].Options) == 0 })
	return groups
}

// formUnits lists the active units; with only one unit the choice is
// pointless and the select is left out.
func (p *renderer) formUnits() []choice {
	recs, err := p.app.FindRecordsByFilter(model.Units, "active = true", "name", 0, 0)
	if err != nil || len(recs) < 2 {
		return nil
	}
	out := make([]choice, 0, len(recs))
	for _, r := range recs {
		out = append(out, choice{Value: r.GetString("code"), Label: r.GetString("name")})
	}
	return out
}

// readForm copies the posted complaint fields into f, keeping the
// rendering's client_ref so a resubmission stays idempotent.
func readForm(e *core.RequestEvent, f *formView) {
	for _, k := range formFields {
		f.Values.Set(k, strings.TrimSpace(e.Request.FormValue(k)))
	}
	if ref := strings.TrimSpace(e.Request.FormValue("client_ref")); ref != "" && len(ref) <= 100 {
		f.ClientRef = ref
	}
	if tok := e.Request.FormValue(heldField); heldToken.MatchString(tok) {
		f.Held = tok
	}
	f.settle()
}

func (p *renderer) laporForm(e *core.RequestEvent) error {
	f := p.newForm(Lang(e), "/lapor")
	return p.render(e, http.StatusOK, "lapor.html", formPage{Form: f})
}

func (p *renderer) laporSubmit(e *core.RequestEvent) error {
	f := p.newForm(Lang(e), "/lapor")
	return p.submitForm(e, f, "", submitOptions{Channel: model.ChannelWeb, Again: "/lapor"})
}

// findQRPoint returns the active QR point with slug, or nil.
func (p *renderer) findQRPoint(slug string) *core.Record {
	if len(slug) > 64 {
		return nil
	}
	rec, err := p.app.FindFirstRecordByFilter(model.QRPoints, "slug = {:slug} && active = true", dbx.Params{"slug": slug})
	if err != nil {
		return nil
	}
	return rec
}

// qrPrefill sets the QR point's unit, category and location in f.
func (p *renderer) qrPrefill(f *formView, qr *core.Record) {
	f.QRSlug = qr.GetString("slug")
	if id := qr.GetString("unit"); id != "" {
		if u, err := p.app.FindRecordById(model.Units, id); err == nil {
			f.Values.Set("unit", u.GetString("code"))
		}
	}
	if id := qr.GetString("category"); id != "" {
		if c, err := p.app.FindRecordById(model.Categories, id); err == nil {
			f.Values.Set("category", c.GetString("code"))
		}
	}
	f.Values.Set("location", qr.GetString("location"))
	f.settle()
}

// qrPage is the QR point the path's {slug} names and the form posted back
// to its page; nil when there is no such active point.
func (p *renderer) qrPage(e *core.RequestEvent) (*core.Record, *formView, string) {
	slug := e.Request.PathValue("slug")
	qr := p.findQRPoint(slug)
	if qr == nil {
		return nil, nil, ""
	}
	page := "/q/" + url.PathEscape(slug)
	return qr, p.newForm(Lang(e), page), page
}

func (p *renderer) qrForm(e *core.RequestEvent) error {
	qr, f, _ := p.qrPage(e)
	if qr == nil {
		return p.qrNotFound(e)
	}
	p.qrPrefill(f, qr)
	return p.render(e, http.StatusOK, "lapor.html", formPage{Form: f, QRLabel: qr.GetString("label")})
}

func (p *renderer) qrSubmit(e *core.RequestEvent) error {
	qr, f, page := p.qrPage(e)
	if qr == nil {
		return p.qrNotFound(e)
	}
	f.QRSlug = qr.GetString("slug")
	return p.submitForm(e, f, qr.GetString("label"), submitOptions{Channel: model.ChannelQR, Again: page})
}

// notFoundPage is the data of the friendly 404 pages.
type notFoundPage struct {
	Title, Body string
	Links       []link
	// LAN lists the server's network addresses, offered as links to Path
	// on each (a page refused for a loopback address).
	LAN  []string
	Path string
}

type link struct{ Href, Label string }

func (p *renderer) qrNotFound(e *core.RequestEvent) error {
	return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
		Title: "qr.notfound.title", Body: "qr.notfound.body",
		Links: []link{{"/lapor", "start.report"}},
	})
}
