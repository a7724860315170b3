// Projects: create, list, read, rename, set members, delete.

package assets

import (
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// CreateProject makes a project with its root folder.
func (s *Service) CreateProject(v Viewer, name string) (Project, error) {
	name, err := CleanName("project", name)
	if err != nil {
		return Project{}, err
	}
	now := s.now()
	p := Project{ID: uuid.NewString(), Name: name, RootAssetID: uuid.NewString(), OwnerID: v.UserID,
		MemberIDs: []string{}, InsertedAt: now, UpdatedAt: now}
	root := Asset{ID: p.RootAssetID, Type: TypeFolder, Name: name, ProjectID: p.ID,
		CreatorID: v.UserID, CreatorName: v.Name, InsertedAt: now, UpdatedAt: now}
	err = s.Store.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.PrefixProject+p.ID, p); err != nil {
			return err
		}
		return putAsset(tx, root)
	})
	return p, err
}

// ListProjects returns the projects v sees, by name.
func (s *Service) ListProjects(v Viewer) ([]Project, error) {
	out := []Project{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixProject, func(_ string, b []byte) error {
			var p Project
			if err := unmarshal(b, &p); err != nil {
				return err
			}
			if v.sees(p) {
				out = append(out, p)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

// GetProject returns one project.
func (s *Service) GetProject(v Viewer, id string) (Project, error) {
	var p Project
	err := s.Store.View(func(tx *store.Tx) (err error) {
		p, err = projectFor(tx, v, id)
		return err
	})
	return p, err
}

// ProjectPatch is model.ProjectPatch, the JSON document.
type ProjectPatch = model.ProjectPatch

// UpdateProject renames a project or sets its members.
func (s *Service) UpdateProject(v Viewer, id string, patch ProjectPatch) (Project, error) {
	var p Project
	err := s.Store.Update(func(tx *store.Tx) (err error) {
		if p, err = projectFor(tx, v, id); err != nil {
			return err
		}
		if patch.Name != nil {
			if p.Name, err = CleanName("project", *patch.Name); err != nil {
				return err
			}
			root, err := getAsset(tx, p.RootAssetID)
			if err != nil {
				return err
			}
			root.Name = p.Name
			if err := putAsset(tx, root); err != nil {
				return err
			}
		}
		// Members echoed back unchanged (a read-modify-write PUT) are no change.
		if patch.MemberIDs != nil && !slices.Equal(*patch.MemberIDs, p.MemberIDs) {
			if !v.Admin && p.OwnerID != v.UserID {
				return errs.Forbiddenf("only the project owner or an admin may change its members")
			}
			p.MemberIDs = append([]string{}, (*patch.MemberIDs)...)
		}
		p.UpdatedAt = s.now()
		return tx.Put(store.PrefixProject+id, p)
	})
	return p, err
}

// DeleteProject removes a project, all its assets and their files.
func (s *Service) DeleteProject(v Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		p, err := projectFor(tx, v, id)
		if err != nil {
			return err
		}
		if !v.Admin && p.OwnerID != v.UserID {
			return errs.Forbiddenf("only the project owner or an admin may delete it")
		}
		if err := s.deleteTree(tx, p.RootAssetID); err != nil {
			return err
		}
		var colls []string
		tx.ScanKeys(store.PrefixProjectColl+id+"/", func(k string) error { colls = append(colls, k); return nil })
		for _, k := range colls {
			tx.Delete(k)
			tx.Delete(store.PrefixCollection + k[strings.LastIndex(k, "/")+1:])
		}
		return tx.Delete(store.PrefixProject + id)
	})
}
