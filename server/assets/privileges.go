package assets

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/groups"
	"github.com/ferryhq/ferry/server/store"
)

// Access levels a member may have on a folder, least first: each includes
// the ones before it.
const (
	AccessPreview  = "preview"  // see and preview
	AccessDownload = "download" // and download originals
	AccessUpload   = "upload"   // and upload, make folders, add versions
	AccessFull     = "full"     // and rename, move, delete
)

// AccessLevels lists the access levels, least first.
var AccessLevels = []string{AccessPreview, AccessDownload, AccessUpload, AccessFull}

// AccessRank orders access levels (-1 for an unknown one).
func AccessRank(access string) int {
	for i, a := range AccessLevels {
		if a == access {
			return i
		}
	}
	return -1
}

// Rights are what a member may do in a folder and its subfolders.
type Rights struct {
	Access string `json:"access"`
	Share  bool   `json:"share"`
}

// AllRights are the rights of admins, project owners, and members on
// folders without a privilege record on them or above them.
var AllRights = Rights{Access: AccessFull, Share: true}

// Allows reports whether r includes access.
func (r Rights) Allows(access string) bool { return AccessRank(r.Access) >= AccessRank(access) }

// Privilege is model.Privilege, the JSON document.
type Privilege = model.Privilege

// privilege is a record as stored at PrefixPrivilege+holder+"/"+folder,
// the holder a user id or GroupHolder(group id).
type privilege struct {
	ProjectID string    `json:"project_id"`
	Access    string    `json:"access"`
	Share     bool      `json:"share"`
	UpdatedAt time.Time `json:"updated_at"`
}

func privilegeKey(holder, folderID string) string {
	return store.PrefixPrivilege + holder + "/" + folderID
}

// member reports whether v's rights come from privilege records: a user
// who is not an admin. A link's visitors (who act in one project, with
// ids "link:…" or "share:…") get their rights from the link instead.
func (v Viewer) member() bool {
	return !v.Admin && v.ProjectID == "" && v.UserID != "" &&
		!strings.HasPrefix(v.UserID, "link:") && !strings.HasPrefix(v.UserID, "share:")
}

// GroupHolder is the holder key of group id's privilege records, beside
// the user ids that hold their own.
func GroupHolder(id string) string { return "group:" + id }

// holdersOf lists whose privilege records apply to user userID: their
// own and their groups', keeping only holders with at least one record
// (most have none: no walk up the tree for them).
func holdersOf(tx *store.Tx, userID string) ([]string, error) {
	gs, err := groups.Of(tx, userID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range append([]string{userID}, mapGroups(gs)...) {
		has := false
		if err := tx.ScanKeys(store.PrefixPrivilege+h+"/", func(string) error { has = true; return store.ErrStop }); err != nil {
			return nil, err
		}
		if has {
			out = append(out, h)
		}
	}
	return out, nil
}

func mapGroups(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = GroupHolder(id)
	}
	return out
}

// union is the most of two rights: the higher access, share if either shares.
func union(a, b Rights) Rights {
	if AccessRank(b.Access) > AccessRank(a.Access) {
		a.Access = b.Access
	}
	a.Share = a.Share || b.Share
	return a
}

// rightsOn returns v's rights on asset a. Each holder that applies to v
// (v and each of v's groups) has the rights of the nearest folder holding
// a record for it, a itself included; v's rights are the union of those.
// Without any such record v has all rights. It also names the nearest
// folder a record came from ("" when none).
func rightsOn(tx *store.Tx, v Viewer, a Asset) (Rights, string, error) {
	if !v.member() {
		return AllRights, "", nil
	}
	p, err := getProject(tx, a.ProjectID)
	if err != nil {
		return Rights{}, "", err
	}
	if p.OwnerID == v.UserID {
		return AllRights, "", nil
	}
	holders, err := holdersOf(tx, v.UserID)
	if err != nil || len(holders) == 0 {
		return AllRights, "", err
	}
	var out Rights
	folder, found := "", false
	cur := a
	for depth := 0; depth < 256 && len(holders) > 0; depth++ {
		rest := holders[:0:0]
		for _, h := range holders {
			var r privilege
			err := tx.Get(privilegeKey(h, cur.ID), &r)
			switch {
			case err == nil:
				out = union(out, Rights{Access: r.Access, Share: r.Share})
				if !found {
					folder, found = cur.Name, true
				}
			case errors.Is(err, store.ErrNotFound):
				rest = append(rest, h)
			default:
				return Rights{}, "", err
			}
		}
		holders = rest
		if cur.ParentID == "" {
			break
		}
		if cur, err = getAsset(tx, cur.ParentID); err != nil {
			break // a parent deleted meanwhile: nothing above it can restrict
		}
	}
	if !found {
		return AllRights, "", nil
	}
	return out, folder, nil
}

// errNotPermitted says what v lacks on folder to do what.
func errNotPermitted(r Rights, folder, what, access string) error {
	return errs.New(errs.Forbidden, "not_permitted", "%s needs %s access; you have %s access to the folder %q (ask an admin to change your privileges)",
		what, access, r.Access, folder)
}

