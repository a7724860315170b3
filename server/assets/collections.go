package assets

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// NewCollection is model.NewCollection, the JSON document.
type NewCollection = model.NewCollection

// CreateCollection makes a named set of assets of one project.
func (s *Service) CreateCollection(v Viewer, projectID string, in NewCollection) (Collection, error) {
	name := in.Name
	if strings.TrimSpace(name) == "" {
		name = "New collection from " + s.now().Format("Jan 2, 2006")
	}
	name, err := CleanName("collection", name)
	if err != nil {
		return Collection{}, err
	}
	now := s.now()
	c := Collection{ID: uuid.NewString(), ProjectID: projectID, Name: name, AssetIDs: []string{},
		Hidden: in.Hidden, Personal: in.Personal, CreatorID: v.UserID, InsertedAt: now, UpdatedAt: now}
	err = s.Store.Update(func(tx *store.Tx) error {
		if _, err := projectFor(tx, v, projectID); err != nil {
			return err
		}
		ids, err := checkMembers(tx, v, projectID, in.AssetIDs)
		if err != nil {
			return err
		}
		c.AssetIDs = ids
		if err := tx.Put(store.PrefixCollection+c.ID, c); err != nil {
			return err
		}
		return tx.Put(store.PrefixProjectColl+projectID+"/"+c.ID, "")
	})
	return c, err
}

func checkMembers(tx *store.Tx, v Viewer, projectID string, ids []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return nil, errs.Invalidf("asset_ids: %s", detail(err))
		}
		if a.ProjectID != projectID {
			return nil, errs.Invalidf("asset_ids: %s belongs to another project", id)
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}

func getCollection(tx *store.Tx, v Viewer, id string) (Collection, error) {
	var c Collection
	if err := tx.Get(store.PrefixCollection+id, &c); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return c, errs.NotFoundf("collection %s not found", id)
		}
		return c, err
	}
	if _, err := projectFor(tx, v, c.ProjectID); err != nil {
		return c, errs.NotFoundf("collection %s not found", id)
	}
	return c, nil
}

// ListCollections returns a project's collections (hidden ones only when
// asked); another user's personal collections are never listed.
func (s *Service) ListCollections(v Viewer, projectID string, includeHidden bool) ([]Collection, error) {
	out := []Collection{}
	err := s.Store.View(func(tx *store.Tx) error {
		if _, err := projectFor(tx, v, projectID); err != nil {
			return err
		}
		prefix := store.PrefixProjectColl + projectID + "/"
		return tx.ScanKeys(prefix, func(k string) error {
			c, err := getCollection(tx, v, strings.TrimPrefix(k, prefix))
			if err != nil {
				return err
			}
			if (includeHidden || !c.Hidden) && (!c.Personal || c.CreatorID == v.UserID) {
				out = append(out, c)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// GetCollection returns one collection.
func (s *Service) GetCollection(v Viewer, id string) (Collection, error) {
	var c Collection
	err := s.Store.View(func(tx *store.Tx) (err error) {
		c, err = getCollection(tx, v, id)
		return err
	})
	return c, err
}

// CollectionItems returns the assets of a collection that still exist.
func (s *Service) CollectionItems(v Viewer, id string) ([]Asset, error) {
	out := []Asset{}
	err := s.Store.View(func(tx *store.Tx) error {
		c, err := getCollection(tx, v, id)
		if err != nil {
			return err
		}
		for _, aid := range c.AssetIDs {
			a, err := getAsset(tx, aid)
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// CollectionPatch is model.CollectionPatch, the JSON document.
type CollectionPatch = model.CollectionPatch

// UpdateCollection renames a collection or replaces its assets.
func (s *Service) UpdateCollection(v Viewer, id string, p CollectionPatch) (Collection, error) {
	var c Collection
	err := s.Store.Update(func(tx *store.Tx) (err error) {
		if c, err = getCollection(tx, v, id); err != nil {
			return err
		}
		if p.Name != nil {
			if c.Name, err = CleanName("collection", *p.Name); err != nil {
				return err
			}
		}
		if p.AssetIDs != nil {
			if c.AssetIDs, err = checkMembers(tx, v, c.ProjectID, *p.AssetIDs); err != nil {
				return err
			}
		}
		if p.Hidden != nil {
			c.Hidden = *p.Hidden
		}
		c.UpdatedAt = s.now()
		return tx.Put(store.PrefixCollection+id, c)
	})
	return c, err
}

// DeleteCollection removes a collection (its assets stay).
func (s *Service) DeleteCollection(v Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		c, err := getCollection(tx, v, id)
		if err != nil {
			return err
		}
		if err := tx.Delete(store.PrefixProjectColl + c.ProjectID + "/" + id); err != nil {
			return err
		}
		return tx.Delete(store.PrefixCollection + id)
	})
}

// followStack makes what listed version a, deleted from stack stackID
// that keeps other versions, list the stack instead: the collections of
// its project here, share links through Unstacked.
func (s *Service) followStack(tx *store.Tx, a Asset, stackID string) error {
	prefix := store.PrefixProjectColl + a.ProjectID + "/"
	var ids []string
	if err := tx.ScanKeys(prefix, func(k string) error { ids = append(ids, strings.TrimPrefix(k, prefix)); return nil }); err != nil {
		return err
	}
	for _, id := range ids {
		var c Collection
		if err := tx.Get(store.PrefixCollection+id, &c); err != nil {
			continue
		}
		i := slices.Index(c.AssetIDs, a.ID)
		if i < 0 {
			continue
		}
		if slices.Contains(c.AssetIDs, stackID) {
			c.AssetIDs = slices.Delete(c.AssetIDs, i, i+1)
		} else {
			c.AssetIDs[i] = stackID
		}
		if err := tx.Put(store.PrefixCollection+id, c); err != nil {
			return err
		}
	}
	if s.Unstacked != nil {
		return s.Unstacked(tx, a.ID, stackID)
	}
	return nil
}
