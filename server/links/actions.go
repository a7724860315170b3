package links

import (
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// Allowed actions of a share link: what its visitors may do.
const (
	ActionPreview        = "preview"
	ActionDownload       = "download"
	ActionUpload         = "upload"
	ActionUploadDownload = "upload_download"
	ActionFull           = "full"
)

// Actions lists the allowed actions, least first.
var Actions = []string{ActionPreview, ActionDownload, ActionUpload, ActionUploadDownload, ActionFull}

// Mode is the link's allowed actions ("" in links made before they existed: download).
func (l Link) Mode() string {
	if l.AllowedActions == "" {
		return ActionDownload
	}
	return l.AllowedActions
}

// CanDownload says whether visitors may download anything at all.
func (l Link) CanDownload() bool {
	switch l.Mode() {
	case ActionDownload, ActionUploadDownload, ActionFull:
		return true
	}
	return false
}

// CanSee says whether visitors see the link's contents.
func (l Link) CanSee() bool { return l.Mode() != ActionUpload }

// CanUpload says whether visitors may upload, through the mode or an inbox.
func (l Link) CanUpload() bool {
	switch l.Mode() {
	case ActionUpload, ActionUploadDownload, ActionFull:
		return true
	}
	return l.InboxFolderID != ""
}

// CanModify says whether visitors may rename, move, copy and delete.
func (l Link) CanModify() bool { return l.Mode() == ActionFull }

// checkActions validates the allowed actions of l for its creator v: a
// known mode, a folder for modes with uploads, and no more than v may do.
func (s *Service) checkActions(v assets.Viewer, l *Link) error {
	known := false
	for _, a := range Actions {
		known = known || a == l.Mode()
	}
	if !known {
		return errs.Invalidf("allowed_actions must be one of preview, download, upload, upload_download or full")
	}
	if l.Kind == KindDownload && l.Mode() != ActionDownload {
		return errs.Invalidf("a direct download link only downloads")
	}
	switch l.Mode() {
	case ActionUpload, ActionUploadDownload, ActionFull:
		if l.TargetType != "folder" {
			return errs.New(errs.Invalid, "folder_required", "visitors can only upload into a folder: share one folder (not files or a collection) to allow uploads")
		}
	}
	return nil
}
