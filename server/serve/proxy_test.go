//go:build !js

package serve_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/api"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

const maxFailures = 3

// attempt logs in from the loopback address from (all of 127.0.0.0/8 is on
// lo) with extra headers, and returns the answer.
func attempt(t *testing.T, s *testkit.Server, from, email, password string, hdr ...string) *http.Response {
	t.Helper()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext,
	}}
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	req, _ := http.NewRequestWithContext(context.Background(), "POST", s.URL+"/api/v2/auth/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("login from %s: %v", from, err)
	}
	res.Body.Close()
	return res
}

// failFrom makes enough failed logins to lock an address (each with
// another email, so only the address counts them: 4 × maxFailures, the
// per-address limit) from the peer from with headers hdr.
func failFrom(t *testing.T, s *testkit.Server, from string, hdr ...string) {
	t.Helper()
	for i := 0; i < 4*maxFailures; i++ {
		if res := attempt(t, s, from, fmt.Sprintf("nobody%d@example.com", i), "wrong", hdr...); res.StatusCode != 401 {
			t.Fatalf("failure %d: status %d, want 401", i, res.StatusCode)
		}
	}
}

func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	return nil
}

// TestForwardedHeaders: X-Forwarded-For and X-Forwarded-Proto count only
// when the direct peer is in trusted_proxies. Seen through the login
// throttle, which is keyed by client address, and the session cookie's
// Secure flag.
func TestForwardedHeaders(t *testing.T) {
	start := func(t *testing.T, trusted ...string) *testkit.Server {
		return testkit.Start(t, func(c *config.Config) {
			c.TrustedProxies = trusted
			c.Auth.MaxFailures = maxFailures
			c.Auth.LockDuration = config.Duration(10 * time.Minute)
		})
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.2:1", time.Second); err == nil {
		c.Close()
	} else if !strings.Contains(err.Error(), "refused") {
		t.Skipf("SKIP: 127.0.0.2 is not usable on this machine: %v", err)
	}
	const admin, password = testkit.AdminEmail, testkit.AdminPassword
	xff := func(ip string) []string { return []string{"X-Forwarded-For", ip} }

	t.Run("from a trusted proxy", func(t *testing.T) {
		s := start(t, "127.0.0.0/30") // 127.0.0.1-3 are proxies, 127.0.0.9 is not
		failFrom(t, s, "127.0.0.1", xff("198.51.100.7")...)
		failFrom(t, s, "127.0.0.3")
		tests := []struct {
			name, from string
			hdr        []string
			status     int
		}{
			{"the forwarded address is throttled", "127.0.0.1", xff("198.51.100.7"), 429},
			{"another forwarded address is not", "127.0.0.1", xff("198.51.100.8"), 200},
			{"the proxy itself is not", "127.0.0.1", nil, 200},
			{"without the header a proxy is keyed by its address", "127.0.0.3", nil, 429},
			{"so another proxy without the header is not throttled", "127.0.0.2", nil, 200},
			{"an untrusted peer's header is ignored", "127.0.0.9", xff("198.51.100.7"), 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if res := attempt(t, s, tt.from, admin, password, tt.hdr...); res.StatusCode != tt.status {
					t.Errorf("status %d, want %d", res.StatusCode, tt.status)
				}
			})
		}
		secure := []struct {
			name, from string
			hdr        []string
			want       bool
		}{
			{"https from the proxy", "127.0.0.1", []string{"X-Forwarded-Proto", "https"}, true},
			{"plain from the proxy", "127.0.0.1", nil, false},
			{"https claimed by an untrusted peer", "127.0.0.9", []string{"X-Forwarded-Proto", "https"}, false},
		}
		for _, tt := range secure {
			t.Run(tt.name, func(t *testing.T) {
				res := attempt(t, s, tt.from, admin, password, tt.hdr...)
				c := sessionCookie(res)
				if res.StatusCode != 200 || c == nil {
					t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Header.Values("Set-Cookie"))
				}
				if c.Secure != tt.want {
					t.Errorf("Secure = %v, want %v", c.Secure, tt.want)
				}
			})
		}
	})

	t.Run("from an untrusted peer", func(t *testing.T) {
		s := start(t, "10.0.0.0/8")
		// Failures with a forged header naming another client...
		failFrom(t, s, "127.0.0.1", xff("127.0.0.2")...)
		// ...do not lock that client out,
		if res := attempt(t, s, "127.0.0.2", admin, password); res.StatusCode != 200 {
			t.Errorf("the address named in the forged header: status %d, want 200", res.StatusCode)
		}
		// and count against the real peer, whatever it claims to be.
		if res := attempt(t, s, "127.0.0.1", admin, password, xff("198.51.100.8")...); res.StatusCode != 429 {
			t.Errorf("the forging peer: status %d, want 429", res.StatusCode)
		}
		res := attempt(t, s, "127.0.0.2", admin, password, "X-Forwarded-Proto", "https")
		if c := sessionCookie(res); c == nil || c.Secure {
			t.Errorf("X-Forwarded-Proto from an untrusted peer: cookie %v, want a session cookie without Secure", c)
		}
	})
}
