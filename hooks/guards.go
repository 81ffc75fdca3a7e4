package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
)

// bindCollectionGuards closes the generic collection API where the domain
// has its own door, for superusers too: complaints are created only through
// POST /api/complaints (validation, tracking code, SLA, timeline, outbox)
// and never deleted; timeline rows and follow-up files are written only by
// the domain code that chains their hashes.
func bindCollectionGuards(app core.App) {
	refuse := func(msg string) func(*core.RecordRequestEvent) error {
		return func(e *core.RecordRequestEvent) error { return e.ForbiddenError(msg, nil) }
	}
	app.OnRecordCreateRequest(model.Complaints).BindFunc(refuse("Complaints are created through POST /api/complaints."))
	app.OnRecordDeleteRequest(model.Complaints).BindFunc(refuse("Complaints are part of the public record and cannot be deleted."))
	app.OnRecordCreateRequest(model.ComplaintEvents).BindFunc(refuse("The complaint timeline is written by the application only."))
	app.OnRecordUpdateRequest(model.ComplaintEvents).BindFunc(refuse("The complaint timeline is append-only."))
	app.OnRecordDeleteRequest(model.ComplaintEvents).BindFunc(refuse("The complaint timeline is append-only."))
	// Follow-up files are evidence: the timeline holds their SHA-256, so
	// they are written with their event and never changed or removed.
	app.OnRecordCreateRequest(cases.CaseFiles).BindFunc(refuse("Follow-up files are added through POST /api/complaints/{code}/followups."))
	app.OnRecordUpdateRequest(cases.CaseFiles).BindFunc(refuse("Follow-up files are part of the timeline and cannot be changed."))
	app.OnRecordDeleteRequest(cases.CaseFiles).BindFunc(refuse("Follow-up files are part of the timeline and cannot be deleted."))
	// The access log accounts for readings of what is most private: the
	// application writes it, nobody edits or removes it.
	app.OnRecordCreateRequest(model.AccessLog).BindFunc(refuse("The access log is written by the application only."))
	app.OnRecordUpdateRequest(model.AccessLog).BindFunc(refuse("The access log is append-only."))
	app.OnRecordDeleteRequest(model.AccessLog).BindFunc(refuse("The access log is append-only."))
}
