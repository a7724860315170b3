package assets

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// Service is the assets domain.
type Service struct {
	Store *store.Store
	Blobs storage.Blobs
	Now   func() time.Time
	// Queued is told when a file waits for proxies (wakes the worker).
	Queued func()
	// IsImage says which files get proxies.
	IsImage func(mimeType, name string) bool
	// MediaKind says which files are video or audio ("video", "audio", "").
	MediaKind func(mimeType, name string) string
	// VideoUnavailable, when not empty, is why video and audio cannot be
	// processed here (ffmpeg not found); such files get ProxyUnavailable.
	VideoUnavailable string
	// VideoQueued is told when a video or audio file waits (wakes its worker).
	VideoQueued func()
	// Deleted is told once, after commit, of every file one deletion
	// removed (a file, or a folder's or project's whole tree), so what
	// follows a deletion (stopping jobs, forgetting faces and people) runs
	// once per deletion, not once per file.
	Deleted func(ids []string)
	// ImageReady is told, inside the transaction that records them, that a
	// photo's renditions are ready (queues face indexing).
	ImageReady func(tx *store.Tx, id string) error
	// Unstacked is told, inside the deleting transaction, of a version
	// deleted from a stack that keeps other versions, so what pointed at
	// it (share links) can follow the stack.
	Unstacked func(tx *store.Tx, versionID, stackID string) error
	// Ledger keeps the books of the links uploads count against (upload
	// links); nil when no link can upload.
	Ledger UploadLedger

	folderMu sync.Mutex  // EnsureFolders: two uploads never make twin folders
	ordered  atomic.Bool // the folder order index is complete (childorder.go)

	making    sync.Map         // keys makePublished is writing now (publish.go)
	makeLocks storage.KeyLocks // one maker per key

	pages     store.Records[folderPage] // folder pages by version (cache.go)
	orders    store.Records[[]string]   // folder orders by version
	cacheOnce sync.Once
}

// UploadLedger is told, inside the transaction that records it, when an
// upload made through a link starts (Reserve may refuse it), becomes an
// asset (Completed) or is given up (Released), so a link's counts and
// limits stay exact under concurrency and across crashes.
type UploadLedger interface {
	Reserve(tx *store.Tx, u Upload) error
	Completed(tx *store.Tx, u Upload, a Asset) error
	Released(tx *store.Tx, u Upload) error
}

func (s *Service) isImage(mimeType, name string) bool {
	return s.IsImage != nil && s.IsImage(mimeType, name)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// OriginalKey is where an asset's bytes live.
func OriginalKey(id string) string { return "originals/" + id[:2] + "/" + id }

// ProxyKey is where a rendition of an asset lives.
func ProxyKey(id, name string) string { return ProxyDir(id) + "/" + name + RenditionExt(name) }

// Sprite is the rendition holding a strip of a video's frames (JPEG).
const Sprite = model.Sprite

// Playable reports whether rendition name is a video or audio proxy
// ("video_720", "audio") rather than a picture.
func Playable(name string) bool { return model.Playable(name) }

// RenditionExt is the file extension of rendition name.
func RenditionExt(name string) string {
	switch {
	case name == "audio":
		return ".m4a"
	case strings.HasPrefix(name, "video_"):
		return ".mp4"
	}
	return ".jpg"
}

// RenditionType is the MIME type of rendition name.
func RenditionType(name string) string {
	switch {
	case name == "audio":
		return "audio/mp4"
	case strings.HasPrefix(name, "video_"):
		return "video/mp4"
	}
	return "image/jpeg"
}

// ProxyDir is the directory holding an asset's renditions.
func ProxyDir(id string) string { return "proxies/" + id[:2] + "/" + id }

func errProjectNotFound(id string) error { return errs.NotFoundf("project %s not found", id) }
func errAssetNotFound(id string) error   { return errs.NotFoundf("asset %s not found", id) }

func getProject(tx *store.Tx, id string) (Project, error) {
	var p Project
	if err := tx.Get(store.PrefixProject+id, &p); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return p, errProjectNotFound(id)
		}
		return p, err
	}
	return p, nil
}

