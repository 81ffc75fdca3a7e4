package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(publicIndexUp, publicIndexDown, "1763809000_public_index.go")
}

// publicIndex serves the lists anybody may page through (the public page,
// open data, Open311): public reports, newest or oldest first. The status
// rule (privacy.ListedCondition) is checked on the few rows a page reads;
// it cannot be part of the index, whose WHERE may hold no parentheses
// (see statusesAssigned). At 1,000,000 complaints a first page went from
// 2.5 s (every public report sorted) to 6 ms.
var publicIndex = complaintIndex{"idx_complaints_public", "created, id", "privacy = '" + model.PrivacyPublic + "'"}

func publicIndexUp(app core.App) error {
	return setComplaintIndexes(app, []complaintIndex{publicIndex}, nil)
}

func publicIndexDown(app core.App) error {
	return setComplaintIndexes(app, nil, []string{publicIndex.name})
}
