package main

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
)

// laporFake is SP4N-LAPOR! at the national edge of a tree of real
// processes: an httptest server in the test process that the top office's
// "simpul serve" talks to. It answers the calls laporMapping names (the
// report, a look-up by our reference, follow-ups, status changes, the
// closing, the reports disposed to the agency), keeps what it stored per
// report and every request body, and can lose the answer to the next
// report it stores (stored, then the connection closed). It keeps a later
// call once per reference (the event's uid the mapping sends as "ref", a
// de-duplication key) and counts the calls it received again.
type laporFake struct {
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	loseNext bool
	seq      int
	bodies   []string
	byID     map[string]*laporCase
	creates  map[string]int // reports stored, by our reference
	refs     map[string]bool
	repeats  int // later calls received again with a reference already kept
	lookups  int
	disposed []map[string]any
}

// laporCase is what the fake holds of one report.
type laporCase struct {
	ref       string
	followups []string // texts, in order
	statuses  []string
	closings  []string
}

// laporMapping names every later call at the fake's paths (sync/lapor
// Mapping; docs/lapor-adapter.md).
const laporMapping = `{"default_topic": "99",
 "statuses": {"terdisposisi": "2", "proses": "3", "selesai": "4", "bukan_wewenang": "9"},
 "lookup": {"path": "/api/v1/laporan/cari", "method": "GET", "fields": {"reference": "external_id"}},
 "followup": {"path": "/api/v1/laporan/{tracking_id}/tindak-lanjut", "fields": {"content": "isi", "date": "tanggal", "reference": "ref"}},
 "status": {"path": "/api/v1/laporan/{tracking_id}/status", "fields": {"status": "status", "note": "catatan", "reference": "ref"}},
 "close": {"path": "/api/v1/laporan/{tracking_id}/selesai", "fields": {"content": "isi", "reference": "ref"}},
 "pull": {"path": "/api/v1/instansi/laporan", "fields": {"since": "sejak"}, "list_field": "data",
  "report": {"tracking_id": "TrackingID", "title": "judul", "content": "isi", "topic": "topic_id", "date": "tanggal", "location": "lokasi"}}}`

func newLaporFake(t *testing.T) *laporFake {
	f := &laporFake{token: "tok-kab-uji-123", byID: map[string]*laporCase{}, creates: map[string]int{}, refs: map[string]bool{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// url is the report endpoint (SIMPUL_LAPOR_URL).
func (f *laporFake) url() string { return f.srv.URL + "/api/v1/laporan" }

func (f *laporFake) answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (f *laporFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	fields := map[string]string{}
	if vals, err := url.ParseQuery(string(body)); err == nil {
		for k := range vals {
			fields[k] = vals.Get(k)
		}
	}
	for k, v := range r.URL.Query() {
		fields[k] = v[0]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies = append(f.bodies, r.URL.RawQuery+"\n"+string(body))
	if fields["KEYTOKEN"] != f.token {
		f.answer(w, http.StatusUnauthorized, map[string]any{"success": false, "message": "token tidak valid"})
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	parts := strings.Split(p, "/")
	switch {
	case p == "laporan" && r.Method == http.MethodPost:
		f.seq++
		tid := fmt.Sprint(5000000 + f.seq)
		ref := fields["external_id"]
		f.byID[tid] = &laporCase{ref: ref}
		f.creates[ref]++
		if f.loseNext {
			f.loseNext = false
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		f.answer(w, http.StatusOK, map[string]any{"success": true, "TrackingID": tid, "TransactionID": "TRX-" + tid})
	case p == "laporan/cari":
		f.lookups++
		list := []any{}
		for tid, c := range f.byID {
			if c.ref != "" && c.ref == fields["external_id"] {
				list = append(list, map[string]any{"TrackingID": tid})
			}
		}
		f.answer(w, http.StatusOK, map[string]any{"success": true, "data": list})
	case p == "instansi/laporan":
		f.answer(w, http.StatusOK, map[string]any{"success": true, "data": f.disposed})
	case len(parts) == 3 && parts[0] == "laporan" && f.byID[parts[1]] != nil:
		c := f.byID[parts[1]]
		if ref := fields["ref"]; ref != "" && f.refs[ref] {
			f.repeats++
			f.answer(w, http.StatusOK, map[string]any{"success": true})
			return
		} else if ref != "" {
			f.refs[ref] = true
		}
		switch parts[2] {
		case "tindak-lanjut":
			c.followups = append(c.followups, fields["isi"])
		case "status":
			c.statuses = append(c.statuses, fields["status"])
		case "selesai":
			c.closings = append(c.closings, fields["isi"])
		default:
			f.answer(w, http.StatusNotFound, map[string]any{"message": "tidak ada"})
			return
		}
		f.answer(w, http.StatusOK, map[string]any{"success": true})
	default:
		f.answer(w, http.StatusNotFound, map[string]any{"message": "tidak ada"})
	}
}

// dispose makes LAPOR! list a report it disposed to the agency.
func (f *laporFake) dispose(tid, title, content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[tid] = &laporCase{}
	f.disposed = append(f.disposed, map[string]any{"TrackingID": tid, "judul": title, "isi": content,
		"topic_id": "99", "tanggal": "2026-03-03", "lokasi": "Pasar Baru"})
}

// report is what the fake holds of the report with reference ref, and its
// tracking id.
func (f *laporFake) report(ref string) (string, laporCase) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for tid, c := range f.byID {
		if c.ref == ref {
			return tid, *c
		}
	}
	return "", laporCase{}
}

// stored counts the reports stored per reference.
func (f *laporFake) stored() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.creates {
		out[k] = v
	}
	return out
}

// saw reports whether any request LAPOR! received carried s.
func (f *laporFake) saw(s string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.bodies {
		if strings.Contains(b, s) || strings.Contains(b, url.QueryEscape(s)) {
			return true
		}
	}
	return false
}
