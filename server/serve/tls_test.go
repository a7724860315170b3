//go:build !js

package serve_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
	"github.com/ferryhq/ferry/server/testkit"
)

const testDomain = "ferry.test"

// httpsClient dials addr whatever host the URL names, and verifies the
// certificate for that host against roots. h2 picks HTTP/2 or HTTP/1.1.
func httpsClient(addr string, roots *x509.CertPool, h2 bool) *http.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: h2,
	}
	if !h2 {
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	return &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestAutomaticHTTPS runs Ferry with a domain against Pebble: it obtains a
// certificate at start-up and keeps it in data_dir/certs, serves the app
// over HTTPS with HTTP/2 and HTTP/1.1 (HSTS, Secure cookies, tus uploads
// streamed through both), redirects HTTP with 308, finishes running
// uploads when stopped, and after a restart with Pebble gone serves the
// stored certificate.
func TestAutomaticHTTPS(t *testing.T) {
	dataDir := t.TempDir()
	httpsPort, httpPort := strconv.Itoa(testkit.FreePort(t)), strconv.Itoa(testkit.FreePort(t))
	base := "https://" + testDomain + ":" + httpsPort
	var caURL, caRoot string
	var issuer *x509.CertPool
	var serial *big.Int
	cfg := func() config.Config {
		return load(t, map[string]string{
			"listen": "127.0.0.1:0", "data_dir": dataDir, "domains": testDomain,
			"https_listen": "127.0.0.1:" + httpsPort, "http_listen": "127.0.0.1:" + httpPort,
			"acme.ca": caURL, "acme.ca_root": caRoot, "acme.email": "ops@ferry.test",
		})
	}

	ok := t.Run("obtain and serve", func(t *testing.T) {
		pb := testkit.Pebble(t) // stopped when this subtest ends
		caURL, caRoot = pb.DirectoryURL, pb.RootCAFile
		issuer = x509.NewCertPool()
		if !issuer.AppendCertsFromPEM(pb.IssuerRootPEM(t)) {
			t.Fatal("no issuer root from Pebble")
		}
		start := time.Now()
		srv := run(t, cfg(), 20*time.Second)
		t.Logf("certificate obtained and server ready in %v", time.Since(start).Round(time.Millisecond))
		if srv.Addr != "127.0.0.1:"+httpsPort {
			t.Errorf("ready on %s, want the https_listen address", srv.Addr)
		}
		data := make([]byte, 6<<20+3)
		rand.Read(data)
		var clients []*testkit.Client
		for _, tc := range []struct {
			name  string
			h2    bool
			proto string
		}{{"http2", true, "HTTP/2.0"}, {"http1", false, "HTTP/1.1"}} {
			t.Run(tc.name, func(t *testing.T) {
				c := browser(t, base, httpsClient(srv.Addr, issuer, tc.h2))
				res := c.Do("GET", "/healthz", nil, nil)
				if res.StatusCode != 200 || res.Proto != tc.proto {
					t.Fatalf("GET /healthz: %d over %s, want 200 over %s", res.StatusCode, res.Proto, tc.proto)
				}
				if leaf := res.TLS.PeerCertificates[0]; serial == nil {
					serial = leaf.SerialNumber
				} else if leaf.SerialNumber.Cmp(serial) != 0 {
					t.Errorf("two certificates served: %x and %x", serial, leaf.SerialNumber)
				}
				if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=31536000") {
					t.Errorf("Strict-Transport-Security = %q", hsts)
				}
				res = c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil)
				cookies := res.Cookies()
				if res.StatusCode != 200 || len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
					t.Fatalf("login: %d, cookies %v; want one Secure HttpOnly session cookie", res.StatusCode, res.Header.Values("Set-Cookie"))
				}
				p := newProject(t, c)
				id := c.Upload(p.RootAssetID, "big.bin", data)
				if got := original(t, c, id); !bytes.Equal(got, data) {
					t.Fatalf("downloaded %d bytes differ from the %d uploaded", len(got), len(data))
				}
				clients = append(clients, c)
			})
		}

		// HTTP answers with a 308 to the same path on HTTPS.
		hc := httpsClient("127.0.0.1:"+httpPort, nil, false)
		for _, host := range []string{testDomain, "elsewhere.example"} {
			req, _ := http.NewRequest("PUT", "http://"+host+"/api/v2/me?x=1", strings.NewReader("{}"))
			res, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := base + "/api/v2/me?x=1"; res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != want {
				t.Errorf("HTTP to %s: %d Location %q, want 308 %q", host, res.StatusCode, res.Header.Get("Location"), want)
			}
		}

		// TLS 1.1 and older are refused.
		if c, err := tls.Dial("tcp", srv.Addr, &tls.Config{RootCAs: issuer, ServerName: testDomain, MaxVersion: tls.VersionTLS11}); err == nil {
			c.Close()
			t.Error("a TLS 1.1 handshake succeeded")
		}

		// Stopping lets a slow upload PATCH finish, over either protocol.
		if len(clients) == 2 {
			p := newProject(t, clients[0])
			done := make(chan string, 2)
			for _, c := range clients {
				res := c.TusCreate(map[string]string{"filename": "slow.bin", "parent_id": p.RootAssetID}, int64(len(data)), nil)
				if res.StatusCode != 201 {
					t.Fatalf("tus create: %d", res.StatusCode)
				}
				go func() { done <- slowPatch(c, res.Header.Get("Location"), data, 1500*time.Millisecond) }()
			}
			time.Sleep(300 * time.Millisecond) // sleep: the stop comes while the PATCHes (trickling for 1.5 s) are under way
			if err := srv.stop(t); err != nil {
				t.Errorf("Run returned %v after a graceful stop", err)
			}
			for range clients {
				if msg := <-done; msg != "" {
					t.Error(msg)
				}
			}
		}

		var crt []string
		filepath.WalkDir(filepath.Join(dataDir, "certs"), func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, testDomain+".crt") {
				crt = append(crt, p)
			}
			return nil
		})
		if len(crt) != 1 {
			t.Errorf("certificates under data_dir/certs: %v, want one for %s", crt, testDomain)
		}
	})
	if !ok {
		t.FailNow()
	}
	if serial == nil {
		t.Skip("SKIP: the first subtest was skipped (Pebble missing)")
	}

	t.Run("restart with the CA stopped", func(t *testing.T) {
		if res, err := http.Get(caURL); err == nil {
			res.Body.Close()
			t.Fatal("Pebble still answers")
		}
		srv := run(t, cfg(), time.Second)
		c := browser(t, base, httpsClient(srv.Addr, issuer, true))
		res := c.Do("GET", "/healthz", nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("GET /healthz: %d", res.StatusCode)
		}
		if got := res.TLS.PeerCertificates[0].SerialNumber; got.Cmp(serial) != 0 {
			t.Errorf("serving certificate %x, want the stored %x", got, serial)
		}
		login(t, c)
		var me map[string]any
		if res := c.Do("GET", "/api/v2/me", nil, &me); res.StatusCode != 200 {
			t.Errorf("GET /api/v2/me after login: %d", res.StatusCode)
		}

		// An HTTP/2 PATCH that stalls past the grace period is cut, and
		// Run still returns nil.
		p := newProject(t, c)
		res = c.TusCreate(map[string]string{"filename": "stalled.bin", "parent_id": p.RootAssetID}, 4<<20, nil)
		if res.StatusCode != 201 {
			t.Fatalf("tus create: %d", res.StatusCode)
		}
		pr, pw := io.Pipe()
		defer pw.Close()
		go pw.Write(make([]byte, 1<<20))
		req, _ := http.NewRequest("PATCH", res.Header.Get("Location"), pr)
		req.ContentLength = 4 << 20
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", "0")
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Origin", base)
		patched := make(chan error, 1)
		go func() {
			res, err := c.HTTP.Do(req)
			if err == nil {
				res.Body.Close()
			}
			patched <- err
		}()
		time.Sleep(300 * time.Millisecond) // sleep: the stop comes while the PATCH is under way
		start := time.Now()
		if err := srv.stop(t); err != nil {
			t.Errorf("Run returned %v after a forced stop", err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("stopping with a stalled HTTP/2 upload took %v, grace 1s", took)
		}
		select {
		case err := <-patched:
			if err == nil {
				t.Error("the stalled PATCH got an answer")
			}
		case <-time.After(5 * time.Second):
			t.Error("the stalled HTTP/2 PATCH still runs after shutdown")
		}
	})
}

