package upload

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/uploads"
)

// Public returns what the recipient's page shows of the link with key;
// session is the link cookie's value, if any.
func (l *Links) Public(key, session string) (Public, error) {
	var out Public
	err := l.Store.View(func(tx *store.Tx) error {
		k, err := byKey(tx, key)
		if err != nil {
			return err
		}
		if err := k.open(l.now()); err != nil {
			return err
		}
		out = l.public(tx, k, l.sessionOK(tx, k, session))
		return nil
	})
	return out, err
}

func (l *Links) public(tx *store.Tx, k Link, unlocked bool) Public {
	p := Public{Kind: links.UploadKind, Key: k.Key, SiteName: l.Templates.SiteName, Name: k.Name, SenderName: k.OwnerName, RecipientName: k.RecipientName,
		Message: k.Message, ExpiresAt: k.ExpiresAt, Unlocked: unlocked, FilesReceived: k.FilesReceived,
		BytesReceived: k.BytesReceived, Files: []Received{}}
	var pr assets.Project
	if err := tx.Get(store.PrefixProject+k.ProjectID, &pr); err == nil {
		p.ProjectName = pr.Name
	}
	if k.MaxFiles > 0 {
		p.MaxFiles = &k.MaxFiles
	}
	if k.MaxFileBytes > 0 {
		p.MaxFileBytes = &k.MaxFileBytes
	}
	if k.MaxTotalBytes > 0 {
		p.MaxTotalBytes = &k.MaxTotalBytes
	}
	if unlocked {
		prefix := store.PrefixUploadLinkFile + k.ID + "/"
		tx.Scan(prefix, func(_ string, b []byte) error {
			var r Received
			if json.Unmarshal(b, &r) == nil {
				p.Files = append(p.Files, r)
			}
			return nil
		})
		sort.SliceStable(p.Files, func(i, j int) bool { return p.Files[i].InsertedAt.Before(p.Files[j].InsertedAt) })
	}
	return p
}

var passcodePattern = regexp.MustCompile(`^[0-9]{6}$`)

// Unlock checks a passcode for the link with key from addr. A right one
// returns a session secret for the link's cookie. Wrong ones are
// throttled per link and address and count toward the lock (the core's
// links.Gate), and the link locks after LockAfter of them until its owner
// resends the mails.
func (l *Links) Unlock(key, passcode, addr string) (string, Public, error) {
	passcode = strings.TrimSpace(strings.ReplaceAll(passcode, " ", ""))
	if !passcodePattern.MatchString(passcode) {
		return "", Public{}, errs.Invalidf("the passcode is the 6 digits from the second email")
	}
	var k Link
	if err := l.Store.View(func(tx *store.Tx) (err error) {
		k, err = byKey(tx, key)
		return err
	}); err != nil {
		return "", Public{}, err
	}
	gate := l.gate()
	secret := secure.Token()
	var pub Public
	var verdict error
	_, err := gate.Try(k.ID, addr, func() (bool, error) {
		err := l.Store.Update(func(tx *store.Tx) error {
			verdict = nil
			k, err := byKey(tx, key)
			if err != nil {
				return err
			}
			now := l.now()
			if err := k.open(now); err != nil {
				return err
			}
			if k.locked() {
				return errs.New(errs.Locked, "link_locked", "this link is locked after %d wrong passcodes; ask %s to resend the emails for a new passcode", LockAfter, k.OwnerName)
			}
			if !secure.Equal(k.PasscodeMAC, l.passcodeMAC(k.ID, passcode)) {
				k.Failures++
				k.UpdatedAt = now
				if gate.Lock.Locks(k.Failures) {
					verdict = errs.New(errs.Locked, "link_locked", "wrong passcode; the link is now locked after %d wrong passcodes; ask %s to resend the emails", LockAfter, k.OwnerName)
				} else {
					verdict = errs.New(errs.Unauthorized, "wrong_passcode", "wrong passcode; %d more tries before the link locks", gate.Lock.Left(k.Failures))
				}
				return putLink(tx, k) // the failure is stored; the caller gets verdict
			}
			k.Failures = 0
			k.UpdatedAt = now
			if err := putLink(tx, k); err != nil {
				return err
			}
			if err := tx.PutLinkSession(secret, links.Session{LinkID: k.ID, CreatedAt: now}, k.ExpiresAt, now); err != nil {
				return err
			}
			pub = l.public(tx, k, true)
			return nil
		})
		return verdict == nil, err
	})
	if err != nil {
		return "", Public{}, err
	}
	if verdict != nil {
		return "", Public{}, verdict
	}
	return secret, pub, nil
}

func (l *Links) sessionOK(tx *store.Tx, k Link, session string) bool {
	_, ok := links.GetSession(tx, k.ID, session)
	return ok
}

// Policy is the upload policy of a recipient holding session for the link
// with key: uploads go into the link's folder, as the recipient, within
// the link's limits (checked again, atomically, by the ledger).
func (l *Links) Policy(key, session string) (uploads.Policy, error) {
	var k Link
	err := l.Store.View(func(tx *store.Tx) error {
		var err error
		if k, err = byKey(tx, key); err != nil {
			return err
		}
		if err := k.open(l.now()); err != nil {
			return err
		}
		if !l.sessionOK(tx, k, session) {
			return errs.New(errs.Unauthorized, "passcode_required", "enter the link's passcode first")
		}
		return nil
	})
	if err != nil {
		return uploads.Policy{}, err
	}
	// Never more than its creator may do now: upload access to the folder.
	if f, err := l.Assets.GetAsset(assets.Viewer{Admin: true}, k.FolderID); err == nil {
		c := access.New(l.Store, l.Assets).Creator(k.OwnerID)
		if err := c.Act(access.Grant{Upload: true}, f, access.Upload); err != nil {
			return uploads.Policy{}, err
		}
	}
	who := k.RecipientName
	if who == "" {
		who = k.RecipientEmail
	}
	return uploads.Policy{
		Viewer:   assets.Viewer{UserID: "link:" + k.ID, Name: who + " via upload link " + k.Name, ProjectID: k.ProjectID},
		ParentID: k.FolderID,
		LinkID:   k.ID,
		MaxSize:  k.MaxFileBytes,
		Stop:     l.Stop(k.ID),
	}, nil
}
