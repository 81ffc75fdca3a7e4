package intake_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// FuzzSubmitJSON feeds arbitrary JSON bodies through the decoder and Submit
// on a real app. Whatever comes in, Submit either refuses it with a 4xx
// *intake.Error or stores a complaint whose text is valid UTF-8 within the
// limits; it never panics and never fails as the appliance.
func FuzzSubmitJSON(f *testing.F) {
	f.Add([]byte(report(nil)))
	f.Add([]byte(report(map[string]any{"privacy": "anonymous", "title": "<b>x</b>\u202e" + strings.Repeat("é", 50)})))
	f.Add([]byte(`{"type":"aspirasi","title":"Usulan taman","body":"Mohon dibangun taman bermain.","category":"LING-TAMAN","privacy":"public","reporter_name":"A","incident_date":"2026-02-30"}`))
	f.Add([]byte(`{"title":null,"lat":1e999,"lon":"x","reporter_disability":"ya"}`))
	f.Add([]byte(`[]`))
	app := testkit.New(f)
	staff, _ := testkit.Staff(f, app, "fuzz@simpul.test", model.RoleFrontdesk, "")
	f.Fuzz(func(t *testing.T, raw []byte) {
		req := intake.Request{Staff: staff} // the counter: no rate limit to hide paths behind
		if err := intake.DecodeJSON(raw, &req); err != nil {
			var refused *intake.Error
			if !errors.As(err, &refused) || refused.Status != 400 {
				t.Fatalf("decode error %v", err)
			}
			return
		}
		res, err := intake.Submit(app, req)
		if err != nil {
			var refused *intake.Error
			if !errors.As(err, &refused) || refused.Status < 400 || refused.Status > 499 {
				t.Fatalf("submit failed as the appliance: %v", err)
			}
			return
		}
		c, err := app.FindRecordById(model.Complaints, res.ComplaintID)
		if err != nil {
			t.Fatalf("accepted complaint not stored: %v", err)
		}
		for field, max := range map[string]int{"title": 200, "body": 10000, "location": 500, "reporter_name": 150} {
			v := c.GetString(field)
			if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max || strings.ContainsRune(v, 0) {
				t.Fatalf("stored %s %q", field, v)
			}
		}
		if c.GetString("privacy") == model.PrivacyAnonymous && c.GetString("reporter_name") != "" {
			t.Fatal("anonymous report stored a name")
		}
	})
}

// FuzzAttachment checks arbitrary file contents: they are refused with a
// 4xx or accepted as one of the four allowed types, never a panic.
func FuzzAttachment(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	f.Add(pngHeader(2, 2))
	f.Add(pngHeader(1<<31-1, 1))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X"))
	f.Add([]byte("PK\x03\x04 a zip"))
	app := testkit.New(f)
	staff, _ := testkit.Staff(f, app, "fuzz@simpul.test", model.RoleFrontdesk, "")
	f.Fuzz(func(t *testing.T, content []byte) {
		file, err := filesystem.NewFileFromBytes(content, "../../x.jpg")
		if err != nil {
			return // empty content
		}
		req := goodRequest("Laporan dengan lampiran acak")
		req.Staff, req.ReporterName = staff, "Petugas"
		req.Attachments = []*filesystem.File{file}
		res, err := intake.Submit(app, req)
		if err != nil {
			var refused *intake.Error
			if !errors.As(err, &refused) || refused.Status < 400 || refused.Status > 499 {
				t.Fatalf("submit failed as the appliance: %v", err)
			}
			return
		}
		c, err := app.FindRecordById(model.Complaints, res.ComplaintID)
		if err != nil {
			t.Fatalf("accepted complaint not stored: %v", err)
		}
		names := c.GetStringSlice("attachments")
		if len(names) != 1 || !strings.HasPrefix(names[0], "lampiran_1_") {
			t.Fatalf("stored %v", names)
		}
		mime, _ := intake.Sniff(content)
		if mime == "" {
			t.Fatalf("accepted unknown content %q", content[:min(len(content), 16)])
		}
	})
}
