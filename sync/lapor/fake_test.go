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

// fakeLapor is a local SP4N-LAPOR! for the tests: the publicly documented
// legacy report (a form POST carrying the agency token in a field, a JSON
// answer with a tracking id and a transaction id) and, for the later calls
// the mapping may name, a look-up by our reference, follow-ups, status
// changes, the closing and the data-access list of reports disposed to the
// agency, at the paths of fullMapping. It records every request it
// receives (headers and raw body), whatever it answers, and keeps what it
// stored per report.
type fakeLapor struct {
	srv   *httptest.Server
	token string

	mu sync.Mutex
	// fault, per call ("create", "lookup", "followup", "status", "close",
	// "pull"), makes the next answers of that call go wrong:
	//   "500", "429", "408", "404": that status, nothing stored;
	//   "422": a refusal with a message, nothing stored;
	//   "401": the token refused;
	//   "hang": no answer until the client gives up, nothing stored;
	//   "drop": the connection closed before anything is stored;
	//   "lost": stored, then the connection closed (the answer is lost);
	//   "noid": 200 JSON without a tracking id, nothing stored;
	//   "html": 200 with a web page, nothing stored;
	//   "302": a redirect.
	// faultLeft counts how many answers the fault spoils (0: all).
	fault     map[string]string
	faultLeft map[string]int
	// refuseRef refuses the report whose reference is this code (422);
	// noidRef answers it 200 without a tracking id (and stores nothing).
	refuseRef, noidRef map[string]bool
	// Shape knobs, for mapping overrides.
	tokenField, tokenHeader, refField, trackingKey, transactionKey string

	requests []capture
	stored   []map[string]string // accepted reports, in order
	byID     map[string]*laporReport
	disposed []map[string]any // what the data-access list answers
	seq      int
}

// laporReport is what the fake holds of one report.
type laporReport struct {
	fields    map[string]string
	followups []map[string]string
	statuses  []string
	closed    []map[string]string
}

type capture struct {
	call   string
	method string
	path   string
	header http.Header
	body   []byte
	fields map[string]string
}

func newFakeLapor(t testing.TB) *fakeLapor {
	f := &fakeLapor{token: "tok-kab-contoh-123", fault: map[string]string{}, faultLeft: map[string]int{},
		refuseRef: map[string]bool{}, noidRef: map[string]bool{}, byID: map[string]*laporReport{},
		tokenField: "KEYTOKEN", refField: "external_id", trackingKey: "TrackingID", transactionKey: "TransactionID"}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the report endpoint (SIMPUL_LAPOR_URL).
func (f *fakeLapor) URL() string { return f.srv.URL + "/api/v1/laporan" }

// fullMapping names every later call at the fake's paths.
const fullMapping = `{"default_topic": "99",
 "statuses": {"terdisposisi": "2", "proses": "3", "selesai": "4", "bukan_wewenang": "9"},
 "lookup": {"path": "/api/v1/laporan/cari", "method": "GET", "fields": {"reference": "external_id"}},
 "followup": {"path": "/api/v1/laporan/{tracking_id}/tindak-lanjut", "fields": {"content": "isi", "date": "tanggal", "reference": "ref"}},
 "status": {"path": "/api/v1/laporan/{tracking_id}/status", "fields": {"status": "status", "note": "catatan"}},
 "close": {"path": "/api/v1/laporan/{tracking_id}/selesai", "fields": {"content": "isi"}},
 "pull": {"path": "/api/v1/instansi/laporan", "fields": {"since": "sejak"}, "list_field": "data",
  "report": {"tracking_id": "TrackingID", "title": "judul", "content": "isi", "topic": "topic_id", "date": "tanggal", "location": "lokasi"}}}`

// set spoils the next n answers of call with fault (n = 0: all of them);
// fault "" clears it.
func (f *fakeLapor) set(call, fault string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault[call], f.faultLeft[call] = fault, n
}

func (f *fakeLapor) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.requests {
		if call == "" || c.call == call {
			n++
		}
	}
	return n
}

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

// report returns what the fake holds under tracking id.
func (f *fakeLapor) report(id string) laporReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.byID[id]; r != nil {
		return *r
	}
	return laporReport{}
}

// byRef counts the stored reports per reference (our tracking code).
func (f *fakeLapor) byRef() map[string]int {
	out := map[string]int{}
	for _, r := range f.reports() {
		out[r[f.refField]]++
	}
	return out
}

// idOf is LAPOR!'s tracking id of the report stored with reference ref.
func (f *fakeLapor) idOf(ref string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, r := range f.byID {
		if r.fields[f.refField] == ref {
			return id
		}
	}
	return ""
}

// dispose adds a report LAPOR! disposed to the agency (the data-access
// list); LAPOR! holds it under its tracking id, for the later calls.
func (f *fakeLapor) dispose(r map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.disposed = append(f.disposed, r)
	if id := fmt.Sprint(r[f.trackingKey]); r[f.trackingKey] != nil {
		f.byID[id] = &laporReport{fields: map[string]string{}}
	}
}

