package share

import (
	"encoding/json"
	"sort"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// visible loads link id if v may see its project.
func (s *Service) visible(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	return links.Visible(tx, s.Assets, v, store.PrefixShareLink, id, "share link", func(l Link) string { return l.ProjectID })
}

// Get returns link id, its views counted up to now (FlushLog).
func (s *Service) Get(v assets.Viewer, id string) (View, error) {
	s.FlushLog()
	var out View
	err := s.Store.View(func(tx *store.Tx) error {
		l, err := s.visible(tx, v, id)
		if err != nil {
			return err
		}
		out = s.viewFor(tx, v, l)
		return nil
	})
	return out, err
}

// Filter narrows List.
type Filter struct {
	ProjectID string
	TargetID  string
	// Sharing is the Sharing page's view: members see the links they
	// made, admins every link.
	Sharing bool
}

// List returns the links of projects v can see, newest first, their
// views counted up to now (FlushLog).
func (s *Service) List(v assets.Viewer, f Filter) ([]View, error) {
	s.FlushLog()
	seen, err := links.SeenProjects(s.Assets, v)
	if err != nil {
		return nil, err
	}
	if f.ProjectID != "" && !seen[f.ProjectID] {
		return nil, errs.NotFoundf("project %s not found", f.ProjectID)
	}
	now := s.now()
	policy := s.Policy()
	out := []View{}
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
			var l Link
			if err := json.Unmarshal(b, &l); err != nil {
				return err
			}
			if !seen[l.ProjectID] || f.ProjectID != "" && l.ProjectID != f.ProjectID || f.TargetID != "" && l.TargetID != f.TargetID ||
				f.Sharing && !v.Admin && l.OwnerID != v.UserID {
				return nil
			}
			vw := s.view(tx, l, now)
			if !policy.MayManageLink(v, l.OwnerID, l.ProjectID) {
				vw = redact(vw)
			}
			out = append(out, vw)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// Shared counts the active links per target (asset, collection or folder)
// of a project: the chain icons.
func (s *Service) Shared(v assets.Viewer, projectID string) (map[string]int, error) {
	if _, err := s.Assets.GetProject(v, projectID); err != nil {
		return nil, err
	}
	links, err := s.List(v, Filter{ProjectID: projectID})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	err = s.Store.View(func(tx *store.Tx) error {
		for _, l := range links {
			if l.Status != StatusActive {
				continue
			}
			// A link to a file that has since become a version counts
			// on its stack, which it follows.
			id := l.TargetID
			var a, p assets.Asset
			if l.TargetType == "asset" && tx.Get(store.PrefixAsset+id, &a) == nil && a.Type == assets.TypeFile &&
				tx.Get(store.PrefixAsset+a.ParentID, &p) == nil && p.Type == assets.TypeVersionStack {
				id = p.ID
			}
			out[id]++
		}
		return nil
	})
	return out, err
}
