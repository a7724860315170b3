// Version stacks: a file that gains versions, and a stack that loses them.

package assets

import (
	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// restack updates a version stack after a version left it: the newest
// remaining version becomes its cover; a stack of none disappears.
func (s *Service) restack(tx *store.Tx, stack Asset) error {
	ids, err := childIDs(tx, stack.ID)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if err := tx.Delete(store.PrefixAsset + stack.ID); err != nil {
			return err
		}
		parent, err := getAsset(tx, stack.ParentID)
		if err != nil {
			return err
		}
		parent.ItemCount--
		if err := delChild(tx, parent.ID, stack.ID); err != nil {
			return err
		}
		return putAsset(tx, parent)
	}
	var newest Asset
	for _, id := range ids {
		a, err := getAsset(tx, id)
		if err != nil {
			return err
		}
		if a.Index > newest.Index {
			newest = a
		}
	}
	stack.Versions, stack.ItemCount = len(ids), len(ids)
	stack.CoverAssetID = newest.ID
	stack.Filesize, stack.Filetype, stack.ProxyStatus = newest.Filesize, newest.Filetype, newest.ProxyStatus
	stack.UpdatedAt = s.now()
	return putAsset(tx, stack)
}

// AddVersion makes next the newest version of target: a file becomes a
// version stack holding both; a stack (or a version in one) gains next.
func (s *Service) AddVersion(v Viewer, targetID, nextID string) (Asset, error) {
	var stack Asset
	err := s.Store.Update(func(tx *store.Tx) (err error) {
		// next leaves its folder for target's stack: a move, which needs
		// full access where it is (and upload access at target, below).
		if next, err := visibleAsset(tx, v, nextID); err == nil {
			if err := need(tx, v, next, AccessFull, "moving a file into a version stack"); err != nil {
				return err
			}
		}
		stack, err = s.addVersion(tx, v, targetID, nextID)
		return err
	})
	return stack, err
}

func (s *Service) addVersion(tx *store.Tx, v Viewer, targetID, nextID string) (Asset, error) {
	target, err := visibleAsset(tx, v, targetID)
	if err != nil {
		return Asset{}, err
	}
	if err := need(tx, v, target, AccessUpload, "adding a version"); err != nil {
		return Asset{}, err
	}
	next, err := visibleAsset(tx, v, nextID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return Asset{}, errs.Invalidf("next_asset_id %s does not exist", nextID)
		}
		return Asset{}, err
	}
	if next.Type != TypeFile || next.AttachmentOf != "" {
		return Asset{}, errs.Invalidf("next_asset_id must be a file")
	}
	if next.ProjectID != target.ProjectID {
		return Asset{}, errs.Invalidf("versions must be in the same project")
	}
	if next.ID == target.ID {
		return Asset{}, errs.Invalidf("an asset cannot be a version of itself")
	}
	nextParent, err := getAsset(tx, next.ParentID)
	if err != nil {
		return Asset{}, err
	}
	if nextParent.Type == TypeVersionStack {
		return Asset{}, errs.Invalidf("next_asset_id is already a version in a stack")
	}
	now := s.now()
	var stack Asset
	switch target.Type {
	case TypeVersionStack:
		stack = target
	case TypeFile:
		if target.AttachmentOf != "" {
			return Asset{}, errs.Invalidf("attachments cannot have versions")
		}
		parent, err := getAsset(tx, target.ParentID)
		if err != nil {
			return Asset{}, err
		}
		if parent.Type == TypeVersionStack {
			stack = parent
			break
		}
		// Turn the file into a stack in its place: the stack takes the
		// file's position; the file becomes version 1 inside it.
		stack = Asset{ID: uuid.NewString(), Type: TypeVersionStack, Name: target.Name, ProjectID: target.ProjectID,
			ParentID: parent.ID, CreatorID: v.UserID, CreatorName: v.Name, InsertedAt: now, UpdatedAt: now}
		if err := delChild(tx, parent.ID, target.ID); err != nil {
			return Asset{}, err
		}
		if err := putChild(tx, parent.ID, false, stack); err != nil {
			return Asset{}, err
		}
		target.ParentID, target.Index = stack.ID, 1
		if err := putAsset(tx, target); err != nil {
			return Asset{}, err
		}
		if err := putChild(tx, stack.ID, true, target); err != nil {
			return Asset{}, err
		}
	default:
		return Asset{}, errs.Invalidf("only files and version stacks take versions, not a %s", target.Type)
	}
	ids, err := childIDs(tx, stack.ID)
	if err != nil {
		return Asset{}, err
	}
	maxIndex := 0
	for _, id := range ids {
		a, err := getAsset(tx, id)
		if err != nil {
			return Asset{}, err
		}
		if a.Index > maxIndex {
			maxIndex = a.Index
		}
	}
	// Detach next from its folder and put it on top of the stack.
	if err := delChild(tx, nextParent.ID, next.ID); err != nil {
		return Asset{}, err
	}
	nextParent.ItemCount--
	if err := putAsset(tx, nextParent); err != nil {
		return Asset{}, err
	}
	next.ParentID, next.Index = stack.ID, maxIndex+1
	if err := putAsset(tx, next); err != nil {
		return Asset{}, err
	}
	if err := putChild(tx, stack.ID, true, next); err != nil {
		return Asset{}, err
	}
	if err := s.restack(tx, stack); err != nil {
		return Asset{}, err
	}
	return getAsset(tx, stack.ID)
}
