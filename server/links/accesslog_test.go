package links

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/poll"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// openStore is a real store in a temp dir (the tests of this package
// call it by this name).
func openStore(t *testing.T) *store.Store { return teststore.Open(t) }

// viewCounter counts views under viewsKey, as a share link counts them in
// its record.
type viewCounter struct{}

const viewsKey = "test/views/"

func (viewCounter) CountVisits(tx *store.Tx, id string, views, _ int) error {
	var n int
	tx.Get(viewsKey+id, &n)
	return tx.Put(viewsKey+id, n+views)
}

// Callers that arrive while a batch commits wait together and go in as few
// transactions as the batch size allows.
func TestAccessLogGroupCommit(t *testing.T) {
	s := &Core{Store: openStore(t)}
	id := uuid.NewString()
	views := viewCounter{}
	const n = logBatchMax + 44
	s.logWriting = true // as if a batch were committing
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.WriteLog(id, Visitor{}, Entry{Action: "view"}, views)
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
	entries, err := s.ReadLog(id)
	if err != nil || len(entries) != n {
		t.Errorf("access log has %d entries (%v), want %d", len(entries), err, n)
	}
	var got int
	if err := s.Store.View(func(tx *store.Tx) error { return tx.Get(viewsKey+id, &got) }); err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("views = %d, want %d", got, n)
	}
}
