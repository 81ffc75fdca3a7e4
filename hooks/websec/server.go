package websec

import (
	"net/http"
	"time"
)

// Server timeouts. PocketBase v0.39.11 (apis/serve.go) builds its
// http.Server with ReadHeaderTimeout 1 min, ReadTimeout and WriteTimeout
// 5 min, and no IdleTimeout (so an idle keep-alive connection is held for
// the ReadTimeout, 5 min). Go serves every connection on its own goroutine,
// so a slow client never blocks another; what a slow client costs is a
// file descriptor and a few KB of memory for as long as the server waits.
//
// ReadHeaderTimeout: request headers are a few hundred bytes; a phone on a
// poor 2G link sends them in well under a second, so 20 s is generous and
// a slowloris client holding connections open by trickling headers is
// dropped three times sooner than with PocketBase's minute.
//
// IdleTimeout: an idle keep-alive connection is closed after 2 min instead
// of 5 (browsers reconnect transparently).
//
// ReadTimeout and WriteTimeout stay at 5 min: a 32 MB report with photos
// over a slow office uplink needs that long, and Go reads a body only as
// fast as the handler asks for it.
var (
	ReadHeaderTimeout = 20 * time.Second
	IdleTimeout       = 2 * time.Minute
)

// tightenServer lowers the server's header and idle timeouts (never raises
// them). srv is nil when a test serves the router itself.
func tightenServer(srv *http.Server) {
	if srv == nil {
		return
	}
	if srv.ReadHeaderTimeout == 0 || srv.ReadHeaderTimeout > ReadHeaderTimeout {
		srv.ReadHeaderTimeout = ReadHeaderTimeout
	}
	idle := srv.IdleTimeout // zero: net/http falls back to ReadTimeout
	if idle == 0 {
		idle = srv.ReadTimeout
	}
	if idle == 0 || idle > IdleTimeout {
		srv.IdleTimeout = IdleTimeout
	}
}
