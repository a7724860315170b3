// Package sharing is the owner's side of share links: the share menus and
// dialogs, the share drawer, the Sharing page (links, forms, clickwraps,
// settings) and Links > Share.
package sharing

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The owner's side of share links: the share menus, the create and edit
// dialog, the dialog with the new link and its QR code, the access log,
// the Share section of assets, folders and collections, and Links > Share.
//
// Every page that shares puts a Dialogs first in its content and
// talks to it with openShare; the dialogs send reloadAction when a link
// changed, so the page loads its lists again.

// shareAction carries a shareRequest to the page's Dialogs.
const shareAction = "ferry:share"

// Target is what a new link shares.
type Target struct {
	Type      string // asset, assets (a new collection), collection or folder
	ID        string // the asset, collection or folder; "" for assets
	ProjectID string
	Name      string
	// Assets are the files shared, when the page has them at hand; the
	// dialog loads them otherwise, to tell which options make sense.
	Assets []model.Asset
}

// shareRequest asks the share dialogs to do something.
type shareRequest struct {
	op     string // create, edit, qr, log, delete, revoke, email or unlock
	kind   string // public or download, for create
	target Target
	link   model.ShareLink
}

// openShare hands r to the page's Dialogs.
func openShare(ctx app.Context, r shareRequest) { ctx.NewActionWithValue(shareAction, r) }

// shareRenditions are the proxies a link may let visitors download.
var shareRenditions = []struct{ key, label string }{
	{"thumb", "Thumbnail (320 px)"},
	{"preview", "Preview (1280 px)"},
	{"large", "Large (2560 px)"},
}

// shareMediaRenditions are the playable proxies a link may let visitors
// download (watching them needs no download permission).
var shareMediaRenditions = []struct{ key, group, label, hint string }{
	{"video", "Video", "Video (H.264 MP4)", "Every size made (540p, 720p, 1080p as configured)"},
	{"audio", "Audio", "Audio (AAC)", "Not offered on a link that shows the watermark"},
}

// hasOriginal reports whether a's original can be downloaded.
func hasOriginal(a model.Asset) bool {
	return a.Type == "version_stack" || (a.Type == "file" && a.UploadCompletedAt != nil)
}

// DownloadReason says why no direct download link can be made of a, or "".
func DownloadReason(a model.Asset) string {
	switch {
	case a.Type == "version_stack":
		return "Open a version to make its download link"
	case a.Type != "file":
		return "Only for a single file"
	case a.UploadCompletedAt == nil:
		return "The original has not finished uploading"
	}
	return ""
}

func isImageAsset(a model.Asset) bool {
	return strings.HasPrefix(a.Filetype, "image/") || a.ProxyStatus == "ready"
}

// shareCaps says what the shared files can offer a visitor. When they are
// not known (a folder with subfolders, or not loaded yet) every option is
// offered and the server decides.
type shareCaps struct {
	known                                  bool
	original, proxies, attachments, images bool
}

func capsOf(assets []model.Asset) shareCaps {
	c := shareCaps{known: true}
	for _, a := range assets {
		if a.Type == "folder" {
			return shareCaps{}
		}
		c.original = c.original || hasOriginal(a)
		c.proxies = c.proxies || a.ProxyStatus == "ready"
		c.attachments = c.attachments || a.Attachments > 0
		c.images = c.images || isImageAsset(a)
	}
	return c
}

// internalURL is the app's own address of path, for signed-in users.
func internalURL(path string) string {
	if !app.IsClient {
		return path
	}
	return app.Window().Get("location").Get("origin").String() + path
}

// CopyInternal copies the internal link of path and says so.
func CopyInternal(ctx app.Context, path string) {
	ui.CopyText(internalURL(path))
	shell.Toast(ctx, "Link copied")
}

