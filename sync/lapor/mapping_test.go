package lapor_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/cases"
	"simpul/hooks/domain/model"
	"simpul/hooks/platform/config"
	"simpul/sync/lapor"
	"simpul/sync/upstream"
	"simpul/ui/testkit"
)

// The mapping renames every field and changes every value table: the
// report arrives with the office's names, type codes, flag values, the
// body encoding, the token's place, extra fields, the unit's LAPOR! id,
// statuses, the answer's keys; the later calls carry the token and the
// extra fields the same way.
func TestMappingOverrides(t *testing.T) {
	f := newFakeLapor(t)
	f.tokenField, f.tokenHeader, f.refField = "", "Authorization", "no_referensi"
	f.trackingKey, f.transactionKey = "no_tracking", "id_transaksi"
	n := newNode(t, f, `{
		"fields": {"token": "", "title": "judul", "content": "isi", "topic": "kategori",
			"type": "jenis", "anonymous": "anonim", "secret": "rahasia", "reference": "no_referensi",
			"date": "tanggal_kejadian", "location": "", "status": "status", "unit": "instansi_tujuan"},
		"types": {"pengaduan": "P", "aspirasi": "A"},
		"statuses": {"terdisposisi": "D"},
		"flag_true": "ya", "flag_false": "tidak",
		"default_topic": "77",
		"date_format": "02/01/2006",
		"extra": {"sumber": "simpul", "id_instansi": "3201"},
		"encoding": "json",
		"token_header": "Authorization", "token_prefix": "Bearer ",
		"tracking_field": "no_tracking", "transaction_field": "id_transaksi",
		"followup": {"path": "/api/v1/laporan/{tracking_id}/tindak-lanjut", "fields": {"content": "uraian"}}
	}`)
	unit := testkit.Unit(t, n.app, "KES")
	if _, err := n.app.DB().NewQuery(`UPDATE units SET lapor_id = 'U-88' WHERE id = {:id}`).Bind(dbx.Params{"id": unit.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	code := n.add(spec{privacy: model.PrivacyAnonymous, date: "2025-03-04", loc: "Pasar"})
	n.move(code, cases.Request{To: model.StatusTerdisposisi, Unit: "KES"})
	n.mustPass()
	n.followUp(code, "Sudah ditinjau.")
	n.mustPass()
	caps := f.captures()
	if len(caps) != 2 || caps[0].call != "create" || !strings.HasPrefix(caps[0].header.Get("Content-Type"), "application/json") ||
		caps[0].header.Get("Authorization") != "Bearer "+f.token || caps[1].header.Get("Authorization") != "Bearer "+f.token {
		t.Fatalf("requests: %+v", caps)
	}
	want := map[string]string{"judul": "Jalan rusak di depan puskesmas", "kategori": "77", "jenis": "P", "anonim": "ya",
		"rahasia": "tidak", "no_referensi": code, "tanggal_kejadian": "04/03/2025", "status": "D",
		"instansi_tujuan": "U-88", "sumber": "simpul", "id_instansi": "3201"}
	got := caps[0].fields
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, k := range []string{"KEYTOKEN", "title", "topic_id", "classification", "location", "external_id"} {
		if _, ok := got[k]; ok {
			t.Errorf("default field %s still sent", k)
		}
	}
	if !strings.Contains(got["isi"], "Lubang besar") || len(got) != len(want)+1 {
		t.Errorf("fields sent: %v", got)
	}
	if n.laporID(code) != "5000001" {
		t.Errorf("id from no_tracking: %q", n.laporID(code))
	}
	if fu := caps[1].fields; fu["uraian"] != "Sudah ditinjau." || fu["sumber"] != "simpul" || fu["id_instansi"] != "3201" {
		t.Errorf("follow-up fields: %v", fu)
	}
	assertNoIdentity(t, f)
}

// A broken mapping stops the pass before any request, with an error that
// names the sync_state row.
func TestInvalidMappingSendsNothing(t *testing.T) {
	cases := map[string]string{
		"not JSON":          `{"fields": {"title": "judul"`,
		"unknown key":       `{"feilds": {"title": "judul"}}`,
		"unknown field":     `{"fields": {"judul": "title"}}`,
		"unknown type":      `{"types": {"complaint": "1"}}`,
		"bad encoding":      `{"encoding": "xml"}`,
		"bad send_on":       `{"send_on": "later"}`,
		"token nowhere":     `{"fields": {"token": ""}}`,
		"extra collision":   `{"extra": {"title": "x"}}`,
		"another host":      `{"followup": {"path": "https://elsewhere.example/x"}}`,
		"unknown call key":  `{"followup": {"path": "/x", "fields": {"judul": "title"}}}`,
		"bad method":        `{"status": {"path": "/x", "method": "DELETE"}}`,
		"pull without id":   `{"pull": {"path": "/x", "report": {"title": "judul"}}}`,
		"unknown pull key":  `{"pull": {"path": "/x", "report": {"tracking_id": "id", "nik": "nik"}}}`,
		"unknown status":    `{"statuses": {"closed": "4"}}`,
		"lookup bad field":  `{"lookup": {"path": "/x", "fields": {"content": "isi"}}}`,
		"status path space": `{"status": {"path": "/a b"}}`,
	}
	f := newFakeLapor(t)
	n := newNode(t, f, "")
	code := n.add(spec{})
	n.dispose(code)
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			setMapping(t, n.app, raw)
			sum, err := n.pass()
			if err == nil || !strings.Contains(sum.Error, lapor.MappingKey) || lapor.Hint(sum.LastError) != "mapping" ||
				sum.LastErrorKind != upstream.ErrKindOther {
				t.Fatalf("pass: %v %+v", err, sum)
			}
			if f.count("") != 0 {
				t.Errorf("sent with a broken mapping: %d requests", f.count(""))
			}
		})
	}
	// Stored as a JSON string (as an admin form may keep it), it is read.
	setMapping(t, n.app, `"{\"default_topic\": \"99\"}"`)
	n.mustPass()
	if f.byRef()[code] != 1 {
		t.Fatalf("mapping as a JSON string: %v", f.byRef())
	}
}

