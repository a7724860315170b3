package links

import (
	"sync"
	"time"
)

// Entries written later: the views of a kept share page (its HTML or JSON
// served from memory) come by the thousand a second, and one transaction
// per group of waiting visitors rewrote the link's record a hundred times
// a second and kept Badger flushing and compacting. WriteLogLater keeps
// them in memory instead and stores them in a few large transactions.
const (
	// laterEvery is the longest an entry waits in memory: what a kill -9
	// can lose is the entries of at most this long (never a link, a file
	// or anything a visitor was answered about).
	laterEvery = time.Second
	// laterMax entries waiting make the writer that reaches it store them
	// at once (and the writers behind it wait for that: memory stays bounded).
	laterMax = 4096
	// laterChunk entries go in one transaction (well under Badger's batch
	// limit of 15 % of a 16 MiB memtable, with 400-byte user agents).
	laterChunk = 1024
)

// laterLog is the entries waiting for WriteLogLater's next store.
type laterLog struct {
	mu     sync.Mutex
	writes []logWrite
	timer  *time.Timer // runs FlushLog LaterEvery after the first entry waits

	flushMu sync.Mutex // one store at a time, in order
}

// WriteLogLater records entry e as WriteLog does, but returns at once: the
// entry (and its count in its link's record) is stored within LaterEvery,
// when laterMax entries wait, or at FlushLog, whichever comes first. Only
// counts that decide nothing may wait here: a link's uses (max uses) are
// counted in the transaction that admits the visitor, never through this.
func (s *Core) WriteLogLater(linkID string, vis Visitor, e Entry, count Counter) {
	w, ok := s.newLogWrite(linkID, vis, e, count)
	if !ok {
		return
	}
	l := &s.later
	l.mu.Lock()
	l.writes = append(l.writes, w)
	n := len(l.writes)
	if l.timer == nil {
		every := s.LaterEvery
		if every <= 0 {
			every = laterEvery
		}
		l.timer = time.AfterFunc(every, s.FlushLog)
	}
	l.mu.Unlock()
	if n >= laterMax {
		s.FlushLog()
	}
}

// FlushLog stores every entry WriteLogLater holds and returns once they
// are stored. Readers of counters and access logs call it first, so what
// they show includes every view answered before; the server calls it at
// shutdown, before the store closes.
func (s *Core) FlushLog() {
	l := &s.later
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	l.mu.Lock()
	writes := l.writes
	l.writes = nil
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.mu.Unlock()
	for len(writes) > 0 {
		n := min(len(writes), laterChunk)
		s.storeLog(writes[:n])
		writes = writes[n:]
	}
}
