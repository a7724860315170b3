package links

import (
	"encoding/json"
	"log/slog"
	"slices"
	"sort"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/store"
)

// Entry is model.AccessLogEntry, the JSON document.
type Entry = model.AccessLogEntry

// Counter is a kind of link that counts visits in its own record (share
// links: views and downloads); it opts in by being passed to WriteLog.
type Counter interface {
	// CountVisits adds views and downloads to link id in tx; a link
	// deleted meanwhile is no error.
	CountVisits(tx *store.Tx, id string, views, downloads int) error
}

// logWrite is one access-log entry waiting for its group commit.
type logWrite struct {
	linkID, id string
	entry      Entry
	count      Counter // nil: counted nowhere
	times      int     // the visits it stands for (WriteLogLater: the same visitor again)
}

// logBatch is access-log entries committed in one transaction.
type logBatch struct {
	writes []logWrite
	turn   chan struct{} // closed when the batch may commit
	done   chan struct{} // closed when it committed (or failed)
}

// logBatchMax caps the entries of one transaction.
const logBatchMax = 256

// WriteLog is the one writer of access logs, for every kind of link;
// count, if not nil, counts the entry in its link's record (a share link's
// views and downloads). It returns once the entry is stored. Visitors of one link
// all change its record, so one transaction each would conflict under
// load: entries wait in a batch instead, and the caller that opened the
// batch commits it, with the counters summed, once the batch before it is
// done. Every caller thus writes at most one batch, its own.
func (s *Core) WriteLog(linkID string, vis Visitor, e Entry, count Counter) {
	w, ok := s.newLogWrite(linkID, vis, e, count)
	if !ok {
		return
	}

	s.logMu.Lock()
	var b *logBatch
	opened := false
	if n := len(s.logQueue); n > 0 && len(s.logQueue[n-1].writes) < logBatchMax {
		b = s.logQueue[n-1]
	} else {
		b = &logBatch{turn: make(chan struct{}), done: make(chan struct{})}
		s.logQueue = append(s.logQueue, b)
		opened = true
		if !s.logWriting {
			s.logWriting = true
			close(b.turn)
		}
	}
	b.writes = append(b.writes, w)
	s.logMu.Unlock()

	if opened {
		<-b.turn
		s.commitLog(b)
	}
	<-b.done
}

// newLogWrite stamps entry e with the time and vis and gives it its key;
// false if no key could be made.
func (s *Core) newLogWrite(linkID string, vis Visitor, e Entry, count Counter) (logWrite, bool) {
	e.Time = s.Time()
	e.Address = vis.Addr
	e.UserAgent = vis.UserAgent
	if len(e.UserAgent) > 400 {
		e.UserAgent = e.UserAgent[:400]
	}
	id, err := uuid.NewV7()
	if err != nil {
		return logWrite{}, false
	}
	return logWrite{linkID: linkID, id: id.String(), entry: e, count: count, times: 1}, true
}

// commitLog stores batch b, the first of the queue, then hands the turn
// to the next batch.
func (s *Core) commitLog(b *logBatch) {
	s.logMu.Lock()
	s.logQueue[0] = nil
	s.logQueue = s.logQueue[1:] // b takes no more entries
	s.logMu.Unlock()
	defer func() {
		close(b.done)
		s.logMu.Lock()
		if len(s.logQueue) > 0 {
			close(s.logQueue[0].turn)
		} else {
			s.logWriting = false
		}
		s.logMu.Unlock()
	}()

	s.storeLog(b.writes)
}

// storeLog commits writes in as few transactions as fit, the counters of each link
// summed; a failure is logged (an access log is no reason to fail a visit).
func (s *Core) storeLog(writes []logWrite) {
	type counters struct {
		views, downloads int
		to               Counter
	}
	// Waiting entries may be more than one transaction takes: they are
	// split, each part with the counts of its own entries.
	err := s.Store.UpdateSplit(len(writes), func(tx *store.Tx, lo, hi int) error {
		tx.Bookkeeping() // entries and counters: no page shows them (store.Changes)
		counts := map[string]counters{}
		for _, w := range writes[lo:hi] {
			if err := tx.Put(store.PrefixShareLog+w.linkID+"/"+w.id, w.entry); err != nil {
				return err
			}
			if w.count == nil {
				continue
			}
			c := counts[w.linkID]
			c.to = w.count
			switch w.entry.Action {
			case "view":
				c.views += w.times
			case "download", "zip":
				c.downloads += w.times
			default:
				continue
			}
			counts[w.linkID] = c
		}
		for id, c := range counts {
			if err := c.to.CountVisits(tx, id, c.views, c.downloads); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && s.Log != nil {
		var links []string
		for _, w := range writes {
			if !slices.Contains(links, w.linkID) {
				links = append(links, w.linkID)
			}
		}
		s.Log.Warn("access log write failed", slog.Int("entries", len(writes)), slog.Any("links", links), slog.Any("err", err))
	}
}

// ReadLog returns the access log of link linkID, newest first.
func (s *Core) ReadLog(linkID string) ([]Entry, error) {
	out := []Entry{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLog+linkID+"/", func(_ string, b []byte) error {
			var e Entry
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, err
}
