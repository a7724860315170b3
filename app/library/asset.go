package library

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// AssetPage shows one file: a large preview or player, its metadata,
// versions and attachments, with download and upload of new versions.
type AssetPage struct {
	app.Compo
	id          string
	asset       model.Asset
	stack       *model.Asset
	versions    []model.Asset
	attachments []model.Asset
	project     model.Project
	crumbs      []model.Asset
	err         string
	loaded      bool

	links     []model.ShareLink // the share links of the file shown
	linksFor  string
	shareOpen string // the open share menu: "button" or "section"
	mayShare  bool   // the user may create links from the file's folder

	uploads shell.UploadListener
}

func (p *AssetPage) OnNav(ctx app.Context) {
	p.id = strings.TrimPrefix(ctx.Page().URL().Path, "/assets/")
	p.loaded = false
	p.load(ctx)
}

func (p *AssetPage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.loadLinks(ctx) })
	p.uploads.Listen(ctx, p.load)
}

func (p *AssetPage) OnDismount() { p.uploads.Stop() }

func (p *AssetPage) load(ctx app.Context) {
	id := p.id
	ctx.Async(func() {
		var stack *model.Asset
		var versions, attachments, crumbs []model.Asset
		var pr model.Project
		a, err := fetch.API.Asset(id)
		if err == nil && a.Type == "version_stack" {
			s := a
			stack = &s
			versions, err = fetch.API.Children(id, nil)
			if err == nil && len(versions) > 0 {
				a = versions[0]
			}
		} else if err == nil && a.ParentID != "" {
			if parent, perr := fetch.API.Asset(a.ParentID); perr == nil && parent.Type == "version_stack" {
				stack = &parent
				versions, err = fetch.API.Children(parent.ID, nil)
			}
		}
		if err == nil && a.Type == "file" {
			attachments, err = fetch.API.Children(a.ID, nil)
		}
		if err == nil {
			pr, err = fetch.API.Project(a.ProjectID)
		}
		if err == nil {
			crumbFrom := a.ID
			if stack != nil {
				crumbFrom = stack.ID
			}
			crumbs, err = fetch.API.Ancestors(crumbFrom)
		}
		mayShare := err != nil || mayShareFrom(a.ID)
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = fetch.LoadError(ctx, err)
				return
			}
			p.asset, p.stack, p.versions, p.attachments, p.project, p.crumbs, p.err = a, stack, versions, attachments, pr, crumbs, ""
			p.mayShare = mayShare
			if p.linksFor != a.ID {
				p.links, p.linksFor, p.shareOpen = nil, a.ID, ""
				p.loadLinks(ctx)
			}
			if processing(a) {
				ctx.After(1500e6, func(ctx app.Context) { p.load(ctx) })
			}
		})
	})
}

// loadLinks fetches the share links of the file shown. They are extra:
// without them the page still shows the file.
func (p *AssetPage) loadLinks(ctx app.Context) {
	id := p.asset.ID
	if id == "" {
		return
	}
	ctx.Async(func() {
		ls, err := fetch.API.ShareLinks(url.Values{"target_id": {id}})
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil && p.asset.ID == id {
				p.links = ls
			}
		})
	})
}

// copyLink copies the app's own link of the file shown.
func (p *AssetPage) copyLink(ctx app.Context, e app.Event) {
	p.shareOpen = ""
	sharing.CopyInternal(ctx, "/assets/"+p.asset.ID)
}

// shareTarget is the file shown, as a link shares it.
func (p *AssetPage) shareTarget() sharing.Target {
	a := p.asset
	a.Attachments = max(a.Attachments, len(p.attachments))
	return sharing.Target{Type: "asset", ID: a.ID, ProjectID: a.ProjectID, Name: a.Name, Assets: []model.Asset{a}}
}

func (p *AssetPage) share(kind string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.shareOpen = ""
		sharing.Create(ctx, kind, p.shareTarget())
	}
}

