package review

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// ReviewVisitor resolves a reviewer on a public route: the link must be
// open, the password given if there is one.
func (s *Links) ReviewVisitor(key string, vis links.Visitor) (Link, links.Session, error) {
	var r Link
	var se links.Session
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

func (s *Links) getReviewSession(tx *store.Tx, r Link, secret string) (links.Session, bool) {
	return links.VisitorSession(tx, r.ID, secret)
}

// Peek is the review link with key if a reviewer without a session may
// open it now (Open would let them in), with no side effect: for the
// prerendered page's gate (password or name).
func (s *Links) Peek(key string) (Link, bool) {
	var r Link
	err := s.Store.View(func(tx *store.Tx) (err error) {
		if r, err = reviewByKey(tx, key); err != nil {
			return err
		}
		return r.openTo(s.now(), links.Session{}, false)
	})
	return r, err == nil
}

// Open starts or resumes a reviewer's visit of the link with key: a new
// session when the link has no password, a page view counted for a named
// reviewer.
func (s *Links) Open(key string, vis links.Visitor) (Link, links.Session, string, error) {
	var r Link
	var se links.Session
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
		s.logEntry(r.ID, vis, links.Entry{Action: "view"})
	}
	return r, se, secret, err
}

func (s *Links) newReviewSession(tx *store.Tx, r *Link, now time.Time, unlocked bool) (string, links.Session, error) {
	r.ViewCount++
	if err := putReview(tx, *r); err != nil {
		return "", links.Session{}, err
	}
	secret := secure.Token()
	se := links.Session{LinkID: r.ID, Share: true, Unlocked: unlocked, CreatedAt: now}
	return secret, se, tx.PutLinkSession(secret, se, r.ExpiresAt, now)
}

// Unlock checks a review link's password through the core's one unlock
// path (links.Unlock), as share links do theirs: a right one starts a
// new reviewer session (a view).
func (s *Links) Unlock(key, password string, vis links.Visitor) (Link, links.Session, string, error) {
	u, err := links.Unlock[Link](s.Core, passwordKind{s}, key, password, vis)
	if err != nil {
		return u.Link, links.Session{}, "", err
	}
	if u.NoPassword {
		return s.Open(key, vis)
	}
	s.logEntry(u.Link.ID, vis, links.Entry{Action: "view"})
	return u.Link, u.Session, u.Secret, nil
}

// passwordKind is what review links tell links.Unlock.
type passwordKind struct{ s *Links }

func (passwordKind) Find(tx *store.Tx, key string) (Link, error) { return reviewByKey(tx, key) }

func (passwordKind) Guard(r Link) links.Guard { return links.Guard{ID: r.ID, Hash: r.PasswordHash} }

// Open ignores newVisit: a review link has no uses to run out of.
func (passwordKind) Open(r Link, now time.Time, _ bool) error { return r.open(now) }

func (passwordKind) Failed(r *Link, now time.Time) (verdict error) {
	r.Failures, r.Locked, verdict = links.FailedPassword(r.Failures, now, r.OwnerName)
	return verdict
}

func (passwordKind) Put(tx *store.Tx, r Link) error { return putReview(tx, r) }

// Admit starts a new unlocked session whatever the reviewer held.
func (k passwordKind) Admit(tx *store.Tx, r *Link, _ links.Visitor, _ links.Session, _ bool, now time.Time) (links.Session, string, error) {
	secret, se, err := k.s.newReviewSession(tx, r, now, true)
	return se, secret, err
}

func (k passwordKind) Log(r Link, vis links.Visitor, e links.Entry) { k.s.logEntry(r.ID, vis, e) }

// SetReviewer remembers the name a reviewer gave in their session.
func (s *Links) SetReviewer(key, name string, vis links.Visitor) (Link, links.Session, string, error) {
	name, err := assets.CleanText("name", name, 100, true)
	if err != nil {
		return Link{}, links.Session{}, "", err
	}
	if name == "" {
		return Link{}, links.Session{}, "", errs.Invalidf("enter your name: it is shown with your comments and approvals")
	}
	r, se, secret, err := s.Open(key, vis)
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
func (s *Links) ReviewerViews(id string) map[string]int {
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

// File finds asset id among what reviewers of r may open: the shown
// versions (all versions unless current_version_only).
func (s *Links) File(r Link, id string) (assets.Asset, error) {
	for _, sh := range s.ReviewShown(r) {
		for _, v := range sh.Versions {
			if v.ID == id {
				return v, nil
			}
		}
	}
	return assets.Asset{}, errs.NotFoundf("no such file in this review link")
}

// openTo is open for a reviewer with session se: a locked review link
// still serves reviewers who unlocked it before it locked.
func (r Link) openTo(now time.Time, se links.Session, ok bool) error {
	if ok && se.Unlocked {
		r.Locked = false
	}
	return r.open(now)
}

// logEntry records an access to a review link (counted nowhere: its
// counters live in its record).
func (s *Links) logEntry(linkID string, vis links.Visitor, e links.Entry) {
	s.WriteLog(linkID, vis, e, nil)
}

// LogAccess records an access to review link id.
func (s *Links) LogAccess(linkID string, vis links.Visitor, e links.Entry) {
	s.logEntry(linkID, vis, e)
}
