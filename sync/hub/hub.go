// Package hub is the parent side of Simpul's sync protocol
// (docs/sync-protocol.md): the registry of child nodes, the signed
// push and pull endpoints, and the exactly-once application of what
// children push. The same binary is node and hub; a hub with its own parent
// relays what it receives, because applied events are queued in its outbox.
package hub

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cobra"
	"golang.org/x/time/rate"

	"simpul/hooks/domain/model"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/routes"
	"simpul/hooks/websec"
	"simpul/sync/protocol"
)

// Hub serves the sync endpoints of one app.
type Hub struct {
	app core.App
	// Rate (requests a second) and Burst limit requests per node.
	Rate  rate.Limit
	Burst int

	buckets *websec.Buckets

	// failures counts requests that fail authentication per client
	// address (websec.AddressKey): unsigned traffic is limited there,
	// never on the node whose id it names.
	failures *websec.Guesses
}

// Limit on requests that fail authentication, per client address: a node
// with a skewed clock fails once a pass (every few minutes); someone
// probing for a key fails far more often.
const (
	AuthFailures      = 20
	AuthFailureWindow = 15 * time.Minute
	maxFailureKeys    = 10_000
)

// New returns a hub for app with the default limits.
func New(app core.App) *Hub {
	return &Hub{app: app, Rate: 20, Burst: 60, buckets: websec.NewBuckets(maxNodes),
		failures: websec.NewGuesses(AuthFailureWindow, maxFailureKeys, AuthFailures)}
}

// Bind adds the push and pull routes to app's route table.
func (h *Hub) Bind() {
	routes.Add(h.app, routes.Group{Routes: []routes.Route{
		{Method: http.MethodPost, Path: protocol.PushPath, Who: routes.Node, Handler: h.handlePush},
		{Method: http.MethodGet, Path: protocol.PullPath, Who: routes.Node, Handler: h.handlePull},
		// Version 1 nodes are told to upgrade (426).
		{Method: http.MethodPost, Path: protocol.PushPathV1, Who: routes.Node, Handler: upgradeRequired},
		{Method: http.MethodGet, Path: protocol.PullPathV1, Who: routes.Node, Handler: upgradeRequired},
	}})
	bindCopies(h.app)
}

// upgradeRequired answers a version 1 node: 426 and what to do. Its
// outbox keeps every change, so nothing is lost while it waits.
func upgradeRequired(e *core.RequestEvent) error {
	return e.Error(http.StatusUpgradeRequired, protocol.UpgradeMessage, nil)
}

// bindCopies keeps a case's sync bookkeeping on every save made on this
// level (a transition, a follow-up, an edit, a rating): its revision grows
// and the change is this office's own (rev_by empty). And when this office
// routes a case to one of its child offices (its office becomes the
// child's code), it records that the child holds a copy from the routing
// event on: the event appended next, in the same transaction (the single
// writer makes its rowid max + 1).
func bindCopies(app core.App) {
	app.OnRecordUpdate(model.Complaints).BindFunc(func(e *core.RecordEvent) error {
		var stored struct {
			Office string `db:"office"`
			Rev    int    `db:"state_rev"`
		}
		// Read in the update's own transaction: a revision taken from a
		// stale copy of the record would be counted twice.
		if err := e.App.DB().Select("office", "state_rev").From(model.Complaints).Where(idIs(e.Record.Id)).One(&stored); err != nil {
			return fmt.Errorf("hub: revision of %s: %w", e.Record.Id, err)
		}
		before := stored.Office
		e.Record.Set("state_rev", stored.Rev+1)
		e.Record.Set("rev_by", "")
		if err := e.Next(); err != nil {
			return err
		}
		office := e.Record.GetString("office")
		if office == "" || office == before {
			return nil
		}
		var nodeID string
		err := e.App.DB().Select("id").From(model.Nodes).Where(dbx.HashExp{"code": office, "active": true}).Row(&nodeID)
		if err != nil {
			return nil // not a child office of this hub
		}
		_, err = e.App.DB().NewQuery(`INSERT INTO ` + model.SyncCopies + ` (id, complaint, node, since_seq, created)
			SELECT {:id}, {:c}, {:n}, (SELECT coalesce(max(rowid), 0) + 1 FROM complaint_events), {:at}
			WHERE NOT EXISTS (SELECT 1 FROM ` + model.SyncCopies + ` WHERE node = {:n} AND complaint = {:c})`).
			Bind(dbx.Params{"id": model.NewID(), "c": e.Record.Id, "n": nodeID, "at": types.NowDateTime().String()}).Execute()
		if err != nil {
			return fmt.Errorf("hub: copies: %w", err)
		}
		return nil
	})
}

