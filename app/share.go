package app

import (
	"crypto/rand"
	"math/big"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// The owner's side of share links: the share menus, the create and edit
// dialog, the dialog with the new link and its QR code, the access log,
// the Share section of assets, folders and collections, and Links > Share.
//
// Every page that shares puts a shareDialogs first in its content and
// talks to it with openShare; the dialogs send reloadAction when a link
// changed, so the page loads its lists again.

// shareAction carries a shareRequest to the page's shareDialogs.
const shareAction = "ferry:share"

// shareTarget is what a new link shares.
type shareTarget struct {
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
	target shareTarget
	link   model.ShareLink
}

// openShare hands r to the page's shareDialogs.
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

// downloadReason says why no direct download link can be made of a, or "".
func downloadReason(a model.Asset) string {
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

// copyInternal copies the internal link of path and says so.
func copyInternal(ctx app.Context, path string) {
	copyText(internalURL(path))
	toast(ctx, "Link copied")
}

// shareForm is the create or edit dialog while it is open.
type shareForm struct {
	kind   string
	target shareTarget
	link   *model.ShareLink // the link edited; nil when creating
	caps   shareCaps
	now    time.Time // when the dialog opened: the default names

	name, collectionName, description string
	original, proxy, attachments      bool
	proxies                           map[string]bool
	expires                           bool
	expiresOn                         string
	password                          bool
	newPassword                       string
	maxUses                           string
	watermark                         bool
	faceSearch                        bool // allow_face_search

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

func newShareForm(kind string, t shareTarget) *shareForm {
	f := &shareForm{kind: kind, target: t, now: time.Now(), proxies: map[string]bool{}, actions: "download", accessControl: "anyone"}
	if t.Assets != nil {
		f.caps = capsOf(t.Assets)
	}
	// A link gives the originals unless told otherwise.
	f.original = !f.caps.known || f.caps.original
	return f
}

func editShareForm(l model.ShareLink) *shareForm {
	t := shareTarget{Type: l.TargetType, ID: l.TargetID, ProjectID: l.ProjectID, Name: l.TargetName}
	f := newShareForm(l.Kind, t)
	f.link = &l
	f.name, f.description = l.Name, l.Description
	f.original, f.attachments, f.watermark = l.AllowOriginal, l.AllowAttachments, l.Watermark
	f.faceSearch = l.AllowFaceSearch
	for _, r := range l.AllowProxies {
		f.proxies[r] = true
	}
	f.proxy = len(l.AllowProxies) > 0
	if l.ExpiresAt != nil {
		f.expires, f.expiresOn = true, l.ExpiresAt.Local().Format("2006-01-02")
	}
	f.password = l.HasPassword
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
	in.ExpiresAt = model.Null[time.Time]()
	if f.expires {
		day, err := time.ParseInLocation("2006-01-02", f.expiresOn, time.Local)
		if err != nil {
			return in, "Pick the day the link expires, or turn off the expiration date."
		}
		// The link works through the whole chosen day.
		end := day.AddDate(0, 0, 1).Add(-time.Second)
		if end.Before(time.Now()) {
			return in, "The expiration date has passed; pick a later day."
		}
		in.ExpiresAt = model.Set(end)
	}
	if msg := f.governance(&in); msg != "" {
		return in, msg
	}
	if f.kind == "download" {
		return in, ""
	}
	in.Description = ptr(strings.TrimSpace(f.description))
	in.AllowOriginal = ptr(f.original)
	in.AllowAttachments = ptr(f.attachments)
	if f.faceSearch || f.link != nil && f.link.AllowFaceSearch {
		in.AllowFaceSearch = ptr(f.faceSearch)
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
	in.Watermark = ptr(f.watermark)
	uses, msg := optionalLimit(f.maxUses, "Max uses")
	if msg != "" {
		return in, msg
	}
	in.MaxUses = model.Opt[int]{Set: true, Value: uses}
	pw := f.newPassword
	switch {
	case f.password && pw != "":
		in.Password = &pw
	case f.password && (f.link == nil || !f.link.HasPassword):
		if f.passwordRequired {
			return in, "This site requires a password on new share links: type one or click Generate."
		}
		return in, "Type a password or click Generate, or turn off the password."
	case !f.password && f.link != nil && f.link.HasPassword:
		in.RemovePassword = true
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

// shareDialogs are the dialogs of share links: create and edit, the new
// link, its QR code, its access log and the question before deleting it.
// A page puts it first in its content, where it keeps its place.
type shareDialogs struct {
	app.Compo

	form     *shareForm
	created  *model.ShareLink
	qr       *model.ShareLink
	log      *shareLog
	confirm  *model.ShareLink
	revoking bool // the confirm says Revoke, as on the Sharing page
	email    *model.ShareLink
	busy     bool
	err      string

	wm    *model.WatermarkSettings // nil until known
	faces *model.FaceSettings      // nil until known: whether links may offer search by people
}

func (d *shareDialogs) OnMount(ctx app.Context) {
	ctx.Handle(shareAction, func(ctx app.Context, a app.Action) {
		if r, ok := a.Value.(shareRequest); ok {
			d.handle(ctx, r)
		}
	})
}

// handle runs in the context of the dialogs themselves, which stay
// mounted, so the answers of what it starts always arrive.
func (d *shareDialogs) handle(ctx app.Context, r shareRequest) {
	if r.op == "unlock" {
		d.unlock(ctx, r.link)
		return
	}
	d.form, d.created, d.qr, d.log, d.confirm, d.email, d.busy, d.err = nil, nil, nil, nil, nil, nil, false, ""
	switch r.op {
	case "create":
		d.openForm(ctx, newShareForm(r.kind, r.target))
	case "edit":
		d.openForm(ctx, editShareForm(r.link))
	case "qr":
		l := r.link
		d.qr = &l
	case "log":
		d.openLog(ctx, r.link)
	case "delete", "revoke":
		l := r.link
		d.confirm, d.revoking = &l, r.op == "revoke"
	case "email":
		l := r.link
		d.email = &l
	}
}

func (d *shareDialogs) openForm(ctx app.Context, f *shareForm) {
	d.form = f
	focusAfterRender("#sl-form input:not([type=hidden]):not(:disabled)")
	d.loadGovernance(ctx, f)
	if f.kind == "public" && (d.wm == nil || !d.wm.Configured) {
		ctx.Async(func() {
			wm, err := api.Watermark()
			ctx.Dispatch(func(ctx app.Context) {
				if err == nil {
					d.wm = &wm
				}
			})
		})
	}
	if f.kind == "public" {
		d.loadFaceSetting(ctx)
	}
	if f.target.Assets != nil || f.kind != "public" {
		return
	}
	t := f.target
	ctx.Async(func() {
		var items []model.Asset
		var err error
		switch t.Type {
		case "asset":
			var a model.Asset
			if a, err = api.Asset(t.ID); err == nil {
				items = []model.Asset{a}
			}
		case "collection":
			items, err = api.CollectionItems(t.ID, allPages())
		case "folder":
			items, err = api.Children(t.ID, allPages())
		}
		ctx.Dispatch(func(ctx app.Context) {
			// Without the files every option stays offered.
			if err == nil && d.form == f {
				f.caps = capsOf(items)
				if f.link == nil {
					f.original = f.original && f.caps.original
				}
			}
		})
	})
}

func (d *shareDialogs) close(ctx app.Context, e app.Event) {
	if d.busy || (d.form != nil && d.form.busy) {
		return
	}
	d.form, d.created, d.qr, d.log, d.confirm, d.email, d.err = nil, nil, nil, nil, nil, nil, ""
}

func (d *shareDialogs) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f := d.form
	in, msg := f.body()
	if msg != "" {
		f.err = msg
		return
	}
	var create *model.NewShareLink
	if f.link == nil {
		n := newShareLink(in)
		n.Kind = f.kind
		t := f.target
		switch t.Type {
		case "asset":
			n.AssetIDs = []string{t.ID}
		case "assets":
			n.AssetIDs = make([]string, len(t.Assets))
			for i, a := range t.Assets {
				n.AssetIDs[i] = a.ID
			}
			n.CollectionName = strings.TrimSpace(f.collectionName)
			if n.CollectionName == "" {
				n.CollectionName = f.defaultCollectionName()
			}
		case "collection":
			n.CollectionID = t.ID
		case "folder":
			n.FolderID = t.ID
		}
		create = &n
	}
	f.busy, f.err = true, ""
	ctx.Async(func() {
		var out model.ShareLink
		var err error
		if create != nil {
			out, err = api.CreateShareLink(*create)
		} else {
			out, err = api.UpdateShareLink(f.link.ID, in)
		}
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				if e, ok := err.(*client.Error); ok && (e.Code == "key_taken" || e.Code == "invalid_key") {
					f.keyErr = err.Error()
					return
				}
				f.err = err.Error()
				return
			}
			if f.link != nil {
				d.form = nil
				toast(ctx, "Link saved")
			} else {
				d.form, d.created = nil, &out
				focusAfterRender("#sl-copy-link")
			}
			reload(ctx)
		})
	})
}

func (d *shareDialogs) unlock(ctx app.Context, l model.ShareLink) {
	ctx.Async(func() {
		_, err := api.UpdateShareLink(l.ID, model.ShareLinkPatch{Locked: ptr(false)})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				toast(ctx, "Not unlocked: "+err.Error())
				return
			}
			if d.form != nil && d.form.link != nil && d.form.link.ID == l.ID {
				d.form.link.Locked = false
			}
			toast(ctx, "Link unlocked")
			reload(ctx)
		})
	})
}

