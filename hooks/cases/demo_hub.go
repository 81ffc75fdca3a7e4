package cases

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/search"
	"simpul/hooks/sla"
	"simpul/hooks/stats"
)

// HubOptions shape "simpul demo hub": a hub's copies of its offices' cases.
type HubOptions struct {
	Offices int       // child offices registered on the hub (nodes)
	Count   int       // cases, spread over the offices (some offices far busier than others)
	Batch   int       // cases per transaction (default 5000)
	Now     time.Time // the "today" of the data; zero: the app's clock
	Seed    uint64    // random seed; 0: fixed default
	// Progress, when set, is called after each batch with the total so far.
	Progress func(done int)
}

func hubCommand(app core.App) *cobra.Command {
	var opts HubOptions
	cmd := &cobra.Command{
		Use:   "hub",
		Short: "Generate a hub's data: child offices and their cases over the last year (benchmarks)",
		Long: "Registers --offices child offices (nodes, codes PKM-0001…) and writes --count cases spread over them as a " +
			"hub holds them after sync: handled by the child office, with LAPOR!-like statuses and every SLA date, " +
			"follow-up delays to the millisecond. Cases only, no timelines (a hub's statistics read none): for " +
			"benchmarks of a hub's figures, not for a live hub.",
		SilenceUsage: true,
		RunE: demoRun(app, "demo hub", "cases", 100000, &opts.Count, func(progress func(int)) (int, error) {
			opts.Progress = progress
			return SeedHub(app, opts)
		}, func(n int) string { return fmt.Sprintf(`"offices":%d,"cases":%d`, opts.Offices, n) }),
	}
	cmd.Flags().IntVar(&opts.Offices, "offices", 2000, "child offices")
	cmd.Flags().IntVar(&opts.Count, "count", 100000, "cases")
	cmd.Flags().IntVar(&opts.Batch, "batch", 5000, "cases per transaction")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 0, "random seed (0: the default, repeatable)")
	return cmd
}

// hubInsert writes one case as a hub's copy.
var hubInsert = sqlitedb.NewInsert(model.Complaints, "id", "tracking_code", "type", "title", "body", "location", "category",
	"privacy", "reporter_gender", "status", "channel", "due_at", "verify_due_at", "followup_due_at", "autoclose_at",
	"completion_due_at", "verified_at", "disposed_at", "first_followup_at", "last_followup_at", "closed_at", "reason",
	"origin_node", "origin_id", "authority", "version", "office", "origin_office", "created", "updated")

