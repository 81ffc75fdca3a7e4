package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/export"
)

// PublicReportsPath is the public page of verified public reports.
const PublicReportsPath = "/laporan"

// publicPerPage is how many reports one page of /laporan shows.
const publicPerPage = 20

// publicReportsPage is the data of publik.html: verified public reports
// (privacy.ListedCondition), never a reporter, a body or a note.
type publicReportsPage struct {
	Category   string
	Unit       string
	Categories []choice
	Units      []choice
	Rows       []publicRow
	Page       int
	PrevURL    string
	NextURL    string
	OpenData   string
}

type publicRow struct {
	Code, Title, Category, Unit, Status, StatusCode, Date string
}

func (p *renderer) publicReports(e *core.RequestEvent) error {
	lang := Lang(e)
	q := e.Request.URL.Query()
	d := &publicReportsPage{Category: strings.ToUpper(strings.TrimSpace(q.Get("category"))),
		Unit: strings.ToUpper(strings.TrimSpace(q.Get("unit"))), OpenData: export.OpenDataPath}
	d.Categories = p.publicCategories(lang)
	d.Units = p.publicUnits(lang)
	// Only codes offered in the selects filter; anything else is ignored.
	if !hasChoice(d.Categories, d.Category) {
		d.Category = ""
	}
	if !hasChoice(d.Units, d.Unit) {
		d.Unit = ""
	}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	if d.Page < 1 || d.Page > 100_000 {
		d.Page = 1
	}
	tz := p.office().TimeZone
	err := export.EachPublic(p.app, export.PublicFilter{Category: d.Category, Unit: d.Unit,
		Limit: publicPerPage + 1, Offset: (d.Page - 1) * publicPerPage}, func(r *export.PublicReport) error {
		cat := r.CategoryName
		if lang == "en" && r.CategoryNameEN != "" {
			cat = r.CategoryNameEN
		}
		d.Rows = append(d.Rows, publicRow{Code: r.Code, Title: r.Title, Category: cat, Unit: r.UnitName,
			Status: vocab.Status(lang, r.Status), StatusCode: r.Status, Date: FormatDate(lang, r.CreatedTime(), tz)})
		return nil
	})
	if err != nil {
		p.app.Logger().Error("ui: public reports failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	pageURL := func(n int) string {
		v := url.Values{}
		if d.Category != "" {
			v.Set("category", d.Category)
		}
		if d.Unit != "" {
			v.Set("unit", d.Unit)
		}
		v.Set("page", strconv.Itoa(n))
		return PublicReportsPath + "?" + v.Encode()
	}
	if len(d.Rows) > publicPerPage {
		d.Rows = d.Rows[:publicPerPage]
		d.NextURL = pageURL(d.Page + 1)
	}
	if d.Page > 1 {
		d.PrevURL = pageURL(d.Page - 1)
	}
	return p.render(e, http.StatusOK, "publik.html", d)
}

func hasChoice(list []choice, v string) bool {
	for _, c := range list {
		if c.Value == v {
			return true
		}
	}
	return false
}

// publicCategories lists the active categories for the filter: each parent
// (which selects its children too) followed by its children.
func (p *renderer) publicCategories(lang string) []choice {
	out := []choice{{Value: "", Label: vocab.T(lang, "public.any_category")}}
	for _, g := range p.categoryGroups(lang) {
		out = append(out, choice{Value: g.Value, Label: g.Label})
		for _, c := range g.Options {
			out = append(out, choice{Value: c.Value, Label: "— " + c.Label})
		}
	}
	return out
}

func (p *renderer) publicUnits(lang string) []choice {
	out := []choice{{Value: "", Label: vocab.T(lang, "public.any_unit")}}
	recs, err := p.app.FindRecordsByFilter(model.Units, "active = true", "name", 500, 0)
	if err != nil {
		p.app.Logger().Error("ui: units failed", "error", err.Error())
		return out
	}
	for _, r := range recs {
		out = append(out, choice{Value: r.GetString("code"), Label: r.GetString("name")})
	}
	return out
}
