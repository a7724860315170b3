// Package teststore opens real Badger stores for tests: in a temp dir, or
// in the data dir of a server that stopped. It imports only server/store,
// so the tests inside any package may use it (testkit starts servers,
// which import most of the tree).
package teststore

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/ferryhq/ferry/server/store"
)

// Open opens a new store in a temp dir, closed when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	return OpenData(t, t.TempDir())
}

// OpenData opens the store of data dir dataDir (its db/), without log
// output, closed when the test ends.
func OpenData(t testing.TB, dataDir string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
