package links

import (
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
)

// The password machinery of share and review links: one throttle per link
// and client address, argon2id checks one at a time, and a lock after
// LockAfter wrong passwords within LockWindow until the owner unlocks.

// checkPassword tells whether password opens a link with hash, for a
// visitor at addr; it refuses at once while that address is throttled.
func (s *Service) checkPassword(linkID, hash, password, addr string) (bool, error) {
	if password == "" {
		return false, errs.Invalidf("enter the link's password")
	}
	if s.Throttle != nil {
		if wait := s.Throttle.Wait(throttleKey(linkID, addr)); wait > 0 {
			e := errs.New(errs.Throttled, "too_many_attempts", "too many wrong passwords; try again in %s", wait.Round(time.Second))
			e.RetryAfter = wait
			return false, e
		}
	}
	s.hashMu.Lock()
	defer s.hashMu.Unlock()
	return secure.CheckPassword(hash, password)
}

func throttleKey(linkID, addr string) string { return "link-password|" + linkID + "|" + addr }

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

// passwordOutcome feeds the throttle: a failure counts against the
// address, a success clears it.
func (s *Service) passwordOutcome(linkID, addr string, failed bool) {
	if s.Throttle == nil {
		return
	}
	if failed {
		s.Throttle.Fail(throttleKey(linkID, addr))
	} else {
		s.Throttle.Reset(throttleKey(linkID, addr))
	}
}
