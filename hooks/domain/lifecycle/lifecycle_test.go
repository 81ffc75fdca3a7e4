package lifecycle

import (
	"errors"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
)

// The supervisor is in no line of expected: it makes no move at all.
var allRoles = []string{model.RoleFrontdesk, model.RoleHandler, model.RoleCoordinator, model.RoleAdmin, model.RoleSupervisor,
	RoleSystem, RoleReporter, RoleUpstream}

// expected is written out by hand from docs/architecture.md, "Domain" (not derived from the
// graph), one line per legal move: "from>to: roles".
var expected = `
baru>tertunda: coordinator admin upstream
baru>diarsipkan: coordinator admin upstream
baru>bukan_wewenang: coordinator admin upstream
baru>terdisposisi: coordinator admin upstream
tertunda>baru: frontdesk reporter coordinator admin upstream
tertunda>diarsipkan: system coordinator admin upstream
tertunda>bukan_wewenang: coordinator admin upstream
tertunda>terdisposisi: coordinator admin upstream
diarsipkan>baru: coordinator admin upstream
bukan_wewenang>baru: coordinator admin upstream
terdisposisi>terdisposisi: coordinator admin upstream
terdisposisi>proses: handler coordinator admin upstream
terdisposisi>bukan_wewenang: coordinator admin upstream
proses>selesai: system handler coordinator admin upstream
proses>terdisposisi: coordinator admin upstream
proses>bukan_wewenang: coordinator admin upstream
selesai>proses: reporter coordinator admin upstream
`

func parseExpected(t *testing.T) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(expected), "\n") {
		move, roles, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		out[move] = map[string]bool{}
		for _, r := range strings.Fields(roles) {
			out[move][r] = true
		}
	}
	return out
}

// complete fills in everything any move may need, so that only the graph
// and the role decide.
func complete(to string) Request {
	return Request{To: to, Unit: "UMUM", Note: "catatan", Reason: ReasonSpam, OwnUnit: true}
}

// TestEveryTriple checks all 7 × 7 × 8 (from, to, role) triples.
func TestEveryTriple(t *testing.T) {
	want := parseExpected(t)
	n := 0
	for _, from := range model.Statuses {
		for _, to := range model.Statuses {
			for _, role := range allRoles {
				n++
				err := Check(from, role, complete(to))
				roles, legal := want[from+">"+to]
				switch {
				case !legal:
					if !errors.Is(err, ErrIllegal) {
						t.Errorf("%s→%s as %s: want ErrIllegal, got %v", from, to, role, err)
					}
				case roles[role]:
					if err != nil {
						t.Errorf("%s→%s as %s: want allowed, got %v", from, to, role, err)
					}
				default:
					if !errors.Is(err, ErrForbidden) {
						t.Errorf("%s→%s as %s: want ErrForbidden, got %v", from, to, role, err)
					}
				}
				// Allowed (the desk's buttons) must agree with Check.
				inAllowed := false
				for _, s := range Allowed(from, role, true) {
					inAllowed = inAllowed || s == to
				}
				if inAllowed != (err == nil) {
					t.Errorf("%s→%s as %s: Allowed=%v but Check=%v", from, to, role, inAllowed, err)
				}
			}
		}
	}
	if n != 392 {
		t.Fatalf("checked %d triples, want 392", n)
	}
}

func TestHandlerOnlyOwnUnit(t *testing.T) {
	req := complete(model.StatusProses)
	req.OwnUnit = false
	err := Check(model.StatusTerdisposisi, model.RoleHandler, req)
	var le *Error
	if !errors.As(err, &le) || !errors.Is(err, ErrForbidden) || le.Code != "other_unit" {
		t.Fatalf("handler of another unit: got %v", err)
	}
	// Coordinators are not limited to a unit.
	if err := Check(model.StatusTerdisposisi, model.RoleCoordinator, req); err != nil {
		t.Fatalf("coordinator: %v", err)
	}
	if got := Allowed(model.StatusProses, model.RoleHandler, false); len(got) != 0 {
		t.Fatalf("Allowed for another unit's handler = %v", got)
	}
}

