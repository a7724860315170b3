package store

import (
	"strings"
	"time"
)

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

// Derived keeps values computed from the database (a rendered page, an
// access decided) under a name, each while Changes stays at the count read
// before it was computed and until its own deadline (a link's expiry).
// Max bounds the number of values as in Records.
type Derived[T any] struct {
	Records[derived[T]]
}

type derived[T any] struct {
	until time.Time // zero: none
	v     T
}

// Load returns the value kept under name if it was computed at changes and
// its deadline is after now.
func (d *Derived[T]) Load(name string, changes uint64, now time.Time) (T, bool) {
	e, ok := d.Records.Load(name, changes)
	if !ok || !e.until.IsZero() && !now.Before(e.until) {
		var zero T
		return zero, false
	}
	return e.v, true
}

// Store keeps v under name, computed from what the database held at
// changes (read before computing), until until (zero: no deadline).
func (d *Derived[T]) Store(name string, changes uint64, until time.Time, v T) {
	d.Records.Store(name, changes, derived[T]{until, v})
}
