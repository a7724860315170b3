package auth

import (
	"errors"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/secure"
	"github.com/ferryhq/ferry/server/store"
)

// Resources and Actions make up token scopes "resource.action".
var (
	Resources = []string{"projects", "assets", "comments", "share_links", "review_links", "upload_links", "users", "settings"}
	Actions   = []string{"read", "create", "update", "delete"}
)

// AllScopes lists every valid scope.
func AllScopes() []string {
	var out []string
	for _, r := range Resources {
		for _, a := range Actions {
			out = append(out, r+"."+a)
		}
	}
	return out
}

// ValidScope reports whether s is resource.action from the lists above.
func ValidScope(s string) bool {
	for _, v := range AllScopes() {
		if v == s {
			return true
		}
	}
	return false
}

// APIToken is model.Token, the JSON document.
type APIToken = model.Token

const tokenPrefix = "fy_"

// CreateToken makes a token for userID and returns it with its secret,
// which is never stored and shown only this once.
func (s *Service) CreateToken(userID, name string, scopes []string) (APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return APIToken{}, "", errs.Invalidf("token name must be 1 to 100 characters")
	}
	if len(scopes) == 0 {
		return APIToken{}, "", errs.Invalidf("give at least one scope, e.g. projects.read")
	}
	seen := map[string]bool{}
	var clean []string
	for _, sc := range scopes {
		sc = strings.TrimSpace(sc)
		if !ValidScope(sc) {
			return APIToken{}, "", errs.Invalidf("unknown scope %q; scopes are resource.action with resource one of %s and action one of %s",
				sc, strings.Join(Resources, " "), strings.Join(Actions, " "))
		}
		if !seen[sc] {
			seen[sc] = true
			clean = append(clean, sc)
		}
	}
	sort.Strings(clean)
	secret := tokenPrefix + secure.Token()
	now := s.now()
	t := APIToken{ID: uuid.NewString(), UserID: userID, Name: name, Scopes: clean,
		Prefix: secret[:7], InsertedAt: now, UpdatedAt: now}
	err := s.Store.Update(func(tx *store.Tx) error {
		if _, err := getUser(tx, userID); err != nil {
			return err
		}
		if err := tx.Put(store.PrefixToken+t.ID, t); err != nil {
			return err
		}
		if err := tx.Put(store.PrefixTokenOwner+userID+"/"+t.ID, ""); err != nil {
			return err
		}
		return tx.Put(store.PrefixTokenHash+secure.HashToken(secret), t.ID)
	})
	return t, secret, err
}

// ListTokens returns the tokens of userID.
func (s *Service) ListTokens(userID string) ([]APIToken, error) {
	var out []APIToken
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.ScanKeys(store.PrefixTokenOwner+userID+"/", func(k string) error {
			var t APIToken
			if err := tx.Get(store.PrefixToken+k[strings.LastIndex(k, "/")+1:], &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].InsertedAt.After(out[j].InsertedAt) })
	return out, err
}

// DeleteToken revokes token id of userID.
func (s *Service) DeleteToken(userID, id string) error {
	return s.Store.Update(func(tx *store.Tx) error {
		var t APIToken
		if err := tx.Get(store.PrefixToken+id, &t); err != nil || t.UserID != userID {
			return errs.NotFoundf("token %s not found", id)
		}
		var hashKey string
		if err := tx.Scan(store.PrefixTokenHash, func(k string, v []byte) error {
			var tid string
			if err := jsonUnmarshal(v, &tid); err == nil && tid == id {
				hashKey = k
				return store.ErrStop
			}
			return nil
		}); err != nil {
			return err
		}
		if hashKey != "" {
			if err := tx.Delete(hashKey); err != nil {
				return err
			}
		}
		if err := tx.Delete(store.PrefixTokenOwner + userID + "/" + id); err != nil {
			return err
		}
		return tx.Delete(store.PrefixToken + id)
	})
}

// TokenUser resolves a bearer secret to its user and token.
func (s *Service) TokenUser(secret string) (User, APIToken, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return User{}, APIToken{}, ErrUnauthorized
	}
	var rec userRecord
	var t APIToken
	err := s.Store.View(func(tx *store.Tx) error {
		var id string
		if err := tx.Get(store.PrefixTokenHash+secure.HashToken(secret), &id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrUnauthorized
			}
			return err
		}
		if err := tx.Get(store.PrefixToken+id, &t); err != nil {
			return ErrUnauthorized
		}
		var err error
		rec, err = getUser(tx, t.UserID)
		if err != nil {
			return ErrUnauthorized
		}
		return nil
	})
	if err != nil {
		return User{}, APIToken{}, err
	}
	if rec.Disabled {
		return User{}, APIToken{}, errs.New(errs.Unauthorized, "user_disabled", "the token's user is disabled")
	}
	return rec.User, t, nil
}

// deleteUserTokens revokes every API token of userID (an admin reset the
// user's password: whoever held the old one may have made tokens).
func deleteUserTokens(tx *store.Tx, userID string) error {
	ids := map[string]bool{}
	var owned []string
	if err := tx.ScanKeys(store.PrefixTokenOwner+userID+"/", func(k string) error {
		owned = append(owned, k)
		ids[k[strings.LastIndex(k, "/")+1:]] = true
		return nil
	}); err != nil || len(ids) == 0 {
		return err
	}
	var hashes []string
	if err := tx.Scan(store.PrefixTokenHash, func(k string, v []byte) error {
		var id string
		if jsonUnmarshal(v, &id) == nil && ids[id] {
			hashes = append(hashes, k)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range hashes {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	for _, k := range owned {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	for id := range ids {
		if err := tx.Delete(store.PrefixToken + id); err != nil {
			return err
		}
	}
	return nil
}
