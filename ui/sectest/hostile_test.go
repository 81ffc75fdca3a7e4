package sectest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// hostileText is script, SQL, a NUL and a bidi override in one string.
const hostileText = `<script>alert(1)</script> '; DROP TABLE complaints; -- "x" ` + "\x00 \u202Eevil"

func jsonReport(over map[string]any) string {
	r := map[string]any{"type": "pengaduan", "title": "Lampu jalan mati di depan pasar",
		"body": "Sudah seminggu lampu jalan mati, jalan gelap.", "category": "LAIN", "privacy": "public",
		"reporter_name": "Siti Aminah", "reporter_phone": "081234567890", "reporter_email": "siti@contoh.id"}
	for k, v := range over {
		r[k] = v
	}
	b, _ := json.Marshal(r)
	return string(b)
}

func complaintCount(t *testing.T, app core.App) int64 {
	t.Helper()
	n, err := app.CountRecords(model.Complaints)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Script and SQL typed into every field of the public API: free-text
// fields store it as inert text (control and bidi characters removed);
// every constrained field refuses it with its own field error and nothing
// is stored. No answer carries the markup.
func TestHostileTextInEveryField(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := newBrowser(t, srv.URL)
	for _, field := range []string{"title", "body", "location", "reporter_name"} {
		r := b.postJSON("/api/complaints", jsonReport(map[string]any{field: "Teks warga " + hostileText}))
		if r.status != http.StatusCreated {
			t.Fatalf("%s: %d %s", field, r.status, r.body)
		}
		var out struct {
			TrackingCode string `json:"tracking_code"`
		}
		json.Unmarshal([]byte(r.body), &out)
		c, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", out.TrackingCode)
		if err != nil {
			t.Fatal(err)
		}
		got := c.GetString(field)
		if !strings.Contains(got, "<script>alert(1)</script> '; DROP TABLE complaints;") || strings.ContainsAny(got, "\x00\u202E") {
			t.Errorf("%s stored as %q", field, got)
		}
	}
	if n := complaintCount(t, app); n != 4 {
		t.Fatalf("%d complaints: the injected SQL did something", n)
	}
	for _, field := range []string{"type", "category", "unit", "incident_date", "privacy", "reporter_phone",
		"reporter_email", "reporter_gender", "qr", "client_ref"} {
		r := b.postJSON("/api/complaints", jsonReport(map[string]any{field: hostileText}))
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `"`+field+`":{"code":"`) {
			t.Errorf("%s: %d %s", field, r.status, r.body)
		}
		if strings.Contains(r.body, "<script>") {
			t.Errorf("%s: the answer echoes the markup", field)
		}
	}
	if n := complaintCount(t, app); n != 4 {
		t.Fatalf("refused submissions stored %d complaints", n-4)
	}

	// The citizen form shows a refused submission again with the markup
	// escaped.
	page := b.get("/lapor")
	form := url.Values{"type": {"pengaduan"}, "title": {"Judul " + hostileText}, "body": {"Isi " + hostileText},
		"category": {"TIDAK-ADA"}, "privacy": {"anonymous"}, "client_ref": {"f-0123456789abcdef"}}
	if m := csrfRe.FindStringSubmatch(page.body); m != nil {
		form.Set("csrf", m[1])
	}
	r := b.post("/lapor", form)
	if r.status != http.StatusBadRequest || strings.Contains(r.body, "<script>alert(1)") || !strings.Contains(r.body, "&lt;script&gt;") {
		t.Errorf("form redisplay: %d, escaped: %v", r.status, strings.Contains(r.body, "&lt;script&gt;"))
	}
}

// Request bodies built to exhaust the server are refused early and store
// nothing: a gzip bomb sent with Content-Encoding: gzip (Simpul never
// inflates request bodies; only the sync hub reads gzip, with its own
// limit), JSON nested 100,000 deep, invalid UTF-8 inside JSON, and a
// multipart body of 5,000 parts.
func TestHostileBodies(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := newBrowser(t, srv.URL)

	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zw.Write([]byte(`{"title":"`))
	zw.Write(bytes.Repeat([]byte("A"), 64<<20)) // 64 MB inflated, ~64 KB on the wire
	zw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/complaints", bytes.NewReader(bomb.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	if r := b.do(req); r.status != http.StatusBadRequest || !strings.Contains(r.body, "JSON tidak valid") {
		t.Errorf("gzip bomb (%d bytes): %d %s", bomb.Len(), r.status, r.body)
	}

	deep := `{"title":` + strings.Repeat("[", 100_000) + `}`
	if r := b.postJSON("/api/complaints", deep); r.status != http.StatusBadRequest || !strings.Contains(r.body, "JSON tidak valid") {
		t.Errorf("JSON nested 100,000 deep: %d %s", r.status, r.body)
	}
	deeper := `{"title":` + strings.Repeat("[", 200_000) + `}`
	if r := b.postJSON("/api/complaints", deeper); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("JSON nested past the 128 KB body limit: %d %s", r.status, r.body)
	}

	// Invalid UTF-8 inside a JSON string is replaced (U+FFFD) by the JSON
	// decoder: stored text is always valid UTF-8.
	raw := strings.Replace(jsonReport(nil), "Lampu jalan", "Lampu \xff\xfe jalan", 1)
	r := b.postJSON("/api/complaints", raw)
	if r.status != http.StatusCreated {
		t.Fatalf("invalid UTF-8 in JSON: %d %s", r.status, r.body)
	}
	recs, _ := app.FindAllRecords(model.Complaints)
	if len(recs) != 1 || !utf8.ValidString(recs[0].GetString("title")) || !strings.Contains(recs[0].GetString("title"), "\uFFFD") {
		t.Fatalf("stored title %q", recs[0].GetString("title"))
	}

	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	for i := range 5000 {
		w.WriteField(fmt.Sprintf("f%d", i), "x")
	}
	w.Close()
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/api/complaints", &mp)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if r := b.do(req); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("multipart with 5,000 parts: %d %s", r.status, r.body)
	}
	if n := complaintCount(t, app); n != 1 {
		t.Errorf("%d complaints, want only the UTF-8 one", n)
	}
}

