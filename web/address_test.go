package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestCallerAddress(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	for _, tt := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},                  // not from a proxy: the header is ignored
		{"10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},                    // from the proxy: believed
		{"10.1.2.3:5000", "6.6.6.6, 198.51.100.1, 10.9.9.9", "198.51.100.1"}, // the last hop that is not a proxy
		{"10.1.2.3:5000", "not an address", "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.callerAddress(r); got != tt.want {
			t.Errorf("from %s with X-Forwarded-For %q: %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	count := funcs["count"].(func(int) string)
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 2000: "2,000", 100000: "100,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
