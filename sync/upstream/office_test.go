package upstream_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/hooks/settings"
	"simpul/ui/testkit"
)

// setOfficeCode gives a test level its own office code (every test app is
// seeded with the same default).
func setOfficeCode(t testing.TB, l *level, code, name string) {
	t.Helper()
	if _, err := l.app.DB().NewQuery("UPDATE offices SET code = {:c}, name = {:n}").
		Bind(dbx.Params{"c": code, "n": name}).Execute(); err != nil {
		t.Fatal(err)
	}
	settings.ForgetOffice(l.app) // plain SQL fires no record hook
}

func officeOf(t testing.TB, l *level, code string) (office, origin string) {
	t.Helper()
	c, err := l.app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
	if err != nil {
		t.Fatalf("%s: %s: %v", l.name, code, err)
	}
	return c.GetString("office"), c.GetString("origin_office")
}

// TestOfficeFields: a complaint taken in on a node is handled by that node
// (office = origin_office = its code) and its hub copy says the same; the
// migration fills rows written before the fields existed, a hub's copies
// with the child's node code.
func TestOfficeFields(t *testing.T) {
	hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
	setOfficeCode(t, hubL, "KAB", "Dinas Kesehatan")
	setOfficeCode(t, node, "PKM", "Puskesmas Sukamaju")
	attach(t, node, hubL) // registers the node as code "PKM"
	code := testkit.Complaint(t, node.app, testkit.ComplaintSpec{}).GetString("tracking_code")
	if o, oo := officeOf(t, node, code); o != "PKM" || oo != "PKM" {
		t.Fatalf("on the node: office %q, origin %q; want PKM, PKM", o, oo)
	}
	node.pass(t)
	if o, oo := officeOf(t, hubL, code); o != "PKM" || oo != "PKM" {
		t.Fatalf("on the hub: office %q, origin %q; want PKM, PKM", o, oo)
	}
	local := testkit.Complaint(t, hubL.app, testkit.ComplaintSpec{}).GetString("tracking_code")

	// Rows from before the migration: empty fields, then the migration again.
	for _, l := range []*level{node, hubL} {
		if _, err := l.app.DB().NewQuery("UPDATE complaints SET office = '', origin_office = ''").Execute(); err != nil {
			t.Fatal(err)
		}
		if _, err := l.app.DB().NewQuery("DELETE FROM _migrations WHERE file = '1763831000_office_fields.go'").Execute(); err != nil {
			t.Fatal(err)
		}
		if err := l.app.RunAllMigrations(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		l          *level
		code, want string
	}{{node, code, "PKM"}, {hubL, code, "PKM"}, {hubL, local, "KAB"}} {
		if o, oo := officeOf(t, c.l, c.code); o != c.want || oo != c.want {
			t.Errorf("%s after the migration: office %q, origin %q; want %s", c.l.name, o, oo, c.want)
		}
	}
}