// refuse makes LAPOR! refuse (422) or accept the report with reference ref.
func (f *fakeLapor) refuse(ref string, on bool) { f.mu.Lock(); f.refuseRef[ref] = on; f.mu.Unlock() }

// noID makes LAPOR! answer the report with reference ref without a
// tracking id (storing nothing), or normally.
func (f *fakeLapor) noID(ref string, on bool) { f.mu.Lock(); f.noidRef[ref] = on; f.mu.Unlock() }

func (f *fakeLapor) answer(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// callOf names the call a request is.
func callOf(r *http.Request) (call, id string) {
	p := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	switch {
	case p == "laporan":
		return "create", ""
	case p == "laporan/cari":
		return "lookup", ""
	case p == "instansi/laporan":
		return "pull", ""
	case strings.HasPrefix(p, "laporan/"):
		parts := strings.Split(strings.TrimPrefix(p, "laporan/"), "/")
		if len(parts) == 2 {
			switch parts[1] {
			case "tindak-lanjut":
				return "followup", parts[0]
			case "status":
				return "status", parts[0]
			case "selesai":
				return "close", parts[0]
			}
		}
	}
	return "unknown", ""
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
	for k, v := range r.URL.Query() {
		fields[k] = v[0]
	}
	call, id := callOf(r)
	f.mu.Lock()
	f.requests = append(f.requests, capture{call: call, method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: body, fields: fields})
	fault := f.fault[call]
	if fault != "" && f.faultLeft[call] > 0 {
		f.faultLeft[call]--
		if f.faultLeft[call] == 0 {
			f.fault[call] = ""
		}
	}
	f.mu.Unlock()

	switch fault {
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	case "500", "404", "408":
		code := map[string]int{"500": 500, "404": 404, "408": 408}[fault]
		http.Error(w, http.StatusText(code), code)
		return
	case "drop":
		hangUp(w)
		return
	case "429":
		w.Header().Set("Retry-After", "60")
		f.answer(w, http.StatusTooManyRequests, map[string]any{"message": "terlalu banyak permintaan"})
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
	if fault == "401" || tok != f.token {
		f.answer(w, http.StatusUnauthorized, map[string]any{"success": false, "message": "token tidak valid"})
		return
	}
	if fault == "422" {
		f.answer(w, http.StatusUnprocessableEntity, map[string]any{"success": false, "message": "Topik tidak dikenal"})
		return
	}
	switch call {
	case "create":
		f.create(w, fields, fault)
	case "lookup":
		f.mu.Lock()
		found := ""
		for tid, rep := range f.byID {
			if rep.fields[f.refField] == fields["external_id"] && fields["external_id"] != "" {
				found = tid
			}
		}
		f.mu.Unlock()
		if found == "" {
			f.answer(w, http.StatusOK, map[string]any{"success": true, "data": []any{}})
			return
		}
		f.answer(w, http.StatusOK, map[string]any{"success": true, "data": []any{map[string]any{f.trackingKey: found}}})
	case "followup", "status", "close":
		f.mu.Lock()
		rep := f.byID[id]
		if rep != nil {
			switch call {
			case "followup":
				rep.followups = append(rep.followups, fields)
			case "status":
				rep.statuses = append(rep.statuses, fields["status"])
			case "close":
				rep.closed = append(rep.closed, fields)
			}
		}
		f.mu.Unlock()
		if rep == nil {
			f.answer(w, http.StatusUnprocessableEntity, map[string]any{"success": false, "message": "laporan tidak ditemukan"})
			return
		}
		if fault == "lost" {
			hangUp(w)
			return
		}
		f.answer(w, http.StatusOK, map[string]any{"success": true, "message": "tersimpan"})
	case "pull":
		f.mu.Lock()
		list := append([]map[string]any(nil), f.disposed...)
		f.mu.Unlock()
		f.answer(w, http.StatusOK, map[string]any{"success": true, "data": list})
	default:
		f.answer(w, http.StatusNotFound, map[string]any{"message": "tidak ada"})
	}
}

func (f *fakeLapor) create(w http.ResponseWriter, fields map[string]string, fault string) {
	f.mu.Lock()
	refuse := f.refuseRef[fields[f.refField]]
	noid := f.noidRef[fields[f.refField]]
	f.mu.Unlock()
	switch {
	case refuse:
		f.answer(w, http.StatusUnprocessableEntity, map[string]any{"success": false, "message": "Topik tidak dikenal"})
		return
	case fault == "noid" || noid:
		f.answer(w, http.StatusOK, map[string]any{"success": false, "message": "Data laporan sedang diproses"})
		return
	}
	f.mu.Lock()
	f.seq++
	tid := fmt.Sprintf("%d", 5000000+f.seq)
	f.stored = append(f.stored, fields)
	f.byID[tid] = &laporReport{fields: fields}
	seq := f.seq
	f.mu.Unlock()
	if fault == "lost" {
		hangUp(w)
		return
	}
	// A number, as some answers carry it: the adapter must read both.
	f.answer(w, http.StatusOK, map[string]any{"success": true, "message": "Laporan berhasil dikirim",
		f.trackingKey: 5000000 + seq, f.transactionKey: fmt.Sprintf("TRX-%04d", seq)})
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}
