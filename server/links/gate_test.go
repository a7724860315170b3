package links

import (
	"errors"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
)

func TestLock(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	for _, tc := range []struct {
		name      string
		lock      Lock
		failures  []time.Time
		kept      int
		locks     bool
		leftAfter int
	}{
		{"first wrong password", PasswordLock, nil, 1, false, LockAfter - 1},
		{"old failures fall out of the window", PasswordLock, repeat(ago(2*time.Hour), LockAfter), 1, false, LockAfter - 1},
		{"the last of the window locks", PasswordLock, repeat(ago(59*time.Minute), LockAfter-1), LockAfter, true, 0},
		{"no window counts every failure", Lock{After: 3}, []time.Time{ago(1000 * time.Hour), ago(time.Hour)}, 3, true, 0},
		{"no window, below the limit", Lock{After: 3}, []time.Time{ago(1000 * time.Hour)}, 2, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, locks := tc.lock.Fail(tc.failures, now)
			if len(kept) != tc.kept || locks != tc.locks || kept[len(kept)-1] != now {
				t.Errorf("Fail: kept %d (last %v), locks %v; want %d ending now, %v", len(kept), kept[len(kept)-1], locks, tc.kept, tc.locks)
			}
			if left := tc.lock.Left(len(kept)); left != tc.leftAfter {
				t.Errorf("Left(%d) = %d, want %d", len(kept), left, tc.leftAfter)
			}
		})
	}
}

func repeat(at time.Time, n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = at
	}
	return out
}

// The gate books a try before the check: wrong tries from one address run
// out, another address or link still gets its own, a right try clears the
// address, and a check that fails gives its try back.
func TestGateTry(t *testing.T) {
	th := auth.NewThrottle(3, time.Minute)
	g := Gate{Throttle: th, Name: "test", What: "passcodes", Lock: Lock{After: 10}}
	wrong := func() (bool, error) { return false, nil }
	right := func() (bool, error) { return true, nil }
	broken := func() (bool, error) { return false, errors.New("disk on fire") }
	for i := 0; i < 3; i++ {
		if ok, err := g.Try("L1", "10.0.0.1", wrong); ok || err != nil {
			t.Fatalf("wrong try %d: %v, %v", i, ok, err)
		}
	}
	_, err := g.Try("L1", "10.0.0.1", right)
	if !errs.Is(err, errs.Throttled) {
		t.Fatalf("fourth try from one address: %v, want throttled", err)
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.RetryAfter <= 0 || e.Code != "too_many_attempts" {
		t.Errorf("refusal %#v: want too_many_attempts with a Retry-After", err)
	}
	if ok, err := g.Try("L1", "10.0.0.2", right); !ok || err != nil {
		t.Errorf("another address: %v, %v", ok, err)
	}
	if ok, err := g.Try("L2", "10.0.0.1", right); !ok || err != nil {
		t.Errorf("another link: %v, %v", ok, err)
	}
	for i := 0; i < 5; i++ {
		if _, err := g.Try("L3", "10.0.0.1", broken); err == nil || errs.Is(err, errs.Throttled) {
			t.Fatalf("broken check %d: %v, want its own error (the try given back)", i, err)
		}
	}
	for i := 0; i < 2; i++ {
		g.Try("L4", "10.0.0.1", wrong)
	}
	if ok, err := g.Try("L4", "10.0.0.1", right); !ok || err != nil {
		t.Fatalf("right try after two wrong: %v, %v", ok, err)
	}
	for i := 0; i < 3; i++ {
		if _, err := g.Try("L4", "10.0.0.1", wrong); err != nil {
			t.Fatalf("after a right try the address starts again: try %d: %v", i, err)
		}
	}
	// Every kind shares the core's throttle: a gate of another name (an
	// upload link's passcode) keeps its own count for the same link id
	// and address.
	passcodes := Gate{Throttle: th, Name: "other", What: "passcodes", Lock: g.Lock}
	if ok, err := passcodes.Try("L1", "10.0.0.1", right); !ok || err != nil {
		t.Errorf("another gate on the same throttle: %v, %v", ok, err)
	}
	if _, err := (Gate{}).Try("L5", "10.0.0.1", wrong); err != nil {
		t.Errorf("no throttle: %v", err)
	}
}
