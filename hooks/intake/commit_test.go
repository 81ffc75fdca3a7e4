package intake_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simpul/hooks/domain/model"
	"simpul/hooks/events"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

func goodRequest(title string) intake.Request {
	return intake.Request{Type: "pengaduan", Title: title, Body: "Isi laporan yang cukup panjang untuk diterima.",
		Category: "INF-JALAN", Privacy: "anonymous", RemoteIP: "192.0.2.10"}
}

// One batch, one transaction: every job written with its event and outbox
// row. A job that fails inside the transaction (here a trigger makes the
// database refuse one row, as a full disk or a constraint would) is
// retried alone and fails alone; the others are kept.
func TestGroupCommitIsolatesAFailedRow(t *testing.T) {
	app := testkit.New(t)
	if _, err := app.DB().NewQuery(`CREATE TRIGGER refuse_one BEFORE INSERT ON complaints
		WHEN NEW.title = 'Laporan yang ditolak basis data' BEGIN SELECT RAISE(ABORT, 'refused'); END`).Execute(); err != nil {
		t.Fatal(err)
	}
	reqs := []intake.Request{goodRequest("Laporan pertama di batch"), goodRequest("Laporan yang ditolak basis data"),
		goodRequest("Laporan kedua di batch"), goodRequest("Laporan ketiga di batch")}
	res, errs := intake.CommitBatch(app, reqs)
	for i := range reqs {
		switch {
		case i == 1 && errs[i] == nil:
			t.Fatal("the refused row was written")
		case i != 1 && errs[i] != nil:
			t.Fatalf("row %d lost because of another row: %v", i, errs[i])
		}
	}
	if n, _ := app.CountRecords(model.Complaints); n != 3 {
		t.Fatalf("%d complaints, want 3", n)
	}
	for i, r := range res {
		if r == nil {
			continue
		}
		evs, _ := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c}", "seq", 0, 0, dbx.Params{"c": r.ComplaintID})
		if len(evs) != 1 {
			t.Fatalf("row %d has %d events", i, len(evs))
		}
		if n, _ := app.CountRecords(model.SyncOutbox, dbx.HashExp{"uid": evs[0].GetString("uid")}); n != 1 {
			t.Fatalf("row %d not in the outbox", i)
		}
	}
	if n, _ := app.CountRecords(model.ComplaintEvents); n != 3 {
		t.Fatalf("%d events: the failed row left one behind", n)
	}
	if n, _ := app.CountRecords(model.SyncOutbox); n != 3 {
		t.Fatalf("%d outbox rows: the failed row left one behind", n)
	}
}

// Two submissions with one client_ref in the same batch give one
// complaint.
func TestGroupCommitReplayWithinABatch(t *testing.T) {
	app := testkit.New(t)
	r := goodRequest("Dikirim dua kali oleh ponsel")
	r.ClientRef = "f-sama"
	res, errs := intake.CommitBatch(app, []intake.Request{r, r})
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if res[0].TrackingCode != res[1].TrackingCode || !res[1].Replayed || res[0].Replayed {
		t.Fatalf("%+v / %+v", res[0], res[1])
	}
	if n, _ := app.CountRecords(model.Complaints); n != 1 {
		t.Fatalf("%d complaints", n)
	}
}

// Many clients at once through the real HTTP stack: every answer is a
// distinct, stored complaint with an intact timeline and one outbox row.
func TestConcurrentIntake(t *testing.T) {
	app := testkit.New(t)
	_, token := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := serve(t, app)
	const clients, each = 32, 5
	codes := make(chan string, clients*each)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				r := post(t, srv, report(map[string]any{"title": fmt.Sprintf("Laporan klien %d nomor %d", c, i)}),
					map[string]string{"Authorization": token})
				if r.status != http.StatusCreated {
					t.Errorf("client %d: %d %s", c, r.status, r.raw)
					return
				}
				codes <- r.body["tracking_code"].(string)
			}
		}(c)
	}
	wg.Wait()
	close(codes)
	seen := map[string]bool{}
	for c := range codes {
		if seen[c] {
			t.Fatalf("tracking code %s issued twice", c)
		}
		seen[c] = true
	}
	if len(seen) != clients*each {
		t.Fatalf("%d answers", len(seen))
	}
	for _, col := range []string{model.Complaints, model.ComplaintEvents, model.SyncOutbox} {
		if n, _ := app.CountRecords(col); n != clients*each {
			t.Fatalf("%s has %d rows, want %d", col, n, clients*each)
		}
	}
	checked, err := events.Verify(app)
	if err != nil {
		t.Fatalf("after concurrent intake: %v", err)
	}
	if checked.Events != clients*each {
		t.Fatalf("verified %d events", checked.Events)
	}
}

// A new tracking code that is already taken (50 random bits make it all
// but impossible, so a test forces it) is replaced, on the plain insert
// path (the unique index refuses it) and on the path with files (checked
// first): the report is written under a fresh code and the earlier
// complaint is untouched.
func TestTrackingCodeClashGetsAFreshCode(t *testing.T) {
	app := testkit.New(t)
	first, err := intake.Submit(app, goodRequest("Laporan pertama yang memakai kode"))
	if err != nil {
		t.Fatal(err)
	}
	withFile := goodRequest("Laporan dengan lampiran foto")
	withFile.Attachments = []*filesystem.File{photo(t)}
	for name, req := range map[string]intake.Request{"insert": goodRequest("Laporan kedua dengan kode bentrok"), "files": withFile} {
		undo := intake.SetCodes(first.TrackingCode, first.TrackingCode)
		res, err := intake.Submit(app, req)
		undo()
		if err != nil {
			t.Fatalf("%s: a clash refused the report: %v", name, err)
		}
		if res.TrackingCode == first.TrackingCode {
			t.Fatalf("%s: the report got the taken code", name)
		}
		rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", res.TrackingCode)
		if err != nil || rec.GetString("title") != req.Title {
			t.Fatalf("%s: the report is not stored under its new code: %v", name, err)
		}
	}
	old, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", first.TrackingCode)
	if err != nil || old.GetString("title") != "Laporan pertama yang memakai kode" {
		t.Fatalf("the earlier complaint changed: %v", err)
	}
	if n, _ := app.CountRecords(model.Complaints); n != 3 {
		t.Fatalf("%d complaints, want 3", n)
	}
}

func photo(t *testing.T) *filesystem.File {
	f, err := filesystem.NewFileFromBytes(pngHeader(2, 2), "foto.png")
	if err != nil {
		t.Fatal(err)
	}
	return f
}
