package open311_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/open311"
	"simpul/hooks/platform/token"
	"simpul/ui/testkit"
)

// fuzzKey is the api_key the fuzzers' fixture accepts, so that seeds and
// the corpus can carry it.
const fuzzKey = "kunci-fuzz-open311-0123456789abcdef"

// Fixture reporters: their identity must never come out of Open311.
var fuzzIdentities = []string{"Siti Rahasia", "081234567890", "siti.rahasia@contoh.id"}

// Fixed tracking codes of the fixture complaints (valid check characters).
const (
	fuzzPublicCode       = "7K3M-9QXT-R2D"
	fuzzConfidentialCode = "4SHP-2KWN-8DC"
)

// fuzzWorld is an app with the fixed key and two listed-or-findable
// complaints whose reporters gave their identity.
func fuzzWorld(tb testing.TB) (core.App, http.Handler, func()) {
	app := testkit.New(tb)
	keys := 0
	rotate := func() {
		// A fresh key record with the same secret: a new id, so a new rate
		// bucket, and the corpus keeps working.
		if _, err := app.DB().NewQuery("UPDATE open311_keys SET key_hash = '' WHERE key_hash = {:h}").
			Bind(dbx.Params{"h": token.Hash(fuzzKey)}).Execute(); err != nil {
			tb.Fatal(err)
		}
		keys++
		creds, err := open311.AddKey(app, fmt.Sprintf("Klien fuzz %d", keys))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := app.DB().NewQuery("UPDATE open311_keys SET key_hash = {:h} WHERE id = {:id}").
			Bind(dbx.Params{"h": token.Hash(fuzzKey), "id": creds.KeyID}).Execute(); err != nil {
			tb.Fatal(err)
		}
	}
	rotate()
	for code, privacy := range map[string]string{fuzzPublicCode: model.PrivacyPublic, fuzzConfidentialCode: model.PrivacyConfidential} {
		c := testkit.Complaint(tb, app, testkit.ComplaintSpec{Status: model.StatusProses, Privacy: privacy,
			Reporter: fuzzIdentities[0], Phone: fuzzIdentities[1]})
		if _, err := app.DB().NewQuery("UPDATE complaints SET tracking_code = {:c}, reporter_email = {:e} WHERE id = {:id}").
			Bind(dbx.Params{"c": code, "e": fuzzIdentities[2], "id": c.Id}).Execute(); err != nil {
			tb.Fatal(err)
		}
	}
	return app, testkit.Handler(tb, app), rotate
}

// checkAnswer holds for every Open311 answer: never a 5xx, never a
// reporter's identity, and a body in the format asked for (XML when the
// format is unknown).
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, format string, allowed ...int) {
	t.Helper()
	body := rec.Body.String()
	ok := false
	for _, s := range allowed {
		ok = ok || rec.Code == s
	}
	if !ok {
		t.Fatalf("answered %d: %.400s", rec.Code, body)
	}
	for _, id := range fuzzIdentities {
		if strings.Contains(body, id) {
			t.Fatalf("answer carries reporter identity %q: %.400s", id, body)
		}
	}
	if rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect {
		// The router cleaning a "." or ".." segment: never off the API.
		// The router escapes the cleaned path and appends the query as the
		// client sent it, which need not parse as a URL ("?#%"), so only
		// the part before the first "?" is judged.
		loc := rec.Header().Get("Location")
		path, _, _ := strings.Cut(loc, "?")
		if u, err := url.Parse(path); err != nil || u.Scheme != "" || u.Host != "" || (u.Path != "/open311" && !strings.HasPrefix(u.Path, "/open311/")) {
			t.Fatalf("%d to %q", rec.Code, loc)
		}
		return
	}
	if format == "json" && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%d: JSON answer does not parse: %v %.400s", rec.Code, err, body)
		}
		return
	}
	dec := xml.NewDecoder(strings.NewReader(body))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%d: XML answer does not parse: %v %.400s", rec.Code, err, body)
		}
	}
}

