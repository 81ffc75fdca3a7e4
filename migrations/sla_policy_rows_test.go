package migrations

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/sqlitedb"
	"simpul/hooks/sla"
)

// The rows this migration seeds are hooks/sla.Rules, word for word.
func TestPolicyRowsMatchTheRules(t *testing.T) {
	if len(slaPolicyRows) != len(sla.Rules) {
		t.Fatalf("%d seeded rows, %d rules", len(slaPolicyRows), len(sla.Rules))
	}
	for i, r := range sla.Rules {
		s := slaPolicyRows[i]
		if s.code != r.Code || s.unit != r.Unit || s.value != r.Default || s.name != r.Name || s.basis != r.LegalBasis {
			t.Errorf("row %d = %+v, rule %+v", i, s, r)
		}
	}
}

// An office that had changed its policy before the rows keeps its values;
// the new rules start at their defaults.
func TestPolicyRowsKeepAnOfficesValues(t *testing.T) {
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir(), EncryptionEnv: "pb_test_env",
		DBConnect: sqlitedb.Connect})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	// Back to the old shape, with an office's own verification days.
	if err := slaPolicyRowsDown(app); err != nil {
		t.Fatal(err)
	}
	old, err := app.FindFirstRecordByData(model.SLAPolicies, "code", "default")
	if err != nil {
		t.Fatal(err)
	}
	old.Set("verify_days", 2)
	old.Set("completion_calendar_days", 45)
	if err := app.Save(old); err != nil {
		t.Fatal(err)
	}
	if err := slaPolicyRowsUp(app); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{sla.RuleVerifyDays: "2", sla.RuleCompletionDays: "45",
		sla.RuleFollowupDays: "5", sla.RulePostponeMaxDays: "10", sla.RuleCompletionFrom: sla.CompletionFromVerified} {
		r, err := app.FindFirstRecordByData(model.SLAPolicies, "code", code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		if got := r.GetString("value"); got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
}
