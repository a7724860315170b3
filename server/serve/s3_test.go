//go:build !js

package serve_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// s3Env is the environment of a ferry process keeping its bytes in m.
func s3Env(m *testkit.MinIOServer, extra ...string) []string {
	return append(append(m.Env(), "FERRY_STORAGE_BACKEND=s3", "FERRY_S3_ENDPOINT="+m.Endpoint,
		"FERRY_S3_BUCKET="+m.Bucket, "FERRY_S3_PREFIX=ferry", "FERRY_S3_PATH_STYLE=true"), extra...)
}

// originalKey is assets.OriginalKey (the serve tests do not import assets).
func originalKey(id string) string { return "originals/" + id[:2] + "/" + id }

// gate is a reader that gives the first n bytes of data, then blocks until
// released (to cut a PATCH in the middle).
type gate struct {
	data    []byte
	n       int
	reached chan struct{}
	release chan struct{}
}

func (g *gate) Read(p []byte) (int, error) {
	if g.n <= 0 {
		select {
		case <-g.reached:
		default:
			close(g.reached)
		}
		<-g.release
		return 0, io.ErrUnexpectedEOF
	}
	k := copy(p, g.data[:min(len(g.data), g.n, len(p))])
	g.data, g.n = g.data[k:], g.n-k
	return k, nil
}

// cutPatch sends data from off as one PATCH whose body stops after n bytes
// and hangs; it returns once the server has read those n bytes, and a
// function that lets the body end (as a dropped connection) and returns
// the PATCH's status (0: no answer).
func cutPatch(t *testing.T, c *testkit.Client, loc string, data []byte, off, n int, logs func() string) func() int {
	t.Helper()
	g := &gate{data: data[off:], n: n, reached: make(chan struct{}), release: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("PATCH", loc, g)
		req.ContentLength = int64(len(data) - off)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", strconv.Itoa(off))
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Origin", c.Origin) // the session's CSRF check (testkit.Client.Send would fail the test from this goroutine)
		res, err := c.HTTP.Do(req)
		if err != nil {
			t.Logf("cut PATCH: %v", err)
			done <- 0
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Logf("cut PATCH: %d %s", res.StatusCode, b)
		done <- res.StatusCode
	}()
	select {
	case <-g.reached:
	case status := <-done:
		t.Fatalf("the PATCH ended with %d before the server read %d bytes\n%s", status, n, logs())
	}
	return func() int {
		close(g.release)
		return <-done
	}
}

// finishUpload is a client's retry loop: ask the offset, send the rest in
// 16 MiB PATCHes, and on any failure ask again, until the upload is whole
// or the deadline passes.
func finishUpload(t *testing.T, c *testkit.Client, loc string, data []byte, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	failures := 0
	for {
		if time.Now().After(deadline) {
			t.Fatalf("upload not finished within %s (%d failed attempts)", within, failures)
		}
		off, res := c.TusHead(loc)
		if res.StatusCode != 200 {
			failures++
			time.Sleep(200 * time.Millisecond) // sleep: a client's back-off
			continue
		}
		if off == int64(len(data)) {
			return
		}
		end := min(off+16<<20, int64(len(data)))
		if res := c.TusPatch(loc, off, bytes.NewReader(data[off:end]), end-off); res.StatusCode != 204 {
			failures++
			time.Sleep(200 * time.Millisecond) // sleep: a client's back-off
		}
	}
}

func createUpload(t *testing.T, c *testkit.Client, parent, name string, size int) string {
	t.Helper()
	res := c.TusCreate(map[string]string{"filename": name, "parent_id": parent, "filetype": "application/octet-stream"}, int64(size), nil)
	if res.StatusCode != 201 {
		t.Fatalf("tus create: %d", res.StatusCode)
	}
	return res.Header.Get("Location")
}

// TestS3OutageDuringUpload: MinIO dies in the middle of a 200 MiB tus
// upload; the PATCH fails, the client retries, and once MinIO is back the
// upload finishes byte-identical, with no multipart upload left behind.
func TestS3OutageDuringUpload(t *testing.T) {
	m := testkit.MinIO(t)
	s := testkit.Start(t, func(c *config.Config) { m.Use(c, "ferry") })
	c, loc, data := startUpload(t, s, "big.bin", 200<<20, 50<<20)

	// The next PATCH sends 40 MiB more, then MinIO stops under it.
	release := cutPatch(t, c, loc, data, 50<<20, 40<<20, func() string { return "" })
	m.Stop()
	if status := release(); status == 204 {
		t.Fatal("the PATCH cut by the outage reported success")
	}
	if off, res := c.TusHead(loc); res.StatusCode == 200 {
		t.Fatalf("HEAD answered %d (offset %d) with the store down; want an error the client retries", res.StatusCode, off)
	}
	go func() {
		time.Sleep(3 * time.Second) // sleep: the outage lasts a while; the client keeps retrying
		m.Start()
	}()
	finishUpload(t, c, loc, data, 3*time.Minute)
	id := uploadID(loc)
	got := original(t, c, id)
	if sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("download after the outage differs: %d bytes", len(got))
	}
	if left := m.IncompleteUploads("ferry/" + originalKey(id)); len(left) > 0 {
		t.Fatalf("multipart uploads left: %v", left)
	}
	if left := m.Keys("ferry/uploads/"); len(left) > 0 {
		t.Fatalf("upload records left in the bucket: %v", left)
	}
}

