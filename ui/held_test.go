package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

var heldRe = regexp.MustCompile(`name="held" value="([A-Za-z0-9_-]+)"`)

// A photo chosen on a form that comes back with an error is kept for the
// next try (no need to choose it again), can be dropped, and a made-up
// token brings nothing.
func TestChosenAttachmentKeptAcrossAnError(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	c := newClient(t, srv)
	_, form := c.get("/lapor")
	ref := clientRef(form)
	send := func(fields map[string]string, withPhoto bool) (*http.Response, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, v := range fields {
			_ = w.WriteField(k, v)
		}
		if withPhoto {
			fw, _ := w.CreateFormFile("attachments", "jalan rusak.png")
			_, _ = fw.Write(photo(t))
		}
		_ = w.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/lapor", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Origin", srv.URL)
		return c.do(req)
	}
	base := map[string]string{"client_ref": ref, "type": "pengaduan", "category": "INF-JALAN", "privacy": "anonymous",
		"body": "Lubang besar di depan pasar, sudah dua minggu."}

	res, page := send(base, true) // no title
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("without a title: %d", res.StatusCode)
	}
	m := heldRe.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "jalan rusak.png") {
		t.Fatalf("the chosen photo is not kept on the page:\n%s", page)
	}
	token := m[1]

	// Dropped on the next try: stored without it.
	fields := map[string]string{"title": "Jalan berlubang", "held": token, "held_drop": "0"}
	for k, v := range base {
		fields[k] = v
	}
	res, page = send(fields, false)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("second try: %d", res.StatusCode)
	}
	rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", trackingCodeOf(t, page))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.GetStringSlice("attachments")); n != 0 {
		t.Errorf("a dropped photo was stored (%d attachments)", n)
	}

	// A token nobody issued brings nothing, and a path is not a token.
	_, form = c.get("/lapor")
	for _, bad := range []string{"0123456789abcdef0123456789abcdef", "../../data.db"} {
		fields = map[string]string{"title": "Jalan berlubang", "held": bad, "client_ref": clientRef(form)}
		for k, v := range base {
			if k != "client_ref" {
				fields[k] = v
			}
		}
		res, page = send(fields, false)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("with held=%q: %d", bad, res.StatusCode)
		}
		rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", trackingCodeOf(t, page))
		if err != nil || len(rec.GetStringSlice("attachments")) != 0 {
			t.Errorf("held=%q attached something", bad)
		}
		_, form = c.get("/lapor")
	}
}

func TestFavicon(t *testing.T) {
	srv := testkit.Serve(t, testkit.New(t))
	res, body := newClient(t, srv).get("/favicon.ico")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/x-icon" ||
		!strings.HasPrefix(body, "\x00\x00\x01\x00") || !strings.Contains(body, "\x89PNG") {
		t.Fatalf("favicon: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}
}
