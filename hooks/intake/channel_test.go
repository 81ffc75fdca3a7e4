package intake_test

import (
	"testing"

	"simpul/hooks/domain/model"
	"simpul/ui/testkit"
)

// A clerk records how a report reached the desk (docs/api.md); nobody
// else may claim one of those channels.
func TestCounterChannels(t *testing.T) {
	app := testkit.New(t)
	_, clerk := testkit.Staff(t, app, "loket@simpul.test", model.RoleFrontdesk, "")
	srv := serve(t, app)
	channelOf := func(a answer) string {
		t.Helper()
		code, _ := a.body["tracking_code"].(string)
		rec, err := app.FindFirstRecordByData(model.Complaints, "tracking_code", code)
		if err != nil {
			t.Fatalf("%d %s: %v", a.status, a.raw, err)
		}
		return rec.GetString("channel")
	}
	for _, c := range model.CounterChannels {
		a := post(t, srv, report(map[string]any{"channel": c}), map[string]string{"Authorization": clerk})
		if a.status != 201 {
			t.Fatalf("clerk, channel %s: %d %s", c, a.status, a.raw)
		}
		if got := channelOf(a); got != c {
			t.Errorf("clerk recorded %s, stored %s", c, got)
		}
	}
	// A clerk with no channel: a walk-in.
	if got := channelOf(post(t, srv, report(nil), map[string]string{"Authorization": clerk})); got != model.ChannelCounter {
		t.Errorf("clerk without a channel: %s", got)
	}
	// The public cannot claim a counter channel: the field is not theirs.
	if got := channelOf(post(t, srv, report(map[string]any{"channel": "letter"}), nil)); got != model.ChannelWeb {
		t.Errorf("a guest claiming a letter was stored as %s", got)
	}
	// A clerk's channel that is not a counter's is refused.
	if a := post(t, srv, report(map[string]any{"channel": "kiosk"}), map[string]string{"Authorization": clerk}); a.status != 400 {
		t.Errorf("clerk claiming the kiosk: %d %s", a.status, a.raw)
	}
}
