package open311_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/hooks/open311"
	"simpul/ui/testkit"
)

// validForm is a complete POST requests body.
func validForm(key string) url.Values {
	return url.Values{
		"api_key":          {key},
		"jurisdiction_id":  {"kab-contoh.go.id"},
		"service_code":     {"inf-jalan"},
		"description":      {"Jembatan kayu di Desa Sidomulyo patah sebagian. Anak-anak sekolah terpaksa memutar dua kilometer."},
		"address_string":   {"Jembatan Desa Sidomulyo, RT 03"},
		"first_name":       {"Dewi"},
		"last_name":        {"Lestari"},
		"email":            {"dewi@contoh.id"},
		"phone":            {"+62 812-3456-7001"},
		"device_id":        {"abc-123"},
		"account_id":       {"42"},
		"media_url":        {"https://contoh.id/foto.jpg"},
		"attribute[WARNA]": {"merah"},
	}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string{}, vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return out
}

func TestPostRequestCreatesComplaint(t *testing.T) {
	w := newWorld(t)
	for _, f := range formats {
		b, h := form(validForm(w.key))
		(&tests.ApiScenario{
			Name:            "POST requests." + f,
			Method:          http.MethodPost,
			URL:             "/open311/v2/requests." + f,
			Body:            b,
			Headers:         h,
			TestAppFactory:  w.factory(),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{"service_request_id", "service_notice"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				raw, _ := io.ReadAll(res.Body)
				res.Body = io.NopCloser(strings.NewReader(string(raw)))
				got := decodeList[specCreated](t, res, f, "service_requests", "request")
				if len(got) != 1 || got[0].ID == "" || got[0].Token != nil || !strings.Contains(got[0].ServiceNotice, got[0].ID) {
					t.Fatalf("answer %+v", got)
				}
				if f == "json" {
					var m []map[string]any
					if err := json.Unmarshal(raw, &m); err != nil {
						t.Fatal(err)
					}
					if v, ok := m[0]["account_id"]; !ok || v != nil {
						t.Fatalf("account_id must be null: %s", raw)
					}
				} else if !strings.Contains(string(raw), "<account_id></account_id>") {
					t.Fatalf("account_id element missing: %s", raw)
				}
				rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", got[0].ID)
				if err != nil {
					t.Fatalf("no complaint %s: %v", got[0].ID, err)
				}
				cat, _ := app.FindRecordById(model.Categories, rec.GetString("category"))
				for field, want := range map[string]string{
					"channel": model.ChannelOpen311, "type": model.TypePengaduan, "privacy": model.PrivacyPublic,
					"status": model.StatusBaru, "title": "Jalan dan Jembatan — Jembatan Desa Sidomulyo, RT 03",
					"location": "Jembatan Desa Sidomulyo, RT 03", "reporter_name": "Dewi Lestari",
					"reporter_email": "dewi@contoh.id", "reporter_phone": "081234567001",
				} {
					if got := rec.GetString(field); got != want {
						t.Errorf("%s = %q, want %q", field, got, want)
					}
				}
				if cat == nil || cat.GetString("code") != "INF-JALAN" {
					t.Errorf("category %v", cat)
				}
				if !strings.HasPrefix(rec.GetString("body"), "Jembatan kayu") || rec.GetString("due_at") == "" {
					t.Errorf("body or deadline missing")
				}
				ev, err := app.FindFirstRecordByFilter(model.ComplaintEvents, "complaint = {:c} && kind = 'created'",
					dbx.Params{"c": rec.Id})
				if err != nil || !strings.Contains(ev.GetString("data"), `"channel":"open311"`) {
					t.Fatalf("created event: %v %v", ev, err)
				}
				key, _ := app.FindRecordById(model.Open311Keys, w.keyID)
				if key.GetString("last_used_at") == "" {
					t.Error("last_used_at not recorded")
				}
			},
		}).Test(t)
	}
}

