package config_test

import (
	"strings"
	"testing"

	"simpul/hooks/platform/config"
)

// A parent reached over plain http could be read and answered by anyone on
// the path: http:// is refused for both kinds of parent unless the lab
// flag says otherwise (docs/simpul.env.example).
func TestPlainHTTPParentRefused(t *testing.T) {
	node := map[string]string{"SIMPUL_NODE_ID": "n1", "SIMPUL_NODE_SECRET": "s1"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" accepted, else a part of the error
	}{
		{"https hub", map[string]string{"SIMPUL_UPSTREAM_URL": "https://simpul.kab.example"}, ""},
		{"http hub", map[string]string{"SIMPUL_UPSTREAM_URL": "http://simpul.kab.example"}, "SIMPUL_ALLOW_HTTP_UPSTREAM"},
		{"http hub on loopback", map[string]string{"SIMPUL_UPSTREAM_URL": "http://127.0.0.1:8090"}, "plain http"},
		{"http hub, lab", map[string]string{"SIMPUL_UPSTREAM_URL": "http://10.0.0.2:8090", "SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"}, ""},
		{"http LAPOR!", map[string]string{"SIMPUL_LAPOR_URL": "http://lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t"}, "plain http"},
		{"http LAPOR!, lab", map[string]string{"SIMPUL_LAPOR_URL": "http://lapor.example/api", "SIMPUL_LAPOR_TOKEN": "t",
			"SIMPUL_ALLOW_HTTP_UPSTREAM": "lab"}, ""},
		{"unknown flag value", map[string]string{"SIMPUL_UPSTREAM_URL": "http://10.0.0.2", "SIMPUL_ALLOW_HTTP_UPSTREAM": "kadang"}, "SIMPUL_ALLOW_HTTP_UPSTREAM"},
		{"not a URL", map[string]string{"SIMPUL_UPSTREAM_URL": "ftp://x"}, "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range node {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			_, err := config.Load(func(k string) string { return env[k] })
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
