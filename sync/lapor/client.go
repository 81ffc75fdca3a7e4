package lapor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// kind is what an answer (or its absence) means for what was sent.
type kind int

const (
	// answered: a 2xx JSON answer. Whether it confirms is the caller's to
	// judge (a report needs a tracking id).
	answered kind = iota
	// notSent: the request never reached LAPOR! (no connection, no such
	// host) or LAPOR! said it took nothing (429): retrying cannot double.
	notSent
	// unconfirmed: the request may have been stored (5xx, time-out, a
	// connection cut before the answer, 408): retry with care.
	unconfirmed
	// refused: a definite refusal of this request (another 4xx); final
	// until staff fix and resend.
	refused
	// misconfigured: the token (401, 403) or the URL (404, 405, a redirect,
	// an answer that is not JSON) is wrong; nothing is judged until fixed.
	misconfigured
)

// result is one call's outcome. err says why for every kind but answered
// (it never carries the full URL: a query might hold a secret); a refusal's
// err is what staff read.
type result struct {
	kind   kind
	status int // HTTP status, 0 without an answer
	answer map[string]any
	err    error
}

// systemic reports whether the outcome is about LAPOR! or the link rather
// than one request: the pass stops and retries later with the syncer's
// backoff, instead of going on and failing every report the same way.
func (r result) systemic() bool {
	return r.kind == notSent || r.kind == unconfirmed || r.kind == misconfigured
}

// call makes one request: path on the configured host, fields in the query
// (GET) or the body, the token as the mapping says.
func (a *Adapter) call(ctx context.Context, m Mapping, method, path string, fields map[string]string) result {
	base, err := url.Parse(a.cfg.URL)
	if err != nil {
		return result{kind: misconfigured, err: fmt.Errorf("lapor: SIMPUL_LAPOR_URL: %w", err)}
	}
	target := *base
	if path != "" {
		target.Path, target.RawPath, target.RawQuery = path, "", ""
		if p, q, ok := strings.Cut(path, "?"); ok {
			target.Path, target.RawQuery = p, q
		}
	}
	all := make(map[string]string, len(fields)+len(m.Extra)+1)
	for k, v := range m.Extra {
		all[k] = v
	}
	for k, v := range fields {
		all[k] = v
	}
	if name := m.Fields[FieldToken]; name != "" {
		all[name] = a.cfg.Token
	}
	if method == "" {
		method = http.MethodPost
	}
	method = strings.ToUpper(method)
	var body io.Reader
	contentType := ""
	if method == http.MethodGet {
		q := target.Query()
		for k, v := range all {
			q.Set(k, v)
		}
		target.RawQuery = q.Encode()
	} else if m.Encoding == EncodingJSON {
		b, err := json.Marshal(all)
		if err != nil {
			return result{kind: misconfigured, err: fmt.Errorf("lapor: encode: %w", err)}
		}
		body, contentType = bytes.NewReader(b), "application/json"
	} else {
		form := url.Values{}
		for k, v := range all {
			form.Set(k, v)
		}
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		return result{kind: misconfigured, err: fmt.Errorf("lapor: SIMPUL_LAPOR_URL: %w", err)}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if m.TokenHeader != "" {
		req.Header.Set(m.TokenHeader, m.TokenPrefix+a.cfg.Token)
	}
	host := req.URL.Host
	res, err := a.Client.Do(req)
	if err != nil {
		// Not the *url.Error text: the URL might carry a secret in its query.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		k := unconfirmed
		var op *net.OpError
		var dns *net.DNSError
		if (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns) {
			k = notSent // the request never left
		}
		return result{kind: k, err: fmt.Errorf("lapor: %s to %s: %w", method, host, err)}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return result{kind: unconfirmed, status: res.StatusCode, err: fmt.Errorf("lapor: read answer from %s: %w", host, err)}
	}
	var answer map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	isJSON := dec.Decode(&answer) == nil
	code := res.StatusCode
	r := result{status: code, answer: answer}
	switch {
	case code == http.StatusTooManyRequests:
		r.kind, r.err = notSent, fmt.Errorf("lapor: LAPOR! answered %d; retrying later", code)
	case code >= 500:
		r.kind, r.err = unconfirmed, fmt.Errorf("lapor: LAPOR! answered %d; retrying later", code)
	case code == http.StatusRequestTimeout:
		// Worded so that upstream.ErrorKind files it with timeouts.
		r.kind, r.err = unconfirmed, fmt.Errorf("lapor: LAPOR! reported a request timeout (HTTP %d); retrying later", code)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		r.kind, r.err = misconfigured, fmt.Errorf("lapor: LAPOR! answered %d: check SIMPUL_LAPOR_TOKEN", code)
	case code >= 300 && code < 400:
		r.kind, r.err = misconfigured, fmt.Errorf("lapor: LAPOR! answered %d (redirect to %q): check SIMPUL_LAPOR_URL", code, redirectHost(res))
	case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
		r.kind, r.err = misconfigured, fmt.Errorf("lapor: LAPOR! answered %d at %s: check SIMPUL_LAPOR_URL", code, host)
	case code >= 400:
		reason := fmt.Sprintf("LAPOR! refused it (%d)", code)
		if msg := lookup(answer, m.MessageField); msg != "" {
			reason += ": " + clip(msg, 200)
		}
		r.kind, r.err = refused, errors.New(reason)
	case code < 200:
		r.kind, r.err = unconfirmed, fmt.Errorf("lapor: LAPOR! answered %d", code)
	case !isJSON && len(bytes.TrimSpace(raw)) > 0:
		// A web page where an API should answer: the URL is wrong. It may
		// still have stored something, so a report is looked up first.
		r.kind, r.err = misconfigured, fmt.Errorf("lapor: LAPOR! answered %d without JSON: check SIMPUL_LAPOR_URL", code)
	default:
		r.kind = answered
	}
	return r
}

// pathWith fills "{tracking_id}" and "{reference}" in a call's path.
func pathWith(path, trackingID, reference string) string {
	return strings.NewReplacer("{tracking_id}", url.PathEscape(trackingID), "{reference}", url.PathEscape(reference)).Replace(path)
}

// named returns the fields of a call from our keys, as the call names them
// (a key the call does not name is not sent).
func named(c Call, values map[string]string) map[string]string {
	out := make(map[string]string, len(values))
	for k, v := range values {
		if name := c.Fields[k]; name != "" {
			out[name] = v
		}
	}
	return out
}

func redirectHost(res *http.Response) string {
	if u, err := res.Location(); err == nil {
		return u.Scheme + "://" + u.Host + u.Path
	}
	return ""
}

// lookup finds key in the answer at the top level or under "data" (both
// shapes occur; "data" may also be a list, whose first object counts),
// exactly or else ignoring case.
func lookup(answer map[string]any, key string) string {
	if answer == nil || key == "" {
		return ""
	}
	v, ok := find(answer, key)
	if !ok {
		switch d := answer["data"].(type) {
		case map[string]any:
			v, _ = find(d, key)
		case []any:
			if len(d) > 0 {
				if first, isMap := d[0].(map[string]any); isMap {
					v, _ = find(first, key)
				}
			}
		}
	}
	return scalar(v)
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return ""
}

func find(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
