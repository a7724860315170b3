package links

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// ReviewLink is a review link as stored. It shares keys, passwords (with
// their throttle and lock), expiry and visitor sessions with share links.
type ReviewLink struct {
	ID                 string      `json:"id"`
	Key                string      `json:"key"`
	ProjectID          string      `json:"project_id"`
	Name               string      `json:"name"`
	AllowApprovals     bool        `json:"allow_approvals"`
	CurrentVersionOnly bool        `json:"current_version_only"`
	EnableDownloading  bool        `json:"enable_downloading"`
	EnableComments     bool        `json:"enable_comments"`
	ExpiresAt          *time.Time  `json:"expires_at"`
	PasswordHash       string      `json:"password_hash,omitempty"`
	Failures           []time.Time `json:"failures,omitempty"`
	Locked             bool        `json:"locked"`
	OwnerID            string      `json:"owner_id"`
	OwnerName          string      `json:"owner_name"`
	ViewCount          int         `json:"view_count"`
	DigestedAt         time.Time   `json:"digested_at"` // feedback up to here went out in a digest
	InsertedAt         time.Time   `json:"inserted_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// ReviewView is model.ReviewLink, the JSON document.
type ReviewView = model.ReviewLink

// ReviewInput is model.ReviewLinkInput, the JSON document.
type ReviewInput = model.ReviewLinkInput

// ReviewItem is model.ReviewLinkItem, the JSON document.
type ReviewItem = model.ReviewLinkItem

type itemRecord struct {
	ID         string    `json:"id"`
	AssetID    string    `json:"asset_id"`
	InsertedAt time.Time `json:"inserted_at"`
}

func getReview(tx *store.Tx, id string) (ReviewLink, error) {
	return GetByID[ReviewLink](tx, store.PrefixReviewLink, id, "review link")
}

func reviewByKey(tx *store.Tx, key string) (ReviewLink, error) {
	return ByKey[ReviewLink](tx, key, ReviewKind, store.PrefixReviewLink, "review link", errNotFound())
}

func (r ReviewLink) open(now time.Time) error {
	if r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
		return errs.New(errs.Gone, "link_expired", "This link has expired")
	}
	if r.Locked {
		return errs.New(errs.Locked, "link_locked", "This link is locked after too many wrong passwords; ask %s to unlock it", r.OwnerName)
	}
	return nil
}

func (s *Service) reviewView(tx *store.Tx, r ReviewLink) ReviewView {
	n := 0
	tx.ScanKeys(store.PrefixReviewItem+r.ID+"/", func(string) error { n++; return nil })
	return ReviewView{ID: r.ID, Type: "review_link", Name: r.Name, ShortURL: strings.TrimRight(s.PublicURL, "/") + "/r/" + r.Key,
		Key: r.Key, ProjectID: r.ProjectID, OwnerID: r.OwnerID, OwnerName: r.OwnerName, IsActive: r.open(s.now()) == nil,
		ItemCount: n, ViewCount: r.ViewCount, AllowApprovals: r.AllowApprovals, CurrentVersionOnly: r.CurrentVersionOnly,
		EnableDownloading: r.EnableDownloading, EnableComments: r.EnableComments, ExpiresAt: r.ExpiresAt,
		HasPassword: r.PasswordHash != "", Locked: r.Locked, InsertedAt: r.InsertedAt, UpdatedAt: r.UpdatedAt}
}

func (s *Service) applyReview(r *ReviewLink, in ReviewInput, hash string, now time.Time) error {
	if in.Name != nil {
		name, err := assets.CleanText("name", *in.Name, 200, true)
		if err != nil {
			return err
		}
		if name == "" {
			return errs.Invalidf("name must not be empty")
		}
		r.Name = name
	}
	for _, f := range []struct {
		in  *bool
		out *bool
	}{{in.AllowApprovals, &r.AllowApprovals}, {in.CurrentVersionOnly, &r.CurrentVersionOnly},
		{in.EnableDownloading, &r.EnableDownloading}, {in.EnableComments, &r.EnableComments}} {
		if f.in != nil {
			*f.out = *f.in
		}
	}
	if in.ExpiresAt.Set {
		if at := in.ExpiresAt.Value; at != nil {
			t := at.UTC()
			if !t.After(now) {
				return errs.Invalidf("expires_at %s is in the past", t.Format(time.RFC3339))
			}
			r.ExpiresAt = &t
		} else {
			r.ExpiresAt = nil
		}
	}
	if hash != "" {
		r.PasswordHash = hash
	}
	if in.RemovePassword {
		r.PasswordHash = ""
	}
	if in.Locked != nil {
		if *in.Locked {
			return errs.Invalidf("links lock themselves after wrong passwords; send locked: false to unlock")
		}
		r.Locked, r.Failures = false, nil
	}
	return nil
}

func (s *Service) passwordOf(in ReviewInput) (string, error) {
	if in.Password == nil || *in.Password == "" {
		return "", nil
	}
	if in.RemovePassword {
		return "", errs.Invalidf("send a new password or remove_password, not both")
	}
	return s.hash(*in.Password)
}

// CreateReview makes a review link in a project v can see, with Frame.io's defaults.
func (s *Service) CreateReview(v assets.Viewer, projectID string, in ReviewInput) (ReviewView, error) {
	p, err := s.Assets.GetProject(v, projectID)
	if err != nil {
		return ReviewView{}, err
	}
	hash, err := s.passwordOf(in)
	if err != nil {
		return ReviewView{}, err
	}
	set, err := s.Sharing()
	if err != nil {
		return ReviewView{}, err
	}
	if set.RequirePassword && hash == "" {
		return ReviewView{}, errs.New(errs.Invalid, "password_required", "this site requires a password on every new link, review links included")
	}
	now := s.now()
	r := ReviewLink{ID: uuid.NewString(), Key: secure.LinkKey(), ProjectID: p.ID, Name: "New Review Link", AllowApprovals: true,
		EnableDownloading: true, EnableComments: true, OwnerID: v.UserID, OwnerName: v.Name, InsertedAt: now, UpdatedAt: now}
	if err := s.applyReview(&r, in, hash, now); err != nil {
		return ReviewView{}, err
	}
	var out ReviewView
	err = s.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutLinkKey(r.Key, ReviewKind, r.ID); err != nil {
			return err
		}
		if err := tx.Put(store.PrefixReviewLink+r.ID, r); err != nil {
			return err
		}
		out = s.reviewView(tx, r)
		return nil
	})
	return out, err
}

// reviewViewFor is r as v sees it: without its key for members who do
// not manage it.
func (s *Service) reviewViewFor(tx *store.Tx, v assets.Viewer, r ReviewLink) ReviewView {
	out := s.reviewView(tx, r)
	if !s.Policy().MayManageLink(v, r.OwnerID, r.ProjectID) {
		out.Key, out.ShortURL = "", ""
	}
	return out
}

func (s *Service) visibleReview(tx *store.Tx, v assets.Viewer, id string) (ReviewLink, error) {
	r, err := getReview(tx, id)
	if err != nil {
		return r, err
	}
	if _, err := s.Assets.GetProject(v, r.ProjectID); err != nil {
		return r, errs.NotFoundf("review link %s not found", id)
	}
	return r, nil
}

// GetReview returns review link id.
func (s *Service) GetReview(v assets.Viewer, id string) (ReviewView, error) {
	var out ReviewView
	err := s.Store.View(func(tx *store.Tx) error {
		r, err := s.visibleReview(tx, v, id)
		if err == nil {
			out = s.reviewViewFor(tx, v, r)
		}
		return err
	})
	return out, err
}

// ListReviews returns the review links of a project ("" for every project v sees), newest first.
func (s *Service) ListReviews(v assets.Viewer, projectID string) ([]ReviewView, error) {
	projects, err := s.Assets.ListProjects(v)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range projects {
		seen[p.ID] = true
	}
	if projectID != "" && !seen[projectID] {
		return nil, errs.NotFoundf("project %s not found", projectID)
	}
	out := []ReviewView{}
	err = s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixReviewLink, func(_ string, b []byte) error {
			var r ReviewLink
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			if seen[r.ProjectID] && (projectID == "" || r.ProjectID == projectID) {
				out = append(out, s.reviewViewFor(tx, v, r))
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// UpdateReview changes review link id.
func (s *Service) UpdateReview(v assets.Viewer, id string, in ReviewInput) (ReviewView, error) {
	hash, err := s.passwordOf(in)
	if err != nil {
		return ReviewView{}, err
	}
	var out ReviewView
	err = s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		now := s.now()
		if in.RemovePassword && r.PasswordHash != "" {
			set, err := loadSharing(tx)
			if err != nil {
				return err
			}
			if set.RequirePassword {
				return errs.New(errs.Invalid, "password_required", "this site requires a password on every link; set a new password instead of removing it")
			}
		}
		if hash != "" {
			// Who unlocked with the old password must give the new one.
			if err := endSessions(tx, r.ID); err != nil {
				return err
			}
		}
		if err := s.applyReview(&r, in, hash, now); err != nil {
			return err
		}
		r.UpdatedAt = now
		if err := tx.Put(store.PrefixReviewLink+r.ID, r); err != nil {
			return err
		}
		out = s.reviewView(tx, r)
		return nil
	})
	return out, err
}

// DeleteReview removes review link id and its items; comments stay on the assets.
func (s *Service) DeleteReview(v assets.Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		var keys []string
		tx.ScanKeys(store.PrefixReviewItem+r.ID+"/", func(k string) error { keys = append(keys, k); return nil })
		tx.ScanKeys(store.PrefixShareLog+r.ID+"/", func(k string) error { keys = append(keys, k); return nil })
		for _, k := range append(keys, store.PrefixLinkKey+r.Key, store.PrefixReviewLink+r.ID) {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// MaxReviewItems bounds the assets one request adds to a review link.
const MaxReviewItems = 1000

// AddReviewAssets adds assets of the link's project (files, version stacks
// or files of stacks); one already there is not added twice. A folder adds
// the files and version stacks in it and its subfolders as they are now
// (Frame.io v2 takes folders as review-link items).
func (s *Service) AddReviewAssets(v assets.Viewer, id string, assetIDs []string) (ReviewView, error) {
	if len(assetIDs) == 0 || len(assetIDs) > MaxReviewItems {
		return ReviewView{}, errs.Invalidf("asset_ids must list 1 to %d assets", MaxReviewItems)
	}
	assetIDs, err := s.folderContents(v, assetIDs)
	if err != nil {
		return ReviewView{}, err
	}
	var out ReviewView
	policy := s.Policy()
	err = s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		tx.Scan(store.PrefixReviewItem+r.ID+"/", func(_ string, b []byte) error {
			var it itemRecord
			if json.Unmarshal(b, &it) == nil {
				have[it.AssetID] = true
			}
			return nil
		})
		now := s.now()
		for _, aid := range assetIDs {
			var a assets.Asset
			if _, err := uuid.Parse(aid); err != nil || tx.Get(store.PrefixAsset+aid, &a) != nil {
				return errs.Invalidf("asset %s not found", aid)
			}
			if a.ProjectID != r.ProjectID {
				return errs.Invalidf("asset %s is in another project; a review link holds assets of its own project", aid)
			}
			if a.Type == assets.TypeFolder || a.UploadStatus != "" || a.AttachmentOf != "" {
				return errs.Invalidf("asset %s is a %s; review links hold files and version stacks", aid, strings.ReplaceAll(a.Type, "_", " "))
			}
			if have[aid] {
				continue
			}
			// Adding to a review link is sharing: the share privilege
			// where the asset is (what reviewers may then do is decided
			// at each visit from the creator's rights).
			if err := policy.MayShare(v, aid); err != nil {
				return err
			}
			have[aid] = true
			iid, _ := uuid.NewV7()
			if err := tx.Put(store.PrefixReviewItem+r.ID+"/"+iid.String(), itemRecord{ID: iid.String(), AssetID: aid, InsertedAt: now}); err != nil {
				return err
			}
		}
		r.UpdatedAt = now
		if err := tx.Put(store.PrefixReviewLink+r.ID, r); err != nil {
			return err
		}
		out = s.reviewView(tx, r)
		return nil
	})
	return out, err
}

// folderContents replaces the folders among ids with the files and
// version stacks in them (depth first, in the folders' order), keeping
// what v sees; other ids stay as they are.
func (s *Service) folderContents(v assets.Viewer, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	var walk func(id string, depth int) error
	walk = func(id string, depth int) error {
		kids, err := s.Assets.Children(v, id)
		if err != nil {
			return err
		}
		for _, k := range kids {
			switch {
			case k.UploadStatus != "" || k.AttachmentOf != "":
			case k.Type == assets.TypeFolder && depth < maxFolderDepth:
				if _, err := s.Assets.GetAsset(v, k.ID); err != nil {
					continue // a folder hidden from v stays out
				}
				if err := walk(k.ID, depth+1); err != nil {
					return err
				}
			case k.Type != assets.TypeFolder:
				if out = append(out, k.ID); len(out) > MaxReviewItems {
					return errs.Invalidf("the folders hold more than %d files; add fewer at a time", MaxReviewItems)
				}
			}
		}
		return nil
	}
	for _, id := range ids {
		var a assets.Asset
		if _, err := uuid.Parse(id); err == nil {
			a, _ = s.Assets.GetAsset(v, id)
		}
		if a.Type != assets.TypeFolder || a.UploadStatus != "" {
			out = append(out, id)
			continue
		}
		before := len(out)
		if err := walk(id, 0); err != nil {
			return nil, err
		}
		if len(out) == before {
			return nil, errs.Invalidf("folder %q holds no files to review", a.Name)
		}
	}
	return out, nil
}

// maxFolderDepth bounds how deep folderContents walks.
const maxFolderDepth = 32

// RemoveReviewItem takes an item out of a review link.
func (s *Service) RemoveReviewItem(v assets.Viewer, id, itemID string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		r, err := s.managedReview(tx, v, id)
		if err != nil {
			return err
		}
		key := store.PrefixReviewItem + r.ID + "/" + itemID
		if ok, _ := tx.Has(key); !ok {
			return errs.NotFoundf("item %s not found in this review link", itemID)
		}
		return tx.Delete(key)
	})
}

func (s *Service) itemRecords(r ReviewLink) []itemRecord {
	var out []itemRecord
	s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixReviewItem+r.ID+"/", func(_ string, b []byte) error {
			var it itemRecord
			if json.Unmarshal(b, &it) == nil {
				out = append(out, it)
			}
			return nil
		})
	})
	return out
}

// ReviewItems lists the items of review link id with their assets.
func (s *Service) ReviewItems(v assets.Viewer, id string) ([]ReviewItem, error) {
	var r ReviewLink
	if err := s.Store.View(func(tx *store.Tx) (err error) { r, err = s.visibleReview(tx, v, id); return err }); err != nil {
		return nil, err
	}
	out := []ReviewItem{}
	for _, it := range s.itemRecords(r) {
		a, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, it.AssetID)
		if err != nil {
			continue // deleted since
		}
		out = append(out, ReviewItem{ID: it.ID, Type: "review_link_item", ReviewLinkID: r.ID, AssetID: a.ID, Asset: a, InsertedAt: it.InsertedAt})
	}
	return out, nil
}

// Shown is one item as a reviewer sees it: the version on show and the
// versions they may switch to (only the newest when current_version_only).
type Shown struct {
	Item     itemRecord
	Asset    assets.Asset
	StackID  string
	Versions []assets.Asset
}

// ReviewShown resolves what the reviewers of r see.
func (s *Service) ReviewShown(r ReviewLink) []Shown {
	admin := assets.Viewer{Admin: true}
	creator := s.Policy().Creator(r.OwnerID)
	var out []Shown
	for _, it := range s.itemRecords(r) {
		a, err := s.Assets.GetAsset(admin, it.AssetID)
		if err != nil || !creator.Visible(a) {
			continue // deleted, or no longer its creator's to share
		}
		sh := Shown{Item: it, Asset: a, Versions: []assets.Asset{a}}
		stackID := ""
		switch {
		case a.Type == assets.TypeVersionStack:
			stackID = a.ID
		case a.Type == assets.TypeFile:
			if p, err := s.Assets.GetAsset(admin, a.ParentID); err == nil && p.Type == assets.TypeVersionStack {
				stackID = p.ID
			}
		}
		if stackID != "" {
			vs, err := s.Assets.Children(admin, stackID)
			if err != nil || len(vs) == 0 {
				continue
			}
			sh.StackID, sh.Versions = stackID, vs
			if a.Type == assets.TypeVersionStack || r.CurrentVersionOnly {
				sh.Asset = vs[0]
			}
			if r.CurrentVersionOnly {
				sh.Versions = vs[:1]
			}
		}
		out = append(out, sh)
	}
	return out
}

// ReviewVisitor resolves a reviewer on a public route: the link must be
// open, the password given if there is one.
func (s *Service) ReviewVisitor(key string, vis Visitor) (ReviewLink, Session, error) {
	var r ReviewLink
	var se Session
	err := s.Store.View(func(tx *store.Tx) error {
		var err error
		if r, err = reviewByKey(tx, key); err != nil {
			return err
		}
		var ok bool
		se, ok = s.getReviewSession(tx, r, vis.Session)
		if err := r.openTo(s.now(), se, ok); err != nil {
			return err
		}
		if r.PasswordHash != "" && !(ok && se.Unlocked) {
			return errs.New(errs.Unauthorized, "password_required", "open the link and enter its password first")
		}
		return nil
	})
	return r, se, err
}

func (s *Service) getReviewSession(tx *store.Tx, r ReviewLink, secret string) (Session, bool) {
	return GetSession(tx, r.ID, secret)
}

// ReviewKindOf says whether key is a review link.
// ReviewPeek is the review link with key if a reviewer without a session
// may open it now (ReviewOpen would let them in), with no side effect: for
// the prerendered page's gate (password or name).
func (s *Service) ReviewPeek(key string) (ReviewLink, bool) {
	var r ReviewLink
	err := s.Store.View(func(tx *store.Tx) (err error) {
		if r, err = reviewByKey(tx, key); err != nil {
			return err
		}
		return r.openTo(s.now(), Session{}, false)
	})
	return r, err == nil
}

func (s *Service) ReviewOpen(key string, vis Visitor) (ReviewLink, Session, string, error) {
	var r ReviewLink
	var se Session
	var secret string
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		secret = ""
		if r, err = reviewByKey(tx, key); err != nil {
			return err
		}
		now := s.now()
		var ok bool
		se, ok = s.getReviewSession(tx, r, vis.Session)
		if err := r.openTo(now, se, ok); err != nil {
			return err
		}
		if ok {
			if se.Reviewer != "" {
				var n int
				k := store.PrefixReviewView + r.ID + "/" + strings.ToLower(se.Reviewer)
				tx.Get(k, &n)
				return tx.Put(k, n+1)
			}
			return nil
		}
		if r.PasswordHash != "" {
			return nil
		}
		secret, se, err = s.newReviewSession(tx, &r, now, false)
		return err
	})
	if err == nil && secret != "" {
		s.logEntry(r.ID, vis, Entry{Action: "view"})
	}
	return r, se, secret, err
}

func (s *Service) newReviewSession(tx *store.Tx, r *ReviewLink, now time.Time, unlocked bool) (string, Session, error) {
	r.ViewCount++
	if err := tx.Put(store.PrefixReviewLink+r.ID, *r); err != nil {
		return "", Session{}, err
	}
	secret := secure.Token()
	se := Session{LinkID: r.ID, Share: true, Unlocked: unlocked, CreatedAt: now}
	return secret, se, tx.PutLinkSession(secret, se, r.ExpiresAt, now)
}

// ReviewUnlock checks a review link's password, like Unlock for share links.
func (s *Service) ReviewUnlock(key, password string, vis Visitor) (ReviewLink, Session, string, error) {
	var r ReviewLink
	if err := s.Store.View(func(tx *store.Tx) (err error) { r, err = reviewByKey(tx, key); return err }); err != nil {
		return r, Session{}, "", err
	}
	if err := r.open(s.now()); err != nil {
		return r, Session{}, "", err
	}
	if r.PasswordHash == "" {
		return s.ReviewOpen(key, vis)
	}
	ok, err := s.checkPassword(r.ID, r.PasswordHash, password, vis.Addr)
	if err != nil {
		return r, Session{}, "", err
	}
	var verdict error
	var secret string
	var se Session
	err = s.Store.Update(func(tx *store.Tx) error {
		verdict = nil
		var err error
		if r, err = reviewByKey(tx, key); err != nil {
			return err
		}
		now := s.now()
		if err := r.open(now); err != nil {
			return err
		}
		if !ok {
			r.Failures, r.Locked, verdict = failedPassword(r.Failures, now, r.OwnerName)
			return tx.Put(store.PrefixReviewLink+r.ID, r)
		}
		secret, se, err = s.newReviewSession(tx, &r, now, true)
		return err
	})
	if err != nil {
		return r, se, "", err
	}
	if verdict != nil {
		s.logEntry(r.ID, vis, Entry{Action: "failed_password"})
		return r, se, "", verdict
	}
	s.logEntry(r.ID, vis, Entry{Action: "view"})
	return r, se, secret, nil
}

// SetReviewer remembers the name a reviewer gave in their session.
func (s *Service) SetReviewer(key, name string, vis Visitor) (ReviewLink, Session, string, error) {
	name, err := assets.CleanText("name", name, 100, true)
	if err != nil {
		return ReviewLink{}, Session{}, "", err
	}
	if name == "" {
		return ReviewLink{}, Session{}, "", errs.Invalidf("enter your name: it is shown with your comments and approvals")
	}
	r, se, secret, err := s.ReviewOpen(key, vis)
	if err != nil {
		return r, se, "", err
	}
	if r.PasswordHash != "" && !se.Unlocked {
		return r, se, "", errs.New(errs.Unauthorized, "password_required", "enter the link's password first")
	}
	cookie := vis.Session
	if secret != "" {
		cookie = secret
	}
	se.Reviewer = name
	err = s.Store.Update(func(tx *store.Tx) error {
		return tx.PutLinkSession(cookie, se, r.ExpiresAt, s.now())
	})
	return r, se, secret, err
}

// ReviewerViews counts the page loads of each named reviewer of link id.
func (s *Service) ReviewerViews(id string) map[string]int {
	out := map[string]int{}
	s.Store.View(func(tx *store.Tx) error {
		prefix := store.PrefixReviewView + id + "/"
		return tx.Scan(prefix, func(k string, b []byte) error {
			var n int
			json.Unmarshal(b, &n)
			out[strings.TrimPrefix(k, prefix)] = n
			return nil
		})
	})
	return out
}

// ReviewFile finds asset id among what reviewers of r may open: the shown
// versions (all versions unless current_version_only).
func (s *Service) ReviewFile(r ReviewLink, id string) (assets.Asset, error) {
	for _, sh := range s.ReviewShown(r) {
		for _, v := range sh.Versions {
			if v.ID == id {
				return v, nil
			}
		}
	}
	return assets.Asset{}, errs.NotFoundf("no such file in this review link")
}
