package assets

import (
	"encoding/json"
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// FolderPermissions lists (admins only) who holds a privilege on folder
// folderID: each user and group with a record on it, then those whose
// nearest record is on a folder above (inherited). Names are the
// caller's to fill in; holders are users before groups, nearest first.
func (s *Service) FolderPermissions(v Viewer, folderID string) ([]model.FolderPermission, error) {
	if !v.Admin {
		return nil, errs.Forbiddenf("only admins may see and change folder permissions")
	}
	out := []model.FolderPermission{}
	err := s.Store.View(func(tx *store.Tx) error {
		f, err := getAsset(tx, folderID)
		if err != nil {
			return err
		}
		if f.Type != TypeFolder {
			return errs.Invalidf("permissions are set on folders; %s is a %s", f.Name, strings.ReplaceAll(f.Type, "_", " "))
		}
		// Records are keyed by holder first: one pass over them all (an
		// admin sets few) gives each folder's holders.
		onFolder := map[string][]model.FolderPermission{}
		err = tx.Scan(store.PrefixPrivilege, func(k string, b []byte) error {
			holder, folder, ok := strings.Cut(strings.TrimPrefix(k, store.PrefixPrivilege), "/")
			if !ok {
				return nil
			}
			var r privilege
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if r.ProjectID != f.ProjectID {
				return nil
			}
			p := model.FolderPermission{HolderType: model.HolderUser, HolderID: holder, Access: r.Access, Share: r.Share}
			if id, ok := strings.CutPrefix(holder, GroupHolder("")); ok {
				p.HolderType, p.HolderID = model.HolderGroup, id
			}
			onFolder[folder] = append(onFolder[folder], p)
			return nil
		})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		cur := f
		for depth := 0; depth < 256; depth++ {
			for _, kind := range []string{model.HolderUser, model.HolderGroup} {
				for _, p := range onFolder[cur.ID] {
					if p.HolderType != kind || seen[kind+p.HolderID] {
						continue
					}
					seen[kind+p.HolderID] = true
					p.Inherited, p.FromFolderID, p.FromPath = cur.ID != f.ID, cur.ID, folderPath(tx, cur)
					out = append(out, p)
				}
			}
			if cur.ParentID == "" {
				break
			}
			if cur, err = getAsset(tx, cur.ParentID); err != nil {
				break
			}
		}
		return nil
	})
	return out, err
}

// DropHolder removes every privilege record of holder (a deleted group).
func (s *Service) DropHolder(holder string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		var keys []string
		if err := tx.ScanKeys(store.PrefixPrivilege+holder+"/", func(k string) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
