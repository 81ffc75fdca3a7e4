package sectest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/intake"
	"simpul/ui"
	"simpul/ui/testkit"
)

// The live desk (ui/live.go) authenticates a realtime subscription from
// the staff session cookie. Who hears of which new report is then
// PocketBase's realtime filtered by the complaints' list rule (the privacy
// policy), over real HTTP: a guest, a kiosk (a citizen's device), another
// site borrowing a signed-in coordinator's cookie and a deactivated
// handler hear of none; a handler hears only of their unit's reports, a
// clerk only of the reports they took in, a coordinator of all; and no
// event of any of them carries a reporter's identity, whatever the
// subscription asks for.
func TestRealtimeHearsOnlyWhatTheQueueShows(t *testing.T) {
	app := testkit.New(t)
	testkit.Unit(t, app, "KES")
	testkit.Unit(t, app, "PU")
	_, coord := testkit.Staff(t, app, "koordinator@simpul.test", model.RoleCoordinator, "")
	_, handlerKES := testkit.Staff(t, app, "kes@simpul.test", model.RoleHandler, "KES")
	gone, handlerGone := testkit.Staff(t, app, "pensiun@simpul.test", model.RoleHandler, "KES")
	clerk, clerkTok := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	kiosk, err := intake.AddKiosk(app, "Kios lobi", "Lobi", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := testkit.Serve(t, app)

	// Every listener asks for everything: the whole record with its
	// relations expanded, under both topic forms.
	everything := `?options=` + `{"query":{"expand":"created_by,unit,category"}}`
	listen := func(name string, cookies []*http.Cookie, origin string) *listener {
		return connect(t, srv.URL, name, cookies, origin,
			"complaints"+everything, "complaints/*"+everything, "categories/*")
	}
	session := func(tok string) []*http.Cookie { return []*http.Cookie{{Name: ui.SessionCookie, Value: tok}} }
	self := srv.URL
	all := []*listener{
		listen("guest", nil, self),
		listen("kiosk", []*http.Cookie{{Name: ui.KioskCookie, Value: kiosk.Token}}, self),
		listen("another site with a coordinator's cookie", session(coord), "https://jahat.example"),
		listen("coordinator", session(coord), self),
		listen("handler KES", session(handlerKES), self),
		listen("deactivated handler KES", session(handlerGone), self),
		listen("clerk", session(clerkTok), self),
	}
	gone.Set("active", false)
	if err := app.Save(gone); err != nil {
		t.Fatal(err)
	}

	identity := []string{"Siti Aminah", "081234560001", "siti@contoh.id", "Budi Rahasia", "081234560002", "3201234567890001"}
	reports := []intake.Request{
		{Unit: "KES", Privacy: model.PrivacyPublic, ReporterName: "Siti Aminah", ReporterPhone: "081234560001", ReporterEmail: "siti@contoh.id"},
		{Unit: "PU", Privacy: model.PrivacyConfidential, ReporterName: "Budi Rahasia", ReporterPhone: "081234560002"},
		{Unit: "KES", Privacy: model.PrivacyAnonymous},
		{Unit: "KES", Privacy: model.PrivacyConfidential, ReporterName: "Budi Rahasia", ReporterPhone: "081234560002",
			ReporterNIK: "3201234567890001", Channel: model.ChannelCounter, Staff: clerk, IdentityChecked: true},
	}
	var codes []string
	for i, r := range reports {
		r.Type, r.Category, r.RemoteIP = model.TypePengaduan, "LAIN", "10.0.0.9"
		r.Title = fmt.Sprintf("Laporan uji nomor %d tentang pelayanan", i+1)
		r.Body = "Antrean di loket pelayanan sudah tiga jam tidak bergerak sejak pagi."
		res, err := intake.Submit(app, r)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, res.TrackingCode)
	}
	want := map[string][]string{
		"coordinator": codes,
		"handler KES": {codes[0], codes[2], codes[3]},
		"clerk":       {codes[3]},
	}
	// The coordinator hears every report; then a new category (public)
	// reaches every listener, after the complaints' events were sent.
	all[3].wait(t, func(l *listener) bool { return len(l.codes()) >= 2*len(codes) })
	cat := core.NewRecord(mustCollection(t, app, model.Categories))
	cat.Set("code", "UJI-AKHIR")
	cat.Set("name", "Penanda akhir uji")
	cat.Set("active", true)
	if err := app.Save(cat); err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		l.wait(t, (*listener).ended)
		got := l.codes()
		// Each code arrives once per topic form.
		var wantTwice []string
		for _, c := range want[l.name] {
			wantTwice = append(wantTwice, c, c)
		}
		slices.Sort(got)
		slices.Sort(wantTwice)
		if !slices.Equal(got, wantTwice) {
			t.Errorf("%s heard of %v, want %v", l.name, got, wantTwice)
		}
		for _, raw := range l.raw() {
			for _, s := range identity {
				if strings.Contains(raw, s) {
					t.Errorf("%s heard a reporter's identity %q in %s", l.name, s, raw)
				}
			}
		}
	}
}

// listener is one realtime connection (PocketBase's SSE stream) and what
// it heard.
type listener struct {
	name     string
	mu       sync.Mutex
	events   []string // raw data of complaint events
	sentinel bool     // the closing category arrived
}

func (l *listener) codes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, raw := range l.events {
		var msg struct {
			Action string `json:"action"`
			Record struct {
				Code string `json:"tracking_code"`
			} `json:"record"`
		}
		if json.Unmarshal([]byte(raw), &msg) == nil && msg.Action == "create" {
			out = append(out, msg.Record.Code)
		}
	}
	return out
}

func (l *listener) ended() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sentinel
}

func (l *listener) raw() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// wait polls until ok holds, for up to 10 s (waiting on a network
// stream, not domain time).
func (l *listener) wait(t *testing.T, ok func(*listener) bool) {
	t.Helper()
	for range 200 {
		if ok(l) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: waited 10 s on the realtime stream", l.name)
}

// connect opens base's realtime stream and subscribes to topics with
// cookies, sending origin as a browser would.
func connect(t *testing.T, base, name string, cookies []*http.Cookie, origin string, topics ...string) *listener {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/realtime", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	l := &listener{name: name}
	connected := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(res.Body)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				event = line[len("event:"):]
			case strings.HasPrefix(line, "data:"):
				data := line[len("data:"):]
				switch {
				case event == "PB_CONNECT":
					var c struct{ ClientID string }
					_ = json.Unmarshal([]byte(data), &c)
					connected <- c.ClientID
				case strings.HasPrefix(event, "categories"):
					l.mu.Lock()
					l.sentinel = true
					l.mu.Unlock()
				default:
					l.mu.Lock()
					l.events = append(l.events, data)
					l.mu.Unlock()
				}
			}
		}
	}()
	var id string
	select {
	case id = <-connected:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no PB_CONNECT", name)
	}
	body, _ := json.Marshal(map[string]any{"clientId": id, "subscriptions": topics})
	sub, _ := http.NewRequest(http.MethodPost, base+"/api/realtime", strings.NewReader(string(body)))
	sub.Header.Set("Content-Type", "application/json")
	sub.Header.Set("Origin", origin)
	for _, c := range cookies {
		sub.AddCookie(c)
	}
	r, err := http.DefaultClient.Do(sub)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNoContent {
		t.Fatalf("%s: subscribing answered %d", name, r.StatusCode)
	}
	return l
}

func mustCollection(t *testing.T, app core.App, name string) *core.Collection {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
