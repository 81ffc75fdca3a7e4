package ui

import (
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/links"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
	"simpul/hooks/sla"
)

// The office's own set-up (/staf/pengaturan, admins): identity, time zone
// and working days, the public address, next year's holidays with their
// decree, the SLA policy and the staff accounts, in Bahasa Indonesia, so
// nobody needs /_/ for daily work (its inputs' names are a contract:
// docs/api.md, "Office set-up"). Each section is its own form (action=office, sla, holiday_add,
// holiday_delete, staff_add, staff_active); every save goes through
// app.Save, whose hooks drop the caches that read these rows (intake's
// references, the SLA calendar and policy), so it takes effect at once.
// A field that the server's environment sets (settings.EnvField) is shown
// but not editable: the variable wins at every start.

// settingsPage is the data of staf_pengaturan.html.
type settingsPage struct {
	CSRF      string
	StaffName string
	Role      string
	Saved     string            // the section just saved (an i18n key), for the message
	Section   string            // the section whose form came back with errors
	Errors    map[string]string // field → message (in the page's language)
	HasErrors bool

	Office    settingsOffice
	Env       map[string]string // field → the variable that sets it
	TimeZones []choice
	Weekdays  []weekdayChoice
	LogoURL   bool // a logo is on file
	Origin    string
	LAN       []string

	SLA      []slaRow
	Year     int // the year whose holidays are listed: next year
	Holidays []holidayRow
	NewHol   holidayRow
	HolTypes []choice

	Staff    []staffAccount
	NewStaff staffAccount
	Roles    []choice
	Units    []choice
}

type settingsOffice struct {
	Name, Code, Address, Phone, Email, Timezone, PublicURL string
	Printer                                                string // counter_printer
	Days                                                   map[int]bool
}

type weekdayChoice struct {
	Value int
	Label string
}

// slaRow is one SLA policy row (hooks/sla.Rules): its value (whole days
// or a choice) and legal basis, both editable.
type slaRow struct {
	Code, Name, Unit, UnitLabel, Value, Basis string
	Choices                                   []choice
}

type holidayRow struct {
	ID, Date, Type, TypeLabel, Name, Basis string
}

type staffAccount struct {
	ID, Name, Email, Role, RoleLabel, Unit, UnitName string
	Active, Self                                     bool
}

// Err is field's message, or "".
func (d *settingsPage) Err(field string) string { return d.Errors[field] }

// Locked tells whether the environment sets field.
func (d *settingsPage) Locked(field string) bool { return d.Env[field] != "" }

func (p *renderer) settingsAdmin(e *core.RequestEvent) (*core.Record, error) {
	staff := StaffSession(p.app, e)
	if staff == nil {
		return nil, e.Redirect(http.StatusSeeOther, "/staf")
	}
	if staff.GetString("role") != model.RoleAdmin {
		return nil, p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
			Title: "settings.title", Body: "settings.forbidden", Links: []link{{"/staf", "nav.staff"}},
		})
	}
	return staff, nil
}

func (p *renderer) settingsPage(e *core.RequestEvent) error {
	noStore(e)
	staff, err := p.settingsAdmin(e)
	if staff == nil {
		return err
	}
	d, err := p.newSettingsPage(e, staff)
	if err != nil {
		return err
	}
	if s := e.Request.URL.Query().Get("ok"); settingsSections[s] {
		d.Saved = "settings.saved." + s
	}
	return p.render(e, http.StatusOK, "staf_pengaturan.html", d)
}

var settingsSections = map[string]bool{"office": true, "sla": true, "holiday_add": true, "holiday_delete": true,
	"staff_add": true, "staff_active": true}

