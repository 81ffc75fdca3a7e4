package search_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/text/unicode/norm"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/search"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

func TestMatch(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  \t ", ""},
		{"lampu", `"lampu"*`},
		{"Lampu jalan", `"Lampu"* "jalan"*`},
		{"a", `"a"`}, // one letter: exact, a prefix would match nearly everything
		{"RT 03", `"RT"* "03"*`},
		// Nothing of FTS5's syntax gets through: quotes, operators, columns, groups.
		{`"jalan" OR title:rusak NEAR(a b) -x *`, `"jalan"* "OR"* "title"* "rusak"* "NEAR"* "a" "b" "x"`},
		{`jalan"; DROP TABLE complaints; --`, `"jalan"* "DROP"* "TABLE"* "complaints"*`},
		{"Désa Sukamaju", `"Désa"* "Sukamaju"*`},
		{"satu dua tiga empat lima enam tujuh delapan sembilan", `"satu"* "dua"* "tiga"* "empat"* "lima"* "enam"* "tujuh"* "delapan"*`},
	} {
		if got := search.Match(tc.in); got != tc.want {
			t.Errorf("Match(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// words splits text as the oracle reads it: lower case, diacritics removed
// (NFD, combining marks dropped), runs of letters and digits.
func words(text string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(text) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.FieldsFunc(b.String(), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// oracle lists the tracking codes of the complaints whose title, body,
// location or public follow-ups hold every word of query (as a prefix of a
// word when it has two letters or more), read straight from the tables.
func oracle(t *testing.T, app core.App, query string) []string {
	t.Helper()
	var rows []struct {
		Code string `db:"tracking_code"`
		Text string `db:"text"`
	}
	if err := app.DB().NewQuery(`SELECT c.tracking_code, c.title || ' ' || c.body || ' ' || c.location || ' ' ||
		coalesce((SELECT group_concat(e.note, ' ') FROM complaint_events e WHERE e.complaint = c.id AND e.kind = 'followup'
		AND e.public), '') AS text FROM complaints c`).All(&rows); err != nil {
		t.Fatal(err)
	}
	q := words(query)
	var out []string
	for _, r := range rows {
		doc := words(r.Text)
		all := len(q) > 0
		for _, w := range q {
			all = all && slices.ContainsFunc(doc, func(d string) bool {
				if len([]rune(w)) >= 2 {
					return strings.HasPrefix(d, w)
				}
				return d == w
			})
		}
		if all {
			out = append(out, r.Code)
		}
	}
	slices.Sort(out)
	return out
}

// found lists the tracking codes a coordinator's search returns, every page.
func found(t *testing.T, app core.App, query string) []string {
	t.Helper()
	var out []string
	for page := 1; ; page++ {
		res, err := cases.List(app, cases.Actor{Role: model.RoleCoordinator}, cases.ListQuery{Queue: cases.QueueAll, Search: query,
			Page: page, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			out = append(out, it.TrackingCode)
		}
		if !res.HasMore {
			break
		}
	}
	slices.Sort(out)
	return out
}

var vocabulary = []string{"lampu", "jalan", "rusak", "berlubang", "puskesmas", "antrean", "obat", "kosong", "sampah",
	"menumpuk", "Désa", "Sukamaju", "pungutan", "sekolah", "jembatan", "RT", "03", "air", "PDAM", "mati", "ÉLOK", "banjir"}

func sentence(rng *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = vocabulary[rng.IntN(len(vocabulary))]
	}
	return strings.Join(ws, " ")
}

// TestIndexFollowsEveryWrite writes complaints and timelines through every
// path that writes them (PocketBase saves, raw SQL as intake and sync
// write, follow-ups public and internal, edits, deletes) and checks after
// each step that searching finds exactly what reading the tables finds,
// then that "search rebuild" changes nothing.
func TestIndexFollowsEveryWrite(t *testing.T) {
	app := testkit.New(t)
	rng := rand.New(rand.NewPCG(15, 1))
	queries := []string{"lampu", "lamp", "jalan rusak", "desa", "DÉSA sukamaju", "elok", "03", "pdam air", "berl", "a",
		"tidakada", "sampah menumpuk kosong", "sekolah jembatan obat"}
	check := func(step string) {
		t.Helper()
		for _, q := range queries {
			if got, want := found(t, app, q), oracle(t, app, q); !slices.Equal(got, want) {
				t.Fatalf("%s: search %q found %d %v, the tables hold %d %v", step, q, len(got), got, len(want), want)
			}
		}
	}
	var recs []*core.Record
	for range 40 {
		r := testkit.Complaint(t, app, testkit.ComplaintSpec{})
		if _, err := app.DB().NewQuery("UPDATE complaints SET title = {:t}, body = {:b}, location = {:l} WHERE id = {:id}").
			Bind(dbx.Params{"t": sentence(rng, 4), "b": sentence(rng, 12), "l": sentence(rng, 2), "id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	// Nothing is indexed yet: the 40 wait in the queue, so what check
	// finds, the search's own catch-up indexed.
	counts(t, app, "before the first search", 40, 0)
	check("after insert and raw update")
	counts(t, app, "after the first search", 0, 40)

	// Follow-ups: public ones are searchable, internal notes are not.
	for i, r := range recs[:20] {
		err := app.RunInTransaction(func(tx core.App) error {
			fresh, err := tx.FindRecordById(model.Complaints, r.Id)
			if err != nil {
				return err
			}
			_, err = events.Append(tx, fresh, events.Event{Kind: model.EventFollowUp, ActorType: "staff", Note: sentence(rng, 6),
				Public: i%2 == 0, Origin: "TEST"})
			if err != nil {
				return err
			}
			_, err = events.Append(tx, fresh, events.Event{Kind: model.EventNote, ActorType: "staff", Note: "catatan internal banjir",
				Origin: "TEST"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("after follow-ups and notes")
	// An internal note's words are never found through it.
	var internalOnly int
	if err := app.DB().NewQuery(`SELECT count(*) FROM complaints WHERE title || body || location NOT LIKE '%banjir%'`).Row(&internalOnly); err != nil {
		t.Fatal(err)
	}
	if internalOnly == 0 {
		t.Fatal("fixture: every complaint says banjir")
	}

	// A PocketBase save that changes the text, one that does not, a delete.
	r, err := app.FindRecordById(model.Complaints, recs[0].Id)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("title", "Jembatan Désa ambruk")
	r.Set("location", "Kel. Élok")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	r2, _ := app.FindRecordById(model.Complaints, recs[1].Id)
	r2.Set("reason", "duplikat")
	if err := app.Save(r2); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("DELETE FROM complaint_events WHERE complaint = {:id}").Bind(dbx.Params{"id": recs[2].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("DELETE FROM complaints WHERE id = {:id}").Bind(dbx.Params{"id": recs[3].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	check("after save, delete")

	// The scheduled catch-up (Bind's ticker calls CatchUp): complaints
	// stored since, one of them edited and one deleted while pending, are
	// indexed as they are now, before any search runs.
	var later []*core.Record
	for range 5 {
		later = append(later, testkit.Complaint(t, app, testkit.ComplaintSpec{}))
	}
	if _, err := app.DB().NewQuery("UPDATE complaints SET title = 'Jembatan gantung putus' WHERE id = {:id}").
		Bind(dbx.Params{"id": later[0].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("DELETE FROM complaints WHERE id = {:id}").Bind(dbx.Params{"id": later[1].Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	counts(t, app, "before the catch-up", 5, 39)
	if n, err := search.CatchUp(app); err != nil || n != 5 {
		t.Fatalf("catch-up took %d pending, err %v; want 5", n, err)
	}
	counts(t, app, "after the catch-up", 0, 43)
	var gantung int
	if err := app.DB().NewQuery("SELECT count(*) FROM " + search.FTSTable + " WHERE " + search.FTSTable + " MATCH 'gantung'").
		Row(&gantung); err != nil || gantung != 1 {
		t.Fatalf("the edit made while pending: %d documents match, err %v", gantung, err)
	}
	if n, err := search.CatchUp(app); err != nil || n != 0 {
		t.Fatalf("a second catch-up took %d, err %v", n, err)
	}
	check("after the scheduled catch-up")

	// A rebuild indexes the same, and takes what is pending with it.
	testkit.Complaint(t, app, testkit.ComplaintSpec{})
	n, err := search.Rebuild(app)
	if err != nil {
		t.Fatal(err)
	}
	if n != 44 {
		t.Fatalf("rebuild indexed %d complaints, want 44", n)
	}
	counts(t, app, "after rebuild", 0, 44)
	check("after rebuild")
}

// TestRebuildCommand: "simpul search rebuild" mends an index whose
// triggers a bulk load left paused, and says how many complaints it holds.
func TestRebuildCommand(t *testing.T) {
	app := testkit.New(t)
	titled := func(title string) {
		t.Helper()
		r := testkit.Complaint(t, app, testkit.ComplaintSpec{})
		if _, err := app.DB().NewQuery("UPDATE complaints SET title = {:t} WHERE id = {:id}").
			Bind(dbx.Params{"t": title, "id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	titled("Jembatan rusak")
	if err := search.Pause(app); err != nil {
		t.Fatal(err)
	}
	titled("Kucingterbang di pasar")
	if got := found(t, app, "kucingterbang"); len(got) != 0 {
		t.Fatalf("paused, the index found %v", got)
	}
	root := search.Commands(app)[0]
	var out strings.Builder
	root.SetOut(&out)
	root.SetArgs([]string{"rebuild"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), `{"complaints":2,"seconds":`) {
		t.Fatalf("rebuild printed %q, want 2 complaints", out.String())
	}
	if got := found(t, app, "kucingterbang"); len(got) != 1 {
		t.Fatalf("after rebuild the complaint written while paused is found %d times", len(got))
	}
	// The triggers are back: a complaint written now is found at once.
	titled("Gajahterbang di jalan")
	if got := found(t, app, "gajahterbang"); len(got) != 1 {
		t.Fatalf("after rebuild a new complaint is found %d times", len(got))
	}
}

// counts checks how many complaints wait in the index's queue and how
// many documents it holds.
func counts(t *testing.T, app core.App, step string, pending, docs int) {
	t.Helper()
	var p, d int
	if err := app.DB().NewQuery("SELECT (SELECT count(*) FROM "+search.PendingTable+"), (SELECT count(*) FROM "+
		search.DocsTable+")").Row(&p, &d); err != nil {
		t.Fatal(err)
	}
	if p != pending || d != docs {
		t.Fatalf("%s: %d pending and %d indexed, want %d and %d", step, p, d, pending, docs)
	}
}

// TestSearchRanksAndScopes: a word in the title ranks above the same word
// in the body; a handler finds only their unit's reports, a front-desk
// clerk only what they took in, with or without a queue.
func TestSearchRanksAndScopes(t *testing.T) {
	app := testkit.New(t)
	fd, _ := testkit.Staff(t, app, "fd@simpul.test", model.RoleFrontdesk, "")
	mk := func(unit, createdBy, title, body string) string {
		r := testkit.Complaint(t, app, testkit.ComplaintSpec{Unit: unit, CreatedBy: createdBy})
		if _, err := app.DB().NewQuery("UPDATE complaints SET title = {:t}, body = {:b} WHERE id = {:id}").
			Bind(dbx.Params{"t": title, "b": body, "id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		return r.GetString("tracking_code")
	}
	inBody := mk("UMUM", "", "Keluhan pelayanan", "Petugas menyebut jembatan di desa kami")
	inTitle := mk("KES", fd.Id, "Jembatan putus", "Warga tidak bisa menyeberang")
	other := mk("KES", "", "Antrean panjang", "Tidak ada hubungannya")

	list := func(actor cases.Actor, queue, q string) []string {
		res, err := cases.List(app, actor, cases.ListQuery{Queue: queue, Search: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range res.Items {
			out = append(out, it.TrackingCode)
		}
		return out
	}
	coord := cases.Actor{Role: model.RoleCoordinator}
	if got := list(coord, cases.QueueAll, "jembatan"); !slices.Equal(got, []string{inTitle, inBody}) {
		t.Fatalf("ranking: got %v, want the title match %s first, then %s", got, inTitle, inBody)
	}
	umum := cases.Actor{Role: model.RoleHandler, UnitID: testkit.Unit(t, app, "UMUM").Id}
	if got := list(umum, cases.QueueAll, "jembatan"); !slices.Equal(got, []string{inBody}) {
		t.Fatalf("handler UMUM: %v", got)
	}
	desk := cases.Actor{Role: model.RoleFrontdesk, ID: fd.Id}
	if got := list(desk, cases.QueueAll, "jembatan"); !slices.Equal(got, []string{inTitle}) {
		t.Fatalf("front desk: %v", got)
	}
	if got := list(coord, cases.QueueClosed, "jembatan"); len(got) != 0 {
		t.Fatalf("closed queue holds nothing: %v", got)
	}
	if got := list(coord, cases.QueueAll, "antrean"); !slices.Equal(got, []string{other}) {
		t.Fatalf("antrean: %v", got)
	}
	if got := list(cases.Actor{Role: model.RoleHandler}, cases.QueueAll, "jembatan"); len(got) != 0 {
		t.Fatalf("a handler without a unit: %v", got)
	}
}

// TestSearchWidensCandidates: when a handler's unit holds only the
// lowest-ranked of many matches, the search widens its candidates until it
// finds them, and pages stay consistent.
func TestSearchWidensCandidates(t *testing.T) {
	app := testkit.New(t)
	unit := testkit.Unit(t, app, "UMUM").Id
	var mine []string
	for i := range 700 {
		r := testkit.Complaint(t, app, testkit.ComplaintSpec{})
		title, body, u := "Lampu jalan mati", "Gelap sekali", ""
		if i%100 == 7 {
			title, body, u = "Keluhan warga", "Gelap, lampu mati", unit // only in the body: ranked last
			mine = append(mine, r.GetString("tracking_code"))
		}
		if _, err := app.DB().NewQuery("UPDATE complaints SET title = {:t}, body = {:b}, unit = {:u} WHERE id = {:id}").
			Bind(dbx.Params{"t": title, "b": body, "u": u, "id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	actor := cases.Actor{Role: model.RoleHandler, UnitID: unit}
	var got []string
	for page := 1; page <= 4; page++ {
		res, err := cases.List(app, actor, cases.ListQuery{Queue: cases.QueueAll, Search: "lampu", Page: page, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			got = append(got, it.TrackingCode)
		}
		if want := page < 4; res.HasMore != want {
			t.Fatalf("page %d: hasMore %v", page, res.HasMore)
		}
	}
	slices.Sort(got)
	slices.Sort(mine)
	if !slices.Equal(got, mine) {
		t.Fatalf("found %v, want %v", got, mine)
	}
}

// TestCandidatesAreTheBestRanked: the candidates (bm25 by name, SQLite's
// ORDER BY … LIMIT) are exactly the best of FTS5's own rank order, ties by
// docid, for every candidate count; and what the search refuses stays
// refused on that path: another unit's reports for a handler, another
// clerk's intake for the front desk, open reports in the closed queue,
// FTS5 syntax in what staff type, a confidential reporter's name in a list.
func TestCandidatesAreTheBestRanked(t *testing.T) {
	app := testkit.New(t)
	fd, _ := testkit.Staff(t, app, "fd@simpul.test", model.RoleFrontdesk, "")
	texts := [][2]string{
		{"Lampu jalan mati", "Gelap"}, {"Keluhan warga", "Lampu mati, lampu padam, lampu rusak"},
		{"Lampu jalan mati", "Gelap"}, {"Jalan berlubang", "Tidak ada lampu di sana"}, {"Lampu", ""},
		{"Lampu jalan mati", "Gelap"}, {"Lampu taman", "Lampu taman di alun-alun tidak menyala sejak lama sekali"},
		{"Pelayanan lambat", "Antrean panjang, lampu ruang tunggu mati"}, {"Lampunya redup", "Lampu"},
	}
	var codes []string
	for i := range 36 {
		spec := testkit.ComplaintSpec{Unit: "UMUM"}
		switch i % 3 {
		case 1:
			spec = testkit.ComplaintSpec{Unit: "KES", CreatedBy: fd.Id}
		case 2:
			spec = testkit.ComplaintSpec{Unit: "KES", Privacy: model.PrivacyConfidential, Reporter: "Rahasia Sekali"}
		}
		r := testkit.Complaint(t, app, spec)
		tx := texts[i%len(texts)]
		if _, err := app.DB().NewQuery("UPDATE complaints SET title = {:t}, body = {:b} WHERE id = {:id}").
			Bind(dbx.Params{"t": tx[0], "b": tx[1], "id": r.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, r.GetString("tracking_code"))
	}
	if _, err := search.CatchUp(app); err != nil {
		t.Fatal(err)
	}
	type cand struct {
		Docid int64   `db:"docid"`
		Rank  float64 `db:"rank"`
	}
	match := search.Match("lampu")
	var all []cand
	if err := app.DB().NewQuery("SELECT rowid AS docid, rank FROM " + search.FTSTable + " WHERE " + search.FTSTable +
		" MATCH {:m} ORDER BY rank, rowid").Bind(dbx.Params{"m": match}).All(&all); err != nil {
		t.Fatal(err)
	}
	ties := 0
	for i := 1; i < len(all); i++ {
		if all[i].Rank == all[i-1].Rank {
			ties++
		}
	}
	if len(all) < 30 || ties < 10 {
		t.Fatalf("%d matches, %d ties: too few to tell the orders apart", len(all), ties)
	}
	for _, n := range []int{1, 2, 5, 11, 29, len(all), -1} {
		var got []cand
		if err := app.DB().NewQuery("SELECT docid, rank FROM " + search.Candidates + " ORDER BY rank, docid").
			Bind(dbx.Params{"match": match, "candidates": n}).All(&got); err != nil {
			t.Fatal(err)
		}
		want := all
		if n >= 0 {
			want = all[:n]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d candidates:\n got %v\nwant %v", n, got, want)
		}
	}

	list := func(actor cases.Actor, queue, q string) []cases.ListItem {
		res, err := cases.List(app, actor, cases.ListQuery{Queue: queue, Search: q, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		return res.Items
	}
	coord := cases.Actor{Role: model.RoleCoordinator}
	found := map[string]bool{}
	for _, it := range list(coord, cases.QueueAll, "lampu") {
		found[it.TrackingCode] = true
		if it.ReporterName == "Rahasia Sekali" {
			t.Fatalf("%s: a confidential reporter's name in the list", it.TrackingCode)
		}
	}
	if len(found) != len(all) {
		t.Fatalf("coordinator: %d results, want every match (%d)", len(found), len(all))
	}
	umum := cases.Actor{Role: model.RoleHandler, UnitID: testkit.Unit(t, app, "UMUM").Id}
	for _, it := range list(umum, cases.QueueAll, "lampu") {
		if it.UnitCode != "UMUM" {
			t.Fatalf("handler UMUM sees %s of %s", it.TrackingCode, it.UnitCode)
		}
	}
	desk := cases.Actor{Role: model.RoleFrontdesk, ID: fd.Id}
	got := list(desk, cases.QueueAll, "lampu")
	for _, it := range got {
		if i := slices.Index(codes, it.TrackingCode); i%3 != 1 {
			t.Fatalf("front desk sees %s, which another took in", it.TrackingCode)
		}
	}
	if len(got) == 0 {
		t.Fatal("front desk finds none of its own")
	}
	if got := list(coord, cases.QueueClosed, "lampu"); len(got) != 0 {
		t.Fatalf("closed queue: %d open reports", len(got))
	}
	for _, q := range []string{"lampu OR jembatan", `lampu" OR "x`, "title:lampu NOT gelap", "NEAR(lampu gelap)", "lampu*"} {
		for _, it := range list(coord, cases.QueueAll, q) {
			if !found[it.TrackingCode] {
				t.Fatalf("%q widened the search to %q", q, it.Title)
			}
		}
	}
	if got := list(coord, cases.QueueAll, "lampu OR jembatan"); len(got) != 0 {
		t.Fatalf("'lampu OR jembatan' ran as FTS5 syntax: %d results", len(got))
	}
}
