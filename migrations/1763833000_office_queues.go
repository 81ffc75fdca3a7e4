package migrations

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(officeQueuesUp, officeQueuesDown, "1763833000_office_queues.go")
}

// officeQueueIndexes serve the staff desk's queues once they list only the
// cases this office handles (office = its code), and the oversight of the
// cases other offices handle (hooks/cases.List and cases.Oversight name
// them with INDEXED BY). A hub holds copies of every case of its child
// offices, so a queue that read the old indexes and skipped the other
// offices' rows would read most of the table before it found a page of its
// own. Each index leads with office, so a page reads about PerPage+1
// entries on a node and on a hub alike.
//
//   - idx_complaints_office (office, status) is widened: the verification
//     queue (office, 'baru', by deadline) and the counts of each office's
//     open cases by status read it.
//   - idx_complaints_office_due is new: the open, due-soon and overdue
//     queues, one office's open cases by deadline, and the overdue counts.
//   - idx_complaints_assigned and idx_complaints_postponed gain office in
//     front (they served only the queues, as a coordinator's).
//
// The old forms are in 1763808000_queue_indexes.go and
// 1763831000_office_fields.go; down puts them back.
var officeQueueIndexes = []complaintIndex{
	{"idx_complaints_office", "office, status, due_at, id", ""},
	{"idx_complaints_office_due", "office, due_at, id", ""},
	{"idx_complaints_assigned", "office, due_at, id", statusesAssigned},
	{"idx_complaints_postponed", "office, paused_at, id, unit", "status = 'tertunda'"},
}

// officeQueuesUp sets the indexes, and gives a case with no office this
// office's code: the demo seed wrote none until now, and a queue lists only
// the cases whose office is this office's.
func officeQueuesUp(app core.App) error {
	code := localOfficeCode(app)
	for _, f := range []string{"office", "origin_office"} {
		if _, err := app.DB().NewQuery("UPDATE complaints SET " + f + " = {:c} WHERE " + f + " = ''").
			Bind(dbx.Params{"c": code}).Execute(); err != nil {
			return fmt.Errorf("migrations: office queues: %w", err)
		}
	}
	return setComplaintIndexes(app, officeQueueIndexes, nil)
}

func officeQueuesDown(app core.App) error {
	back := []complaintIndex{officeIndex}
	for _, ix := range queueIndexes {
		if ix.name == "idx_complaints_assigned" || ix.name == "idx_complaints_postponed" {
			back = append(back, ix)
		}
	}
	return setComplaintIndexes(app, back, []string{"idx_complaints_office_due"})
}
