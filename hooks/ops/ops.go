// Package ops is what an operator needs to run Simpul unattended:
// Prometheus metrics at /metrics (intake volume and latency, queues,
// overdue complaints, the sync link, backups, memory, database size), the
// request-log policy, and the monitoring of PocketBase's scheduled backups
// (switched on by migrations/1763805000_ops_settings.go). docs/operator.md
// explains how to use them.
package ops

import (
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"simpul/hooks/platform/config"
	"simpul/hooks/platform/routes"
)

// MetricsPath is the Prometheus scrape path.
const MetricsPath = "/metrics"

// Register binds the metrics route, the intake timing and the request-log
// policy (as global router middlewares) and the backup monitor to app.
func Register(app core.App, cfg config.Config) {
	backups := &backupStats{}
	backups.bind(app)
	m := newMetricsSet(app, backups, cfg.Linked())
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(m.middleware(), requestLogPolicy())
		return se.Next()
	})
	routes.Add(app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodGet, Path: MetricsPath, Who: routes.Metrics,
			Handler: m.metrics},
	}})
}

// forwardHeaders mark a request relayed by a proxy: it came from the proxy's
// address, not from a scraper on this machine.
var forwardHeaders = []string{"X-Forwarded-For", "X-Real-Ip", "Forwarded"}

// IsLocal reports whether r comes from this machine: its TCP peer
// (RemoteAddr, never a client-supplied header) is a loopback address, and
// it carries no proxy forwarding header, so a reverse proxy on the same
// machine does not make the whole internet "local".
func IsLocal(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return false
	}
	for _, h := range forwardHeaders {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

// requestLogPolicy keeps successful requests out of PocketBase's request
// log (they would carry tracking codes and receipt links, and under load
// the batched logger holds them in memory faster than auxiliary.db takes
// them). Failed requests are still logged. Lowering the
// minimum log level to DEBUG in /_/ → Settings → Logs logs every request
// again, for troubleshooting.
func requestLogPolicy() *hook.Handler[*core.RequestEvent] {
	skip := apis.SkipSuccessActivityLog()
	return &hook.Handler[*core.RequestEvent]{
		Id: "simpulOpsRequestLogPolicy",
		Func: func(e *core.RequestEvent) error {
			if e.App.Settings().Logs.MinLevel >= int(slog.LevelInfo) {
				return skip.Func(e)
			}
			return e.Next()
		},
	}
}
