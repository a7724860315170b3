//go:build !js

package tlsx_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/tlsx"
)

// testLog discards logs, or prints them with -v (certmagic logs from
// goroutines that may outlive a test, so not through t.Log).
func testLog(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, nil)).With(slog.String("test", t.Name()))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// selfSigned makes a certificate for name and a pool trusting it.
func selfSigned(t *testing.T, name string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// client dials addr whatever the URL's host, so certificates are checked
// for the name in the URL. h2 chooses HTTP/2 or HTTP/1.1.
func client(addr string, roots *x509.CertPool, h2 bool) *http.Client {
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
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// echo is a fasthttp handler like Ferry's: it reads the body as a stream
// and answers with facts about the request, or streams a file back.
func echo(file string) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		switch string(ctx.Path()) {
		case "/file":
			f, err := os.Open(file)
			if err != nil {
				ctx.Error(err.Error(), 500)
				return
			}
			st, _ := f.Stat()
			ctx.SetBodyStream(f, int(st.Size()))
		case "/empty":
			ctx.SetStatusCode(http.StatusNoContent)
		default:
			h := sha256.New()
			var n int64
			if s := ctx.RequestBodyStream(); s != nil {
				n, _ = io.Copy(h, s)
			}
			ctx.Response.Header.Set("X-Echo", "yes")
			ctx.Response.Header.SetCookie(cookie())
			fmt.Fprintf(ctx, "method=%s uri=%s host=%s tls=%v stream=%v ip=%s n=%d sha=%x cookie=%s",
				ctx.Method(), ctx.RequestURI(), ctx.Host(), ctx.IsTLS(), ctx.Request.IsBodyStream(),
				ctx.RemoteIP(), n, h.Sum(nil), ctx.Request.Header.Cookie("a"))
		}
	}
}

func cookie() *fasthttp.Cookie {
	c := fasthttp.AcquireCookie()
	c.SetKey("s")
	c.SetValue("v")
	c.SetSecure(true)
	return c
}

// TestSplitAndBridge serves a fasthttp handler over TLS the way Ferry does:
// HTTP/1.1 connections to fasthttp, HTTP/2 ones to net/http and the Bridge.
// Both must stream a request body of many megabytes intact, carry the
// client's address and the TLS state, and stream a file back.
func TestSplitAndBridge(t *testing.T) {
	const name = "bridge.test"
	cert, roots := selfSigned(t, name)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	split := tlsx.NewSplit(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}, testLog(t))
	defer split.Close()
	file := filepath.Join(t.TempDir(), "file")
	fileData := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	if err := os.WriteFile(file, fileData, 0o600); err != nil {
		t.Fatal(err)
	}
	handler := echo(file)
	h1 := &fasthttp.Server{Handler: handler, StreamRequestBody: true}
	go h1.Serve(split.HTTP1())
	defer h1.Shutdown()
	bridge := &tlsx.Bridge{Handler: handler, Log: testLog(t)}
	h2 := &http.Server{Handler: bridge}
	go h2.Serve(split.HTTP2())
	defer h2.Close()

	body := make([]byte, 24<<20)
	rand.Read(body)
	want := fmt.Sprintf("n=%d sha=%x", len(body), sha256.Sum256(body))
	base := "https://" + name + ":" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)

	for _, tc := range []struct {
		name  string
		h2    bool
		proto int
	}{{"http1", false, 1}, {"http2", true, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			c := client(ln.Addr().String(), roots, tc.h2)
			req, _ := http.NewRequest("PATCH", base+"/upload?x=1", bytes.NewReader(body))
			req.AddCookie(&http.Cookie{Name: "a", Value: "b"})
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.ProtoMajor != tc.proto {
				t.Errorf("protocol %s, want HTTP/%d", res.Proto, tc.proto)
			}
			for _, w := range []string{"method=PATCH", "uri=/upload?x=1", "host=" + strings.TrimPrefix(base, "https://"),
				"tls=true", "stream=true", "ip=127.0.0.1", want, "cookie=b"} {
				if !strings.Contains(string(got), w) {
					t.Errorf("answer %q lacks %q", got, w)
				}
			}
			if res.Header.Get("X-Echo") != "yes" || len(res.Cookies()) != 1 || !res.Cookies()[0].Secure {
				t.Errorf("headers %v", res.Header)
			}

			// Chunked / unknown length (HTTP/2 without content-length).
			req, _ = http.NewRequest("POST", base+"/upload", io.MultiReader(bytes.NewReader(body[:1<<20])))
			req.ContentLength = -1
			res, err = c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ = io.ReadAll(res.Body)
			res.Body.Close()
			if w := fmt.Sprintf("n=%d sha=%x", 1<<20, sha256.Sum256(body[:1<<20])); !strings.Contains(string(got), w) {
				t.Errorf("body of unknown length: %q, want %q", got, w)
			}

			res, err = c.Get(base + "/file")
			if err != nil {
				t.Fatal(err)
			}
			got, _ = io.ReadAll(res.Body)
			res.Body.Close()
			if !bytes.Equal(got, fileData) || res.ContentLength != int64(len(fileData)) {
				t.Errorf("file: %d bytes (Content-Length %d), want %d", len(got), res.ContentLength, len(fileData))
			}

			res, err = c.Head(base + "/file")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 || res.ContentLength != int64(len(fileData)) {
				t.Errorf("HEAD file: %d, Content-Length %d", res.StatusCode, res.ContentLength)
			}

			res, err = c.Get(base + "/empty")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 204 {
				t.Errorf("empty: %d", res.StatusCode)
			}
		})
	}
	if n := bridge.Active(); n != 0 {
		t.Errorf("bridge reports %d active requests after all answered", n)
	}

	// TLS below 1.2 is refused.
	_, err = tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: roots, ServerName: name, MaxVersion: tls.VersionTLS11})
	if err == nil {
		t.Error("a TLS 1.1 handshake succeeded")
	}
}

