package intake

import (
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/platform/config"
)

// storeKey holds an app's *state in app.Store().
const storeKey = "simpul.intake"

// state is what intake keeps per app: the configuration, the reference
// cache, the rate-limit buckets and the group-commit writer.
type state struct {
	cfg    config.Config
	refs   refCache
	limits *limiter
	writer *writer
}

func stateOf(app core.App) *state {
	st, _ := app.Store().Get(storeKey).(*state)
	return st
}

// Register binds intake's routes and hooks to app. Every other channel
// (pages, Open311) calls Submit on the same app.
func Register(app core.App, cfg config.Config) {
	st := &state{cfg: cfg, limits: newLimiter(), writer: newWriter(app)}
	app.Store().Set(storeKey, st)
	st.refs.bind(app)
	bindRoutes(app)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		st.writer.close()
		return e.Next()
	})
}
