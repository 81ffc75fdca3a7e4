package ui

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/vocab"
	"simpul/hooks/links"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
)

// renderer parses every template once and renders pages in the visitor's
// language with the office's identity.
type renderer struct {
	app  core.App
	cfg  config.Config
	tmpl *template.Template
}

// Page is what every template receives.
type Page struct {
	Lang   string // "id" or "en"
	T      func(key string) string
	Office Office
	Path   string
	Data   any
	// LinkWarn is set on staff pages when no public base URL is
	// configured: links then use the address the page was opened at.
	LinkWarn *linkWarn
	// Linked: the office has a parent (a hub or SP4N-LAPOR!), so the
	// footer may say reports go on to SP4N-LAPOR!.
	Linked bool
	// Staff is true on staff pages: the header leads to the staff desk
	// and the counter, not to the public form (a clerk must not take a
	// walk-in report through the citizen's channel).
	Staff bool
}

// linkWarn tells staff where printed links point (links.Base) and, for a
// loopback address, which network addresses the office's phones can use.
type linkWarn struct {
	Origin   string
	Loopback bool
	LAN      []string
	Path     string
}

// linked reports whether this office passes reports on to a parent: a
// Simpul hub or SP4N-LAPOR! itself (SIMPUL_UPSTREAM_URL, SIMPUL_LAPOR_URL).
func (p *renderer) linked() bool {
	return p.cfg.Linked()
}

// staffPath reports whether path is a page for signed-in staff.
func staffPath(path string) bool {
	return path == "/staf" || strings.HasPrefix(path, "/staf/") || path == "/loket" || strings.HasPrefix(path, "/loket/") ||
		path == "/kiosk/setup"
}

// Office is the identity shown in every page header.
type Office struct {
	Name     string
	Code     string
	TimeZone string
	TZLabel  string // WIB, WITA, WIT
}

func newRenderer(app core.App, cfg config.Config) *renderer {
	funcs := template.FuncMap{
		"statusLabel":  func(lang, code string) string { return vocab.Status(lang, code) },
		"roleLabel":    vocab.Role,
		"channelLabel": ChannelLabel,
		// dict builds a map from key, value pairs, to pass several values
		// to a sub-template.
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				if k, ok := kv[i].(string); ok {
					m[k] = kv[i+1]
				}
			}
			return m
		},
	}
	t := template.Must(template.New("").Funcs(funcs).ParseFS(files, "templates/*.html"))
	return &renderer{app: app, cfg: cfg, tmpl: t}
}

// render executes a template into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (p *renderer) render(e *core.RequestEvent, status int, name string, data any) error {
	lang := Lang(e)
	page := Page{Lang: lang, T: vocab.Translator(lang), Office: p.office(), Path: e.Request.URL.Path, Data: data}
	page.Staff = staffPath(page.Path)
	page.Linked = p.linked()
	if page.Staff && links.Configured(p.app) == "" {
		origin := links.Origin(e.Request)
		page.LinkWarn = &linkWarn{Origin: origin, Loopback: links.Loopback(origin), Path: e.Request.URL.RequestURI()}
		if page.LinkWarn.Loopback {
			page.LinkWarn.LAN = links.LANAddresses(links.Port(origin))
		}
	}
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, page); err != nil {
		p.app.Logger().Error("ui: render failed", "template", name, "error", err.Error())
		return e.InternalServerError("", nil)
	}
	h := e.Response.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", lang)
	e.Response.WriteHeader(status)
	_, err := e.Response.Write(buf.Bytes())
	return err
}

// office reads the office identity; a missing row falls back to the
// configured defaults so a page never fails for it.
func (p *renderer) office() Office {
	o := Office{Name: p.cfg.OfficeName, Code: p.cfg.OfficeCode, TimeZone: p.cfg.TimeZone}
	if off, ok := settings.OfficeOf(p.app); ok {
		o.Name, o.Code, o.TimeZone = off.Name, off.Code, off.TimeZone
	}
	o.TZLabel = vocab.Zone(o.TimeZone)
	return o
}

// Lang picks the page language: ?lang= first, then the "lang" cookie, then
// Bahasa Indonesia. A ?lang= choice is remembered in the cookie.
func Lang(e *core.RequestEvent) string {
	if q := e.Request.URL.Query().Get("lang"); q == "id" || q == "en" {
		http.SetCookie(e.Response, &http.Cookie{Name: "lang", Value: q, Path: "/",
			MaxAge: int((365 * 24 * time.Hour).Seconds()), SameSite: http.SameSiteLaxMode})
		return q
	}
	if c, err := e.Request.Cookie("lang"); err == nil && c.Value == "en" {
		return "en"
	}
	return "id" // Indonesian first, whatever the browser says
}

// sendPDF answers with a PDF to show in the browser. The pages' strict
// Content-Security-Policy is dropped for it: browsers' built-in PDF
// viewers run as a page of their own under the response's policy, and
// Chromium's has shown only a sliver of the document under
// "default-src 'none'" (its inline styles refused). The other hardening
// headers stay; nosniff keeps the bytes a PDF, and no-store keeps PINs
// out of caches.
func sendPDF(e *core.RequestEvent, filename string, pdf []byte) error {
	h := e.Response.Header()
	h.Del("Content-Security-Policy")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	return e.Blob(http.StatusOK, "application/pdf", pdf)
}
