package review

import (
	"encoding/json"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// MaxItems bounds the assets one request adds to a review link.
const MaxItems = 1000

// AddAssets adds assets of the link's project (files, version stacks
// or files of stacks); one already there is not added twice. A folder adds
// the files and version stacks in it and its subfolders as they are now
// (Frame.io v2 takes folders as review-link items).
func (s *Links) AddAssets(v assets.Viewer, id string, assetIDs []string) (View, error) {
	if len(assetIDs) == 0 || len(assetIDs) > MaxItems {
		return View{}, errs.Invalidf("asset_ids must list 1 to %d assets", MaxItems)
	}
	assetIDs, err := s.folderContents(v, assetIDs)
	if err != nil {
		return View{}, err
	}
	var out View
	policy := s.Policy()
	err = s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		tx.Scan(store.PrefixReviewItem+r.ID+"/", func(_ string, b []byte) error {
			var it itemRecord
			if json.Unmarshal(b, &it) == nil {
				have[it.AssetID] = true
			}
			return nil
		})
		now := s.now()
		for _, aid := range assetIDs {
			var a assets.Asset
			if _, err := uuid.Parse(aid); err != nil || tx.Get(store.PrefixAsset+aid, &a) != nil {
				return errs.Invalidf("asset %s not found", aid)
			}
			if a.ProjectID != r.ProjectID {
				return errs.Invalidf("asset %s is in another project; a review link holds assets of its own project", aid)
			}
			if a.Type == assets.TypeFolder || a.UploadStatus != "" || a.AttachmentOf != "" {
				return errs.Invalidf("asset %s is a %s; review links hold files and version stacks", aid, strings.ReplaceAll(a.Type, "_", " "))
			}
			if have[aid] {
				continue
			}
			// Adding to a review link is sharing: the share privilege
			// where the asset is (what reviewers may then do is decided
			// at each visit from the creator's rights).
			if err := policy.MayShare(v, aid); err != nil {
				return err
			}
			have[aid] = true
			iid, _ := uuid.NewV7()
			if err := tx.Put(store.PrefixReviewItem+r.ID+"/"+iid.String(), itemRecord{ID: iid.String(), AssetID: aid, InsertedAt: now}); err != nil {
				return err
			}
		}
		out, err = s.save(tx, r, now)
		return err
	})
	return out, err
}

// folderContents replaces the folders among ids with the files and
// version stacks in them (depth first, in the folders' order), keeping
// what v sees; other ids stay as they are.
func (s *Links) folderContents(v assets.Viewer, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	var walk func(id string, depth int) error
	walk = func(id string, depth int) error {
		kids, err := s.Assets.Children(v, id)
		if err != nil {
			return err
		}
		for _, k := range kids {
			switch {
			case k.UploadStatus != "" || k.AttachmentOf != "":
			case k.Type == assets.TypeFolder && depth < maxFolderDepth:
				if _, err := s.Assets.GetAsset(v, k.ID); err != nil {
					continue // a folder hidden from v stays out
				}
				if err := walk(k.ID, depth+1); err != nil {
					return err
				}
			case k.Type != assets.TypeFolder:
				if out = append(out, k.ID); len(out) > MaxItems {
					return errs.Invalidf("the folders hold more than %d files; add fewer at a time", MaxItems)
				}
			}
		}
		return nil
	}
	for _, id := range ids {
		var a assets.Asset
		if _, err := uuid.Parse(id); err == nil {
			a, _ = s.Assets.GetAsset(v, id)
		}
		if a.Type != assets.TypeFolder || a.UploadStatus != "" {
			out = append(out, id)
			continue
		}
		before := len(out)
		if err := walk(id, 0); err != nil {
			return nil, err
		}
		if len(out) == before {
			return nil, errs.Invalidf("folder %q holds no files to review", a.Name)
		}
	}
	return out, nil
}

// maxFolderDepth bounds how deep folderContents walks.
const maxFolderDepth = 32

// RemoveItem takes an item out of a review link.
func (s *Links) RemoveItem(v assets.Viewer, id, itemID string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		key := store.PrefixReviewItem + r.ID + "/" + itemID
		if ok, _ := tx.Has(key); !ok {
			return errs.NotFoundf("item %s not found in this review link", itemID)
		}
		return tx.Delete(key)
	})
}

func (s *Links) itemRecords(r Link) []itemRecord {
	var out []itemRecord
	s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixReviewItem+r.ID+"/", func(_ string, b []byte) error {
			var it itemRecord
			if json.Unmarshal(b, &it) == nil {
				out = append(out, it)
			}
			return nil
		})
	})
	return out
}

// Items lists the items of review link id with their assets.
func (s *Links) Items(v assets.Viewer, id string) ([]Item, error) {
	var r Link
	if err := s.Store.View(func(tx *store.Tx) (err error) { r, err = s.visibleReview(tx, v, id); return err }); err != nil {
		return nil, err
	}
	out := []Item{}
	for _, it := range s.itemRecords(r) {
		a, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, it.AssetID)
		if err != nil {
			continue // deleted since
		}
		out = append(out, Item{ID: it.ID, Type: "review_link_item", ReviewLinkID: r.ID, AssetID: a.ID, Asset: a, InsertedAt: it.InsertedAt})
	}
	return out, nil
}

// Shown is one item as a reviewer sees it: the version on show and the
// versions they may switch to (only the newest when current_version_only).
type Shown struct {
	Item     itemRecord
	Asset    assets.Asset
	StackID  string
	Versions []assets.Asset
}

// ReviewShown resolves what the reviewers of r see.
func (s *Links) ReviewShown(r Link) []Shown {
	admin := assets.Viewer{Admin: true}
	creator := s.Policy().Creator(r.OwnerID)
	var out []Shown
	for _, it := range s.itemRecords(r) {
		a, err := s.Assets.GetAsset(admin, it.AssetID)
		if err != nil || !creator.Visible(a) {
			continue // deleted, or no longer its creator's to share
		}
		sh := Shown{Item: it, Asset: a, Versions: []assets.Asset{a}}
		stackID := ""
		switch {
		case a.Type == assets.TypeVersionStack:
			stackID = a.ID
		case a.Type == assets.TypeFile:
			if p, err := s.Assets.GetAsset(admin, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
				stackID = p.ID
			}
		}
		if stackID != "" {
			vs, err := s.Assets.Children(admin, stackID)
			if err != nil || len(vs) == 0 {
				continue
			}
			sh.StackID, sh.Versions = stackID, vs
			if a.Type == assets.TypeVersionStack || r.CurrentVersionOnly {
				sh.Asset = vs[0]
			}
			if r.CurrentVersionOnly {
				sh.Versions = vs[:1]
			}
		}
		out = append(out, sh)
	}
	return out
}
