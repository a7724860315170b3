// Package clock is a time source tests move by hand, so expiry is tested
// without sleeping. It has no dependencies, so any package's tests (those
// of server/auth too) can use it.
package clock

import (
	"sync"
	"time"
)

// Clock is a settable time; its Now is what services take as their clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock at t (in UTC).
func New(t time.Time) *Clock { return &Clock{t: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.UTC()
}