// need checks that v has access on a; what names the action for the message.
func need(tx *store.Tx, v Viewer, a Asset, access, what string) error {
	r, folder, err := rightsOn(tx, v, a)
	if err != nil {
		return err
	}
	if !r.Allows(access) {
		return errNotPermitted(r, folder, what, access)
	}
	return nil
}

// Rights returns v's rights on asset id (one v can see).
func (s *Service) Rights(v Viewer, id string) (Rights, error) {
	var out Rights
	err := s.Store.View(func(tx *store.Tx) error {
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		out, _, err = rightsOn(tx, v, a)
		return err
	})
	return out, err
}

// Require checks that v has access on asset id; what names the action
// for the 403 answer ("downloading originals").
func (s *Service) Require(v Viewer, id, access, what string) error {
	return s.Store.View(func(tx *store.Tx) error {
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		return need(tx, v, a, access, what)
	})
}

// RequireShare checks that v may share asset id (their share privilege on its folder).
func (s *Service) RequireShare(v Viewer, id string) error {
	return s.Store.View(func(tx *store.Tx) error {
		a, err := visibleAsset(tx, v, id)
		if err != nil {
			return err
		}
		r, folder, err := rightsOn(tx, v, a)
		if err != nil {
			return err
		}
		if !r.Share {
			return errs.New(errs.Forbidden, "not_permitted", "you may not share from the folder %q (ask an admin for the share privilege)", folder)
		}
		return nil
	})
}

// folderPath is a folder's path from its project's root: "/" for the
// root, "/Shoots/2024/" below it.
func folderPath(tx *store.Tx, a Asset) string {
	var names []string
	for cur, depth := a, 0; cur.ParentID != "" && depth < 256; depth++ {
		names = append([]string{cur.Name}, names...)
		p, err := getAsset(tx, cur.ParentID)
		if err != nil {
			break
		}
		cur = p
	}
	if len(names) == 0 {
		return "/"
	}
	return "/" + strings.Join(names, "/") + "/"
}

// Privileges lists a holder's privilege records (a user id or
// GroupHolder), by project and path. Records of folders deleted since are
// left out.
func (s *Service) Privileges(holder string) ([]Privilege, error) {
	out := []Privilege{}
	prefix := store.PrefixPrivilege + holder + "/"
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(prefix, func(k string, b []byte) error {
			var r privilege
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			f, err := getAsset(tx, strings.TrimPrefix(k, prefix))
			if err != nil {
				return nil
			}
			out = append(out, Privilege{FolderID: f.ID, ProjectID: f.ProjectID, FolderPath: folderPath(tx, f), Access: r.Access, Share: r.Share})
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].ProjectID != out[j].ProjectID {
			return out[i].ProjectID < out[j].ProjectID
		}
		return out[i].FolderPath < out[j].FolderPath
	})
	return out, err
}

// SetPrivilege records (admins only) what holder (a user id or
// GroupHolder) may do in folder folderID and below.
func (s *Service) SetPrivilege(v Viewer, holder, folderID string, r Rights) (Privilege, error) {
	if !v.Admin {
		return Privilege{}, errs.Forbiddenf("only admins may set privileges")
	}
	if AccessRank(r.Access) < 0 {
		return Privilege{}, errs.Invalidf("access must be one of preview, download, upload or full")
	}
	var out Privilege
	err := s.Store.Update(func(tx *store.Tx) error {
		f, err := getAsset(tx, folderID)
		if err != nil {
			return err
		}
		if f.Type != TypeFolder {
			return errs.Invalidf("privileges are set on folders; %s is a %s", f.Name, strings.ReplaceAll(f.Type, "_", " "))
		}
		rec := privilege{ProjectID: f.ProjectID, Access: r.Access, Share: r.Share, UpdatedAt: s.now()}
		if err := tx.Put(privilegeKey(holder, f.ID), rec); err != nil {
			return err
		}
		out = Privilege{FolderID: f.ID, ProjectID: f.ProjectID, FolderPath: folderPath(tx, f), Access: r.Access, Share: r.Share}
		return nil
	})
	return out, err
}

// DeletePrivilege removes (admins only) a record: the folder inherits again.
func (s *Service) DeletePrivilege(v Viewer, holder, folderID string) error {
	if !v.Admin {
		return errs.Forbiddenf("only admins may change privileges")
	}
	if _, err := uuid.Parse(folderID); err != nil {
		return errs.NotFoundf("folder %s not found", folderID)
	}
	return s.Store.Update(func(tx *store.Tx) error { return tx.Delete(privilegeKey(holder, folderID)) })
}

// RightsOf returns what v may do on asset a now: NotFound when v no longer
// sees a's project, else v's rights there (all rights for admins and
// project owners). The access policy asks it for a link's creator at every
// visit.
func (s *Service) RightsOf(v Viewer, a Asset) (Rights, error) {
	var out Rights
	err := s.Store.View(func(tx *store.Tx) error {
		if _, err := projectFor(tx, v, a.ProjectID); err != nil {
			return err
		}
		var err error
		out, _, err = rightsOn(tx, v, a)
		return err
	})
	return out, err
}
