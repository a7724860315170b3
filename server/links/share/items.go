package share

import (
	"fmt"
	"slices"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Contents is model.ShareLinkItems, the JSON document.
type Contents = model.ShareLinkItems

// EditItems adds and removes files of share link id for v, who must
// manage it: a collection or selection link changes its collection (and so
// every link showing it, which v must manage too); a single-file link
// becomes a selection. What is added needs the share privilege and the
// link's access, as at creation. The change is written in the access log
// ("contents_changed", "+2 −1", by v), answered by vis's address.
func (s *Service) EditItems(v assets.Viewer, id string, in Contents, vis Visitor) (View, error) {
	if len(in.Add)+len(in.Remove) == 0 {
		return View{}, errs.Invalidf("send add or remove: arrays of asset ids")
	}
	if len(in.Add)+len(in.Remove) > 10_000 {
		return View{}, errs.Invalidf("change at most 10000 assets at once")
	}
	var l Link
	if err := s.Store.View(func(tx *store.Tx) (err error) { l, err = s.managed(tx, v, id); return err }); err != nil {
		return View{}, err
	}
	switch {
	case l.Kind == KindDownload:
		return View{}, errs.New(errs.Invalid, "items_not_editable", "a direct download link is for exactly one file; make a public link to share several")
	case l.TargetType == "folder":
		return View{}, errs.New(errs.Invalid, "items_not_editable", "a folder link shows what its folder holds: add files to the folder, or share them with another link")
	}
	var current []string
	if l.TargetType == "collection" {
		c, err := s.Assets.GetCollection(v, l.TargetID)
		if errs.Is(err, errs.NotFound) {
			return View{}, errs.New(errs.Conflict, "target_deleted", "this link's collection was deleted; make a new link")
		}
		if err != nil {
			return View{}, err
		}
		current = c.AssetIDs
	} else {
		current = []string{l.TargetID}
	}
	admin := assets.Viewer{Admin: true}
	// An entry and the id a visitor sees of it (its stack's newest
	// version) are the same file: entries are matched by their stack (or
	// themselves), each looked up once. Deleted files leave the list (a
	// link whose files were all deleted comes back with what is added).
	same := func(x string) (string, bool) {
		a, err := s.Assets.GetAsset(admin, x)
		if err != nil {
			return x, false
		}
		return s.following(a).ID, true
	}
	var next []string
	at := map[string]int{} // stack or file id → index in next
	for _, x := range current {
		k, ok := same(x)
		if _, dup := at[k]; ok && !dup {
			at[k] = len(next)
			next = append(next, x)
		}
	}
	removed := 0
	for _, x := range in.Remove {
		k, _ := same(x)
		i, ok := at[k]
		if !ok {
			return View{}, errs.New(errs.Invalid, "not_in_link", "asset %s is not in this link", x)
		}
		next[i] = "" // removed below
		delete(at, k)
		removed++
	}
	policy, added := s.Policy(), 0
	for _, x := range in.Add {
		a, err := s.Assets.GetAsset(v, x)
		if err != nil {
			return View{}, errs.Invalidf("asset %s: %s", x, detail(err))
		}
		switch {
		case a.ProjectID != l.ProjectID:
			return View{}, errs.Invalidf("asset %s belongs to another project than this link", x)
		case a.Type != assets.TypeFile && a.Type != assets.TypeVersionStack && a.Type != assets.TypeFolder || a.AttachmentOf != "":
			return View{}, errs.Invalidf("%s cannot be shared on its own", a.Name)
		case a.UploadStatus != "":
			return View{}, errs.Invalidf("%s has not finished uploading", a.Name)
		}
		if err := policy.MayShare(v, x); err != nil {
			return View{}, err
		}
		if err := policy.Member(v, x, modeAction[l.Mode()], "sharing with "+l.Mode()+" access"); err != nil {
			return View{}, err
		}
		k, _ := same(x)
		if _, ok := at[k]; ok {
			continue // already in the link
		}
		at[k] = len(next)
		next = append(next, x)
		added++
	}
	if err := s.inboxOutside(l, in.Add); err != nil {
		return View{}, err
	}
	next = slices.DeleteFunc(next, func(x string) bool { return x == "" })
	if len(next) == 0 {
		return View{}, errs.New(errs.Invalid, "link_would_be_empty", "a link keeps at least one file; revoke it to stop sharing")
	}
	if added+removed > 0 {
		if err := s.setItems(v, &l, next); err != nil {
			return View{}, err
		}
		s.writeLog(l.ID, vis, Entry{Action: "contents_changed", By: v.Name, Detail: fmt.Sprintf("+%d −%d", added, removed)}, false)
	}
	return s.Get(v, id)
}

// setItems makes link l share ids: its collection changes, or a
// single-file link gets a collection of its own.
func (s *Service) setItems(v assets.Viewer, l *Link, ids []string) error {
	if l.TargetType == "collection" {
		if err := s.CheckCollectionEdit(v, l.TargetID, ids); err != nil {
			return err
		}
		_, err := s.Assets.UpdateCollection(v, l.TargetID, assets.CollectionPatch{AssetIDs: &ids})
		return err
	}
	c, err := s.Assets.CreateCollection(v, l.ProjectID, assets.NewCollection{Name: "New collection from " + s.now().Format("2 Jan 2006"), AssetIDs: ids, Personal: true})
	if err != nil {
		return err
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		cur, err := getLink(tx, l.ID)
		if err != nil {
			return err
		}
		if cur.TargetType != "asset" || cur.TargetID != l.TargetID {
			return errs.New(errs.Conflict, "link_changed", "the link changed meanwhile; try again")
		}
		cur.TargetType, cur.TargetID, cur.UpdatedAt = "collection", c.ID, s.now()
		*l = cur
		return putLink(tx, cur)
	})
	if err != nil {
		s.Assets.DeleteCollection(v, c.ID)
	}
	return err
}
