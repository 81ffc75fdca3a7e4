package upstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"simpul/sync/protocol"
)

// Parent is what a pass talks to: another Simpul (HTTPParent) or, later,
// the national LAPOR! adapter behind the same two calls.
type Parent interface {
	Push(ctx context.Context, req protocol.PushRequest) (protocol.PushResponse, error)
	Pull(ctx context.Context, cursor int64, limit int) (protocol.PullResponse, error)
}

// HTTPParent is a parent Simpul reached over HTTP(S) with signed requests.
type HTTPParent struct {
	BaseURL string
	NodeID  string
	Key     []byte // protocol.DeriveKey(secret)
	Client  *http.Client
	Timeout time.Duration // per request
	now     func() time.Time

	// BytesSent and BytesReceived count body bytes on the wire.
	BytesSent, BytesReceived atomic.Int64
}

// NewHTTPParent returns a client for the parent at baseURL that signs
// with the time now tells (the node app's clock: clock.Func(app)).
func NewHTTPParent(baseURL, nodeID, secret string, now func() time.Time) *HTTPParent {
	return &HTTPParent{
		BaseURL: baseURL, NodeID: nodeID, Key: protocol.DeriveKey(secret),
		Client: &http.Client{}, Timeout: 30 * time.Second, now: now,
	}
}

// ErrUnsignedAnswer is a 200 answer without the parent's valid signature.
var ErrUnsignedAnswer = errors.New("upstream: the parent's answer is not signed with this node's key (wrong parent, or altered on the way)")

// StatusError is a non-200 answer from the parent.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("upstream: parent answered %d: %s", e.Code, e.Body)
}

func (p *HTTPParent) do(ctx context.Context, method, pathQuery string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.BaseURL+pathQuery, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("upstream: request: %w", err)
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
	}
	// Set explicitly, so the transport does not decompress behind our back
	// and the signature-free answer is decoded with our own limits.
	req.Header.Set("Accept-Encoding", "gzip")
	protocol.SetHeaders(req, p.NodeID, p.Key, body, p.now())
	reqSig := req.Header.Get(protocol.HeaderSignature)
	p.BytesSent.Add(int64(len(body)))
	res, err := p.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("upstream: %s %s: %w", method, pathQuery, err)
	}
	defer res.Body.Close()
	b, err := protocol.ReadLimited(res.Body)
	if err != nil {
		return nil, fmt.Errorf("upstream: read answer: %w", err)
	}
	p.BytesReceived.Add(int64(len(b)))
	if res.StatusCode != http.StatusOK {
		if len(b) > 300 {
			b = b[:300]
		}
		return nil, &StatusError{Code: res.StatusCode, Body: string(b)}
	}
	// Only the parent holds this node's key: an answer it did not sign
	// (a man in the middle's statuses, another request's answer replayed)
	// is refused before anything in it is applied.
	if err := protocol.VerifyAnswer(p.Key, reqSig, b, res.Header.Get(protocol.HeaderAnswerSignature)); err != nil {
		return nil, ErrUnsignedAnswer
	}
	return b, nil
}

// Push sends one batch and returns the parent's acknowledgements.
func (p *HTTPParent) Push(ctx context.Context, req protocol.PushRequest) (protocol.PushResponse, error) {
	body, err := protocol.Encode(req)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	b, err := p.do(ctx, http.MethodPost, protocol.PushPath, body)
	if err != nil {
		return protocol.PushResponse{}, err
	}
	return protocol.DecodePushResponse(b)
}

// Pull fetches one page of changes made above, after cursor.
func (p *HTTPParent) Pull(ctx context.Context, cursor int64, limit int) (protocol.PullResponse, error) {
	b, err := p.do(ctx, http.MethodGet, protocol.PullPath+"?cursor="+strconv.FormatInt(cursor, 10)+"&limit="+strconv.Itoa(limit), nil)
	if err != nil {
		return protocol.PullResponse{}, err
	}
	return protocol.DecodePull(b)
}
