package intake_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// fuzzMultipart writes fields and files (field name "attachments") as a
// multipart body and returns it with its Content-Type.
func fuzzMultipart(fields map[string]string, files map[string][]byte) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, content := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="attachments"; filename=%q`, name))
		h.Set("Content-Type", "image/jpeg") // claimed; intake sniffs
		p, _ := w.CreatePart(h)
		p.Write(content)
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

// FuzzSubmitMultipart sends arbitrary bodies under arbitrary Content-Types
// to POST /api/complaints through the real router, as a guest (each from
// its own address, so the guest limit never hides a path). Every answer is
// 201 with a tracking code for a stored complaint, or a 4xx in PocketBase's
// error shape; never a 5xx or a panic.
func FuzzSubmitMultipart(f *testing.F) {
	fields := map[string]string{
		"type": "pengaduan", "title": "Lampu jalan mati di depan pasar", "body": "Sudah seminggu lampu jalan mati, jalan gelap.",
		"category": "INF-PJU", "privacy": "public", "reporter_name": "Siti Aminah", "reporter_phone": "0812 3456 7890",
	}
	ct, body := fuzzMultipart(fields, map[string][]byte{"foto.png": pngHeader(2, 2)})
	f.Add(ct, body)
	ct, body = fuzzMultipart(fields, map[string][]byte{"../../etc/passwd": []byte("%PDF-1.4\n%%EOF"), "b.jpg": pngHeader(1<<31-1, 1)})
	f.Add(ct, body)
	ct, body = fuzzMultipart(map[string]string{"privacy": "anonymous", "title": "\u202eabc", "reporter_disability": "ya"}, nil)
	f.Add(ct, body)
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	f.Add("application/x-www-form-urlencoded", []byte(form.Encode()))
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nabc\r\n--x--"))
	f.Add("multipart/form-data", []byte("--\r\n"))
	f.Add("application/json", []byte(report(nil)))
	f.Add("text/plain", []byte("halo"))

	app := testkit.New(f)
	h := testkit.Handler(f, app)
	var n atomic.Uint32
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/complaints", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		i := n.Add(1)
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", byte(i>>16), byte(i>>8), byte(i))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%d answer is not JSON: %.300q", rec.Code, rec.Body.String())
		}
		switch {
		case rec.Code == http.StatusCreated:
			code, _ := out["tracking_code"].(string)
			c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
			if err != nil {
				t.Fatalf("201 for %q but no complaint: %v", code, err)
			}
			for _, name := range c.GetStringSlice("attachments") {
				if !strings.HasPrefix(name, "lampiran_") || strings.ContainsAny(name, `/\`) {
					t.Fatalf("stored attachment name %q", name)
				}
			}
		case rec.Code >= 400 && rec.Code < 500:
			if s, _ := out["status"].(float64); int(s) != rec.Code {
				t.Fatalf("%d error without its status: %.300s", rec.Code, rec.Body.String())
			}
			if m, _ := out["message"].(string); m == "" {
				t.Fatalf("%d error without a message: %.300s", rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("answered %d: %.300s", rec.Code, rec.Body.String())
		}
	})
}

// Regression of a case found by hooks/open311's FuzzPostRequests: an
// Open311 form may send lat=NaN&long=NaN (strconv.ParseFloat accepts it),
// and NaN passed every range comparison, so the report was accepted with
// its point silently dropped (and with no location at all). NaN and
// infinities are refused like any point out of range.
func TestSubmitRefusesNaNPoint(t *testing.T) {
	app := testkit.New(t)
	nan, inf, ok := math.NaN(), math.Inf(1), 1.5
	for _, p := range [][2]*float64{{&nan, &nan}, {&ok, &nan}, {&nan, &ok}, {&inf, &ok}} {
		req := goodRequest("Titik koordinat tidak valid")
		req.Lat, req.Lon = p[0], p[1]
		_, err := intake.Submit(app, req)
		var refused *intake.Error
		if !errors.As(err, &refused) || refused.Status != http.StatusBadRequest || refused.Fields["lat"].Code != "invalid_point" {
			t.Errorf("lat %v lon %v: %v", *p[0], *p[1], err)
		}
	}
	if n, _ := app.CountRecords(model.Complaints); n != 0 {
		t.Fatalf("%d complaints stored", n)
	}
}
