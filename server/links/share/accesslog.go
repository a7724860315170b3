package share

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// Entry is links.Entry, an access-log entry.
type Entry = links.Entry

// LogAccess records an access to link l by vis.
func (s *Service) LogAccess(l Link, vis Visitor, e Entry) { s.logAccess(l, vis, e) }

func (s *Service) logAccess(l Link, vis Visitor, e Entry) { s.writeLog(l.ID, vis, e, true) }

// LogView records a view of key's kept page or JSON by vis: the server
// sent the gallery (Peek), so the page's app does not ask for the link
// again. The view is stored within a second (WriteLogLater): pages are kept
// only for links whose views decide nothing (no max uses, no gate).
func (s *Service) LogView(key string, vis Visitor) {
	var l Link
	if s.Store.View(func(tx *store.Tx) (err error) { l, err = byKey(tx, key); return err }) == nil {
		s.WriteLogLater(l.ID, vis, Entry{Action: "view"}, s)
	}
}

// writeLog records an entry of link linkID through the core's one
// writer; count says whether it counts in the link's views or downloads.
func (s *Service) writeLog(linkID string, vis Visitor, e Entry, count bool) {
	var to links.Counter
	if count {
		to = s
	}
	s.WriteLog(linkID, vis, e, to)
}

// CountVisits adds views and downloads to share link id (links.Counter).
func (s *Service) CountVisits(tx *store.Tx, id string, views, downloads int) error {
	l, err := getLink(tx, id)
	if err != nil {
		return nil // deleted meanwhile
	}
	l.Views += views
	l.Downloads += downloads
	return putLink(tx, l)
}

// AccessLog returns the access log of share link id, newest first.
func (s *Service) AccessLog(v assets.Viewer, id string) ([]Entry, error) {
	s.FlushLog() // the views still in memory too
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managed(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.ReadLog(id)
}
