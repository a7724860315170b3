package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Imports finishing together share directory syncs, and every one of them
// lands where it was sent.
func TestImportsGroupTheirDirectorySyncs(t *testing.T) {
	root := t.TempDir()
	d := NewDisk(root)
	const n = 64
	src := t.TempDir()
	for i := 0; i < n; i++ {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprint(i)), []byte(fmt.Sprint("file ", i)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// Four directories, as originals/ spreads files by the id's first characters.
			errs[i] = d.Import(filepath.Join(src, fmt.Sprint(i)), fmt.Sprintf("originals/%02d/%d", i%4, i))
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		b, err := os.ReadFile(filepath.Join(root, "originals", fmt.Sprintf("%02d", i%4), fmt.Sprint(i)))
		if err != nil || string(b) != fmt.Sprint("file ", i) {
			t.Fatalf("import %d: %q, %v", i, b, err)
		}
	}
	if r := d.dirs.rounds.Load(); r >= n {
		t.Fatalf("%d imports took %d rounds of directory syncs: none was shared", n, r)
	} else {
		t.Logf("%d imports, %d rounds of directory syncs", n, r)
	}
}

// A call made while a round runs (its directories already taken) waits
// for the next round: the running one may have synced before the rename.
func TestDirSyncWaitsForARoundStartedAfterIt(t *testing.T) {
	s := &dirSyncs{running: true} // a round under way, its directories taken
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() { done <- s.sync(dir) }()
	for noted := false; !noted; {
		s.mu.Lock()
		noted = s.next != nil && s.dirs[dir]
		s.mu.Unlock()
	}
	select {
	case err := <-done:
		t.Fatalf("returned (%v) before any round started after the call", err)
	default:
	}
	s.run() // the running goroutine's next turn
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := s.rounds.Load(); got != 1 {
		t.Fatalf("rounds: %d", got)
	}
}
