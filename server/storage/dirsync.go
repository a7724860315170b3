package storage

import (
	"os"
	"sync"
	"sync/atomic"
)

// dirSyncs group-commits the directory syncs that make renames durable.
// A caller notes its directory and waits for the next round; one round
// syncs every directory noted since the last round started, so callers
// that finish together share one round. On ext4 the first sync of a round
// commits the journal with every rename in it, and the others find nothing
// left to write. A caller returns only after a sync that started after its
// rename has finished, so a finished Import survives a crash exactly as
// with a sync of its own.
type dirSyncs struct {
	mu      sync.Mutex
	dirs    map[string]bool // noted for the next round
	next    *syncRound      // the round they wait for (nil: none noted)
	running bool            // a goroutine runs rounds
	rounds  atomic.Int64    // rounds run, for tests
}

// syncRound is one pass over the directories noted before it started.
type syncRound struct {
	done chan struct{}
	err  error // the first error of the round
}

// sync makes the entries of dir durable: it returns once a round that
// started after the call has synced dir.
func (s *dirSyncs) sync(dir string) error {
	s.mu.Lock()
	if s.next == nil {
		s.next, s.dirs = &syncRound{done: make(chan struct{})}, map[string]bool{}
	}
	s.dirs[dir] = true
	r := s.next
	if !s.running {
		s.running = true
		go s.run()
	}
	s.mu.Unlock()
	<-r.done
	return r.err
}

// run does rounds until no caller waits.
func (s *dirSyncs) run() {
	for {
		s.mu.Lock()
		r, dirs := s.next, s.dirs
		s.next, s.dirs = nil, nil
		if r == nil {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		for d := range dirs {
			if err := syncDir(d); err != nil && r.err == nil {
				r.err = err
			}
		}
		s.rounds.Add(1)
		close(r.done)
	}
}

// syncDir fsyncs directory dir.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
