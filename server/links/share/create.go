package share

import (
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Create makes a share link for v. Several asset_ids become a collection
// first (named collection_name or «New collection from [date]»).
func (s *Service) Create(v assets.Viewer, r NewLink) (out View, err error) {
	var made string // a collection made for the link, removed again if the link is refused
	defer func() {
		if err != nil && made != "" {
			s.Assets.DeleteCollection(v, made)
		}
	}()
	now := s.now()
	l := Link{ID: uuid.NewString(), Key: secure.LinkKey(), Kind: r.Kind, OwnerID: v.UserID, OwnerName: v.Name,
		InsertedAt: now, UpdatedAt: now, AllowOriginal: r.AllowOriginal != nil && *r.AllowOriginal,
		AllowAttachments: r.AllowAttachments != nil && *r.AllowAttachments, Watermark: r.Watermark}
	if err := s.setFaceSearch(&l, r.AllowFaceSearch); err != nil {
		return View{}, err
	}
	l.ShowPersonNames = r.ShowPersonNames != nil && *r.ShowPersonNames
	if l.Kind == "" {
		l.Kind = KindPublic
	}
	if l.Kind != KindPublic && l.Kind != KindDownload {
		return View{}, errs.Invalidf("kind must be public or download")
	}
	targets := 0
	for _, set := range []bool{len(r.AssetIDs) > 0, r.CollectionID != "", r.FolderID != ""} {
		if set {
			targets++
		}
	}
	if targets != 1 {
		return View{}, errs.Invalidf("send exactly one of asset_ids, collection_id or folder_id")
	}
	if l.Name, err = assets.CleanText("name", r.Name, 200, true); err != nil {
		return View{}, err
	}
	if l.Name == "" {
		l.Name = "Link from " + now.Format("2 Jan 2006, 15:04")
	}
	if l.Description, err = assets.CleanText("description", r.Description, 5000, false); err != nil {
		return View{}, err
	}
	if l.AllowProxies, err = checkProxies(r.AllowProxies); err != nil {
		return View{}, err
	}
	set, err := s.Sharing()
	if err != nil {
		return View{}, err
	}
	switch {
	case r.ExpiresAt.Value != nil:
		at := r.ExpiresAt.Value.UTC()
		if !at.After(now) {
			return View{}, errs.Invalidf("expires_at %s is in the past", at.Format(time.RFC3339))
		}
		l.ExpiresAt = &at
	case !r.ExpiresAt.Set && set.DefaultExpirationDays != nil:
		at := now.AddDate(0, 0, *set.DefaultExpirationDays)
		l.ExpiresAt = &at
	}
	if set.RequirePassword && r.Password == "" {
		if r.Kind == KindDownload {
			return View{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every share link, and direct download links cannot have one: make a public link with a password")
		}
		return View{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every new share link")
	}
	if err := applyOptions(&l, options{AllowedActions: &r.AllowedActions, InboxFolderID: &r.InboxFolderID, MaxUploadMB: r.MaxUploadMB,
		Note: &r.Note, RequireRegistration: &r.RequireRegistration, FormID: &r.FormID, ClickwrapID: &r.ClickwrapID, AccessControl: &r.AccessControl}); err != nil {
		return View{}, err
	}
	if r.AllowOriginal == nil && r.AllowProxies == nil && r.AllowAttachments == nil {
		l.downloadDefaults(r.AllowedActions)
	}
	if r.MaxUses != nil {
		if *r.MaxUses < 1 || *r.MaxUses > 1_000_000_000 {
			return View{}, errs.Invalidf("max_uses must be a whole number from 1 up, or null for unlimited")
		}
		l.MaxUses = *r.MaxUses
	}
	if l.Kind == KindDownload {
		if len(r.AssetIDs) != 1 {
			return View{}, errs.Invalidf("a direct download link is for exactly one asset (send one asset_ids entry)")
		}
		if r.Password != "" || r.MaxUses != nil || r.Watermark {
			return View{}, errs.Invalidf("a direct download link takes a name and an expiry only")
		}
		l.AllowOriginal, l.AllowProxies, l.AllowAttachments = true, []string{}, false
	}
	if r.Password != "" {
		if l.PasswordHash, err = s.hash(r.Password); err != nil {
			return View{}, err
		}
	}
	switch {
	case len(r.AssetIDs) == 1:
		a, err := s.Assets.GetAsset(v, r.AssetIDs[0])
		if err != nil {
			return View{}, errs.Invalidf("asset %s: %s", r.AssetIDs[0], detail(err))
		}
		if l.Kind == KindDownload && a.Type != assets.TypeFile {
			return View{}, errs.Invalidf("a direct download link needs a file; %s is a %s", a.Name, a.Type)
		}
		if a.UploadStatus != "" {
			return View{}, errs.Invalidf("%s has not finished uploading", a.Name)
		}
		l.ProjectID, l.TargetType, l.TargetID = a.ProjectID, "asset", a.ID
		if a.Type == assets.TypeFolder {
			l.TargetType = "folder"
		}
	case len(r.AssetIDs) > 1:
		if len(r.AssetIDs) > 10_000 {
			return View{}, errs.Invalidf("a link holds at most 10000 assets")
		}
		if err := s.checkShareable(v, r.AssetIDs); err != nil {
			return View{}, err
		}
		first, err := s.Assets.GetAsset(v, r.AssetIDs[0])
		if err != nil {
			return View{}, errs.Invalidf("asset %s: %s", r.AssetIDs[0], detail(err))
		}
		name, err := assets.CleanText("collection_name", r.CollectionName, 200, true)
		if err != nil {
			return View{}, err
		}
		if name == "" {
			name = "New collection from " + now.Format("2 Jan 2006")
		}
		c, err := s.Assets.CreateCollection(v, first.ProjectID, assets.NewCollection{Name: name, AssetIDs: r.AssetIDs, Personal: true})
		if err != nil {
			return View{}, err
		}
		l.ProjectID, l.TargetType, l.TargetID, made = c.ProjectID, "collection", c.ID, c.ID
	case r.CollectionID != "":
		c, err := s.Assets.GetCollection(v, r.CollectionID)
		if err != nil {
			return View{}, errs.Invalidf("collection %s: %s", r.CollectionID, detail(err))
		}
		l.ProjectID, l.TargetType, l.TargetID = c.ProjectID, "collection", c.ID
	default:
		f, err := s.Assets.GetAsset(v, r.FolderID)
		if err != nil {
			return View{}, errs.Invalidf("folder %s: %s", r.FolderID, detail(err))
		}
		if f.Type != assets.TypeFolder {
			return View{}, errs.Invalidf("folder_id %s is a %s, not a folder", r.FolderID, f.Type)
		}
		l.ProjectID, l.TargetType, l.TargetID = f.ProjectID, "folder", f.ID
	}
	if l.Kind == KindDownload && l.TargetType != "asset" {
		return View{}, errs.Invalidf("a direct download link needs a single file, not a %s", l.TargetType)
	}
	if err := s.checkActions(v, &l); err != nil {
		return View{}, err
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		if err := s.checkGate(tx, l); err != nil {
			return err
		}
		if r.Key != "" {
			l.Key = r.Key
			if err := claimKey(tx, set, l.Key, ShareKind, l.ID); err != nil {
				return err
			}
		} else if err := tx.PutLinkKey(l.Key, ShareKind, l.ID); err != nil {
			return err
		}
		if err := putLink(tx, l); err != nil {
			return err
		}
		out = s.view(tx, l, now)
		return nil
	})
	return out, err
}

func detail(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Detail
	}
	return err.Error()
}
