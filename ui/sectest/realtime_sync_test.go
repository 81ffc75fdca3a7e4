package sectest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/platform/clock"
	"simpul/hooks/settings"
	"simpul/sync/hub"
	"simpul/sync/upstream"
	"simpul/ui"
	"simpul/ui/testkit"
)

// heard is what a listener heard of complaints: "action code" pairs.
func (l *listener) heard() []string {
	var out []string
	for _, raw := range l.raw() {
		var msg struct {
			Action string `json:"action"`
			Record struct {
				Code string `json:"tracking_code"`
			} `json:"record"`
		}
		if json.Unmarshal([]byte(raw), &msg) == nil {
			out = append(out, msg.Action+" "+msg.Record.Code)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// office makes app the office with code.
func office(t *testing.T, app core.App, code string) {
	t.Helper()
	if _, err := app.DB().NewQuery("UPDATE offices SET code = {:c}, name = {:n}").
		Bind(dbx.Params{"c": code, "n": "Kantor " + code}).Execute(); err != nil {
		t.Fatal(err)
	}
	settings.ForgetOffice(app)
}

// Cases that arrive by sync reach an open staff desk as the ones taken in
// there do: a real sync pass writes them with SQL, then fires their record
// events after its commit (sync/apply.News). On the hub, a puskesmas's
// push makes copies (create); on the puskesmas, its pull makes the copy of
// a case the hub routed to it (create) and moves a case the hub took over
// (update). PocketBase's realtime sends each only to whom the privacy
// policy lets see it — the coordinator; not a guest, not a handler whose
// unit the case is not (or no longer) in — and no event carries the
// reporter's identity, which the puskesmas holds. Without the events fired
// nobody hears of anything the passes brought.
func TestRealtimeHearsWhatSyncBrings(t *testing.T) {
	kab, pkm := testkit.New(t), testkit.New(t)
	office(t, kab, "KAB")
	office(t, pkm, "PKM-1")
	creds, err := hub.AddNode(kab, "PKM-1", "Puskesmas Satu")
	if err != nil {
		t.Fatal(err)
	}
	kabSrv, pkmSrv := testkit.Serve(t, kab), testkit.Serve(t, pkm)
	sync := upstream.NewSyncer(pkm, upstream.NewHTTPParent(kabSrv.URL, creds.NodeID, creds.Secret, clock.Func(pkm)), "kab", time.Minute)
	for _, u := range []string{"KES", "PU"} {
		testkit.Unit(t, kab, u)
		testkit.Unit(t, pkm, u)
	}
	_, kabCoord := testkit.Staff(t, kab, "koordinator@kab.test", model.RoleCoordinator, "")
	_, kabKES := testkit.Staff(t, kab, "kes@kab.test", model.RoleHandler, "KES")
	_, pkmCoord := testkit.Staff(t, pkm, "koordinator@pkm.test", model.RoleCoordinator, "")
	_, pkmKES := testkit.Staff(t, pkm, "kes@pkm.test", model.RoleHandler, "KES")
	_, pkmPU := testkit.Staff(t, pkm, "pu@pkm.test", model.RoleHandler, "PU")

	identity := []string{"Siti Aminah", "081234560001", "siti@contoh.id", "Budi Rahasia", "081234560002", "3201234567890001"}
	submit := func(app core.App, unit, privacy, name, phone string) string {
		t.Helper()
		res, err := intake.Submit(app, intake.Request{Unit: unit, Privacy: privacy, ReporterName: name, ReporterPhone: phone,
			ReporterEmail: "siti@contoh.id", ReporterNIK: "3201234567890001", Type: model.TypePengaduan, Category: "LAIN",
			RemoteIP: "10.0.0.9", Title: "Antrean loket pelayanan tidak bergerak",
			Body: "Antrean di loket pelayanan sudah tiga jam tidak bergerak sejak pagi."})
		if err != nil {
			t.Fatal(err)
		}
		return res.TrackingCode
	}
	c1 := submit(pkm, "KES", model.PrivacyConfidential, "Budi Rahasia", "081234560002")
	c2 := submit(pkm, "PU", model.PrivacyPublic, "Siti Aminah", "081234560001")
	c3 := submit(kab, "", model.PrivacyPublic, "Siti Aminah", "081234560001")

	everything := `?options=` + `{"query":{"expand":"created_by,unit,category"}}`
	listen := func(base, name, tok string) *listener {
		var cookies []*http.Cookie
		if tok != "" {
			cookies = []*http.Cookie{{Name: ui.SessionCookie, Value: tok}}
		}
		return connect(t, base, name, cookies, base, "complaints"+everything, "categories/*")
	}
	kabAll := []*listener{listen(kabSrv.URL, "KAB coordinator", kabCoord), listen(kabSrv.URL, "KAB handler KES", kabKES),
		listen(kabSrv.URL, "KAB guest", "")}
	pkmAll := []*listener{listen(pkmSrv.URL, "PKM coordinator", pkmCoord), listen(pkmSrv.URL, "PKM handler KES", pkmKES),
		listen(pkmSrv.URL, "PKM handler PU", pkmPU), listen(pkmSrv.URL, "PKM guest", "")}

	// The puskesmas pushes: the hub makes copies of c1 and c2.
	if _, err := sync.Pass(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The hub routes its own c3 to the puskesmas and takes c2 over for
	// its own unit; the puskesmas's pull brings both.
	testkit.Move(t, kab, c3, model.StatusTerdisposisi, "PKM-1")
	testkit.Move(t, kab, c2, model.StatusTerdisposisi, "")
	if _, err := sync.Pass(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, app := range []core.App{kab, pkm} {
		cat := core.NewRecord(mustCollection(t, app, model.Categories))
		cat.Set("code", "UJI-AKHIR")
		cat.Set("name", "Penanda akhir uji")
		cat.Set("active", true)
		if err := app.Save(cat); err != nil {
			t.Fatal(err)
		}
	}

	want := map[string][]string{
		// The hub's own moves are saves (update events of their own);
		// what the push brought is the creation of the copies.
		"KAB coordinator": {"create " + c1, "create " + c2, "update " + c2, "update " + c3},
		"KAB handler KES": {},
		"KAB guest":       {},
		"PKM coordinator": {"create " + c3, "update " + c2},
		"PKM handler KES": {},
		"PKM handler PU":  {},
		"PKM guest":       {},
	}
	for _, l := range append(kabAll, pkmAll...) {
		l.wait(t, (*listener).ended)
		slices.Sort(want[l.name])
		if got := l.heard(); fmt.Sprint(got) != fmt.Sprint(want[l.name]) {
			t.Errorf("%s heard %v, want %v", l.name, got, want[l.name])
		}
		for _, raw := range l.raw() {
			for _, s := range identity {
				if strings.Contains(raw, s) {
					t.Errorf("%s heard a reporter's identity %q in %s", l.name, s, raw)
				}
			}
		}
	}
}