// TestS3KillDuringMultipartUpload: kill -9 of the ferry process in the
// middle of a PATCH; restarted, it reports what the bucket holds, the
// upload resumes and completes; an upload given up is aborted by the
// expiry sweep, so no multipart upload is left (listed from MinIO).
func TestS3KillDuringMultipartUpload(t *testing.T) {
	m := testkit.MinIO(t)
	dataDir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	base := "http://" + addr
	f := startFerry(t, dataDir, addr, s3Env(m)...)
	f.waitUp(t, base)
	c := browser(t, base, &http.Client{Timeout: time.Minute})
	login(t, c)
	p := newProject(t, c)
	data := testkit.RandomBytes(t, 40<<20+7)
	loc := createUpload(t, c, p.RootAssetID, "cut.bin", len(data))
	abandoned := createUpload(t, c, p.RootAssetID, "given-up.bin", 30<<20)
	if res := c.TusPatch(abandoned, 0, bytes.NewReader(data[:9<<20]), 9<<20); res.StatusCode != 204 {
		t.Fatalf("PATCH of the upload to give up: %d", res.StatusCode)
	}
	if res := c.TusPatch(loc, 0, bytes.NewReader(data[:20<<20+3]), 20<<20+3); res.StatusCode != 204 {
		t.Fatalf("first PATCH: %d", res.StatusCode)
	}
	release := cutPatch(t, c, loc, data, 20<<20+3, 12<<20, f.out.String)
	f.cmd.Process.Kill() // kill -9 in the middle of the PATCH
	<-f.exited
	release()

	f = startFerry(t, dataDir, addr, s3Env(m)...)
	f.waitUp(t, base)
	off, res := c.TusHead(loc)
	if res.StatusCode != 200 || off < 20<<20+3 || off > 32<<20+3 {
		t.Fatalf("after kill -9: HEAD %d offset %d, want between the first PATCH's end and what was sent", res.StatusCode, off)
	}
	finishUpload(t, c, loc, data, 2*time.Minute)
	if got := original(t, c, uploadID(loc)); sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("download after the restart differs: %d bytes", len(got))
	}
	if left := m.IncompleteUploads("ferry/" + originalKey(uploadID(loc))); len(left) > 0 {
		t.Fatalf("the completed upload's multipart upload is still open: %v", left)
	}
	givenUp := "ferry/" + originalKey(uploadID(abandoned))
	if left := m.IncompleteUploads(givenUp); len(left) != 1 {
		t.Fatalf("multipart uploads of the given-up upload before the sweep: %v, want one", left)
	}

	// The given-up upload expires: the sweep aborts its multipart upload.
	f.cmd.Process.Kill()
	<-f.exited
	f = startFerry(t, dataDir, addr, s3Env(m, "FERRY_LIMITS_UPLOAD_EXPIRY=1s")...)
	f.waitUp(t, base)
	poll.Until(t, 30*time.Second, func() error {
		if ups, recs := m.IncompleteUploads(givenUp), m.Keys("ferry/uploads/"); len(ups) > 0 || len(recs) > 0 {
			return fmt.Errorf("after the expiry sweep: multipart uploads %v, records %v", ups, recs)
		}
		return nil
	})
	if _, res := c.TusHead(abandoned); res.StatusCode != 404 {
		t.Fatalf("the expired upload answers HEAD %d, want 404", res.StatusCode)
	}
}

