// Package poll waits for a condition with a deadline instead of sleeping a
// guessed time: a test goes on as soon as the state it reads is there, and
// a slow machine only makes it slower, not red. It has no dependencies, so
// the tests of any package (those below server/serve too) can use it.
package poll

import (
	"testing"
	"time"
)

// Interval is how long a check waits before looking again.
const Interval = 50 * time.Millisecond

// Until calls cond until it returns nil and fails t with the last error
// cond gave when within has passed (the error says what state was seen).
func Until(t testing.TB, within time.Duration, cond func() error) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(within); ; {
		if err = cond(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %v", within, err)
		}
		time.Sleep(Interval) // sleep: the polling interval
	}
}

// True calls cond until it is true or within has passed, and says whether
// it became true: for callers that report the final state themselves.
func True(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); ; {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(Interval) // sleep: the polling interval
	}
}
