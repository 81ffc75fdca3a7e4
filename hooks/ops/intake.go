package ops

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// The intake routes observed, named by their pattern (never the path
// itself: a QR slug is the only variable part and stays out of labels).
const (
	RouteAPI     = "/api/complaints"
	RouteLapor   = "/lapor"
	RouteQR      = "/q/{slug}"
	RouteKiosk   = "/kiosk"
	RouteLoket   = "/loket"
	RouteOpen311 = "/open311/v2/requests"
	classOther   = "other"
	intakeHelp   = "Intake submissions (POST) by route and status class."
	latencyHelp  = "Time to answer an intake submission, by route."
)

// IntakeRoutes lists the observed routes in output order.
var IntakeRoutes = []string{RouteAPI, RouteLapor, RouteQR, RouteKiosk, RouteLoket, RouteOpen311}

// statusClasses are the label values of the status class (a status
// outside 200–599 counts as "other").
var statusClasses = []string{"2xx", "3xx", "4xx", "5xx", classOther}

// latencyBounds are the histogram's upper bounds in seconds: a JSON
// submission takes milliseconds; a form with photos over a slow link
// seconds.
var latencyBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// intakeRoute returns the intake route r is a submission to, or "".
func intakeRoute(r *http.Request) string {
	if r.Method != http.MethodPost {
		return ""
	}
	switch p := r.URL.Path; p {
	case RouteAPI, RouteLapor, RouteKiosk, RouteLoket:
		return p
	case RouteOpen311 + ".json", RouteOpen311 + ".xml":
		return RouteOpen311
	default:
		if slug, ok := strings.CutPrefix(p, "/q/"); ok && slug != "" && !strings.Contains(slug, "/") {
			return RouteQR
		}
	}
	return ""
}

func statusClass(status int) string {
	if status >= 200 && status < 600 {
		return statusClasses[status/100-2]
	}
	return classOther
}

// middleware times every intake submission, whatever the outcome
// (including refusals by the rate limiter, which runs after it).
func (m *metricsSet) middleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "simpulOpsIntakeMetrics",
		Priority: apis.DefaultActivityLoggerMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			route := intakeRoute(e.Request)
			if route == "" {
				return e.Next()
			}
			start := time.Now()
			err := e.Next()
			status := e.Status()
			if status == 0 {
				// The error handler writes the status after the
				// middlewares return: take it from the error.
				status = http.StatusOK
				if err != nil {
					status = router.ToApiError(err).Status
				}
			}
			m.observe(route, status, time.Since(start))
			return err
		},
	}
}
