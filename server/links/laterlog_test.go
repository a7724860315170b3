package links

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/poll"
)

// stored is what link id has in the store: access-log entries and the
// views its counter holds.
func stored(t *testing.T, s *Core, id string) (entries, views int) {
	t.Helper()
	log, err := s.ReadLog(id)
	if err != nil {
		t.Fatal(err)
	}
	s.Store.View(func(tx *store.Tx) error { tx.Get(viewsKey+id, &views); return nil })
	return len(log), views
}

// visitor is the i-th of many distinct visitors.
func visitor(i int) Visitor {
	return Visitor{Addr: fmt.Sprintf("192.0.2.%d", i%250), UserAgent: fmt.Sprintf("test/%d", i)}
}

// Entries written later wait in memory until FlushLog, then go in one
// transaction, their views summed in the link's counter.
func TestWriteLogLaterWaitsForFlush(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: time.Hour}
	id := uuid.NewString()
	for i := 0; i < 10; i++ {
		s.WriteLogLater(id, visitor(i), Entry{Action: "view"}, viewCounter{})
	}
	if e, v := stored(t, s, id); e != 0 || v != 0 {
		t.Fatalf("before the flush: %d entries, %d views stored; want none yet", e, v)
	}
	before := s.Store.DB.MaxVersion()
	s.FlushLog()
	if txns := s.Store.DB.MaxVersion() - before; txns != 1 {
		t.Errorf("10 entries took %d transactions, want 1", txns)
	}
	if e, v := stored(t, s, id); e != 10 || v != 10 {
		t.Fatalf("after the flush: %d entries, %d views; want 10 and 10", e, v)
	}
	log, _ := s.ReadLog(id)
	if log[9].Action != "view" || log[9].Address != "192.0.2.0" || log[9].UserAgent != "test/0" || log[9].Time.IsZero() {
		t.Errorf("entry as stored: %+v", log[9])
	}
	s.FlushLog() // nothing waits: no transaction
	if txns := s.Store.DB.MaxVersion() - before; txns != 1 {
		t.Errorf("an empty flush wrote: %d transactions in all", txns)
	}
}

// Without a reader or a shutdown, entries are stored within LaterEvery.
func TestWriteLogLaterStoresWithinInterval(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: 20 * time.Millisecond}
	id := uuid.NewString()
	for round := 1; round <= 2; round++ { // the timer starts again after a store
		for i := 0; i < 5; i++ {
			s.WriteLogLater(id, visitor(i), Entry{Action: "view"}, viewCounter{})
		}
		poll.Until(t, 10*time.Second, func() error {
			if e, v := stored(t, s, id); e != 5*round || v != 5*round {
				return fmt.Errorf("round %d: %d entries, %d views stored; want %d", round, e, v, 5*round)
			}
			return nil
		})
	}
}

// Memory stays bounded: the writer that makes laterMax entries wait stores
// them before it returns, in one transaction as they fit; nothing
// is lost or counted twice among writers arriving meanwhile.
func TestWriteLogLaterBounded(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: time.Hour}
	id := uuid.NewString()
	const n = laterMax + 100
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += 64 {
				s.WriteLogLater(id, visitor(i), Entry{Action: "view"}, viewCounter{})
			}
		}()
	}
	wg.Wait()
	s.later.mu.Lock()
	waiting := len(s.later.writes)
	s.later.mu.Unlock()
	if waiting >= laterMax {
		t.Errorf("%d entries still wait in memory, want fewer than %d", waiting, laterMax)
	}
	if e, v := stored(t, s, id); e+waiting != n || v+waiting != n || e < laterMax {
		t.Errorf("%d entries and %d views stored, %d waiting; want %d in all, at least %d stored", e, v, waiting, n, laterMax)
	}
	before := s.Store.DB.MaxVersion()
	s.FlushLog()
	if txns := s.Store.DB.MaxVersion() - before; waiting > 0 && txns != 1 {
		t.Errorf("%d waiting entries took %d transactions", waiting, txns)
	}
	if e, v := stored(t, s, id); e != n || v != n {
		t.Errorf("after the flush: %d entries, %d views; want %d", e, v, n)
	}
}

