package testkit_test

import (
	"os"
	"strings"
	"testing"

	"simpul/ui/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Run(m)) }

// TestStartPage proves the harness end to end: the real router on a real
// server, a real Chromium loading the start page and following a link.
func TestStartPage(t *testing.T) {
	app := testkit.New(t)
	srv := testkit.Serve(t, app)
	b := testkit.NewBrowser(t, srv.URL)
	b.Go("/")
	if h := b.Text("h1"); !strings.Contains(h, "pengaduan") {
		t.Fatalf("start page h1 = %q, want the Indonesian tagline", h)
	}
	b.Click(`a[href="/lacak"]`)
	b.WaitURL("/lacak")
	if h := b.Text("h1"); h == "" {
		t.Fatal("the tracking page has no heading")
	}
}
