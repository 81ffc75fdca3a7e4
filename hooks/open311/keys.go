package open311

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/appcmd"
	"simpul/hooks/platform/token"
)

// API keys of Open311 clients (collection open311_keys). A key is 256
// random bits, shown once; only its SHA-256 is stored. Admins issue keys
// with "simpul open311 keys add NAME" or by creating a record through the
// collection API (the answer carries the new key in "api_key", once), and
// retire them by setting active to false or deleting the record.

// KeyCredentials are what "simpul open311 keys add" prints, once.
type KeyCredentials struct {
	KeyID  string `json:"key_id"`
	APIKey string `json:"api_key"`
}

// AddKey issues a key for the client called name, or a new key to the
// client with that name (its old key stops working, and it is active
// again), and returns the key to be shown once.
func AddKey(app core.App, name string) (KeyCredentials, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return KeyCredentials{}, errors.New("open311: a key needs a name of 1–100 characters")
	}
	rec, key, err := token.Issue(app, token.Holder{Collection: model.Open311Keys, KeyField: "name", Key: name, HashField: "key_hash"})
	if err != nil {
		return KeyCredentials{}, fmt.Errorf("open311: key: %w", err)
	}
	return KeyCredentials{KeyID: rec.Id, APIKey: key}, nil
}

// errNoKey and errBadKey are the two ways a key is refused.
var (
	errNoKey  = errors.New("open311: api_key was not provided")
	errBadKey = errors.New("open311: invalid or inactive api_key")
)

// checkKey returns the id of the active key presented, or errNoKey or
// errBadKey. It records when the key was last used (at most once a
// minute, with plain SQL: no hooks, no second fsync per request).
func checkKey(app core.App, presented string, now time.Time) (string, error) {
	presented = strings.TrimSpace(presented)
	if presented == "" {
		return "", errNoKey
	}
	if len(presented) > 200 {
		return "", errBadKey
	}
	var row struct {
		ID       string `db:"id"`
		Active   bool   `db:"active"`
		LastUsed string `db:"last_used_at"`
	}
	err := app.DB().Select("id", "active", "last_used_at").From(model.Open311Keys).
		Where(dbx.NewExp("key_hash = {:h} AND key_hash != ''", dbx.Params{"h": token.Hash(presented)})).Limit(1).One(&row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", errBadKey
	case err != nil:
		return "", fmt.Errorf("open311: key lookup: %w", err)
	case !row.Active:
		return "", errBadKey
	}
	stamp, _ := types.ParseDateTime(now.UTC())
	if last, perr := types.ParseDateTime(row.LastUsed); perr != nil || last.IsZero() || now.Sub(last.Time()) >= time.Minute {
		if _, err := app.DB().NewQuery("UPDATE open311_keys SET last_used_at = {:at} WHERE id = {:id}").
			Bind(dbx.Params{"at": stamp.String(), "id": row.ID}).Execute(); err != nil {
			app.Logger().Warn("open311_key_touch_failed", "key_id", row.ID, "error", err.Error())
		}
	}
	return row.ID, nil
}

// bindKeyHooks makes a key created through the collection API (admins
// only, by its rules) get a fresh key from the server, whatever the client
// sent: the answer carries it once, as "api_key".
func bindKeyHooks(app core.App) {
	app.OnRecordCreateRequest(model.Open311Keys).BindFunc(func(e *core.RecordRequestEvent) error {
		key := token.New()
		e.Record.Set("key_hash", token.Hash(key))
		if info, err := e.RequestInfo(); err == nil {
			if _, set := info.Body["active"]; !set {
				e.Record.Set("active", true)
			}
		}
		e.Record.WithCustomData(true)
		e.Record.Set("api_key", key)
		return e.Next()
	})
}

// Commands returns "simpul open311 keys add NAME".
func Commands(app core.App) []*cobra.Command {
	root := &cobra.Command{Use: "open311", Short: "Open311 GeoReport v2 API"}
	keys := &cobra.Command{Use: "keys", Short: "Manage the API keys of Open311 clients"}
	keys.AddCommand(&cobra.Command{
		Use:          "add NAME",
		Short:        "Issue an API key for a client (or a new key for the client with that name) and print it as JSON, once",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := appcmd.Migrate(app); err != nil {
				return fmt.Errorf("open311: %w", err)
			}
			creds, err := AddKey(app, args[0])
			if err != nil {
				return err
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(creds)
		},
	})
	root.AddCommand(keys)
	return []*cobra.Command{root}
}
