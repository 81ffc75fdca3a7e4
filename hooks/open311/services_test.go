package open311_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simpul/ui/testkit"
)

func TestDiscovery(t *testing.T) {
	for _, f := range formats {
		(&tests.ApiScenario{
			Name:            "discovery." + f,
			Method:          http.MethodGet,
			URL:             "/open311/v2/discovery." + f,
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{"GeoReport_v2"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				b := body(t, res, f)
				var d struct {
					XMLName    xml.Name `xml:"discovery"`
					Changeset  string   `json:"changeset" xml:"changeset"`
					Contact    string   `json:"contact" xml:"contact"`
					KeyService string   `json:"key_service" xml:"key_service"`
					Endpoints  []struct {
						Specification string   `json:"specification" xml:"specification"`
						URL           string   `json:"url" xml:"url"`
						Type          string   `json:"type" xml:"type"`
						Formats       []string `json:"formats" xml:"formats>format"`
					} `json:"endpoints" xml:"endpoints>endpoint"`
				}
				var err error
				if f == "json" {
					err = json.Unmarshal(b, &d)
				} else {
					err = xml.Unmarshal(b, &d)
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, b)
				}
				if len(d.Endpoints) != 1 {
					t.Fatalf("endpoints %+v", d.Endpoints)
				}
				ep := d.Endpoints[0]
				if ep.Specification != "http://wiki.open311.org/GeoReport_v2" || !strings.HasSuffix(ep.URL, "/open311/v2") ||
					ep.Type != "production" || strings.Join(ep.Formats, ",") != "text/xml,application/json" {
					t.Fatalf("endpoint %+v", ep)
				}
				if d.Changeset == "" || d.Contact == "" || d.KeyService == "" {
					t.Fatalf("discovery %+v", d)
				}
			},
		}).Test(t)
	}
}

func TestServices(t *testing.T) {
	for _, f := range formats {
		(&tests.ApiScenario{
			Name:            "services." + f,
			Method:          http.MethodGet,
			URL:             "/open311/v2/services." + f + "?jurisdiction_id=anything.go.id",
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{"KES-PUSK"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				list := decodeList[specService](t, res, f, "services", "service")
				byCode := map[string]specService{}
				for _, s := range list {
					byCode[s.Code] = s
					if s.Type != "realtime" || s.Metadata || s.Name == "" {
						t.Fatalf("service %+v", s)
					}
				}
				pusk, ok := byCode["KES-PUSK"]
				if !ok || pusk.Group != "Kesehatan" || pusk.Name != "Pelayanan Puskesmas" || !strings.Contains(pusk.Keywords, "Health") {
					t.Fatalf("KES-PUSK: %+v", pusk)
				}
				if lain, ok := byCode["LAIN"]; !ok || lain.Group != "" {
					t.Fatalf("a childless top-level category is a service without a group: %+v", lain)
				}
				if _, ok := byCode["KES"]; ok {
					t.Fatal("a parent category is a group, not a service")
				}
			},
		}).Test(t)
	}
}

func TestServiceDefinition(t *testing.T) {
	for _, f := range formats {
		for _, tc := range []struct {
			name, code string
			status     int
			want       string
		}{
			{"known", "KES-PUSK", 200, "KES-PUSK"},
			{"any case", "kes-pusk", 200, "KES-PUSK"},
			{"unknown", "TIDAK-ADA", 404, "service_code not found"},
			{"a parent is no service", "KES", 404, "service_code not found"},
		} {
			s := tests.ApiScenario{
				Name:            "definition " + tc.name + " " + f,
				Method:          http.MethodGet,
				URL:             "/open311/v2/services/" + tc.code + "." + f,
				TestAppFactory:  testkit.Factory(nil),
				ExpectedStatus:  tc.status,
				ExpectedContent: []string{tc.want},
			}
			if tc.status != 200 {
				s.AfterTestFunc = expectError(f, tc.status, tc.want)
			} else {
				s.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, res *http.Response) {
					b := body(t, res, f)
					if f == "json" {
						var d struct {
							ServiceCode string            `json:"service_code"`
							Attributes  []json.RawMessage `json:"attributes"`
						}
						if err := json.Unmarshal(b, &d); err != nil || d.ServiceCode != tc.want || d.Attributes == nil || len(d.Attributes) != 0 {
							t.Fatalf("definition %s: %+v %v", b, d, err)
						}
						return
					}
					var d struct {
						XMLName     xml.Name `xml:"service_definition"`
						ServiceCode string   `xml:"service_code"`
						Attributes  *struct {
							Attribute []struct{} `xml:"attribute"`
						} `xml:"attributes"`
					}
					if err := xml.Unmarshal(b, &d); err != nil || d.ServiceCode != tc.want || d.Attributes == nil || len(d.Attributes.Attribute) != 0 {
						t.Fatalf("definition %s: %+v %v", b, d, err)
					}
				}
			}
			s.Test(t)
		}
	}
}

// Unknown formats, resources and methods answer with spec errors.
func TestUnknownFormatsAndResources(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		status      int
		format      string // of the error answer
	}{
		{"GET", "/open311/v2/services.csv", 404, "xml"},
		{"GET", "/open311/v2/services", 404, "xml"},
		{"GET", "/open311/v2/discovery.html", 404, "xml"},
		{"GET", "/open311/v2/services/KES-PUSK.yaml", 404, "xml"},
		{"GET", "/open311/v2/requests/ABCD.txt", 404, "xml"},
		{"GET", "/open311/v2/tokens/123.csv", 404, "xml"},
		{"POST", "/open311/v2/requests.csv", 404, "xml"},
		{"GET", "/open311/v2/complaints.json", 404, "json"},
		{"GET", "/open311/v2/complaints.xml", 404, "xml"},
		{"POST", "/open311/v2/services.json", 405, "json"},
		{"POST", "/open311/v2/discovery.xml", 405, "xml"},
		{"GET", "/open311/v2/services/.json", 400, "json"},
		{"GET", "/open311/v2/requests/.xml", 400, "xml"},
	} {
		(&tests.ApiScenario{
			Name:            tc.method + " " + tc.url,
			Method:          tc.method,
			URL:             tc.url,
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  tc.status,
			ExpectedContent: []string{"description"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				errorsOf(t, res, tc.format, tc.status)
			},
		}).Test(t)
	}
}

func TestTokens(t *testing.T) {
	for _, f := range formats {
		(&tests.ApiScenario{
			Name:            "token not issued " + f,
			Method:          http.MethodGet,
			URL:             "/open311/v2/tokens/12345." + f,
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{"token not found"},
			AfterTestFunc:   expectError(f, 404, "realtime"),
		}).Test(t)
		(&tests.ApiScenario{
			Name:            "token missing " + f,
			Method:          http.MethodGet,
			URL:             "/open311/v2/tokens/." + f,
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{"token was not provided"},
			AfterTestFunc:   expectError(f, 400, "token was not provided"),
		}).Test(t)
	}
}

// The JSON and XML forms of one answer carry the same data.
func TestFormatsAgree(t *testing.T) {
	var got [2][]specService
	for i, f := range formats {
		(&tests.ApiScenario{
			Method:          http.MethodGet,
			URL:             "/open311/v2/services." + f,
			TestAppFactory:  testkit.Factory(nil),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{"service_code"},
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				got[i] = decodeList[specService](t, res, f, "services", "service")
			},
		}).Test(t)
	}
	a, _ := json.Marshal(got[0])
	b, _ := json.Marshal(got[1])
	if !bytes.Equal(a, b) || len(got[0]) < 10 {
		t.Fatalf("JSON and XML differ:\n%s\n%s", a, b)
	}
}
