// Package links decides the base of every absolute link Simpul builds for
// a person: the tracking URL and receipt URL of a new report, the QR codes
// on receipts, slips and posters, the Open311 discovery endpoint.
//
// The rule (docs/api.md): the office's configured public base URL
// wins; with none configured, a link built for a request uses that
// request's own origin, so a server reached at http://192.168.1.10:8090
// prints codes that another device on the LAN can open. A loopback origin
// (127.0.0.1, localhost, ::1) is reachable from the server only: pages say
// so, and posters are not printed for it.
//
// Example:
//
//	base := links.Base(app, e.Request) // "https://lapor.pkm.go.id" or "http://192.168.1.10:8090"
//	url := base + "/lacak/" + code
package links

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/settings"
)

// Configured returns the office's public base URL without a trailing
// slash, or "" when none is set.
func Configured(app core.App) string {
	o, _ := settings.OfficeOf(app)
	return o.PublicBaseURL
}

// Origin is the scheme and host the request reached us at, e.g.
// "http://192.168.1.10:8090". The scheme is https when the request came
// over TLS or through a proxy that says so (X-Forwarded-Proto); the host
// is the request's Host header. It returns "" for a request without a usable host.
func Origin(r *http.Request) string {
	if r == nil {
		return ""
	}
	host := r.Host // a reverse proxy must pass it on (nginx: proxy_set_header Host $host)
	if !validHost(host) {
		return ""
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + host
}

// validHost accepts host or host:port made of the characters a hostname,
// an IPv4 or a bracketed IPv6 address may hold.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '.', r == '-', r == ':', r == '[', r == ']', r == '_':
		default:
			return false
		}
	}
	return true
}

// Base is the base URL for links built while answering r: the configured
// public URL, or r's origin.
func Base(app core.App, r *http.Request) string {
	if u := Configured(app); u != "" {
		return u
	}
	return Origin(r)
}

// Loopback reports whether base points at the machine itself (127.0.0.0/8,
// ::1, localhost), which no other device can open.
func Loopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LANAddresses lists the server's own non-loopback IPv4 addresses as base
// URLs on port (e.g. "http://192.168.1.10:8090"), for a page that tells
// staff which address the office's phones can reach.
func LANAddresses(port string) []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.To4() == nil || n.IP.IsLinkLocalUnicast() {
			continue
		}
		u := "http://" + n.IP.String()
		if port != "" && port != "80" {
			u += ":" + port
		}
		out = append(out, u)
	}
	return out
}

// Port is the port of base ("" when it has none).
func Port(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Port()
}