func (p *renderer) newSettingsPage(e *core.RequestEvent, staff *core.Record) (*settingsPage, error) {
	lang := Lang(e)
	office, err := settings.OfficeRecord(p.app)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	d := &settingsPage{CSRF: CSRFToken(e), StaffName: staff.GetString("name"), Role: staff.GetString("role"),
		Errors: map[string]string{}, Env: map[string]string{}}
	for field, name := range settings.EnvField {
		if _, set := p.cfg.OfficeEnv[name]; set {
			d.Env[field] = name
		}
	}
	d.Office = officeForm(office)
	d.LogoURL = office.GetString("logo") != ""
	for _, z := range model.TimeZones {
		d.TimeZones = append(d.TimeZones, choice{Value: z, Label: vocab.Zone(z) + " — " + vocab.T(lang, "settings.tz."+z)})
	}
	for i := 1; i <= 7; i++ {
		d.Weekdays = append(d.Weekdays, weekdayChoice{Value: i, Label: vocab.T(lang, "settings.day."+strconv.Itoa(i))})
	}
	d.Origin = links.Origin(e.Request)
	d.LAN = links.LANAddresses(links.Port(d.Origin))

	for _, r := range sla.Rules {
		name := r.Name
		if len(r.Choices) > 0 {
			// The rule's name spells its stored choices in parentheses for
			// /_/ and the policy rows; here the choices have words of their own.
			name, _, _ = strings.Cut(name, " (")
		}
		row := slaRow{Code: r.Code, Name: name, Unit: r.Unit, UnitLabel: vocab.T(lang, "settings.sla.unit."+r.Unit),
			Value: r.Default, Basis: r.LegalBasis}
		if rec, err := p.app.FindFirstRecordByData(model.SLAPolicies, "code", r.Code); err == nil {
			row.Value, row.Basis = rec.GetString("value"), rec.GetString("legal_basis")
		}
		for _, c := range r.Choices {
			row.Choices = append(row.Choices, choice{Value: c, Label: vocab.T(lang, "settings.sla.choice."+c)})
		}
		d.SLA = append(d.SLA, row)
	}
	d.Year = inZone(clock.Now(p.app), office.GetString("timezone")).Year() + 1
	hols, err := p.app.FindRecordsByFilter(model.Holidays, "date >= {:from} && date <= {:to}", "date", 0, 0,
		dbx.Params{"from": strconv.Itoa(d.Year) + "-01-01", "to": strconv.Itoa(d.Year) + "-12-31"})
	if err != nil {
		return nil, p.listFailed(e, err)
	}
	for _, h := range hols {
		d.Holidays = append(d.Holidays, holidayRow{ID: h.Id, Date: h.GetString("date"), Type: h.GetString("type"),
			TypeLabel: vocab.T(lang, "settings.holtype."+h.GetString("type")), Name: h.GetString("name"), Basis: h.GetString("legal_basis")})
	}
	for _, ht := range []string{model.HolidayNasional, model.HolidayCutiBersama, model.HolidayLokal} {
		d.HolTypes = append(d.HolTypes, choice{Value: ht, Label: vocab.T(lang, "settings.holtype."+ht)})
	}
	d.NewHol.Type = model.HolidayLokal

	unitIDs := map[string]string{}
	recs, err := p.app.FindRecordsByFilter(model.Units, "id != ''", "", 0, 0)
	if err != nil {
		return nil, p.listFailed(e, err)
	}
	for _, u := range recs {
		unitIDs[u.Id] = u.GetString("name")
	}
	accounts, err := p.app.FindRecordsByFilter(model.Staff, "id != ''", "name", 0, 0)
	if err != nil {
		return nil, p.listFailed(e, err)
	}
	for _, a := range accounts {
		d.Staff = append(d.Staff, staffAccount{ID: a.Id, Name: a.GetString("name"), Email: a.Email(), Role: a.GetString("role"),
			RoleLabel: vocab.Role(lang, a.GetString("role")), UnitName: unitIDs[a.GetString("unit")], Active: a.GetBool("active"),
			Self: a.Id == staff.Id})
	}
	for _, r := range model.Roles {
		d.Roles = append(d.Roles, choice{Value: r, Label: vocab.Role(lang, r), Hint: vocab.T(lang, "settings.role."+r)})
	}
	units, err := p.unitChoices(lang, false)
	if err != nil {
		return nil, p.listFailed(e, err)
	}
	d.Units = append([]choice{{Value: "", Label: vocab.T(lang, "settings.staff.nounit")}}, units...)
	d.NewStaff.Role = model.RoleFrontdesk
	return d, nil
}

