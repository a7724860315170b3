package review

import (
	"slices"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// Policy is the access policy over the links' store.
func (s *Links) Policy() *access.Policy { return access.New(s.Store, s.Assets) }

// Grant is what reviewers of r may do: look at every rendition made for
// viewing; take the original (to play or to download) and download
// renditions only when downloading is enabled.
func (r Link) Grant() access.Grant {
	all := append(append([]string{}, links.Renditions...), access.GroupVideo, access.GroupAudio)
	return access.Grant{See: true, Downloads: r.EnableDownloading, Original: r.EnableDownloading,
		View: all, Proxies: slices.Clone(all)}
}

// Rendition decides whether a reviewer of r may have rendition name of a.
func (s *Links) Rendition(r Link, a assets.Asset, name string, download bool) error {
	return s.Policy().Creator(r.OwnerID).Rendition(r.Grant(), a, false, name, download)
}

// managedReview loads review link id if v may manage it.
func (s *Links) managedReview(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	r, err := s.visibleReview(tx, v, id)
	if err != nil {
		return r, err
	}
	return r, s.Policy().ManageLink(v, r.OwnerID, r.OwnerName, r.ProjectID)
}

// Manage returns review link id for v, who must manage it.
func (s *Links) Manage(v assets.Viewer, id string) (View, error) {
	var out View
	err := s.Store.View(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err == nil {
			out = s.reviewView(tx, r)
		}
		return err
	})
	return out, err
}

// AccessLog returns the access log of review link id, newest first.
func (s *Links) AccessLog(v assets.Viewer, id string) ([]links.Entry, error) {
	if err := s.Store.View(func(tx *store.Tx) error { _, err := s.managedReview(tx, v, id); return err }); err != nil {
		return nil, err
	}
	return s.ReadLog(id)
}
