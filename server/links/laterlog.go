package links

import (
	"sync"
	"time"
)

// Entries written later: the views of a kept share page (its HTML or JSON
// served from memory) come by the ten thousand a second under load, and
// one transaction per group of waiting visitors rewrote the link's record
// a hundred times a second; every view's entry kept Badger flushing and
// compacting (its heap at 185 MB with 64 visitors). WriteLogLater keeps
// them in memory instead, one entry per visitor and second, and stores them
// in a few large transactions.
const (
	// laterEvery is the longest an entry waits in memory: what a kill -9
	// can lose is the entries of at most this long (never a link, a file
	// or anything a visitor was answered about).
	laterEvery = time.Second
	// laterMax distinct entries waiting make the writer that reaches it store them
	// at once (and the writers behind it wait for that: memory stays bounded).
	laterMax = 4096
	// laterPerAddr distinct visitors of one address (user agents) waiting
	// for one link and action are logged as such; more from that address
	// before the next store count in the first one's entry. One client
	// rotating its user agent (a flood, a crawler) then writes a few
	// entries a second, not one per request: the log stays readable, and
	// disk and memory bounded (64 such connections took Ferry's RSS to
	// 184 MiB). Many people behind one address each still get an entry up
	// to this many a second.
	laterPerAddr = 32
)

// laterLog is the entries waiting for WriteLogLater's next store.
type laterLog struct {
	mu     sync.Mutex
	writes []logWrite
	spare  []logWrite               // the array of the last entries stored, for the next
	same   map[laterKey]int         // index in writes of each visitor's waiting entry
	addrs  map[laterKey]addrEntries // entries waiting per address, link and action (laterPerAddr)
	timer  *time.Timer              // runs FlushLog LaterEvery after the first entry waits

	flushMu sync.Mutex // one store at a time, in order
}

// laterKey is what makes two entries the same visit again: the link, the
// action and the visitor (address and user agent).
type laterKey struct{ linkID, action, addr, userAgent string }

// addrEntries is how many entries of one address wait (for one link and
// action: a laterKey without the user agent) and the index of the first.
type addrEntries struct{ first, n int }

// WriteLogLater records entry e as WriteLog does, but returns at once: the
// entry (and its count in its link's record) is stored within LaterEvery,
// when laterMax entries wait, or at FlushLog, whichever comes first. The
// same visitor doing the same again while its entry waits (a reload, a
// client hammering a page) adds to that entry's count in the link's
// record, not another entry: the access log shows a visitor once a
// second at most, the link's counter every visit; and an address at most
// laterPerAddr times (its further visitors count in its first entry).
// Only counts that decide
// nothing may wait here: a link's uses (max uses) are counted in the
// transaction that admits the visitor, never through this.
func (s *Core) WriteLogLater(linkID string, vis Visitor, e Entry, count Counter) {
	k := laterKey{linkID, e.Action, vis.Addr, vis.UserAgent}
	l := &s.later
	l.mu.Lock()
	if i, ok := l.same[k]; ok {
		l.writes[i].times++
		l.mu.Unlock()
		return
	}
	ak := laterKey{linkID, e.Action, vis.Addr, ""}
	if a := l.addrs[ak]; a.n >= laterPerAddr {
		l.writes[a.first].times++
		l.mu.Unlock()
		return
	}
	w, ok := s.newLogWrite(linkID, vis, e, count)
	if !ok {
		l.mu.Unlock()
		return
	}
	if l.writes == nil {
		l.writes, l.spare = l.spare, nil
	}
	if l.same == nil {
		l.same, l.addrs = map[laterKey]int{}, map[laterKey]addrEntries{}
	}
	l.same[k] = len(l.writes)
	if a, ok := l.addrs[ak]; ok {
		l.addrs[ak] = addrEntries{a.first, a.n + 1}
	} else {
		l.addrs[ak] = addrEntries{len(l.writes), 1}
	}
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
	clear(l.same)
	clear(l.addrs)
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.mu.Unlock()
	if len(writes) > 0 {
		s.storeLog(writes) // in as few transactions as Badger takes (store.UpdateSplit)
	}
	if cap(writes) > 0 { // the next entries go in the same array, not a newly grown one
		clear(writes)
		l.mu.Lock()
		l.spare = writes[:0]
		l.mu.Unlock()
	}
}
