package store

import "strings"

// bookkeepingPrefixes hold records no page shows: sign-in and link
// sessions, access logs and mail. Writing them is not a change (Changes).
var bookkeepingPrefixes = []string{PrefixSession, PrefixLinkSession, PrefixShareLog,
	PrefixOutbox, PrefixOutboxBody, PrefixOutboxQueue, PrefixOutboxRef}

// Changes counts the committed transactions that changed what a page may
// show: every one that wrote a key outside bookkeepingPrefixes, unless it
// called Bookkeeping. What is derived from the database (a rendered page)
// stays current while the count stays: read the count first, then the
// data, and keep the result under that count. The count moves right after
// the commit, so a result kept under the old count is never used again,
// and a reader that sees the new count reads the new data.
func (s *Store) Changes() uint64 { return s.changes.Load() }

// Bookkeeping says that this transaction writes only what no page shows
// (a link's view and download counters beside its access log), so it does
// not move Changes. A transaction that changes anything else must not call it.
func (tx *Tx) Bookkeeping() { tx.bookkeeping = true }

// wrote notes a write of key for Changes.
func (tx *Tx) wrote(key string) {
	if tx.changed {
		return
	}
	for _, p := range bookkeepingPrefixes {
		if strings.HasPrefix(key, p) {
			return
		}
	}
	tx.changed = true
}
