package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/appcmd"
	"simpul/hooks/platform/token"
	"simpul/sync/protocol"
)

// Credentials are what "simpul nodes add" prints, once.
type Credentials struct {
	NodeID string `json:"node_id"`
	Secret string `json:"secret"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)

// AddNode registers a child node, or rotates the secret of an existing one
// with the same code (and reactivates it). Only the derived signing key is
// stored; the secret is returned to be shown once.
func AddNode(app core.App, code, name string) (Credentials, error) {
	if !codePattern.MatchString(code) {
		return Credentials{}, errors.New("hub: node code must be 1–32 letters, digits or dashes")
	}
	if name == "" {
		name = code
	}
	rec, secret, err := token.Issue(app, token.Holder{
		Collection: model.Nodes, KeyField: "code", Key: code, HashField: "key_hash",
		Stored: protocol.DeriveKeyHex, // the hub signs with the derived key, never the secret
		Set:    func(rec *core.Record) { rec.Set("name", name) },
	})
	if err != nil {
		return Credentials{}, fmt.Errorf("hub: node: %w", err)
	}
	return Credentials{NodeID: rec.Id, Secret: secret}, nil
}

// nodesCommand is "simpul nodes add CODE --name NAME".
func nodesCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "nodes", Short: "Manage the child nodes that sync to this Simpul"}
	var name string
	add := &cobra.Command{
		Use:   "add CODE",
		Short: "Register a child node (or rotate its secret) and print its credentials as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := appcmd.Migrate(app); err != nil {
				return fmt.Errorf("hub: %w", err)
			}
			creds, err := AddNode(app, args[0], name)
			if err != nil {
				return err
			}
			return json.NewEncoder(cmd.OutOrStdout()).Encode(creds)
		},
	}
	add.Flags().StringVar(&name, "name", "", "the node's display name")
	root.AddCommand(add)
	return root
}
