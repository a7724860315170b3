// Package links is the core every kind of link shares: one key space
// (keys.go: KindOf, ByKey), visitor sessions (sessions.go), the gate in
// front of a link's password or passcode with its throttle and lock
// (gate.go, password.go), the one password unlock of share and review
// links (unlock.go), the owner's record checks (visible.go), the site's sharing settings and custom keys
// (sharing.go) and the access log (accesslog.go, audit.go). Each kind
// lives beneath it: links/share, links/review, links/upload; the core
// imports none of them.
package links

import (
	"log/slog"
	"sync"
	"time"

	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Core is what the kinds of link share at run time: the store, the clock,
// the throttle in front of their secrets, the password hashing slot and
// the one access-log writer. Every kind of link embeds the same Core.
type Core struct {
	Store *store.Store
	// Throttle counts wrong passwords and passcodes per link and client
	// address (the Gate).
	Throttle *auth.Throttle
	Now      func() time.Time
	Log      *slog.Logger
	// LaterEvery is the longest an entry of WriteLogLater waits in
	// memory (0: laterEvery, a second).
	LaterEvery time.Duration

	hashMu sync.Mutex // argon2id uses 19 MiB: one at a time

	// Access-log entries waiting for their group commit (see WriteLog).
	logMu      sync.Mutex
	logQueue   []*logBatch // oldest first
	logWriting bool        // a batch holds the turn to commit

	later laterLog // entries stored within a second (see WriteLogLater)
}

// Time is the core's clock now, in UTC (Now, or the system clock).
func (c *Core) Time() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

// NotFound is the answer to a key that opens no share or review link: the
// same whatever the reason, so a visitor learns nothing about keys.
func NotFound() error { return errs.New(errs.NotFound, "not_found", "Share not found") }
