// Package auth owns users, sessions, API tokens with scopes, and login
// throttling. It never imports HTTP code.
package auth

import (
	"errors"
	"net/mail"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Roles.
const (
	RoleAdmin  = model.RoleAdmin
	RoleMember = model.RoleMember
)

// User is model.User, the JSON document.
type User = model.User

type userRecord struct {
	User
	PasswordHash string `json:"password_hash"`
	// LoginAddrs are the client addresses of recent successful logins:
	// they pass an account-wide lock (see Login).
	LoginAddrs map[string]time.Time `json:"login_addrs,omitempty"`
}

// Service is the auth domain.
type Service struct {
	Store      *store.Store
	Now        func() time.Time
	SessionTTL time.Duration
	Throttle   *Throttle

	wideOnce sync.Once
	wide     *Throttle
}

// Domain errors.
var (
	ErrBadCredentials = errs.New(errs.Unauthorized, "invalid_credentials", "email or password is wrong")
	ErrUnauthorized   = errs.New(errs.Unauthorized, "unauthorized", "log in or send a valid token")
	ErrEmailTaken     = errs.New(errs.Conflict, "email_taken", "a user with this email already exists")
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// NewUser is model.NewUser, the JSON document.
type NewUser = model.NewUser

func normalizeEmail(e string) (string, error) {
	e = strings.TrimSpace(e)
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e, "@") || len(e) > 254 {
		return "", errs.Invalidf("email %q is not a valid address", e)
	}
	return strings.ToLower(e), nil
}

// ValidatePassword refuses passwords too short or too long to be sensible.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < 8 {
		return errs.Invalidf("password must be at least 8 characters")
	}
	if len(pw) > 1024 {
		return errs.Invalidf("password must be at most 1024 bytes")
	}
	return nil
}

func validateName(n string) (string, error) {
	n = strings.TrimSpace(n)
	if n == "" || utf8.RuneCountInString(n) > 200 {
		return "", errs.Invalidf("name must be 1 to 200 characters")
	}
	if !utf8.ValidString(n) {
		return "", errs.Invalidf("name must be valid UTF-8")
	}
	for _, r := range n {
		// Names go into mail headers, CSV exports and logs: no line breaks,
		// no control characters, nothing that reorders the text around it.
		if unicode.IsControl(r) || isBidiControl(r) {
			return "", errs.Invalidf("name must not contain control characters (U+%04X), line breaks or bidirectional controls", r)
		}
	}
	return n, nil
}

// isBidiControl is assets.IsBidiControl (auth does not depend on assets).
func isBidiControl(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// CreateUser adds a user; the email must be unused.
func (s *Service) CreateUser(in NewUser) (User, error) {
	email, err := normalizeEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	name, err := validateName(in.Name)
	if err != nil {
		return User{}, err
	}
	if in.Role == "" {
		in.Role = RoleMember
	}
	if in.Role != RoleAdmin && in.Role != RoleMember {
		return User{}, errs.Invalidf("role must be admin or member")
	}
	if err := ValidatePassword(in.Password); err != nil {
		return User{}, err
	}
	now := s.now()
	rec := userRecord{
		User: User{ID: uuid.NewString(), Email: email, Name: name, Role: in.Role,
			InsertedAt: now, UpdatedAt: now},
		PasswordHash: secure.HashPassword(in.Password),
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		if ok, err := tx.Has(store.PrefixUserEmail + email); err != nil || ok {
			if ok {
				return ErrEmailTaken
			}
			return err
		}
		if err := tx.Put(store.PrefixUser+rec.ID, rec); err != nil {
			return err
		}
		return tx.Put(store.PrefixUserEmail+email, rec.ID)
	})
	return rec.User, err
}

// CountUsers returns how many users exist.
func (s *Service) CountUsers() (int, error) {
	var n int
	err := s.Store.View(func(tx *store.Tx) (err error) {
		n, err = tx.Count(store.PrefixUser)
		return err
	})
	return n, err
}

