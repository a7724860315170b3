package links

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Many visitors of one link at once: every entry is in its access log and
// every view and download is counted, though they all change one record.
func TestAccessLogUnderLoad(t *testing.T) {
	s := &Service{Store: newStore(t)}
	l := Link{ID: uuid.NewString(), Key: "k1", Kind: KindPublic}
	if err := s.Store.Update(func(tx *store.Tx) error { return putLink(tx, l) }); err != nil {
		t.Fatal(err)
	}
	// Review links' entries (LogReview) count nowhere, nor do failed passwords.
	actions := map[string]int{"view": 64, "download": 24, "zip": 8, "failed_password": 4, "review": 4}
	var wg sync.WaitGroup
	for action, n := range actions {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				vis := Visitor{Addr: "192.0.2.1", UserAgent: "test"}
				if action == "review" {
					s.LogReview(l.ID, vis, Entry{Action: "view"})
					return
				}
				s.LogAccess(l, vis, Entry{Action: action})
			}()
		}
	}
	wg.Wait()

	entries, err := s.readLog(l.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range entries {
		got[e.Action]++
	}
	want := map[string]int{"view": 68, "download": 24, "zip": 8, "failed_password": 4}
	if len(got) != len(want) {
		t.Errorf("access log actions = %v, want %v", got, want)
	}
	for a, n := range want {
		if got[a] != n {
			t.Errorf("access log has %d %q entries, want %d (all: %v)", got[a], a, n, got)
		}
	}
	var cur Link
	if err := s.Store.View(func(tx *store.Tx) (err error) { cur, err = getLink(tx, l.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if cur.Views != 64 || cur.Downloads != 32 {
		t.Errorf("counters: views %d, downloads %d; want 64 and 32", cur.Views, cur.Downloads)
	}
}

// An entry of a link deleted meanwhile is still written; its counters are not.
func TestAccessLogDeletedLink(t *testing.T) {
	s := &Service{Store: newStore(t)}
	l := Link{ID: uuid.NewString(), Key: "k1", Kind: KindPublic}
	s.LogAccess(l, Visitor{}, Entry{Action: "download"})
	entries, err := s.readLog(l.ID)
	if err != nil || len(entries) != 1 || entries[0].Action != "download" {
		t.Fatalf("access log = %v, %v; want one download", entries, err)
	}
	err = s.Store.View(func(tx *store.Tx) error { _, err := getLink(tx, l.ID); return err })
	if err == nil {
		t.Fatal("counting a download made a record for a deleted link")
	}
}

// Callers that arrive while a batch commits wait together and go in as few
// transactions as the batch size allows.
func TestAccessLogGroupCommit(t *testing.T) {
	s := &Service{Store: newStore(t)}
	l := Link{ID: uuid.NewString(), Key: "k1", Kind: KindPublic}
	if err := s.Store.Update(func(tx *store.Tx) error { return putLink(tx, l) }); err != nil {
		t.Fatal(err)
	}
	const n = logBatchMax + 44
	s.logWriting = true // as if a batch were committing
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.LogAccess(l, Visitor{}, Entry{Action: "view"})
		}()
	}
	queued := func() int {
		s.logMu.Lock()
		defer s.logMu.Unlock()
		q := 0
		for _, b := range s.logQueue {
			q += len(b.writes)
		}
		return q
	}
	if !poll.True(10*time.Second, func() bool { return queued() >= n }) {
		t.Fatalf("%d of %d entries queued", queued(), n)
	}
	before := s.Store.DB.MaxVersion()
	s.logMu.Lock()
	if len(s.logQueue) != 2 {
		t.Errorf("%d entries in %d batches, want 2", n, len(s.logQueue))
	}
	close(s.logQueue[0].turn) // the batch before is done
	s.logMu.Unlock()
	wg.Wait()

	if txns := s.Store.DB.MaxVersion() - before; txns != 2 {
		t.Errorf("%d entries took %d transactions, want 2", n, txns)
	}
	if len(s.logQueue) != 0 || s.logWriting {
		t.Errorf("after the last batch: %d batches queued, writing %v", len(s.logQueue), s.logWriting)
	}
	entries, err := s.readLog(l.ID)
	if err != nil || len(entries) != n {
		t.Errorf("access log has %d entries (%v), want %d", len(entries), err, n)
	}
	var cur Link
	if err := s.Store.View(func(tx *store.Tx) (err error) { cur, err = getLink(tx, l.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if cur.Views != n {
		t.Errorf("views = %d, want %d", cur.Views, n)
	}
}
