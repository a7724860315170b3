package api_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/config"
	"github.com/ferryhq/ferry/server/testkit"
)

// tmpfsDir mounts a tmpfs of size bytes for the test, or skips the test
// saying why when this machine does not allow it (not root, no mounts).
func tmpfsDir(t *testing.T, size int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small-disk")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.FormatInt(size, 10)); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v); the disk-full test needs root", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

func freeOn(t *testing.T, dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

// An upload that hits a full disk (a 48 MiB tmpfs as the data directory)
// stops with a clear 507, keeps what arrived, leaves stored files intact,
// and resumes to a byte-identical file once there is room again.
func TestUploadOnAFullDisk(t *testing.T) {
	data := tmpfsDir(t, 48<<20)
	// The database lives off the small disk. Badger's memtables are sparse
	// mmap'd files: a write into one on a full tmpfs is a SIGBUS that kills
	// the process (the server's limits.min_free_bytes keeps room for them;
	// this test sets it to 0 to reach ENOSPC). The files under test (tus
	// uploads, originals) stay on the small disk.
	if err := os.Symlink(t.TempDir(), filepath.Join(data, "db")); err != nil {
		t.Fatal(err)
	}
	s := testkit.StartIn(t, data, testkit.OnDisk, func(c *config.Config) { c.Limits.MinFreeBytes = 0 })
	admin := s.Admin(t)
	_, root := linkProject(t, admin, "Small disk")
	kept := pattern(6<<20, 1)
	keptID := admin.Upload(root, "kept.bin", kept, "filetype", "application/octet-stream")

	free := freeOn(t, data)
	wantStatus(t, "a file larger than the free space", admin.TusCreate(map[string]string{"filename": "huge.bin", "parent_id": root}, free+(8<<20), nil), 507, "")

	// Two uploads that fit on their own but not together: the second is
	// refused at creation, since the first's announced size is booked.
	filler := pattern(int(free/2), 2)
	big := pattern(int(free-(1<<20)), 3)
	bigRes := admin.TusCreate(map[string]string{"filename": "big.bin", "parent_id": root}, int64(len(big)), nil)
	wantStatus(t, "creating the big upload", bigRes, 201, "")
	wantStatus(t, "a second upload past the booked space", admin.TusCreate(map[string]string{"filename": "filler.bin", "parent_id": root}, int64(len(filler)), nil), 507, "")
	bigURL := bigRes.Header.Get("Location")
	// Something else fills the disk meanwhile (another process, a log).
	if err := os.WriteFile(filepath.Join(data, "filler.bin"), filler, 0o600); err != nil {
		t.Fatal(err)
	}
	// The server answers 507 before the body ends and closes the
	// connection; the client may see that as a reset instead of the answer
	// (the kernel drops an unread response on RST), as browsers do. Either
	// way the offset below must hold what arrived.
	patchURL := bigURL
	if strings.HasPrefix(patchURL, "/") {
		patchURL = s.URL + patchURL
	}
	req, _ := http.NewRequest("PATCH", patchURL, bytes.NewReader(big))
	req.ContentLength = int64(len(big))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	if admin.Token != "" {
		req.Header.Set("Authorization", "Bearer "+admin.Token)
	}
	if admin.Origin != "" {
		req.Header.Set("Origin", admin.Origin)
	}
	if res, err := admin.HTTP.Do(req); err != nil {
		t.Logf("the upload that fills the disk: connection closed before the answer was read (%v)", err)
	} else if res.StatusCode != 507 || !strings.Contains(body(res), "disk is full") {
		t.Fatalf("the upload that fills the disk: %d %s", res.StatusCode, body(res))
	}
	off, _ := admin.TusHead(bigURL)
	if off <= 0 || off >= int64(len(big)) {
		t.Fatalf("offset after the full disk: %d of %d", off, len(big))
	}
	bigID := bigURL[strings.LastIndex(bigURL, "/")+1:]
	var a model.Asset
	admin.Do("GET", "/api/v2/assets/"+bigID, nil, &a)
	if a.UploadStatus == "" {
		t.Fatalf("the cut upload became a finished asset")
	}

	// What was stored before is intact, and the server still answers.
	got := admin.Do("GET", "/api/v2/assets/"+keptID+"/original", nil, nil)
	b, _ := io.ReadAll(got.Body)
	if got.StatusCode != 200 || sha256.Sum256(b) != sha256.Sum256(kept) {
		t.Fatalf("the stored file after the full disk: %d, %d bytes", got.StatusCode, len(b))
	}
	wantStatus(t, "healthz", admin.Do("GET", "/healthz", nil, nil), 200, "")

	// Room again: the filler goes, the big upload resumes where it stopped.
	if err := os.Remove(filepath.Join(data, "filler.bin")); err != nil {
		t.Fatal(err)
	}
	off, _ = admin.TusHead(bigURL)
	wantStatus(t, "resume", admin.TusPatch(bigURL, off, bytes.NewReader(big[off:]), int64(len(big))-off), 204, "")
	got = admin.Do("GET", "/api/v2/assets/"+bigID+"/original", nil, nil)
	b, _ = io.ReadAll(got.Body)
	if got.StatusCode != 200 || sha256.Sum256(b) != sha256.Sum256(big) {
		t.Fatalf("the resumed file: %d, %d of %d bytes", got.StatusCode, len(b), len(big))
	}
}