func (d *shareDialogs) openLog(ctx app.Context, l model.ShareLink) {
	lg := &shareLog{link: l}
	d.log = lg
	ctx.Async(func() {
		entries, err := api.ShareLinkAccessLog(l.ID)
		ctx.Dispatch(func(ctx app.Context) {
			lg.loaded = true
			if err != nil {
				lg.err = err.Error()
				return
			}
			sort.SliceStable(entries, func(i, j int) bool { return entries[i].Time.After(entries[j].Time) })
			lg.entries = entries
		})
	})
}

func (d *shareDialogs) remove(ctx app.Context, e app.Event) {
	l := d.confirm
	d.busy, d.err = true, ""
	ctx.Async(func() {
		err := api.DeleteShareLink(l.ID)
		ctx.Dispatch(func(ctx app.Context) {
			d.busy = false
			if err != nil {
				d.err = err.Error()
				return
			}
			d.confirm = nil
			toast(ctx, map[bool]string{true: "Link revoked", false: "Link deleted"}[d.revoking])
			reload(ctx)
		})
	})
}

func (d *shareDialogs) Render() app.UI {
	switch {
	case d.form != nil:
		return d.renderForm()
	case d.created != nil:
		return d.renderCreated()
	case d.qr != nil:
		return d.renderQR()
	case d.log != nil:
		return d.renderLog()
	case d.confirm != nil:
		return d.renderConfirm()
	case d.email != nil:
		return d.renderEmail()
	}
	return app.Span().Class("share-dialogs")
}

func (d *shareDialogs) title() string {
	f := d.form
	switch {
	case f.link != nil:
		return "Edit link"
	case f.kind == "download":
		return "Create download link"
	case f.target.Type == "assets":
		return app.FormatString("Create link for %d assets", len(f.target.Assets))
	case f.target.Type == "collection":
		return "Create link to collection"
	case f.target.Type == "folder":
		return "Create link to folder"
	}
	return "Create public link"
}

