package share

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// StatusTargetDeleted is the status of a link whose target is gone: its
// folder, file or collection was deleted, or every file of its collection.
const StatusTargetDeleted = "target_deleted"

// targetGone reports whether what l shares no longer exists: its asset or
// folder, its collection, or every asset its collection listed. A
// collection emptied on purpose (no entries) is still there to refill.
func targetGone(tx *store.Tx, l Link) bool {
	if l.TargetType != "collection" {
		ok, err := tx.Has(store.PrefixAsset + l.TargetID)
		return err == nil && !ok
	}
	var c assets.Collection
	if err := tx.Get(store.PrefixCollection+l.TargetID, &c); err != nil {
		return errors.Is(err, store.ErrNotFound)
	}
	for _, id := range c.AssetIDs {
		if ok, err := tx.Has(store.PrefixAsset + id); err != nil || ok {
			return false
		}
	}
	return len(c.AssetIDs) > 0
}

// errTargetDeleted is what visitors of a link whose target is gone get.
func errTargetDeleted(l Link) error {
	return errs.New(errs.Gone, "target_deleted", "The shared item was deleted; ask %s for a new link", l.OwnerName)
}

// checkTarget refuses visitors of a link whose target is gone.
func checkTarget(tx *store.Tx, l Link) error {
	if targetGone(tx, l) {
		return errTargetDeleted(l)
	}
	return nil
}

// Affected lists the share links, as v sees them, that deleting asset
// assetID or collection collectionID (one of the two) would leave without
// a target: links to it or to anything inside it, and collection links
// whose every remaining file it holds. A version deleted from a stack that
// keeps other versions takes no link with it (links follow the stack).
func (s *Service) Affected(v assets.Viewer, assetID, collectionID string) ([]View, error) {
	admin := assets.Viewer{Admin: true}
	gone := map[string]bool{}
	if assetID != "" {
		a, err := s.Assets.GetAsset(v, assetID)
		if err != nil {
			return nil, err
		}
		if p, err := s.Assets.GetAsset(admin, a.ParentID); err == nil && p.Type == assets.TypeVersionStack && p.Versions > 1 {
			return []View{}, nil
		}
		var walk func(id string, depth int) error
		walk = func(id string, depth int) error {
			gone[id] = true
			kids, err := s.Assets.Children(admin, id)
			if err != nil || depth > 64 {
				return err
			}
			for _, k := range kids {
				if err := walk(k.ID, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(a.ID, 0); err != nil {
			return nil, err
		}
	} else if _, err := s.Assets.GetCollection(v, collectionID); err != nil {
		return nil, err
	}
	seen, err := links.SeenProjects(s.Assets, v)
	if err != nil {
		return nil, err
	}
	now, out := s.now(), []View{}
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
			var l Link
			if err := json.Unmarshal(b, &l); err != nil {
				return err
			}
			if !seen[l.ProjectID] || targetGone(tx, l) {
				return nil
			}
			hit := false
			switch {
			case collectionID != "":
				hit = l.TargetType == "collection" && l.TargetID == collectionID
			case l.TargetType != "collection":
				hit = gone[l.TargetID]
			default:
				var c assets.Collection
				if tx.Get(store.PrefixCollection+l.TargetID, &c) != nil {
					return nil
				}
				left := 0
				for _, id := range c.AssetIDs {
					if ok, _ := tx.Has(store.PrefixAsset + id); ok && !gone[id] {
						left++
					}
				}
				hit = left == 0 && len(c.AssetIDs) > 0
			}
			if hit {
				vw := s.view(tx, l, now)
				if !s.Policy().MayManageLink(v, l.OwnerID, l.ProjectID) {
					vw = redact(vw)
				}
				out = append(out, vw)
			}
			return nil
		})
	})
	return out, err
}

// Unstacked makes the links to version versionID, deleted from stack
// stackID that keeps other versions, link the stack: they kept following
// it to its newest version, and keep doing so (assets.Service.Unstacked).
func (s *Service) Unstacked(tx *store.Tx, versionID, stackID string) error {
	var moved []Link
	err := tx.Scan(store.PrefixShareLink, func(_ string, b []byte) error {
		if !bytes.Contains(b, []byte(versionID)) {
			return nil
		}
		var l Link
		if json.Unmarshal(b, &l) == nil && l.TargetType == "asset" && l.TargetID == versionID {
			moved = append(moved, l)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, l := range moved {
		l.TargetID = stackID
		if err := putLink(tx, l); err != nil {
			return err
		}
	}
	return nil
}
