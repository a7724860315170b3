package store

import (
	"time"

	"github.com/ferryhq/ferry/server/secure"
)

// PutLinkSession stores v as the visitor session with secret of a link
// that expires at expires (nil: never), kept 30 days and not much past
// the link's expiry.
func (tx *Tx) PutLinkSession(secret string, v any, expires *time.Time, now time.Time) error {
	return tx.PutTTL(PrefixLinkSession+secure.HashToken(secret), v, linkSessionTTL(expires, now))
}

// GetLinkSession reads the session with secret into v; false when there is
// none (or secret is ""). The caller checks that it is a session of its link.
func (tx *Tx) GetLinkSession(secret string, v any) bool {
	return secret != "" && tx.Get(PrefixLinkSession+secure.HashToken(secret), v) == nil
}

// linkSessionTTL is how long a session lasts: 30 days, but an hour past the
// link's expiry when that comes first.
func linkSessionTTL(expires *time.Time, now time.Time) time.Duration {
	ttl := 30 * 24 * time.Hour
	if expires != nil && expires.Sub(now) < ttl {
		ttl = expires.Sub(now) + time.Hour
	}
	return ttl
}