func (d *shareDialogs) renderForm() app.UI {
	f := d.form
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	if f.link != nil && f.link.ExpiresAt != nil && f.link.ExpiresAt.Before(time.Now()) {
		tomorrow = time.Now().Format("2006-01-02")
	}
	public := f.kind == "public"
	return dialog(d.title(), d.close, []app.UI{
		app.Form().ID("sl-form").Class("sl-form").OnSubmit(d.submit).Body(
			shareTargetLine(f.target, f.link),
			errorBox(f.err),
			d.renderNoSharing(),
			app.If(f.link != nil && f.link.Locked, func() app.UI {
				l := *f.link
				return app.Div().Class("alert alert-error sl-locked").Body(
					app.Span().Text("Locked after too many wrong passwords: nobody can open it until you unlock it."),
					button("Unlock", "secondary", func(ctx app.Context, e app.Event) { d.unlock(ctx, l) }).
						Class("btn-sm").ID("sl-unlock"),
				)
			}),
			app.If(f.target.Type == "assets" && f.link == nil, func() app.UI {
				return field("Collection name", app.Input().ID("sl-collection-name").MaxLength(200).
					Placeholder(f.defaultCollectionName()).Value(f.collectionName).OnInput(d.ValueTo(&f.collectionName)), "")
			}),
			field("Link name", app.Input().ID("sl-name").MaxLength(200).Placeholder(f.defaultName()).
				Value(f.name).OnInput(d.ValueTo(&f.name)), ""),
			d.renderContents(),
			app.If(public, func() app.UI { return d.renderActions() }),
			app.If(public, func() app.UI { return d.renderUploads() }),
			d.renderKey(),
			app.If(public, func() app.UI { return d.renderDownloads() }),
			shareSwitch("sl-expires-toggle", "Set expiration date", f.expires, "", func(on bool) {
				f.expires, f.expiresTouched = on, true
				if on && f.expiresOn == "" {
					f.expiresOn = time.Now().AddDate(0, 0, 7).Format("2006-01-02")
				}
			}),
			app.If(f.expires, func() app.UI {
				return app.Div().Class("sl-sub").Body(
					field("Expires on", app.Input().ID("sl-expires").Type("date").Required(true).Min(tomorrow).
						Value(f.expiresOn).OnInput(func(ctx app.Context, e app.Event) {
						f.expiresOn, f.expiresTouched = ctx.JSSrc().Get("value").String(), true
					}), f.expiryHint()),
				)
			}),
			app.If(public, func() app.UI { return d.renderProtection() }),
			app.If(public && d.faces != nil && (d.faces.Enabled || f.faceSearch), d.renderFaceOption),
			d.renderNote(),
			app.If(public, func() app.UI { return d.renderGate() }),
			app.Div().Class("form-actions").Body(
				button("Cancel", "ghost", d.close),
				app.Button().Type("submit").ID("sl-submit").Class("btn btn-primary").Disabled(f.busy || f.blocked() != "").
					Title(f.blocked()).Text(d.submitLabel()),
			),
		),
	})
}

func (d *shareDialogs) submitLabel() string {
	f := d.form
	switch {
	case f.busy && f.link != nil:
		return "Saving…"
	case f.busy:
		return "Creating…"
	case f.link != nil:
		return "Save changes"
	}
	return "Create link"
}

// shareTargetLine says what the dialog shares.
func shareTargetLine(t shareTarget, l *model.ShareLink) app.UI {
	if t.Type == "assets" {
		return app.P().Class("sl-target muted small").Text(app.FormatString(
			"A new collection is made for the %d files, listed to you only; the link shares it.", len(t.Assets)))
	}
	if t.Name == "" {
		return nil
	}
	return app.P().Class("sl-target").Body(
		shareTargetIcon(t.Type), app.Span().Class("muted small").Text(shareTargetLabel(t.Type)+":"),
		app.Span().Class("sl-target-name").Title(t.Name).Text(t.Name),
		app.Span().Class("muted small sl-follows").Text(" · visitors always see the newest version"),
	)
}

func shareTargetLabel(typ string) string {
	switch typ {
	case "collection":
		return "Collection"
	case "folder":
		return "Folder"
	}
	return "File"
}

func shareTargetIcon(typ string) app.UI {
	switch typ {
	case "collection":
		return icon("collection")
	case "folder":
		return icon("folder")
	}
	return icon("file")
}

// renderDownloads is Allow to download, and the proxies when allowed.
func (d *shareDialogs) renderDownloads() app.UI {
	f := d.form
	off := f.downloadsOff()
	why := func(option string, on bool) string {
		if off != "" {
			return off
		}
		return f.reason(option, on)
	}
	return app.FieldSet().Class("sl-fieldset").Body(
		app.Legend().Class("field-label").Text("Allow to download"),
		shareCheck("sl-allow-original", "Original", "The file as it was uploaded", f.original, why("original", f.original),
			func(on bool) { f.original = on }),
		shareCheck("sl-allow-proxy", "Proxy", "Renditions Ferry made, in the sizes you pick", f.proxy, why("proxy", f.proxy),
			func(on bool) {
				f.proxy = on
				if on && len(f.proxies) == 0 {
					for _, r := range shareRenditions {
						f.proxies[r.key] = true
					}
				}
			}),
		app.If(f.proxy && off == "", func() app.UI {
			return app.Div().Class("sl-proxies").ID("sl-proxies").Body(
				app.Div().Class("sl-group-label").Text("Image"),
				app.Range(shareRenditions).Slice(func(i int) app.UI {
					r := shareRenditions[i]
					return shareCheck("sl-proxy-"+r.key, r.label, "", f.proxies[r.key], "", func(on bool) { f.proxies[r.key] = on })
				}),
				app.Range(shareMediaRenditions).Slice(func(i int) app.UI {
					r := shareMediaRenditions[i]
					return app.Div().Body(
						app.Div().Class("sl-group-label").Text(r.group),
						shareCheck("sl-proxy-"+r.key, r.label, r.hint, f.proxies[r.key], "", func(on bool) { f.proxies[r.key] = on }),
					)
				}),
			)
		}),
		shareCheck("sl-allow-attachments", "Attachments", "Supporting files attached to each file", f.attachments,
			why("attachments", f.attachments), func(on bool) { f.attachments = on }),
		app.If(off == "", func() app.UI {
			return app.P().Class("field-hint sl-view-only").Text(map[bool]string{
				true:  "Nothing checked: visitors can only view.",
				false: "Visitors can view and download what is checked, one by one or as a zip.",
			}[!f.original && !f.proxy && !f.attachments])
		}),
	)
}

