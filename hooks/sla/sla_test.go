package sla_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/sla"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

func TestInitialDueUsesSeededCalendar(t *testing.T) {
	app := testkit.New(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	// Tuesday before Nyepi and Idulfitri 2026: six holidays and cuti
	// bersama in a row, all seeded from the SKB.
	received := time.Date(2026, 3, 17, 9, 0, 0, 0, jkt)
	verify, completion, err := sla.InitialDue(app, received)
	if err != nil {
		t.Fatal(err)
	}
	if got := verify.Format(time.DateOnly); got != "2026-03-27" {
		t.Errorf("verification due %s, want 2026-03-27", got)
	}
	// Perpres 76/2013 counts the 60 days from a complete file: none runs
	// before verification.
	if !completion.IsZero() {
		t.Errorf("completion due %s at receipt, want none before verification", completion)
	}
	p, err := sla.PolicyFor(app)
	if err != nil || p != sla.DefaultPolicy {
		t.Errorf("PolicyFor = %+v, %v; want the seeded defaults %+v", p, err, sla.DefaultPolicy)
	}
	// An office that counts from receipt says so in its policy row.
	setRule(t, app, sla.RuleCompletionFrom, sla.CompletionFromReceived)
	_, completion, err = sla.InitialDue(app, received)
	if err != nil {
		t.Fatal(err)
	}
	if got := completion.Format(time.DateOnly); got != "2026-05-16" {
		t.Errorf("completion due %s, want 2026-05-16 (60 calendar days after 17 March)", got)
	}
}

func setRule(t *testing.T, app core.App, code, value string) {
	t.Helper()
	r, err := app.FindFirstRecordByData(model.SLAPolicies, "code", code)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("value", value)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func TestEditsInvalidateTheCache(t *testing.T) {
	app := testkit.New(t)
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	received := time.Date(2026, 11, 20, 10, 0, 0, 0, jkt) // Friday
	due := func() string {
		t.Helper()
		v, _, err := sla.InitialDue(app, received)
		if err != nil {
			t.Fatal(err)
		}
		return v.Format(time.DateOnly) + " " + v.Location().String()
	}
	if got := due(); got != "2026-11-25 Asia/Jakarta" {
		t.Fatalf("due %s, want 2026-11-25", got)
	}

	// A local holiday on Tuesday moves the deadline a day.
	col, _ := app.FindCollectionByNameOrId(model.Holidays)
	h := core.NewRecord(col)
	h.Set("date", "2026-11-24")
	h.Set("type", model.HolidayLokal)
	h.Set("name", "Hari Jadi Kabupaten")
	h.Set("legal_basis", "Keputusan Bupati No. 1 Tahun 2026")
	if err := app.Save(h); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-11-26 Asia/Jakarta" {
		t.Fatalf("after a local holiday: due %s, want 2026-11-26", got)
	}

	// A puskesmas open Monday to Saturday in WITA.
	office, err := app.FindFirstRecordByFilter(model.Offices, "id != ''")
	if err != nil {
		t.Fatal(err)
	}
	office.Set("working_weekdays", []int{1, 2, 3, 4, 5, 6})
	office.Set("timezone", "Asia/Makassar")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-11-25 Asia/Makassar" {
		t.Fatalf("after Mon–Sat in WITA: due %s, want Sat 21, Mon 23, (Tue 24 local holiday), Wed 25", got)
	}

	// A stricter policy.
	setRule(t, app, sla.RuleVerifyDays, "1")
	if got := due(); got != "2026-11-21 Asia/Makassar" {
		t.Fatalf("after verify_days=1: due %s, want 2026-11-21", got)
	}
}

// Every rule is a row of sla_policies as shipped: its default value, its
// unit and where the default comes from.
func TestPolicyRowsAsShipped(t *testing.T) {
	app := testkit.New(t)
	rows, err := app.FindAllRecords(model.SLAPolicies)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(sla.Rules) {
		t.Fatalf("%d policy rows, want one per rule (%d)", len(rows), len(sla.Rules))
	}
	for _, r := range sla.Rules {
		rec, err := app.FindFirstRecordByData(model.SLAPolicies, "code", r.Code)
		if err != nil {
			t.Errorf("no row for %s", r.Code)
			continue
		}
		if rec.GetString("value") != r.Default || rec.GetString("unit") != r.Unit ||
			rec.GetString("legal_basis") != r.LegalBasis || rec.GetString("legal_basis") == "" || rec.GetString("name") != r.Name {
			t.Errorf("row %s = %v, want %+v", r.Code, rec.FieldsData(), r)
		}
	}
}

