package store

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKept: an answer is computed once and reused until a commit that
// changes what pages show, or its deadline; answers not to keep and errors
// are never reused.
func TestKept(t *testing.T) {
	s := open(t, t.TempDir())
	var k Kept[int]
	computed := 0
	now := time.Now()
	get := func(name string, at time.Time, until time.Time, keep bool) int {
		t.Helper()
		v, err := k.Get(s.Changes, name, at, func() (int, time.Time, bool, error) {
			computed++
			return computed, until, keep, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("a", now, time.Time{}, true) != 1 || get("a", now, time.Time{}, true) != 1 {
		t.Fatal("a kept answer was computed again")
	}
	if err := s.Update(func(tx *Tx) error { return tx.Put(PrefixSession+"x", 1) }); err != nil {
		t.Fatal(err)
	}
	if get("a", now, time.Time{}, true) != 1 {
		t.Fatal("bookkeeping (a session) dropped a kept answer")
	}
	if err := s.Update(func(tx *Tx) error { return tx.Put(PrefixShareLink+"l", 1) }); err != nil {
		t.Fatal(err)
	}
	if get("a", now, time.Time{}, true) != 2 {
		t.Fatal("an answer kept from before a commit was used")
	}
	if get("b", now, now.Add(time.Minute), true) != 3 || get("b", now.Add(59*time.Second), time.Time{}, true) != 3 {
		t.Fatal("an answer before its deadline was computed again")
	}
	if get("b", now.Add(time.Minute), time.Time{}, true) != 4 {
		t.Fatal("an answer past its deadline was used")
	}
	if get("c", now, time.Time{}, false) != 5 || get("c", now, time.Time{}, false) != 6 {
		t.Fatal("an answer not to keep was kept")
	}
	refused := errors.New("refused")
	for i := 0; i < 2; i++ {
		if _, err := k.Get(s.Changes, "d", now, func() (int, time.Time, bool, error) { return 0, time.Time{}, true, refused }); err != refused {
			t.Fatalf("error: %v", err)
		}
	}
	if n, _ := k.Len(); n != 2 {
		t.Fatalf("%d answers kept, want 2 (a and b)", n)
	}
}

// TestKeptBounded: Max bounds the answers and MaxBytes their bytes; an
// answer bigger than MaxBytes is not kept at all.
func TestKeptBounded(t *testing.T) {
	s := open(t, t.TempDir())
	k := Kept[string]{Max: 16, MaxBytes: 100, Size: func(v string) int { return len(v) }}
	put := func(name, v string) {
		t.Helper()
		if _, err := k.Get(s.Changes, name, time.Time{}, func() (string, time.Time, bool, error) { return v, time.Time{}, true, nil }); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 100; i++ {
		put(strconv.Itoa(i), "x")
		if n, b := k.Len(); n > 16 || b > 100 || b != n {
			t.Fatalf("after %d: %d answers, %d bytes", i+1, n, b)
		}
	}
	for i := 0; i < 10; i++ {
		put("big"+strconv.Itoa(i), string(make([]byte, 40)))
		if n, b := k.Len(); n > 16 || b > 100 {
			t.Fatalf("after big %d: %d answers, %d bytes", i, n, b)
		}
	}
	put("huge", string(make([]byte, 101)))
	if _, ok := k.load("huge", 0, s.Changes(), time.Now()); ok {
		t.Fatal("an answer above MaxBytes was kept")
	}
	// Answers from before a commit go first when room is needed.
	if err := s.Update(func(tx *Tx) error { return tx.Put(PrefixShareLink+"l", 1) }); err != nil {
		t.Fatal(err)
	}
	put("new", string(make([]byte, 40)))
	if n, b := k.Len(); n != 1 || b != 40 {
		t.Fatalf("after a commit and one new answer: %d answers, %d bytes; want the new one alone", n, b)
	}
}

// TestKeptComputesOnce: many requests missing the same answer at once
// compute it once.
func TestKeptComputesOnce(t *testing.T) {
	s := open(t, t.TempDir())
	var k Kept[int]
	var computes atomic.Int32
	release := make(chan struct{})
	var wg, started sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			v, err := k.Get(s.Changes, "page", time.Time{}, func() (int, time.Time, bool, error) {
				<-release
				return int(computes.Add(1)), time.Time{}, true, nil
			})
			if err != nil || v != 1 {
				t.Errorf("got %d, %v", v, err)
			}
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
	if n := computes.Load(); n != 1 {
		t.Fatalf("computed %d times", n)
	}
}
