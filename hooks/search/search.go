// Package search is the staff search over complaints (issue 15, item 1):
// SQLite FTS5 on a complaint's title, body, location and public follow-ups.
//
// The index is two tables with the triggers that keep them in the same
// transaction as every write to a complaint or its timeline (schema.go,
// created by the migration 1763860000_search.go). This package turns what
// staff type into an FTS5 query (Match), serves the ranked candidates
// (Candidates) and rebuilds the index (Rebuild, "simpul search rebuild"). Who may see which result is not
// decided here: hooks/cases.List applies the queues' role, unit and privacy
// scoping to the candidates.
package search

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/appcmd"
)

// Tables of the index.
const (
	FTSTable  = "search_fts"
	DocsTable = "search_docs"
)

// MaxTerms bounds the words of one search.
const MaxTerms = 8

// Match turns what staff typed into an FTS5 query: the words (runs of
// letters and digits, as the unicode61 tokenizer splits them), each quoted
// so no FTS5 syntax can get through, all required, each also matching as a
// prefix ("lamp" finds "lampu") when it has two letters or more. "" when
// the text holds no word.
func Match(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n == MaxTerms {
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(w) // letters, digits and combining marks only: no quote to escape
		b.WriteByte('"')
		if len([]rune(w)) >= 2 {
			b.WriteByte('*')
		}
		n++
	}
	return b.String()
}

// Candidates is the SQL of the best-ranked matches of {:match}, at most
// {:candidates} of them (-1: all), as rows (docid, rank, complaint):
// join it to complaints on complaint and order by rank, docid.
const Candidates = `(SELECT m.docid AS docid, m.rank AS rank, d.complaint AS complaint FROM
	(SELECT rowid AS docid, rank FROM ` + FTSTable + ` WHERE ` + FTSTable + ` MATCH {:match} ORDER BY rank LIMIT {:candidates}) m
	JOIN ` + DocsTable + ` d ON d.docid = m.docid)`

// CountUpTo is the SQL counting the matches of {:match}, stopping at
// {:candidates}+1: whether a candidate list was cut.
const CountUpTo = `SELECT count(*) FROM (SELECT rowid FROM ` + FTSTable + ` WHERE ` + FTSTable +
	` MATCH {:match} LIMIT {:candidates} + 1)`

// Rebuild empties the index and fills it again from the complaints and
// their public follow-ups, oldest first, in one transaction; it returns
// how many complaints it indexed. About a minute per 1,000,000 complaints
// on a 2-core server. The migration that creates the index runs it once.
func Rebuild(app core.App) (int, error) {
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		for _, s := range []string{
			`INSERT INTO ` + FTSTable + `(` + FTSTable + `) VALUES ('delete-all')`,
			`DELETE FROM ` + DocsTable,
			`INSERT INTO ` + DocsTable + `(complaint) SELECT id FROM complaints ORDER BY created, id`,
			reindex("1 = 1"),
			`INSERT INTO ` + FTSTable + `(` + FTSTable + `) VALUES ('optimize')`,
		} {
			if _, err := tx.DB().NewQuery(s).Execute(); err != nil {
				return fmt.Errorf("search: rebuild: %w", err)
			}
		}
		return tx.DB().NewQuery("SELECT count(*) FROM " + DocsTable).Row(&n)
	})
	return n, err
}

// Commands returns "simpul search rebuild".
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "search", Short: "The staff full-text search index"}
	root.AddCommand(appcmd.Rebuild(app, "Rebuild the full-text search index from the complaints (safe to run at any time)",
		Install, "complaints", func(app core.App) (n int, err error) {
			return n, app.DB().NewQuery("SELECT count(*) FROM " + DocsTable).Row(&n)
		}))
	return []*cobra.Command{root}
}
