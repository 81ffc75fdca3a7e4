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
	"strconv"
	"strings"
	gosync "sync"
	"time"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/platform/appcmd"
)

// Tables of the index.
const (
	FTSTable     = "search_fts"
	DocsTable    = "search_docs"
	PendingTable = "search_pending" // complaints stored but not yet indexed (schema.go)
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
//
// The rank is bm25 with the index's weights (Weights), called by name
// rather than through FTS5's rank column: ORDER BY rank makes FTS5 sort
// every match in a statement of its own before the LIMIT applies, while
// SQLite's own ORDER BY … LIMIT keeps only the best {:candidates} as it
// goes. Same scores, same order (ties by docid, as the final order breaks
// them), a third less CPU for a word found in 20,000–30,000 reports
// (docs/benchmarks.md §9.2; TestCandidatesAreTheBestRanked).
const Candidates = `(SELECT m.docid AS docid, m.rank AS rank, d.complaint AS complaint FROM
	(SELECT rowid AS docid, bm25(` + FTSTable + `, ` + Weights + `) AS rank FROM ` + FTSTable + ` WHERE ` + FTSTable +
	` MATCH {:match} ORDER BY rank, docid LIMIT {:candidates}) m
	JOIN ` + DocsTable + ` d ON d.docid = m.docid)`

// Weights are bm25's weights of the indexed columns (title, body,
// location, followups): a word in the title counts ten times one in the
// body, the place twice.
const Weights = "10.0, 1.0, 2.0, 1.0"

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
			`DELETE FROM ` + PendingTable,
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

// CatchUpChunk is how many pending complaints one catch-up transaction
// indexes: enough that FTS5 writes one segment for hundreds of documents
// instead of one per group commit, few enough that intake's writer, which
// waits meanwhile, is held for milliseconds, not for a whole backlog.
const CatchUpChunk = 256

// catchUp is one chunk of CatchUp, in one transaction: a document for each
// of the first {:hi} rowids of the queue whose complaint is still stored,
// in the order they were stored (the rank's tie-break), its text as it is
// now, then those rows leave the queue.
var catchUp = []string{
	`INSERT OR IGNORE INTO ` + DocsTable + `(complaint) SELECT p.complaint FROM ` + PendingTable + ` p
		WHERE p.rowid <= {:hi} AND EXISTS (SELECT 1 FROM complaints c WHERE c.id = p.complaint) ORDER BY p.rowid`,
	reindex("c.id IN (SELECT complaint FROM " + PendingTable + " WHERE rowid <= {:hi})"),
	`DELETE FROM ` + PendingTable + ` WHERE rowid <= {:hi}`,
}

// CatchUp indexes every complaint stored but not yet indexed, CatchUpChunk
// at a time, each chunk its own transaction (all of them within app's when
// app is a transaction), and returns how many pending rows it took.
// Nothing pending costs one read. It runs every IndexEvery while the app
// serves and before every search, so a search finds every complaint
// committed before it began.
func CatchUp(app core.App) (int, error) {
	n := 0
	for {
		var hi int64
		if err := app.DB().NewQuery("SELECT coalesce(max(rowid), 0) FROM (SELECT rowid FROM " + PendingTable +
			" ORDER BY rowid LIMIT " + strconv.Itoa(CatchUpChunk) + ")").Row(&hi); err != nil {
			return n, fmt.Errorf("search: pending: %w", err)
		}
		if hi == 0 {
			return n, nil
		}
		err := app.RunInTransaction(func(tx core.App) error {
			for i, s := range catchUp {
				res, err := tx.DB().NewQuery(s).Bind(dbx.Params{"hi": hi}).Execute()
				if err != nil {
					return fmt.Errorf("search: catch up: %w", err)
				}
				if i == len(catchUp)-1 {
					m, _ := res.RowsAffected()
					n += int(m)
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
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

// IndexEvery is how often a serving app indexes what is pending: short, so
// a search rarely has to wait for a catch-up, long enough that a burst at
// the counter is indexed in a few transactions, not one per group commit.
const IndexEvery = 2 * time.Second

// Bind catches the index up every IndexEvery from the first serve until
// app terminates (after every command and in test cleanup).
func Bind(app core.App) {
	var (
		mu         gosync.Mutex
		stop, done chan struct{}
	)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if stop == nil {
			stop, done = make(chan struct{}), make(chan struct{})
			go indexLoop(se.App, stop, done)
		}
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if stop != nil {
			close(stop)
			<-done
			stop = nil
		}
		return e.Next()
	})
}

func indexLoop(app core.App, stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(IndexEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, err := CatchUp(app); err != nil {
				// Nothing is lost: the queue stays, the next tick or
				// search tries again.
				app.Logger().Warn("search: catch up", "error", err.Error())
			}
		}
	}
}
