package share

import (
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Public is model.PublicShare, the JSON document.
type Public = model.PublicShare

// PublicFolder is model.PublicFolder, the JSON document.
type PublicFolder = model.PublicFolder

// PublicForm is model.PublicRegistration, the JSON document.
type PublicForm = model.PublicRegistration

// PublicTerms is model.PublicClickwrap, the JSON document.
type PublicTerms = model.PublicClickwrap

// PublicAsset is model.PublicAsset, the JSON document.
type PublicAsset = model.PublicAsset

// Download is model.PublicDownload, the JSON document.
type Download = model.PublicDownload

// Item is a file a link reaches, with its folder path inside a folder link.
type Item struct {
	Asset       assets.Asset
	Path        string
	Attachments []assets.Asset
	// Download: the link's creator may download it now (else visitors
	// only look at it, whatever the link allows).
	Download bool
}

func (s *Service) getSession(tx *store.Tx, l Link, secret string) (Session, bool) {
	return links.VisitorSession(tx, l.ID, secret)
}

// Public answers a visitor of the link with key. A visitor without a
// session starts one, which is a use of the link (refused once max_uses
// visitors came); a password link starts it only at Unlock. A visitor with
// an invitation code (vis.Invite) claims it (see claimInvite). What still
// stands between the visitor and the content is in Public.Needs; the items
// come only when nothing does. It returns the secret of a new session for
// the cookie ("" when none was made).
func (s *Service) Public(key string, vis Visitor) (Public, string, error) {
	var l Link
	var newSecret string
	var needs []string
	var used *usedInvite
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		newSecret, needs, used = "", nil, nil
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		now := s.now()
		se, ok := s.getSession(tx, l, vis.Session)
		if err := l.openTo(now, se, ok); err != nil {
			return err
		}
		if vis.Invite != "" {
			if used, err = s.claimInvite(tx, &l, &se, &ok, &newSecret, vis); err != nil || used != nil {
				return err
			}
		}
		if !ok && l.PasswordHash == "" && l.MaxUses > 0 && l.AccessControl != AccessEmailed {
			if newSecret, err = s.startVisit(tx, &l, now, false); err != nil {
				return err
			}
			se, ok = s.getSession(tx, l, newSecret)
		}
		needs = l.needs(se, ok)
		if len(needs) > 0 && needs[0] == NeedInvite {
			return needError(NeedInvite)
		}
		return nil
	})
	if used != nil {
		return Public{}, "", s.inviteUsed(l, *used, vis)
	}
	if err != nil {
		return Public{}, "", err
	}
	out, err := s.public(l, needs)
	if err == nil && len(needs) == 0 {
		s.logAccess(l, vis, Entry{Action: "view"})
	}
	if newSecret != "" && l.AccessControl == AccessEmailed {
		out.Session = newSecret
	}
	return out, newSecret, err
}

// needs lists what a visitor with session se (ok: they have one) must
// still do before seeing link l, in the order the page asks for it.
func (l Link) needs(se Session, ok bool) []string {
	out := []string{}
	if l.AccessControl == AccessEmailed && !(ok && se.InviteID != "") {
		out = append(out, NeedInvite) // first: without one, nothing else helps
	}
	if l.PasswordHash != "" && !(ok && se.Unlocked) {
		out = append(out, NeedPassword)
	}
	if l.RequireRegistration && !(ok && se.Registered) {
		out = append(out, NeedRegistration)
	}
	if l.ClickwrapID != "" && !(ok && se.Accepted) {
		out = append(out, NeedClickwrap)
	}
	return out
}

// What a visitor may still need to do.
const (
	NeedPassword     = "password"
	NeedInvite       = "invite"
	NeedRegistration = "registration"
	NeedClickwrap    = "clickwrap"
)

// needError is the answer of a file route to a visitor who still needs to do n.
func needError(n string) error {
	switch n {
	case NeedPassword:
		return errs.New(errs.Unauthorized, "password_required", "open the link and enter its password first")
	case NeedInvite:
		return errs.New(errs.Forbidden, "invitation_required", "this link opens only from the invitation emailed to you")
	case NeedRegistration:
		return errs.New(errs.Unauthorized, "registration_required", "open the link and register first")
	default:
		return errs.New(errs.Unauthorized, "clickwrap_required", "open the link and accept its terms first")
	}
}

// startVisit counts a use and stores a session for it.
func (s *Service) startVisit(tx *store.Tx, l *Link, now time.Time, unlocked bool) (string, error) {
	if l.MaxUses > 0 && l.Uses >= l.MaxUses {
		return "", errs.New(errs.Gone, "link_used_up", "This link has reached its maximum number of uses")
	}
	l.Uses++
	if err := putLink(tx, *l); err != nil {
		return "", err
	}
	secret := secure.Token()
	return secret, s.putSession(tx, *l, secret, Session{LinkID: l.ID, Share: true, Unlocked: unlocked, CreatedAt: now})
}

// putSession stores session se of link l under its secret, for at most 30
// days and not much past the link's expiry.
func (s *Service) putSession(tx *store.Tx, l Link, secret string, se Session) error {
	return tx.PutLinkSession(secret, se, l.ExpiresAt, s.now())
}

