package upload

import (
	"encoding/json"
	netmail "net/mail"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Create makes an upload link in a project v can see and queues its two
// mails (the URL with the message, and the passcode) in the same
// transaction. The answer holds the passcode; it is not stored.
func (l *Links) Create(v assets.Viewer, r NewLink) (View, error) {
	now := l.now()
	k := Link{ID: uuid.NewString(), Key: secure.LinkKey(), OwnerID: v.UserID, OwnerName: v.Name, InsertedAt: now, UpdatedAt: now}
	if strings.TrimSpace(r.ProjectID) == "" {
		return View{}, errs.Invalidf("project_id is required")
	}
	project, err := l.Assets.GetProject(v, r.ProjectID)
	if err != nil {
		return View{}, err
	}
	k.ProjectID = project.ID
	if k.RecipientEmail, err = assets.CleanText("recipient_email", r.RecipientEmail, 254, true); err != nil {
		return View{}, err
	}
	if k.RecipientEmail == "" {
		return View{}, errs.Invalidf("recipient_email is required: the link and its passcode are sent there")
	}
	if a, err := netmail.ParseAddress(k.RecipientEmail); err != nil || a.Address != k.RecipientEmail || !strings.Contains(a.Address, "@") {
		return View{}, errs.Invalidf("recipient_email %q is not an email address", k.RecipientEmail)
	}
	if k.RecipientName, err = assets.CleanText("recipient_name", r.RecipientName, 200, true); err != nil {
		return View{}, err
	}
	if k.Name, err = assets.CleanText("name", r.Name, 200, true); err != nil {
		return View{}, err
	}
	if k.Name == "" {
		who := k.RecipientName
		if who == "" {
			who = k.RecipientEmail
		}
		k.Name = "Upload from " + who
	}
	if k.Message, err = assets.CleanText("message", r.Message, 5000, false); err != nil {
		return View{}, err
	}
	switch {
	case r.ExpiresInDays != nil && r.ExpiresAt != nil:
		return View{}, errs.Invalidf("send expires_in_days or expires_at, not both")
	case r.ExpiresInDays != nil:
		d := *r.ExpiresInDays
		if d < 1 || d > 3650 {
			return View{}, errs.Invalidf("expires_in_days must be 1 to 3650 (7, 14, 30 or 90 in the app), or null for never")
		}
		at := now.Add(time.Duration(d) * 24 * time.Hour)
		k.ExpiresAt = &at
	case r.ExpiresAt != nil:
		at := r.ExpiresAt.UTC()
		if !at.After(now) {
			return View{}, errs.Invalidf("expires_at %s is in the past", at.Format(time.RFC3339))
		}
		if at.After(now.AddDate(10, 0, 0)) {
			return View{}, errs.Invalidf("expires_at is more than ten years away; choose never instead")
		}
		k.ExpiresAt = &at
	}
	if r.MaxFiles != nil {
		if *r.MaxFiles < 1 || *r.MaxFiles > 1_000_000 {
			return View{}, errs.Invalidf("max_files must be a whole number from 1 to 1000000, or null for unlimited")
		}
		k.MaxFiles = *r.MaxFiles
	}
	if k.MaxFileBytes, err = limitMB("max_file_mb", r.MaxFileMB); err != nil {
		return View{}, err
	}
	if k.MaxTotalBytes, err = limitMB("max_total_mb", r.MaxTotalMB); err != nil {
		return View{}, err
	}
	if k.MaxFileBytes > 0 && k.MaxTotalBytes > 0 && k.MaxFileBytes > k.MaxTotalBytes {
		return View{}, errs.Invalidf("max_file_mb (%d) is larger than max_total_mb (%d)", k.MaxFileBytes/MB, k.MaxTotalBytes/MB)
	}
	if r.FolderID != "" {
		f, err := l.Assets.GetAsset(v, r.FolderID)
		if err != nil || f.Type != assets.TypeFolder || f.ProjectID != project.ID || f.UploadStatus != "" {
			return View{}, errs.Invalidf("folder_id %s is not a folder of project %s", r.FolderID, project.Name)
		}
		if err := access.New(l.Store, l.Assets).Member(v, f.ID, access.Upload, "an upload link into this folder"); err != nil {
			return View{}, err
		}
		k.FolderID = f.ID
	} else {
		// The link's folder is made in the project's root.
		if err := access.New(l.Store, l.Assets).Member(v, project.RootAssetID, access.Upload, "an upload link into the project's root"); err != nil {
			return View{}, err
		}
		name, err := assets.CleanName("folder", k.Name)
		if err != nil {
			name = "Upload link " + now.Format("2006-01-02 15.04")
		}
		if k.FolderID, err = l.Assets.EnsureFolders(v, project.RootAssetID, []string{name}); err != nil {
			return View{}, err
		}
	}
	var out View
	err = l.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutLinkKey(k.Key, links.UploadKind, k.ID); err != nil {
			return err
		}
		out, err = l.newPasscode(tx, k, now)
		return err
	})
	return out, err
}

