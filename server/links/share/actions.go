package share

import (
	"github.com/ferryhq/ferry/server/access"
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

// Mode is the link's allowed actions ("" in links made before they
// existed: download). A "download" link that allows no original, no
// rendition and no attachment offers nothing to download: it is, and says
// it is, previews only (Picvario: "if nothing is selected, the asset will
// be available for viewing only").
func (l Link) Mode() string {
	m := l.AllowedActions
	if m == "" {
		m = ActionDownload
	}
	if m == ActionDownload && !l.offersDownloads() {
		return ActionPreview
	}
	return m
}

// offersDownloads says whether l allows any kind of download at all.
func (l Link) offersDownloads() bool {
	return l.AllowOriginal || len(l.AllowProxies) > 0 || l.AllowAttachments
}

// downloadDefaults sets what a link asked for with allowed actions mode,
// and none of allow_original, allow_proxies, allow_attachments, downloads:
// a mode with downloads (Files.com's default, "Downloads") downloads the
// originals; no mode (or previews only) is view-only.
func (l *Link) downloadDefaults(mode string) {
	switch mode {
	case ActionDownload, ActionUploadDownload, ActionFull:
		l.AllowOriginal = true
	}
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

// modeAction is what a member must be allowed to do on a folder to share
// it with a mode: visitors can never do more than the link's creator.
var modeAction = map[string]access.Action{
	ActionPreview:        access.Preview,
	ActionDownload:       access.Download,
	ActionUpload:         access.Upload,
	ActionUploadDownload: access.Upload, // upload includes download
	ActionFull:           access.Modify,
}

// checkActions validates the allowed actions and inbox of l for its
// creator v: a known mode, a folder for modes with uploads, an inbox only
// on preview and download links, and no more than v may do: v must hold
// the share privilege and the mode's access on every folder the link
// reaches, and upload access to its inbox.
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
	ids, err := s.sharedAssets(v, *l)
	if err != nil {
		return err
	}
	policy := s.Policy()
	for _, id := range ids {
		if err := policy.MayShare(v, id); err != nil {
			return err
		}
		if err := policy.Member(v, id, modeAction[l.Mode()], "sharing with "+l.Mode()+" access"); err != nil {
			return err
		}
	}
	if l.InboxFolderID != "" {
		return s.checkInbox(v, *l)
	}
	return nil
}

// sharedAssets lists what l reaches directly: its folder or asset, or the
// assets of its collection (privileges are checked on each one's folder).
func (s *Service) sharedAssets(v assets.Viewer, l Link) ([]string, error) {
	if l.TargetType != "collection" {
		return []string{l.TargetID}, nil
	}
	c, err := s.Assets.GetCollection(v, l.TargetID)
	if err != nil {
		return nil, err
	}
	return c.AssetIDs, nil
}

// checkInbox validates the associated inbox of l: a folder of the link's
// project, outside what the link shows (or visitors would see each
// other's uploads), where v may upload.
func (s *Service) checkInbox(v assets.Viewer, l Link) error {
	switch l.Mode() {
	case ActionPreview, ActionDownload:
	default:
		return errs.New(errs.Invalid, "inbox_not_allowed", "an inbox is for preview and download links; with %s, visitors upload into the shared folder itself", l.Mode())
	}
	if l.Kind == KindDownload {
		return errs.New(errs.Invalid, "inbox_not_allowed", "a direct download link cannot have an inbox")
	}
	f, err := s.Assets.GetAsset(v, l.InboxFolderID)
	if err != nil || f.Type != assets.TypeFolder || f.ProjectID != l.ProjectID || f.UploadStatus != "" {
		return errs.Invalidf("inbox_folder_id %s is not a folder of this link's project", l.InboxFolderID)
	}
	if l.TargetType == "folder" {
		inside, err := s.inFolder(l.TargetID, f.ID)
		if err != nil {
			return err
		}
		if inside {
			return errs.New(errs.Invalid, "inbox_inside_link", "the inbox %q is inside the shared folder, so visitors would see what others upload; choose a folder outside it", f.Name)
		}
	}
	if l.TargetType == "collection" {
		ids, err := s.sharedAssets(v, l)
		if err != nil {
			return err
		}
		if err := s.inboxOutside(l, ids); err != nil {
			return err
		}
	}
	return s.Policy().Member(v, f.ID, access.Upload, "receiving uploads in an inbox")
}
