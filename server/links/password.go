package links

import (
	"errors"
	"time"
	"unicode/utf8"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
)

// The password of share and review links: the Gate's throttle per link and
// client address, decided before the argon2id check (which waits for one
// of a few hashing slots), and a lock after LockAfter wrong passwords
// within LockWindow until the owner unlocks. The lock keeps new visitors
// out; visitors who unlocked before it keep their sessions (each kind's
// openTo).

// LockAfter wrong passwords within LockWindow lock a link until its owner unlocks it.
const (
	LockAfter  = 20
	LockWindow = time.Hour
)

// PasswordLock is the lock of share and review links.
var PasswordLock = Lock{After: LockAfter, Window: LockWindow}

func (c *Core) passwordGate() Gate {
	return Gate{Throttle: c.Throttle, Name: "link-password", What: "passwords", Lock: PasswordLock}
}

// CheckPassword tells whether password opens link linkID with hash, for a
// visitor at addr, through the gate: an attempt is booked against the
// address before the hash is computed, so parallel wrong passwords from
// one address get at most the throttle's Max checks.
func (c *Core) CheckPassword(linkID, hash, password, addr string) (bool, error) {
	if password == "" {
		return false, errs.Invalidf("enter the link's password")
	}
	ok, err := c.passwordGate().Try(linkID, addr, func() (bool, error) {
		return secure.CheckPasswordLimited(hash, password)
	})
	if errors.Is(err, secure.ErrBusy) {
		return false, &errs.Error{Kind: errs.Throttled, Code: "busy", Detail: err.Error(), RetryAfter: 2 * time.Second}
	}
	return ok, err
}

// FailedPassword records a wrong password at now in failures (the last
// LockWindow of them) and returns the new list, whether the link is now
// locked, and the error the visitor gets.
func FailedPassword(failures []time.Time, now time.Time, owner string) ([]time.Time, bool, error) {
	recent, locked := PasswordLock.Fail(failures, now)
	if locked {
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

// HashPassword checks a new link password and hashes it, one at a time.
func (c *Core) HashPassword(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < MinPassword {
		return "", errs.New(errs.Invalid, "password_too_short",
			"the password has %d characters; share and review link passwords need at least %d characters (Frame.io accepts shorter ones; Ferry does not)", n, MinPassword)
	}
	if len(pw) > 256 {
		return "", errs.Invalidf("the password is longer than 256 bytes")
	}
	c.hashMu.Lock()
	defer c.hashMu.Unlock()
	return secure.HashPassword(pw), nil
}
