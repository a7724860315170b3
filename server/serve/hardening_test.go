//go:build !js

package serve_test

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// trickle opens a connection and sends a request's headers one byte at a
// time, every gap, until the server closes it; it reports when that was.
func trickle(t *testing.T, addr string, gap time.Duration, closed chan<- time.Duration) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		closed <- 0
		return
	}
	defer c.Close()
	start := time.Now()
	head := "GET /healthz HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-Slow: 1\r\n", 1000)
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // returns when the server closes the connection
		close(done)
	}()
	for i := 0; i < len(head); i++ {
		select {
		case <-done:
			closed <- time.Since(start)
			return
		case <-time.After(gap):
		}
		if _, err := c.Write([]byte{head[i]}); err != nil {
			break
		}
	}
	<-done
	closed <- time.Since(start)
}

// slowReader gives its data in chunks of n bytes, one every gap.
type slowReader struct {
	data []byte
	n    int
	gap  time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.gap) // sleep: a slow client
	k := min(r.n, len(p), len(r.data))
	copy(p, r.data[:k])
	r.data = r.data[k:]
	return k, nil
}

// Hole 12: connections that trickle header bytes are closed after
// limits.header_timeout, while a tus PATCH that keeps sending runs well
// past limits.body_timeout and completes.
func TestSlowHeadersCutSteadyUploadsNot(t *testing.T) {
	const headerTimeout, bodyTimeout = time.Second, 2 * time.Second
	s := testkit.Start(t, func(c *config.Config) {
		c.Limits.HeaderTimeout = config.Duration(headerTimeout)
		c.Limits.BodyTimeout = config.Duration(bodyTimeout)
	})
	addr := strings.TrimPrefix(s.URL, "http://")
	closed := make(chan time.Duration, 5)
	for i := 0; i < 5; i++ {
		go trickle(t, addr, 200*time.Millisecond, closed)
	}
	for i := 0; i < 5; i++ {
		select {
		case d := <-closed:
			if d < headerTimeout-100*time.Millisecond || d > headerTimeout+2*time.Second {
				t.Errorf("a trickling connection closed after %v, want about %v", d, headerTimeout)
			}
		case <-time.After(headerTimeout + 5*time.Second):
			t.Fatalf("trickling connections still open %v after the header timeout of %v", 5*time.Second, headerTimeout)
		}
	}

	// A steady upload: 48 KiB in 2 KiB chunks every 200 ms, ~5 s in all.
	admin := s.Admin(t)
	var p model.Project
	admin.Do("POST", "/api/v2/projects", model.NewProject{Name: "Slow"}, &p)
	data := make([]byte, 48<<10)
	rand.Read(data)
	res := admin.TusCreate(map[string]string{"filename": "slow.bin", "parent_id": p.RootAssetID, "filetype": "application/octet-stream"}, int64(len(data)), nil)
	if res.StatusCode != 201 {
		t.Fatalf("tus create: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	start := time.Now()
	res = admin.TusPatch(loc, 0, &slowReader{data: data, n: 2 << 10, gap: 200 * time.Millisecond}, int64(len(data)))
	took := time.Since(start)
	if res.StatusCode != 204 || took < 2*bodyTimeout {
		t.Fatalf("steady PATCH: %d after %v (want 204 after more than %v)", res.StatusCode, took, 2*bodyTimeout)
	}
	got := original(t, admin, uploadID(loc))
	if !bytes.Equal(got, data) {
		t.Fatalf("the slow upload arrived with %d bytes, not the %d sent", len(got), len(data))
	}
}

// Hole 12: one address cannot hold more than limits.max_conns_per_ip
// connections; the next is refused with 429 and a slot frees on close.
func TestConnectionsPerAddressCapped(t *testing.T) {
	s := testkit.Start(t, func(c *config.Config) {
		c.Limits.MaxConnsPerIP = 3
		c.Limits.HeaderTimeout = config.Duration(30 * time.Second)
	})
	addr := strings.TrimPrefix(s.URL, "http://")
	var held []net.Conn
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	healthz := func() (int, error) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	if st, err := healthz(); st != 429 {
		t.Fatalf("a 4th connection from one address: %d %v, want 429", st, err)
	}
	held[0].Close()
	poll.Until(t, 5*time.Second, func() error {
		if st, err := healthz(); st != 200 {
			return fmt.Errorf("after closing one connection: %d %v, want 200", st, err)
		}
		return nil
	})
}

// peakRSS is the highest resident memory of process pid so far (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("SKIP: cannot read the process's memory: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("SKIP: no VmHWM in /proc status")
	return 0
}

// storm sends n requests at once, from addr(i), and counts their statuses.
func storm(t *testing.T, n int, do func(i int) *http.Response) map[int]int {
	return testkit.Parallel(n, func(i int) int { return do(i).StatusCode })
}

// Holes 6 and 8, against the real binary: 100 parallel wrong logins from
// one address get 5 password checks; 100 parallel logins from 100
// addresses queue for the hashing slots (or are told the server is busy)
// instead of hashing at once; 50 parallel wrong link passwords from one
// address get 5 checks and do not lock the link. The process's peak
// memory stays under 200 MiB throughout.
func TestPasswordStormsStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: runs the real binary through a few hundred argon2 checks (~10 s on 2 cores)")
	}
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	p := startFerry(t, dataDir, addr, "FERRY_TRUSTED_PROXIES=127.0.0.1/32", "FERRY_AUTH_MAX_FAILURES=5")
	p.waitUp(t, base)
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	admin := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, admin)
	proj := newProject(t, admin)
	img := admin.Upload(proj.RootAssetID, "a.txt", []byte("hello"), "filetype", "text/plain")
	var link model.ShareLink
	if res := admin.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{img}, Password: "harbour-2026"}, &link); res.StatusCode != 201 {
		t.Fatalf("share link: %d", res.StatusCode)
	}
	from := func(ip string) *testkit.Client {
		c := &testkit.Client{T: t, Base: base, Origin: base, HTTP: hc}
		c.Header = http.Header{"X-Forwarded-For": {ip}}
		return c
	}
	before := peakRSS(t, p.cmd.Process.Pid)
	loginAs := func(c *testkit.Client, email, pw string) *http.Response {
		return c.Do("POST", "/api/v2/auth/login", model.LoginRequest{Email: email, Password: pw}, nil)
	}

	got := storm(t, 100, func(int) *http.Response { return loginAs(from("203.0.113.7"), testkit.AdminEmail, "wrong password") })
	if got[401] != 5 || got[429] != 95 {
		t.Fatalf("100 parallel wrong logins from one address: %v, want 5 × 401 and 95 × 429", got)
	}
	got = storm(t, 100, func(i int) *http.Response {
		return loginAs(from(fmt.Sprintf("10.20.%d.%d", i/200, i%200+1)), fmt.Sprintf("nobody%d@example.com", i), "some password")
	})
	if got[401]+got[429] != 100 || got[401] < 4 {
		t.Fatalf("100 parallel logins from 100 addresses: %v, want 401s (checked) and 429s (busy) only", got)
	}
	t.Logf("100 parallel logins from 100 addresses: %v", got)
	got = storm(t, 50, func(int) *http.Response {
		return from("198.51.100.4").Do("POST", "/api/v2/public/links/"+link.Key+"/unlock", model.Unlock{Password: "wrong-password"}, nil)
	})
	if got[401] != 5 || got[429] != 45 {
		t.Fatalf("50 parallel wrong link passwords from one address: %v, want 5 × 401 and 45 × 429", got)
	}
	if res := from("198.51.100.5").Do("POST", "/api/v2/public/links/"+link.Key+"/unlock", model.Unlock{Password: "harbour-2026"}, nil); res.StatusCode != 200 {
		t.Fatalf("the right link password from another address after the storm: %d", res.StatusCode)
	}
	peak := peakRSS(t, p.cmd.Process.Pid)
	t.Logf("peak RSS %d MiB before the storms, %d MiB after", before>>20, peak>>20)
	if peak > 200<<20 {
		t.Fatalf("peak RSS %d MiB, want under 200 MiB", peak>>20)
	}
}

