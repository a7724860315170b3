package auth

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// Session is a logged-in browser. Only the hash of its secret is stored.
type Session struct {
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CreateSession stores a new session for userID and returns its secret.
func (s *Service) CreateSession(userID string) (string, error) {
	secret := secure.Token()
	now := s.now()
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = 14 * 24 * time.Hour
	}
	sess := Session{UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err := s.Store.Update(func(tx *store.Tx) error {
		return tx.Put(store.PrefixSession+userID+"/"+secure.HashToken(secret), sess)
	})
	return userID + "." + secret, err
}

func splitSession(token string) (userID, hash string, ok bool) {
	userID, secret, ok := strings.Cut(token, ".")
	if !ok || userID == "" || secret == "" || strings.Contains(userID, "/") {
		return "", "", false
	}
	return userID, secure.HashToken(secret), true
}

// SessionUser returns the user of a live session secret.
func (s *Service) SessionUser(token string) (User, error) {
	userID, hash, ok := splitSession(token)
	if !ok {
		return User{}, ErrUnauthorized
	}
	var rec userRecord
	err := s.Store.View(func(tx *store.Tx) error {
		var sess Session
		if err := tx.Get(store.PrefixSession+userID+"/"+hash, &sess); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrUnauthorized
			}
			return err
		}
		if !s.now().Before(sess.ExpiresAt) {
			return errs.New(errs.Unauthorized, "session_expired", "your session expired; log in again")
		}
		var err error
		rec, err = getUser(tx, userID)
		if errs.Is(err, errs.NotFound) {
			return ErrUnauthorized
		}
		return err
	})
	if err != nil {
		return User{}, err
	}
	if rec.Disabled {
		return User{}, errs.New(errs.Unauthorized, "user_disabled", "this account is disabled")
	}
	return rec.User, nil
}

// DeleteSession ends a session (logout).
func (s *Service) DeleteSession(token string) error {
	userID, hash, ok := splitSession(token)
	if !ok {
		return nil
	}
	return s.Store.Update(func(tx *store.Tx) error {
		return tx.Delete(store.PrefixSession + userID + "/" + hash)
	})
}

func deleteUserSessions(tx *store.Tx, userID string) error {
	var keys []string
	if err := tx.ScanKeys(store.PrefixSession+userID+"/", func(k string) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