// newPasscode gives k a new passcode, queues both mails and stores k; the
// view holds the passcode, the one time it is shown.
func (l *Links) newPasscode(tx *store.Tx, k Link, now time.Time) (View, error) {
	passcode := secure.Digits(6)
	k.PasscodeMAC = l.passcodeMAC(k.ID, passcode)
	if err := l.sendMails(tx, &k, passcode); err != nil {
		return View{}, err
	}
	if err := putLink(tx, k); err != nil {
		return View{}, err
	}
	out := l.view(tx, k, now)
	out.Passcode = passcode
	return out, nil
}

// sendMails queues the invitation (URL and message, no passcode) and the
// passcode mail (no URL) for k and records their IDs on k.
func (l *Links) sendMails(tx *store.Tx, k *Link, passcode string) error {
	to := []mail.Address{{Name: k.RecipientName, Email: k.RecipientEmail}}
	invite, err := l.Templates.Message(mail.KindUploadLinkInvite, to, mail.UploadLinkInvite{
		RecipientName: k.RecipientName, SenderName: k.OwnerName, LinkName: k.Name, Path: "/u/" + k.Key,
		Message: k.Message, ExpiresAt: k.ExpiresAt})
	if err != nil {
		return err
	}
	code, err := l.Templates.Message(mail.KindUploadLinkPasscode, to, mail.UploadLinkPasscode{
		RecipientName: k.RecipientName, SenderName: k.OwnerName, LinkName: k.Name, Passcode: passcode, ExpiresAt: k.ExpiresAt})
	if err != nil {
		return err
	}
	invite.Ref, code.Ref = k.ID, k.ID
	m1, err := l.Outbox.Enqueue(tx, invite)
	if err != nil {
		return err
	}
	m2, err := l.Outbox.Enqueue(tx, code)
	if err != nil {
		return err
	}
	k.InviteMsgID, k.PasscodeMsgID = m1.ID, m2.ID
	return nil
}

// visible loads link id if v may see its project.
func (l *Links) visible(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	return links.Visible(tx, l.Assets, v, store.PrefixUploadLink, id, "upload link", func(k Link) string { return k.ProjectID })
}

// managed loads link id if v manages it: its creator, the project's owner
// or an admin (see access.MayManageLink).
func (l *Links) managed(tx *store.Tx, v assets.Viewer, id string) (Link, error) {
	k, err := l.visible(tx, v, id)
	if err != nil {
		return k, err
	}
	return k, access.New(l.Store, l.Assets).ManageLink(v, k.OwnerID, k.OwnerName, k.ProjectID)
}

// redact takes out what only a link's managers see: its key (the way in)
// and the recipient's address.
func redact(v View) View {
	v.Key, v.URL, v.RecipientEmail = "", "", ""
	return v
}

// viewFor is k as v sees it: whole for its managers, redacted for other
// members of the project.
func (l *Links) viewFor(tx *store.Tx, v assets.Viewer, k Link) View {
	out := l.view(tx, k, l.now())
	if !access.New(l.Store, l.Assets).MayManageLink(v, k.OwnerID, k.ProjectID) {
		out = redact(out)
	}
	return out
}

