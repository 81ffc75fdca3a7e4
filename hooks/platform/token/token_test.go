package token_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/token"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// Hash is SHA-256 in hex (FIPS 180-2's test vector for "abc").
func TestHash(t *testing.T) {
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := token.Hash("abc"); got != abc {
		t.Errorf("Hash(abc) = %s", got)
	}
}

// Issue creates the holder with only the secret's stored form, active;
// issuing again to the same holder keeps its record, reactivates it and
// replaces the stored form (the old secret stops working); Stored and Set
// are applied.
func TestIssue(t *testing.T) {
	app := testkit.New(t)
	h := token.Holder{Collection: model.Open311Keys, KeyField: "name", Key: "Aplikasi Warga", HashField: "key_hash"}
	rec, first, err := token.Issue(app, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 43 || rec.GetString("key_hash") != token.Hash(first) || !rec.GetBool("active") {
		t.Fatalf("first issue: secret %q, stored %v", first, rec.FieldsData())
	}
	rec.Set("active", false) // retired
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	h.Stored = func(s string) string { return token.Hash("derived:" + s) }
	var set bool
	h.Set = func(*core.Record) { set = true }
	again, second, err := token.Issue(app, h)
	if err != nil {
		t.Fatal(err)
	}
	if again.Id != rec.Id || second == first || !set {
		t.Fatalf("second issue: same holder %v, new secret %v, Set called %v", again.Id == rec.Id, second != first, set)
	}
	stored, err := app.FindRecordById(model.Open311Keys, rec.Id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.GetString("key_hash") != token.Hash("derived:"+second) || !stored.GetBool("active") {
		t.Errorf("after the second issue: %v", stored.FieldsData())
	}
	if strings.Contains(stored.GetString("key_hash"), first) || strings.Contains(stored.GetString("key_hash"), second) {
		t.Error("a secret itself is stored")
	}
}