// jpegHeader is the start of a baseline JFIF JPEG claiming w×h pixels
// (only the header is ever read).
func jpegHeader(w, h uint16) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
		0xFF, 0xC0, 0x00, 0x11, 0x08}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	return append(b, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9)
}

// Attachments are judged by their bytes: a JPEG pixel flood, a zip (bomb),
// an SVG with a script and an HTML page, whatever name and Content-Type
// they claim, are refused and nothing is stored.
func TestHostileAttachments(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := newBrowser(t, srv.URL)
	var zipBomb bytes.Buffer
	zipBomb.WriteString("PK\x03\x04")
	zipBomb.Write(bytes.Repeat([]byte{0}, 1024))
	for _, tc := range []struct {
		name, filename, contentType string
		content                     []byte
		status                      int
		code                        string
	}{
		{"JPEG claiming 60000×60000 pixels", "foto.jpg", "image/jpeg", jpegHeader(60000, 60000), 413, "too_many_pixels"},
		{"zip bomb named .png", "foto.png", "image/png", zipBomb.Bytes(), 415, "unsupported_type"},
		{"SVG with a script", "peta.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415, "unsupported_type"},
		{"HTML as a PDF", "surat.pdf", "application/pdf", []byte("<!doctype html><script>alert(1)</script>"), 415, "unsupported_type"},
		{"path tricks in the name of a real PNG", `..\..\..\windows\system32\x.png`, "image/png", tinyPNG(), 201, ""},
	} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for k, v := range map[string]string{"type": "pengaduan", "title": "Jalan rusak di dekat pasar",
			"body": "Lubang besar, berbahaya bagi pengendara.", "category": "LAIN", "privacy": "anonymous"} {
			w.WriteField(k, v)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="attachments"; filename=%q`, tc.filename))
		h.Set("Content-Type", tc.contentType)
		part, _ := w.CreatePart(h)
		part.Write(tc.content)
		w.Close()
		before := complaintCount(t, app)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/complaints", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		r := b.do(req)
		if r.status != tc.status || (tc.code != "" && !strings.Contains(r.body, `"code":"`+tc.code+`"`)) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
		stored := complaintCount(t, app) - before
		if (tc.status == 201) != (stored == 1) {
			t.Errorf("%s: %d complaints stored", tc.name, stored)
		}
		if tc.status == 201 {
			recs, _ := app.FindAllRecords(model.Complaints)
			for _, name := range recs[len(recs)-1].GetStringSlice("attachments") {
				if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") || !strings.HasPrefix(name, "lampiran_") {
					t.Errorf("stored as %q", name)
				}
			}
		}
	}
}

// tinyPNG is a valid 1×1 PNG.
func tinyPNG() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
}

// Hostile tracking codes on every route that takes one are refused (400
// or 404, never 500), never echoed as markup, and match nothing.
func TestHostileTrackingCodes(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := newBrowser(t, srv.URL)
	if r := b.postJSON("/api/complaints", jsonReport(nil)); r.status != http.StatusCreated {
		t.Fatal(r.body)
	}
	for _, code := range []string{
		"..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fdata.db", "' OR '1'='1", "%00", "x%00.pdf",
		"%3Cscript%3Ealert(1)%3C%2Fscript%3E", strings.Repeat("A", 4000), "%E2%80%AEABCD-EFGH-JKM", "%F0%9F%92%A3",
		"*", "%25",
	} {
		for _, path := range []string{"/api/track/" + code, "/lacak/" + code, "/api/receipts/" + code + ".pdf?token=x",
			"/open311/v2/requests/" + code + ".json"} {
			r := b.get(path)
			if r.status != http.StatusBadRequest && r.status != http.StatusNotFound {
				t.Errorf("%.80s: %d", path, r.status)
			}
			if strings.Contains(r.body, "<script>alert(1)") {
				t.Errorf("%.80s echoes markup", path)
			}
		}
		r := b.postJSON("/api/track/"+code+"/reply", `{"pin":"123456","message":"halo"}`)
		if r.status != http.StatusForbidden && r.status != http.StatusBadRequest && r.status != http.StatusNotFound {
			t.Errorf("reply to %.40s: %d %s", code, r.status, r.body)
		}
	}
}