// SeedHub registers opts.Offices child offices and writes opts.Count cases
// handled by them, in batches of prepared INSERTs; it returns how many
// cases it wrote. Office sizes follow a long tail (a few offices get many
// times the median), statuses the demo's LAPOR!-like mix, dates the office
// calendar.
func SeedHub(app core.App, opts HubOptions) (int, error) {
	if opts.Offices < 1 || opts.Offices > 100_000 || opts.Count < 0 || opts.Count > 20_000_000 {
		return 0, errors.New("cases: --offices must be 1…100,000 and --count 0…20,000,000")
	}
	if opts.Batch <= 0 {
		opts.Batch = 5000
	}
	rng, cal, policy, err := demoStart(app, &opts.Now, &opts.Seed, 20261206)
	if err != nil {
		return 0, err
	}
	var cats []string
	if err := app.DB().NewQuery("SELECT id FROM " + model.Categories + " WHERE active = true").Column(&cats); err != nil || len(cats) == 0 {
		return 0, fmt.Errorf("cases: categories: %v", err)
	}
	nodes, err := ensureHubNodes(app, opts.Offices)
	if err != nil {
		return 0, err
	}
	// A long tail: weight 1/(1 + rank/50), cumulative.
	weights := make([]float64, len(nodes))
	total := 0.0
	for i := range weights {
		total += 1 / (1 + float64(i)/50)
		weights[i] = total
	}
	pickOffice := func() int {
		x := rng.Float64() * total
		lo, hi := 0, len(weights)-1
		for lo < hi {
			mid := (lo + hi) / 2
			if weights[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	ccol, err := app.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return 0, err
	}
	// A bulk load: the search index and the statistics store are rebuilt
	// once at the end (a few minutes for millions of cases) instead of
	// following every insert through their triggers; on a failure too, so
	// they never stay paused.
	if err := search.Pause(app); err != nil {
		return 0, err
	}
	if err := stats.Pause(app); err != nil {
		return 0, errors.Join(err, app.RunInTransaction(search.Install))
	}
	// The secondary indexes likewise: millions of inserts into 20 b-trees
	// keyed on random ids and dates slow to a crawl once they outgrow the
	// page cache, while CREATE INDEX sorts once. The unique ones stay, so
	// a duplicate fails where it is inserted.
	indexes, err := dropSecondaryIndexes(app, model.Complaints)
	if err != nil {
		return 0, errors.Join(err, app.RunInTransaction(search.Install), app.RunInTransaction(stats.Install))
	}
	done, err := hubCases(app, opts, rng, cal, policy, ccol, cats, nodes, pickOffice)
	return done, errors.Join(err, createIndexes(app, indexes), app.RunInTransaction(search.Install),
		app.RunInTransaction(stats.Install))
}

// dropSecondaryIndexes drops table's non-unique indexes and returns their
// SQL, for createIndexes.
func dropSecondaryIndexes(app core.App, table string) ([]string, error) {
	var idx []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := app.DB().NewQuery("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = {:t} AND sql IS NOT NULL").
		Bind(dbx.Params{"t": table}).All(&idx); err != nil {
		return nil, err
	}
	var out []string
	for _, i := range idx {
		if strings.HasPrefix(strings.ToUpper(i.SQL), "CREATE UNIQUE") {
			continue
		}
		if _, err := app.DB().NewQuery("DROP INDEX " + i.Name).Execute(); err != nil {
			return out, errors.Join(fmt.Errorf("cases: drop index %s: %w", i.Name, err), createIndexes(app, out))
		}
		out = append(out, i.SQL)
	}
	return out, nil
}

// createIndexes runs the CREATE INDEX statements dropSecondaryIndexes returned.
func createIndexes(app core.App, indexes []string) error {
	for _, s := range indexes {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("cases: recreate index: %w\n%s", err, s)
		}
	}
	return nil
}

// hubCases writes opts.Count cases in batches of opts.Batch.
func hubCases(app core.App, opts HubOptions, rng *rand.Rand, cal *workdays.Calendar, policy sla.Policy, ccol *core.Collection,
	cats []string, nodes []hubNode, pickOffice func() int) (int, error) {
	stmts := sqlitedb.NewStmts(app)
	defer stmts.Close()
	return inBatches(app, opts.Count, opts.Batch, opts.Progress, func(tx core.App, n int) error {
		// A large page cache for the load (the unique indexes take random
		// keys); the writer's one connection keeps it.
		if _, err := tx.DB().NewQuery("PRAGMA cache_size = -500000").Execute(); err != nil {
			return err
		}
		st, err := stmts.In(tx, hubInsert.SQL)
		if err != nil {
			return err
		}
		for range n {
			node := nodes[pickOffice()]
			c := hubCase(rng, cal, policy, ccol, cats[rng.IntN(len(cats))], node, opts.Now)
			if _, err := st.Exec(hubInsert.Args(c)...); err != nil {
				return fmt.Errorf("cases: insert hub case: %w", err)
			}
		}
		return nil
	})
}

type hubNode struct{ id, code string }

// ensureHubNodes registers child offices PKM-0001… (inactive: no secret is
// issued for them) and returns them.
func ensureHubNodes(app core.App, n int) ([]hubNode, error) {
	col, err := app.FindCollectionByNameOrId(model.Nodes)
	if err != nil {
		return nil, err
	}
	out := make([]hubNode, 0, n)
	err = app.RunInTransaction(func(tx core.App) error {
		for i := 1; i <= n; i++ {
			code := fmt.Sprintf("PKM-%04d", i)
			r, err := tx.FindFirstRecordByData(model.Nodes, "code", code)
			if err != nil {
				r = core.NewRecord(col)
				r.Set("code", code)
				r.Set("name", fmt.Sprintf("Puskesmas %s %d", pick(rand.New(rand.NewPCG(uint64(i), 1)), places), i))
				r.Set("active", false)
				if err := tx.Save(r); err != nil {
					return fmt.Errorf("cases: hub office %s: %w", code, err)
				}
			}
			out = append(out, hubNode{r.Id, code})
		}
		return nil
	})
	return out, err
}

// hubCase is one case as the hub holds it: received at the child office
// within the last year, walked to a final status with the deadline rules
// of Transition, delays to the millisecond.
func hubCase(rng *rand.Rand, cal *workdays.Calendar, p sla.Policy, ccol *core.Collection, cat string, node hubNode,
	now time.Time) map[string]any {
	u := rng.Float64()
	age := int(365 * u * u)
	day := now.AddDate(0, 0, -age).In(cal.Location())
	created := time.Date(day.Year(), day.Month(), day.Day(), 7+rng.IntN(10), rng.IntN(60), rng.IntN(60),
		rng.IntN(1000)*int(time.Millisecond), cal.Location())
	if created.After(now) {
		created = now.Add(-time.Duration(rng.Int64N(int64(time.Hour))))
	}
	c := core.NewRecord(ccol)
	c.SetRaw("created", dtString(created))
	c.Set("status", model.StatusBaru)
	setTime(c, "verify_due_at", cal.AddWorkingDays(created, p.VerifyDays))
	setTime(c, "completion_due_at", cal.AddCalendarDays(created, p.CompletionCalendarDays))
	setDue(c, model.StatusBaru)
	t := created
	step := func(maxHours int) time.Time {
		t = t.Add(time.Duration(rng.Int64N(int64(maxHours) * int64(time.Hour))))
		if t.After(now) {
			t = now
		}
		return t
	}
	move := func(to string, at time.Time) {
		from := c.GetString("status")
		c.Set("status", to)
		setDeadlines(cal, p, c, from, to, to == model.StatusTerdisposisi, at)
	}
	switch final := demoStatus(rng, age); final {
	case model.StatusBaru:
	case model.StatusTertunda, model.StatusDiarsipkan, model.StatusBukanWewenang:
		move(final, step(48))
		if final == model.StatusDiarsipkan {
			c.Set("reason", []string{"spam", "duplicate", "out_of_scope"}[rng.IntN(3)])
		}
	default:
		move(model.StatusTerdisposisi, step(72))
		if final == model.StatusTerdisposisi {
			break
		}
		move(model.StatusProses, step(24*rng.IntN(8)+12))
		if final == model.StatusSelesai {
			move(model.StatusSelesai, step(24*14))
		}
	}
	typ := []string{model.TypePengaduan, model.TypePengaduan, model.TypePengaduan, model.TypeAspirasi, model.TypePermintaanInformasi}[rng.IntN(5)]
	place := pick(rng, places)
	fields := map[string]any{
		"id": model.NewID(), "tracking_code": trackcode.New(), "type": typ,
		"title": pick(rng, []string{"Antrean terlalu lama", "Obat kosong", "Jalan rusak", "Sampah menumpuk", "Petugas tidak ramah",
			"Bantuan belum cair", "KTP belum jadi"}) + " di " + place,
		"body": "Laporan warga " + place + ".", "location": place, "category": cat,
		"privacy":         []string{model.PrivacyPublic, model.PrivacyPublic, model.PrivacyAnonymous, model.PrivacyConfidential}[rng.IntN(4)],
		"reporter_gender": []string{"perempuan", "laki_laki", ""}[rng.IntN(3)],
		"channel":         []string{model.ChannelWeb, model.ChannelWeb, model.ChannelQR, model.ChannelKiosk, model.ChannelCounter}[rng.IntN(5)],
		"origin_node":     node.id, "origin_id": core.GenerateDefaultRandomId(), "authority": "upstream", "version": 1,
		"office": node.code, "origin_office": node.code, "created": dtString(created), "updated": dtString(t),
	}
	for _, f := range []string{"status", "due_at", "verify_due_at", "followup_due_at", "autoclose_at", "completion_due_at",
		"verified_at", "disposed_at", "first_followup_at", "last_followup_at", "closed_at", "reason"} {
		fields[f] = c.GetString(f)
	}
	return fields
}
