package open311

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// service is one entry of GET services.
type service struct {
	XMLName     xml.Name `xml:"service" json:"-"`
	Code        string   `xml:"service_code" json:"service_code"`
	Name        string   `xml:"service_name" json:"service_name"`
	Description string   `xml:"description" json:"description"`
	Metadata    bool     `xml:"metadata" json:"metadata"`
	Type        string   `xml:"type" json:"type"`
	Keywords    string   `xml:"keywords" json:"keywords"`
	Group       string   `xml:"group" json:"group"`
}

type servicesXML struct {
	XMLName  xml.Name  `xml:"services"`
	Services []service `xml:"service"`
}

// category is a category row with its parent's names.
type category struct {
	ID          string `db:"id"`
	Code        string `db:"code"`
	Name        string `db:"name"`
	NameEN      string `db:"name_en"`
	Description string `db:"description"`
	Parent      string `db:"parent_name"`
	ParentEN    string `db:"parent_name_en"`
}

// serviceList returns the services: the active categories a citizen can
// choose, i.e. those without active children (a parent such as
// "Kesehatan" is the group of its children, as on the citizen form), in
// the form's order.
func serviceList(app core.App) ([]service, error) {
	var cats []category
	err := app.DB().NewQuery(`SELECT c.id, c.code, c.name, c.name_en, c.description,
 COALESCE(p.name,'') AS parent_name, COALESCE(p.name_en,'') AS parent_name_en
 FROM categories c LEFT JOIN categories p ON p.id = c.parent
 WHERE c.active = TRUE
 AND NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent = c.id AND k.active = TRUE)
 ORDER BY COALESCE(p.sort, c.sort), COALESCE(p.name, c.name), c.sort, c.name`).All(&cats)
	if err != nil {
		return nil, err
	}
	out := make([]service, 0, len(cats))
	for _, c := range cats {
		desc := c.Description
		if desc == "" {
			desc = c.NameEN
		}
		var kw []string
		for _, k := range []string{c.NameEN, c.Parent, c.ParentEN} {
			if k != "" && !contains(kw, k) && k != c.Name {
				kw = append(kw, k)
			}
		}
		out = append(out, service{Code: c.Code, Name: c.Name, Description: desc, Metadata: false, Type: "realtime",
			Keywords: strings.Join(kw, ", "), Group: c.Parent})
	}
	return out, nil
}

// findService returns the service with code (any case), or nil.
func findService(app core.App, code string) (*service, error) {
	list, err := serviceList(app)
	if err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	for i := range list {
		if list[i].Code == code {
			return &list[i], nil
		}
	}
	return nil, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// services is GET services.{fmt}.
func (h *handlers) services(e *core.RequestEvent, format string) error {
	list, err := serviceList(h.app)
	if err != nil {
		return h.internal(e, format, err)
	}
	e.Response.Header().Set("Cache-Control", "public, max-age=300")
	return write(e, format, http.StatusOK, list, servicesXML{Services: list})
}

// serviceDefinition is GET services/{code}.{fmt}. Our services have no
// attributes beyond the standard fields: a definition has an empty list.
type serviceDefinition struct {
	XMLName     xml.Name      `xml:"service_definition" json:"-"`
	ServiceCode string        `xml:"service_code" json:"service_code"`
	Attributes  []struct{}    `xml:"-" json:"attributes"`
	AttrsXML    attributesXML `xml:"attributes" json:"-"`
}

type attributesXML struct {
	Attribute []struct{} `xml:"attribute"`
}

func (h *handlers) serviceDefinition(e *core.RequestEvent, code, format string) error {
	if strings.TrimSpace(code) == "" {
		return fail(e, format, http.StatusBadRequest, "service_code belum diisi. — service_code was not provided.")
	}
	s, err := findService(h.app, code)
	if err != nil {
		return h.internal(e, format, err)
	}
	if s == nil {
		return fail(e, format, http.StatusNotFound, "service_code tidak ditemukan. — service_code not found.")
	}
	d := serviceDefinition{ServiceCode: s.Code, Attributes: []struct{}{}}
	return write(e, format, http.StatusOK, d, d)
}

// internal answers a fault of the appliance: 500 (not the spec's "general
// service error" 400, so that clients retry and the operator's metrics
// see it), with the cause in the log only.
func (h *handlers) internal(e *core.RequestEvent, format string, err error) error {
	h.app.Logger().Error("open311_failed", "path", e.Request.URL.Path, "error", err.Error())
	return fail(e, format, http.StatusInternalServerError,
		"Gangguan sistem; silakan coba lagi. — System fault; please try again later.")
}
