package auth

import (
	"sync"
	"time"
)

// Throttle counts failures per key (an account, a client address, a link)
// and refuses further attempts for a while once a key failed too often.
// Each further failure while locked doubles the wait, up to a day.
type Throttle struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu   sync.Mutex
	keys map[string]*throttleState
}

type throttleState struct {
	failures    int
	first       time.Time
	lockedUntil time.Time
	lockFor     time.Duration
}

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

// Wait returns how long the caller must wait before trying any of keys.
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		if st := t.keys[k]; st != nil && now.Before(st.lockedUntil) {
			if d := st.lockedUntil.Sub(now); d > wait {
				wait = d
			}
		}
	}
	return wait
}

// Fail records a failure for each key.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.keys) > 100_000 { // bound memory under a spray of addresses
		for k, st := range t.keys {
			if now.Sub(st.first) > t.Window && now.After(st.lockedUntil) {
				delete(t.keys, k)
			}
		}
	}
	for _, k := range keys {
		st := t.keys[k]
		if st == nil || (now.Sub(st.first) > t.Window && now.After(st.lockedUntil)) {
			st = &throttleState{first: now}
			t.keys[k] = st
		}
		st.failures++
		if st.failures >= t.Max {
			if st.lockFor == 0 {
				st.lockFor = t.Window
			} else {
				st.lockFor *= 2
				if st.lockFor > 24*time.Hour {
					st.lockFor = 24 * time.Hour
				}
			}
			st.lockedUntil = now.Add(st.lockFor)
			st.failures = 0
			st.first = now
		}
	}
}

// Reset forgets the failures of key (after a success).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	delete(t.keys, key)
	t.mu.Unlock()
}
