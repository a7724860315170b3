package store

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Records caches values decoded from the database, each under its key and
// the Badger version (commit timestamp) of the bytes it was decoded from.
// A read finds the key's version in its own snapshot and reuses the decoded
// value only when the versions match, so a cached value is never stale and
// nothing needs invalidating: a write commits a new version.
//
// Only read-only transactions use it: in a read-write transaction a pending
// write carries no commit timestamp yet.
type Records[T any] struct {
	// Clone copies a value so the caller may change it without changing the
	// cached one (slices, pointers); nil copies the value as it is.
	Clone func(T) T
	// Max bounds the number of entries (0: 4096); when full, an eighth of
	// them are dropped.
	Max int

	mu sync.RWMutex
	m  map[string]cached[T]
}

type cached[T any] struct {
	version uint64
	v       T
}

// Load returns the value cached for key at version.
func (c *Records[T]) Load(key string, version uint64) (T, bool) {
	c.mu.RLock()
	r, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || r.version != version {
		var zero T
		return zero, false
	}
	if c.Clone != nil {
		return c.Clone(r.v), true
	}
	return r.v, true
}

// Store caches v, decoded from key at version. The key is copied: a
// caller's key may share its bytes with a request buffer that the next
// request overwrites (fiber's zero-copy strings), which turned one
// folder's cached order into another's.
func (c *Records[T]) Store(key string, version uint64, v T) {
	key = strings.Clone(key)
	if c.Clone != nil {
		v = c.Clone(v)
	}
	max := c.Max
	if max <= 0 {
		max = 4096
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]cached[T])
	}
	if len(c.m) >= max {
		drop := max / 8
		for k := range c.m { // map order is random: a random eighth goes
			if drop <= 0 {
				break
			}
			delete(c.m, k)
			drop--
		}
	}
	c.m[key] = cached[T]{version, v}
}

// Len is the number of cached entries.
func (c *Records[T]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// Version is the commit timestamp of the value at key in this transaction's
// snapshot (0 when the key is absent), and false in a read-write
// transaction, whose own writes have none yet.
func (tx *Tx) Version(key string) (uint64, bool, error) {
	if tx.writable {
		return 0, false, nil
	}
	item, err := tx.txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, err
	}
	return item.Version(), true, nil
}

// CacheDecoded makes Get in read-only transactions reuse the values it
// decoded under prefix (at most max of them), for values of sample's type;
// clone copies one so callers may change it (nil: DeepCopy). Call it
// before serving.
func (s *Store) CacheDecoded(prefix string, sample any, max int, clone func(any) any) {
	if clone == nil {
		clone = DeepCopy
	}
	s.decoded = append(s.decoded, &decodedCache{prefix: prefix, typ: reflect.TypeOf(sample),
		Records: Records[any]{Clone: clone, Max: max}})
}

type decodedCache struct {
	prefix string
	typ    reflect.Type
	Records[any]
}

// cacheFor is the cache of key's prefix for a value decoded into v, or nil.
func (tx *Tx) cacheFor(key string, v any) *decodedCache {
	if tx.writable || tx.s == nil {
		return nil
	}
	for _, c := range tx.s.decoded {
		if strings.HasPrefix(key, c.prefix) {
			if reflect.TypeOf(v) != reflect.PointerTo(c.typ) {
				return nil // a partial decode: not the cached shape
			}
			return c
		}
	}
	return nil
}

// Touch marks key as changed in this transaction without reading it: a
// version marker readers compare (Version) to reuse what they derived from
// other keys, such as a folder's order. A blind write adds no conflict:
// Badger checks a transaction's reads, not its writes.
func (tx *Tx) Touch(key string) error {
	tx.wrote(key)
	return tx.txn.Set([]byte(key), nil)
}

// DeepCopy returns a copy of v that shares no pointer, slice or map with
// it (unexported fields, such as time.Time's location, are copied as
// they are): the clone of cached records without a faster one.
func DeepCopy(v any) any { return deepCopy(reflect.ValueOf(v)).Interface() }

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if k := v.Type().Elem().Kind(); k <= reflect.Complex128 || k == reflect.String {
			reflect.Copy(c, v)
			return c
		}
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if c.Field(i).CanSet() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	}
	return v
}