// renderProtection is the password, max uses, watermark and description.
func (d *shareDialogs) renderProtection() app.UI {
	f := d.form
	keeps := f.link != nil && f.link.HasPassword
	pwHint := ""
	if keeps {
		pwHint = "Leave blank to keep the current password; a new one replaces it and ends the visits of everyone who unlocked with the old one."
	}
	wmReason := f.watermarkReason(d.wm)
	return app.Div().Body(
		shareSwitch("sl-password-toggle", "Set password", f.password, f.passwordLock(), func(on bool) { f.password = on }),
		app.If(f.password, func() app.UI {
			placeholder := "Password"
			if keeps {
				placeholder = "New password"
			}
			return app.Div().Class("sl-sub").Body(
				app.Label().Class("field").Body(
					app.Span().Class("sr-only").Text("Password"),
					app.Div().Class("sl-inline").Body(
						app.Input().ID("sl-password").Type("text").Attr("autocomplete", "new-password").Attr("spellcheck", "false").
							Placeholder(placeholder).Value(f.newPassword).OnInput(d.ValueTo(&f.newPassword)),
						button("Generate", "secondary", func(ctx app.Context, e app.Event) {
							f.newPassword = randomPassword()
							copyText(f.newPassword)
							toast(ctx, "Password copied")
						}).ID("sl-generate"),
					),
					app.If(pwHint != "", func() app.UI { return app.Span().Class("field-hint").Text(pwHint) }),
				),
			)
		}),
		app.If(keeps && !f.password, func() app.UI {
			return app.P().Class("field-hint sl-sub sl-remove-note").Text("Saving removes the password: anyone with the link can open it.")
		}),
		shareSwitch("sl-watermark", "Show watermark", f.watermark, wmReason, func(on bool) { f.watermark = on }),
		app.If(wmReason == "", func() app.UI {
			return app.P().Class("field-hint sl-sub").Text("Previews, image proxies and videos carry the site watermark (burned into the video once, on first play); originals stay untouched; audio plays as it is and is not offered as a download.")
		}),
		app.Div().Class("sl-row").Body(
			field("Max uses", app.Input().ID("sl-max-uses").Type("number").Min(1).Step(1).Attr("inputmode", "numeric").
				Placeholder("Unlimited").Value(f.maxUses).OnInput(d.ValueTo(&f.maxUses)),
				"Each new visitor uses the link once."),
		),
		field("Public description", app.Textarea().ID("sl-description").Rows(3).MaxLength(2000).
			Placeholder("Shown to visitors above the files").Text(f.description).OnInput(d.ValueTo(&f.description)), ""),
	)
}

// shareCheck is a checkbox with a description, or the reason it is off.
func shareCheck(id, label, hint string, on bool, reason string, set func(bool)) app.UI {
	cls := "sl-check"
	if reason != "" {
		cls += " is-off"
		hint = reason
	}
	return app.Label().Class(cls).Body(
		app.Input().Type("checkbox").ID(id).Checked(on).Disabled(reason != "").
			OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("checked").Bool()) }),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(hint != "", func() app.UI { return app.Span().Class("sl-check-hint").Text(hint) }),
		),
	)
}

// shareSwitch is an on/off toggle with the reason it is off, if any.
func shareSwitch(id, label string, on bool, reason string, set func(bool)) app.UI {
	cls := "sl-switch"
	if reason != "" {
		cls += " is-off"
	}
	return app.Label().Class(cls).Body(
		app.Input().Type("checkbox").ID(id).Attr("role", "switch").Checked(on).Disabled(reason != "").
			OnChange(func(ctx app.Context, e app.Event) { set(ctx.JSSrc().Get("checked").Bool()) }),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(reason != "", func() app.UI { return app.Span().Class("sl-check-hint sl-reason").Text(reason) }),
		),
	)
}

// randomPassword is 16 letters and digits, without look-alikes.
func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand does not fail in the browser
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

func (d *shareDialogs) renderCreated() app.UI {
	l := *d.created
	title := "Link created"
	if l.Kind == "download" {
		title = "Download link created"
	}
	return dialog(title, d.close, []app.UI{
		app.Div().Class("sl-created").ID("sl-created").Body(
			app.Div().Class("alert alert-success").Text(shareCreatedNote(l)),
			app.Div().Class("field-label").Text(l.Name),
			app.Div().Class("copy-row").Body(
				app.Code().ID("sl-created-url").Text(l.URL),
				button("Copy link", "primary", func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }).ID("sl-copy-link"),
			),
			app.Div().Class("sl-created-actions").Body(
				app.If(l.EmbedCode != "", func() app.UI {
					return app.Button().Type("button").Class("btn btn-secondary").ID("sl-copy-embed").
						OnClick(func(ctx app.Context, e app.Event) { copyText(l.EmbedCode); toast(ctx, "Embed code copied") }).
						Body(shareIcon("code"), app.Span().Text("Copy embed code"))
				}),
				app.Button().Type("button").Class("btn btn-secondary").ID("sl-qr").
					OnClick(func(ctx app.Context, e app.Event) { d.created, d.qr = nil, &l }).
					Body(shareIcon("qr"), app.Span().Text("QR code")),
				app.If(l.Kind != "download", func() app.UI {
					return app.Button().Type("button").Class("btn btn-secondary").ID("sl-email-open").
						OnClick(func(ctx app.Context, e app.Event) { d.created, d.email = nil, &l }).
						Body(shareIcon("mail"), app.Span().Text("Share via email"))
				}),
			),
		),
	}, button("Close", "secondary", d.close).ID("sl-done"))
}

