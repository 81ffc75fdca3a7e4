// Package open311 serves Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2)
// under /open311/v2/, in XML (the spec's required format) and JSON:
//
//	GET  discovery.{fmt}            service discovery
//	GET  services.{fmt}             the categories citizens may choose
//	GET  services/{code}.{fmt}      a service definition (no extra attributes)
//	POST requests.{fmt}             a new report, through hooks/intake (channel open311)
//	GET  requests.{fmt}             verified public reports, filtered and paged
//	GET  requests/{id}.{fmt}        one report by its tracking code
//	GET  tokens/{id}.{fmt}          tokens (never issued: ids come back at once)
//
// service_request_id is the tracking code and service_code a category
// code (docs/api.md). Go's router takes only whole-segment wildcards, so
// "requests/{id}.json" is routed as "requests/{file}" and split.
//
// Errors follow the spec: {"code","description"} objects in a JSON array,
// or <errors><error><code/><description/></error></errors>, with 404 for
// what does not exist, 403 for a missing or wrong api_key and 400 for any
// other refusal (429 with Retry-After when a key submits too fast). An
// unknown format extension is a 404 answered in XML.
//
// POST needs an api_key issued by an admin ("simpul open311 keys add
// NAME", keys.go); every other method is open. jurisdiction_id is accepted
// and ignored: a Simpul serves one jurisdiction, its office.
package open311

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/links"
	"simpul/hooks/platform/config"
	"simpul/hooks/platform/routes"
	"simpul/hooks/settings"
)

// Base is the root of the API.
const Base = "/open311/v2"

// Specification is the spec's URL, as service discovery names it.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// Changeset is when this implementation of the endpoint last changed
// (service discovery's changeset).
const Changeset = "2025-11-22T00:00:00Z"

// Formats.
const (
	formatXML  = "xml"
	formatJSON = "json"
)

// Register binds the Open311 routes and the API key hooks to app.
func Register(app core.App, cfg config.Config) {
	h := &handlers{app: app, cfg: cfg}
	bindKeyHooks(app)
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodGet, Path: Base + "/{file}", Who: routes.Anyone, Handler: byFile(h.get)},
		{Method: http.MethodPost, Path: Base + "/{file}", Who: routes.Open311Key, Handler: byFile(h.post)},
		{Method: http.MethodGet, Path: Base + "/services/{file}", Who: routes.Anyone, Handler: byFile(h.serviceDefinition)},
		{Method: http.MethodGet, Path: Base + "/requests/{file}", Who: routes.Anyone, Handler: byFile(h.request)},
		{Method: http.MethodGet, Path: Base + "/tokens/{file}", Who: routes.Anyone, Handler: byFile(h.token)},
	}})
}

type handlers struct {
	app core.App
	cfg config.Config
}

// splitFile splits "name.fmt" into its name and format. ok is false when
// the extension is not xml or json (or missing).
func splitFile(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, "", false
	}
	name, format = file[:i], strings.ToLower(file[i+1:])
	return name, format, format == formatXML || format == formatJSON
}

// apiError is one entry of an error answer.
type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type errorsXML struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []apiError `xml:"error"`
}

// fail writes a spec error answer with HTTP status; each description
// becomes one error entry with code status.
func fail(e *core.RequestEvent, format string, status int, descriptions ...string) error {
	errs := make([]apiError, len(descriptions))
	for i, d := range descriptions {
		errs[i] = apiError{Code: status, Description: d}
	}
	return write(e, format, status, errs, errorsXML{Errors: errs})
}

// unknownFormat answers a request whose extension is neither .xml nor
// .json: the resource does not exist in that format (404), said in XML,
// the format every GeoReport client reads.
// byFile is the handler of a route ending in {file} ("requests/ID.json":
// Go's router takes only whole-segment wildcards, so the extension is
// split here): f gets the name before the extension and the format; an
// extension other than .json or .xml is a 404.
func byFile(f func(e *core.RequestEvent, name, format string) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		name, format, ok := splitFile(e.Request.PathValue("file"))
		if !ok {
			return unknownFormat(e)
		}
		return f(e, name, format)
	}
}

