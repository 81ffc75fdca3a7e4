package open311_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/open311"
	"simpul/hooks/platform/clock"
	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

var formats = []string{"json", "xml"}

// Personal data of the fixture reporters: it must never come out of Open311.
var identities = []string{"Siti Aminah", "081234567890", "siti@contoh.id", "Budi Rahasia", "081299998888"}

// world is the fixture every scenario starts from.
type world struct {
	dir                 string
	key, inactiveKey    string
	keyID               string
	codes               map[string]string // fixture name → tracking code
	oldVerified         string            // a verified public report created 200 days ago
	publicNote          string
	internalNote        string
	reporterReply       string
	confidentialNote    string
	verifiedTitle       string
	verifiedBody        string
	verifiedLocation    string
	anonymousBody       string
	confidentialTitle   string
	confidentialBody    string
	confidentialAddress string
}

func (w *world) factory() func(testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp { return testkit.NewFromDir(t, w.dir, testkit.Config()) }
}

func newWorld(t *testing.T) *world {
	t.Helper()
	app := testkit.NewUnmanaged(t, testkit.Config())
	w := &world{codes: map[string]string{},
		publicNote:          "Sudah diteruskan ke Seksi Jalan untuk diperbaiki.",
		internalNote:        "CATATAN-INTERNAL anggaran belum cair",
		reporterReply:       "BALASAN-PELAPOR terima kasih",
		confidentialNote:    "CATATAN-RAHASIA pemeriksaan petugas",
		verifiedTitle:       "Jalan berlubang di Jl. Merdeka",
		verifiedBody:        "Lubang besar di Jl. Merdeka 12, hubungi saya di 081234567890.",
		verifiedLocation:    "Jl. Merdeka 12, Kel. Sukamaju",
		anonymousBody:       "Pungutan liar di loket KTP setiap pagi hari.",
		confidentialTitle:   "Petugas meminta uang",
		confidentialBody:    "Petugas X meminta uang pelicin Rp 200.000 untuk KTP.",
		confidentialAddress: "Kantor kecamatan",
	}
	creds, err := open311.AddKey(app, "Aplikasi Warga")
	if err != nil {
		t.Fatal(err)
	}
	w.key, w.keyID = creds.APIKey, creds.KeyID
	off, err := open311.AddKey(app, "Mitra Lama")
	if err != nil {
		t.Fatal(err)
	}
	w.inactiveKey = off.APIKey
	if _, err := app.DB().NewQuery("UPDATE open311_keys SET active = FALSE WHERE id = {:id}").
		Bind(dbx.Params{"id": off.KeyID}).Execute(); err != nil {
		t.Fatal(err)
	}

	age := 0
	add := func(name string, spec testkit.ComplaintSpec, title, body, location string) *core.Record {
		rec := testkit.Complaint(t, app, spec)
		// Each report an hour older than the one before: lists are newest first.
		age++
		if _, err := app.DB().NewQuery("UPDATE complaints SET created = {:c} WHERE id = {:id}").Bind(dbx.Params{
			"c": clock.Now(app).Add(-time.Duration(age) * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"), "id": rec.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		rec, err := app.FindRecordById(model.Complaints, rec.Id)
		if err != nil {
			t.Fatal(err)
		}
		rec.Set("title", title)
		rec.Set("body", body)
		rec.Set("location", location)
		if spec.Privacy != model.PrivacyAnonymous {
			rec.Set("reporter_email", "siti@contoh.id")
		}
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
		w.codes[name] = rec.GetString("tracking_code")
		return rec
	}
	verified := add("verified", testkit.ComplaintSpec{Unit: "JALAN", Category: "INF-JALAN", Status: model.StatusTerdisposisi,
		Reporter: "Siti Aminah", Phone: "081234567890"}, w.verifiedTitle, w.verifiedBody, w.verifiedLocation)
	verified.Set("geo", types.GeoPoint{Lat: -6.2, Lon: 106.8})
	verified.Set("due_at", clock.Now(app).Add(72*time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"))
	if err := app.Save(verified); err != nil {
		t.Fatal(err)
	}
	add("done", testkit.ComplaintSpec{Unit: "PUSK", Category: "KES-PUSK", Status: model.StatusSelesai, Reporter: "Siti Aminah"},
		"Antrean puskesmas terlalu lama", "Antrean sejak jam tujuh pagi, Bu Siti Aminah menunggu tiga jam.", "Puskesmas Sukamaju")
	add("new", testkit.ComplaintSpec{Category: "INF-JALAN", Reporter: "Siti Aminah", Phone: "081234567890"},
		"Belum diverifikasi", "Laporan yang belum diverifikasi petugas.", "Jl. Kenanga")
	add("anonymous", testkit.ComplaintSpec{Unit: "UMUM", Category: "PEL-BIAYA", Privacy: model.PrivacyAnonymous,
		Status: model.StatusProses}, "Pungutan liar di loket", w.anonymousBody, "Loket KTP")
	conf := add("confidential", testkit.ComplaintSpec{Unit: "UMUM", Category: "PEL-PETUGAS", Privacy: model.PrivacyConfidential,
		Status: model.StatusProses, Reporter: "Budi Rahasia", Phone: "081299998888"}, w.confidentialTitle, w.confidentialBody,
		w.confidentialAddress)
	add("archived", testkit.ComplaintSpec{Category: "LAIN", Status: model.StatusDiarsipkan, Reporter: "Siti Aminah"},
		"Iklan obat kuat", "Spam yang diarsipkan verifikator.", "")
	old := add("old", testkit.ComplaintSpec{Unit: "JALAN", Category: "INF-JALAN", Status: model.StatusSelesai, Reporter: "Siti Aminah"},
		"Lampu jalan mati tahun lalu", "Lampu mati di gang masjid.", "Gg. Masjid")
	if _, err := app.DB().NewQuery("UPDATE complaints SET created = {:c} WHERE id = {:id}").Bind(dbx.Params{
		"c": clock.Now(app).AddDate(0, 0, -200).UTC().Format("2006-01-02 15:04:05.000Z"), "id": old.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	w.oldVerified = old.GetString("tracking_code")

	err = app.RunInTransaction(func(tx core.App) error {
		for _, ev := range []struct {
			rec *core.Record
			ev  events.Event
		}{
			{verified, events.Event{Kind: model.EventTransition, ActorType: "staff", ActorName: "Koordinator", From: model.StatusBaru,
				To: model.StatusTerdisposisi, Note: w.publicNote, Public: true, Origin: "TEST"}},
			{verified, events.Event{Kind: model.EventNote, ActorType: "staff", ActorName: "Koordinator", Note: w.internalNote, Origin: "TEST"}},
			{verified, events.Event{Kind: model.EventReply, ActorType: "reporter", ActorName: "Pelapor", Note: w.reporterReply,
				Public: true, Origin: "TEST"}},
			{conf, events.Event{Kind: model.EventFollowUp, ActorType: "staff", ActorName: "Seksi", Note: w.confidentialNote,
				Public: true, Origin: "TEST"}},
		} {
			fresh, err := tx.FindRecordById(model.Complaints, ev.rec.Id)
			if err != nil {
				return err
			}
			if _, err := events.Append(tx, fresh, ev.ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.dir = testkit.Snapshot(t, app)
	return w
}

// Answers as a GeoReport client reads them: these types follow the spec,
// not the package's own.

type specError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type specRequest struct {
	ID                string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       *string  `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       *string  `json:"description" xml:"description"`
	AgencyResponsible *string  `json:"agency_responsible" xml:"agency_responsible"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  *string  `json:"expected_datetime" xml:"expected_datetime"`
	Address           *string  `json:"address" xml:"address"`
	Lat               *float64 `json:"lat" xml:"lat"`
	Long              *float64 `json:"long" xml:"long"`
}

type specService struct {
	Code        string `json:"service_code" xml:"service_code"`
	Name        string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type specCreated struct {
	ID            string  `json:"service_request_id" xml:"service_request_id"`
	Token         *string `json:"token" xml:"token"`
	ServiceNotice string  `json:"service_notice" xml:"service_notice"`
}

// body reads a response and checks its content type and, for XML, the
// declaration.
func body(t testing.TB, res *http.Response, format string) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	ct := res.Header.Get("Content-Type")
	switch format {
	case "json":
		if ct != "application/json; charset=utf-8" {
			t.Fatalf("content type %q for JSON", ct)
		}
	case "xml":
		if ct != "text/xml; charset=utf-8" {
			t.Fatalf("content type %q for XML", ct)
		}
		if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
			t.Fatalf("XML without declaration: %s", b)
		}
	}
	return b
}

// decode parses an answer: JSON into jsonDst, or XML into a document whose
// root element must be root, holding items named item.
func decodeList[T any](t testing.TB, res *http.Response, format, root, item string) []T {
	t.Helper()
	b := body(t, res, format)
	if format == "json" {
		var out []T
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("JSON %s: %v\n%s", root, err, b)
		}
		return out
	}
	return xmlList[T](t, b, root, item)
}

// xmlList walks an XML document: the root element must be root and its
// children item elements, each decoded into T.
func xmlList[T any](t testing.TB, b []byte, root, item string) []T {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out []T
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("XML: %v\n%s", err, b)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if el.Name.Local != root {
					t.Fatalf("XML root %q, want %q\n%s", el.Name.Local, root, b)
				}
			case 2:
				if el.Name.Local != item {
					t.Fatalf("XML child %q, want %q\n%s", el.Name.Local, item, b)
				}
				var v T
				if err := dec.DecodeElement(&v, &el); err != nil {
					t.Fatal(err)
				}
				out = append(out, v)
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
	if out == nil {
		out = []T{}
	}
	return out
}

// errorsOf parses a spec error answer and checks every code against status.
func errorsOf(t testing.TB, res *http.Response, format string, status int) []specError {
	t.Helper()
	errs := decodeList[specError](t, res, format, "errors", "error")
	if len(errs) == 0 {
		t.Fatalf("an error answer without errors")
	}
	for _, e := range errs {
		if e.Code != status || e.Description == "" {
			t.Fatalf("error entry %+v, want code %d with a description", e, status)
		}
	}
	return errs
}

// expectError is an AfterTestFunc for an error answer whose description
// mentions want.
func expectError(format string, status int, want string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, _ *tests.TestApp, res *http.Response) {
		errs := errorsOf(t, res, format, status)
		all := ""
		for _, e := range errs {
			all += e.Description + "\n"
		}
		if !strings.Contains(all, want) {
			t.Fatalf("errors %q do not mention %q", all, want)
		}
	}
}

// form is a POST body with the spec's content type.
func form(v url.Values) (io.Reader, map[string]string) {
	return strings.NewReader(v.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
}

// noIdentity is NotExpectedContent for every answer.
func noIdentity(extra ...string) []string {
	return append(append([]string{}, identities...), extra...)
}

func countComplaints(t testing.TB, app core.App) int64 {
	t.Helper()
	n, err := app.CountRecords(model.Complaints)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
