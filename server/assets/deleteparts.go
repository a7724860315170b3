package assets

import (
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// deletePart is how many children of a folder one transaction of a delete
// in parts removes at most. Badger takes about 26 000 writes in one
// transaction and a file costs 6–8; and every scan in a transaction sorts
// its pending writes, so a delete of thousands in one grows quadratic.
const deletePart = 256

// emptyBigFolders empties, in parts, id and the folders under it (under
// top, the asset v is deleting) that hold more than deletePart children,
// so that deleting top fits in one transaction.
func (s *Service) emptyBigFolders(v Viewer, top, id string) error {
	var a Asset
	var ids []string
	err := s.Store.View(func(tx *store.Tx) (err error) {
		if a, err = visibleAsset(tx, v, id); err != nil || a.Type != TypeFolder {
			return err
		}
		ids, err = childIDs(tx, id)
		return err
	})
	if err != nil || a.Type != TypeFolder {
		return err
	}
	if a.ItemCount > deletePart {
		return s.emptyInParts(v, top, id)
	}
	for _, c := range ids {
		if err := s.emptyBigFolders(v, top, c); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

// emptyInParts deletes what folder id holds (under top, the asset v is
// deleting), deletePart children a transaction at most and fewer when
// Badger refuses (store.UpdateSplit), each child's whole subtree in one;
// child folders too big are emptied the same way first. Each part checks
// v's right to delete top again and keeps the folder's count right, so a
// crash or a refusal midway leaves a smaller folder, never a dangling
// child; deleting it again goes on.
func (s *Service) emptyInParts(v Viewer, top, id string) error {
	var ids []string
	err := s.Store.View(func(tx *store.Tx) (err error) {
		ids, err = childIDs(tx, id)
		return err
	})
	if err != nil {
		return err
	}
	for _, c := range ids {
		if err := s.emptyBigFolders(v, top, c); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	}
	part := func(tx *store.Tx, lo, hi int) error {
		a, err := visibleAsset(tx, v, top)
		if err != nil {
			return err
		}
		if err := need(tx, v, a, AccessFull, "deleting"); err != nil {
			return err
		}
		folder, err := getAsset(tx, id)
		if err != nil {
			return err
		}
		if folder.Type != TypeFolder {
			return errs.Invalidf("%s is too big to delete at once", folder.Name)
		}
		for _, c := range ids[lo:hi] {
			if ok, err := tx.Has(store.PrefixAsset + c); err != nil || !ok {
				if err != nil {
					return err
				}
				continue // gone meanwhile
			}
			if err := s.deleteTree(tx, c); err != nil {
				return err
			}
			if err := delChild(tx, id, c); err != nil {
				return err
			}
			folder.ItemCount--
		}
		folder.ItemCount = max(folder.ItemCount, 0)
		return putAsset(tx, folder)
	}
	for lo := 0; lo < len(ids); lo += deletePart {
		hi := min(lo+deletePart, len(ids))
		err := s.Store.UpdateSplit(hi-lo, func(tx *store.Tx, a, b int) error { return part(tx, lo+a, lo+b) })
		if err != nil {
			return err
		}
	}
	return nil
}