// FuzzPostRequests sends arbitrary form bodies to POST requests.{json,xml}
// through the real router. withKey prefixes the fixture's api_key, so the
// fuzzer gets past the key check into the mapping onto intake. Every answer
// is 200 or a spec error (400, 403, 404, 413, 429) in the asked format; an
// accepted request is a stored complaint with sane coordinates.
func FuzzPostRequests(f *testing.F) {
	valid := url.Values{
		"service_code": {"inf-jalan"}, "description": {"Jembatan kayu di Desa Sidomulyo patah sebagian. Anak-anak memutar."},
		"address_string": {"Jembatan Desa Sidomulyo"}, "first_name": {"Dewi"}, "last_name": {"Lestari"},
		"email": {"dewi@contoh.id"}, "phone": {"+62 812-3456-7001"}, "attribute[WARNA]": {"merah"},
	}
	f.Add(true, false, "json", []byte(valid.Encode()))
	f.Add(true, false, "xml", []byte(valid.Encode()+"&lat=-6.2&long=106.8"))
	f.Add(true, false, "json", []byte("service_code=LAIN&description=Sampah+menumpuk+di+pasar+pagi&lat=NaN&long=NaN"))
	f.Add(true, false, "json", []byte("service_code=LAIN&description=Sampah+menumpuk+di+pasar+pagi&lat=1e999&long=0x1p-2"))
	f.Add(true, false, "json", []byte("service_code=LAIN&description=x&address_id=12"))
	f.Add(false, false, "json", []byte("api_key=salah&service_code=LAIN"))
	f.Add(true, false, "xml", []byte("service_code=%ZZ&description=%"))
	f.Add(true, true, "json", []byte("service_code=INF-JALAN\ndescription=Lampu jalan mati sejak minggu lalu.\naddress_string=Pasar"))
	f.Add(false, true, "pdf", []byte("api_key="+fuzzKey))

	app, h, rotate := fuzzWorld(f)
	f.Fuzz(func(t *testing.T, withKey, asMultipart bool, format string, body []byte) {
		var ct string
		switch {
		case asMultipart:
			// Each "k=v" line is a part; the fuzzer owns names and values.
			var b bytes.Buffer
			w := multipart.NewWriter(&b)
			if withKey {
				w.WriteField("api_key", fuzzKey)
			}
			for _, line := range strings.Split(string(body), "\n") {
				k, v, _ := strings.Cut(line, "=")
				w.WriteField(k, v)
			}
			w.Close()
			ct, body = w.FormDataContentType(), b.Bytes()
		default:
			ct = "application/x-www-form-urlencoded"
			if withKey {
				body = append([]byte("api_key="+fuzzKey+"&"), body...)
			}
		}
		target := &url.URL{Path: "/open311/v2/requests." + format, RawPath: "/open311/v2/requests." + url.PathEscape(format)}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.URL, req.RequestURI = target, target.RequestURI()
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusTooManyRequests {
			rotate()
		}
		known := format == "json" || format == "xml"
		checkAnswer(t, rec, format, 200, 301, 307, 400, 403, 404, 405, 413, 429)
		if rec.Code != http.StatusOK {
			return
		}
		if !known || strings.Contains(format, "/") {
			t.Fatalf("200 for format %q", format)
		}
		// The new complaint: what was accepted must be storable and sane.
		var id string
		if format == "json" {
			var out []struct {
				ID string `json:"service_request_id"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out) != 1 {
				t.Fatalf("answer %s", rec.Body.String())
			}
			id = out[0].ID
		} else {
			var out struct {
				Requests []struct {
					ID string `xml:"service_request_id"`
				} `xml:"request"`
			}
			if err := xml.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Requests) != 1 {
				t.Fatalf("answer %s", rec.Body.String())
			}
			id = out.Requests[0].ID
		}
		c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", id)
		if err != nil {
			t.Fatalf("200 for %q but no complaint: %v", id, err)
		}
		if c.GetString("channel") != model.ChannelOpen311 {
			t.Fatalf("channel %q", c.GetString("channel"))
		}
		// Open311 needs a location: an accepted request has an address or
		// a real point (not NaN, not out of range, not silently dropped).
		var stored struct {
			Geo      string `db:"geo"`
			Location string `db:"location"`
		}
		if err := app.DB().NewQuery("SELECT geo, location FROM complaints WHERE id = {:id}").
			Bind(dbx.Params{"id": c.Id}).One(&stored); err != nil {
			t.Fatal(err)
		}
		var geo struct{ Lat, Lon float64 }
		if stored.Geo != "" {
			if err := json.Unmarshal([]byte(stored.Geo), &geo); err != nil {
				t.Fatalf("stored geo %q", stored.Geo)
			}
		}
		if math.Abs(geo.Lat) > 90 || math.Abs(geo.Lon) > 180 {
			t.Fatalf("stored geo %+v", geo)
		}
		if stored.Location == "" && stored.Geo == "" {
			t.Fatalf("accepted without a location: geo %q, body %q", stored.Geo, body)
		}
		// And the GET side can read it back.
		get := httptest.NewRequest(http.MethodGet, "/open311/v2/requests/"+id+".json", nil)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, get)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET the new request: %d %s", rec.Code, rec.Body.String())
		}
	})
}

// FuzzGetRequests fuzzes the GET side: the query filters of requests.{fmt}
// (dates, ids, status, service codes, paging) and the id, code and token
// path segments. Answers are 200, 301 or 307 (the router cleaning a dot
// segment), 400 or 404 in the asked format, never a 5xx and never a reporter's identity.
func FuzzGetRequests(f *testing.F) {
	f.Add(uint8(0), "", "json", "start_date=2026-01-01T00:00:00Z&end_date=2026-03-01&status=open,closed&service_code=lain,INF-JALAN&page=2&page_size=10")
	f.Add(uint8(0), "", "xml", "start_date=2026-01-01T00:00:00 07:00&end_date=2026-13-40")
	f.Add(uint8(0), "", "json", "service_request_id="+fuzzPublicCode+","+strings.ToLower(fuzzConfidentialCode)+",xyz&page=0")
	f.Add(uint8(0), "", "json", "page=999999999999999999999&page_size=-1&status=OPEN")
	f.Add(uint8(1), fuzzPublicCode, "json", "")
	f.Add(uint8(1), fuzzConfidentialCode, "xml", "")
	f.Add(uint8(1), "7k3m9qxtr2d", "json", "")
	f.Add(uint8(2), "INF-JALAN", "xml", "")
	f.Add(uint8(3), "abc", "json", "")
	f.Add(uint8(4), "discovery", "json", "jurisdiction_id=x")
	f.Add(uint8(4), "services", "xml", "")

	_, h, _ := fuzzWorld(f)
	var addr atomic.Uint32
	f.Fuzz(func(t *testing.T, which uint8, segment, format, query string) {
		// The fuzzed part is one path segment (escaped as a client would),
		// so every request reaches an Open311 handler.
		var prefix string
		switch which % 5 {
		case 1:
			prefix = "requests/"
		case 2:
			prefix = "services/"
		case 3:
			prefix = "tokens/"
		}
		file := segment + "." + format
		if which%5 == 0 {
			file = "requests." + format
		}
		target := "/open311/v2/" + prefix + url.PathEscape(file)
		if query != "" {
			target += "?" + query
		}
		// What net/http's server would refuse before any handler runs
		// (control characters in the request line) is not a case here.
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, req.RequestURI = u, target
		// A new address for every input: the per-address budget of unknown
		// tracking codes (ui/sectest/codes_test.go tests it) must not turn
		// every later input into a 429 and hide the paths behind it.
		n := addr.Add(1)
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(n>>16), byte(n>>8), byte(n))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec, strings.ToLower(format), 200, 301, 307, 400, 404)
	})
}