// Get returns link id as v sees it (see viewFor).
func (l *Links) Get(v assets.Viewer, id string) (View, error) {
	var out View
	err := l.Store.View(func(tx *store.Tx) error {
		k, err := l.visible(tx, v, id)
		if err != nil {
			return err
		}
		out = l.viewFor(tx, v, k)
		return nil
	})
	return out, err
}

func (f Filter) check() error {
	switch f.Status {
	case "", "all", StatusPending, StatusActive, StatusExpired, StatusRevoked:
		return nil
	}
	return errs.Invalidf("status must be all, active, pending, expired or revoked")
}

// List returns the links of the projects v can see that match f, newest first.
func (l *Links) List(v assets.Viewer, f Filter) ([]View, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if f.ProjectID != "" {
		if _, err := l.Assets.GetProject(v, f.ProjectID); err != nil {
			return nil, err
		}
	}
	seen, err := links.SeenProjects(l.Assets, v)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	now := l.now()
	policy := access.New(l.Store, l.Assets)
	out := []View{}
	err = l.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixUploadLink, func(_ string, b []byte) error {
			var k Link
			if err := json.Unmarshal(b, &k); err != nil {
				return err
			}
			if !seen[k.ProjectID] || f.ProjectID != "" && k.ProjectID != f.ProjectID {
				return nil
			}
			if q != "" && !strings.Contains(strings.ToLower(k.Name), q) && !strings.Contains(strings.ToLower(k.RecipientEmail), q) &&
				!strings.Contains(strings.ToLower(k.RecipientName), q) {
				return nil
			}
			vw := l.view(tx, k, now)
			if !policy.MayManageLink(v, k.OwnerID, k.ProjectID) {
				vw = redact(vw)
			}
			if f.Status != "" && f.Status != "all" && vw.Status != f.Status {
				return nil
			}
			out = append(out, vw)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// Summarize computes the stat cards of links: Expiring Soon counts active
// and pending links that expire within seven days.
func (l *Links) Summarize(links []View) Stats {
	now := l.now()
	var s Stats
	for _, v := range links {
		s.TotalLinks++
		s.FilesReceived += v.FilesReceived
		s.BytesReceived += v.BytesReceived
		if (v.Status == StatusActive || v.Status == StatusPending) && v.ExpiresAt != nil && v.ExpiresAt.Sub(now) <= 7*24*time.Hour {
			s.ExpiringSoon++
		}
	}
	return s
}

// Resend queues both mails again with a new passcode; the old passcode
// stops working and a locked link unlocks. Sessions already unlocked stay
// valid, so a recipient in the middle of an upload is not cut off.
func (l *Links) Resend(v assets.Viewer, id string) (View, error) {
	var out View
	err := l.Store.Update(func(tx *store.Tx) error {
		k, err := l.managed(tx, v, id)
		if err != nil {
			return err
		}
		now := l.now()
		if err := k.open(now); err != nil {
			return errs.New(errs.Conflict, "link_closed", "%s links cannot be resent; create a new link", k.status(now, false))
		}
		k.Failures = 0
		k.UpdatedAt = now
		out, err = l.newPasscode(tx, k, now)
		return err
	})
	return out, err
}

// Revoke closes link id for good: running uploads through it stop, and
// unfinished ones are removed; files that arrived stay in the project.
func (l *Links) Revoke(v assets.Viewer, id string) error {
	err := l.Store.Update(func(tx *store.Tx) error {
		k, err := l.managed(tx, v, id)
		if err != nil {
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		now := l.now()
		k.RevokedAt, k.UpdatedAt = &now, now
		return putLink(tx, k)
	})
	if err != nil {
		return err
	}
	l.stop(id)
	pending, err := l.Assets.PendingOfLink(id)
	if err != nil {
		return err
	}
	for _, up := range pending {
		l.Uploads.Discard(up.ID)
	}
	return nil
}
