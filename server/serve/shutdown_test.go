//go:build !js

package serve_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// ferryProcess is the real binary serving a data directory.
type ferryProcess struct {
	cmd    *exec.Cmd
	out    syncBuffer
	exited chan struct{} // closed when the process ended, err set before
	err    error
}

// syncBuffer is the process's output, written by exec's copier while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startFerry(t *testing.T, dataDir, addr string, env ...string) *ferryProcess {
	t.Helper()
	p := &ferryProcess{exited: make(chan struct{})}
	p.cmd = exec.Command(ferryBinary(t), "serve")
	p.cmd.Env = append(cleanEnv(), append([]string{
		"FERRY_DATA_DIR=" + dataDir, "FERRY_LISTEN=" + addr,
		"FERRY_ADMIN_EMAIL=" + testkit.AdminEmail, "FERRY_ADMIN_PASSWORD=" + testkit.AdminPassword,
	}, env...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// waitUp polls /healthz until the process answers.
func (p *ferryProcess) waitUp(t *testing.T, base string) {
	t.Helper()
	poll.Until(t, 30*time.Second, func() error {
		select {
		case <-p.exited:
			t.Fatalf("ferry exited at start: %v\n%s", p.err, p.out.String())
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		return fmt.Errorf("ferry did not answer\n%s", p.out.String())
	})
}

// TestSIGTERMDuringUpload: on SIGTERM the real binary stops accepting, lets
// a slow upload PATCH finish, and exits 0; restarted on the same data, the
// upload reports its offset, resumes, and downloads byte-identical.
func TestSIGTERMDuringUpload(t *testing.T) {
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	p := startFerry(t, dataDir, addr)
	p.waitUp(t, base)

	c := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	proj := newProject(t, c)
	data := make([]byte, 8<<20+5)
	rand.Read(data)
	half := int64(len(data) / 2)
	res := c.TusCreate(map[string]string{"filename": "slow.bin", "parent_id": proj.RootAssetID}, int64(len(data)), nil)
	if res.StatusCode != 201 {
		t.Fatalf("tus create: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")

	// The first half trickles in over about two seconds.
	patched := make(chan string, 1)
	go func() { patched <- slowPatch(c, loc, data[:half], 2*time.Second) }()
	time.Sleep(400 * time.Millisecond) // sleep: the stop comes while the PATCH (trickling for 2 s) is under way
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused at once, while the PATCH still runs.
	refused := poll.True(time.Second-time.Since(sent), func() bool {
		conn, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return true
		}
		conn.Close()
		return false
	})
	if !refused {
		t.Error("new connections were still accepted a second after SIGTERM")
	}
	select {
	case msg := <-patched:
		t.Fatalf("the PATCH ended %v after SIGTERM, before the connection test: %s", time.Since(sent), msg)
	default:
	}
	if msg := <-patched; msg != "" {
		t.Fatalf("the PATCH running at SIGTERM did not finish: %s\n%s", msg, p.out.String())
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("ferry exited with %v after SIGTERM\n%s", p.err, p.out.String())
		}
		t.Logf("exited 0 %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
	case <-time.After(35 * time.Second):
		t.Fatalf("ferry still runs 35s after SIGTERM\n%s", p.out.String())
	}
	if !strings.Contains(p.out.String(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", p.out.String())
	}

	p = startFerry(t, dataDir, addr)
	p.waitUp(t, base)
	c = browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	if off, res := c.TusHead(loc); res.StatusCode != 200 || off != half {
		t.Fatalf("HEAD after restart: %d, Upload-Offset %d, want 200 and %d", res.StatusCode, off, half)
	}
	if res := c.TusPatch(loc, half, bytes.NewReader(data[half:]), int64(len(data))-half); res.StatusCode != 204 {
		t.Fatalf("finishing PATCH: %d", res.StatusCode)
	}
	if got := original(t, c, uploadID(loc)); sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("downloaded %d bytes differ from the %d uploaded", len(got), len(data))
	}
}

// TestShutdownClosesStalledUpload: a PATCH still running when the grace
// period ends is cut, Run returns nil soon after, and the upload resumes
// from what was stored.
func TestShutdownClosesStalledUpload(t *testing.T) {
	const grace = time.Second
	dataDir := t.TempDir()
	cfg := load(t, map[string]string{"listen": "127.0.0.1:0", "data_dir": dataDir})
	srv := run(t, cfg, grace)
	base := "http://" + srv.Addr
	c := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	proj := newProject(t, c)
	data := make([]byte, 4<<20)
	rand.Read(data)
	const sent = 1 << 20
	res := c.TusCreate(map[string]string{"filename": "stalled.bin", "parent_id": proj.RootAssetID}, int64(len(data)), nil)
	if res.StatusCode != 201 {
		t.Fatalf("tus create: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	path := strings.TrimPrefix(loc, base)

	// A client that sends a quarter of the body, then stalls. It speaks
	// HTTP/1.1 over a raw connection so the test sees the server close it.
	conn, err := net.Dial("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	u, _ := url.Parse(base)
	var cookie string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		cookie += ck.Name + "=" + ck.Value
	}
	fmt.Fprintf(conn, "PATCH %s HTTP/1.1\r\nHost: %s\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"+
		"Content-Type: application/offset+octet-stream\r\nContent-Length: %d\r\nOrigin: %s\r\nCookie: %s\r\n\r\n",
		path, srv.Addr, len(data), base, cookie)
	if _, err := conn.Write(data[:sent]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // sleep: the server reads the bytes sent so far before the stop

	start := time.Now()
	if err := srv.stop(t); err != nil {
		t.Fatalf("Run returned %v; a forced shutdown is still a clean exit", err)
	}
	took := time.Since(start)
	t.Logf("stopped in %v with a stalled PATCH", took.Round(time.Millisecond))
	if took < grace-100*time.Millisecond || took > grace+2*time.Second {
		t.Errorf("shutdown took %v, want about the %v grace period", took, grace)
	}
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Error("the stalled PATCH's connection is still open after shutdown")
	}

	srv = run(t, cfg, 0)
	base = "http://" + srv.Addr
	c = browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	off, res := c.TusHead(base + path)
	if res.StatusCode != 200 || off <= 0 || off > sent {
		t.Fatalf("HEAD after restart: %d, Upload-Offset %d, want 200 and 1..%d", res.StatusCode, off, sent)
	}
	if res := c.TusPatch(base+path, off, bytes.NewReader(data[off:]), int64(len(data))-off); res.StatusCode != 204 {
		t.Fatalf("resuming PATCH at %d: %d", off, res.StatusCode)
	}
	if got := original(t, c, uploadID(loc)); sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("downloaded %d bytes differ from the %d uploaded", len(got), len(data))
	}
}

// TestShutdownSkipsUnusedConnections: connections that never sent a byte
// (clients and browsers open spares ahead) and idle keep-alive ones do not
// hold a shutdown for its grace period.
func TestShutdownSkipsUnusedConnections(t *testing.T) {
	const grace = 20 * time.Second
	cfg := load(t, map[string]string{"listen": "127.0.0.1:0", "data_dir": t.TempDir()})
	srv := run(t, cfg, grace)
	var spares []net.Conn
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		spares = append(spares, c)
	}
	hc := &http.Client{}
	res, err := hc.Get("http://" + srv.Addr + "/healthz") // leaves an idle keep-alive connection
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	time.Sleep(200 * time.Millisecond) // sleep: the server has seen the spares (no state to poll from outside)
	start := time.Now()
	if err := srv.stop(t); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("shutdown took %v with unused and idle connections open (grace %v)", took, grace)
	}
	for _, c := range spares {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil {
			t.Error("a spare connection is still open after shutdown")
		}
	}
}
