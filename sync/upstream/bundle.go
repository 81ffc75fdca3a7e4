package upstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/model"
	"simpul/hooks/events/outbox"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/sync/hub"
	"simpul/sync/protocol"
)

// Bundle is a sneakernet file: the pending changes as signed push bodies
// (docs/sync-protocol.md §8).
type Bundle struct {
	V       int           `json:"v"`
	Node    string        `json:"node"`
	Created string        `json:"created"`
	Batches []BundleBatch `json:"batches"`
}

// BundleBatch is one push body with the signature a live push would carry.
type BundleBatch struct {
	TS   int64  `json:"ts"`
	Sig  string `json:"sig"`
	Body []byte `json:"body"` // gzip JSON PushRequest (base64 in the file)
}

// maxBundle bounds what import reads.
const maxBundle = 512 << 20

// Export writes every pending change to w as a signed bundle and returns
// how many changes it holds. Rows stay pending: an online push later is
// acknowledged as duplicates.
func Export(app core.App, nodeID, secret string, w io.Writer, now time.Time) (int, error) {
	if _, err := outbox.QueueUnsent(app, now); err != nil {
		return 0, err
	}
	rows, err := outbox.Pending(app, -1)
	if err != nil {
		return 0, err
	}
	key := protocol.DeriveKey(secret)
	b := Bundle{V: protocol.Version, Node: nodeID, Created: now.UTC().Format(time.RFC3339)}
	for start := 0; start < len(rows); start += protocol.MaxChangesPerPush {
		chunk := rows[start:min(start+protocol.MaxChangesPerPush, len(rows))]
		changes, err := BuildChanges(app, chunk)
		if err != nil {
			return 0, err
		}
		body, err := protocol.Encode(protocol.PushRequest{V: protocol.Version, Changes: changes})
		if err != nil {
			return 0, err
		}
		ts := now.Unix()
		b.Batches = append(b.Batches, BundleBatch{TS: ts, Sig: protocol.Sign(key, http.MethodPost, protocol.PushPath, ts, body), Body: body})
	}
	if err := json.NewEncoder(w).Encode(b); err != nil {
		return 0, fmt.Errorf("upstream: write bundle: %w", err)
	}
	return len(rows), nil
}

// ImportResult counts what an import applied.
type ImportResult struct {
	Node       string `json:"node"`
	Applied    int    `json:"applied"`
	Duplicates int    `json:"duplicates"`
	Rejected   int    `json:"rejected"`
}

// Import verifies a bundle against the registered node's key (no replay
// window: a bundle may travel for days) and applies it with the push's
// exactly-once rules.
func Import(app core.App, r io.Reader) (ImportResult, error) {
	var res ImportResult
	raw, err := io.ReadAll(io.LimitReader(r, maxBundle+1))
	if err != nil {
		return res, fmt.Errorf("upstream: read bundle: %w", err)
	}
	if len(raw) > maxBundle {
		return res, errors.New("upstream: bundle too large")
	}
	var b Bundle
	if err := json.Unmarshal(raw, &b); err != nil {
		return res, fmt.Errorf("upstream: bundle is not valid JSON: %w", err)
	}
	if b.V != protocol.Version {
		return res, fmt.Errorf("upstream: bundle version %d not supported", b.V)
	}
	node, err := app.FindRecordById(model.Nodes, b.Node)
	if err != nil || !node.GetBool("active") {
		return res, errors.New("upstream: bundle from an unknown or inactive node")
	}
	key, err := protocol.KeyFromHex(node.GetString("key_hash"))
	if err != nil {
		return res, err
	}
	res.Node = node.GetString("code")
	// Verify everything before applying anything.
	reqs := make([]protocol.PushRequest, 0, len(b.Batches))
	for i, bb := range b.Batches {
		if err := protocol.Verify(key, http.MethodPost, protocol.PushPath, bb.TS, bb.Body, bb.Sig, clock.Now(app), 0); err != nil {
			return res, fmt.Errorf("upstream: bundle batch %d: %w", i, err)
		}
		req, err := protocol.DecodePush(bb.Body)
		if err != nil {
			return res, fmt.Errorf("upstream: bundle batch %d: %w", i, err)
		}
		reqs = append(reqs, req)
	}
	for _, req := range reqs {
		pr, err := hub.ApplyPush(app, node, req)
		if err != nil {
			return res, err
		}
		for _, a := range pr.Acks {
			switch a.Result {
			case protocol.AckOK:
				res.Applied++
			case protocol.AckDup:
				res.Duplicates++
			default:
				res.Rejected++
			}
		}
	}
	return res, nil
}

func exportCommand(app core.App, cfg config.Config) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:          "export --out FILE",
		Short:        "Write every pending change to a signed bundle for the parent (no link needed)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("upstream: --out FILE is required")
			}
			if cfg.NodeID == "" || cfg.NodeSecret == "" {
				return errors.New("upstream: export needs SIMPUL_NODE_ID and SIMPUL_NODE_SECRET")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			f, err := os.Create(out)
			if err != nil {
				return fmt.Errorf("upstream: %w", err)
			}
			n, err := Export(app, cfg.NodeID, cfg.NodeSecret, f, clock.Now(app))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			o, _ := json.Marshal(map[string]any{"file": out, "changes": n})
			fmt.Fprintln(cmd.OutOrStdout(), string(o))
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "the bundle file to write")
	return c
}

func importCommand(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:          "import FILE",
		Short:        "Apply a child's bundle on this parent, exactly once per change",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("upstream: %w", err)
			}
			defer f.Close()
			res, err := Import(app, f)
			if err != nil {
				return err
			}
			o, _ := json.Marshal(res)
			fmt.Fprintln(cmd.OutOrStdout(), string(o))
			return nil
		},
	}
}
