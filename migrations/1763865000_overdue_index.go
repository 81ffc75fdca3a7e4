package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(overdueIndexUp, overdueIndexDown, "1763865000_overdue_index.go")
}

// overdueIndex serves "overdue now" in the statistics (hooks/stats: the
// store's per-group overdue counts and overdue_all_periods name it with
// INDEXED BY): the open cases with a deadline, by deadline, carrying every
// column those counts group by, so the open cases past their deadline are
// read from the index alone. Through idx_complaints_status_due each of them
// cost a lookup of its row: a hub of 5,000,000 cases holds ~270,000 of
// them, scattered over gigabytes (docs/benchmarks.md, "A hub of 2,000
// offices"). Partial: a case is in it only while open. (PocketBase's index
// parser takes no parentheses in a WHERE: hence ORs, not IN.)
var overdueIndex = complaintIndex{"idx_complaints_overdue",
	"due_at, created, office, unit, category, channel, type, reporter_gender, status",
	"status = 'baru' OR status = 'terdisposisi' OR status = 'proses'"}

func overdueIndexUp(app core.App) error {
	return setComplaintIndexes(app, []complaintIndex{overdueIndex}, nil)
}

func overdueIndexDown(app core.App) error {
	return setComplaintIndexes(app, nil, []string{overdueIndex.name})
}
