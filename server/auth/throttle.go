package auth

import (
	"sync"
	"time"
)

// Throttle counts failures per key (an account, a client address, a link)
// and refuses further attempts for a while once a key failed too often.
//
// An attempt is reserved before the expensive check (Reserve), so parallel
// requests cannot all pass a check made before any of them failed: a key
// allows at most Max failures and attempts in flight together. Each lock
// after the first within a day of the last one doubles, up to a day, so a
// patient client gets no more than Max tries per lock period.
type Throttle struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu   sync.Mutex
	keys map[string]*throttleState
}

type throttleState struct {
	failures    int
	inFlight    int
	first       time.Time
	lockedUntil time.Time
	lockFor     time.Duration
}

// maxLock is the longest lock; a key quiet for maxLock after its last lock
// starts again from Window.
const maxLock = 24 * time.Hour

// busyWait is the Retry-After of a refusal because Max attempts are
// already being checked (no lock yet: they may all succeed).
const busyWait = time.Second

// NewThrottle allows max failures per window before locking for window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{Max: max, Window: window, keys: map[string]*throttleState{}}
}

func (t *Throttle) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// state returns the live state of k, forgetting failures older than the
// window and a lock history older than a day.
func (t *Throttle) state(k string, now time.Time) *throttleState {
	st := t.keys[k]
	if st == nil {
		st = &throttleState{first: now}
		t.keys[k] = st
		return st
	}
	if now.Sub(st.first) > t.Window && !now.Before(st.lockedUntil) {
		st.failures, st.first = 0, now
		if now.Sub(st.lockedUntil) > maxLock {
			st.lockFor = 0
		}
	}
	return st
}

func (t *Throttle) prune(now time.Time) {
	if len(t.keys) <= 100_000 { // bound memory under a spray of addresses
		return
	}
	for k, st := range t.keys {
		if st.inFlight == 0 && now.Sub(st.first) > t.Window && now.After(st.lockedUntil) {
			delete(t.keys, k)
		}
	}
}

// Wait returns how long the caller must wait before trying any of keys
// (0 when none is locked). It books nothing: use Reserve before a check.
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		if st := t.keys[k]; st != nil && now.Before(st.lockedUntil) {
			wait = max(wait, st.lockedUntil.Sub(now))
		}
	}
	return wait
}

// Attempt is one try booked against the keys of a throttle; end it with
// exactly one of Fail, Succeed or Release.
type Attempt struct {
	t    *Throttle
	keys []string
	once sync.Once
}

// Reserve books an attempt against every key, atomically: it refuses
// (nil, how long to wait) when a key is locked or already has Max failures
// and attempts in flight.
func (t *Throttle) Reserve(keys ...string) (*Attempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.prune(now)
	var wait time.Duration
	for _, k := range keys {
		st := t.state(k, now)
		switch {
		case now.Before(st.lockedUntil):
			wait = max(wait, st.lockedUntil.Sub(now))
		case st.failures+st.inFlight >= t.Max:
			wait = max(wait, busyWait)
		}
	}
	if wait > 0 {
		return nil, wait
	}
	for _, k := range keys {
		t.keys[k].inFlight++
	}
	return &Attempt{t: t, keys: keys}, 0
}

// end releases the attempt; failed counts a failure against each key.
func (a *Attempt) end(failed bool, forget []string) {
	a.once.Do(func() {
		t := a.t
		t.mu.Lock()
		defer t.mu.Unlock()
		now := t.now()
		for _, k := range a.keys {
			st := t.state(k, now)
			st.inFlight = max(0, st.inFlight-1)
			if !failed {
				continue
			}
			st.failures++
			if st.failures >= t.Max {
				if st.lockFor == 0 {
					st.lockFor = t.Window
				} else {
					st.lockFor = min(2*st.lockFor, maxLock)
				}
				st.lockedUntil = now.Add(st.lockFor)
				st.failures = 0
				st.first = now
			}
		}
		for _, k := range forget {
			if st := t.keys[k]; st != nil {
				st.failures = 0
				if st.inFlight == 0 && !now.Before(st.lockedUntil) && st.lockFor == 0 {
					delete(t.keys, k)
				}
			}
		}
	})
}

// Fail records the attempt as a failure of each of its keys.
func (a *Attempt) Fail() { a.end(true, nil) }

// Succeed ends the attempt and forgets the failures of the keys in forget
// (the ones a success vouches for, e.g. this account from this address).
func (a *Attempt) Succeed(forget ...string) { a.end(false, forget) }

// Release ends an attempt that was not judged (the check could not run).
func (a *Attempt) Release() { a.end(false, nil) }

// Fail records one failure for each key (an attempt reserved and failed).
func (t *Throttle) Fail(keys ...string) {
	a := &Attempt{t: t, keys: keys}
	t.mu.Lock()
	now := t.now()
	for _, k := range keys {
		t.state(k, now).inFlight++
	}
	t.mu.Unlock()
	a.Fail()
}

// Reset forgets the failures of key (after a success).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	delete(t.keys, key)
	t.mu.Unlock()
}