// An admin edits a rule's value like any other record; a value that does
// not fit the rule, a change of unit and an invented rule are refused, on
// every path (here the collection API, as the admin UI calls it).
func TestPolicyRowsAreCheckedOnEdit(t *testing.T) {
	// Every test app is a clone of one migrated template, so a rule's row
	// has the same id in each (checked in the factory).
	ids := map[string]string{}
	first := testkit.New(t)
	for _, r := range sla.Rules {
		rec, err := first.FindFirstRecordByData(model.SLAPolicies, "code", r.Code)
		if err != nil {
			t.Fatal(err)
		}
		ids[r.Code] = rec.Id
	}
	var adminTok, coordTok string
	factory := testkit.Factory(func(t testing.TB, app *tests.TestApp) {
		_, adminTok = testkit.Staff(t, app, "admin@simpul.test", model.RoleAdmin, "")
		_, coordTok = testkit.Staff(t, app, "coord@simpul.test", model.RoleCoordinator, "")
		for code, id := range ids {
			if _, err := app.FindRecordById(model.SLAPolicies, id); err != nil {
				t.Fatalf("row %s has another id in this app", code)
			}
		}
	})
	policyIs := func(want func(sla.Policy) bool) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			p, err := sla.PolicyFor(app)
			if err != nil || !want(p) {
				t.Errorf("policy after the request: %+v, %v", p, err)
			}
		}
	}
	unchanged := policyIs(func(p sla.Policy) bool { return p == sla.DefaultPolicy })
	// A saved edit validates once and commits once; a refused one commits
	// nothing; a role without the rule never reaches validation.
	events := func(status int) map[string]int {
		switch status {
		case 200:
			return map[string]int{"OnRecordValidate": 1, "OnRecordAfterUpdateSuccess": 1}
		case 400:
			return map[string]int{"OnRecordValidate": 1, "OnRecordAfterUpdateSuccess": 0}
		}
		return map[string]int{"OnRecordValidate": 0, "OnRecordAfterUpdateSuccess": 0}
	}
	type edit struct {
		name, code, body, token string
		status                  int
		content                 []string
		after                   func(testing.TB, *tests.TestApp, *http.Response)
	}
	for _, e := range []edit{
		{"admin sets the postpone bound", sla.RulePostponeMaxDays, `{"value":"7"}`, "admin", 200, []string{`"value":"7"`},
			policyIs(func(p sla.Policy) bool { return p.PostponeMaxDays == 7 })},
		{"admin counts completion from receipt", sla.RuleCompletionFrom, `{"value":"received"}`, "admin", 200, []string{`"value":"received"`},
			policyIs(func(p sla.Policy) bool { return p.CompletionFrom == sla.CompletionFromReceived })},
		{"zero days", sla.RulePostponeMaxDays, `{"value":"0"}`, "admin", 400, []string{`"value"`, "bad_value"}, unchanged},
		{"not a number", sla.RuleFollowupDays, `{"value":"lima"}`, "admin", 400, []string{"bad_value"}, unchanged},
		{"an unknown choice", sla.RuleRedispose, `{"value":"always"}`, "admin", 400, []string{"bad_value"}, unchanged},
		{"another unit", sla.RuleVerifyDays, `{"unit":"calendar_days"}`, "admin", 400, []string{"wrong_unit"}, unchanged},
		{"another code", sla.RuleVerifyDays, `{"code":"verify_hours"}`, "admin", 400, []string{"unknown_rule"}, unchanged},
		{"a coordinator may not", sla.RuleVerifyDays, `{"value":"9"}`, "coord", 404, []string{`"status":404`}, unchanged},
	} {
		headers := map[string]string{}
		(&tests.ApiScenario{
			Name:    e.name,
			Headers: headers,
			Method:  http.MethodPatch,
			URL:     "/api/collections/sla_policies/records/" + ids[e.code],
			Body:    strings.NewReader(e.body),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				// The tokens exist once the factory has run, just before this.
				tok := adminTok
				if e.token == "coord" {
					tok = coordTok
				}
				headers["Authorization"] = tok
			},
			ExpectedStatus:  e.status,
			ExpectedContent: e.content,
			ExpectedEvents:  events(e.status),
			AfterTestFunc:   e.after,
			TestAppFactory:  factory,
		}).Test(t)
	}
}

// docs/cases.md lists every policy row with the legal basis it ships with.
func TestCasesDocListsEveryRule(t *testing.T) {
	b, err := os.ReadFile("../../docs/cases.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range sla.Rules {
		row := "| `" + r.Code + "` |"
		i := strings.Index(doc, row)
		if i < 0 {
			t.Errorf("docs/cases.md has no row for %s", r.Code)
			continue
		}
		line := doc[i:]
		line = line[:strings.IndexByte(line, '\n')]
		if !strings.Contains(line, r.LegalBasis) || !strings.Contains(line, r.Default) {
			t.Errorf("docs/cases.md row %s does not carry its default %q and basis %q:\n%s", r.Code, r.Default, r.LegalBasis, line)
		}
	}
}