// Peek is Public without side effects for the prerendered page, as a
// visitor without a session sees it: the gallery of an open link, or the
// password gate alone (Needs is ["password"], no items) of a link whose
// only gate is its password, so the visitor can type it before the app
// runs. Nil when the page must load in the browser (max uses, another gate,
// an error).
func (s *Service) Peek(key string) *Public {
	var l Link
	if err := s.Store.View(func(tx *store.Tx) (err error) {
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		return checkTarget(tx, l)
	}); err != nil {
		return nil
	}
	needs := l.needs(Session{}, false)
	if (len(needs) > 0 && !(len(needs) == 1 && needs[0] == NeedPassword)) || l.MaxUses > 0 || l.open(s.now(), true) != nil {
		return nil
	}
	p, err := s.public(l, needs)
	if err != nil {
		return nil
	}
	return &p
}

// Unlock checks a password from a visitor and starts their session (or
// unlocks the one they have, from an invitation), through the core's one
// unlock path (links.Unlock).
func (s *Service) Unlock(key, password string, vis Visitor) (Public, string, error) {
	u, err := links.Unlock[Link](s.Core, passwordKind{s}, key, password, vis)
	if err != nil {
		return Public{}, "", err
	}
	if u.NoPassword {
		return s.Public(key, vis)
	}
	needs := u.Link.needs(u.Session, true)
	out, err := s.public(u.Link, needs)
	if err == nil && len(needs) == 0 {
		s.logAccess(u.Link, vis, Entry{Action: "view"})
	}
	return out, u.Secret, err
}

// passwordKind is what share links tell links.Unlock.
type passwordKind struct{ s *Service }

func (k passwordKind) Find(tx *store.Tx, key string) (Link, error) {
	l, err := byKey(tx, key)
	if err != nil {
		return l, err
	}
	return l, checkTarget(tx, l)
}

func (passwordKind) Guard(l Link) links.Guard { return links.Guard{ID: l.ID, Hash: l.PasswordHash} }

func (passwordKind) Open(l Link, now time.Time, newVisit bool) error { return l.open(now, newVisit) }

func (passwordKind) Failed(l *Link, now time.Time) (verdict error) {
	l.Failures, l.Locked, verdict = links.FailedPassword(l.Failures, now, l.OwnerName)
	return verdict
}

func (passwordKind) Put(tx *store.Tx, l Link) error { return putLink(tx, l) }

// Admit unlocks the session a visitor has (from an invitation) or starts
// one, a use; a link for invited people only opens from the invitation.
func (k passwordKind) Admit(tx *store.Tx, l *Link, vis Visitor, se Session, has bool, now time.Time) (Session, string, error) {
	if has {
		se.Unlocked = true
		return se, "", k.s.putSession(tx, *l, vis.Session, se)
	}
	if l.AccessControl == AccessEmailed {
		return se, "", needError(NeedInvite)
	}
	secret, err := k.s.startVisit(tx, l, now, true)
	return Session{Unlocked: true}, secret, err
}

func (k passwordKind) Log(l Link, vis Visitor, e Entry) { k.s.logAccess(l, vis, e) }

// Access resolves a visitor of key on a file route: the link must be open
// and the visitor must have done what it asks (password, invitation,
// registration, clickwrap) and, with max uses, hold a session.
func (s *Service) Access(key string, vis Visitor) (Link, error) {
	var l Link
	err := s.Store.View(func(tx *store.Tx) error {
		var err error
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		se, ok := s.getSession(tx, l, vis.Session)
		if err := l.openTo(s.now(), se, ok); err != nil {
			return err
		}
		if n := l.needs(se, ok); len(n) > 0 {
			return needError(n[0])
		}
		if l.MaxUses > 0 && !ok {
			return errs.New(errs.Unauthorized, "visit_required", "open the link page first")
		}
		return nil
	})
	return l, err
}

// DirectVisit is a request of a direct-download link: the link must be
// open; a visitor without a session starts one (a use).
func (s *Service) DirectVisit(key string, vis Visitor) (Link, assets.Asset, string, error) {
	var l Link
	var secret string
	err := s.Store.Update(func(tx *store.Tx) error {
		var err error
		secret = ""
		if l, err = byKey(tx, key); err != nil {
			return err
		}
		if l.Kind != KindDownload {
			return errNotFound()
		}
		if err := checkTarget(tx, l); err != nil {
			return err
		}
		now := s.now()
		_, ok := s.getSession(tx, l, vis.Session)
		if err := l.open(now, !ok); err != nil {
			return err
		}
		if !ok && l.MaxUses > 0 {
			secret, err = s.startVisit(tx, &l, now, false)
		}
		return err
	})
	if err != nil {
		return l, assets.Asset{}, "", err
	}
	a, err := s.Assets.GetAsset(assets.Viewer{Admin: true}, l.TargetID)
	if err != nil || a.Type != assets.TypeFile && a.Type != assets.TypeVersionStack {
		return l, a, "", errNotFound()
	}
	// A file that gained versions downloads as its newest.
	if a, err = s.latest(a); err != nil {
		return l, a, "", err
	}
	if err := s.Rendition(l, a, false, "original", true); err != nil {
		return l, a, "", err
	}
	return l, a, secret, nil
}