// Commands returns the hub's CLI commands ("nodes add").
func Commands(app core.App) []*cobra.Command {
	return []*cobra.Command{nodesCommand(app)}
}

// maxNodes bounds the rate limiter's memory (only registered nodes get a
// bucket: the node is looked up first).
const maxNodes = 100_000

// allow takes one token from node's bucket; when there is none it returns
// false and how long until there is.
func (h *Hub) allow(node string) (bool, time.Duration) {
	return h.buckets.Take(node, h.Rate, h.Burst, clock.Now(h.app))
}

// authenticate checks the request's signature and only then charges the
// node's budget, so that nobody who merely knows a node's id can spend it
// and block that node's sync. Every request takes a slot of its address's
// budget of failed authentications first (before the node is looked up or
// the body read) and gives it back once the signature holds: unsigned and
// forged traffic is limited per address, and N forgeries sent at once
// never get more than AuthFailures checked. It returns the node, the raw
// body and the request's signature (the parent's answer is bound to it).
// Every failure is a 4xx and nothing has been read into the database.
func (h *Hub) authenticate(e *core.RequestEvent) (*core.Record, []byte, string, error) {
	guess, wait := h.failures.Reserve(clock.Now(h.app), websec.AddressKey(e.RealIP()))
	if guess == nil {
		e.Response.Header().Set("Retry-After", websec.RetryAfter(wait))
		return nil, nil, "", e.TooManyRequestsError("Too many failed sync authentications from this address; retry later.", nil)
	}
	nodeID := e.Request.Header.Get(protocol.HeaderNode)
	ts, tsErr := strconv.ParseInt(e.Request.Header.Get(protocol.HeaderTimestamp), 10, 64)
	sig := e.Request.Header.Get(protocol.HeaderSignature)
	if nodeID == "" || tsErr != nil || sig == "" {
		return nil, nil, "", e.UnauthorizedError("Missing or malformed sync signature headers.", nil)
	}
	node, err := h.app.FindRecordById(model.Nodes, nodeID)
	if err != nil || !node.GetBool("active") || node.GetString("key_hash") == "" {
		return nil, nil, "", e.UnauthorizedError("Unknown or inactive node.", nil)
	}
	body, err := protocol.ReadLimited(e.Request.Body)
	if errors.Is(err, protocol.ErrTooLarge) {
		return nil, nil, "", e.Error(http.StatusRequestEntityTooLarge, "Sync body too large.", nil)
	}
	if err != nil {
		return nil, nil, "", e.BadRequestError("Could not read the sync body.", nil)
	}
	key, err := hexKey(node.GetString("key_hash"))
	if err != nil {
		return nil, nil, "", e.UnauthorizedError("Unknown or inactive node.", nil)
	}
	err = protocol.Verify(key, e.Request.Method, e.Request.URL.RequestURI(), ts, body, sig, clock.Now(h.app), protocol.ReplayWindow)
	if err != nil {
		h.app.Logger().Warn("sync_auth_failed", "node_id", node.Id, "reason", err.Error())
		return nil, nil, "", e.UnauthorizedError("Bad or expired sync signature.", nil)
	}
	guess.Release()
	if ok, wait := h.allow(node.Id); !ok {
		e.Response.Header().Set("Retry-After", websec.RetryAfter(wait))
		return nil, nil, "", e.TooManyRequestsError("Too many sync requests from this node; retry later.", nil)
	}
	return node, body, sig, nil
}