// A category without a topic and no default topic: that report is held
// locally with the category named, no request goes out for it; the others
// go on. Staff set the topic and resend.
func TestMissingTopicIsHeldLocally(t *testing.T) {
	f := newFakeLapor(t)
	n := newNode(t, f, "")
	setTopic(t, n.app, "KES-PUSK", "1204")
	ok := n.add(spec{cat: "KES-PUSK"})
	none := n.add(spec{cat: "INF-AIR"})
	n.dispose(ok)
	n.dispose(none)
	n.mustPass()
	if r := n.row(none); r.GetString("held_reason") != lapor.HeldRefused || !strings.Contains(r.GetString("last_error"), "INF-AIR") {
		t.Errorf("row: %v", r.FieldsData())
	}
	if got := f.byRef(); got[ok] != 1 || len(got) != 1 || f.count("") != 1 {
		t.Errorf("reports %v after %d requests", got, f.count(""))
	}
	setTopic(t, n.app, "INF-AIR", "88")
	if err := lapor.Resend(n.app, none); err != nil {
		t.Fatal(err)
	}
	n.mustPass()
	if got := f.byRef(); got[none] != 1 || f.reports()[1]["topic_id"] != "88" {
		t.Errorf("after the resend: %v", f.reports())
	}
}

func TestConfigLoad(t *testing.T) {
	tokenFile := t.TempDir() + "/token"
	if err := os.WriteFile(tokenFile, []byte("dari-berkas\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
		token   string
	}{
		{"none", map[string]string{}, "", ""},
		{"url and token", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api/laporan", "SIMPUL_LAPOR_TOKEN": "t1"}, "", "t1"},
		{"token file", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN_FILE": tokenFile}, "", "dari-berkas"},
		{"missing token file", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN_FILE": tokenFile + ".x"}, "SIMPUL_LAPOR_TOKEN_FILE", ""},
		{"no token", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api"}, "SIMPUL_LAPOR_URL needs SIMPUL_LAPOR_TOKEN", ""},
		{"not a URL", map[string]string{"SIMPUL_LAPOR_URL": "lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t"}, "SIMPUL_LAPOR_URL \"lapor.example/api\" is not an http(s) URL", ""},
		{"ftp", map[string]string{"SIMPUL_LAPOR_URL": "ftp://lapor.example/", "SIMPUL_LAPOR_TOKEN": "t"}, "is not an http(s) URL", ""},
		{"both parents", map[string]string{"SIMPUL_LAPOR_URL": "https://lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t",
			"SIMPUL_UPSTREAM_URL": "https://kab.example", "SIMPUL_NODE_ID": "n", "SIMPUL_NODE_SECRET": "s"}, "not both", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string { return tc.env[k] })
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if cfg.LaporToken != tc.token || cfg.LaporURL != tc.env["SIMPUL_LAPOR_URL"] {
					t.Errorf("config: url %q token %q", cfg.LaporURL, cfg.LaporToken)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "config: ") {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