func officeForm(office *core.Record) settingsOffice {
	o := settingsOffice{Name: office.GetString("name"), Code: office.GetString("code"), Address: office.GetString("address"),
		Phone: office.GetString("phone"), Email: office.GetString("email"), Timezone: office.GetString("timezone"),
		PublicURL: office.GetString("public_base_url"), Printer: office.GetString("counter_printer"), Days: map[int]bool{}}
	var days []int
	_ = office.UnmarshalJSONField("working_weekdays", &days)
	for _, d := range days {
		o.Days[d] = true
	}
	return o
}

func (p *renderer) settingsSave(e *core.RequestEvent) error {
	noStore(e)
	staff, err := p.settingsAdmin(e)
	if staff == nil {
		return err
	}
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		e.Request.Body = http.MaxBytesReader(e.Response, e.Request.Body, 2<<20)
		if err := e.Request.ParseMultipartForm(1 << 20); err != nil {
			return p.settingsFailed(e, staff, "office", map[string]string{"logo": vocab.T(Lang(e), "settings.err.logo")})
		}
	}
	if !CheckCSRF(e) {
		return p.staffForbidden(e)
	}
	lang := Lang(e)
	action := e.Request.FormValue("action")
	var errs map[string]string
	switch action {
	case "office":
		errs = p.saveOffice(e, lang)
	case "sla":
		errs = p.saveSLA(e, lang)
	case "holiday_add":
		errs = p.addHoliday(e, lang)
	case "holiday_delete":
		errs = p.deleteHoliday(e, lang)
	case "staff_add":
		errs = p.addStaff(e, lang)
	case "staff_active":
		errs = p.toggleStaff(e, staff, lang)
	default:
		return p.staffForbidden(e)
	}
	if len(errs) > 0 {
		return p.settingsFailed(e, staff, action, errs)
	}
	p.app.Logger().Info("settings_saved", "staff_id", staff.Id, "section", action)
	return e.Redirect(http.StatusSeeOther, "/staf/pengaturan?ok="+action+"#saved")
}

// settingsFailed shows the page again with the section's errors and what
// was typed in it.
func (p *renderer) settingsFailed(e *core.RequestEvent, staff *core.Record, section string, errs map[string]string) error {
	d, err := p.newSettingsPage(e, staff)
	if err != nil {
		return err
	}
	d.Section, d.Errors, d.HasErrors = section, errs, true
	f := e.Request.FormValue
	switch section {
	case "office":
		d.Office = settingsOffice{Name: f("name"), Code: f("code"), Address: f("address"), Phone: f("phone"), Email: f("email"),
			Timezone: f("timezone"), PublicURL: f("public_base_url"), Printer: f("counter_printer"), Days: map[int]bool{}}
		for _, s := range e.Request.Form["working_days"] {
			if n, err := strconv.Atoi(s); err == nil {
				d.Office.Days[n] = true
			}
		}
	case "sla":
		for i := range d.SLA {
			d.SLA[i].Value, d.SLA[i].Basis = f(d.SLA[i].Code), f("basis_"+d.SLA[i].Code)
		}
	case "holiday_add":
		d.NewHol = holidayRow{Date: f("date"), Type: f("type"), Name: f("hol_name"), Basis: f("legal_basis")}
	case "staff_add":
		d.NewStaff = staffAccount{Name: f("staff_name"), Email: f("staff_email"), Role: f("role"), Unit: f("unit")}
	}
	return p.render(e, http.StatusBadRequest, "staf_pengaturan.html", d)
}

