package assets

import (
	"strings"

	"github.com/ferryhq/ferry/server/store"
)

// A folder's children are indexed twice:
//   - child/<parent>/<id> → sort key: is this asset in that folder, and where;
//   - corder/<parent>/<sort key>\x00<id> → "": the folder in display order
//     (folders first, then by name; versions newest first), so a page of a
//     folder of 10 000 reads its 100 keys instead of decoding and sorting
//     the whole folder, and a subfolder is found by name with one seek.
//
// putChild and delChild keep the two together in the caller's transaction.

func orderKey(parentID, sortKey, id string) string {
	return store.PrefixChildOrder + parentID + "/" + sortKey + "\x00" + id
}

// orderID is the child id at the end of an order key.
func orderID(k string) string { return k[strings.LastIndexByte(k, 0)+1:] }

// putChild writes the index entries of a under its parent (moving its order
// entry when its sort key changed, e.g. a rename).
func putChild(tx *store.Tx, parentID string, inStack bool, a Asset) error {
	key := childKey(inStack, a)
	var old string
	if err := tx.Get(store.PrefixChild+parentID+"/"+a.ID, &old); err == nil && old != "" && old != key {
		if err := tx.Delete(orderKey(parentID, old, a.ID)); err != nil {
			return err
		}
	}
	if err := tx.Put(store.PrefixChild+parentID+"/"+a.ID, key); err != nil {
		return err
	}
	if err := tx.Touch(orderMark(parentID)); err != nil {
		return err
	}
	return tx.Put(orderKey(parentID, key, a.ID), "")
}

// delChild removes child id's index entries under parentID.
func delChild(tx *store.Tx, parentID, id string) error {
	var old string
	if err := tx.Get(store.PrefixChild+parentID+"/"+id, &old); err == nil && old != "" {
		if err := tx.Delete(orderKey(parentID, old, id)); err != nil {
			return err
		}
	}
	if err := tx.Touch(orderMark(parentID)); err != nil {
		return err
	}
	return tx.Delete(store.PrefixChild + parentID + "/" + id)
}

// orderBuilt says whether the order index is complete (IndexChildOrder ran
// on this database), remembered once true.
func (s *Service) orderBuilt(tx *store.Tx) bool {
	if s.ordered.Load() {
		return true
	}
	ok, _ := tx.Has(childOrderBuilt)
	if ok {
		s.ordered.Store(true)
	}
	return ok
}

// subfolderNamed finds the folder called name (case-insensitively) in
// parentID with one seek in the order index.
func subfolderNamed(tx *store.Tx, parentID, name string) string {
	found := ""
	tx.ScanKeys(store.PrefixChildOrder+parentID+"/0"+strings.ToLower(name)+"\x00", func(k string) error {
		found = orderID(k)
		return store.ErrStop
	})
	return found
}

const childOrderBuilt = store.PrefixMeta + "child_order"

// IndexChildOrder builds the order index of a database written before it
// existed, once: it reads the child index in one pass and writes the order
// entries in transactions of 2 000. A crash halfway builds it again on the
// next start (writing an entry twice is harmless).
func (s *Service) IndexChildOrder() (int, error) {
	type entry struct{ parent, id, key string }
	var all []entry
	built := false
	err := s.Store.View(func(tx *store.Tx) error {
		if ok, err := tx.Has(childOrderBuilt); err != nil || ok {
			built = ok
			return err
		}
		return tx.Scan(store.PrefixChild, func(k string, val []byte) error {
			rest := strings.TrimPrefix(k, store.PrefixChild)
			slash := strings.LastIndexByte(rest, '/')
			if slash < 0 {
				return nil
			}
			e := entry{parent: rest[:slash], id: rest[slash+1:]}
			if sortKeyOf(val, &e.key) != nil || e.key == "" {
				parent, err := getAsset(tx, e.parent)
				a, err2 := getAsset(tx, e.id)
				if err != nil || err2 != nil {
					return nil // dangling: the listing skips it too
				}
				e.key = childKey(parent.Type == TypeVersionStack, a)
			}
			all = append(all, e)
			return nil
		})
	})
	if err != nil || built {
		return 0, err
	}
	for start := 0; start < len(all); start += 2000 {
		batch := all[start:min(len(all), start+2000)]
		if err := s.Store.Update(func(tx *store.Tx) error {
			for _, e := range batch {
				if err := tx.Put(orderKey(e.parent, e.key, e.id), ""); err != nil {
					return err
				}
				if err := tx.Touch(orderMark(e.parent)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, err
		}
	}
	err = s.Store.Update(func(tx *store.Tx) error { return tx.Put(childOrderBuilt, true) })
	s.ordered.Store(err == nil)
	return len(all), err
}
