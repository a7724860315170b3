package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/storage"
)

// readKept reads a small local file whole and refuses what must be sent
// from the store: a file above the bound, a missing file, a folder.
func TestReadKept(t *testing.T) {
	root := t.TempDir()
	blobs := storage.Disk{Root: root}
	for key, body := range map[string]string{"proxies/a": "aaaaaaaa", "proxies/big": strings.Repeat("x", 11)} {
		p := filepath.Join(root, key)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if f, ok := readKept(blobs, "proxies/a", 10); !ok || string(f.body) != "aaaaaaaa" || f.modTime.IsZero() {
		t.Fatalf("a small file: %v %+v", ok, f)
	}
	for _, key := range []string{"proxies/big", "proxies/missing", "proxies"} {
		if f, ok := readKept(blobs, key, 10); ok {
			t.Fatalf("%s was kept: %q", key, f.body)
		}
	}
}
