package store

import (
	"fmt"
	"slices"
	"testing"
	"time"
	"unsafe"
)

type listed struct {
	N    int   `json:"n"`
	Tags []int `json:"tags"`
}

func cachedStore(t *testing.T) (*Store, *decodedCache) {
	t.Helper()
	s := open(t, t.TempDir())
	s.CacheDecoded("rec/", listed{}, 8, func(v any) any {
		l := v.(listed)
		l.Tags = slices.Clone(l.Tags)
		return l
	})
	return s, s.decoded[0]
}

func get(t *testing.T, s *Store, key string) listed {
	t.Helper()
	var l listed
	if err := s.View(func(tx *Tx) error { return tx.Get(key, &l) }); err != nil {
		t.Fatal(err)
	}
	return l
}

func put(t *testing.T, s *Store, key string, l listed) {
	t.Helper()
	if err := s.Update(func(tx *Tx) error { return tx.Put(key, l) }); err != nil {
		t.Fatal(err)
	}
}

// A cached value is reused only at the version it was decoded from: every
// write is seen at once, a caller changing its copy changes nothing cached,
// and an old snapshot neither sees nor leaves behind a newer value.
func TestCachedGetFollowsWrites(t *testing.T) {
	s, c := cachedStore(t)
	put(t, s, "rec/a", listed{N: 1, Tags: []int{1}})
	first := get(t, s, "rec/a")
	if first.N != 1 || c.Len() != 1 {
		t.Fatalf("first read %+v, %d cached", first, c.Len())
	}
	first.Tags[0] = 99
	if again := get(t, s, "rec/a"); again.Tags[0] != 1 {
		t.Fatalf("a caller's change reached the cache: %+v", again)
	}
	put(t, s, "rec/a", listed{N: 2})
	if got := get(t, s, "rec/a"); got.N != 2 {
		t.Fatalf("after a write: %+v, want N 2", got)
	}
	// A read-write transaction sees its own pending write, never the cache.
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("rec/a", listed{N: 3}); err != nil {
			return err
		}
		var l listed
		if err := tx.Get("rec/a", &l); err != nil || l.N != 3 {
			return fmt.Errorf("own write: %+v %v", l, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// An old snapshot reads its own version while a newer one commits.
	err = s.View(func(old *Tx) error {
		put(t, s, "rec/a", listed{N: 4})
		var l listed
		if err := old.Get("rec/a", &l); err != nil || l.N != 3 {
			return fmt.Errorf("old snapshot: %+v %v", l, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "rec/a"); got.N != 4 {
		t.Fatalf("after the old snapshot: %+v, want N 4", got)
	}
	// Deleted is not found, whatever was cached.
	if err := s.Update(func(tx *Tx) error { return tx.Delete("rec/a") }); err != nil {
		t.Fatal(err)
	}
	if err := s.View(func(tx *Tx) error { return tx.Get("rec/a", &listed{}) }); err != ErrNotFound {
		t.Fatalf("deleted: %v", err)
	}
}

// Other shapes decode as before (not from the cache), other prefixes are
// not cached, and the cache stays within its bound.
func TestCachedGetShapesAndBound(t *testing.T) {
	s, c := cachedStore(t)
	put(t, s, "rec/a", listed{N: 5, Tags: []int{7}})
	// Partial on purpose: a reader that knows one field of a record.
	var partial struct {
		N int `json:"n"`
	}
	if err := s.View(func(tx *Tx) error { return tx.Get("rec/a", &partial) }); err != nil || partial.N != 5 {
		t.Fatalf("partial decode: %+v %v", partial, err)
	}
	put(t, s, "other/a", listed{N: 6})
	if got := get(t, s, "other/a"); got.N != 6 || c.Len() != 0 {
		t.Fatalf("other prefix: %+v, %d cached", got, c.Len())
	}
	for i := 0; i < 20; i++ {
		key := fmt.Sprintf("rec/%02d", i)
		put(t, s, key, listed{N: i})
		if got := get(t, s, key); got.N != i {
			t.Fatalf("%s: %+v", key, got)
		}
	}
	if c.Len() > 8 {
		t.Fatalf("%d cached, bound 8", c.Len())
	}
}

// Version dates a key in a read-only snapshot: a blind Touch gives it a new
// one; a read-write transaction has none to give.
func TestVersionAndTouch(t *testing.T) {
	s := open(t, t.TempDir())
	version := func() uint64 {
		var v uint64
		s.View(func(tx *Tx) error {
			var ok bool
			var err error
			v, ok, err = tx.Version("mark/x")
			if !ok || err != nil {
				t.Fatalf("Version in a read-only transaction: %v %v", ok, err)
			}
			return nil
		})
		return v
	}
	if v := version(); v != 0 {
		t.Fatalf("absent key: version %d", v)
	}
	s.Update(func(tx *Tx) error { return tx.Touch("mark/x") })
	v1 := version()
	s.Update(func(tx *Tx) error { return tx.Touch("mark/x") })
	if v2 := version(); v1 == 0 || v2 <= v1 {
		t.Fatalf("versions %d then %d", v1, v2)
	}
	s.Update(func(tx *Tx) error {
		if _, ok, _ := tx.Version("mark/x"); ok {
			t.Error("a read-write transaction gave a version")
		}
		return nil
	})
}

// DeepCopy shares nothing a caller could change: pointers, slices of
// values and of pointers, maps, nested structs.
func TestDeepCopy(t *testing.T) {
	type inner struct {
		P *int
		M map[string][]int
	}
	type outer struct {
		S    []string
		In   inner
		Ptrs []*inner
		At   time.Time
	}
	n := 1
	orig := outer{S: []string{"a"}, In: inner{P: &n, M: map[string][]int{"k": {1}}}, Ptrs: []*inner{{P: &n}}, At: time.Unix(5, 0)}
	c := DeepCopy(orig).(outer)
	*c.In.P, c.S[0], c.In.M["k"][0] = 2, "b", 2
	*c.Ptrs[0].P = 3
	c.In.M["new"] = nil
	if n != 1 || orig.S[0] != "a" || orig.In.M["k"][0] != 1 || len(orig.In.M) != 1 || !c.At.Equal(orig.At) {
		t.Fatalf("the copy shares with the original: %+v (n=%d)", orig, n)
	}
}

// A key that shares its bytes with a buffer the caller reuses (fiber's
// zero-copy params) stays the key it was: a restored database's folders,
// whose order marks share one commit version, were answered with each
// other's orders when the buffer changed under the cached key.
func TestRecordsKeepTheirKeys(t *testing.T) {
	var c Records[[]string]
	buf := []byte("folder-A")
	c.Store(unsafe.String(&buf[0], len(buf)), 7, []string{"a1", "a2"})
	copy(buf, "folder-B")
	if v, ok := c.Load("folder-B", 7); ok {
		t.Fatalf("folder-B answered with folder-A's entry %v", v)
	}
	if v, ok := c.Load("folder-A", 7); !ok || !slices.Equal(v, []string{"a1", "a2"}) {
		t.Fatalf("folder-A: %v %v", v, ok)
	}
}
