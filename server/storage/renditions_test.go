package storage_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
)

// TestTieredRenditions: renditions a tool writes into a local directory
// reach the bucket when published (files still being written do not);
// with the local disk gone, as on a new machine restored from the bucket,
// they are stated, opened and handed to tools from the bucket; publishing
// again uploads nothing already there; removal clears both places.
func TestTieredRenditions(t *testing.T) {
	m := testkit.MinIO(t)
	dir := t.TempDir()
	remote := openS3(t, m, "ferry")
	tb := &storage.Tiered{Remote: remote, Local: storage.Disk{Root: dir},
		Cache: filepath.Join(dir, "cache"), CacheBytes: 1 << 30}
	out, ok := tb.LocalPath("proxies/cc/c")
	if !ok {
		t.Fatal("no local path for a proxies directory")
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"thumb.jpg": testkit.RandomBytes(t, 2000), "720.mp4": testkit.RandomBytes(t, 3<<20)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(out, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(out, ".tmp-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := m.Keys("ferry/proxies/"); len(got) > 0 {
		t.Fatalf("in the bucket before publishing: %v", got)
	}
	if err := tb.Publish("proxies/cc/c"); err != nil {
		t.Fatal(err)
	}
	got := m.Keys("ferry/proxies/")
	slices.Sort(got)
	if want := []string{"ferry/proxies/cc/c/720.mp4", "ferry/proxies/cc/c/thumb.jpg"}; !slices.Equal(got, want) {
		t.Fatalf("bucket holds %v, want %v", got, want)
	}
	before, err := remote.Stat("proxies/cc/c/720.mp4")
	if err != nil {
		t.Fatal(err)
	}

	// A new machine: the local copies are gone.
	if err := os.RemoveAll(filepath.Join(dir, "proxies")); err != nil {
		t.Fatal(err)
	}
	if st, err := tb.Stat("proxies/cc/c/thumb.jpg"); err != nil || st.Size() != 2000 {
		t.Fatalf("Stat from the bucket: %v %v", st, err)
	}
	f, err := tb.Open("proxies/cc/c/thumb.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(b, files["thumb.jpg"]) {
		t.Fatal("thumb fetched from the bucket differs")
	}
	p, ok := tb.LocalPath("proxies/cc/c/720.mp4")
	if b, _ := os.ReadFile(p); !ok || !bytes.Equal(b, files["720.mp4"]) {
		t.Fatalf("a tool's path to the video proxy: %v, %d bytes", ok, len(b))
	}
	time.Sleep(1100 * time.Millisecond) // sleep: object times have whole seconds: an upload now would show
	if err := tb.Publish("proxies/cc/c"); err != nil {
		t.Fatal(err)
	}
	if after, err := remote.Stat("proxies/cc/c/720.mp4"); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("publishing fetched copies uploaded them again: %v, modified %v then %v", err, before.ModTime(), after.ModTime())
	}

	// Create publishes at once (face crops); RemoveAll clears both places.
	put(t, tb, "proxies/cc/c/face-1.jpg", []byte("crop"))
	if !slices.Contains(m.Keys("ferry/proxies/"), "ferry/proxies/cc/c/face-1.jpg") {
		t.Fatal("a created rendition is not in the bucket")
	}
	if err := tb.RemoveAll("proxies/cc/c"); err != nil {
		t.Fatal(err)
	}
	if left := m.Keys("ferry/proxies/"); len(left) > 0 {
		t.Fatalf("left in the bucket: %v", left)
	}
	if _, err := os.Stat(filepath.Join(dir, "proxies/cc/c")); !os.IsNotExist(err) {
		t.Fatalf("left on disk: %v", err)
	}
}
