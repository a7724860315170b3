package storage_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/testkit"
)

// localRenditions is what the local copies of renditions under root take
// on the disk, and how many there are.
func localRenditions(t *testing.T, root string) (int64, int) {
	return testkit.FilesUnder(t, filepath.Join(root, "proxies"))
}

// TestTieredRenditionCacheCap: with a small RenditionBytes, renditions
// made by tools and published, then served many times in turn, keep the
// local copies under the cap (least recently used go), and every one
// still serves byte-identical, fetched again from the bucket. A second
// start finds the copies on the disk; it removes only those the bucket
// holds, never one whose publication has not happened.
func TestTieredRenditionCacheCap(t *testing.T) {
	m := testkit.MinIO(t)
	dir := t.TempDir()
	remote := openS3(t, m, "ferry")
	const capBytes, n, size = 64 << 10, 40, 7 << 10 // 40 renditions of 7 KiB: 280 KiB for a 64 KiB cap
	tb := &storage.Tiered{Remote: remote, Local: storage.Disk{Root: dir},
		Cache: filepath.Join(dir, "cache"), CacheBytes: 1 << 30, RenditionBytes: capBytes}
	want := map[string][]byte{}
	var keys []string
	for i := range n {
		asset := fmt.Sprintf("proxies/%02d/a%02d", i, i)
		out, ok := tb.LocalPath(asset)
		if !ok {
			t.Fatal("no local path for a proxies directory")
		}
		if err := os.MkdirAll(out, 0o700); err != nil {
			t.Fatal(err)
		}
		data := testkit.RandomBytes(t, size)
		if err := os.WriteFile(filepath.Join(out, "thumb.jpg"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := tb.Publish(asset); err != nil {
			t.Fatal(err)
		}
		key := asset + "/thumb.jpg"
		want[key] = data
		keys = append(keys, key)
		if used, _ := localRenditions(t, dir); used > capBytes {
			t.Fatalf("after publishing %d renditions the local copies take %d bytes, over the %d cap", i+1, used, capBytes)
		}
	}
	if got := len(m.Keys("ferry/proxies/")); got != n {
		t.Fatalf("the bucket holds %d renditions, want %d", got, n)
	}
	serve := func(key string) {
		t.Helper()
		f, err := tb.Open(key)
		if err != nil {
			t.Fatalf("open %s: %v", key, err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil || !bytes.Equal(b, want[key]) {
			t.Fatalf("%s served %d bytes (%v), not the rendition's %d", key, len(b), err, len(want[key]))
		}
	}
	for round := range 3 {
		for _, key := range keys {
			serve(key)
			used, files := localRenditions(t, dir)
			if used > capBytes {
				t.Fatalf("round %d: %d bytes of local copies, over the %d cap", round, used, capBytes)
			}
			if files == n {
				t.Fatalf("round %d: every rendition is still on the disk: nothing was evicted", round)
			}
			if idx := tb.RenditionCacheBytes(); idx != used {
				t.Fatalf("the index counts %d bytes, the disk holds %d", idx, used)
			}
		}
	}
	// Recently used copies stay: the last one served is on the disk.
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(keys[n-1]))); err != nil {
		t.Fatalf("the rendition served last was evicted: %v", err)
	}

	// A second start, with a rendition a tool wrote that was never
	// published (the bucket is down, say) and the oldest of all.
	unpublished := filepath.Join(dir, "proxies/zz/z/large.jpg")
	if err := os.MkdirAll(filepath.Dir(unpublished), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(unpublished, testkit.RandomBytes(t, 20<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	old := mustStat(t, dir, keys[n-1]).ModTime().Add(-3600e9)
	os.Chtimes(unpublished, old, old)
	again := &storage.Tiered{Remote: remote, Local: storage.Disk{Root: dir},
		Cache: filepath.Join(dir, "cache"), CacheBytes: 1 << 30, RenditionBytes: 16 << 10}
	if used, _ := localRenditions(t, dir); again.RenditionCacheBytes() != used {
		t.Fatalf("at a start the index counts %d bytes, the disk holds %d", again.RenditionCacheBytes(), used)
	}
	for _, key := range slices.Backward(keys) {
		f, err := again.Open(key)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(b, want[key]) {
			t.Fatalf("%s differs after a restart", key)
		}
	}
	used, files := localRenditions(t, dir)
	if _, err := os.Stat(unpublished); err != nil {
		t.Fatalf("a rendition the bucket lacks was evicted: %v", err)
	}
	if used-20<<10 > 16<<10 || files > 3 {
		t.Fatalf("after a restart %d files, %d bytes of local copies beside the unpublished one; cap 16 KiB", files, used-20<<10)
	}
}

func mustStat(t *testing.T, dir, key string) os.FileInfo {
	t.Helper()
	st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key)))
	if err != nil {
		t.Fatal(err)
	}
	return st
}