// Hole 11, against the real binary with its defaults: two small PNGs of
// 9999×9999 16-bit RGBA (under max_pixels) get too_large from the decode
// budget instead of decoding 800 MB each; peak memory stays under 200 MiB.
func TestDecompressionBudgetKeepsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short: builds two 800 MB-when-decoded PNGs (~5 s of CPU) and uploads them to the real binary")
	}
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	p := startFerry(t, dataDir, addr)
	p.waitUp(t, base)
	admin := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, admin)
	proj := newProject(t, admin)
	png := testkit.BlankPNG(9999, 9999, 16, 6) // about 760 KiB, 800 MB once decoded
	t.Logf("PNG of 9999×9999 16-bit RGBA: %d KiB", len(png)>>10)
	ids := []string{
		admin.Upload(proj.RootAssetID, "scan-1.png", png, "filetype", "image/png"),
		admin.Upload(proj.RootAssetID, "scan-2.png", png, "filetype", "image/png"),
	}
	for _, id := range ids {
		if a := admin.WaitAsset(t, id, time.Minute, testkit.ProxiesSettled); a.ProxyStatus != model.ProxyTooLarge {
			t.Fatalf("proxy status %q, want too_large", a.ProxyStatus)
		}
	}
	peak := peakRSS(t, p.cmd.Process.Pid)
	t.Logf("peak RSS %d MiB", peak>>20)
	if peak > 200<<20 {
		t.Fatalf("peak RSS %d MiB, want under 200 MiB", peak>>20)
	}
}