func unknownFormat(e *core.RequestEvent) error {
	return fail(e, formatXML, http.StatusNotFound,
		"Format tidak dikenal; gunakan .xml atau .json. — Unknown format: use .xml or .json.")
}

// write answers in format: jsonBody encoded as JSON, or xmlBody as XML
// with the XML declaration.
func write(e *core.RequestEvent, format string, status int, jsonBody, xmlBody any) error {
	var (
		body []byte
		err  error
		ct   string
	)
	if format == formatJSON {
		body, err = json.Marshal(jsonBody)
		ct = "application/json; charset=utf-8"
	} else {
		body, err = xml.Marshal(xmlBody)
		body = append([]byte(xml.Header), body...)
		ct = "text/xml; charset=utf-8"
	}
	if err != nil {
		e.App.Logger().Error("open311_encode_failed", "error", err.Error())
		return e.InternalServerError("", nil)
	}
	h := e.Response.Header()
	h.Set("Content-Type", ct)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	e.Response.WriteHeader(status)
	_, err = e.Response.Write(body)
	return err
}

// get dispatches GET discovery, services and requests.
func (h *handlers) get(e *core.RequestEvent, name, format string) error {
	switch name {
	case "discovery":
		return h.discovery(e, format)
	case "services":
		return h.services(e, format)
	case "requests":
		return h.requests(e, format)
	}
	return notFound(e, format)
}

// post dispatches POST requests.
func (h *handlers) post(e *core.RequestEvent, name, format string) error {
	switch name {
	case "requests":
		return h.createRequest(e, format)
	case "discovery", "services":
		e.Response.Header().Set("Allow", http.MethodGet)
		return fail(e, format, http.StatusMethodNotAllowed, "Hanya GET. — Only GET is allowed here.")
	}
	return notFound(e, format)
}

func notFound(e *core.RequestEvent, format string) error {
	return fail(e, format, http.StatusNotFound, "Sumber tidak ditemukan. — No such resource.")
}

// office is the office's identity for discovery and notices.
type office struct {
	Name, Email, Phone, PublicURL string
}

func (h *handlers) office() office {
	o := office{Name: h.cfg.OfficeName, PublicURL: h.cfg.PublicURL}
	if row, ok := settings.OfficeOf(h.app); ok {
		o.Name, o.Email, o.Phone = row.Name, row.Email, row.Phone
		o.PublicURL = row.PublicBaseURL // the environment's value is written into the row at start
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	return o
}

// discovery is GET discovery.{fmt}.
type discovery struct {
	XMLName    xml.Name   `xml:"discovery" json:"-"`
	Changeset  string     `xml:"changeset" json:"changeset"`
	Contact    string     `xml:"contact" json:"contact"`
	KeyService string     `xml:"key_service" json:"key_service"`
	Endpoints  []endpoint `xml:"endpoints>endpoint" json:"endpoints"`
}

type endpoint struct {
	Specification string   `xml:"specification" json:"specification"`
	URL           string   `xml:"url" json:"url"`
	Changeset     string   `xml:"changeset" json:"changeset"`
	Type          string   `xml:"type" json:"type"`
	Formats       []string `xml:"formats>format" json:"formats"`
}

func (h *handlers) discovery(e *core.RequestEvent, format string) error {
	o := h.office()
	if o.PublicURL == "" {
		o.PublicURL = links.Origin(e.Request)
	}
	contact := o.Name
	for _, s := range []string{o.Email, o.Phone} {
		if s != "" {
			contact += ", " + s
		}
	}
	key := "Kunci API (api_key) untuk POST diterbitkan admin kantor. — API keys for POST are issued by the office's admins"
	if o.Email != "" {
		key += ": " + o.Email
	}
	d := discovery{Changeset: Changeset, Contact: contact, KeyService: key + ".",
		Endpoints: []endpoint{{Specification: Specification, URL: o.PublicURL + Base, Changeset: Changeset,
			Type: "production", Formats: []string{"text/xml", "application/json"}}}}
	e.Response.Header().Set("Cache-Control", "public, max-age=3600")
	return write(e, format, http.StatusOK, d, d)
}
