package links

import (
	"time"

	"github.com/ferryhq/ferry/server/store"
)

// PasswordKind is a kind of link with a password (share, review) as the
// one unlock path (Unlock) sees it: each kind says only what differs, how
// its records are found, opened, stored and let in.
type PasswordKind[L any] interface {
	// Find resolves key to a link of the kind, refusing what no visitor
	// may reach (a key of another kind, a target gone).
	Find(tx *store.Tx, key string) (L, error)
	// Guard is the link's id and password hash ("" when it has none).
	Guard(l L) Guard
	// Open refuses a link no visitor may open at now; newVisit says the
	// visitor holds no session of it.
	Open(l L, now time.Time, newVisit bool) error
	// Failed counts a wrong password at now in l (FailedPassword) and
	// returns the error the visitor gets.
	Failed(l *L, now time.Time) error
	// Put stores l.
	Put(tx *store.Tx, l L) error
	// Admit lets in visitor vis, who gave the right password: se is the
	// session they hold under vis.Session (has: they hold one). It returns
	// the session they hold now and the secret of a new one ("" when they
	// keep theirs).
	Admit(tx *store.Tx, l *L, vis Visitor, se Session, has bool, now time.Time) (Session, string, error)
	// Log records an access to l.
	Log(l L, vis Visitor, e Entry)
}

// Guard is what the unlock path reads of a link: its id and password hash.
type Guard struct {
	ID, Hash string
}

// Unlocked is the outcome of a right password (or of a link without one).
type Unlocked[L any] struct {
	Link    L
	Session Session // the session the visitor holds now
	Secret  string  // a new session's secret for the cookie ("" when none was made)
	// NoPassword: the link has no password, so nothing was checked; the
	// kind answers as it does a visit.
	NoPassword bool
}

// Unlock checks a password a visitor gave for the link of kind k with key
// and lets them in: the link must be open; the password goes through the
// gate (throttle per link and address, before the argon2id check); a
// wrong one counts toward the lock and is logged; a right one starts or
// unlocks the visitor's session (k.Admit). Share and review links unlock
// only here.
func Unlock[L any](c *Core, k PasswordKind[L], key, password string, vis Visitor) (Unlocked[L], error) {
	var u Unlocked[L]
	if err := c.Store.View(func(tx *store.Tx) (err error) { u.Link, err = k.Find(tx, key); return err }); err != nil {
		return u, err
	}
	if err := k.Open(u.Link, c.Time(), false); err != nil {
		return u, err
	}
	g := k.Guard(u.Link)
	if g.Hash == "" {
		u.NoPassword = true
		return u, nil
	}
	right, err := c.CheckPassword(g.ID, g.Hash, password, vis.Addr)
	if err != nil {
		return u, err
	}
	var verdict error
	err = c.Store.Update(func(tx *store.Tx) error {
		verdict, u.Session, u.Secret = nil, Session{}, ""
		l, err := k.Find(tx, key)
		if err != nil {
			return err
		}
		now := c.Time()
		se, has := VisitorSession(tx, k.Guard(l).ID, vis.Session)
		if err := k.Open(l, now, !has); err != nil {
			return err
		}
		if !right {
			verdict = k.Failed(&l, now)
			u.Link = l
			return k.Put(tx, l)
		}
		u.Session, u.Secret, err = k.Admit(tx, &l, vis, se, has, now)
		u.Link = l
		return err
	})
	if err != nil {
		return u, err
	}
	if verdict != nil {
		k.Log(u.Link, vis, Entry{Action: "failed_password"})
		return u, verdict
	}
	return u, nil
}

// VisitorSession is GetSession for a visitor of a share or review link
// (not an upload link's recipient).
func VisitorSession(tx *store.Tx, linkID, secret string) (Session, bool) {
	se, ok := GetSession(tx, linkID, secret)
	if !ok || !se.Share {
		return Session{}, false
	}
	return se, true
}
