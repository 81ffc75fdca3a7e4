package cases

import "github.com/pocketbase/pocketbase/core"

// WaitNotices waits for the reporter notices sent so far (tests only).
func WaitNotices(app core.App) {
	if n := notifierFor(app); n != nil {
		n.wait()
	}
}
