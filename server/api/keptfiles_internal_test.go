package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/storage"
)

// keptFiles stays within its budget, keeps no file above Each, and reads
// a file again when it changed on disk.
func TestKeptFilesBudgetAndChanges(t *testing.T) {
	root := t.TempDir()
	blobs := storage.Disk{Root: root}
	write := func(key, body string, mod time.Time) {
		t.Helper()
		p := filepath.Join(root, key)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	k := &keptFiles{Each: 10, Max: 25}
	t0 := time.Now().Add(-time.Hour)
	for _, key := range []string{"proxies/a", "proxies/b", "proxies/c", "proxies/d"} {
		write(key, strings.Repeat(key[len(key)-1:], 8), t0)
		f, ok := k.load(blobs, key)
		if !ok || string(f.body) != strings.Repeat(key[len(key)-1:], 8) {
			t.Fatalf("%s: %v %+v", key, ok, f)
		}
		if k.size > k.Max {
			t.Fatalf("after %s: %d bytes kept, budget %d", key, k.size, k.Max)
		}
	}
	if len(k.m) != 3 || k.size != 24 {
		t.Fatalf("kept %d files, %d bytes; want 3, 24", len(k.m), k.size)
	}
	write("proxies/big", strings.Repeat("x", 11), t0)
	if _, ok := k.load(blobs, "proxies/big"); ok || k.get("proxies/big") != nil {
		t.Fatal("a file above Each was kept")
	}
	if _, ok := k.load(blobs, "proxies/missing"); ok {
		t.Fatal("a missing file loaded")
	}
	write("proxies/d", "new d", t0.Add(time.Minute))
	if f, ok := k.load(blobs, "proxies/d"); !ok || string(f.body) != "new d" || string(k.get("proxies/d").body) != "new d" {
		t.Fatalf("a file changed on disk was not read again: %q", f.body)
	}
	if k.size > k.Max {
		t.Fatalf("%d bytes kept, budget %d", k.size, k.Max)
	}
}