// shareCreatedNote says what the new link gives.
func shareCreatedNote(l model.ShareLink) string {
	var s string
	switch {
	case l.Kind == "download":
		s = "Anyone with this link downloads the original of " + l.TargetName + " directly."
	case l.TargetType == "collection":
		s = "Anyone with this link can see the collection " + l.TargetName + "."
	case l.TargetType == "folder":
		s = "Anyone with this link can see the folder " + l.TargetName + " and everything in it."
	default:
		s = "Anyone with this link can see " + l.TargetName + "."
	}
	if l.HasPassword {
		s += " They need the password you set."
	}
	if l.ExpiresAt != nil {
		s += " It works until " + l.ExpiresAt.Local().Format("2 Jan 2006") + "."
	}
	return s
}

func (d *shareDialogs) renderQR() app.UI {
	l := *d.qr
	base := "/api/v2/share_links/" + l.ID
	return dialog("QR code", d.close, []app.UI{
		app.Div().Class("sl-qr-box").ID("sl-qr-dialog").Body(
			app.Img().Class("sl-qr-img").ID("sl-qr-img").Src(base+"/qr.svg").Alt("QR code of "+l.URL),
			app.P().Class("muted small sl-qr-url").Text(l.URL),
			app.P().Class("field-hint").Text("Print it or put it on a slide: the camera of a phone opens the link."),
		),
	},
		app.A().Class("btn btn-secondary").ID("sl-qr-png").Href(base+"/qr.png?download=1").Attr("download", "").
			Body(icon("download"), app.Span().Text("Download PNG")),
		app.A().Class("btn btn-secondary").ID("sl-qr-svg").Href(base+"/qr.svg?download=1").Attr("download", "").
			Body(icon("download"), app.Span().Text("Download SVG")),
		button("Close", "secondary", d.close).ID("sl-qr-close"),
	)
}

var accessActions = map[string]string{
	"view":             "Viewed",
	"download":         "Downloaded",
	"zip":              "Downloaded zip",
	"failed_password":  "Wrong password",
	"contents_changed": "Files changed",
}

func (d *shareDialogs) renderLog() app.UI {
	lg := d.log
	csv := "/api/v2/share_links/" + lg.link.ID + "/access_log?format=csv"
	var body app.UI
	switch {
	case !lg.loaded:
		body = app.Div().Class("empty").Body(app.Div().Class("spinner"))
	case lg.err != "":
		body = errorBox(lg.err)
	case len(lg.entries) == 0:
		body = emptyState("globe", "Nobody has used this link yet", "Each visit and download through the link shows up here, newest first.", nil)
	default:
		body = accessLogTable(lg.entries)
	}
	return dialog("Access log: "+lg.link.Name, d.close, []app.UI{
		app.Div().Class("sl-log").ID("sl-log").Body(
			app.P().Class("muted small sl-log-sum").Text(app.FormatString("%s · %s · %s",
				plural(lg.link.Views, "view", "views"), plural(lg.link.Downloads, "download", "downloads"), shareUses(lg.link))),
			body,
		),
	},
		app.A().Class("btn btn-secondary").ID("sl-log-csv").Href(csv).Attr("download", "").Body(icon("download"), app.Span().Text("Export CSV")),
		button("Close", "secondary", d.close),
	)
}

// accessLogTable lists a link's access log entries, newest first.
func accessLogTable(entries []model.AccessLogEntry) app.UI {
	return app.Div().Class("table-card sl-log-scroll").Body(app.Table().Class("table sl-log-table").ID("sl-log-table").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("When"), app.Th().Text("What"), app.Th().Text("File"),
			app.Th().Text("Visitor"), app.Th().Class("num").Text("Size"))),
		app.TBody().Body(app.Range(entries).Slice(func(i int) app.UI {
			e := entries[i]
			what := accessActions[e.Action]
			if what == "" {
				what = e.Action
			}
			if e.Rendition != "" && e.Rendition != "original" {
				what += " (" + e.Rendition + ")"
			}
			if e.Detail != "" {
				what += " " + e.Detail
			}
			if e.By != "" {
				what += " by " + e.By
			}
			size := ""
			if e.Bytes > 0 {
				size = humanBytes(e.Bytes)
			}
			return app.Tr().Class("sl-log-row").DataSet("action", e.Action).Body(
				app.Td().Class("nowrap").Title(e.Time.Local().Format("2 Jan 2006, 15:04:05")).Text(e.Time.Local().Format("2 Jan, 15:04")),
				app.Td().Body(app.Span().Class(map[bool]string{true: "sl-log-bad", false: ""}[e.Action == "failed_password"]).Text(what)),
				app.Td().Class("sl-log-file").Title(e.AssetName).Text(valueOrDash(e.AssetName)),
				app.Td().Class("sl-log-who").Body(
					app.Div().Class("mono").Text(e.Address),
					app.Div().Class("muted small ellipsis").Title(e.UserAgent).Text(e.UserAgent),
				),
				app.Td().Class("num muted").Text(size),
			)
		})),
	))
}

func (d *shareDialogs) renderConfirm() app.UI {
	l := d.confirm
	if d.revoking {
		return d.renderRevoke()
	}
	return dialog("Delete \""+l.Name+"\"?", d.close, []app.UI{
		errorBox(d.err),
		app.P().Text("Deleting is permanent: access via this link will become impossible for everyone who has it, and its access log is deleted with it."),
		app.P().Class("muted small sl-confirm-note").Text(shareDeleteNote(*l)),
	},
		button("Cancel", "ghost", d.close),
		button(map[bool]string{true: "Deleting…", false: "Delete link"}[d.busy], "danger", d.remove).ID("sl-delete-confirm").Disabled(d.busy),
	)
}

func shareDeleteNote(l model.ShareLink) string {
	what := "The file"
	switch l.TargetType {
	case "collection":
		what = "The collection " + l.TargetName
	case "folder":
		what = "The folder " + l.TargetName
	}
	return what + " stays where it is; only the link goes. To stop a link for a while instead, edit it and set an expiration date."
}

