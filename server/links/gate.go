package links

import (
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
)

// Gate is the door in front of a link's secret (a share or review link's
// password, an upload link's passcode), the same for every kind: a try is
// booked in the throttle per link and client address before the secret is
// checked, so parallel wrong tries from one address get no more checks
// than the throttle allows, and its outcome is recorded at once; wrong
// secrets count toward the Lock, which keeps new visitors out until the
// link's owner acts.
type Gate struct {
	Throttle *auth.Throttle // nil: no throttle
	Name     string         // the throttle's key space, e.g. "link-password"
	What     string         // what is tried, plural: "passwords", "passcodes"
	Lock     Lock
}

// Try checks a secret of link linkID given from addr: check tells whether
// it is right; an error from check is a check that failed, and the try is
// given back. A try the throttle refuses says how long to wait.
func (g Gate) Try(linkID, addr string, check func() (bool, error)) (bool, error) {
	key := g.Name + "|" + linkID + "|" + addr
	attempt, err := ReserveTry(g.Throttle, key, g.What)
	if err != nil {
		return false, err
	}
	right, err := check()
	SettleTry(attempt, key, err, right)
	return right, err
}

// Lock is when wrong secrets lock a link: After of them, counted within
// the last Window (0: all of them since the owner last reset the count).
type Lock struct {
	After  int
	Window time.Duration
}

// Fail records a wrong secret at now after failures (the times of the
// earlier ones): it returns those that still count, now among them, and
// whether the link locks.
func (k Lock) Fail(failures []time.Time, now time.Time) ([]time.Time, bool) {
	var recent []time.Time
	for _, t := range failures {
		if k.Window == 0 || now.Sub(t) < k.Window {
			recent = append(recent, t)
		}
	}
	recent = append(recent, now)
	return recent, k.Locks(len(recent))
}

// Locks says whether n wrong secrets that count lock the link.
func (k Lock) Locks(n int) bool { return n >= k.After }

// Left is how many more wrong secrets the link takes after n before it locks.
func (k Lock) Left(n int) int { return max(k.After-n, 0) }

// ReserveTry books a try of a secret (what: "passwords", "passcodes")
// under key; th nil is no throttle. A refusal says how long to wait.
func ReserveTry(th *auth.Throttle, key, what string) (*auth.Attempt, error) {
	if th == nil {
		return nil, nil
	}
	attempt, wait := th.Reserve(key)
	if attempt == nil {
		e := errs.New(errs.Throttled, "too_many_attempts", "too many wrong %s; try again in %s", what, wait.Round(time.Second))
		e.RetryAfter = wait
		return nil, e
	}
	return attempt, nil
}

// SettleTry records a try booked under key: given back when the check
// itself failed (err), else right or wrong.
func SettleTry(attempt *auth.Attempt, key string, err error, right bool) {
	switch {
	case attempt == nil:
	case err != nil:
		attempt.Release()
	case right:
		attempt.Succeed(key)
	default:
		attempt.Fail()
	}
}
