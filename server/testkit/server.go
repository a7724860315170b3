//go:build !js

// Package testkit starts real Ferry servers and the external tools tests
// use (Chromium, mailpit, Pebble, node), so tests drive the real thing.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
	"github.com/ferryhq/ferry/server/testkit/clock"
)

// Admin credentials every test server starts with.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "correct horse battery"
)

// Server is a Ferry server running in this process on a loopback port.
type Server struct {
	URL     string
	DataDir string
	Config  config.Config
	// Routes are the method and path of every route the server answers.
	Routes [][2]string
	cancel context.CancelFunc
	done   chan error
}

// Start runs a server on 127.0.0.1:0 with its data in a temp dir and the
// test admin bootstrapped. mod may adjust the configuration.
func Start(t testing.TB, mod ...func(*config.Config)) *Server {
	t.Helper()
	return StartIn(t, t.TempDir(), mod...)
}

// StartIn is Start with a given data directory (to restart on the same data).
func StartIn(t testing.TB, dataDir string, mod ...func(*config.Config)) *Server {
	t.Helper()
	return start(t, dataDir, nil, mod)
}

// StartAt is Start with the server's time taken from clk: expiry tests
// move the clock instead of sleeping.
func StartAt(t testing.TB, clk *clock.Clock, mod ...func(*config.Config)) *Server {
	t.Helper()
	if clk == nil {
		return start(t, t.TempDir(), nil, mod)
	}
	return start(t, t.TempDir(), clk.Now, mod)
}

func start(t testing.TB, dataDir string, now func() time.Time, mod []func(*config.Config)) *Server {
	t.Helper()
	cfg, err := config.Load("", nil, map[string]string{"listen": "127.0.0.1:0", "data_dir": dataDir})
	if err != nil {
		t.Fatal(err)
	}
	storageUnderTest(t, dataDir)(&cfg)
	for _, m := range mod {
		m(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{DataDir: dataDir, cancel: cancel, done: make(chan error, 1)}
	ready := make(chan string, 1)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	go func() {
		s.done <- serve.Run(ctx, cfg, serve.Options{
			Version: "test", Log: log,
			AdminEmail: AdminEmail, AdminPassword: AdminPassword,
			Ready:  func(addr string) { ready <- addr },
			Routes: func(method, path string) { s.Routes = append(s.Routes, [2]string{method, path}) },
			Clock:  now,
		})
	}()
	select {
	case addr := <-ready:
		s.URL = "http://" + addr
		if strings.HasSuffix(cfg.PublicURL, ":0") {
			cfg.PublicURL = s.URL
		}
	case err := <-s.done:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("server did not start within 20s")
	}
	s.Config = cfg
	t.Cleanup(s.Stop)
	return s
}

// Stop shuts the server down and waits for it.
func (s *Server) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case <-s.done:
	case <-time.After(40 * time.Second):
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Client is an HTTP client for one server: a cookie jar for sessions, an
// optional bearer token, and the Origin header a browser would send.
type Client struct {
	T      testing.TB
	Base   string
	Token  string
	Origin string
	HTTP   *http.Client
	// Header is added to every request (e.g. Ferry-Link for link uploads).
	Header http.Header
}

// Client returns an anonymous client (cookies kept, Origin set to the server).
func (s *Server) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, Base: s.URL, Origin: s.URL, HTTP: &http.Client{Jar: jar, Timeout: 5 * time.Minute}}
}

// Login returns a client logged in with a session cookie.
func (s *Server) Login(t testing.TB, email, password string) *Client {
	t.Helper()
	c := s.Client(t)
	if _, err := c.API().Login(email, password); err != nil {
		t.Fatalf("login %s: %v (status %d)", email, err, client.StatusOf(err))
	}
	return c
}

// Admin returns a client logged in as the test admin.
func (s *Server) Admin(t testing.TB) *Client { return s.Login(t, AdminEmail, AdminPassword) }

// TokenClient returns a client authenticating with a new token of the admin
// carrying scopes.
func (s *Server) TokenClient(t testing.TB, scopes ...string) *Client {
	t.Helper()
	tok, err := s.Admin(t).API().CreateToken(model.NewToken{Name: "test", Scopes: scopes})
	if err != nil {
		t.Fatalf("creating token: %v (status %d)", err, client.StatusOf(err))
	}
	c := s.Client(t)
	c.Token, c.Origin = tok.Secret, ""
	return c
}

// Do sends a JSON request (in may be nil, a []byte sent raw, or a value to
// marshal) and decodes a JSON answer into out when out is not nil. The
// body is kept readable in the returned response.
func (c *Client) Do(method, path string, in, out any) *http.Response {
	c.T.Helper()
	var body io.Reader
	ct := ""
	switch v := in.(type) {
	case nil:
	case []byte:
		body, ct = bytes.NewReader(v), "application/json"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			c.T.Fatal(err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.T.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return c.Send(req, out)
}

// Send sends a prepared request with the client's credentials.
func (c *Client) Send(req *http.Request, out any) *http.Response {
	c.T.Helper()
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	if c.Origin != "" && req.Header.Get("Origin") == "" {
		req.Header.Set("Origin", c.Origin)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	if out != nil && res.StatusCode < 300 && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.T.Fatalf("%s %s: decoding %q: %v", req.Method, req.URL.Path, b, err)
		}
	}
	return res
}

// ErrorCode returns the first error code of an error answer.
func ErrorCode(res *http.Response) string {
	var doc struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(b))
	if json.Unmarshal(b, &doc) != nil || len(doc.Errors) == 0 {
		return ""
	}
	return doc.Errors[0].Code
}