// shareStatusBadge shows a link's status.
func shareStatusBadge(l model.ShareLink) app.UI {
	switch l.Status {
	case "active":
		return badge("Active", "green")
	case "expired":
		return badge("Expired", "grey")
	case "used_up":
		return app.Span().Class("badge badge-amber").Title("All its uses are used up; raise Max uses to open it again").Text("Used up")
	case "locked":
		return app.Span().Class("badge badge-red").Title("Locked after too many wrong passwords").Text("Locked")
	case "target_deleted":
		return app.Span().Class("badge badge-red").Title("What this link shared was deleted; visitors are told so").Text("Target deleted")
	}
	return badge(l.Status, "grey")
}

// shareExpiry says when a link stops, or stopped, working.
func shareExpiry(l model.ShareLink, now time.Time) string {
	switch {
	case l.ExpiresAt == nil:
		return "Never expires"
	case l.ExpiresAt.Sub(now) > 48*time.Hour:
		return "Expires " + l.ExpiresAt.Local().Format("2 Jan 2006")
	case l.ExpiresAt.After(now):
		return "Expires in " + roughDuration(l.ExpiresAt.Sub(now))
	}
	return "Expired " + roughAgo(now.Sub(*l.ExpiresAt))
}

func shareUses(l model.ShareLink) string {
	if l.MaxUses != nil {
		return app.FormatString("%d / %d uses", l.Uses, *l.MaxUses)
	}
	return plural(l.Uses, "use", "uses")
}

func shareKindLabel(kind string) string {
	if kind == "download" {
		return "Download link"
	}
	return "Public link"
}

// activeLinks counts the links that work now.
func activeLinks(ls []model.ShareLink) int {
	n := 0
	for _, l := range ls {
		if l.Status == "active" {
			n++
		}
	}
	return n
}

// chainIcon marks what n active links share; nothing when n is 0.
func chainIcon(n int) app.UI {
	if n <= 0 {
		return nil
	}
	label := "Public link is active."
	if n > 1 {
		label = app.FormatString("Public link is active. (%d links)", n)
	}
	return app.Span().Class("chain-icon").Title(label).Attr("aria-label", label).Attr("role", "img").DataSet("links", n).Body(shareIcon("chain"))
}

// linksLostNote warns what deleting something shared ends.
func linksLostNote(n int) string {
	if n <= 0 {
		return ""
	}
	return " Access via " + plural(n, "link", "links") + " will be lost."
}

// confirmWithLinks asks msg, naming the share links the delete would leave
// without a target (read by affected; n, the count known, when they cannot
// be read), and runs then if the member agrees.
func confirmWithLinks(ctx app.Context, affected func() ([]model.ShareLink, error), msg string, n int, then func(app.Context)) {
	ctx.Async(func() {
		out, err := affected()
		ctx.Dispatch(func(ctx app.Context) {
			note := linksLostNote(n)
			if err == nil {
				note = linksLostNote(len(out))
				if len(out) > 0 {
					names := make([]string, len(out))
					for i, l := range out {
						name := l.Name
						if name == "" {
							name = l.URL
						}
						names[i] = "\"" + name + "\""
					}
					note += "\n\nThese share links will stop working: " + strings.Join(names, ", ") + "."
				}
			}
			if app.Window().Call("confirm", msg+note).Bool() {
				then(ctx)
			}
		})
	})
}

// pageHeaderLinked is pageHeader with the chain icon of what the page
// shows when it has active links.
func pageHeaderLinked(title string, active int, actions ...app.UI) app.UI {
	return app.Div().Class("page-head").Body(
		app.Div().Body(app.H1().Class("sl-title").Body(app.Span().Text(title), chainIcon(active))),
		app.Div().Class("page-actions").Body(actions...),
	)
}

// linkScope ties a handler to one state of one link. go-app keeps the
// handler of an element as long as its function is the same code, so a row
// that now shows another link, or the same link changed, would otherwise
// act on what it showed before.
func linkScope(l model.ShareLink) app.EventOption {
	return app.EventScope(app.FormatString("%s/%s/%d/%d/%d/%s", l.ID, l.UpdatedAt.Format(time.RFC3339Nano), l.Uses, l.Views, l.Downloads, l.Status))
}

// shareLinkActions are the buttons of a link: edit, copy, embed, QR,
// access log, unlock and delete.
func shareLinkActions(l model.ShareLink) app.UI {
	req := func(op string) app.EventHandler {
		return func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			openShare(ctx, shareRequest{op: op, link: l})
		}
	}
	act := func(cls, iconName, label string, h app.EventHandler) app.UI {
		return app.Button().Type("button").Class("icon-btn "+cls).Title(label).Attr("aria-label", label+": "+l.Name).OnClick(h, linkScope(l)).Body(shareIcon(iconName))
	}
	return app.Div().Class("sl-actions").Body(
		act("sl-edit", "edit", "Edit link", req("edit")),
		act("sl-copy", "copy", "Copy link", func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }),
		app.If(l.EmbedCode != "", func() app.UI {
			return act("sl-embed", "code", "Copy embed code", func(ctx app.Context, e app.Event) {
				copyText(l.EmbedCode)
				toast(ctx, "Embed code copied")
			})
		}),
		act("sl-qr-btn", "qr", "QR code", req("qr")),
		act("sl-log-btn", "activity", "Access log", req("log")),
		app.If(l.Kind != "download", func() app.UI { return act("sl-email-btn", "mail", "Share via email", req("email")) }),
		app.If(l.Locked, func() app.UI { return act("sl-unlock-btn", "unlock", "Unlock", req("unlock")) }),
		act("sl-delete danger", "trash", "Delete link", req("delete")),
	)
}

