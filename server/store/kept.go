package store

import (
	"hash/maphash"
	"strings"
	"sync"
	"time"
)

// Kept keeps answers computed from the database (an encoded folder page, a
// share link's JSON, a rendered page, an access decided) under a name. It is
// the one rule for every kept answer: an answer is used while Changes stays
// at the count read before it was computed, and until its own deadline (a
// link's expiry, a signed URL's life). Max and MaxBytes bound it.
//
// Concurrent misses of one name compute once: the others wait and take
// that answer, which was computed after they arrived.
type Kept[T any] struct {
	// Max bounds the number of answers (0: 4096).
	Max int
	// MaxBytes bounds the sum of Size over the answers (0: no bound).
	MaxBytes int
	// Size is an answer's size in bytes, for MaxBytes (nil: 0).
	Size func(T) int

	mu    sync.RWMutex
	m     map[string]keptEntry[T]
	bytes int
	seed  maphash.Seed
	once  sync.Once
	locks [32]sync.Mutex // computes of one name, one at a time
}

type keptEntry[T any] struct {
	changes uint64
	until   time.Time // zero: none
	size    int
	v       T
}

// Compute makes an answer from the database. until is its deadline (zero:
// none); keep false answers this caller only (an answer that differs by
// visitor, a refusal).
type Compute[T any] func() (v T, until time.Time, keep bool, err error)

// Get returns the answer kept under name if the database did not change
// since it was computed (changes is Store.Changes) and its deadline is
// after now; otherwise it computes, keeps and returns a new one.
func (k *Kept[T]) Get(changes func() uint64, name string, now time.Time, compute Compute[T]) (T, error) {
	asked := changes()
	if v, ok := k.load(name, asked, asked, now); ok {
		return v, nil
	}
	k.once.Do(func() { k.seed = maphash.MakeSeed() })
	lock := &k.locks[maphash.String(k.seed, name)%uint64(len(k.locks))]
	lock.Lock()
	defer lock.Unlock()
	// An answer computed while this one waited is as new as this request.
	at := changes()
	if v, ok := k.load(name, asked, at, now); ok {
		return v, nil
	}
	v, until, keep, err := compute()
	if err != nil || !keep {
		return v, err
	}
	k.store(name, at, until, v)
	return v, nil
}

// load is the answer under name computed at a count from lo to hi, before
// its deadline.
func (k *Kept[T]) load(name string, lo, hi uint64, now time.Time) (T, bool) {
	k.mu.RLock()
	e, ok := k.m[name]
	k.mu.RUnlock()
	if !ok || e.changes < lo || e.changes > hi || !e.until.IsZero() && !now.Before(e.until) {
		var zero T
		return zero, false
	}
	return e.v, true
}

// store keeps v under name; when a bound is passed, random answers go
// (an eighth of Max, or as many as MaxBytes needs) and those of an older
// count first.
func (k *Kept[T]) store(name string, changes uint64, until time.Time, v T) {
	name = strings.Clone(name) // fiber's strings share a buffer the next request overwrites
	size := 0
	if k.Size != nil {
		size = k.Size(v)
	}
	if k.MaxBytes > 0 && size > k.MaxBytes {
		return
	}
	max := k.Max
	if max <= 0 {
		max = 4096
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = make(map[string]keptEntry[T])
	}
	if old, ok := k.m[name]; ok {
		if old.changes > changes {
			return // a newer answer came first
		}
		k.drop(name, old)
	}
	full := func() bool { return len(k.m) >= max || k.MaxBytes > 0 && k.bytes+size > k.MaxBytes }
	if full() {
		for n, e := range k.m { // stale: never used again
			if e.changes < changes {
				k.drop(n, e)
			}
		}
	}
	if len(k.m) >= max {
		for n, e := range k.m { // map order is random
			if len(k.m) <= max-max/8-1 {
				break
			}
			k.drop(n, e)
		}
	}
	for n, e := range k.m {
		if !full() {
			break
		}
		k.drop(n, e)
	}
	k.m[name] = keptEntry[T]{changes, until, size, v}
	k.bytes += size
}

func (k *Kept[T]) drop(name string, e keptEntry[T]) {
	delete(k.m, name)
	k.bytes -= e.size
}

// Len is the number of answers kept, and their bytes (Size).
func (k *Kept[T]) Len() (n, bytes int) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.m), k.bytes
}
