package migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/dbutils"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(queueIndexesUp, queueIndexesDown, "1763808000_queue_indexes.go")
}

type complaintIndex struct{ name, columns, where string }

// queueIndexes serve the staff desk's queues: hooks/cases.List names one
// per page with INDEXED BY, and each serves that page's WHERE and ORDER BY
// together, so a first page reads about 31 index entries instead of
// sorting the queue (docs/bench-cases.md: plans and figures at 1,000,000
// complaints).
//
// The first five were shipped with fewer columns, and serve every query
// they served before (the old columns are a prefix; hooks/stats names
// idx_complaints_created with INDEXED BY). Deadlines fall at the end of a
// working day, so tens of thousands of complaints share a due_at, and every
// "ORDER BY due_at, id" page sorted the whole group of its first deadline:
// with the id in the index there is no sort at all. The status beside
// created lets the queue of all, newest first, filtered on a status, check
// the status in the index instead of reading each row (at 1,000,000
// demo complaints the newest 90,000 hold no "proses").
//
// The others are partial: intake, which inserts every complaint as baru
// with no duplicate_of, pays only for the unit and desk ones, and only for
// a complaint that arrives with a unit (a QR point's or a kiosk's) or
// through the counter. The rest change only when a complaint moves into or
// out of their statuses. The WHERE texts must stay exactly as cases.List
// writes its conditions, or SQLite cannot use them.
var queueIndexes = []complaintIndex{
	{"idx_complaints_due", "due_at, id", ""},
	{"idx_complaints_status_due", "status, due_at, id", ""},
	{"idx_complaints_queue", "status, unit, due_at, id", ""},
	{"idx_complaints_unit_due", "unit, due_at, id", ""},
	{"idx_complaints_created", "created, status", ""},
	// postponed (tertunda), by paused_at; a handler's checked on the unit in the index
	{"idx_complaints_postponed", "paused_at, id, unit", "status = '" + model.StatusTertunda + "'"},
	// with the units (terdisposisi, proses), by deadline: everyone's, one unit's
	{"idx_complaints_assigned", "due_at, id", statusesAssigned},
	{"idx_complaints_unit_assigned", "unit, due_at, id", statusesAssigned},
	// closed, newest closure first: everyone's, one unit's
	{"idx_complaints_closed", "closed_at DESC, id", statusesClosed},
	{"idx_complaints_unit_closed", "unit, closed_at DESC, id", statusesClosed},
	// a unit's everything, newest first
	{"idx_complaints_unit_created", "unit, created, status", "unit != ''"},
	// a front-desk clerk's own intake: everything newest first, open by deadline
	{"idx_complaints_desk_created", "created_by, created", "created_by != ''"},
	{"idx_complaints_desk_due", "created_by, due_at, id", "created_by != ''"},
	// the duplicates of a report (its staff view lists them)
	{"idx_complaints_duplicates", "duplicate_of, created", "duplicate_of != ''"},
}

// shippedIndexes are the five redefined above as 1763800000_schema.go and
// 1763803000_cases.go made them; down puts them back.
var shippedIndexes = []complaintIndex{
	{"idx_complaints_due", "due_at", ""},
	{"idx_complaints_status_due", "status, due_at", ""},
	{"idx_complaints_queue", "status, unit, due_at", ""},
	{"idx_complaints_unit_due", "unit, due_at", ""},
	{"idx_complaints_created", "created", ""},
}

// The statuses of the unit queue and of the closed queue. Written as ORs:
// PocketBase's index parser (dbutils.ParseIndex) takes everything up to the
// last ")" as the column list, so a partial index's WHERE cannot hold
// parentheses ("status IN (…)" fails as an invalid CREATE INDEX).
const (
	statusesAssigned = "status = '" + model.StatusTerdisposisi + "' OR status = '" + model.StatusProses + "'"
	statusesClosed   = "status = '" + model.StatusSelesai + "' OR status = '" + model.StatusDiarsipkan +
		"' OR status = '" + model.StatusBukanWewenang + "'"
)

// queueIndexesUp sets the indexes that are missing or defined otherwise
// (running it twice changes nothing). PocketBase rebuilds every index of
// the collection when its index list changes: at 1,000,000 complaints that
// took 92 s here, once.
func queueIndexesUp(app core.App) error {
	return setComplaintIndexes(app, queueIndexes, nil)
}

// queueIndexesDown drops the new indexes and puts the shipped ones back.
func queueIndexesDown(app core.App) error {
	var drop []string
	for _, ix := range queueIndexes {
		drop = append(drop, ix.name)
	}
	return setComplaintIndexes(app, shippedIndexes, drop)
}

// setComplaintIndexes removes the indexes named in drop, then adds or
// redefines want, and saves the collection only if that changed anything.
func setComplaintIndexes(app core.App, want []complaintIndex, drop []string) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: queue indexes: %w", err)
	}
	changed := false
	for _, name := range drop {
		if !slices.ContainsFunc(want, func(ix complaintIndex) bool { return ix.name == name }) && c.GetIndex(name) != "" {
			c.RemoveIndex(name)
			changed = true
		}
	}
	for _, ix := range want {
		old := c.GetIndex(ix.name)
		c.AddIndex(ix.name, false, ix.columns, ix.where)
		if old == "" || dbutils.ParseIndex(old).Build() != dbutils.ParseIndex(c.GetIndex(ix.name)).Build() {
			changed = true
		}
	}
	if !changed {
		return nil
	}
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: queue indexes: %w", err)
	}
	return nil
}
