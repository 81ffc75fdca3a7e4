package ui_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// photo is a real 640×480 PNG, as a phone would send (small, flat colour).
func photo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x / 3), G: 120, B: uint8(y / 2), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const tinyPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// multipartBody builds a form with fields and one file under fileField.
func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, content []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	fw, err := w.CreateFormFile(fileField, fileName)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = w.Close()
	return w.FormDataContentType(), &buf
}

func apiCall(t *testing.T, base, method, path, token, contentType string, body *bytes.Buffer) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, body)
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res.StatusCode, out.String()
}

var fileLinkRe = regexp.MustCompile(`href="(/staf/laporan/[^"/]+/lampiran/[^"?]+)"`)

// Staff who may see a complaint see its attachments: the reporter's photo
// as a thumbnail with a download, the handler's follow-up PDF; staff who
// may not see the complaint get neither the page nor the files.
func TestStaffSeeAttachments(t *testing.T) {
	app := testkit.New(t)
	_, coordinator := testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	_, handler := testkit.Staff(t, app, "umum@simpul.test", model.RoleHandler, "UMUM")
	testkit.Staff(t, app, "kes@simpul.test", model.RoleHandler, "KES")
	srv := testkit.Serve(t, app)

	pic := photo(t)
	ct, body := multipartBody(t, map[string]string{"type": "pengaduan", "title": "Atap ruang tunggu bocor",
		"body": "Air menetes ke kursi pasien setiap hujan.", "category": "LAIN", "unit": "UMUM", "privacy": "public",
		"reporter_name": "Siti", "reporter_phone": "081234567890"}, "attachments", "atap bocor.png", pic)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/complaints", body)
	req.Header.Set("Content-Type", ct)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Code string `json:"tracking_code"`
	}
	_ = json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit with a photo: %d", res.StatusCode)
	}
	code := created.Code
	if st, b := apiCall(t, srv.URL, http.MethodPost, "/api/complaints/"+code+"/transitions", coordinator, "application/json",
		bytes.NewBufferString(`{"to":"terdisposisi","unit":"UMUM"}`)); st != http.StatusOK {
		t.Fatalf("dispose: %d %s", st, b)
	}
	ct, body = multipartBody(t, map[string]string{"note": "Atap sudah diperbaiki, lihat berita acara."},
		"attachments", "berita-acara.pdf", []byte(tinyPDF))
	if st, b := apiCall(t, srv.URL, http.MethodPost, "/api/complaints/"+code+"/followups", handler, ct, body); st != http.StatusOK {
		t.Fatalf("follow-up with a PDF: %d %s", st, b)
	}

	// The staff API lists both, with where each came from.
	st, b := apiCall(t, srv.URL, http.MethodGet, "/api/staff/complaints/"+code, coordinator, "", &bytes.Buffer{})
	if st != http.StatusOK {
		t.Fatalf("staff view: %d", st)
	}
	var detail struct {
		Attachments []struct{ Name, Label, Kind, Source string } `json:"attachments"`
	}
	_ = json.Unmarshal([]byte(b), &detail)
	if len(detail.Attachments) != 2 || detail.Attachments[0].Source != "reporter" || detail.Attachments[0].Kind != "image" ||
		!strings.HasSuffix(detail.Attachments[0].Label, ".png") || detail.Attachments[0].Label == detail.Attachments[0].Name ||
		detail.Attachments[1].Source != "followup" || detail.Attachments[1].Label != "berita-acara.pdf" {
		t.Fatalf("staff API attachments: %+v", detail.Attachments)
	}

	// The case page: a thumbnail of the photo, a link to the PDF.
	c := newClient(t, srv)
	c.loginDesk("koordinator@simpul.test")
	_, page := c.get("/staf/laporan/" + code)
	photoName, pdfName := detail.Attachments[0].Name, detail.Attachments[1].Name
	href := "/staf/laporan/" + code + "/lampiran/" + photoName
	for _, want := range []string{`<img src="` + href + `?thumb=1"`, `href="` + href + `?download=1"`,
		"/lampiran/" + pdfName, "berita-acara.pdf"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if len(fileLinkRe.FindAllString(page, -1)) < 2 {
		t.Error("case page links fewer than two files")
	}
	res, got := c.get(href)
	if res.StatusCode != http.StatusOK || got != string(pic) || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("the photo: %d %s, %d bytes of %d", res.StatusCode, res.Header.Get("Content-Type"), len(got), len(pic))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("the photo may be cached by proxies: %q", cc)
	}
	res, thumb := c.get(href + "?thumb=1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("thumbnail: %d", res.StatusCode)
	}
	cfg, _, err := image.DecodeConfig(strings.NewReader(thumb))
	if err != nil || cfg.Width > 320 || cfg.Height > 240 || len(thumb) >= len(pic) {
		t.Errorf("thumbnail %dx%d (%d bytes, original %d): %v", cfg.Width, cfg.Height, len(thumb), len(pic), err)
	}
	if res, _ := c.get("/staf/laporan/" + code + "/lampiran/" + pdfName); res.StatusCode != http.StatusOK {
		t.Errorf("the follow-up PDF: %d", res.StatusCode)
	}
	for _, bad := range []string{"tidak-ada.png", "..%2F..%2Fdata.db", "%2e%2e"} {
		if res, _ := c.get("/staf/laporan/" + code + "/lampiran/" + bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("attachment %q: %d, want 404", bad, res.StatusCode)
		}
	}

	// The handler of another unit sees neither the case nor its files;
	// nobody signed out gets a file.
	kes := newClient(t, srv)
	kes.loginDesk("kes@simpul.test")
	if res, _ := kes.get("/staf/laporan/" + code); res.StatusCode != http.StatusForbidden {
		t.Errorf("another unit's handler opened the case: %d", res.StatusCode)
	}
	if res, body := kes.get(href); res.StatusCode != http.StatusForbidden || body == string(pic) {
		t.Errorf("another unit's handler got the photo: %d", res.StatusCode)
	}
	if res, body := newClient(t, srv).get(href); res.StatusCode == http.StatusOK || body == string(pic) {
		t.Errorf("a signed-out visitor got the photo: %d", res.StatusCode)
	}
}

// loginDesk signs in at /staf and fails the test unless it worked.
func (c *client) loginDesk(email string) {
	c.t.Helper()
	_, body := c.get("/staf")
	res, body := c.post("/staf/masuk", map[string][]string{"csrf": {c.csrf(body)}, "email": {email}, "password": {"rahasia-123456"}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %d\n%s", email, res.StatusCode, body)
	}
}