func getAsset(tx *store.Tx, id string) (Asset, error) {
	var a Asset
	if _, err := uuid.Parse(id); err != nil {
		return a, errs.Invalidf("asset id %q is not a UUID", id)
	}
	if err := tx.Get(store.PrefixAsset+id, &a); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return a, errAssetNotFound(id)
		}
		return a, err
	}
	return a, nil
}

func putAsset(tx *store.Tx, a Asset) error {
	a.UploadStatus, a.UploadURL = "", ""
	if a.ParentID != "" { // its folder's cached pages are out of date (cache.go)
		if err := tx.Touch(orderMark(a.ParentID)); err != nil {
			return err
		}
	}
	return tx.Put(store.PrefixAsset+a.ID, a)
}

func (v Viewer) sees(p Project) bool {
	if v.Admin || p.OwnerID == v.UserID || v.ProjectID == p.ID {
		return true
	}
	for _, m := range p.MemberIDs {
		if m == v.UserID {
			return true
		}
	}
	return false
}

// projectFor returns the project of asset a if v may see it.
func projectFor(tx *store.Tx, v Viewer, projectID string) (Project, error) {
	p, err := getProject(tx, projectID)
	if err != nil {
		return p, err
	}
	if !v.sees(p) {
		return p, errProjectNotFound(projectID) // do not reveal projects one cannot see
	}
	return p, nil
}

// visibleAsset loads an asset and checks v may see its project.
func visibleAsset(tx *store.Tx, v Viewer, id string) (Asset, error) {
	a, err := getAsset(tx, id)
	if err != nil {
		return a, err
	}
	if _, err := projectFor(tx, v, a.ProjectID); err != nil {
		if errs.Is(err, errs.NotFound) {
			return a, errAssetNotFound(id)
		}
		return a, err
	}
	return a, nil
}

// GetAsset returns an asset v may see (or a pending upload's placeholder).
func (s *Service) GetAsset(v Viewer, id string) (Asset, error) {
	var a Asset
	err := s.Store.View(func(tx *store.Tx) (err error) {
		a, err = visibleAsset(tx, v, id)
		if errs.Is(err, errs.NotFound) {
			if up, perr := getPending(tx, id); perr == nil {
				if _, perr := projectFor(tx, v, up.ProjectID); perr == nil {
					a, err = up.placeholder(), nil
				}
			}
		}
		return err
	})
	return a, err
}

// childKey orders a parent's children in the index itself, so a page of a
// large folder decodes only its own assets: folders first, then by name;
// versions newest first.
func childKey(inStack bool, a Asset) string {
	if inStack {
		return fmt.Sprintf("v%010d", 999_999_999-a.Index)
	}
	kind := "1"
	if a.Type == TypeFolder {
		kind = "0"
	}
	return kind + strings.ToLower(a.Name) + "\x00" + a.ID
}

func childIDs(tx *store.Tx, parentID string) ([]string, error) {
	var ids []string
	prefix := store.PrefixChild + parentID + "/"
	err := tx.ScanKeys(prefix, func(k string) error {
		ids = append(ids, strings.TrimPrefix(k, prefix))
		return nil
	})
	return ids, err
}

