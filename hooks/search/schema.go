package search

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// The index's tables and the triggers that keep them (Install): search_fts,
// FTS5 without content of its own (contentless, with contentless_delete so
// that a document can be replaced), unicode61 with diacritics removed
// ("Désa" finds "desa"), prefix indexes of two and three letters, ranked
// by bm25 with a title match counting ten times a body match and the place
// twice; search_docs maps its rowids to complaint ids (an INTEGER PRIMARY
// KEY: a complaint's own rowid may change under VACUUM).
//
// A new complaint is not indexed in the transaction that stores it: its
// insert trigger only appends its id to search_pending (one row, no index),
// and CatchUp indexes whatever is pending in one transaction, every few
// seconds (Bind) and before every search (hooks/cases.List), so a search
// sees every complaint committed before it began. Indexing in intake's
// group commit halved intake: FTS5 flushes a segment of every term and
// prefix of a batch's reports at each commit, and merges them; a catch-up
// of thousands of reports flushes once. Edits of the text, public
// follow-ups and deletes keep their triggers and change the index in their
// own transaction (a complaint still pending needs nothing: CatchUp reads
// its text as it is then). Every path that writes a complaint or its
// timeline (intake's prepared INSERTs, PocketBase saves, sync, imports, the
// demo seed) fires them.

// followups is the SQL of the text of a complaint's public follow-ups
// (complaint id expression id).
func followups(id string) string {
	return "(SELECT coalesce(group_concat(e.note, ' '), '') FROM complaint_events e WHERE e.complaint = " + id +
		" AND e.kind = 'followup' AND e.public AND e.note != '')"
}

// reindex is the statement that writes the documents of the complaints
// matching cond (on complaints c) again.
func reindex(cond string) string {
	return "INSERT OR REPLACE INTO " + FTSTable + "(rowid, title, body, location, followups) SELECT d.docid, c.title, c.body," +
		" c.location, " + followups("c.id") + " FROM complaints c JOIN " + DocsTable + " d ON d.complaint = c.id WHERE " + cond
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS ` + DocsTable + ` (docid INTEGER PRIMARY KEY, complaint TEXT NOT NULL UNIQUE)`,
	`CREATE TABLE IF NOT EXISTS ` + PendingTable + ` (complaint TEXT NOT NULL)`,
	`CREATE VIRTUAL TABLE IF NOT EXISTS ` + FTSTable + ` USING fts5(title, body, location, followups,
		content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3')`,
	`INSERT INTO ` + FTSTable + `(` + FTSTable + `, rank) VALUES ('rank', 'bm25(` + Weights + `)')`,
	// The id only (see above); a complaint deleted while pending leaves
	// its row, which CatchUp skips.
	`CREATE TRIGGER IF NOT EXISTS search_complaint_insert AFTER INSERT ON complaints BEGIN
		INSERT INTO ` + PendingTable + `(complaint) VALUES (new.id);
	END`,
	`CREATE TRIGGER IF NOT EXISTS search_complaint_update AFTER UPDATE OF title, body, location ON complaints
	WHEN old.title IS NOT new.title OR old.body IS NOT new.body OR old.location IS NOT new.location BEGIN
		` + reindex("c.id = new.id") + `;
	END`,
	`CREATE TRIGGER IF NOT EXISTS search_complaint_delete AFTER DELETE ON complaints BEGIN
		DELETE FROM ` + FTSTable + ` WHERE rowid = (SELECT docid FROM ` + DocsTable + ` WHERE complaint = old.id);
		DELETE FROM ` + DocsTable + ` WHERE complaint = old.id;
	END`,
	// A public follow-up, or a change to a follow-up, re-indexes its complaint.
	`CREATE TRIGGER IF NOT EXISTS search_followup_insert AFTER INSERT ON complaint_events
	WHEN new.kind = 'followup' AND new.public AND new.note != '' BEGIN
		` + reindex("c.id = new.complaint") + `;
	END`,
	`CREATE TRIGGER IF NOT EXISTS search_followup_change AFTER UPDATE OF kind, public, note, complaint ON complaint_events
	WHEN old.kind = 'followup' OR new.kind = 'followup' BEGIN
		` + reindex("c.id IN (old.complaint, new.complaint)") + `;
	END`,
	`CREATE TRIGGER IF NOT EXISTS search_followup_delete AFTER DELETE ON complaint_events
	WHEN old.kind = 'followup' BEGIN
		` + reindex("c.id = old.complaint") + `;
	END`,
}

var triggers = []string{"search_complaint_insert", "search_complaint_update", "search_complaint_delete",
	"search_followup_insert", "search_followup_change", "search_followup_delete"}

// Install creates the index and its triggers and fills it from the
// complaints already stored (the migration 1763860000_search.go calls it: a
// one-off cost on an existing office, about a minute per 1,000,000
// complaints on a 2-core server).
func Install(app core.App) error {
	if err := InstallSchema(app); err != nil {
		return err
	}
	_, err := Rebuild(app)
	return err
}

// InstallSchema creates what is missing of the index's tables and
// (re)creates its triggers as this version defines them, without indexing
// anything: the migration 1763860200_search_pending.go calls it to move an
// existing index to the pending queue.
func InstallSchema(app core.App) error {
	if err := Pause(app); err != nil {
		return err
	}
	for _, s := range schema {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("search: install: %w", err)
		}
	}
	return nil
}

// Uninstall drops the index (the migration's down).
func Uninstall(app core.App) error {
	var stmts []string
	for _, t := range triggers {
		stmts = append(stmts, "DROP TRIGGER IF EXISTS "+t)
	}
	stmts = append(stmts, "DROP TABLE IF EXISTS "+FTSTable, "DROP TABLE IF EXISTS "+DocsTable, "DROP TABLE IF EXISTS "+PendingTable)
	for _, s := range stmts {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("search: uninstall: %w", err)
		}
	}
	return nil
}

// Pause drops the index's triggers for a bulk load (the hub generator):
// the index then no longer follows the complaints until Install rebuilds
// it, which a bulk load must call when it ends.
func Pause(app core.App) error {
	for _, t := range triggers {
		if _, err := app.DB().NewQuery("DROP TRIGGER IF EXISTS " + t).Execute(); err != nil {
			return fmt.Errorf("search: pause: %w", err)
		}
	}
	return nil
}
