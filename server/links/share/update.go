package share

import (
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/store"
)

// Update changes link id.
func (s *Service) Update(v assets.Viewer, id string, p Patch) (View, error) {
	var hash string
	if p.Password != nil && *p.Password != "" {
		if p.RemovePassword {
			return View{}, errs.Invalidf("send a new password or remove_password, not both")
		}
		h, err := s.HashPassword(*p.Password)
		if err != nil {
			return View{}, err
		}
		hash = h
	}
	var out View
	err := s.Store.Update(func(tx *store.Tx) error {
		l, err := s.managed(tx, v, id)
		if err != nil {
			return err
		}
		mode := l.Mode()
		now := s.now()
		if p.Name != nil {
			if l.Name, err = assets.CleanText("name", *p.Name, 200, true); err != nil {
				return err
			}
			if l.Name == "" {
				return errs.Invalidf("name must not be empty")
			}
		}
		if p.Description != nil {
			if l.Description, err = assets.CleanText("description", *p.Description, 5000, false); err != nil {
				return err
			}
		}
		if l.Kind == KindDownload && (p.AllowOriginal != nil || p.AllowProxies != nil || p.AllowAttachments != nil ||
			hash != "" || p.MaxUses.Set || p.Watermark != nil) {
			return errs.Invalidf("a direct download link takes a name and an expiry only")
		}
		if p.AllowOriginal != nil {
			l.AllowOriginal = *p.AllowOriginal
		}
		if p.AllowProxies != nil {
			if l.AllowProxies, err = checkProxies(*p.AllowProxies); err != nil {
				return err
			}
		}
		if p.AllowAttachments != nil {
			l.AllowAttachments = *p.AllowAttachments
		}
		if p.ExpiresAt.Set {
			if at := p.ExpiresAt.Value; at != nil {
				t := at.UTC()
				if !t.After(now) {
					return errs.Invalidf("expires_at %s is in the past", t.Format(time.RFC3339))
				}
				l.ExpiresAt = &t
			} else {
				l.ExpiresAt = nil
			}
		}
		if p.MaxUses.Set {
			if m := p.MaxUses.Value; m != nil {
				if *m < 1 {
					return errs.Invalidf("max_uses must be a whole number from 1 up, or null for unlimited")
				}
				l.MaxUses = *m
			} else {
				l.MaxUses = 0
			}
		}
		if err := s.setFaceSearch(&l, p.AllowFaceSearch); err != nil {
			return err
		}
		if p.ShowPersonNames != nil {
			l.ShowPersonNames = *p.ShowPersonNames
		}
		if p.Watermark != nil {
			l.Watermark = *p.Watermark
		}
		if p.RemovePassword && l.PasswordHash != "" {
			set, err := links.LoadSharing(tx)
			if err != nil {
				return err
			}
			if set.RequirePassword {
				return errs.New(errs.Invalid, "password_required", "this site requires a password on every share link; set a new password instead of removing it")
			}
			l.PasswordHash = ""
		}
		if hash != "" {
			// Who unlocked with the old password must give the new one.
			if err := links.EndSessions(tx, l.ID); err != nil {
				return err
			}
			l.PasswordHash = hash
		}
		if err := applyOptions(&l, options{AllowedActions: p.AllowedActions, InboxFolderID: p.InboxFolderID, MaxUploadMB: p.MaxUploadMB,
			Note: p.Note, RequireRegistration: p.RequireRegistration, FormID: p.FormID, ClickwrapID: p.ClickwrapID, AccessControl: p.AccessControl}); err != nil {
			return err
		}
		if p.AllowedActions != nil && p.AllowOriginal == nil && p.AllowProxies == nil && p.AllowAttachments == nil && !l.offersDownloads() {
			l.downloadDefaults(*p.AllowedActions)
		}
		// Checking a download box widens a view-only link: v must be
		// allowed the new mode as much as when naming it.
		if p.AllowedActions != nil || p.InboxFolderID != nil || l.Mode() != mode {
			if err := s.checkActions(v, &l); err != nil {
				return err
			}
		}
		if err := s.checkGate(tx, l); err != nil {
			return err
		}
		if p.Key != nil && *p.Key != l.Key {
			set, err := links.LoadSharing(tx)
			if err != nil {
				return err
			}
			if err := links.ClaimKey(tx, set, *p.Key, links.ShareKind, l.ID); err != nil {
				return err
			}
			if err := tx.Delete(store.PrefixLinkKey + l.Key); err != nil {
				return err
			}
			l.Key = *p.Key
		}
		if p.Locked != nil {
			if *p.Locked {
				return errs.Invalidf("links lock themselves after wrong passwords; send locked: false to unlock")
			}
			l.Locked, l.Failures = false, nil
		}
		l.UpdatedAt = now
		if err := putLink(tx, l); err != nil {
			return err
		}
		out = s.view(tx, l, now)
		return nil
	})
	return out, err
}

// Delete removes link id for good, with its sessions' use and its access
// log; visitors get "Share not found" afterwards.
func (s *Service) Delete(v assets.Viewer, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		l, err := s.visible(tx, v, id)
		if err != nil {
			return err
		}
		if !s.mayRevoke(v, l) {
			return errs.New(errs.Forbidden, "not_link_manager", "only %s, the project's owner or an admin may revoke this link", l.OwnerName)
		}
		return s.revoke(tx, l)
	})
}

// mayRevoke: the link's creator, the project's owner, or an admin.
func (s *Service) mayRevoke(v assets.Viewer, l Link) bool {
	return s.Policy().MayManageLink(v, l.OwnerID, l.ProjectID)
}

// revoke deletes link l with its key, access log, registrations and
// invitations.
func (s *Service) revoke(tx *store.Tx, l Link) error {
	if err := tx.Delete(store.PrefixLinkKey + l.Key); err != nil {
		return err
	}
	if err := deleteGate(tx, l.ID); err != nil {
		return err
	}
	return tx.Delete(store.PrefixShareLink + l.ID)
}

// RevokeMany revokes each of ids that v may delete ("Revoke all" of the
// Sharing page), in batches; it counts the revoked and the skipped.
func (s *Service) RevokeMany(v assets.Viewer, ids []string) (revoked, skipped int, err error) {
	if len(ids) > 10_000 {
		return 0, 0, errs.Invalidf("revoke at most 10000 links at once")
	}
	for start := 0; start < len(ids); start += 50 {
		batch := ids[start:min(start+50, len(ids))]
		var r, k int
		err = s.Store.Update(func(tx *store.Tx) error {
			r, k = 0, 0
			for _, id := range batch {
				l, err := s.visible(tx, v, id)
				if err == nil && !s.mayRevoke(v, l) {
					err = errs.NotFoundf("share link %s not found", id)
				}
				if errs.Is(err, errs.NotFound) {
					k++
					continue
				}
				if err != nil {
					return err
				}
				if err := s.revoke(tx, l); err != nil {
					return err
				}
				r++
			}
			return nil
		})
		if err != nil {
			return revoked, skipped, err
		}
		revoked, skipped = revoked+r, skipped+k
	}
	return revoked, skipped, nil
}
