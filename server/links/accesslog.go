package links

import (
	"encoding/json"
	"log/slog"
	"slices"
	"sort"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/store"
)

// Entry is model.AccessLogEntry, the JSON document.
type Entry = model.AccessLogEntry

// LogAccess records an access to link l by vis.
func (s *Service) LogAccess(l Link, vis Visitor, e Entry) { s.logAccess(l, vis, e) }

func (s *Service) logAccess(l Link, vis Visitor, e Entry) { s.writeLog(l.ID, vis, e, true) }

// LogView records a view of key's page by vis: the server sent the gallery
// (Peek), so the page's app does not ask for the link again.
func (s *Service) LogView(key string, vis Visitor) {
	var l Link
	if s.Store.View(func(tx *store.Tx) (err error) { l, err = byKey(tx, key); return err }) == nil {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
}

// logEntry records an access to a review link (its counters live elsewhere).
func (s *Service) logEntry(linkID string, vis Visitor, e Entry) { s.writeLog(linkID, vis, e, false) }

// LogReview records an access to review link id.
func (s *Service) LogReview(linkID string, vis Visitor, e Entry) { s.logEntry(linkID, vis, e) }

// logWrite is one access-log entry waiting for its group commit.
type logWrite struct {
	linkID, id string
	entry      Entry
	count      bool // in the share link's Views or Downloads
}

// logBatch is access-log entries committed in one transaction.
type logBatch struct {
	writes []logWrite
	turn   chan struct{} // closed when the batch may commit
	done   chan struct{} // closed when it committed (or failed)
}

// logBatchMax caps the entries of one transaction.
const logBatchMax = 256

// writeLog is the one writer of access logs, for every kind of link;
// count says whether the entry counts in a share link's Views or
// Downloads. It returns once the entry is stored. Visitors of one link
// all change its record, so one transaction each would conflict under
// load: entries wait in a batch instead, and the caller that opened the
// batch commits it, with the counters summed, once the batch before it is
// done. Every caller thus writes at most one batch, its own.
func (s *Service) writeLog(linkID string, vis Visitor, e Entry, count bool) {
	e.Time = s.now()
	e.Address = vis.Addr
	e.UserAgent = vis.UserAgent
	if len(e.UserAgent) > 400 {
		e.UserAgent = e.UserAgent[:400]
	}
	id, err := uuid.NewV7()
	if err != nil {
		return
	}
	w := logWrite{linkID: linkID, id: id.String(), entry: e, count: count}

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

// commitLog stores batch b, the first of the queue, then hands the turn
// to the next batch.
func (s *Service) commitLog(b *logBatch) {
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

	type counters struct{ views, downloads int }
	err := s.Store.Update(func(tx *store.Tx) error {
		tx.Bookkeeping() // entries and counters: no page shows them (store.Changes)
		counts := map[string]counters{}
		for _, w := range b.writes {
			if err := tx.Put(store.PrefixShareLog+w.linkID+"/"+w.id, w.entry); err != nil {
				return err
			}
			if !w.count {
				continue
			}
			c := counts[w.linkID]
			switch w.entry.Action {
			case "view":
				c.views++
			case "download", "zip":
				c.downloads++
			default:
				continue
			}
			counts[w.linkID] = c
		}
		for id, c := range counts {
			l, err := getLink(tx, id)
			if err != nil {
				continue // deleted meanwhile
			}
			l.Views += c.views
			l.Downloads += c.downloads
			if err := putLink(tx, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && s.Log != nil {
		var links []string
		for _, w := range b.writes {
			if !slices.Contains(links, w.linkID) {
				links = append(links, w.linkID)
			}
		}
		s.Log.Warn("access log write failed", slog.Int("entries", len(b.writes)), slog.Any("links", links), slog.Any("err", err))
	}
}

// AccessLog returns the access log of share link id, newest first.
func (s *Service) AccessLog(v assets.Viewer, id string) ([]Entry, error) {
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managed(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.readLog(id)
}

// ReviewAccessLog returns the access log of review link id, newest first.
func (s *Service) ReviewAccessLog(v assets.Viewer, id string) ([]Entry, error) {
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managedReview(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.readLog(id)
}

func (s *Service) readLog(linkID string) ([]Entry, error) {
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