// Children lists what is in a folder (folders first, then by name), the
// versions of a stack (newest first) or the attachments of a file.
func (s *Service) Children(v Viewer, id string) ([]Asset, error) {
	out := []Asset{}
	err := s.Store.View(func(tx *store.Tx) error {
		parent, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		ids, err := childIDs(tx, id)
		if err != nil {
			return err
		}
		for _, cid := range ids {
			a, err := getAsset(tx, cid)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		sortChildren(parent.Type, out)
		return nil
	})
	return out, err
}

// ChildrenPage is Children for one page (offset, limit) and the total, with
// the files' checksums when known: it orders the parent's index entries
// and decodes only the page's assets.
func (s *Service) ChildrenPage(v Viewer, id string, offset, limit int) ([]Asset, int, error) {
	out := []Asset{}
	total := 0
	err := s.Store.View(func(tx *store.Tx) error {
		parent, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		if s.orderBuilt(tx) {
			out, total, err = s.orderedPage(tx, id, offset, limit)
			return err
		}
		// Before IndexChildOrder ran on this database: order the child
		// index itself.
		type entry struct{ key, id string }
		var entries []entry
		prefix := store.PrefixChild + id + "/"
		if err := tx.Scan(prefix, func(k string, val []byte) error {
			e := entry{id: strings.TrimPrefix(k, prefix)}
			if err := sortKeyOf(val, &e.key); err != nil || e.key == "" {
				// An entry written before sort keys: order it from the asset.
				a, err := getAsset(tx, e.id)
				if err != nil {
					return err
				}
				e.key = childKey(parent.Type == TypeVersionStack, a)
			}
			entries = append(entries, e)
			return nil
		}); err != nil {
			return err
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		total = len(entries)
		if offset >= total {
			return nil
		}
		end := min(total, offset+limit)
		for _, e := range entries[offset:end] {
			a, err := getAsset(tx, e.id)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		xxHashes(tx, out)
		return nil
	})
	return out, total, err
}

// sortKeyOf decodes a child index value (a JSON string) without the JSON
// decoder: a folder of 10 000 decodes 10 000 of them per page.
func sortKeyOf(val []byte, key *string) error {
	if s, err := strconv.Unquote(string(val)); err == nil {
		*key = s
		return nil
	}
	return jsonUnmarshal(val, key)
}

func sortChildren(parentType string, as []Asset) {
	if parentType == TypeVersionStack {
		sort.Slice(as, func(i, j int) bool { return as[i].Index > as[j].Index })
		return
	}
	sort.Slice(as, func(i, j int) bool {
		fi, fj := as[i].Type == TypeFolder, as[j].Type == TypeFolder
		if fi != fj {
			return fi
		}
		return strings.ToLower(as[i].Name) < strings.ToLower(as[j].Name)
	})
}

// Ancestors returns the folders from the project root down to id's parent.
func (s *Service) Ancestors(v Viewer, id string) ([]Asset, error) {
	var out []Asset
	err := s.Store.View(func(tx *store.Tx) error {
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		for pid := a.ParentID; pid != ""; {
			p, err := getAsset(tx, pid)
			if err != nil {
				return err
			}
			out = append([]Asset{p}, out...)
			pid = p.ParentID
		}
		return nil
	})
	return out, err
}

// CreateFolder makes a folder under parentID.
func (s *Service) CreateFolder(v Viewer, parentID, name string) (Asset, error) {
	name, err := CleanName("folder", name)
	if err != nil {
		return Asset{}, err
	}
	var a Asset
	err = s.Store.Update(func(tx *store.Tx) error {
		parent, err := visibleAsset(tx, v, parentID)
		if err != nil {
			return err
		}
		if parent.Type != TypeFolder {
			return errs.Invalidf("asset %s is a %s; folders can only be made inside folders", parentID, parent.Type)
		}
		if err := need(tx, v, parent, AccessUpload, "making a folder"); err != nil {
			return err
		}
		now := s.now()
		a = Asset{ID: uuid.NewString(), Type: TypeFolder, Name: name, ProjectID: parent.ProjectID, ParentID: parentID,
			CreatorID: v.UserID, CreatorName: v.Name, InsertedAt: now, UpdatedAt: now}
		return s.link(tx, parent, a)
	})
	return a, err
}

// link stores a new asset a under parent and bumps the parent's count.
func (s *Service) link(tx *store.Tx, parent Asset, a Asset) error {
	if err := putAsset(tx, a); err != nil {
		return err
	}
	if err := putChild(tx, parent.ID, parent.Type == TypeVersionStack, a); err != nil {
		return err
	}
	parent.ItemCount++
	parent.UpdatedAt = s.now()
	return putAsset(tx, parent)
}

// AssetPatch is model.AssetPatch, the JSON document.
type AssetPatch = model.AssetPatch

// UpdateAsset renames an asset or moves it to another folder of its project.
func (s *Service) UpdateAsset(v Viewer, id string, patch AssetPatch) (Asset, error) {
	var a Asset
	err := s.Store.Update(func(tx *store.Tx) (err error) {
		if a, err = visibleAsset(tx, v, id); err != nil {
			return err
		}
		// Echoing the root's empty parent back (a read-modify-write PUT) is no move.
		if a.ParentID == "" && patch.ParentID != nil && *patch.ParentID != "" {
			return errs.Invalidf("the project's root folder cannot be moved")
		}
		oldName := a.Name
		if patch.Name != nil {
			if a.Name, err = CleanName(a.Type, *patch.Name); err != nil {
				return err
			}
		}
		moving := patch.ParentID != nil && *patch.ParentID != a.ParentID
		if a.Name != oldName || moving {
			if err := need(tx, v, a, AccessFull, "renaming or moving"); err != nil {
				return err
			}
		}
		if moving {
			if dst, err := getAsset(tx, *patch.ParentID); err == nil {
				if err := need(tx, v, dst, AccessUpload, "moving into a folder"); err != nil {
					return err
				}
			}
			if err := s.move(tx, &a, *patch.ParentID); err != nil {
				return err
			}
		}
		a.UpdatedAt = s.now()
		if a.ParentID != "" { // the name orders the parent's index
			parent, err := getAsset(tx, a.ParentID)
			if err != nil {
				return err
			}
			if err := putChild(tx, parent.ID, parent.Type == TypeVersionStack, a); err != nil {
				return err
			}
		}
		return putAsset(tx, a)
	})
	return a, err
}

func (s *Service) move(tx *store.Tx, a *Asset, to string) error {
	if a.AttachmentOf != "" {
		return errs.Invalidf("attachments move with their file")
	}
	dst, err := getAsset(tx, to)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.Invalidf("parent_id %s does not exist", to)
		}
		return err
	}
	if dst.Type != TypeFolder {
		return errs.Invalidf("parent_id %s is a %s, not a folder", to, dst.Type)
	}
	if dst.ProjectID != a.ProjectID {
		return errs.Invalidf("assets can only move within their project")
	}
	for pid := dst.ID; pid != ""; {
		if pid == a.ID {
			return errs.Invalidf("a folder cannot move into itself or its subfolders")
		}
		p, err := getAsset(tx, pid)
		if err != nil {
			return err
		}
		pid = p.ParentID
	}
	old, err := getAsset(tx, a.ParentID)
	if err != nil {
		return err
	}
	if old.Type == TypeVersionStack {
		return errs.Invalidf("versions move with their version stack")
	}
	old.ItemCount--
	if err := putAsset(tx, old); err != nil {
		return err
	}
	if err := delChild(tx, old.ID, a.ID); err != nil {
		return err
	}
	if err := putChild(tx, dst.ID, false, *a); err != nil {
		return err
	}
	dst.ItemCount++
	a.ParentID = dst.ID
	return putAsset(tx, dst)
}

// DeleteAsset removes an asset and everything under it, and their files.
// A folder too big to delete in one transaction is emptied in parts first
// (emptyInParts).
func (s *Service) DeleteAsset(v Viewer, id string) error {
	if err := s.emptyBigFolders(v, id, id); err != nil {
		return err
	}
	err := s.deleteAsset(v, id)
	if !store.TooBig(err) {
		return err
	}
	if err := s.emptyInParts(v, id, id); err != nil {
		return err
	}
	return s.deleteAsset(v, id)
}

func (s *Service) deleteAsset(v Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		if a.ParentID == "" {
			return errs.Invalidf("the project's root folder cannot be deleted; delete the project instead")
		}
		if err := need(tx, v, a, AccessFull, "deleting"); err != nil {
			return err
		}
		parent, err := getAsset(tx, a.ParentID)
		if err != nil {
			return err
		}
		if err := s.deleteTree(tx, id); err != nil {
			return err
		}
		if err := delChild(tx, parent.ID, id); err != nil {
			return err
		}
		parent.ItemCount--
		switch {
		case parent.Type == TypeVersionStack:
			if err := s.restack(tx, parent); err != nil {
				return err
			}
			if left, err := tx.Has(store.PrefixAsset + parent.ID); err != nil || !left {
				return err
			}
			return s.followStack(tx, a, parent.ID)
		case a.AttachmentOf != "":
			parent.Attachments--
		}
		parent.UpdatedAt = s.now()
		return putAsset(tx, parent)
	})
}

