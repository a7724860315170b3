package links

import (
	"errors"
	"regexp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// SharingSettings is model.SharingSettings, the JSON document.
type SharingSettings = model.SharingSettings

const sharingKey = store.PrefixSetting + "sharing"

// LoadSharing reads the site's sharing settings in tx.
func LoadSharing(tx *store.Tx) (SharingSettings, error) {
	var s SharingSettings
	err := tx.Get(sharingKey, &s)
	if errors.Is(err, store.ErrNotFound) {
		return SharingSettings{}, nil
	}
	return s, err
}

// Sharing returns the site's sharing settings.
func (c *Core) Sharing() (SharingSettings, error) {
	var out SharingSettings
	err := c.Store.View(func(tx *store.Tx) (err error) { out, err = LoadSharing(tx); return err })
	return out, err
}

// SetSharing stores the site's sharing settings (admins).
func (c *Core) SetSharing(in SharingSettings) (SharingSettings, error) {
	if d := in.DefaultExpirationDays; d != nil && (*d < 1 || *d > 3650) {
		return SharingSettings{}, errs.Invalidf("default_expiration_days must be from 1 to 3650, or null for no default")
	}
	return in, c.Store.Update(func(tx *store.Tx) error { return tx.Put(sharingKey, in) })
}

var customKey = regexp.MustCompile(`^[A-Za-z0-9]{3,64}$`)

// ClaimKey checks a custom URL key and reserves it for link id of kind.
func ClaimKey(tx *store.Tx, set SharingSettings, key, kind, id string) error {
	if !set.AllowCustomURLs {
		return errs.New(errs.Forbidden, "custom_keys_disabled", "this site does not allow custom link URLs (Sharing > Settings)")
	}
	if !customKey.MatchString(key) {
		return errs.New(errs.Invalid, "invalid_key", "a custom URL key has 3 to 64 letters and digits, nothing else")
	}
	// Keys are one whatever their case: "Spring" takes "spring" too (the
	// link that has it may change its case).
	had, e, taken, err := tx.FindLinkKeyFold(key)
	if err != nil {
		return err
	}
	if taken && !(e.Kind == kind && e.ID == id && had != key) {
		if had == key {
			return errs.New(errs.Conflict, "key_taken", "the URL key %q is taken; choose another", key)
		}
		return errs.New(errs.Conflict, "key_taken", "the URL key %q is taken (as %q: keys are the same whatever their case); choose another", key, had)
	}
	return tx.PutLinkKey(key, kind, id)
}
