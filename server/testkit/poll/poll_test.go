package poll

import (
	"errors"
	"testing"
	"time"
)

func TestUntilReturnsOnceTheConditionHolds(t *testing.T) {
	n := 0
	start := time.Now()
	Until(t, 10*time.Second, func() error {
		if n++; n < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if n != 3 {
		t.Fatalf("cond called %d times, want 3", n)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Until took %s for three checks", took)
	}
}

func TestTrueGivesUpAtTheDeadline(t *testing.T) {
	start := time.Now()
	if True(200*time.Millisecond, func() bool { return false }) {
		t.Fatal("True reported a condition that never held")
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("gave up after %s, before the deadline", took)
	}
	if !True(time.Second, func() bool { return true }) {
		t.Fatal("True missed a condition that held at once")
	}
}
