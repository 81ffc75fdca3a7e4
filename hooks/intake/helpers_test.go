package intake_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simpul/ui/testkit"
)

func serve(t testing.TB, app core.App) *httptest.Server { return testkit.Serve(t, app) }

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func do(t testing.TB, req *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, raw: string(b)}
	json.Unmarshal(b, &a.body)
	return a
}

func post(t testing.TB, srv *httptest.Server, body string, headers map[string]string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/api/complaints", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func get(t testing.TB, srv *httptest.Server, path string) answer {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	return do(t, req)
}

// pngHeader is a PNG whose header claims w×h pixels, followed by a tiny
// (for larger sizes, wrong) image body: intake reads only the header.
func pngHeader(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
		return b.Bytes()
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	// Deflate of two empty scanlines of a 2×2 image, from Go's encoder.
	idat := []byte{0x78, 0x9c, 0x62, 0x60, 0x60, 0x60, 0x00, 0x02, 0x00, 0x00, 0xff, 0xff, 0x03, 0x00, 0x00, 0x0d, 0x00, 0x01}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	b.Write(chunk("IHDR", ihdr))
	b.Write(chunk("IDAT", idat))
	b.Write(chunk("IEND", nil))
	return b.Bytes()
}
