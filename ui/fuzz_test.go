package ui_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/dbx"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// Fixture complaints of the tracking fuzzer, with fixed codes (valid check
// characters) and receipt tokens, so seeds and the corpus can name them.
const (
	fuzzPublicCode       = "7K3M-9QXT-R2D"
	fuzzConfidentialCode = "4SHP-2KWN-8DC"
	fuzzPublicToken      = "token-struk-publik-fuzz"
	fuzzSecretToken      = "token-struk-rahasia-fuzz"
	fuzzSecretTitle      = "JUDUL-RAHASIA-Q7X"
	fuzzSecretBody       = "ISI-RAHASIA-Z9W pungutan di loket"
)

// What no tracking answer may carry: the reporters' identity, and the
// confidential report's title and body.
var fuzzNever = []string{"Siti Rahasiawati", "081299887766", fuzzSecretTitle, fuzzSecretBody}

// FuzzTrackPages throws arbitrary tracking codes and bodies at every door
// a citizen reaches without signing in that parses them: the tracking API
// and page (GET /api/track/{code}, /lacak/{code}, /lacak?code=), the
// reporter's reply and rating (POST /api/track/{code}/reply|rating as
// JSON, POST /lacak/{code} as a form) and the citizen form (POST /lapor).
// Whatever comes in: no 5xx, no reporter identity and no confidential text
// in the answer, redirects only within the site, and the lookups answer
// only 200, 301/307 (the router cleaning a dot segment), 400 or 404.
func FuzzTrackPages(f *testing.F) {
	f.Add(uint8(0), fuzzPublicCode, []byte(nil))
	f.Add(uint8(0), strings.ToLower(strings.ReplaceAll(fuzzConfidentialCode, "-", "")), []byte(nil))
	f.Add(uint8(0), "7K3M-9QXT-R2E", []byte(nil)) // a typo
	f.Add(uint8(1), "7k3m 9qxt r2d", []byte(nil))
	f.Add(uint8(1), fuzzConfidentialCode, []byte(nil))
	f.Add(uint8(1), "..", []byte(nil))
	f.Add(uint8(2), "4shp2kwn8dc", []byte(nil))
	f.Add(uint8(2), "//contoh.com", []byte(nil))
	f.Add(uint8(3), fuzzPublicCode, []byte(`{"pin":"`+intake.PIN(fuzzPublicToken)+`","message":"Foto kuitansi terlampir"}`))
	f.Add(uint8(3), fuzzPublicCode, []byte(`{"pin":"000000","message":"x","extra":1}`))
	f.Add(uint8(4), fuzzConfidentialCode, []byte(`{"pin":"`+intake.PIN(fuzzSecretToken)+`","rating":5,"comment":"Cepat"}`))
	f.Add(uint8(4), fuzzConfidentialCode, []byte(`{"pin":1,"rating":1e999}`))
	f.Add(uint8(5), fuzzPublicCode, []byte("action=reply&pin="+intake.PIN(fuzzPublicToken)+"&message=Sudah+saya+lengkapi"))
	f.Add(uint8(5), fuzzConfidentialCode, []byte("action=rating&pin="+intake.PIN(fuzzSecretToken)+"&rating=4&message=%ZZ"))
	f.Add(uint8(6), "", []byte("type=pengaduan&title=Lampu+jalan+mati&body=Sudah+seminggu+gelap+sekali&category=INF-PJU&privacy=anonymous"))
	f.Add(uint8(6), "", []byte("type=aspirasi&title=%00%00&body=%E2%80%AEabc&category=x&privacy=public&website=bot"))

	app := testkit.New(f)
	for _, fx := range []struct{ code, token, privacy, status string }{
		{fuzzPublicCode, fuzzPublicToken, model.PrivacyPublic, model.StatusProses},
		{fuzzConfidentialCode, fuzzSecretToken, model.PrivacyConfidential, model.StatusSelesai},
	} {
		c := testkit.Complaint(f, app, testkit.ComplaintSpec{Status: fx.status, Privacy: fx.privacy,
			Reporter: fuzzNever[0], Phone: fuzzNever[1]})
		params := dbx.Params{"id": c.Id, "code": fx.code, "token": fx.token, "pin": intake.PINHash(intake.PIN(fx.token))}
		set := "tracking_code = {:code}, receipt_token = {:token}, pin_hash = {:pin}"
		if fx.privacy == model.PrivacyConfidential {
			set += ", title = {:title}, body = {:body}"
			params["title"], params["body"] = fuzzSecretTitle, fuzzSecretBody
		}
		if _, err := app.DB().NewQuery("UPDATE complaints SET " + set + " WHERE id = {:id}").Bind(params).Execute(); err != nil {
			f.Fatal(err)
		}
	}
	h := testkit.Handler(f, app)
	var n atomic.Uint32

	f.Fuzz(func(t *testing.T, which uint8, code string, body []byte) {
		seg := url.PathEscape(code)
		var method, target, ct string
		lookup := true
		switch which % 7 {
		case 0:
			method, target = http.MethodGet, "/api/track/"+seg
		case 1:
			method, target = http.MethodGet, "/lacak/"+seg
		case 2:
			method, target = http.MethodGet, "/lacak?code="+url.QueryEscape(code)
		case 3:
			method, target, ct, lookup = http.MethodPost, "/api/track/"+seg+"/reply", "application/json", false
		case 4:
			method, target, ct, lookup = http.MethodPost, "/api/track/"+seg+"/rating", "application/json", false
		case 5:
			method, target, ct, lookup = http.MethodPost, "/lacak/"+seg, "application/x-www-form-urlencoded", false
		default:
			method, target, ct, lookup = http.MethodPost, "/lapor", "application/x-www-form-urlencoded", false
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			t.Fatalf("escaped target %q does not parse: %v", target, err)
		}
		req := httptest.NewRequest(method, "/", bytes.NewReader(body))
		req.URL, req.RequestURI = u, target
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		i := n.Add(1) // a fresh address each time: the guest limit never hides a path
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(i>>16), byte(i>>8), byte(i))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		out := rec.Body.String()
		if rec.Code >= 500 {
			t.Fatalf("%s %s answered %d: %.400s", method, target, rec.Code, out)
		}
		for _, s := range fuzzNever {
			if strings.Contains(out, s) || strings.Contains(rec.Header().Get("Location"), s) {
				t.Fatalf("%s %s: the answer carries %q: %.400s", method, target, s, out)
			}
		}
		if loc := rec.Header().Get("Location"); loc != "" {
			l, err := url.Parse(loc)
			if err != nil || l.Scheme != "" || l.Host != "" || !strings.HasPrefix(l.Path, "/") || strings.HasPrefix(loc, "//") {
				t.Fatalf("%s %s redirects to %q", method, target, loc)
			}
		}
		if lookup {
			switch rec.Code {
			case 200, 301, 303, 307, 400, 404:
			default:
				t.Fatalf("%s %s answered %d: %.400s", method, target, rec.Code, out)
			}
		}
	})
}
