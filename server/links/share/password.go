package share

import (
	"time"

	"github.com/ferryhq/ferry/server/links"
)

// What share links take from the core's gate (server/links): the password
// check with its throttle, the lock, hashing and key claiming.

func (s *Service) checkPassword(linkID, hash, password, addr string) (bool, error) {
	return s.CheckPassword(linkID, hash, password, addr)
}

func (s *Service) hash(pw string) (string, error) { return s.HashPassword(pw) }

func failedPassword(failures []time.Time, now time.Time, owner string) ([]time.Time, bool, error) {
	return links.FailedPassword(failures, now, owner)
}

// openTo is open for a visitor with session se (ok: they have one): a
// locked link still serves a visitor who unlocked it before it locked.
func (l Link) openTo(now time.Time, se Session, ok bool) error {
	if ok && se.Unlocked {
		l.Locked = false
	}
	return l.open(now, !ok)
}
