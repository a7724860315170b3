package auth

import (
	"maps"

	"github.com/ferryhq/ferry/server/store"
)

// CacheRecords makes read-only transactions on st reuse the decoded users
// and sign-in sessions that every signed-in request reads (keyed by Badger
// version, so never stale): a folder listing spent a third of its handler
// decoding them.
func CacheRecords(st *store.Store) {
	st.CacheDecoded(store.PrefixUser, userRecord{}, 1024, func(v any) any {
		r := v.(userRecord)
		if r.LastLoginAt != nil {
			t := *r.LastLoginAt
			r.LastLoginAt = &t
		}
		r.LoginAddrs = maps.Clone(r.LoginAddrs)
		return r
	})
	st.CacheDecoded(store.PrefixSession, Session{}, 4096, func(v any) any { return v })
}
