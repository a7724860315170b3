//go:build !js

package serve_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/serve"
	"github.com/ferryhq/ferry/server/testkit"
)

// testLog discards logs, or prints them with -v (servers log from
// goroutines that may outlive a test, so not through t.Log).
func testLog(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, nil)).With(slog.String("test", t.Name()))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// load builds a configuration from keys as the command line gives them.
func load(t *testing.T, keys map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load("", nil, keys)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// running is a serve.Run in this process.
type running struct {
	Addr   string
	cancel context.CancelFunc
	done   chan error
	err    error
}

// run starts serve.Run and waits until it is ready; the test's end stops it.
func run(t *testing.T, cfg config.Config, grace time.Duration) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		r.done <- serve.Run(ctx, cfg, serve.Options{
			Version: "test", Log: testLog(t),
			AdminEmail: testkit.AdminEmail, AdminPassword: testkit.AdminPassword,
			Ready:           func(addr string) { ready <- addr },
			ShutdownTimeout: grace,
		})
	}()
	select {
	case r.Addr = <-ready:
	case err := <-r.done:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-time.After(45 * time.Second):
		cancel()
		t.Fatal("server did not start within 45s")
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop ends the server and returns what Run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	if r.cancel == nil {
		return r.err
	}
	r.cancel()
	r.cancel = nil
	select {
	case r.err = <-r.done:
	case <-time.After(45 * time.Second):
		t.Fatal("server did not stop within 45s")
	}
	return r.err
}

// browser is a testkit client for base with its own cookie jar.
func browser(t *testing.T, base string, hc *http.Client) *testkit.Client {
	jar, _ := cookiejar.New(nil)
	hc.Jar = jar
	return &testkit.Client{T: t, Base: base, Origin: base, HTTP: hc}
}

func newProject(t *testing.T, c *testkit.Client) model.Project {
	t.Helper()
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: "Shoot"}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	return p
}

func login(t *testing.T, c *testkit.Client) {
	t.Helper()
	res := c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: testkit.AdminEmail, Password: testkit.AdminPassword}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("login: %d", res.StatusCode)
	}
}

func original(t *testing.T, c *testkit.Client, id string) []byte {
	t.Helper()
	res := c.Do("GET", "/api/v2/assets/"+id+"/original", nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("download %s: %d", id, res.StatusCode)
	}
	b, _ := io.ReadAll(res.Body)
	return b
}

// uploadID is the last path element of a tus URL.
func uploadID(loc string) string { return loc[strings.LastIndex(loc, "/")+1:] }

// ferryBinary returns $FERRY_BIN or the ferry command built for these tests.
func ferryBinary(t *testing.T) string { return testkit.FerryBinary(t) }

// cleanEnv is the environment without the caller's FERRY_* settings.
func cleanEnv() []string { return testkit.CleanEnv() }

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBuiltBinary()
	os.Exit(code)
}