// shareLinkRow is a link in a Share section: name, status, expiry, uses,
// its address (a click copies it) and its actions.
func shareLinkRow(l model.ShareLink) app.UI {
	cls := "share-link-row"
	if l.Status != "active" {
		cls += " is-faded"
	}
	return app.Div().Class(cls).DataSet("id", l.ID).DataSet("status", l.Status).Body(
		app.Div().Class("slr-head").Body(
			app.Span().Class("slr-kind").Title(shareKindLabel(l.Kind)).Body(shareIcon(map[bool]string{true: "download", false: "chain"}[l.Kind == "download"])),
			app.Span().Class("slr-name").Title(l.Name).Text(l.Name),
		),
		app.Button().Type("button").Class("slr-url").Title("Copy link").
			OnClick(func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }, linkScope(l)).Text(shareShortURL(l.URL)),
		app.Div().Class("slr-meta muted small").Body(
			shareStatusBadge(l),
			app.Span().Title(shareExpiryDate(l)).Text(shareExpiry(l, time.Now())),
			app.Span().Text(shareUses(l)),
			app.If(l.HasPassword, func() app.UI { return app.Span().Class("slr-pw").Title("Password protected").Body(shareIcon("lock")) }),
		),
		shareLinkActions(l),
	)
}

// shareShortURL drops the scheme: the rest is what people read.
func shareShortURL(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host + p.Path
	}
	return u
}

func shareExpiryDate(l model.ShareLink) string {
	if l.ExpiresAt == nil {
		return "No expiration date"
	}
	return l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")
}

// shareLinkList is the links of a Share section.
func shareLinkList(links []model.ShareLink, empty string) app.UI {
	if len(links) == 0 {
		if empty == "" {
			return nil
		}
		return app.P().Class("muted small sl-none").Text(empty)
	}
	return app.Div().Class("sl-list").Body(app.Range(links).Slice(func(i int) app.UI { return shareLinkRow(links[i]) }))
}

// shareMenuItem is an entry of a share menu; a reason disables it.
func shareMenuItem(id, iconName, label, reason string, h app.EventHandler) app.UI {
	b := app.Button().Type("button").ID(id).Class("menu-item sl-menu-item").Attr("role", "menuitem").Disabled(reason != "").Title(reason)
	if h != nil {
		b = b.OnClick(h)
	}
	return b.Body(
		shareIcon(iconName),
		app.Span().Class("sl-menu-text").Body(
			app.Span().Text(label),
			app.If(reason != "", func() app.UI { return app.Span().Class("sl-menu-reason").Text(reason) }),
		),
	)
}

// shareMenu is the dropdown of a Share button; a click outside closes it.
// firstMenuItem is the first item of an open share menu that can be used,
// where the keyboard focus goes when the menu opens.
const firstMenuItem = "#share-menu [role=menuitem]:not(:disabled)"

func shareMenu(closeMenu app.EventHandler, items ...app.UI) app.UI {
	return app.Div().Body(
		app.Div().Class("sl-menu-shield").OnClick(closeMenu),
		app.Div().Class("sl-menu").ID("share-menu").Attr("role", "menu").On("keydown", menuKeys(closeMenu)).Body(items...),
	)
}

// shareButton is a Share button that opens a menu.
func shareButton(id, label, kind string, open bool, toggle app.EventHandler) app.HTMLButton {
	return app.Button().Type("button").Class("btn btn-"+kind+" sl-share-btn").ID(id).Attr("aria-haspopup", "menu").
		Attr("aria-expanded", strconv.FormatBool(open)).OnClick(toggle).Body(icon("share"), app.Span().Text(label))
}

// ShareLinksPage is Links > Share: every share link the user can see,
// with what it shares, its figures and the same actions as everywhere.
type ShareLinksPage struct {
	app.Compo
	links  []model.ShareLink
	loaded bool
	err    string
	status string
	q      string
}

var shareLinkTabs = []struct{ key, label string }{
	{"all", "All"}, {"active", "Active"}, {"expired", "Expired"}, {"used_up", "Used up"}, {"locked", "Locked"},
}

func (p *ShareLinksPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *ShareLinksPage) OnNav(ctx app.Context) {
	if p.status == "" {
		p.status = "all"
	}
	// The server prerenders without a session: it would only show an error.
	if app.IsClient {
		p.load(ctx)
	}
}

func (p *ShareLinksPage) load(ctx app.Context) {
	ctx.Async(func() {
		ls, err := api.ShareLinks(nil)
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].InsertedAt.After(ls[j].InsertedAt) })
			p.links, p.err = ls, ""
		})
	})
}