// shareForm is the create or edit dialog while it is open.
type shareForm struct {
	kind   string
	target Target
	link   *model.ShareLink // the link edited; nil when creating
	caps   shareCaps
	now    time.Time // when the dialog opened: the default names

	name, collectionName, description string
	original, proxy, attachments      bool
	proxies                           map[string]bool
	protection                        linkui.Protection
	maxUses                           string
	watermark                         bool
	faceSearch                        bool // allow_face_search
	personNames                       bool // show_person_names

	// Governance: what visitors may do, who may open the link.
	actions          string // allowed_actions
	inbox            string // inbox_folder_id
	maxUploadMB      string
	key              string
	keyErr           string
	note             string
	register         bool
	formID           string
	clickwrapID      string
	accessControl    string // anyone or emailed
	expiresTouched   bool
	passwordRequired bool

	// What the dialog learns after it opens; nil or empty until known.
	settings   *model.SharingSettings
	priv       *model.Privilege
	forms      []model.ShareForm
	clickwraps []model.Clickwrap
	folders    []model.FolderPath

	contents bool // the Contents editor is open

	busy bool
	err  string
}

func newShareForm(kind string, t Target) *shareForm {
	f := &shareForm{kind: kind, target: t, now: time.Now(), proxies: map[string]bool{}, actions: "download", accessControl: "anyone",
		protection: linkui.Protection{Prefix: "sl"}}
	if t.Assets != nil {
		f.caps = capsOf(t.Assets)
	}
	// A link gives the originals unless told otherwise.
	f.original = !f.caps.known || f.caps.original
	return f
}

func editShareForm(l model.ShareLink) *shareForm {
	t := Target{Type: l.TargetType, ID: l.TargetID, ProjectID: l.ProjectID, Name: l.TargetName}
	f := newShareForm(l.Kind, t)
	f.link = &l
	f.name, f.description = l.Name, l.Description
	f.original, f.attachments, f.watermark = l.AllowOriginal, l.AllowAttachments, l.Watermark
	f.faceSearch, f.personNames = l.AllowFaceSearch, l.ShowPersonNames
	for _, r := range l.AllowProxies {
		f.proxies[r] = true
	}
	f.proxy = len(l.AllowProxies) > 0
	f.protection = linkui.ProtectionOf("sl", l.ExpiresAt, l.HasPassword)
	if l.MaxUses != nil {
		f.maxUses = strconv.Itoa(*l.MaxUses)
	}
	if l.AllowedActions != "" {
		f.actions = l.AllowedActions
	}
	f.inbox, f.key, f.note = l.InboxFolderID, l.Key, l.Note
	if l.MaxUploadMB != nil {
		f.maxUploadMB = strconv.FormatInt(*l.MaxUploadMB, 10)
	}
	f.register, f.formID, f.clickwrapID = l.RequireRegistration || l.FormID != "", l.FormID, l.ClickwrapID
	if l.AccessControl == "emailed" {
		f.accessControl = "emailed"
	}
	f.expiresTouched = true
	return f
}

func (f *shareForm) defaultName() string { return "Link from " + f.now.Format("2 Jan 2006, 15:04") }

func (f *shareForm) defaultCollectionName() string {
	return "New collection from " + f.now.Format("2 Jan 2006")
}

// reason says why an option is off, or "" when it may be chosen. An option
// a link already has stays available, so an edit can take it away.
func (f *shareForm) reason(option string, on bool) string {
	if on || !f.caps.known {
		return ""
	}
	single := f.target.Type == "asset"
	switch option {
	case "original":
		if !f.caps.original {
			return map[bool]string{true: "This file has no original to download", false: "None of these files has an original to download"}[single]
		}
	case "proxy":
		if !f.caps.proxies {
			return map[bool]string{true: "No proxies were made of this file", false: "No proxies were made of these files"}[single]
		}
	case "attachments":
		if !f.caps.attachments {
			return map[bool]string{true: "This file has no attachments", false: "None of these files has attachments"}[single]
		}
	}
	return ""
}

