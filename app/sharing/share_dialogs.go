package sharing

import (
	"sort"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// Dialogs are the dialogs of share links: create and edit, the new
// link, its QR code, its access log and the question before deleting it.
// A page puts it first in its content, where it keeps its place.
type Dialogs struct {
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

func (d *Dialogs) OnMount(ctx app.Context) {
	ctx.Handle(shareAction, func(ctx app.Context, a app.Action) {
		if r, ok := a.Value.(shareRequest); ok {
			d.handle(ctx, r)
		}
	})
}

// handle runs in the context of the dialogs themselves, which stay
// mounted, so the answers of what it starts always arrive.
func (d *Dialogs) handle(ctx app.Context, r shareRequest) {
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

func (d *Dialogs) openForm(ctx app.Context, f *shareForm) {
	d.form = f
	ui.FocusAfterRender("#sl-form input:not([type=hidden]):not(:disabled)")
	d.loadGovernance(ctx, f)
	if f.kind == "public" && (d.wm == nil || !d.wm.Configured) {
		ctx.Async(func() {
			wm, err := fetch.API.Watermark()
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
			if a, err = fetch.API.Asset(t.ID); err == nil {
				items = []model.Asset{a}
			}
		case "collection":
			items, err = fetch.API.CollectionItems(t.ID, fetch.AllPages())
		case "folder":
			items, err = fetch.API.Children(t.ID, fetch.AllPages())
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

func (d *Dialogs) close(ctx app.Context, e app.Event) {
	if d.busy || (d.form != nil && d.form.busy) {
		return
	}
	d.form, d.created, d.qr, d.log, d.confirm, d.email, d.err = nil, nil, nil, nil, nil, nil, ""
}

func (d *Dialogs) submit(ctx app.Context, e app.Event) {
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
			out, err = fetch.API.CreateShareLink(*create)
		} else {
			out, err = fetch.API.UpdateShareLink(f.link.ID, in)
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
				shell.Toast(ctx, "Link saved")
			} else {
				ctx.NewActionWithValue(shareCreatedAction, out)
				d.form, d.created = nil, &out
				ui.FocusAfterRender("#sl-copy-link")
			}
			shell.Reload(ctx)
		})
	})
}

func (d *Dialogs) unlock(ctx app.Context, l model.ShareLink) {
	linkui.Unlock(ctx, func() error {
		_, err := fetch.API.UpdateShareLink(l.ID, model.ShareLinkPatch{Locked: fetch.Ptr(false)})
		return err
	}, func() {
		if d.form != nil && d.form.link != nil && d.form.link.ID == l.ID {
			d.form.link.Locked = false
		}
	})
}

func (d *Dialogs) openLog(ctx app.Context, l model.ShareLink) {
	lg := &shareLog{link: l}
	d.log = lg
	loadAccessLog(ctx, l.ID, &lg.loaded, &lg.err, &lg.entries)
}

// loadAccessLog fetches the access log of link id into *entries, newest
// first.
func loadAccessLog(ctx app.Context, id string, done *bool, errMsg *string, entries *[]model.AccessLogEntry) {
	var es []model.AccessLogEntry
	linkui.Fetch(ctx, func() (err error) { es, err = fetch.API.ShareLinkAccessLog(id); return err }, done, errMsg, func() {
		sort.SliceStable(es, func(i, j int) bool { return es[i].Time.After(es[j].Time) })
		*entries = es
	})
}

func (d *Dialogs) remove(ctx app.Context, e app.Event) {
	l := d.confirm
	linkui.Send(ctx, &d.busy, &d.err, func() error { return fetch.API.DeleteShareLink(l.ID) }, func(ctx app.Context) {
		d.confirm = nil
		shell.Toast(ctx, map[bool]string{true: "Link revoked", false: "Link deleted"}[d.revoking])
		shell.Reload(ctx)
	})
}

func (d *Dialogs) Render() app.UI {
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

func (d *Dialogs) title() string {
	f := d.form
	switch {
	case f.link != nil:
		return "Edit link"
	case f.kind == "download":
		return "Create download link"
	case f.target.Type == "assets":
		return "Create link for " + itemsText(f.target.Assets)
	case f.target.Type == "collection":
		return "Create link to collection"
	case f.target.Type == "folder":
		return "Create link to folder"
	}
	return "Create public link"
}

func (d *Dialogs) renderForm() app.UI {
	f := d.form
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	if f.link != nil && f.link.ExpiresAt != nil && f.link.ExpiresAt.Before(time.Now()) {
		tomorrow = time.Now().Format("2006-01-02")
	}
	public := f.kind == "public"
	return ui.Dialog(d.title(), d.close, []app.UI{
		app.Form().ID("sl-form").Class("sl-form").OnSubmit(d.submit).Body(
			shareTargetLine(f.target, f.link),
			ui.ErrorBox(f.err),
			d.renderNoSharing(),
			app.If(f.link != nil && f.link.Locked, func() app.UI {
				l := *f.link
				return app.Div().Class("alert alert-error sl-locked").Body(
					app.Span().Text("Locked after too many wrong passwords: nobody can open it until you unlock it."),
					ui.Button("Unlock", "secondary", func(ctx app.Context, e app.Event) { d.unlock(ctx, l) }).
						Class("btn-sm").ID("sl-unlock"),
				)
			}),
			app.If(f.target.Type == "assets" && f.link == nil, func() app.UI {
				return ui.Field("Collection name", app.Input().ID("sl-collection-name").MaxLength(200).
					Placeholder(f.defaultCollectionName()).Value(f.collectionName).OnInput(d.ValueTo(&f.collectionName)), "")
			}),
			ui.Field("Link name", app.Input().ID("sl-name").MaxLength(200).Placeholder(f.defaultName()).
				Value(f.name).OnInput(d.ValueTo(&f.name)), ""),
			d.renderContents(),
			app.If(public, func() app.UI { return d.renderActions() }),
			app.If(public, func() app.UI { return d.renderUploads() }),
			d.renderKey(),
			app.If(public, func() app.UI { return d.renderDownloads() }),
			f.protection.ExpiryUI(tomorrow, 7, f.expiryHint(), func() { f.expiresTouched = true }),
			app.If(public, func() app.UI { return d.renderProtection() }),
			app.If(public && d.faces != nil && (d.faces.Enabled || f.faceSearch), d.renderFaceOption),
			d.renderNote(),
			app.If(public, func() app.UI { return d.renderGate() }),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", d.close),
				app.Button().Type("submit").ID("sl-submit").Class("btn btn-primary").Disabled(f.busy || f.blocked() != "").
					Title(f.blocked()).Text(d.submitLabel()),
			),
		),
	})
}

func (d *Dialogs) submitLabel() string {
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
func shareTargetLine(t Target, l *model.ShareLink) app.UI {
	if t.Type == "assets" {
		return app.P().Class("sl-target muted small").Text("A new collection is made for " + itemsText(t.Assets) +
			", listed to you only; the link shares it (folders with everything in them).")
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
		return ui.Icon("collection")
	case "folder":
		return ui.Icon("folder")
	}
	return ui.Icon("file")
}

// renderDownloads is Allow to download, and the proxies when allowed.
func (d *Dialogs) renderDownloads() app.UI {
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
func (d *Dialogs) renderProtection() app.UI {
	f := d.form
	wmReason := f.watermarkReason(d.wm)
	return app.Div().Body(
		f.protection.PasswordUI(f.passwordLock(), ""),
		ui.ReasonSwitch("sl-watermark", "Show watermark", f.watermark, wmReason, func(on bool) { f.watermark = on }),
		app.If(wmReason == "", func() app.UI {
			return app.P().Class("field-hint sl-sub").Text("Previews, image proxies and videos carry the site watermark (burned into the video once, on first play); originals stay untouched; audio plays as it is and is not offered as a download.")
		}),
		app.Div().Class("sl-row").Body(
			ui.Field("Max uses", app.Input().ID("sl-max-uses").Type("number").Min(1).Step(1).Attr("inputmode", "numeric").
				Placeholder("Unlimited").Value(f.maxUses).OnInput(d.ValueTo(&f.maxUses)),
				"Each new visitor uses the link once."),
		),
		ui.Field("Public description", app.Textarea().ID("sl-description").Rows(3).MaxLength(2000).
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

func (d *Dialogs) renderCreated() app.UI {
	l := *d.created
	title := "Link created"
	if l.Kind == "download" {
		title = "Download link created"
	}
	return ui.Dialog(title, d.close, []app.UI{
		linkui.Created{
			Prefix: "sl", Note: shareCreatedNote(l), Name: l.Name, URL: l.URL,
			CopyButton: linkui.CopyButton("Copy link", "primary", l.URL, "Link copied").ID("sl-copy-link"),
			Actions: []app.UI{
				app.If(l.EmbedCode != "", func() app.UI {
					return linkui.ActionButton("sl-copy-embed", "code", "Copy embed code",
						func(ctx app.Context, e app.Event) { ui.CopyText(l.EmbedCode); shell.Toast(ctx, "Embed code copied") })
				}),
				linkui.ActionButton("sl-qr", "qr", "QR code", func(ctx app.Context, e app.Event) { d.created, d.qr = nil, &l }),
				app.If(l.Kind != "download", func() app.UI {
					return linkui.ActionButton("sl-email-open", "mail", "Share via email", func(ctx app.Context, e app.Event) { d.created, d.email = nil, &l })
				}),
			},
		}.UI(),
	}, ui.Button("Close", "secondary", d.close).ID("sl-done"))
}

// shareCreatedNote says what the new link gives.
func shareCreatedNote(l model.ShareLink) string {
	s := "Anyone with this link can see " + l.TargetName + "."
	switch {
	case l.Kind == "download":
		s = "Anyone with this link downloads the original of " + l.TargetName + " directly."
	case l.TargetType == "collection":
		s = "Anyone with this link can see the collection " + l.TargetName + "."
	case l.TargetType == "folder":
		s = "Anyone with this link can see the folder " + l.TargetName + " and everything in it."
	}
	return linkui.CreatedNote(s, l.HasPassword, l.ExpiresAt)
}

func (d *Dialogs) renderQR() app.UI {
	l := *d.qr
	return linkui.QR{Prefix: "sl", Base: "/api/v2/share_links/" + l.ID, URL: l.URL, ID: "sl-qr-dialog"}.Dialog(d.close)
}

var accessActions = map[string]string{
	"view":             "Viewed",
	"download":         "Downloaded",
	"zip":              "Downloaded zip",
	"failed_password":  "Wrong password",
	"contents_changed": "Files changed",
}

func (d *Dialogs) renderLog() app.UI {
	lg := d.log
	csv := "/api/v2/share_links/" + lg.link.ID + "/access_log?format=csv"
	return ui.Dialog("Access log: "+lg.link.Name, d.close, []app.UI{
		app.Div().Class("sl-log").ID("sl-log").Body(
			app.P().Class("muted small sl-log-sum").Text(app.FormatString("%s · %s · %s",
				ui.Plural(lg.link.Views, "view", "views"), ui.Plural(lg.link.Downloads, "download", "downloads"), shareUses(lg.link))),
			accessLog(lg.loaded, lg.err, lg.entries),
		),
	},
		app.A().Class("btn btn-secondary").ID("sl-log-csv").Href(csv).Attr("download", "").Body(ui.Icon("download"), app.Span().Text("Export CSV")),
		ui.Button("Close", "secondary", d.close),
	)
}

// accessLog lists a link's access log entries, newest first, once loaded.
func accessLog(loaded bool, err string, entries []model.AccessLogEntry) app.UI {
	return ui.Part(loaded, err, len(entries),
		ui.EmptyState("globe", "Nobody has used this link yet", "Each visit and download through the link shows up here, newest first.", nil),
		func() app.UI { return accessLogTable(entries) })
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
				size = ui.HumanBytes(e.Bytes)
			}
			return app.Tr().Class("sl-log-row").DataSet("action", e.Action).Body(
				app.Td().Class("nowrap").Title(e.Time.Local().Format("2 Jan 2006, 15:04:05")).Text(e.Time.Local().Format("2 Jan, 15:04")),
				app.Td().Body(app.Span().Class(map[bool]string{true: "sl-log-bad", false: ""}[e.Action == "failed_password"]).Text(what)),
				app.Td().Class("sl-log-file").Title(e.AssetName).Text(ui.ValueOrDash(e.AssetName)),
				app.Td().Class("sl-log-who").Body(
					app.Div().Class("mono").Text(e.Address),
					app.Div().Class("muted small ellipsis").Title(e.UserAgent).Text(e.UserAgent),
				),
				app.Td().Class("num muted").Text(size),
			)
		})),
	))
}

func (d *Dialogs) renderConfirm() app.UI {
	l := d.confirm
	c := linkui.Confirm{
		Title: "Delete \"" + l.Name + "\"?", Err: d.err,
		Body: []app.UI{
			app.P().Text("Deleting is permanent: access via this link will become impossible for everyone who has it, and its access log is deleted with it."),
			app.P().Class("muted small sl-confirm-note").Text(shareDeleteNote(*l)),
		},
		Label: "Delete link", Busy: "Deleting…", Kind: "danger", ID: "sl-delete-confirm", Running: d.busy,
		OnCancel: d.close, OnConfirm: d.remove,
	}
	if d.revoking {
		c.Title, c.Label, c.Busy, c.ID = "Revoke \""+l.Name+"\"?", "Revoke", "Revoking…", "sl-revoke-confirm"
		c.Body = []app.UI{app.Div().Class("sl-revoke-text").ID("sl-revoke-dialog").Body(revokeWarning(1)...)}
	}
	return c.UI()
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