func (p *AssetPage) toggleShare(which string) app.EventHandler {
	return sharing.ToggleMenu(&p.shareOpen, which)
}

// renderShareButton is the Share button of the actions with its menu:
// a download link, a public link, or the app's own link.
func (p *AssetPage) renderShareButton() app.UI {
	if !p.mayShare {
		return copyLinkButton("copy-link", p.copyLink)
	}
	a := p.asset
	noOriginal := sharing.DownloadReason(a)
	closeMenu := func(ctx app.Context, e app.Event) { p.shareOpen = "" }
	return app.Div().Class("sl-menu-wrap sl-menu-right").Body(
		sharing.Button("share-button", "Share", "secondary", p.shareOpen == "button", p.toggleShare("button")),
		app.If(p.shareOpen == "button", func() app.UI {
			return sharing.Menu(closeMenu,
				sharing.MenuItem("share-create-download", "download", "Create download link", noOriginal, p.share("download")),
				sharing.MenuItem("share-create-public", "chain", "Create public link", "", p.share("public")),
				sharing.MenuItem("share-copy-internal", "copy", "Copy link", "", p.copyLink),
			)
		}),
	)
}

// renderShareSection lists the file's share links with their actions.
func (p *AssetPage) renderShareSection() app.UI {
	a := p.asset
	var create app.UI
	if !p.mayShare {
		create = app.P().Class("muted small").ID("share-not-permitted").Text("You may not create links to this file.")
	} else if sharing.DownloadReason(a) == "" {
		closeMenu := func(ctx app.Context, e app.Event) { p.shareOpen = "" }
		create = app.Div().Class("sl-menu-wrap").Body(
			app.Button().Type("button").Class("btn btn-ghost").ID("share-section-create").Attr("aria-haspopup", "menu").
				Attr("aria-expanded", strconv.FormatBool(p.shareOpen == "section")).OnClick(p.toggleShare("section")).
				Body(ui.Icon("plus"), app.Span().Text("Create link"), ui.Icon("chevron-down")),
			app.If(p.shareOpen == "section", func() app.UI {
				return sharing.Menu(closeMenu,
					sharing.MenuItem("share-section-public", "chain", "Public link", "", p.share("public")),
					sharing.MenuItem("share-section-download", "download", "Download link", "", p.share("download")),
				)
			}),
		)
	} else {
		create = ui.Button("Create link", "ghost", p.share("public")).ID("share-section-create")
	}
	return app.Div().Class("insp-section sl-section").ID("share-section").Body(
		app.H2().Text(app.FormatString("Share (%d)", len(p.links))),
		app.Div().Class("sl-internal").Body(
			app.Div().Class("sl-internal-text").Body(
				app.Div().Class("small").Text("Internal link"),
				app.Div().Class("muted small").Text("For people signed in to Ferry"),
			),
			app.Button().Type("button").Class("icon-btn").ID("share-section-copy").Title("Copy link").Attr("aria-label", "Copy internal link").
				OnClick(p.copyLink).Body(ui.Icon("copy")),
		),
		sharing.LinkList(p.links, ""),
		app.Div().Class("sl-section-actions").Body(create),
	)
}

func (p *AssetPage) upload(opt string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		files := ctx.JSSrc().Get("files")
		target := p.asset.ID
		if opt == "versionOf" && p.stack != nil {
			target = p.stack.ID
		}
		if files.Get("length").Int() > 0 {
			app.Window().Get("ferryUploads").Call("add", files, map[string]any{opt: target})
		}
		ctx.JSSrc().Set("value", "")
	}
}

