package links

import (
	"errors"
	"regexp"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// SharingSettings is model.SharingSettings, the JSON document.
type SharingSettings = model.SharingSettings

const sharingKey = store.PrefixSetting + "sharing"

func loadSharing(tx *store.Tx) (SharingSettings, error) {
	var s SharingSettings
	err := tx.Get(sharingKey, &s)
	if errors.Is(err, store.ErrNotFound) {
		return SharingSettings{}, nil
	}
	return s, err
}

// Sharing returns the site's sharing settings.
func (s *Service) Sharing() (SharingSettings, error) {
	var out SharingSettings
	err := s.Store.View(func(tx *store.Tx) (err error) { out, err = loadSharing(tx); return err })
	return out, err
}

// SetSharing stores the site's sharing settings (admins).
func (s *Service) SetSharing(in SharingSettings) (SharingSettings, error) {
	if d := in.DefaultExpirationDays; d != nil && (*d < 1 || *d > 3650) {
		return SharingSettings{}, errs.Invalidf("default_expiration_days must be from 1 to 3650, or null for no default")
	}
	return in, s.Store.Update(func(tx *store.Tx) error { return tx.Put(sharingKey, in) })
}

var customKey = regexp.MustCompile(`^[A-Za-z0-9]{3,64}$`)

// claimKey checks a custom URL key and reserves it for link id.
func claimKey(tx *store.Tx, set SharingSettings, key, kind, id string) error {
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

// options are the governance settings of a link, shared by create and update (nil: unchanged).
type options struct {
	AllowedActions      *string
	InboxFolderID       *string
	MaxUploadMB         Opt[int64]
	Note                *string
	RequireRegistration *bool
	FormID              *string
	ClickwrapID         *string
	AccessControl       *string
}

// applyOptions checks the form of o and sets it on l; what depends on the
// target and the creator's privileges is checkActions', what depends on
// stored forms and clickwraps checkGate's.
func applyOptions(l *Link, o options) error {
	var err error
	if o.AllowedActions != nil {
		l.AllowedActions = *o.AllowedActions
		if l.AllowedActions == "" {
			l.AllowedActions = ActionDownload
		}
	}
	if o.InboxFolderID != nil {
		l.InboxFolderID = *o.InboxFolderID
	}
	if o.MaxUploadMB.Set {
		l.MaxUploadBytes = 0
		if m := o.MaxUploadMB.Value; m != nil {
			if *m < 1 || *m > 1<<30 {
				return errs.Invalidf("max_upload_mb must be a whole number of megabytes from 1 up, or null for the site's limit")
			}
			l.MaxUploadBytes = *m << 20
		}
	}
	if o.Note != nil {
		if l.Note, err = assets.CleanText("note", *o.Note, 2000, false); err != nil {
			return err
		}
	}
	if o.RequireRegistration != nil {
		l.RequireRegistration = *o.RequireRegistration
	}
	if o.FormID != nil {
		l.FormID = *o.FormID
	}
	if l.FormID != "" {
		l.RequireRegistration = true
	}
	if o.ClickwrapID != nil {
		l.ClickwrapID = *o.ClickwrapID
	}
	if o.AccessControl != nil {
		switch *o.AccessControl {
		case "", AccessAnyone:
			l.AccessControl = ""
		case AccessEmailed:
			l.AccessControl = AccessEmailed
		default:
			return errs.Invalidf("access_control must be anyone or emailed")
		}
	}
	if l.Kind == KindDownload && (l.RequireRegistration || l.ClickwrapID != "" || l.AccessControl != "" || l.InboxFolderID != "") {
		return errs.Invalidf("a direct download link takes a name and an expiry only")
	}
	return nil
}

// Access control of a link.
const (
	AccessAnyone  = "anyone"
	AccessEmailed = "emailed"
)
