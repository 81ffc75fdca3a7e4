package sectest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/websec"
	"simpul/ui/testkit"
)

// pbServer is the http.Server PocketBase v0.39.11's apis.Serve builds
// (apis/serve.go), before the OnServe hooks run.
func pbServer() *http.Server {
	return &http.Server{WriteTimeout: 5 * time.Minute, ReadTimeout: 5 * time.Minute, ReadHeaderTimeout: time.Minute}
}

// serveWith triggers app's OnServe hooks with hs as the server, as "serve"
// does, and serves the router on a local listener with hs's timeouts.
func serveWith(t *testing.T, app core.App, hs *http.Server) *httptest.Server {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r, Server: hs}, func(e *core.ServeEvent) error {
		e.Server.Handler, err = e.Router.BuildMux()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(hs.Handler)
	srv.Config.ReadHeaderTimeout, srv.Config.ReadTimeout = hs.ReadHeaderTimeout, hs.ReadTimeout
	srv.Config.WriteTimeout, srv.Config.IdleTimeout = hs.WriteTimeout, hs.IdleTimeout
	srv.Config.ConnState = hs.ConnState
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// Simpul lowers PocketBase's header timeout (1 min → 20 s) and idle
// timeout (5 min → 2 min) and keeps the 5-minute read and write timeouts
// a large upload over a slow link needs.
func TestServerTimeouts(t *testing.T) {
	hs := pbServer()
	serveWith(t, testkit.New(t), hs)
	if hs.ReadHeaderTimeout != 20*time.Second || hs.IdleTimeout != 2*time.Minute {
		t.Errorf("ReadHeaderTimeout %v, IdleTimeout %v", hs.ReadHeaderTimeout, hs.IdleTimeout)
	}
	if hs.ReadTimeout != 5*time.Minute || hs.WriteTimeout != 5*time.Minute {
		t.Errorf("ReadTimeout %v, WriteTimeout %v", hs.ReadTimeout, hs.WriteTimeout)
	}
}

const slowReport = `{"type":"pengaduan","title":"Jalan berlubang di depan sekolah","body":"Lubang besar sejak sebulan.",` +
	`"category":"LAIN","privacy":"anonymous"}`

// Slow clients (slowloris: headers one byte at a time; a body trickled
// in) are dropped at the server's timeouts, and while they hang on, other
// citizens' reports are taken as usual. The timeouts are shortened for the
// test (header 1 s, whole request 2 s); the behaviour at the real values
// (20 s, 5 min) is the same, later.
func TestSlowClientsDoNotBlockIntake(t *testing.T) {
	app := testkit.New(t)
	old := websec.ReadHeaderTimeout
	websec.ReadHeaderTimeout = time.Second
	t.Cleanup(func() { websec.ReadHeaderTimeout = old })
	hs := pbServer()
	hs.ReadTimeout = 2 * time.Second
	// Connections the server holds open (a slow client from its accept
	// until the server drops it).
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch st {
		case http.StateNew:
			open[c] = true
		case http.StateClosed, http.StateHijacked:
			delete(open, c)
		}
	}
	openNow := func() int { mu.Lock(); defer mu.Unlock(); return len(open) }
	srv := serveWith(t, app, hs)
	addr := srv.Listener.Addr().String()

	type outcome struct {
		answer string // the status line, "" when the server just hung up
		err    error
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	results := make(chan outcome, 64)
	slow := func(head string, trickle string) {
		defer wg.Done()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			results <- outcome{err: err}
			return
		}
		defer conn.Close()
		io.WriteString(conn, head)
		go func() { // one byte every 100 ms until the server hangs up
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if _, err := conn.Write([]byte{trickle[i%len(trickle)]}); err != nil {
					return
				}
			}
		}()
		conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a bound for the test, not a timing assertion
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil && line == "" {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				results <- outcome{err: fmt.Errorf("the server never dropped the slow client")}
				return
			}
			results <- outcome{} // hung up without an answer
			return
		}
		results <- outcome{answer: strings.TrimSpace(line)}
	}
	const headerClients, bodyClients = 40, 10
	for range headerClients {
		wg.Add(1)
		go slow("POST /api/complaints HTTP/1.1\r\nHost: simpul\r\nX-Slow: ", "abcdefgh")
	}
	for range bodyClients {
		wg.Add(1)
		go slow(fmt.Sprintf("POST /api/complaints HTTP/1.1\r\nHost: simpul\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			len(slowReport)), slowReport)
	}

	// Meanwhile every other citizen is served: once the server holds every
	// slow client, and while they still hang on (a server that let
	// them hold up intake would answer only after dropping them).
	for deadline := time.Now().Add(20 * time.Second); openNow() < headerClients+bodyClients; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d slow clients connected", openNow(), headerClients+bodyClients)
		}
	}
	b := newBrowser(t, srv.URL)
	for i := range 5 {
		r := b.postJSON("/api/complaints", strings.Replace(slowReport, "sekolah", fmt.Sprintf("sekolah %d", i), 1))
		if r.status != http.StatusCreated {
			t.Fatalf("report %d while slow clients hang on: %d %s", i, r.status, r.body)
		}
	}
	if n := len(results); n == headerClients+bodyClients {
		t.Errorf("the normal reports were answered only after every slow client was dropped")
	}
	wg.Wait()
	close(stop)
	close(results)
	var hungUp, refused int
	answers := map[string]int{}
	for o := range results {
		answers[o.answer]++
		switch {
		case o.err != nil:
			t.Error(o.err)
		case o.answer == "":
			hungUp++
		case strings.Contains(o.answer, " 400 ") || strings.Contains(o.answer, " 408 "):
			refused++
		default:
			t.Errorf("a slow client got %q", o.answer)
		}
	}
	t.Logf("slow clients: %v (\"\" = dropped without an answer)", answers)
	if hungUp+refused != headerClients+bodyClients {
		t.Errorf("%d of %d slow clients accounted for", hungUp+refused, headerClients+bodyClients)
	}
	if n, _ := app.CountRecords(model.Complaints); n != 5 {
		t.Errorf("%d complaints stored, want the 5 normal ones", n)
	}
}

// Request headers over Go's 1 MB default (PocketBase sets no
// MaxHeaderBytes) are refused with 431 before any handler runs.
func TestOversizedHeaders(t *testing.T) {
	app := testkit.New(t)
	srv := serveWith(t, app, pbServer())
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/complaints", strings.NewReader(slowReport))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Padding", strings.Repeat("a", 2<<20))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("2 MB of headers: %d", res.StatusCode)
	}
	if n, _ := app.CountRecords(model.Complaints); n != 0 {
		t.Fatal("stored")
	}
}