// slowPatch sends data to a tus upload over about d and reports what went
// wrong, or "" when the server accepted it all.
func slowPatch(c *testkit.Client, loc string, data []byte, d time.Duration) string {
	const parts = 10
	pr, pw := io.Pipe()
	go func() {
		step := len(data) / parts
		for i := 0; i < parts; i++ {
			end := (i + 1) * step
			if i == parts-1 {
				end = len(data)
			}
			if _, err := pw.Write(data[i*step : end]); err != nil {
				return
			}
			time.Sleep(d / parts) // sleep: a slow client
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("PATCH", loc, pr)
	req.ContentLength = int64(len(data))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	req.Header.Set("Origin", c.Origin)
	res, err := c.HTTP.Do(req)
	if err != nil {
		return "slow PATCH: " + err.Error()
	}
	res.Body.Close()
	if res.StatusCode != 204 || res.Header.Get("Upload-Offset") != strconv.Itoa(len(data)) {
		return "slow PATCH over " + res.Proto + ": status " + res.Status + ", Upload-Offset " + res.Header.Get("Upload-Offset")
	}
	return ""
}

// TestRefusedAtStart: bad settings stop the server at start with the key
// and the reason.
func TestRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "root.txt")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyAddr := busy.Addr().String()
	free := func() string { return "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t)) }
	withTLS := func(kv ...string) map[string]string {
		m := map[string]string{"domains": testDomain, "https_listen": free(), "http_listen": free()}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		keys map[string]string
		want []string // in the error, after "config: "
	}{
		{"domain with an underscore", withTLS("domains", "ferry_test.example"), []string{"domains", "not a valid host name"}},
		{"domain with a port", withTLS("domains", "ferry.test:8443"), []string{"domains", "not a valid host name"}},
		{"domain with an empty label", withTLS("domains", "ferry..test"), []string{"domains", "not a valid host name"}},
		{"domain that is an IP", withTLS("domains", "192.0.2.7"), []string{"domains", "IP address"}},
		{"wildcard domain", withTLS("domains", "*.ferry.test"), []string{"domains", "wildcard"}},
		{"https_listen without a port", withTLS("https_listen", "localhost"), []string{"https_listen", "host:port"}},
		{"same port for both", withTLS("https_listen", "127.0.0.1:8443", "http_listen", "127.0.0.1:8443"), []string{"http_listen", "differ"}},
		{"acme.ca not https", withTLS("acme.ca", "http://ca.example/dir"), []string{"acme.ca", "https URL"}},
		{"acme.ca_root missing", withTLS("acme.ca_root", filepath.Join(dir, "nope.pem")), []string{"acme.ca_root", "cannot read it", "no such file"}},
		{"acme.ca_root a directory", withTLS("acme.ca_root", dir), []string{"acme.ca_root", "cannot read it", "is a directory"}},
		{"acme.ca_root not PEM", withTLS("acme.ca_root", notPEM), []string{"acme.ca_root", "no PEM certificate"}},
		{"listen in use", map[string]string{"listen": busyAddr}, []string{"listen: cannot listen on " + busyAddr, "address already in use"}},
		{"https_listen in use", withTLS("https_listen", busyAddr), []string{"https_listen: cannot listen on " + busyAddr, "address already in use"}},
		{"http_listen in use", withTLS("http_listen", busyAddr), []string{"http_listen: cannot listen on " + busyAddr, "address already in use"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.keys["data_dir"] = t.TempDir()
			if tt.keys["listen"] == "" {
				tt.keys["listen"] = "127.0.0.1:0"
			}
			cfg, err := config.Load("", nil, tt.keys)
			if err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				err = serve.Run(ctx, cfg, serve.Options{Log: testLog(t), Ready: func(string) { t.Error("the server started") }})
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "config: ") {
				t.Errorf("error %q does not start with \"config: \"", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// The good case next to the bad ones: a valid name and free ports pass.
	if _, err := config.Load("", nil, withTLS("domains", "files.ferry-test.example,Ferry.Test")); err != nil {
		t.Errorf("valid domains refused: %v", err)
	}
}
