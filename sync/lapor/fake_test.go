package lapor_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLapor is a local SP4N-LAPOR! speaking the publicly documented legacy
// shape: a report is a form POST carrying the agency token in a field; the
// answer is JSON with a tracking id and a transaction id. It records every
// request it receives (headers and raw body), whatever it answers, and
// stores a report only when it answers with a tracking id.
type fakeLapor struct {
	srv   *httptest.Server
	token string

	mu sync.Mutex
	// mode: "ok"; "nested" (ids under "data"); "500"; "408"; "429";
	// "drop" (connection closed without an answer); "hang" (no
	// answer until the client gives up); "401"; "404"; "302"; "html" (200
	// with a web page); "noid" (200 JSON without a tracking id);
	// "fail-after" (okLeft reports stored, then 500).
	mode   string
	okLeft int
	// refuse answers this status for the report with this reference.
	refuse map[string]int
	// Shape knobs, for mapping overrides.
	tokenField, tokenHeader, refField, trackingKey, transactionKey string

	requests []capture
	stored   []map[string]string // accepted reports, in order
	seq      int
}

type capture struct {
	header http.Header
	body   []byte
	fields map[string]string
}

func newFakeLapor(t testing.TB) *fakeLapor {
	f := &fakeLapor{token: "tok-kab-contoh-123", mode: "ok", refuse: map[string]int{},
		tokenField: "KEYTOKEN", refField: "external_id", trackingKey: "TrackingID", transactionKey: "TransactionID"}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the report endpoint.
func (f *fakeLapor) URL() string { return f.srv.URL + "/api/v1/laporan" }

func (f *fakeLapor) set(mode string) { f.mu.Lock(); f.mode = mode; f.mu.Unlock() }

func (f *fakeLapor) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.requests) }

func (f *fakeLapor) reports() []map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.stored...)
}

func (f *fakeLapor) captures() []capture {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]capture(nil), f.requests...)
}

// byRef counts the stored reports per reference (our tracking code).
func (f *fakeLapor) byRef() map[string]int {
	out := map[string]int{}
	for _, r := range f.reports() {
		out[r[f.refField]]++
	}
	return out
}

func (f *fakeLapor) answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeLapor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	fields := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &fields)
	} else if vals, err := url.ParseQuery(string(body)); err == nil {
		for k := range vals {
			fields[k] = vals.Get(k)
		}
	}
	f.mu.Lock()
	f.requests = append(f.requests, capture{header: r.Header.Clone(), body: body, fields: fields})
	mode := f.mode
	f.mu.Unlock()

	if r.Method != http.MethodPost {
		f.answer(w, http.StatusMethodNotAllowed, map[string]any{"message": "method"})
		return
	}
	switch mode {
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	case "500":
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	case "408":
		http.Error(w, "Request Timeout", http.StatusRequestTimeout)
		return
	case "drop":
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	case "429":
		w.Header().Set("Retry-After", "60")
		f.answer(w, http.StatusTooManyRequests, map[string]any{"message": "terlalu banyak permintaan"})
		return
	case "404":
		http.NotFound(w, r)
		return
	case "302":
		http.Redirect(w, r, "https://lapor.example/login", http.StatusFound)
		return
	case "html":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Silakan masuk</body></html>")
		return
	}
	tok := fields[f.tokenField]
	if f.tokenHeader != "" {
		tok = strings.TrimPrefix(r.Header.Get(f.tokenHeader), "Bearer ")
	}
	if mode == "401" || tok != f.token {
		f.answer(w, http.StatusUnauthorized, map[string]any{"success": false, "message": "token tidak valid"})
		return
	}
	ref := fields[f.refField]
	f.mu.Lock()
	refuse := f.refuse[ref]
	failNow := mode == "fail-after" && f.okLeft <= 0
	if mode == "fail-after" && !failNow {
		f.okLeft--
	}
	f.mu.Unlock()
	switch {
	case refuse != 0:
		f.answer(w, refuse, map[string]any{"success": false, "message": "Topik tidak dikenal"})
		return
	case mode == "noid":
		f.answer(w, http.StatusOK, map[string]any{"success": false, "message": "Data laporan tidak lengkap"})
		return
	case failNow:
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	f.mu.Lock()
	f.seq++
	tid := fmt.Sprintf("%d", 5000000+f.seq)
	f.stored = append(f.stored, fields)
	f.mu.Unlock()
	ids := map[string]any{f.trackingKey: tid, f.transactionKey: fmt.Sprintf("TRX-%04d", f.seq)}
	if mode == "nested" {
		f.answer(w, http.StatusOK, map[string]any{"success": true, "message": "Laporan berhasil dikirim", "data": ids})
		return
	}
	ids["success"], ids["message"] = true, "Laporan berhasil dikirim"
	// A number, as some answers carry it: the adapter must read both.
	ids[f.trackingKey] = 5000000 + f.seq
	f.answer(w, http.StatusOK, ids)
}

// trackingIDFor is the id the fake gave the report stored n-th (1-based).
func trackingIDFor(n int) string { return fmt.Sprintf("%d", 5000000+n) }
