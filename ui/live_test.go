package ui_test

import (
	"strings"
	"testing"
	"time"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui/testkit"
)

// The staff desk updates live (issue 13, 7b): a report that arrives
// through intake's fast path appears in the open desk's queue without a
// reload, and a live region says so.
func TestBrowserDeskSeesNewReportLive(t *testing.T) {
	app := testkit.New(t)
	testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Resize(testkit.Counter)
	b.Go("/staf")
	b.Fill("#email", "koordinator@simpul.test")
	b.Fill("#password", "rahasia-123456")
	b.Click("#login")
	b.WaitVisible("#logout")
	waitFor(t, b, `document.body.getAttribute("data-live") === "1"`, "the desk subscribed to realtime")
	var one int
	b.Eval(`window.simpulNoReload = 1`, &one)

	res, err := intake.Submit(app, intake.Request{Channel: model.ChannelWeb, Type: "pengaduan", Category: "LAIN",
		Title: "Lampu jalan depan puskesmas mati", Body: "Sudah seminggu lampu jalan di depan puskesmas mati.",
		Privacy: model.PrivacyPublic, ReporterName: "Pak Darto", ReporterPhone: "081211112222", RemoteIP: "10.0.0.9"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, `!!document.querySelector('#queue a[href="/staf/laporan/`+res.TrackingCode+`"]')`,
		"the new report in the queue")
	var kept int
	b.Eval(`window.simpulNoReload || 0`, &kept)
	if kept != 1 {
		t.Error("the desk reloaded the page instead of updating the queue")
	}
	if s := b.Text("#live-status"); !strings.Contains(s, res.TrackingCode) {
		t.Errorf("the live region says %q, want the new code", s)
	}
	// A change made elsewhere (here a colleague archives it; a sync pass
	// fires the same event, sync/apply.News) takes it off the queue
	// without a reload and without a word in the live region.
	said := b.Text("#live-status")
	testkit.Move(t, app, res.TrackingCode, model.StatusDiarsipkan, "")
	waitFor(t, b, `!document.querySelector('#queue a[href="/staf/laporan/`+res.TrackingCode+`"]')`,
		"the archived report off the queue")
	b.Eval(`window.simpulNoReload || 0`, &kept)
	if kept != 1 || b.Text("#live-status") != said {
		t.Errorf("after a change the desk reloaded (%v) or the live region changed to %q", kept != 1, b.Text("#live-status"))
	}
}

// waitFor polls js in the page until it is true, for up to 10 s.
func waitFor(t *testing.T, b *testkit.Browser, js, what string) {
	t.Helper()
	for range 100 {
		var ok bool
		b.Eval(js, &ok)
		if ok {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling a browser, not domain time
	}
	t.Fatalf("waited 10 s for %s", what)
}
