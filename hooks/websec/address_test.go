package websec_test

import (
	"strings"
	"testing"

	"simpul/hooks/websec"
)

func TestAddressKey(t *testing.T) {
	a := websec.AddressKey("2001:db8:1:2:aaaa::1")
	b := websec.AddressKey("2001:db8:1:2:bbbb::9")
	c := websec.AddressKey("2001:db8:1:3::1")
	if a != b || a == c || !strings.HasSuffix(a, "/64") {
		t.Fatalf("IPv6 keys: %q %q %q", a, b, c)
	}
	if got := websec.AddressKey("::ffff:192.0.2.7"); got != "192.0.2.7" {
		t.Fatalf("mapped IPv4: %q", got)
	}
	if got := websec.AddressKey(" 192.0.2.8 "); got != "192.0.2.8" {
		t.Fatalf("IPv4: %q", got)
	}
	if got := websec.AddressKey("not an address"); got != "not an address" {
		t.Fatalf("unparsable: %q", got)
	}
}