func getUser(tx *store.Tx, id string) (userRecord, error) {
	var rec userRecord
	err := tx.Get(store.PrefixUser+id, &rec)
	if errors.Is(err, store.ErrNotFound) {
		return rec, errs.NotFoundf("user %s not found", id)
	}
	return rec, err
}

// GetUser returns one user.
func (s *Service) GetUser(id string) (User, error) {
	var rec userRecord
	err := s.Store.View(func(tx *store.Tx) (err error) {
		rec, err = getUser(tx, id)
		return err
	})
	return rec.User, err
}

// UserByEmail returns the user with email.
func (s *Service) UserByEmail(email string) (User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var rec userRecord
	err := s.Store.View(func(tx *store.Tx) error {
		var id string
		if err := tx.Get(store.PrefixUserEmail+email, &id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errs.NotFoundf("no user with email %s", email)
			}
			return err
		}
		var err error
		rec, err = getUser(tx, id)
		return err
	})
	return rec.User, err
}

// ListUsers returns all users sorted by name.
func (s *Service) ListUsers() ([]User, error) {
	var out []User
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixUser, func(_ string, b []byte) error {
			var rec userRecord
			if err := jsonUnmarshal(b, &rec); err != nil {
				return err
			}
			out = append(out, rec.User)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

// UserPatch is model.UserPatch, the JSON document.
type UserPatch = model.UserPatch

// UpdateUser applies p to the user id. The last active admin cannot be
// demoted or disabled, so the site always has someone who can administer it.
func (s *Service) UpdateUser(id string, p UserPatch) (User, error) {
	var out User
	err := s.Store.Update(func(tx *store.Tx) error {
		rec, err := getUser(tx, id)
		if err != nil {
			return err
		}
		wasActiveAdmin := rec.Role == RoleAdmin && !rec.Disabled
		if p.Name != nil {
			if rec.Name, err = validateName(*p.Name); err != nil {
				return err
			}
		}
		if p.Role != nil {
			if *p.Role != RoleAdmin && *p.Role != RoleMember {
				return errs.Invalidf("role must be admin or member")
			}
			rec.Role = *p.Role
		}
		if p.Disabled != nil {
			rec.Disabled = *p.Disabled
		}
		if p.Password != nil {
			if err := ValidatePassword(*p.Password); err != nil {
				return err
			}
			rec.PasswordHash = secure.HashPassword(*p.Password)
		}
		if wasActiveAdmin && (rec.Role != RoleAdmin || rec.Disabled) {
			n, err := activeAdmins(tx, id)
			if err != nil {
				return err
			}
			if n == 0 {
				return errs.Conflictf("this is the last active admin; make another admin first")
			}
		}
		rec.UpdatedAt = s.now()
		out = rec.User
		if err := tx.Put(store.PrefixUser+id, rec); err != nil {
			return err
		}
		if p.Password != nil {
			// A reset password means the old one may be known: its
			// holder's sessions and any tokens they made go with it.
			if err := deleteUserTokens(tx, id); err != nil {
				return err
			}
		}
		if rec.Disabled || p.Password != nil {
			return deleteUserSessions(tx, id)
		}
		return nil
	})
	return out, err
}

func activeAdmins(tx *store.Tx, except string) (int, error) {
	n := 0
	err := tx.Scan(store.PrefixUser, func(_ string, b []byte) error {
		var rec userRecord
		if err := jsonUnmarshal(b, &rec); err != nil {
			return err
		}
		if rec.ID != except && rec.Role == RoleAdmin && !rec.Disabled {
			n++
		}
		return nil
	})
	return n, err
}

// Login checks credentials and returns the user and a new session secret.
//
// Throttles, all decided before the password is hashed: this account
// from this address (Throttle's Max failures), this address over all
// accounts, and this account from addresses that never logged into it
// (both 4 × Max, in a wider throttle). So guessing from one address is
// slow, spraying from many is bounded per account, and an attacker who
// makes an account fail many times shuts out only addresses that have not
// logged into it before: its owner at their usual address still gets in.
func (s *Service) Login(email, password, addr string) (User, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var rec userRecord
	err := s.Store.View(func(tx *store.Tx) error {
		var id string
		if err := tx.Get(store.PrefixUserEmail+email, &id); err != nil {
			return err
		}
		var err error
		rec, err = getUser(tx, id)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errs.Is(err, errs.NotFound) {
		return User{}, "", err
	}
	now := s.now()
	pair := "login|" + email + "|" + addr
	narrow, wait := s.Throttle.Reserve(pair)
	if narrow == nil {
		return User{}, "", tooManyLogins(wait)
	}
	wideKeys := []string{"addr|" + addr}
	if err != nil || !rec.knows(addr, now) {
		wideKeys = append(wideKeys, "account|"+email)
	}
	wide, wait := s.wideThrottle().Reserve(wideKeys...)
	if wide == nil {
		narrow.Release()
		return User{}, "", tooManyLogins(wait)
	}
	ok := false
	if err == nil {
		ok, err = secure.CheckPasswordLimited(rec.PasswordHash, password)
	} else {
		// Spend the same time as a real check so timing does not reveal accounts.
		_, err = secure.CheckPasswordLimited(dummyHash(), password)
	}
	if errors.Is(err, secure.ErrBusy) {
		narrow.Release()
		wide.Release()
		return User{}, "", &errs.Error{Kind: errs.Throttled, Code: "busy", Detail: err.Error(), RetryAfter: 2 * time.Second}
	}
	if !ok {
		narrow.Fail()
		wide.Fail()
		return User{}, "", ErrBadCredentials
	}
	if rec.Disabled {
		narrow.Release()
		wide.Release()
		return User{}, "", errs.New(errs.Forbidden, "user_disabled", "this account is disabled; ask an admin")
	}
	narrow.Succeed(pair)
	wide.Succeed()
	secret, err := s.CreateSession(rec.ID)
	if err != nil {
		return User{}, "", err
	}
	_ = s.Store.Update(func(tx *store.Tx) error {
		r, err := getUser(tx, rec.ID)
		if err != nil {
			return err
		}
		r.LastLoginAt = &now
		r.rememberAddr(addr, now)
		return tx.Put(store.PrefixUser+rec.ID, r)
	})
	rec.LastLoginAt = &now
	return rec.User, secret, nil
}

func tooManyLogins(wait time.Duration) error {
	return &errs.Error{Kind: errs.Throttled, Code: "too_many_attempts",
		Detail: "too many failed logins; try again later", RetryAfter: wait}
}

// wideThrottle counts failures per address and per account from unknown
// addresses, with 4 × the limit of Throttle and the same lock period.
func (s *Service) wideThrottle() *Throttle {
	s.wideOnce.Do(func() {
		s.wide = NewThrottle(4*s.Throttle.Max, s.Throttle.Window)
		s.wide.Now = s.Throttle.Now
	})
	return s.wide
}

// How many addresses a user is known from, and for how long.
const (
	knownAddrs   = 20
	knownAddrTTL = 90 * 24 * time.Hour
)

// knows reports whether the user logged in from addr within knownAddrTTL.
func (r userRecord) knows(addr string, now time.Time) bool {
	t, ok := r.LoginAddrs[addr]
	return ok && now.Sub(t) < knownAddrTTL
}

// rememberAddr notes a successful login from addr, keeping the most recent
// knownAddrs addresses.
func (r *userRecord) rememberAddr(addr string, now time.Time) {
	if addr == "" {
		return
	}
	if r.LoginAddrs == nil {
		r.LoginAddrs = map[string]time.Time{}
	}
	r.LoginAddrs[addr] = now
	for a, t := range r.LoginAddrs {
		if now.Sub(t) >= knownAddrTTL {
			delete(r.LoginAddrs, a)
		}
	}
	for len(r.LoginAddrs) > knownAddrs {
		oldest := addr
		for a, t := range r.LoginAddrs {
			if t.Before(r.LoginAddrs[oldest]) {
				oldest = a
			}
		}
		delete(r.LoginAddrs, oldest)
	}
}

// dummyHash is made on first use, not at package init, where every ferry
// command (even `ferry version`) would pay an argon2 hash before starting.
var dummyHash = sync.OnceValue(func() string { return secure.HashPassword("not a real password") })