// More entries than one Badger transaction takes (ErrTxnTooBig: long user
// agents, a flood of new visitors) are all stored, each counted once, in
// as many transactions as needed.
func TestStoreLogSplitsTooBigBatches(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: time.Hour}
	id := uuid.NewString()
	const n = 6000
	writes := make([]logWrite, 0, n)
	for i := 0; i < n; i++ {
		vis := visitor(i)
		vis.UserAgent += strings.Repeat("x", 400)
		w, ok := s.newLogWrite(id, vis, Entry{Action: "view"}, viewCounter{})
		if !ok {
			t.Fatal("no entry")
		}
		writes = append(writes, w)
	}
	before := s.Store.DB.MaxVersion()
	s.storeLog(writes)
	if txns := s.Store.DB.MaxVersion() - before; txns < 2 {
		t.Errorf("%d entries of 400-byte user agents took %d transaction: more than Badger takes in one", n, txns)
	}
	if e, v := stored(t, s, id); e != n || v != n {
		t.Errorf("%d entries, %d views stored; want %d and %d", e, v, n, n)
	}
}

// One address rotating its user agent (a flood from one client) makes at
// most laterPerAddr entries per store, every view still counted; another
// address, link or action is logged apart.
func TestWriteLogLaterBoundsAnAddress(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: time.Hour}
	a, b := uuid.NewString(), uuid.NewString()
	const n = 1000
	for i := 0; i < n; i++ {
		s.WriteLogLater(a, Visitor{Addr: "198.51.100.7", UserAgent: fmt.Sprintf("flood/%d", i)}, Entry{Action: "view"}, viewCounter{})
	}
	s.WriteLogLater(a, Visitor{Addr: "198.51.100.8", UserAgent: "flood/0"}, Entry{Action: "view"}, viewCounter{})
	s.WriteLogLater(b, Visitor{Addr: "198.51.100.7", UserAgent: "flood/0"}, Entry{Action: "view"}, viewCounter{})
	s.FlushLog()
	if e, v := stored(t, s, a); e != laterPerAddr+1 || v != n+1 {
		t.Errorf("link a: %d entries, %d views; want %d entries (%d of the flooding address, 1 of the other) and %d views", e, v, laterPerAddr+1, laterPerAddr, n+1)
	}
	if e, v := stored(t, s, b); e != 1 || v != 1 {
		t.Errorf("link b: %d entries, %d views; want 1 and 1", e, v)
	}
	// After the store, the address gets entries again.
	s.WriteLogLater(a, Visitor{Addr: "198.51.100.7", UserAgent: "later"}, Entry{Action: "view"}, viewCounter{})
	s.FlushLog()
	if e, _ := stored(t, s, a); e != laterPerAddr+2 {
		t.Errorf("after a store: %d entries, want %d", e, laterPerAddr+2)
	}
}

// The same visitor again while its entry waits (a reload, a client
// hammering the page) is counted in the link's views but makes no second
// entry; another visitor, another link or another action does.
func TestWriteLogLaterSameVisitorOnce(t *testing.T) {
	s := &Core{Store: openStore(t), LaterEvery: time.Hour}
	a, b := uuid.NewString(), uuid.NewString()
	for i := 0; i < 100; i++ {
		s.WriteLogLater(a, visitor(0), Entry{Action: "view"}, viewCounter{})
	}
	s.WriteLogLater(a, visitor(1), Entry{Action: "view"}, viewCounter{})
	s.WriteLogLater(b, visitor(0), Entry{Action: "view"}, viewCounter{})
	s.WriteLogLater(a, visitor(0), Entry{Action: "download"}, viewCounter{}) // viewCounter counts views only
	s.FlushLog()
	if e, v := stored(t, s, a); e != 3 || v != 101 {
		t.Errorf("link a: %d entries, %d views; want 3 entries (visitor 0, visitor 1, the download) and 101 views", e, v)
	}
	if e, v := stored(t, s, b); e != 1 || v != 1 {
		t.Errorf("link b: %d entries, %d views; want 1 and 1", e, v)
	}
	// After the store, the same visitor makes a new entry.
	s.WriteLogLater(a, visitor(0), Entry{Action: "view"}, viewCounter{})
	s.FlushLog()
	if e, v := stored(t, s, a); e != 4 || v != 102 {
		t.Errorf("link a after a second store: %d entries, %d views; want 4 and 102", e, v)
	}
}
