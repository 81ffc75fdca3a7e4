package upstream_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"simpul/hooks/domain/model"
	"simpul/sync/protocol"
	"simpul/sync/upstream"
)

// mitm is a man in the middle between a node and its parent: it forwards
// every request and, on a pull answer, applies alter to the decompressed
// answer and its headers.
func mitm(t *testing.T, target string, alter func(body []byte, h http.Header) []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		answer, _ := io.ReadAll(res.Body)
		if r.Method == http.MethodGet && res.StatusCode == http.StatusOK {
			zr, err := gzip.NewReader(bytes.NewReader(answer))
			if err == nil {
				plain, _ := io.ReadAll(zr)
				plain = alter(plain, res.Header)
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write(plain)
				zw.Close()
				answer = buf.Bytes()
				res.Header.Del("Content-Length")
			}
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(answer)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A parent signs its answers with the node's key and the node checks them:
// a man in the middle who rewrites a pulled status (here: the hub's
// "terdisposisi" turned into "selesai"), or strips the signature, gets
// nothing applied; the pass fails as an authentication problem. Without
// the check the forged status was applied on the node.
func TestPulledAnswersAreSigned(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alter func(body []byte, h http.Header) []byte
	}{
		{"status rewritten", func(b []byte, _ http.Header) []byte {
			return bytes.ReplaceAll(b, []byte(`"`+model.StatusTerdisposisi+`"`), []byte(`"`+model.StatusSelesai+`"`))
		}},
		{"signature stripped", func(b []byte, h http.Header) []byte {
			h.Del(protocol.HeaderAnswerSignature)
			return b
		}},
		{"signature of another answer", func(b []byte, h http.Header) []byte {
			h.Set(protocol.HeaderAnswerSignature, strings.Repeat("0", 64))
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hubL, node := newLevel(t, "kab"), newLevel(t, "pkm")
			attach(t, node, hubL)
			_, anon, _ := seed(t, node)
			node.pass(t)
			transition(t, hubL.app, anon, model.StatusTerdisposisi)

			// The same node, its requests through the man in the middle.
			node.parent.BaseURL = mitm(t, hubL.srv.URL, tc.alter).URL
			sum, err := node.syncer.Pass(t.Context())
			if !errors.Is(err, upstream.ErrUnsignedAnswer) {
				t.Fatalf("pass through the man in the middle: %v (summary %+v), want ErrUnsignedAnswer", err, sum)
			}
			if sum.LastErrorKind != upstream.ErrKindAuth {
				t.Errorf("error kind %q, want %q", sum.LastErrorKind, upstream.ErrKindAuth)
			}
			if got := status(t, node.app, anon); got != model.StatusBaru {
				t.Fatalf("status on the node after a forged answer: %s, want %s (nothing applied)", got, model.StatusBaru)
			}
			// Straight to the parent, the real answer applies.
			node.parent.BaseURL = hubL.srv.URL
			node.pass(t)
			if got := status(t, node.app, anon); got != model.StatusTerdisposisi {
				t.Fatalf("status after an honest pass: %s", got)
			}
		})
	}
}

// The answer signature is bound to its request: the same answer for
// another request (another cursor, another time) does not verify.
func TestAnswerSignatureBoundToRequest(t *testing.T) {
	key := protocol.DeriveKey("a-known-test-secret-of-enough-length")
	body := []byte(`{"v":1,"items":[]}`)
	reqA := protocol.Sign(key, "GET", protocol.PullPath+"?cursor=0", 1767312000, nil)
	reqB := protocol.Sign(key, "GET", protocol.PullPath+"?cursor=7", 1767312000, nil)
	sig := protocol.SignAnswer(key, reqA, body)
	if err := protocol.VerifyAnswer(key, reqA, body, sig); err != nil {
		t.Fatalf("own answer: %v", err)
	}
	if protocol.VerifyAnswer(key, reqB, body, sig) == nil {
		t.Error("an answer verified for another request")
	}
	if protocol.VerifyAnswer(key, reqA, append(body, ' '), sig) == nil {
		t.Error("an altered answer verified")
	}
	if protocol.VerifyAnswer(protocol.DeriveKey("another-secret"), reqA, body, sig) == nil {
		t.Error("an answer verified with another node's key")
	}
	// A request signature is not an answer signature (and vice versa).
	if protocol.VerifyAnswer(key, reqA, nil, reqA) == nil {
		t.Error("a request signature passed as an answer's")
	}
}
