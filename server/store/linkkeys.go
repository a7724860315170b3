package store

import (
	"errors"
	"regexp"
	"strings"
)

// LinkKey is what a public link key opens: its kind ("share", "review",
// "upload") and the link's ID. Every kind of link shares this one key space.
type LinkKey struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// ErrKeyTaken is returned by PutLinkKey for a key already in use.
var ErrKeyTaken = errors.New("link key already in use")

var linkKeyPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,64}$`)

// GetLinkKey looks up a public link key; ok is false for malformed or
// unknown keys.
func (tx *Tx) GetLinkKey(key string) (LinkKey, bool, error) {
	var e LinkKey
	if !linkKeyPattern.MatchString(key) {
		return e, false, nil
	}
	err := tx.Get(PrefixLinkKey+key, &e)
	if errors.Is(err, ErrNotFound) {
		return e, false, nil
	}
	return e, err == nil, err
}

// PutLinkKey claims key for a link of kind with id.
func (tx *Tx) PutLinkKey(key, kind, id string) error {
	if ok, err := tx.Has(PrefixLinkKey + key); err != nil || ok {
		if ok {
			return ErrKeyTaken
		}
		return err
	}
	return tx.Put(PrefixLinkKey+key, LinkKey{Kind: kind, ID: id})
}

// FindLinkKeyFold finds a link key equal to key whatever the case: the
// key as stored and what it opens (ok false when none). Custom keys are
// unique case-insensitively ("Spring" and "spring" are one key), while
// links made before keep opening by their key as typed; custom keys are
// rare, so this reads the key space instead of keeping a second index.
func (tx *Tx) FindLinkKeyFold(key string) (string, LinkKey, bool, error) {
	var found string
	err := tx.ScanKeys(PrefixLinkKey, func(k string) error {
		if strings.EqualFold(k[len(PrefixLinkKey):], key) {
			found = k[len(PrefixLinkKey):]
			return ErrStop
		}
		return nil
	})
	if err != nil {
		return "", LinkKey{}, false, err
	}
	if found == "" {
		return "", LinkKey{}, false, nil
	}
	e, ok, err := tx.GetLinkKey(found)
	return found, e, ok, err
}
