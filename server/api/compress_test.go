package api

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"gzip", true}, {"gzip, deflate, br", true}, {"br;q=1.0, GZIP;q=0.5", true}, {"*", true},
		{"", false}, {"br", false}, {"deflate", false}, {"gzip;q=0", false}, {"gzip; q=0.000", false},
		{"gzip;q=0.001", true}, {"x-gzip", false},
	} {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
