package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simpul/hooks/domain/model"
)

func init() {
	m.Register(counterChannelsUp, counterChannelsDown, "1763850100_counter_channels.go")
}

// channelsBefore are the channel values the schema shipped with.
var channelsBefore = []string{model.ChannelWeb, model.ChannelQR, model.ChannelKiosk, model.ChannelCounter,
	model.ChannelOpen311, model.ChannelSync, model.ChannelImported}

// counterChannelsUp lets the complaints' channel hold the ways a clerk
// records a report that reached the desk other than in person: a letter,
// a phone call, an SMS, a WhatsApp message, the suggestion box (docs/api.md).
func counterChannelsUp(app core.App) error { return setChannels(app, model.Channels) }

func counterChannelsDown(app core.App) error { return setChannels(app, channelsBefore) }

func setChannels(app core.App, values []string) error {
	c, err := app.FindCollectionByNameOrId(model.Complaints)
	if err != nil {
		return fmt.Errorf("migrations: channels: %w", err)
	}
	f, ok := c.Fields.GetByName("channel").(*core.SelectField)
	if !ok {
		return fmt.Errorf("migrations: channels: complaints.channel is not a select")
	}
	f.Values = append([]string(nil), values...)
	if err := app.Save(c); err != nil {
		return fmt.Errorf("migrations: channels: %w", err)
	}
	return nil
}