// shown is the links of the tab that match the search.
func (p *ShareLinksPage) shown() []model.ShareLink {
	q := strings.ToLower(strings.TrimSpace(p.q))
	var out []model.ShareLink
	for _, l := range p.links {
		if p.status != "all" && l.Status != p.status {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.Name+" "+l.TargetName+" "+l.Key+" "+l.OwnerName), q) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (p *ShareLinksPage) Render() app.UI {
	counts := map[string]int{"all": len(p.links)}
	views, downloads := 0, 0
	for _, l := range p.links {
		counts[l.Status]++
		views += l.Views
		downloads += l.Downloads
	}
	return frame("share", pageState(p.loaded, p.err), []app.UI{
		&shareDialogs{},
		pageHeader("Share links", "Public and direct-download links to assets, collections and folders. Create them with Share on a file, a selection, a collection or a folder."),
		errorBox(p.err),
		app.Div().Class("stats sl-stats").Body(
			statCard("Links", strconv.Itoa(len(p.links)), false),
			statCard("Active", strconv.Itoa(counts["active"]), false),
			statCard("Views", strconv.Itoa(views), false),
			statCard("Downloads", strconv.Itoa(downloads), false),
		),
		app.Div().Class("ul-toolbar sl-toolbar").Body(
			app.Div().Class("tabs").Attr("role", "tablist").Body(app.Range(shareLinkTabs).Slice(func(i int) app.UI {
				t := shareLinkTabs[i]
				cls := "tab sl-tab"
				if p.status == t.key {
					cls += " on"
				}
				return app.Button().Type("button").Class(cls).DataSet("status", t.key).Attr("role", "tab").
					Attr("aria-selected", strconv.FormatBool(p.status == t.key)).
					OnClick(func(ctx app.Context, e app.Event) { p.status = t.key }).Body(
					app.Text(t.label), app.Span().Class("tab-count").Text(strconv.Itoa(counts[t.key])),
				)
			})),
			app.Label().Class("ul-search").Body(
				shareIcon("search"),
				app.Span().Class("sr-only").Text("Search share links"),
				app.Input().Type("search").ID("sl-search").Placeholder("Search name or what it shares").
					Value(p.q).OnInput(p.ValueTo(&p.q)),
			),
		),
		p.renderLinks(),
	})
}

func (p *ShareLinksPage) renderLinks() app.UI {
	shown := p.shown()
	switch {
	case !p.loaded:
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	case len(p.links) == 0 && p.err != "":
		return nil
	case len(p.links) == 0:
		return app.Div().Class("card").ID("sl-empty").Body(emptyState("share", "No share links yet",
			"Open a file, select files or a collection, or open a folder in a project, and click Share. Every link you make shows up here with its views and downloads.",
			app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects")))
	case len(shown) == 0:
		return app.Div().Class("card").ID("sl-empty").Body(emptyState("share", "No matching links", "No link on this tab matches the search.", nil))
	}
	return app.Div().Class("card table-card").Body(app.Table().Class("table sl-table").ID("sl-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("Link"), app.Th().Text("Shares"), app.Th().Text("Status"), app.Th().Text("Usage"), srTh("Actions"),
		)),
		app.TBody().Body(app.Range(shown).Slice(func(i int) app.UI { return p.renderRow(shown[i]) })),
	))
}

// shareTargetHref is the app page of what a link shares.
func shareTargetHref(l model.ShareLink) string {
	switch l.TargetType {
	case "collection":
		return "/projects/" + l.ProjectID + "?collection=" + l.TargetID
	case "folder":
		return "/projects/" + l.ProjectID + "/folders/" + l.TargetID
	}
	return "/assets/" + l.TargetID
}

func (p *ShareLinksPage) renderRow(l model.ShareLink) app.UI {
	cls := "share-link-row sl-tr"
	if l.Status != "active" {
		cls += " is-faded"
	}
	return app.Tr().Class(cls).DataSet("id", l.ID).DataSet("status", l.Status).Body(
		app.Td().Class("sl-td-name").Body(
			app.Div().Class("slr-head").Body(
				app.Span().Class("slr-kind").Title(shareKindLabel(l.Kind)).Body(shareIcon(map[bool]string{true: "download", false: "chain"}[l.Kind == "download"])),
				app.Span().Class("slr-name").Title(l.Name).Text(l.Name),
				app.If(l.HasPassword, func() app.UI { return app.Span().Class("slr-pw").Title("Password protected").Body(shareIcon("lock")) }),
			),
			app.Button().Type("button").Class("slr-url").Title("Copy link").
				OnClick(func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }, linkScope(l)).Text(shareShortURL(l.URL)),
			app.Div().Class("muted small").Text(shareKindLabel(l.Kind)+shareOwner(l)),
		),
		app.Td().Class("sl-td-target").Body(
			app.A().Class("sl-target-link").Href(shareTargetHref(l)).Title(l.TargetName).Body(
				shareTargetIcon(l.TargetType),
				app.Span().Class("muted small").Text(shareTargetLabel(l.TargetType)),
				app.Span().Class("sl-target-name").Text(l.TargetName),
			),
		),
		app.Td().Class("sl-td-status").Body(
			shareStatusBadge(l),
			app.Div().Class("muted small nowrap sl-expiry").Title(shareExpiryDate(l)).Text(shareExpiry(l, time.Now())),
		),
		app.Td().Class("sl-td-usage nowrap").Body(
			app.Div().Class("sl-uses").Text(shareUses(l)),
			app.Div().Class("muted small").Text(plural(l.Views, "view", "views")+" · "+plural(l.Downloads, "download", "downloads")),
		),
		app.Td().Class("row-actions sl-td-actions").Body(shareLinkActions(l)),
	)
}

func shareOwner(l model.ShareLink) string {
	if l.OwnerName == "" {
		return ""
	}
	return " · by " + l.OwnerName
}

// shareIcons are icons only the share UI draws.
var shareIcons = map[string]string{
	"chain":      `<path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71"/><path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71"/>`,
	"code":       `<path d="M16 18l6-6-6-6M8 6l-6 6 6 6"/>`,
	"qr":         `<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="3" y="14" width="7" height="7" rx="1"/><path d="M14 14h3v3h-3zM20 14v.01M14 20h.01M17 20h4v-3"/>`,
	"copy":       `<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"activity":   `<path d="M22 12h-4l-3 9L9 3l-3 9H2"/>`,
	"lock":       `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"unlock":     `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 7.9-1"/>`,
	"search":     `<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`,
	"chevron":    `<path d="M6 9l6 6 6-6"/>`,
	"eye":        `<path d="M1 12s4-8 11-8 11 8 11 8-4 8-11 8-11-8-11-8z"/><circle cx="12" cy="12" r="3"/>`,
	"updown":     `<path d="M7 20V5M3 9l4-4 4 4M17 4v15M13 15l4 4 4-4"/>`,
	"full":       `<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v3"/><path d="M3 7v10a2 2 0 0 0 2 2h6"/><path d="M19.5 13.5a1.9 1.9 0 0 1 2.7 2.7L16 22.4l-3.4.6.6-3.4z"/>`,
	"mail":       `<rect x="2" y="4" width="20" height="16" rx="2"/><path d="M22 6l-10 7L2 6"/>`,
	"form":       `<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M8 8h8M8 12h8M8 16h5"/>`,
	"shield":     `<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"/>`,
	"user-check": `<path d="M16 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="8.5" cy="7" r="4"/><path d="M17 11l2 2 4-4"/>`,
	"help":       `<circle cx="12" cy="12" r="10"/><path d="M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01"/>`,
	"up":         `<path d="M18 15l-6-6-6 6"/>`,
	"external":   `<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14L21 3"/>`,
}

// shareIcon draws a share icon, or one of the common ones.
func shareIcon(name string) app.UI {
	p, ok := shareIcons[name]
	if !ok {
		return icon(name)
	}
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + p + `</svg>`)
}
