package links

import (
	"errors"
	"time"
	"unicode/utf8"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
)

// The password machinery of share and review links: one throttle per link
// and client address, decided before the argon2id check (which waits for
// one of a few hashing slots), and a lock after LockAfter wrong passwords
// within LockWindow until the owner unlocks. The lock keeps new visitors
// out; visitors who unlocked before it keep their sessions (openTo).

// checkPassword tells whether password opens a link with hash, for a
// visitor at addr. An attempt is booked against the address before the
// hash is computed, so parallel wrong passwords from one address get at
// most the throttle's Max checks; the outcome is recorded at once.
func (s *Service) checkPassword(linkID, hash, password, addr string) (bool, error) {
	if password == "" {
		return false, errs.Invalidf("enter the link's password")
	}
	key := throttleKey(linkID, addr)
	attempt, err := ReserveTry(s.Throttle, key, "passwords")
	if err != nil {
		return false, err
	}
	ok, err := secure.CheckPasswordLimited(hash, password)
	SettleTry(attempt, key, err, ok)
	if errors.Is(err, secure.ErrBusy) {
		return false, &errs.Error{Kind: errs.Throttled, Code: "busy", Detail: err.Error(), RetryAfter: 2 * time.Second}
	}
	return ok, err
}

func throttleKey(linkID, addr string) string { return "link-password|" + linkID + "|" + addr }

// openTo is open for a visitor with session se (ok: they have one): a
// locked link still serves a visitor who unlocked it before it locked.
func (l Link) openTo(now time.Time, se Session, ok bool) error {
	if ok && se.Unlocked {
		l.Locked = false
	}
	return l.open(now, !ok)
}

// openTo is open for a reviewer with session se: a locked review link
// still serves reviewers who unlocked it before it locked.
func (r ReviewLink) openTo(now time.Time, se Session, ok bool) error {
	if ok && se.Unlocked {
		r.Locked = false
	}
	return r.open(now)
}

// failedPassword records a wrong password at now in failures (the last
// LockWindow of them) and returns the new list, whether the link is now
// locked, and the error the visitor gets.
func failedPassword(failures []time.Time, now time.Time, owner string) ([]time.Time, bool, error) {
	var recent []time.Time
	for _, t := range failures {
		if now.Sub(t) < LockWindow {
			recent = append(recent, t)
		}
	}
	recent = append(recent, now)
	if len(recent) >= LockAfter {
		return recent, true, errs.New(errs.Locked, "link_locked",
			"wrong password; the link is now locked after %d wrong passwords within an hour, until %s unlocks it", LockAfter, owner)
	}
	return recent, false, errs.New(errs.Unauthorized, "wrong_password", "wrong password")
}

// MinPassword is the shortest password a share or review link takes. It
// stays above Frame.io v2's (whose own example is "abc123"): a link's
// password is what stands between the open internet and the files once a
// key is forwarded, and a self-hosted appliance has no fraud team behind
// its throttle.
const MinPassword = 8

func (s *Service) hash(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < MinPassword {
		return "", errs.New(errs.Invalid, "password_too_short",
			"the password has %d characters; share and review link passwords need at least %d characters (Frame.io accepts shorter ones; Ferry does not)", n, MinPassword)
	}
	if len(pw) > 256 {
		return "", errs.Invalidf("the password is longer than 256 bytes")
	}
	s.hashMu.Lock()
	defer s.hashMu.Unlock()
	return secure.HashPassword(pw), nil
}