var officeCode = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)

func (p *renderer) saveOffice(e *core.RequestEvent, lang string) map[string]string {
	office, err := settings.OfficeRecord(p.app)
	if err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	f := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	errs := map[string]string{}
	locked := func(field string) bool {
		_, set := p.cfg.OfficeEnv[settings.EnvField[field]]
		return set
	}
	text := func(field, value string, required bool, max int) {
		if locked(field) {
			return
		}
		switch n := utf8.RuneCountInString(value); {
		case required && n == 0:
			errs[field] = vocab.T(lang, "settings.err.required")
		case n > max:
			errs[field] = vocab.T(lang, "settings.err.toolong")
		default:
			office.Set(field, value)
		}
	}
	text("name", f("name"), true, 200)
	if c := f("code"); !locked("code") {
		if !officeCode.MatchString(c) {
			errs["code"] = vocab.T(lang, "settings.err.code")
		} else {
			office.Set("code", strings.ToUpper(c))
		}
	}
	text("address", f("address"), false, 500)
	text("phone", f("phone"), false, 32)
	if m := f("email"); m != "" {
		if a, err := mail.ParseAddress(m); err != nil || a.Address != m {
			errs["email"] = vocab.T(lang, "settings.err.email")
		} else {
			office.Set("email", m)
		}
	} else {
		office.Set("email", "")
	}
	if z := f("timezone"); !locked("timezone") {
		if !oneOfStr(model.TimeZones, z) {
			errs["timezone"] = vocab.T(lang, "settings.err.timezone")
		} else {
			office.Set("timezone", z)
		}
	}
	if !locked("working_weekdays") {
		var days []int
		for _, s := range e.Request.Form["working_days"] {
			if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 7 && !containsInt(days, n) {
				days = append(days, n)
			}
		}
		sort.Ints(days)
		if len(days) == 0 {
			errs["working_days"] = vocab.T(lang, "settings.err.days")
		} else {
			office.Set("working_weekdays", days)
		}
	}
	if u := strings.TrimRight(f("public_base_url"), "/"); !locked("public_base_url") {
		pu, err := url.Parse(u)
		switch {
		case u == "":
			office.Set("public_base_url", "")
		case err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || pu.RawQuery != "" || pu.Fragment != "":
			errs["public_base_url"] = vocab.T(lang, "settings.err.url")
		case links.Loopback(u):
			errs["public_base_url"] = vocab.T(lang, "settings.err.loopback")
		default:
			office.Set("public_base_url", u)
		}
	}
	if pr, err := ParsePrinter(f("counter_printer")); err != nil {
		errs["counter_printer"] = vocab.T(lang, "settings.err.printer")
	} else {
		office.Set("counter_printer", pr)
	}
	if files, err := e.FindUploadedFiles("logo"); err == nil && len(files) > 0 {
		if msg := checkLogo(files[0]); msg != "" {
			errs["logo"] = vocab.T(lang, msg)
		} else {
			office.Set("logo", files[0])
		}
	} else if e.Request.FormValue("logo_remove") == "1" {
		office.Set("logo", nil)
	}
	if len(errs) > 0 {
		return errs
	}
	if err := p.app.Save(office); err != nil {
		p.app.Logger().Warn("ui: office settings refused", "error", err.Error())
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	return nil
}

// checkLogo accepts a PNG or JPEG up to 1 MB (the offices.logo field).
func checkLogo(f *filesystem.File) string {
	if f.Size > 1<<20 {
		return "settings.err.logo"
	}
	r, err := f.Reader.Open()
	if err != nil {
		return "settings.err.logo"
	}
	defer r.Close()
	head := make([]byte, 8)
	n, _ := r.Read(head)
	head = head[:n]
	if !strings.HasPrefix(string(head), "\x89PNG") && !strings.HasPrefix(string(head), "\xff\xd8\xff") {
		return "settings.err.logo"
	}
	return ""
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (p *renderer) saveSLA(e *core.RequestEvent, lang string) map[string]string {
	errs := map[string]string{}
	var rows []*core.Record
	for _, r := range sla.Rules {
		value := strings.TrimSpace(e.Request.FormValue(r.Code))
		basis := strings.TrimSpace(e.Request.FormValue("basis_" + r.Code))
		if err := r.Check(value); err != nil {
			if r.Unit == sla.UnitChoice {
				errs[r.Code] = vocab.T(lang, "settings.err.required")
			} else {
				errs[r.Code] = vocab.T(lang, "settings.err.days_range")
			}
			continue
		}
		if basis == "" || utf8.RuneCountInString(basis) > 500 {
			errs["basis_"+r.Code] = vocab.T(lang, "settings.err.basis")
			continue
		}
		rec, err := p.app.FindFirstRecordByData(model.SLAPolicies, "code", r.Code)
		if err != nil {
			return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
		}
		rec.Set("value", value)
		rec.Set("legal_basis", basis)
		rows = append(rows, rec)
	}
	if len(errs) > 0 {
		return errs
	}
	err := p.app.RunInTransaction(func(tx core.App) error {
		for _, rec := range rows {
			if err := tx.Save(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		p.app.Logger().Warn("ui: sla settings refused", "error", err.Error())
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	return nil
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (p *renderer) addHoliday(e *core.RequestEvent, lang string) map[string]string {
	f := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	errs := map[string]string{}
	date, typ, name, basis := f("date"), f("type"), f("hol_name"), f("legal_basis")
	if _, err := time.Parse("2006-01-02", date); err != nil || !isoDate.MatchString(date) {
		errs["date"] = vocab.T(lang, "settings.err.date")
	}
	if typ != model.HolidayNasional && typ != model.HolidayCutiBersama && typ != model.HolidayLokal {
		errs["type"] = vocab.T(lang, "settings.err.required")
	}
	if name == "" || utf8.RuneCountInString(name) > 200 {
		errs["hol_name"] = vocab.T(lang, "settings.err.required")
	}
	// Every row carries its legal basis: the SKB 3 Menteri for national
	// holidays and cuti bersama, the regent's decree for a local one.
	if basis == "" || utf8.RuneCountInString(basis) > 500 {
		errs["legal_basis"] = vocab.T(lang, "settings.err.basis")
	}
	if len(errs) > 0 {
		return errs
	}
	col, err := p.app.FindCachedCollectionByNameOrId(model.Holidays)
	if err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	rec := core.NewRecord(col)
	rec.Set("date", date)
	rec.Set("type", typ)
	rec.Set("name", name)
	rec.Set("legal_basis", basis)
	if err := p.app.Save(rec); err != nil {
		return map[string]string{"date": vocab.T(lang, "settings.err.holiday_taken")}
	}
	return nil
}

func (p *renderer) deleteHoliday(e *core.RequestEvent, lang string) map[string]string {
	rec, err := p.app.FindRecordById(model.Holidays, e.Request.FormValue("id"))
	if err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	// Only days still to come: past deadlines were computed with them.
	today := inZone(clock.Now(p.app), p.office().TimeZone).Format("2006-01-02")
	if rec.GetString("date") <= today {
		return map[string]string{"form": vocab.T(lang, "settings.err.holiday_past")}
	}
	if err := p.app.Delete(rec); err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	return nil
}

func (p *renderer) addStaff(e *core.RequestEvent, lang string) map[string]string {
	f := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	errs := map[string]string{}
	name, email, password, role, unit := f("staff_name"), f("staff_email"), e.Request.FormValue("staff_password"), f("role"), f("unit")
	if name == "" || utf8.RuneCountInString(name) > 150 {
		errs["staff_name"] = vocab.T(lang, "settings.err.required")
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		errs["staff_email"] = vocab.T(lang, "settings.err.email")
	} else if _, err := p.app.FindAuthRecordByEmail(model.Staff, email); err == nil {
		errs["staff_email"] = vocab.T(lang, "settings.err.email_taken")
	}
	if utf8.RuneCountInString(password) < 10 {
		errs["staff_password"] = vocab.T(lang, "settings.err.password")
	}
	if !oneOfStr(model.Roles, role) {
		errs["role"] = vocab.T(lang, "settings.err.required")
	}
	var unitID string
	if unit != "" {
		u, err := p.app.FindFirstRecordByData(model.Units, "code", unit)
		if err != nil {
			errs["unit"] = vocab.T(lang, "settings.err.required")
		} else {
			unitID = u.Id
		}
	}
	if role == model.RoleHandler && unitID == "" && errs["unit"] == "" {
		errs["unit"] = vocab.T(lang, "settings.err.handler_unit")
	}
	if len(errs) > 0 {
		return errs
	}
	col, err := p.app.FindCachedCollectionByNameOrId(model.Staff)
	if err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	rec := core.NewRecord(col)
	rec.SetEmail(email)
	rec.SetPassword(password)
	rec.Set("name", name)
	rec.Set("role", role)
	rec.Set("unit", unitID)
	rec.Set("active", true)
	rec.SetVerified(true)
	if err := p.app.Save(rec); err != nil {
		p.app.Logger().Warn("ui: staff account refused", "error", err.Error())
		return map[string]string{"staff_email": vocab.T(lang, "settings.err.failed")}
	}
	return nil
}

func (p *renderer) toggleStaff(e *core.RequestEvent, admin *core.Record, lang string) map[string]string {
	rec, err := p.app.FindRecordById(model.Staff, e.Request.FormValue("id"))
	if err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	if rec.Id == admin.Id {
		return map[string]string{"form": vocab.T(lang, "settings.err.self")}
	}
	rec.Set("active", e.Request.FormValue("active") == "1")
	if err := p.app.Save(rec); err != nil {
		return map[string]string{"form": vocab.T(lang, "settings.err.failed")}
	}
	return nil
}

// setupStep is one line of the first-run checklist on /staf.
type setupStep struct {
	Key, Href string
	Done      bool
}

// setupChecklist lists the essentials an office sets before its first day
// (office name, public address, a coordinator, a QR poster printed), or nil
// when all are done.
//
// The desk renders it for every admin page view (and the live desk fetches
// the page again on each new report), so the office comes from the cached
// accessor; a count that cannot be read leaves its step open and is logged.
func (p *renderer) setupChecklist() []setupStep {
	office, ok := settings.OfficeOf(p.app)
	if !ok {
		return nil
	}
	count := func(collection string, where dbx.Expression) int64 {
		n, err := p.app.CountRecords(collection, where)
		if err != nil {
			p.app.Logger().Warn("ui: first-run checklist", "collection", collection, "error", err.Error())
		}
		return n
	}
	name := strings.TrimSpace(office.Name)
	coordinators := count(model.Staff, dbx.HashExp{"role": model.RoleCoordinator, "active": true})
	printed := count(model.QRPoints, dbx.NewExp("printed_at != ''"))
	steps := []setupStep{
		{Key: "setup.name", Href: "/staf/pengaturan#office", Done: name != "" && name != config.DefaultOfficeName},
		{Key: "setup.url", Href: "/staf/pengaturan#office", Done: office.PublicBaseURL != ""},
		{Key: "setup.coordinator", Href: "/staf/pengaturan#staff", Done: coordinators > 0},
		{Key: "setup.poster", Href: "/staf/qr", Done: printed > 0},
	}
	for _, s := range steps {
		if !s.Done {
			return steps
		}
	}
	return nil
}
