package settings_test

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
	"simpul/hooks/settings"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// A variable set after the first start takes effect at the next start
// (the review found them frozen by the first start's seed); a variable
// left unset keeps what the set-up page saved; PocketBase's application
// name follows the office's name.
func TestOfficeVariablesApplyAtEveryStart(t *testing.T) {
	app := testkit.New(t)
	office, err := settings.OfficeRecord(app)
	if err != nil {
		t.Fatal(err)
	}
	office.Set("address", "Jl. Merdeka 1") // as the set-up page would
	office.Set("timezone", "Asia/Makassar")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(env{
		"SIMPUL_PUBLIC_URL":  "http://192.168.1.10:8090/",
		"SIMPUL_OFFICE_NAME": "Puskesmas Sukamaju",
	}.get)
	if err != nil {
		t.Fatal(err)
	}
	if err := settings.ApplyEnv(app, cfg); err != nil {
		t.Fatal(err)
	}
	office, _ = settings.OfficeRecord(app)
	if got := office.GetString("public_base_url"); got != "http://192.168.1.10:8090" {
		t.Errorf("public_base_url %q", got)
	}
	if got := office.GetString("name"); got != "Puskesmas Sukamaju" {
		t.Errorf("name %q", got)
	}
	if office.GetString("timezone") != "Asia/Makassar" || office.GetString("address") != "Jl. Merdeka 1" {
		t.Errorf("unset variables overwrote the page's values: %q %q", office.GetString("timezone"), office.GetString("address"))
	}
	if got := app.Settings().Meta.AppName; got != "Puskesmas Sukamaju" {
		t.Errorf("PocketBase's application name %q, want the office's", got)
	}
	// Renaming the office on the set-up page renames the application.
	office.Set("name", "UPT Puskesmas Sukamaju")
	if err := app.Save(office); err != nil {
		t.Fatal(err)
	}
	if got := app.Settings().Meta.AppName; got != "UPT Puskesmas Sukamaju" {
		t.Errorf("application name after a rename: %q", got)
	}
	// No variable set: nothing changes.
	if err := settings.ApplyEnv(app, testkit.Config()); err != nil {
		t.Fatal(err)
	}
	if office, _ = settings.OfficeRecord(app); office.GetString("public_base_url") != "http://192.168.1.10:8090" {
		t.Error("an unset SIMPUL_PUBLIC_URL cleared the stored one")
	}
}

type env map[string]string

func (e env) get(k string) string { return e[k] }

func call(t *testing.T, url, method, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A staff member created through the API or /_/ (which sends
// "active": false for an unticked box) can sign in at once; a deactivated
// account with the right password is told so, in words of its own.
func TestStaffCreatedInTheAdminUICanSignIn(t *testing.T) {
	app := testkit.New(t)
	root := testkit.SuperuserToken(t, app)
	srv := testkit.Serve(t, app)
	st, body := call(t, srv.URL+"/api/collections/staff/records", http.MethodPost, root,
		`{"email":"baru@simpul.test","password":"rahasia-123456","passwordConfirm":"rahasia-123456",
		  "name":"Petugas Baru","role":"frontdesk","active":false}`)
	if st != http.StatusOK || !strings.Contains(body, `"active":true`) {
		t.Fatalf("create as /_/ does: %d %s", st, body)
	}
	login := func(password string) (int, string) {
		return call(t, srv.URL+"/api/collections/staff/auth-with-password", http.MethodPost, "",
			`{"identity":"baru@simpul.test","password":"`+password+`"}`)
	}
	if st, body := login("rahasia-123456"); st != http.StatusOK || !strings.Contains(body, `"token":"`) {
		t.Fatalf("a new staff member cannot sign in: %d %s", st, body)
	}
	rec, err := app.FindAuthRecordByEmail(model.Staff, "baru@simpul.test")
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("active", false)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	if st, body := login("rahasia-123456"); st != http.StatusForbidden || !strings.Contains(body, "dinonaktifkan") {
		t.Errorf("deactivated, right password: %d %s", st, body)
	}
	// A wrong password says nothing about the account.
	if st, body := login("salah-salah-salah"); st != http.StatusBadRequest || strings.Contains(body, "dinonaktifkan") {
		t.Errorf("deactivated, wrong password: %d %s", st, body)
	}
}

// /_/ explains the staff fields an office IT person fills in there.
func TestAdminUIHintsOnStaff(t *testing.T) {
	app := testkit.New(t)
	c, err := app.FindCollectionByNameOrId(model.Staff)
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"active": "selalu aktif", "role": "frontdesk = petugas loket", "unit": "handler"} {
		f := c.Fields.GetByName(field)
		if f == nil {
			t.Fatalf("no field %s", field)
		}
		var help string
		switch ft := f.(type) {
		case *core.BoolField:
			help = ft.Help
		case *core.SelectField:
			help = ft.Help
		case *core.RelationField:
			help = ft.Help
		}
		if !strings.Contains(help, want) {
			t.Errorf("staff.%s help %q lacks %q", field, help, want)
		}
	}
}

// OfficeOf is the one reader of the office row: its answer is kept until
// an edit of the row commits (through PocketBase or ForgetOffice after
// plain SQL), and never outlives one.
func TestOfficeOfIsKeptUntilAnEdit(t *testing.T) {
	app := testkit.New(t)
	first, ok := settings.OfficeOf(app)
	if !ok || first.Code == "" || first.Name == "" || first.TimeZone == "" {
		t.Fatalf("OfficeOf = %+v, %v; want the seeded row", first, ok)
	}
	// Plain SQL fires no hook: the kept answer stands until ForgetOffice.
	if _, err := app.DB().NewQuery("UPDATE offices SET name = 'Lewat SQL'").Execute(); err != nil {
		t.Fatal(err)
	}
	if o, _ := settings.OfficeOf(app); o.Name != first.Name {
		t.Fatalf("the answer was read again without an edit: %q (so it is not kept)", o.Name)
	}
	settings.ForgetOffice(app)
	if o, _ := settings.OfficeOf(app); o.Name != "Lewat SQL" {
		t.Fatalf("after ForgetOffice: %q", o.Name)
	}
	// An edit through PocketBase is seen at once, every field of it.
	rec, err := settings.OfficeRecord(app)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("name", "Puskesmas Sukamaju")
	rec.Set("code", "PKM-1")
	rec.Set("timezone", "Asia/Jayapura")
	rec.Set("public_base_url", "http://192.168.1.10:8090/")
	rec.Set("working_weekdays", []int{1, 2, 3, 4, 5, 6})
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	o, _ := settings.OfficeOf(app)
	if o.Name != "Puskesmas Sukamaju" || o.Code != "PKM-1" || o.TimeZone != "Asia/Jayapura" ||
		o.PublicBaseURL != "http://192.168.1.10:8090" || len(o.WorkingWeekdays) != 6 {
		t.Errorf("after an edit: %+v", o)
	}
	// A caller that changes its copy changes nothing kept.
	o.WorkingWeekdays[0] = 0
	if again, _ := settings.OfficeOf(app); again.WorkingWeekdays[0] != 1 {
		t.Error("a caller's copy shares the kept working days")
	}
}