// A request without a name is anonymous: intake keeps no phone or e-mail.
func TestPostRequestWithoutNameIsAnonymous(t *testing.T) {
	w := newWorld(t)
	v := with(validForm(w.key), "first_name", "", "last_name", "", "address_string", "", "lat", "-6.9147", "long", "107.6098")
	b, h := form(v)
	(&tests.ApiScenario{
		Method:          http.MethodPost,
		URL:             "/open311/v2/requests.json",
		Body:            b,
		Headers:         h,
		TestAppFactory:  w.factory(),
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{"service_request_id"},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			got := decodeList[specCreated](t, res, "json", "service_requests", "request")
			rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", got[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.GetString("privacy") != model.PrivacyAnonymous || rec.GetString("reporter_name") != "" ||
				rec.GetString("reporter_phone") != "" || rec.GetString("reporter_email") != "" {
				t.Fatalf("anonymous request kept identity: %v", rec.FieldsData())
			}
			if !strings.Contains(rec.GetString("geo"), "107.6098") {
				t.Fatalf("geo %s", rec.GetString("geo"))
			}
		},
	}).Test(t)
}

func TestPostRequestErrors(t *testing.T) {
	w := newWorld(t)
	long := strings.Repeat("Jalan rusak parah sekali. ", 500) // > 10,000 characters
	for _, f := range formats {
		for _, tc := range []struct {
			name   string
			form   url.Values
			ctype  string
			status int
			want   string
		}{
			{"no key", with(validForm(w.key), "api_key", ""), "", 403, "api_key was not provided"},
			{"key in the URL only", with(validForm(w.key), "api_key", ""), "url-key", 403, "api_key was not provided"},
			{"wrong key", with(validForm(w.key), "api_key", "bukan-kunci"), "", 403, "Invalid or inactive api_key"},
			{"inactive key", with(validForm(w.key), "api_key", w.inactiveKey), "", 403, "Invalid or inactive api_key"},
			{"no service_code", with(validForm(w.key), "service_code", ""), "", 400, "service_code was not provided"},
			{"unknown service_code", with(validForm(w.key), "service_code", "TIDAK-ADA"), "", 404, "service_code not found"},
			{"parent category", with(validForm(w.key), "service_code", "INF"), "", 404, "service_code not found"},
			{"no location", with(validForm(w.key), "address_string", ""), "", 400, "A location is required"},
			{"address_id only", with(validForm(w.key), "address_string", "", "address_id", "545483"), "", 400, "address_id is not supported"},
			{"lat not a number", with(validForm(w.key), "lat", "utara", "long", "107.6"), "", 400, "lat must be a number"},
			{"lat without long", with(validForm(w.key), "address_string", "", "lat", "-6.9"), "", 400, "lat/long:"},
			{"lat out of range", with(validForm(w.key), "lat", "-95", "long", "107.6"), "", 400, "lat/long: "},
			{"description too short", with(validForm(w.key), "description", "Rusak"), "", 400, "description: "},
			{"description missing", with(validForm(w.key), "description", ""), "", 400, "description: "},
			{"description too long", with(validForm(w.key), "description", long), "", 400, "description: "},
			{"bad e-mail", with(validForm(w.key), "email", "bukan-email"), "", 400, "email: "},
			{"bad phone", with(validForm(w.key), "phone", "telepon saya"), "", 400, "phone: "},
			{"JSON body", validForm(w.key), "application/json", 400, "application/x-www-form-urlencoded"},
		} {
			b, h := form(tc.form)
			target := "/open311/v2/requests." + f
			switch tc.ctype {
			case "":
			case "url-key":
				target += "?api_key=" + url.QueryEscape(w.key)
			default:
				h["Content-Type"] = tc.ctype
			}
			(&tests.ApiScenario{
				Name:            tc.name + " " + f,
				Method:          http.MethodPost,
				URL:             target,
				Body:            b,
				Headers:         h,
				TestAppFactory:  w.factory(),
				ExpectedStatus:  tc.status,
				ExpectedContent: []string{tc.want},
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
					expectError(f, tc.status, tc.want)(t, app, res)
					if n := countComplaints(t, app); n != int64(len(w.codes)) {
						t.Fatalf("a refused request wrote something: %d complaints", n)
					}
				},
			}).Test(t)
		}
	}
}

