// Package cases handles a complaint after intake, the SP4N-LAPOR! way:
// staff transitions through the lifecycle state machine, verification
// edits, follow-ups (tindak lanjut) with attachments and canned responses,
// the reporter's reply and rating, the SLA clock (hooks/sla), auto-close,
// the overdue digest, reporter notices and the staff complaint API with
// field-level privacy.
//
// The status of a complaint is written only by Transition: a record hook
// refuses every other status change, whatever the save path (collection
// API, admin UI, Go code).
package cases

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/config"
)

// Collections owned by this package (migrations/1763803000_cases.go).
const (
	CannedResponses = "canned_responses"
	CaseFiles       = "case_files"
)

// Register binds the case-handling routes, hooks and jobs to app.
func Register(app core.App, cfg config.Config) {
	bindStatusGuard(app)
	bindOfficeFields(app)
	bindRoutes(app, cfg)
	bindJobs(app, cfg)
}

// Commands returns the case-handling CLI commands ("demo seed").
func Commands(app core.App, cfg config.Config) []*cobra.Command {
	return []*cobra.Command{demoCommand(app, cfg)}
}