func (p *AssetPage) Render() app.UI {
	a := p.asset
	original := "/api/v2/assets/" + a.ID + "/original"
	return shell.Frame("projects", ui.PageState(p.loaded, p.err), []app.UI{
		&sharing.Dialogs{},
		shell.Breadcrumbs(p.project, p.crumbs),
		ui.ErrorBox(p.err),
		app.If(p.loaded && p.err == "", func() app.UI {
			return app.Div().Class("viewer").Body(
				app.Div().Class("stage card").ID("stage").Body(p.preview(a, original)),
				app.Aside().Class("inspector card").Attr("aria-label", "File details").Body(
					app.H1().Class("insp-title").Body(app.Span().Text(a.Name), sharing.ChainIcon(sharing.ActiveLinks(p.links))),
					app.Div().Class("insp-actions").Body(
						app.A().Class("btn btn-primary").ID("download-original").Href(original+"?download=1").Body(ui.Icon("download"), app.Span().Text("Download")),
						p.renderShareButton(),
						app.Label().Class("btn btn-secondary").Body(ui.Icon("layers"), app.Span().Text("New version"),
							ui.HiddenFileInput().ID("version-input").OnChange(p.upload("versionOf"))),
					),
					app.Dl().Class("meta").Body(p.metaRows(a)...),
					app.If(p.stack != nil, func() app.UI {
						return app.Div().Class("insp-section").ID("versions").Body(
							app.H2().Text(app.FormatString("Versions (%d)", len(p.versions))),
							app.Range(p.versions).Slice(func(i int) app.UI {
								v := p.versions[i]
								cls := "vrow"
								if v.ID == a.ID {
									cls += " current"
								}
								return app.Div().Class(cls).Body(
									app.A().Href("/assets/"+v.ID).Body(
										app.Span().Class("vnum").Text(app.FormatString("V%d", v.Index)),
										app.Span().Class("vname").Text(v.Name),
									),
									app.A().Class("icon-btn").Href("/api/v2/assets/"+v.ID+"/original?download=1").Attr("aria-label", "Download version").Body(ui.Icon("download")),
								)
							}),
						)
					}),
					app.Div().Class("insp-section").ID("attachments").Body(
						app.H2().Text(app.FormatString("Attachments (%d)", len(p.attachments))),
						app.Range(p.attachments).Slice(func(i int) app.UI {
							t := p.attachments[i]
							return app.Div().Class("vrow").Body(
								app.A().Href("/api/v2/assets/"+t.ID+"/original").Attr("target", "_blank").Body(ui.Icon("paperclip"), app.Span().Class("vname").Text(t.Name)),
								app.Span().Class("muted small").Text(ui.HumanBytes(t.Filesize)),
							)
						}),
						app.Label().Class("btn btn-ghost").Body(ui.Icon("plus"), app.Span().Text("Add attachment"),
							ui.HiddenFileInput().ID("attachment-input").Multiple(true).OnChange(p.upload("attachmentOf"))),
					),
					p.renderShareSection(),
				),
			)
		}),
	})
}

