package assets

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ferryhq/ferry/server/store"
)

// CacheRecords makes read-only transactions on st reuse decoded assets and
// projects and blob checksums (keyed by Badger version, so never stale): a listing or a
// gallery reads the same records on every request. The bounds keep the
// caches near 10 MiB.
func CacheRecords(st *store.Store) {
	st.CacheDecoded(store.PrefixAsset, Asset{}, 16384, func(v any) any { return cloneAsset(v.(Asset)) })
	st.CacheDecoded(store.PrefixProject, Project{}, 4096, nil)
	st.CacheDecoded(store.PrefixBlobCRC, blobCRC{}, 16384, func(v any) any { return v }) // checksums in every listing
}

// cloneAsset copies what a and its copy would otherwise share (slices and
// pointers), so a caller changing its copy leaves the cached one alone.
func cloneAsset(a Asset) Asset {
	a.Renditions = slices.Clone(a.Renditions)
	a.UploadURLs = slices.Clone(a.UploadURLs)
	if a.UploadCompletedAt != nil {
		t := *a.UploadCompletedAt
		a.UploadCompletedAt = &t
	}
	if a.Properties != nil {
		p := *a.Properties
		if p.TakenAt != nil {
			t := *p.TakenAt
			p.TakenAt = &t
		}
		a.Properties = &p
	}
	if a.Checksums != nil {
		c := *a.Checksums
		a.Checksums = &c
	}
	return a
}

// orderMark is written (blindly, store.Touch) with every change to a
// folder's order index and to any of its children's records: its version
// says whether a cached order or page of the folder is current.
func orderMark(parentID string) string { return store.PrefixChildOrderMark + parentID }

// folderPage is one page of a folder and the folder's size.
type folderPage struct {
	items []Asset
	total int
}

// orderedPage is ChildrenPage of a folder with an order index: in a
// read-only transaction, a page read before at the same version of the
// folder's mark is reused; otherwise the folder's order (cached the same
// way) gives the page's ids and its size without counting.
func (s *Service) orderedPage(tx *store.Tx, parentID string, offset, limit int) ([]Asset, int, error) {
	version, cacheable, err := tx.Version(orderMark(parentID))
	if err != nil {
		return nil, 0, err
	}
	pages, orders := s.caches()
	key := parentID + "/" + strconv.Itoa(offset) + "/" + strconv.Itoa(limit)
	if cacheable {
		if p, ok := pages.Load(key, version); ok {
			return p.items, p.total, nil
		}
	}
	var ids []string
	ok := false
	if cacheable {
		ids, ok = orders.Load(parentID, version)
	}
	if !ok {
		err = tx.ScanKeys(store.PrefixChildOrder+parentID+"/", func(k string) error {
			ids = append(ids, strings.Clone(orderID(k))) // not the whole key
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		if cacheable {
			orders.Store(parentID, version, ids)
		}
	}
	out := []Asset{}
	for _, cid := range ids[min(offset, len(ids)):min(offset+limit, len(ids))] {
		a, err := getAsset(tx, cid)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	xxHashes(tx, out)
	if cacheable {
		pages.Store(key, version, folderPage{out, len(ids)})
	}
	return out, len(ids), nil
}

// caches are the pages read last (64 pages of 100 assets, about 4 MiB)
// and the orders of the 32 folders read last (10 000 ids are about 0.5 MiB).
func (s *Service) caches() (*store.Records[folderPage], *store.Records[[]string]) {
	s.cacheOnce.Do(func() {
		s.pages.Max, s.pages.Clone = 64, func(p folderPage) folderPage {
			items := make([]Asset, len(p.items))
			for i, a := range p.items {
				items[i] = cloneAsset(a)
			}
			return folderPage{items, p.total}
		}
		s.orders.Max = 32
	})
	return &s.pages, &s.orders
}
