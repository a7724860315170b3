package share

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

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