// deleteTree deletes id and its descendants; their files go after
// commit, and Deleted hears of them all at once.
func (s *Service) deleteTree(tx *store.Tx, id string) error {
	var files []string
	if err := s.deleteNode(tx, id, &files); err != nil {
		return err
	}
	if len(files) == 0 {
		return nil
	}
	tx.AfterCommit(func() {
		if s.Deleted != nil {
			s.Deleted(files)
		}
		for _, f := range files {
			s.Blobs.Remove(OriginalKey(f))
			s.Blobs.RemoveAll(ProxyDir(f))
		}
	})
	return nil
}

// deleteNode deletes id and its descendants, adding the files among them
// to files.
func (s *Service) deleteNode(tx *store.Tx, id string, files *[]string) error {
	ids, err := childIDs(tx, id)
	if err != nil {
		return err
	}
	for _, c := range ids {
		if err := s.deleteNode(tx, c, files); err != nil {
			return err
		}
		if err := delChild(tx, id, c); err != nil {
			return err
		}
	}
	a, err := getAsset(tx, id)
	if err != nil {
		return err
	}
	if err := tx.Delete(store.PrefixAsset + id); err != nil {
		return err
	}
	// Its children are gone above; their order's mark goes with the folder.
	tx.Delete(orderMark(id))
	tx.Delete(store.PrefixMediaQueue + id)
	tx.Delete(store.PrefixVideoQueue + id)
	if a.Type == TypeFile {
		tx.Delete(store.PrefixBlobCRC + OriginalKey(id))
		var stale []string
		tx.ScanKeys(store.PrefixBlobCRC+ProxyDir(id)+"/", func(k string) error { stale = append(stale, k); return nil })
		for _, k := range stale {
			tx.Delete(k)
		}
		*files = append(*files, id)
	}
	return nil
}

func unmarshal(b []byte, v any) error { return jsonUnmarshal(b, v) }

// FolderPath is model.FolderPath, the JSON document.
type FolderPath = model.FolderPath

// Folders lists every folder of a project with its path, root first.
func (s *Service) Folders(v Viewer, projectID string) ([]FolderPath, error) {
	var out []FolderPath
	err := s.Store.View(func(tx *store.Tx) error {
		p, err := projectFor(tx, v, projectID)
		if err != nil {
			return err
		}
		var walk func(id, path string, depth int) error
		walk = func(id, path string, depth int) error {
			out = append(out, FolderPath{ID: id, Path: path})
			if depth > 64 {
				return nil
			}
			ids, err := childIDs(tx, id)
			if err != nil {
				return err
			}
			var kids []Asset
			for _, cid := range ids {
				a, err := getAsset(tx, cid)
				if err != nil {
					return err
				}
				if a.Type == TypeFolder {
					kids = append(kids, a)
				}
			}
			sortChildren(TypeFolder, kids)
			for _, k := range kids {
				if err := walk(k.ID, path+k.Name+"/", depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		return walk(p.RootAssetID, "/", 0)
	})
	return out, err
}
