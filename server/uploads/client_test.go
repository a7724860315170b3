package uploads_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/testkit"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// TestTusJSClientResume uploads 50 MiB with tus-js-client (node), stops it
// in the middle, resumes it from a new client instance, and checks the
// asset downloads byte-identical.
func TestTusJSClientResume(t *testing.T) {
	srv := testkit.Start(t)
	token := srv.TokenClient(t, "projects.create", "assets.create", "assets.read")
	p := newProject(t, token, "From node")
	path := filepath.Join(t.TempDir(), "clip.mov")
	want := writeRandomFile(t, path, 50<<20)
	args := []string{"--endpoint", srv.URL + "/api/v2/tus/", "--file", path,
		"--header", "Authorization: Bearer " + token.Token,
		"--metadata", "filename=clip.mov", "--metadata", "filetype=video/quicktime",
		"--metadata", "parent_id=" + p.RootAssetID, "--chunk-size", strconv.Itoa(4 << 20)}
	out, err := testkit.TusUpload(t, append(args, "--stop-after", strconv.Itoa(20<<20))...)
	if err != nil {
		t.Fatal(err)
	}
	first := testkit.ParseTusResult(t, out)
	if first.Offset < 20<<20 || first.Offset >= 50<<20 {
		t.Fatalf("stopped at %d, want between 20 MiB and 50 MiB", first.Offset)
	}
	off, res := token.TusHead(first.URL)
	if res.StatusCode != 200 || off != first.Offset {
		t.Fatalf("server offset after the interruption: %d (%d), client says %d", off, res.StatusCode, first.Offset)
	}
	out, err = testkit.TusUpload(t, append(args, "--resume-url", first.URL)...)
	if err != nil {
		t.Fatal(err)
	}
	if r := testkit.ParseTusResult(t, out); r.Offset != 50<<20 || r.URL != first.URL {
		t.Fatalf("resume finished at %d of %s, want %d of %s", r.Offset, r.URL, 50<<20, first.URL)
	}
	id := first.URL[strings.LastIndex(first.URL, "/")+1:]
	res = download(t, token, id)
	if got := sha256.Sum256(body(res)); hex.EncodeToString(got[:]) != want {
		t.Fatal("downloaded asset differs from the uploaded file")
	}
}

func writeRandomFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(newPattern(1), size)); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// pattern is a fast deterministic byte stream (not compressible, not zeros).
type pattern struct{ r *rand.ChaCha8 }

func newPattern(seed byte) *pattern {
	var s [32]byte
	s[0] = seed
	return &pattern{rand.NewChaCha8(s)}
}

func (p *pattern) Read(b []byte) (int, error) { return p.r.Read(b) }

// TestLargeUploadMemoryStaysFlat streams a 1 GiB PATCH into a real ferry
// process and reads its peak resident memory from /proc: the body must be
// streamed to disk, never buffered.
func TestLargeUploadMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB upload: skipped with -short (make bench runs it)")
	}
	bin := ferryBinary(t)
	dir := t.TempDir()
	port := testkit.FreePort(t)
	cmd := exec.Command(bin, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data-dir", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "FERRY_ADMIN_EMAIL="+testkit.AdminEmail, "FERRY_ADMIN_PASSWORD="+testkit.AdminPassword, "FERRY_LOG_LEVEL=warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitUp(t, base)
	srv := &testkit.Server{URL: base}
	c := srv.Admin(t)
	p := newProject(t, c, "Big")
	const size = 1 << 30
	res := c.TusCreate(map[string]string{"filename": "big.bin", "parent_id": p.RootAssetID}, size, nil)
	if res.StatusCode != 201 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	before := vmHWM(t, cmd.Process.Pid)
	h := sha256.New()
	start := time.Now()
	res = c.TusPatch(res.Header.Get("Location"), 0, io.TeeReader(io.LimitReader(newPattern(7), size), h), size)
	if res.StatusCode != 204 {
		t.Fatalf("PATCH 1 GiB: %d %s", res.StatusCode, body(res))
	}
	elapsed := time.Since(start)
	peak := vmHWM(t, cmd.Process.Pid)
	t.Logf("1 GiB PATCH in %v (%.0f MB/s); server VmHWM %d MiB before, %d MiB after", elapsed.Round(time.Millisecond),
		float64(size)/1e6/elapsed.Seconds(), before>>20, peak>>20)
	if peak-before > 64<<20 {
		t.Errorf("server peak memory grew by %d MiB during a 1 GiB upload; bodies must stream", (peak-before)>>20)
	}
	kids := children(t, c, p.RootAssetID)
	if len(kids) != 1 || kids[0].Filesize != size {
		t.Fatalf("asset after upload: %+v", kids)
	}
	// Stream the download back and compare checksums.
	req, _ := http.NewRequest("GET", base+"/api/v2/assets/"+kids[0].ID+"/original", nil)
	for _, ck := range c.HTTP.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	dl, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Body.Close()
	h2 := sha256.New()
	if _, err := io.Copy(h2, dl.Body); err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(h.Sum(nil)) != hex.EncodeToString(h2.Sum(nil)) {
		t.Fatal("1 GiB download differs from the upload")
	}
}

func ferryBinary(t *testing.T) string { return testkit.FerryBinary(t) }

func waitUp(t *testing.T, base string) {
	t.Helper()
	poll.Until(t, 20*time.Second, func() error {
		if c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
			c.Close()
			if res, err := http.Get(base + "/healthz"); err == nil && res.StatusCode == 200 {
				res.Body.Close()
				return nil
			}
		}
		return fmt.Errorf("ferry did not start")
	})
}

// vmHWM reads a process's peak resident set size in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