func (p *AssetPage) preview(a model.Asset, original string) app.UI {
	base := "/api/v2/assets/" + a.ID + "/proxies/"
	poster := ""
	if a.ProxyStatus == "ready" {
		poster = base + "preview"
	}
	switch play := playRendition(a); {
	case play != "" && play != "audio":
		// The proxy plays in every browser, whatever the original's codec.
		return app.Video().ID("asset-player").Class("stage-media").Controls(true).Preload("metadata").Poster(poster).Src(base + play)
	case play == "audio":
		return app.Div().Class("stage-icon").Body(ui.Icon("audio"), app.Audio().ID("asset-player").Controls(true).Preload("metadata").Src(base+play))
	case a.MediaKind != "" && processing(a):
		return app.Div().Class("stage-icon").Body(
			app.If(poster != "", func() app.UI { return app.Img().Class("stage-img").Alt(a.Name).Src(poster) }),
			ui.Spinner(), app.P().Class("muted").ID("processing").Text(processingText(a)))
	case a.MediaKind != "" && (a.TranscodeStatus == "failed" || a.ProxyStatus == "failed"):
		reason := a.TranscodeError
		if reason == "" {
			reason = a.ProxyError
		}
		return app.Div().Class("stage-icon").Body(ui.Icon(ui.KindIcon(a)), app.P().Class("muted").Text("No playable preview: "+reason))
	case a.ProxyStatus == "ready":
		return app.A().Href("/api/v2/assets/"+a.ID+"/proxies/large").Attr("target", "_blank").Body(
			app.Img().Class("stage-img").ID("preview-img").Alt(a.Name).Src("/api/v2/assets/" + a.ID + "/proxies/preview"))
	case a.ProxyStatus == "queued":
		return app.Div().Class("stage-icon").Body(ui.Spinner(), app.P().Class("muted").Text("Making the preview…"))
	case strings.HasPrefix(a.Filetype, "video/"):
		return app.Video().Class("stage-media").Controls(true).Preload("metadata").Src(original)
	case strings.HasPrefix(a.Filetype, "audio/"):
		return app.Div().Class("stage-icon").Body(ui.Icon("audio"), app.Audio().Controls(true).Preload("metadata").Src(original))
	case a.Filetype == "application/pdf":
		return app.IFrame().Class("stage-pdf").Src(original).Title(a.Name)
	}
	msg := "No preview for this type; download it to open."
	if a.ProxyStatus == "failed" || a.ProxyStatus == "too_large" {
		msg = "No preview: " + a.ProxyError
	}
	return app.Div().Class("stage-icon").Body(ui.Icon(ui.KindIcon(a)), app.P().Class("muted").Text(msg))
}

func (p *AssetPage) metaRows(a model.Asset) []app.UI {
	var rows []app.UI
	add := func(k, v string) { rows = append(rows, ui.MetaRow(k, v)...) }
	add("Type", a.Filetype)
	add("Size", ui.HumanBytes(a.Filesize))
	if pr := a.Properties; pr != nil {
		if pr.Width > 0 {
			add("Dimensions", app.FormatString("%d × %d px", pr.Width, pr.Height))
		}
		if pr.TakenAt != nil {
			add("Taken", pr.TakenAt.Format("2 Jan 2006 15:04"))
		}
		add("Camera", strings.TrimSpace(pr.CameraMake+" "+pr.CameraModel))
		add("Lens", pr.LensModel)
		var exp []string
		if pr.FNumber != "" {
			exp = append(exp, "f/"+strings.TrimPrefix(pr.FNumber, "f/"))
		}
		if pr.ExposureTime != "" {
			exp = append(exp, pr.ExposureTime+" s")
		}
		if pr.ISO > 0 {
			exp = append(exp, app.FormatString("ISO %d", pr.ISO))
		}
		if pr.FocalLength != "" {
			exp = append(exp, pr.FocalLength)
		}
		add("Exposure", strings.Join(exp, " · "))
		if a.Duration > 0 {
			add("Duration", ui.ClockTime(a.Duration))
		}
		if a.FPS > 0 {
			add("Frame rate", strconv.FormatFloat(a.FPS, 'f', -1, 64)+" fps ("+pr.FrameRate+")")
		}
		var codecs []string
		if pr.VideoCodec != "" {
			codecs = append(codecs, pr.VideoCodec)
		}
		if pr.AudioCodec != "" {
			a := pr.AudioCodec
			if pr.AudioChannels > 0 {
				a += app.FormatString(", %d ch", pr.AudioChannels)
			}
			codecs = append(codecs, a)
		}
		add("Codecs", strings.Join(codecs, " · "))
		if pr.BitRate > 0 {
			add("Bit rate", app.FormatString("%.1f Mbit/s", float64(pr.BitRate)/1e6))
		}
	}
	add("Uploaded by", a.CreatorName)
	add("Uploaded", a.InsertedAt.Local().Format("2 Jan 2006 15:04"))
	return rows
}