func TestLoadRoots(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o600)
	good := filepath.Join(dir, "good.pem")
	cert, _ := selfSigned(t, "x.test")
	os.WriteFile(good, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600)
	tests := []struct {
		name, path, want string
	}{
		{"good", good, ""},
		{"missing", filepath.Join(dir, "nope.pem"), "cannot read it"},
		{"directory", dir, "cannot read it"},
		{"not PEM", notPEM, "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tlsx.LoadRoots(tt.path)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("LoadRoots(%s) = %v, want %q", tt.path, err, tt.want)
			}
		})
	}
}

// TestManager obtains a certificate from Pebble, serves it for the name
// with TLS 1.2+ and h2, redirects HTTP with 308, and a second Manager on
// the same storage serves the stored certificate with Pebble stopped.
func TestManager(t *testing.T) {
	const name = "ferry.test"
	storage := t.TempDir()
	var caURL string
	var issuerRoots *x509.CertPool
	var serial *big.Int

	serveOnce := func(t *testing.T, roots *x509.CertPool) *x509.Certificate {
		t.Helper()
		httpsLn, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		httpLn, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		m, err := tlsx.New(tlsx.Options{Domains: []string{name}, CA: caURL, Email: "ops@ferry.test", Roots: roots,
			Storage: storage, HTTPAddr: httpLn.Addr(), HTTPSAddr: httpsLn.Addr(), Log: testLog(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Stop()
		split := tlsx.NewSplit(httpsLn, m.TLSConfig(), testLog(t))
		defer split.Close()
		h2 := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.Proto) })}
		go h2.Serve(split.HTTP2())
		defer h2.Close()
		redirect := &http.Server{Handler: m.HTTPHandler()}
		go redirect.Serve(httpLn)
		defer redirect.Close()

		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if missing := m.Wait(context.Background(), 30*time.Second); len(missing) > 0 {
			t.Fatalf("no certificate for %v after 30s", missing)
		}
		port := strconv.Itoa(httpsLn.Addr().(*net.TCPAddr).Port)
		c := client(httpsLn.Addr().String(), issuerRoots, true)
		res, err := c.Get("https://" + name + ":" + port + "/")
		if err != nil {
			t.Fatalf("HTTPS for %s trusting Pebble's root: %v", name, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != "HTTP/2.0" {
			t.Errorf("protocol %q, want HTTP/2.0", body)
		}
		if v := res.TLS.Version; v < tls.VersionTLS12 {
			t.Errorf("TLS version %x", v)
		}
		if _, err := tls.Dial("tcp", httpsLn.Addr().String(), &tls.Config{RootCAs: issuerRoots, ServerName: name, MaxVersion: tls.VersionTLS11}); err == nil {
			t.Error("a TLS 1.1 handshake succeeded")
		}
		// Another name gets no certificate.
		if _, err := tls.Dial("tcp", httpsLn.Addr().String(), &tls.Config{RootCAs: issuerRoots, ServerName: "other.test"}); err == nil {
			t.Error("a handshake for an unmanaged name succeeded")
		}

		hc := client(httpLn.Addr().String(), nil, false)
		for _, tc := range []struct{ host, want string }{
			{name, "https://" + name + ":" + port + "/a/b?c=d"},
			{"evil.example", "https://" + name + ":" + port + "/a/b?c=d"},
		} {
			req, _ := http.NewRequest("POST", "http://"+tc.host+"/a/b?c=d", strings.NewReader("x"))
			res, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != tc.want {
				t.Errorf("HTTP %s: %d Location %q, want 308 %q", tc.host, res.StatusCode, res.Header.Get("Location"), tc.want)
			}
		}
		return res.TLS.PeerCertificates[0]
	}

	ok := t.Run("obtain", func(t *testing.T) {
		pb := testkit.Pebble(t) // stopped when this subtest ends
		caURL = pb.DirectoryURL
		issuerRoots = x509.NewCertPool()
		issuerRoots.AppendCertsFromPEM(pb.IssuerRootPEM(t))
		leaf := serveOnce(t, pb.TrustPool(t))
		serial = leaf.SerialNumber
	})
	if !ok {
		t.FailNow()
	}
	if serial == nil {
		t.Skip("SKIP: the obtain subtest was skipped (Pebble missing)")
	}
	if _, err := http.Get(caURL); err == nil {
		t.Fatal("Pebble still answers")
	}
	t.Run("reuse with the CA stopped", func(t *testing.T) {
		leaf := serveOnce(t, nil)
		if leaf.SerialNumber.Cmp(serial) != 0 {
			t.Errorf("served certificate %x, want the stored %x", leaf.SerialNumber, serial)
		}
	})
	found := false
	filepath.WalkDir(storage, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, name+".crt") {
			found = true
		}
		return nil
	})
	if !found {
		t.Errorf("no %s.crt under %s", name, storage)
	}
}
