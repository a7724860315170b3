package links

import (
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
)

// The throttle in front of every link's secret (a share or review link's
// password, an upload link's passcode): a try is booked per link and client
// address before the secret is checked, so parallel wrong tries from one
// address get no more checks than the throttle allows, and its outcome is
// recorded at once.

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