func TestRequiredData(t *testing.T) {
	cases := []struct {
		name, from, role string
		req              Request
		field, code      string
	}{
		{"dispose without unit", model.StatusBaru, model.RoleCoordinator,
			Request{To: model.StatusTerdisposisi, Unit: "  "}, "unit", "unit_required"},
		{"postpone without note", model.StatusBaru, model.RoleAdmin,
			Request{To: model.StatusTertunda, Note: " \n"}, "note", "note_required"},
		{"hand up without note", model.StatusBaru, model.RoleAdmin,
			Request{To: model.StatusBukanWewenang}, "note", "note_required"},
		{"archive without reason", model.StatusBaru, model.RoleCoordinator,
			Request{To: model.StatusDiarsipkan}, "reason", "reason_required"},
		{"archive with unknown reason", model.StatusBaru, model.RoleCoordinator,
			Request{To: model.StatusDiarsipkan, Reason: "boring"}, "reason", "reason_required"},
		{"duplicate without original", model.StatusTertunda, model.RoleCoordinator,
			Request{To: model.StatusDiarsipkan, Reason: ReasonDuplicate}, "duplicate_of", "duplicate_of_required"},
		{"re-route after a follow-up without a reason", model.StatusProses, model.RoleCoordinator,
			Request{To: model.StatusTerdisposisi, Unit: "POLI"}, "note", "note_required"},
		{"hand up after a follow-up without a reason", model.StatusProses, model.RoleCoordinator,
			Request{To: model.StatusBukanWewenang}, "note", "note_required"},
		{"staff reopen without note", model.StatusSelesai, model.RoleCoordinator,
			Request{To: model.StatusProses}, "note", "note_required"},
		{"unknown target", model.StatusBaru, model.RoleAdmin,
			Request{To: "DROP TABLE"}, "to", "unknown_status"},
		{"empty target", model.StatusBaru, model.RoleAdmin,
			Request{}, "to", "unknown_status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.from, c.role, c.req)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("want *Error, got %v", err)
			}
			if le.Field != c.field || le.Code != c.code || le.ID == "" || le.EN == "" {
				t.Fatalf("got field %q code %q (%q / %q)", le.Field, le.Code, le.ID, le.EN)
			}
			if errors.Is(err, ErrForbidden) {
				t.Fatalf("missing data must be a 400 kind, got forbidden")
			}
		})
	}
	// What each move needs, given, passes.
	ok := []struct {
		from, role string
		req        Request
	}{
		{model.StatusBaru, model.RoleCoordinator, Request{To: model.StatusDiarsipkan, Reason: ReasonDuplicate, DuplicateOf: "ABCD-EFGH-JK0"}},
		{model.StatusBaru, model.RoleCoordinator, Request{To: model.StatusTerdisposisi, Office: "PKM-B"}}, // routed to a child office
		{model.StatusProses, model.RoleCoordinator, Request{To: model.StatusTerdisposisi, Unit: "POLI", Note: "salah unit"}},
		{model.StatusBaru, model.RoleCoordinator, Request{To: model.StatusDiarsipkan, Reason: ReasonOutOfScope}},
		{model.StatusSelesai, RoleReporter, Request{To: model.StatusProses}}, // a reply is the reason
		{model.StatusProses, RoleSystem, Request{To: model.StatusSelesai}},
	}
	for _, c := range ok {
		if err := Check(c.from, c.role, c.req); err != nil {
			t.Errorf("%s→%s as %s: %v", c.from, c.req.To, c.role, err)
		}
	}
}

func TestUnknownFrom(t *testing.T) {
	if err := Check("", model.RoleAdmin, complete(model.StatusBaru)); !errors.Is(err, ErrIllegal) {
		t.Fatalf("got %v", err)
	}
}

func TestTerminal(t *testing.T) {
	for _, s := range model.Statuses {
		want := s == model.StatusSelesai || s == model.StatusDiarsipkan || s == model.StatusBukanWewenang
		if Terminal(s) != want {
			t.Errorf("Terminal(%s) = %v", s, !want)
		}
	}
}

// Only the supervisor does not act (issue 11: "without acting"): it may not
// take a report in at the counter either, which no move covers.
func TestActs(t *testing.T) {
	for _, role := range allRoles {
		if got, want := Acts(role), role != model.RoleSupervisor; got != want {
			t.Errorf("Acts(%q) = %v, want %v", role, got, want)
		}
	}
	for _, from := range model.Statuses {
		if got := Allowed(from, model.RoleSupervisor, true); len(got) != 0 {
			t.Errorf("a supervisor may move a %s report to %v", from, got)
		}
	}
}