// TestS3SlowDownDuringUpload: the store answers 503 for a few seconds in
// the middle of an upload (through a proxy in front of MinIO); the client
// library backs off and retries, the PATCHes that still fail are retried
// by the client, and the file arrives whole.
func TestS3SlowDownDuringUpload(t *testing.T) {
	m := testkit.MinIO(t)
	var failing atomic.Bool
	proxy, refused := refusingProxy(t, m, func(*http.Request) bool { return failing.Load() })
	s := testkit.Start(t, func(c *config.Config) {
		m.Use(c, "ferry")
		c.S3.Endpoint = proxy
	})
	c, loc, data := startUpload(t, s, "slow.bin", 64<<20, 16<<20)
	failing.Store(true)
	go func() {
		time.Sleep(4 * time.Second) // sleep: the store refuses for a while
		failing.Store(false)
	}()
	finishUpload(t, c, loc, data, 3*time.Minute)
	if refused.Load() == 0 {
		t.Fatal("the store never answered 503: the test did not test the outage")
	}
	if got := original(t, c, uploadID(loc)); sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("download after the 503s differs: %d bytes", len(got))
	}
	if left := m.Keys("ferry/uploads/"); len(left) > 0 {
		t.Fatalf("upload records left in the bucket: %v", left)
	}
	t.Logf("the store refused %d requests", refused.Load())
}

// startUpload creates a tus upload of size random bytes named name in a
// new project of s's admin, whose client waits up to 2 minutes, and sends
// its first bytes. It returns the client, the upload's URL and the data.
func startUpload(t *testing.T, s *testkit.Server, name string, size, first int) (*testkit.Client, string, []byte) {
	t.Helper()
	c := s.Admin(t)
	c.HTTP.Timeout = 2 * time.Minute
	p := newProject(t, c)
	data := testkit.RandomBytes(t, size)
	loc := createUpload(t, c, p.RootAssetID, name, len(data))
	if res := c.TusPatch(loc, 0, bytes.NewReader(data[:first]), int64(first)); res.StatusCode != 204 {
		t.Fatalf("first PATCH: %d", res.StatusCode)
	}
	return c, loc, data
}

// refusingProxy is a proxy in front of m that answers 503 SlowDown to the
// requests refuse picks (the store under load, or refusing one kind of
// object) and counts them. It returns the proxy's URL, an endpoint for ferry.
func refusingProxy(t *testing.T, m *testkit.MinIOServer, refuse func(*http.Request) bool) (string, *atomic.Int64) {
	target, _ := url.Parse(m.Endpoint)
	rp := httputil.NewSingleHostReverseProxy(target)
	refused := new(atomic.Int64)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse(r) {
			refused.Add(1)
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(503)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL, refused
}

// TestS3CompletionRefused: every byte of an upload is in its parts, but
// the store refuses to complete the multipart upload (503 SlowDown to the
// completion) for a while. The last PATCH fails and HEAD does not answer
// the full offset while no asset exists (a client would stop there with
// nothing made); once the store completes again, the client's retry
// finishes the upload and the file is an asset, byte-identical.
func TestS3CompletionRefused(t *testing.T) {
	m := testkit.MinIO(t)
	var failing atomic.Bool
	proxy, refused := refusingProxy(t, m, func(r *http.Request) bool {
		return failing.Load() && r.Method == "POST" && r.URL.Query().Has("uploadId")
	})
	s := testkit.Start(t, func(c *config.Config) {
		m.Use(c, "ferry")
		c.S3.Endpoint = proxy
	})
	c, loc, data := startUpload(t, s, "whole.bin", 24<<20, 16<<20)
	failing.Store(true)
	rest := data[16<<20:]
	if res := c.TusPatch(loc, 16<<20, bytes.NewReader(rest), int64(len(rest))); res.StatusCode == 204 {
		t.Fatal("the last PATCH reported success although the store refused to complete the upload")
	}
	if refused.Load() == 0 {
		t.Fatal("the store refused no completion: the test did not test a refused completion")
	}
	if off, res := c.TusHead(loc); res.StatusCode == 200 && off == int64(len(data)) {
		t.Fatal("HEAD answered the full offset while the upload is no asset: the client would stop with nothing made")
	}
	failing.Store(false)
	finishUpload(t, c, loc, data, 2*time.Minute)
	if got := original(t, c, uploadID(loc)); sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("download differs: %d bytes", len(got))
	}
	if left := m.IncompleteUploads("ferry/" + originalKey(uploadID(loc))); len(left) > 0 {
		t.Fatalf("multipart uploads left: %v", left)
	}
	if left := m.Keys("ferry/uploads/"); len(left) > 0 {
		t.Fatalf("upload records left in the bucket: %v", left)
	}
	t.Logf("the store refused %d completions", refused.Load())
}