func (h *Hub) handlePush(e *core.RequestEvent) error {
	node, body, reqSig, err := h.authenticate(e)
	if err != nil {
		return err
	}
	if ce := e.Request.Header.Get("Content-Encoding"); ce != "gzip" {
		return e.Error(http.StatusUnsupportedMediaType, "Sync bodies must be gzip-compressed JSON (Content-Encoding: gzip).", nil)
	}
	req, err := protocol.DecodePush(body)
	if errors.Is(err, protocol.ErrTooLarge) {
		return e.Error(http.StatusRequestEntityTooLarge, "Sync body too large once decompressed.", nil)
	}
	if err != nil {
		return e.BadRequestError("Invalid push body: "+err.Error(), nil)
	}
	res, err := ApplyPush(h.app, node, req)
	if err != nil {
		h.app.Logger().Error("sync_push_failed", "node_id", node.Id, "changes", len(req.Changes), "error", err.Error())
		return e.InternalServerError("The push could not be applied; nothing was changed. Retry later.", nil)
	}
	h.touch(node, "")
	h.app.Logger().Info("sync_push", "node_id", node.Id, "changes", len(req.Changes))
	return writeSigned(e, node, reqSig, res)
}

func (h *Hub) handlePull(e *core.RequestEvent) error {
	node, _, reqSig, err := h.authenticate(e)
	if err != nil {
		return err
	}
	q := e.Request.URL.Query()
	cursor, err := strconv.ParseInt(q.Get("cursor"), 10, 64)
	if q.Get("cursor") == "" {
		cursor, err = 0, nil
	}
	if err != nil || cursor < 0 {
		return e.BadRequestError("cursor must be a non-negative integer.", nil)
	}
	limit := 500
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > protocol.MaxItemsPerPull {
			return e.BadRequestError("limit must be between 1 and 1000.", nil)
		}
		limit = n
	}
	res, err := Feed(h.app, node.Id, cursor, limit)
	if err != nil {
		h.app.Logger().Error("sync_pull_failed", "node_id", node.Id, "error", err.Error())
		return e.InternalServerError("The pull failed; retry later.", nil)
	}
	h.touch(node, "")
	return writeSigned(e, node, reqSig, res)
}

// touch records when the node was last seen; it is informational, so a
// failure is only logged.
func (h *Hub) touch(node *core.Record, lastErr string) {
	_, err := h.app.DB().Update(model.Nodes, dbx.Params{
		"last_seen_at": clock.Now(h.app).UTC().Format("2006-01-02 15:04:05.000Z"), "last_error": lastErr,
	}, idIs(node.Id)).Execute()
	if err != nil {
		h.app.Logger().Warn("sync_node_touch_failed", "node_id", node.Id, "error", err.Error())
	}
}

// writeSigned answers v gzip-compressed and signed for node
// (protocol.SignAnswer), bound to the request's signature, so that the
// child can tell the parent's answer from a man in the middle's.
func writeSigned(e *core.RequestEvent, node *core.Record, reqSig string, v any) error {
	b, err := protocol.Encode(v)
	if err != nil {
		return e.InternalServerError("Could not encode the answer.", nil)
	}
	key, err := hexKey(node.GetString("key_hash"))
	if err != nil {
		return e.InternalServerError("Could not sign the answer.", nil)
	}
	e.Response.Header().Set("Content-Encoding", "gzip")
	e.Response.Header().Set(protocol.HeaderAnswerSignature, protocol.SignAnswer(key, reqSig, b))
	return e.Blob(http.StatusOK, "application/json", b)
}
