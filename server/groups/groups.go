// Package groups keeps named sets of users (Settings → Groups). Folder
// privileges given to a group hold for each of its members: server/assets
// reads a user's groups with Of when it resolves their rights, so a user
// removed from a group loses the group's rights at once.
package groups

import (
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Service manages groups. Callers check who may (access.Policy.ManageGroups).
type Service struct {
	Store *store.Store
	Now   func() time.Time
}

func (s *Service) now() time.Time { return store.NowUTC(s.Now) }

func memberKey(userID, groupID string) string {
	return store.PrefixGroupMember + userID + "/" + groupID
}

func get(tx *store.Tx, id string) (model.Group, error) {
	var g model.Group
	if _, err := uuid.Parse(id); err != nil {
		return g, errs.NotFoundf("group %s not found", id)
	}
	err := tx.Get(store.PrefixGroup+id, &g)
	if errors.Is(err, store.ErrNotFound) {
		return g, errs.NotFoundf("group %s not found", id)
	}
	return g, err
}

// List returns every group, by name.
func (s *Service) List() ([]model.Group, error) {
	out := []model.Group{}
	err := s.Store.View(func(tx *store.Tx) error {
		return scan(tx, func(g model.Group) { out = append(out, g) })
	})
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

func scan(tx *store.Tx, fn func(model.Group)) error {
	return tx.Scan(store.PrefixGroup, func(_ string, b []byte) error {
		var g model.Group
		if err := json.Unmarshal(b, &g); err != nil {
			return err
		}
		fn(g)
		return nil
	})
}

// Get returns one group.
func (s *Service) Get(id string) (model.Group, error) {
	var g model.Group
	err := s.Store.View(func(tx *store.Tx) (err error) {
		g, err = get(tx, id)
		return err
	})
	return g, err
}

// Create makes a group named in.Name with the users in.UserIDs.
func (s *Service) Create(in model.GroupPatch) (model.Group, error) {
	if in.Name == nil {
		return model.Group{}, errs.Invalidf("a group needs a name")
	}
	now := s.now()
	g := model.Group{ID: uuid.NewString(), UserIDs: []string{}, InsertedAt: now, UpdatedAt: now}
	return s.save(g, in, true)
}

// Update renames a group or replaces its members.
func (s *Service) Update(id string, in model.GroupPatch) (model.Group, error) {
	return s.save(model.Group{ID: id}, in, false)
}

func (s *Service) save(g model.Group, in model.GroupPatch, create bool) (model.Group, error) {
	err := s.Store.Update(func(tx *store.Tx) error {
		cur := g
		if !create {
			var err error
			if cur, err = get(tx, g.ID); err != nil {
				return err
			}
		}
		if in.Name != nil {
			name, err := cleanName(*in.Name)
			if err != nil {
				return err
			}
			if err := uniqueName(tx, cur.ID, name); err != nil {
				return err
			}
			cur.Name = name
		}
		if in.UserIDs != nil {
			if err := setMembers(tx, &cur, *in.UserIDs); err != nil {
				return err
			}
		}
		cur.UpdatedAt = s.now()
		g = cur
		return tx.Put(store.PrefixGroup+cur.ID, cur)
	})
	return g, err
}

// cleanName checks a group's name: one line of 1 to 100 characters.
func cleanName(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errs.Invalidf("a group needs a name")
	case !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", errs.Invalidf("a group's name must be text on one line")
	case utf8.RuneCountInString(s) > 100:
		return "", errs.Invalidf("a group's name is longer than 100 characters")
	}
	return s, nil
}

func uniqueName(tx *store.Tx, id, name string) error {
	taken := false
	err := scan(tx, func(o model.Group) { taken = taken || o.ID != id && strings.EqualFold(o.Name, name) })
	if err == nil && taken {
		return errs.New(errs.Conflict, "group_exists", "there is already a group named %q", name)
	}
	return err
}

// setMembers replaces g's members by ids (each an existing user, once) and
// keeps the per-user index in step.
func setMembers(tx *store.Tx, g *model.Group, ids []string) error {
	next := []string{}
	for _, id := range ids {
		if slices.Contains(next, id) {
			continue
		}
		if _, err := uuid.Parse(id); err != nil {
			return errs.Invalidf("user id %q is not a UUID", id)
		}
		if _, err := auth.UserIn(tx, id); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.Invalidf("user %s does not exist", id)
			}
			return err
		}
		next = append(next, id)
	}
	for _, id := range g.UserIDs {
		if !slices.Contains(next, id) {
			if err := tx.Delete(memberKey(id, g.ID)); err != nil {
				return err
			}
		}
	}
	for _, id := range next {
		if err := tx.Put(memberKey(id, g.ID), ""); err != nil {
			return err
		}
	}
	g.UserIDs = next
	return nil
}

// Delete removes a group; its members lose what it gave them at once.
// The group's privilege records are the caller's to drop
// (assets.Service.DropHolder).
func (s *Service) Delete(id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		g, err := get(tx, id)
		if err != nil {
			return err
		}
		if err := setMembers(tx, &g, nil); err != nil {
			return err
		}
		return tx.Delete(store.PrefixGroup + id)
	})
}

// Of lists the ids of the groups userID is in, read in tx.
func Of(tx *store.Tx, userID string) ([]string, error) {
	var out []string
	prefix := store.PrefixGroupMember + userID + "/"
	err := tx.ScanKeys(prefix, func(k string) error {
		out = append(out, strings.TrimPrefix(k, prefix))
		return nil
	})
	return out, err
}