// A key that submits too fast gets a 429 with Retry-After, in the spec's
// error shape; other keys are not affected.
func TestPostRequestRateLimit(t *testing.T) {
	w := newWorld(t)
	saved := intake.ClientLimit
	intake.ClientLimit.Burst, intake.ClientLimit.Every = 1, time.Hour
	t.Cleanup(func() { intake.ClientLimit = saved })
	for _, f := range formats {
		b, h := form(validForm(w.key))
		(&tests.ApiScenario{
			Name:    "429 " + f,
			Method:  http.MethodPost,
			URL:     "/open311/v2/requests." + f,
			Body:    b,
			Headers: h,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				// The key's one report of the hour.
				req := intake.Request{Type: model.TypePengaduan, Title: "Laporan pertama", Body: "Laporan pertama dari aplikasi.",
					Category: "LAIN", Privacy: model.PrivacyAnonymous, Channel: model.ChannelOpen311, APIClient: w.keyID}
				if _, err := intake.Submit(app, req); err != nil {
					t.Fatal(err)
				}
			},
			TestAppFactory:  w.factory(),
			ExpectedStatus:  http.StatusTooManyRequests,
			ExpectedContent: []string{"429"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("Retry-After") == "" {
					t.Error("no Retry-After")
				}
				expectError(f, 429, "Too many reports")(t, app, res)
			},
		}).Test(t)
	}
	// Another key has its own bucket.
	b, h := form(validForm(w.key))
	(&tests.ApiScenario{
		Name:    "other key",
		Method:  http.MethodPost,
		URL:     "/open311/v2/requests.json",
		Body:    b,
		Headers: h,
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			req := intake.Request{Type: model.TypePengaduan, Title: "Laporan pertama", Body: "Laporan pertama dari aplikasi.",
				Category: "LAIN", Privacy: model.PrivacyAnonymous, Channel: model.ChannelOpen311, APIClient: "kunci-lain"}
			if _, err := intake.Submit(app, req); err != nil {
				t.Fatal(err)
			}
		},
		TestAppFactory:  w.factory(),
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{"service_request_id"},
	}).Test(t)
}

// listIDs runs GET requests with query and returns the ids answered.
func listScenario(w *world, f, query string, status int, check func(testing.TB, []specRequest)) tests.ApiScenario {
	return tests.ApiScenario{
		Name:               "GET requests." + f + "?" + query,
		Method:             http.MethodGet,
		URL:                "/open311/v2/requests." + f + "?" + query,
		TestAppFactory:     w.factory(),
		ExpectedStatus:     status,
		NotExpectedContent: noIdentity(),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			if status != 200 {
				errorsOf(t, res, f, status)
				return
			}
			check(t, decodeList[specRequest](t, res, f, "service_requests", "request"))
		},
	}
}