// watermarkReason says why the watermark cannot be shown, or "".
func (f *shareForm) watermarkReason(wm *model.WatermarkSettings) string {
	if f.watermark {
		return ""
	}
	if f.caps.known && !f.caps.images {
		return "Only images can be watermarked"
	}
	if wm != nil && !wm.Configured {
		return "No watermark is configured (Settings > Watermark)"
	}
	return ""
}

// body is what the API takes to create or change the link, or a message
// saying what to fix.
func (f *shareForm) body() (model.ShareLinkPatch, string) {
	var in model.ShareLinkPatch
	name := strings.TrimSpace(f.name)
	if name == "" && f.link == nil {
		name = f.defaultName()
	}
	if name != "" {
		in.Name = &name
	}
	var msg string
	if in.ExpiresAt, msg = f.protection.ExpiresAt(); msg != "" {
		return in, msg
	}
	if msg := f.governance(&in); msg != "" {
		return in, msg
	}
	if f.kind == "download" {
		return in, ""
	}
	in.Description = fetch.Ptr(strings.TrimSpace(f.description))
	in.AllowOriginal = fetch.Ptr(f.original)
	in.AllowAttachments = fetch.Ptr(f.attachments)
	if f.faceSearch || f.link != nil && f.link.AllowFaceSearch {
		in.AllowFaceSearch = fetch.Ptr(f.faceSearch)
		in.ShowPersonNames = fetch.Ptr(f.faceSearch && f.personNames)
	}
	proxies := []string{}
	if f.proxy {
		for _, r := range shareRenditions {
			if f.proxies[r.key] {
				proxies = append(proxies, r.key)
			}
		}
		for _, r := range shareMediaRenditions {
			if f.proxies[r.key] {
				proxies = append(proxies, r.key)
			}
		}
		if len(proxies) == 0 {
			return in, "Pick at least one proxy size, or uncheck Proxy."
		}
	}
	in.AllowProxies = &proxies
	in.Watermark = fetch.Ptr(f.watermark)
	uses, msg := linkui.OptionalLimit(f.maxUses, "Max uses")
	if msg != "" {
		return in, msg
	}
	in.MaxUses = model.Opt[int]{Set: true, Value: uses}
	var missing bool
	in.Password, in.RemovePassword, missing = f.protection.PasswordChange()
	switch {
	case missing && f.passwordRequired:
		return in, "This site requires a password on new share links: type one or click Generate."
	case missing:
		return in, "Type a password or click Generate, or turn off the password."
	}
	return in, ""
}

// newShareLink is the create request for what body gave: the same fields,
// with what the form leaves unset left out.
func newShareLink(p model.ShareLinkPatch) model.NewShareLink {
	val := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	n := model.NewShareLink{
		Name: val(p.Name), Description: val(p.Description), AllowOriginal: p.AllowOriginal, AllowAttachments: p.AllowAttachments,
		ExpiresAt: p.ExpiresAt, Password: val(p.Password), MaxUses: p.MaxUses.Value, Watermark: p.Watermark != nil && *p.Watermark,
		Key: val(p.Key), AllowedActions: val(p.AllowedActions), InboxFolderID: val(p.InboxFolderID), MaxUploadMB: p.MaxUploadMB,
		Note: val(p.Note), RequireRegistration: p.RequireRegistration != nil && *p.RequireRegistration, FormID: val(p.FormID),
		ClickwrapID: val(p.ClickwrapID), AccessControl: val(p.AccessControl), AllowFaceSearch: p.AllowFaceSearch,
		ShowPersonNames: p.ShowPersonNames,
	}
	if p.AllowProxies != nil {
		n.AllowProxies = *p.AllowProxies
	}
	return n
}

// shareLog is the access log dialog while it is open.
type shareLog struct {
	link    model.ShareLink
	entries []model.AccessLogEntry
	loaded  bool
	err     string
}

// Create opens the dialog that makes a new link of kind (public or
// download) to t.
func Create(ctx app.Context, kind string, t Target) {
	openShare(ctx, shareRequest{op: "create", kind: kind, target: t})
}