func ids(list []specRequest) string {
	var out []string
	for _, r := range list {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

// Lists carry verified public reports only, and only what the public page
// shows: no identity, no body, no location, no internal note, no
// reporter's words.
func TestGetRequestsListsVerifiedPublicOnly(t *testing.T) {
	w := newWorld(t)
	for _, f := range formats {
		s := listScenario(w, f, "jurisdiction_id=x", 200, func(t testing.TB, list []specRequest) {
			if got, want := ids(list), w.codes["verified"]+","+w.codes["done"]; got != want {
				t.Fatalf("listed %s, want %s (verified public only, newest first)", got, want)
			}
			v, d := list[0], list[1]
			if v.Status != "open" || d.Status != "closed" {
				t.Fatalf("statuses %s %s", v.Status, d.Status)
			}
			if v.Description == nil || *v.Description != w.verifiedTitle {
				t.Fatalf("a listed description is the public title: %v", v.Description)
			}
			if v.Address != nil || v.Lat != nil || v.Long != nil {
				t.Fatal("a list carries no citizen-typed location")
			}
			if v.StatusNotes == nil || *v.StatusNotes != "Terdisposisi (Belum Ditindaklanjuti): "+w.publicNote {
				t.Fatalf("status_notes %v", v.StatusNotes)
			}
			if *d.StatusNotes != "Selesai" {
				t.Fatalf("status_notes %v", *d.StatusNotes)
			}
			if v.ServiceCode != "INF-JALAN" || v.ServiceName != "Jalan dan Jembatan" || v.AgencyResponsible == nil ||
				*v.AgencyResponsible != "Unit JALAN" || v.ExpectedDatetime == nil {
				t.Fatalf("request %+v", v)
			}
			for _, dt := range []string{v.RequestedDatetime, v.UpdatedDatetime, *v.ExpectedDatetime} {
				if _, err := time.Parse(time.RFC3339, dt); err != nil {
					t.Fatalf("datetime %q: %v", dt, err)
				}
			}
		})
		s.NotExpectedContent = noIdentity(w.internalNote, w.reporterReply, w.verifiedBody, w.verifiedLocation,
			w.confidentialNote, "Belum diverifikasi", "Iklan obat kuat", "Pungutan liar", w.confidentialTitle)
		s.Test(t)
	}
}

func TestGetRequestsFilters(t *testing.T) {
	w := newWorld(t)
	now := testkit.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.RFC3339) }
	for _, f := range formats {
		for _, tc := range []struct {
			query  string
			status int
			want   string
		}{
			{"status=open", 200, w.codes["verified"]},
			{"status=closed", 200, w.codes["done"]},
			{"status=open,closed", 200, w.codes["verified"] + "," + w.codes["done"]},
			{"status=open&status=closed", 200, w.codes["verified"] + "," + w.codes["done"]},
			{"status=selesai", 400, ""},
			{"service_code=KES-PUSK", 200, w.codes["done"]},
			{"service_code=kes-pusk,INF-JALAN", 200, w.codes["verified"] + "," + w.codes["done"]},
			{"service_code=TIDAK-ADA", 200, ""},
			{"start_date=" + url.QueryEscape(day(-210)) + "&end_date=" + url.QueryEscape(day(-150)), 200, w.oldVerified},
			{"start_date=" + url.QueryEscape(day(-210)), 200, w.oldVerified},
			{"end_date=" + url.QueryEscape(day(-150)), 200, w.oldVerified},
			{"start_date=" + day(-210)[:10], 200, w.oldVerified},
			{"start_date=" + strings.Replace(now.AddDate(0, 0, -210).In(time.FixedZone("", 7*3600)).Format(time.RFC3339), "+", "%2B", 1), 200, w.oldVerified},
			{"start_date=" + now.AddDate(0, 0, -210).In(time.FixedZone("", 7*3600)).Format(time.RFC3339), 200, w.oldVerified}, // "+" not encoded
			{"start_date=" + url.QueryEscape(day(-200)) + "&end_date=" + url.QueryEscape(day(1)), 400, ""},
			{"start_date=kemarin", 400, ""},
			{"end_date=2026-13-45T00:00:00Z", 400, ""},
			{"start_date=" + url.QueryEscape(day(-1)) + "&end_date=" + url.QueryEscape(day(-2)), 400, ""},
			{"page_size=1", 200, w.codes["verified"]},
			{"page_size=1&page=2", 200, w.codes["done"]},
			{"page_size=1&page=3", 200, ""},
			{"page_size=0", 400, ""},
			{"page_size=1001", 400, ""},
			{"page=nol", 400, ""},
		} {
			s := listScenario(w, f, tc.query, tc.status, func(t testing.TB, list []specRequest) {
				if got := ids(list); got != tc.want {
					t.Fatalf("%s: got %q, want %q", tc.query, got, tc.want)
				}
			})
			s.Test(t)
		}
	}
	// A page that is not the last says where the next one is.
	(&tests.ApiScenario{
		Method:          http.MethodGet,
		URL:             "/open311/v2/requests.json?page_size=1",
		TestAppFactory:  w.factory(),
		ExpectedStatus:  200,
		ExpectedContent: []string{w.codes["verified"]},
		AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
			if link := res.Header.Get("Link"); !strings.Contains(link, "page=2") || !strings.Contains(link, `rel="next"`) {
				t.Fatalf("Link %q", link)
			}
		},
	}).Test(t)
}

// By code, any report answers, as on /lacak: never the identity, and of a
// confidential report only its status.
func TestGetRequestByCode(t *testing.T) {
	w := newWorld(t)
	// The phone the reporter typed into the body is masked (review item 7).
	byCodeSecrets := []string{"Siti Aminah", "siti@contoh.id", "Budi Rahasia", "081299998888", "081234567890", w.internalNote, w.reporterReply}
	check := map[string]func(testing.TB, specRequest){
		"verified": func(t testing.TB, r specRequest) {
			if r.Description == nil || *r.Description != "Lubang besar di Jl. Merdeka 12, hubungi saya di 0812****7890." ||
				r.Address == nil || *r.Address != w.verifiedLocation ||
				r.Lat == nil || *r.Lat != -6.2 || r.Long == nil || *r.Long != 106.8 || r.Status != "open" {
				t.Fatalf("verified by code: %+v", r)
			}
			if !strings.HasSuffix(*r.StatusNotes, w.publicNote) {
				t.Fatalf("status_notes %q", *r.StatusNotes)
			}
		},
		"new": func(t testing.TB, r specRequest) {
			// Not verified yet: no location to the public (review item 5).
			if r.Status != "open" || *r.StatusNotes != "Belum Terverifikasi" || r.Description == nil ||
				r.Address != nil || r.Lat != nil || r.Long != nil {
				t.Fatalf("new by code: %+v", r)
			}
		},
		"anonymous": func(t testing.TB, r specRequest) {
			if r.Description == nil || *r.Description != w.anonymousBody {
				t.Fatalf("anonymous by code: %+v", r)
			}
		},
		"confidential": func(t testing.TB, r specRequest) {
			if r.Description != nil || r.Address != nil || r.Lat != nil || *r.StatusNotes != "Proses" || r.Status != "open" {
				t.Fatalf("confidential by code says too much: %+v", r)
			}
		},
		"archived": func(t testing.TB, r specRequest) {
			if r.Status != "closed" || *r.StatusNotes != "Diarsipkan" {
				t.Fatalf("archived by code: %+v", r)
			}
		},
	}
	for _, f := range formats {
		for name, fn := range check {
			code := w.codes[name]
			typed := strings.ToLower(strings.ReplaceAll(code, "-", "")) // as people type it
			for _, id := range []string{code, typed} {
				(&tests.ApiScenario{
					Name:               "requests/" + name + "." + f,
					Method:             http.MethodGet,
					URL:                "/open311/v2/requests/" + id + "." + f,
					TestAppFactory:     w.factory(),
					ExpectedStatus:     200,
					ExpectedContent:    []string{code},
					NotExpectedContent: append(byCodeSecrets, w.confidentialBody, w.confidentialNote, w.confidentialAddress),
					AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
						list := decodeList[specRequest](t, res, f, "service_requests", "request")
						if len(list) != 1 || list[0].ID != code {
							t.Fatalf("answer %+v", list)
						}
						fn(t, list[0])
					},
				}).Test(t)
			}
		}
		for _, id := range []string{"0000-0000-000", "BUKAN-KODE", "ABCD-EFGH-JKM"} {
			(&tests.ApiScenario{
				Name:            "unknown " + id + " " + f,
				Method:          http.MethodGet,
				URL:             "/open311/v2/requests/" + id + "." + f,
				TestAppFactory:  w.factory(),
				ExpectedStatus:  404,
				ExpectedContent: []string{"service_request_id not found"},
				AfterTestFunc:   expectError(f, 404, "service_request_id not found"),
			}).Test(t)
		}
		// service_request_id overrides every other argument and answers like requests/{id}.
		q := "service_request_id=" + w.codes["confidential"] + "," + strings.ToLower(w.codes["new"]) + ",0000-0000-000," +
			w.codes["anonymous"] + "&status=closed&service_code=LAIN"
		s := listScenario(w, f, q, 200, func(t testing.TB, list []specRequest) {
			if got, want := ids(list), w.codes["confidential"]+","+w.codes["new"]+","+w.codes["anonymous"]; got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
			check["confidential"](t, list[0])
			check["anonymous"](t, list[2])
		})
		s.NotExpectedContent = append(byCodeSecrets, w.confidentialBody, w.confidentialNote)
		s.Test(t)
	}
}

// An Open311 report's title is the service and the place, never the
// description (review item 7): the description often starts with the
// reporter's name and number, and the title becomes public.
func TestTitle(t *testing.T) {
	for _, tc := range []struct{ service, address, lat, long, want string }{
		{"Jalan dan Jembatan", "Jembatan Desa Sidomulyo, RT 03", "", "", "Jalan dan Jembatan — Jembatan Desa Sidomulyo, RT 03"},
		{"Jalan dan Jembatan", "  Jl.   Merdeka  ", "-6.2", "106.8", "Jalan dan Jembatan — Jl. Merdeka"},
		{"Jalan dan Jembatan", "", "-6.2", "106.8", "Jalan dan Jembatan — -6.2, 106.8"},
		{"Jalan dan Jembatan", "", "", "", "Jalan dan Jembatan"},
		{"Air", "", "", "", "Laporan Open311 — Air"},
		// 199 characters kept, then "…": 21 for the service and the dash,
		// 25 × "tempat " and "tem".
		{"Jalan dan Jembatan", strings.Repeat("tempat ", 60), "", "", "Jalan dan Jembatan — " + strings.Repeat("tempat ", 25) + "tem…"},
	} {
		got := open311.Title(tc.service, tc.address, tc.lat, tc.long)
		if got != tc.want {
			t.Errorf("Title(%q, %q) = %q, want %q", tc.service, tc.address, got, tc.want)
		}
		if n := len([]rune(got)); n > 200 {
			t.Errorf("a title of %d characters", n)
		}
	}
}
