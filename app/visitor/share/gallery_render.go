package share

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Rendering.

func (p *Page) Render() app.UI {
	var body app.UI
	switch {
	case p.closed.IsClosed():
		body = p.closed.UI("share", p.retry)
	case p.share == nil:
		body = app.Div().Class("gal-loading").Body(ui.Spinner(), app.Span().Class("sr-only").Text("Loading…"))
	case p.share.NeedsPassword || shareGate(p.share) == "password":
		body = p.renderPassword()
	case shareGate(p.share) == "invite":
		body = p.renderInviteRequired()
	case shareGate(p.share) == "registration" || shareGate(p.share) == "clickwrap":
		body = p.renderRegistration()
	case uploadOnly(p.share):
		body = p.renderUploadOnly()
	default:
		body = p.renderGallery()
	}
	cls := "pub gal"
	if p.embed {
		cls += " gal-embed"
	}
	site := "Ferry"
	if p.share != nil && p.share.SiteName != "" {
		site = p.share.SiteName
	}
	viewing := p.open >= 0 && p.open < len(p.items)
	top := app.Header().Class("pub-top gal-top").Body(ui.Logo(), app.Span().Text(site))
	main := app.Main().Class("gal-main").Body(body)
	if viewing {
		// The viewer is modal: the page behind takes no focus and is not read out.
		top, main = top.Attr("inert", "inert"), main.Attr("inert", "inert")
	}
	// Ready once this browser's own fetch of the link has been drawn (the
	// prerendered share may be there before it).
	return app.Div().Class(cls).DataSet("state", ui.PageState(p.fetched, "")).Body(
		app.If(!p.embed, func() app.UI { return top }),
		main,
		app.If(viewing, p.renderViewer),
		// The gallery's data for the wasm's first render; a password gate
		// has none: the app loads the link with the visitor's cookie.
		app.If(app.IsServer && p.prerendered && len(p.share.Needs) == 0, func() app.UI { return ui.PageDataUI("share-data", p.share) }),
		app.If(p.files.dialog != nil, p.renderFilesDialog),
		ui.AppReady(p.ready),
		&shell.Toaster{},
	)
}

func (p *Page) renderPassword() app.UI {
	s := p.share
	foot := ""
	if s.ExpiresAt != nil {
		foot = "Available until " + ui.DayDate(*s.ExpiresAt)
	}
	return linkui.PasswordGate{Kind: "share", Title: shareName(s), Lead: p.lockText(), Submit: "View files", Foot: foot,
		Password: p.password, Busy: p.busy, Err: p.err, OnInput: p.ValueTo(&p.password), OnSubmit: p.unlock}.UI()
}

func (p *Page) lockText() string {
	if p.share.OwnerName != "" {
		return p.share.OwnerName + " protected these files with a password. Enter it to see them."
	}
	return "These files are protected with a password. Enter it to see them."
}

func (p *Page) renderGallery() app.UI {
	s := p.share
	return app.Div().Class("gal-page").Body(
		p.renderHead(),
		app.If(s.FaceSearch && (!p.files.browsing() || mixed(s)), p.renderFaces),
		app.If(p.up.inboxOpen, p.renderInbox),
		app.If(p.browsingNow(), p.renderBrowser).ElseIf(len(p.items) == 0, func() app.UI {
			return app.Div().Class("card gal-empty").Body(ui.EmptyState("image", "Nothing here yet", "The files of this link were removed, or none have been added yet.", nil))
		}).Else(func() app.UI {
			return app.Div().Class("gal-groups").Body(
				app.Range(p.groups).Slice(func(g int) app.UI { return p.renderGroup(p.groups[g]) }),
			)
		}),
		app.If(p.embed, func() app.UI {
			site := cmp.Or(s.SiteName, "Ferry")
			return app.Footer().Class("gal-embed-foot").Body(
				app.A().Href(ui.AttrText("/s/"+p.key)).Target("_blank").Rel("noopener").Body(
					ui.Logo(), app.Span().Text("Open on "+site),
				),
			)
		}),
	)
}

// shareFacts are the first facts under a share page's title: who shared
// it and until when (untilLabel) it is open.
func shareFacts(s *model.PublicShare, untilLabel string) []app.UI {
	var facts []app.UI
	if s.OwnerName != "" {
		facts = append(facts, app.Span().Class("gal-fact gal-owner").Body(
			app.Span().Class("avatar sm").Text(ui.Initials(s.OwnerName)),
			app.Span().Text("Shared by "+s.OwnerName),
		))
	}
	if s.ExpiresAt != nil {
		facts = append(facts, app.Span().Class("gal-fact gal-expiry").Body(
			ui.Icon("clock"), app.Span().Text(untilLabel+" "+ui.DayDate(*s.ExpiresAt)),
		))
	}
	return facts
}

func (p *Page) renderHead() app.UI {
	s := p.share
	var total int64
	for _, it := range s.Items {
		total += it.Filesize
	}
	facts := shareFacts(s, "Available until")
	facts = append(facts, app.Span().Class("gal-fact gal-count").Body(
		ui.Icon("image"), app.Span().Text(ui.Plural(len(s.Items), "file", "files")+" · "+ui.HumanBytes(total)),
	))
	// A folder's name says where the files come from; a collection made for
	// the link ("New collection from …") or the one shared file says nothing
	// the page does not show already.
	var eyebrow string
	if s.TargetType == "folder" && s.Title != "" && s.Title != shareName(s) {
		eyebrow = s.Title
	}
	return app.Header().Class("gal-head").Body(
		app.Div().Class("gal-head-text").Body(
			app.If(eyebrow != "", func() app.UI {
				return app.P().Class("pub-eyebrow gal-eyebrow").Body(ui.Icon("folder"), app.Span().Text(eyebrow))
			}),
			app.H1().ID("share-title").TabIndex(-1).Text(shareName(s)),
			app.If(s.Description != "", func() app.UI {
				lines := strings.Split(s.Description, "\n")
				return app.Div().Class("gal-desc").Body(
					app.Range(lines).Slice(func(i int) app.UI { return app.P().Text(lines[i]) }),
				)
			}),
			app.Div().Class("gal-facts").Body(facts...),
		),
		app.If(s.ZipURL != "" || inbox(s), func() app.UI {
			return app.Div().Class("gal-actions").Body(
				app.If(inbox(s), p.renderInboxButton),
				app.If(s.ZipURL != "", func() app.UI {
					return app.A().ID("download-all").Class("btn btn-primary gal-zip").
						Href(ui.AttrText(s.ZipURL)).Download(ui.AttrText(galleryZipName(shareName(s)))).
						Body(ui.Icon("download"), app.Span().Text("Download all"), app.Span().Class("gal-zip-size").Text(ui.HumanBytes(s.ZipBytes)))
				}),
			)
		}),
	)
}

func (p *Page) renderGroup(g shareGroup) app.UI {
	showLabel := !p.browsingNow() && (len(p.groups) > 1 || g.path != "")
	label := g.path
	if label == "" {
		label = cmp.Or(p.share.Title, "Top level")
	}
	parts := strings.Split(label, "/")
	return app.Section().Class("gal-group").DataSet("path", ui.AttrText(g.path)).Body(
		app.If(showLabel, func() app.UI {
			return app.H2().Class("gal-path").Body(
				ui.Icon("folder"),
				app.Range(parts).Slice(func(i int) app.UI {
					if i == len(parts)-1 {
						return app.Span().Class("gal-path-last").Text(parts[i])
					}
					return app.Span().Class("gal-path-part").Body(app.Span().Text(parts[i]), app.Span().Class("gal-path-sep").Text("/"))
				}),
				app.Span().Class("gal-path-count").Text(strconv.Itoa(len(g.items))),
			)
		}),
		app.Div().Class("gallery-grid").Body(
			app.Range(g.items).Slice(func(i int) app.UI { return p.renderTile(g.items[i]) }),
		),
	)
}

func (p *Page) renderTile(i int) app.UI {
	it := p.items[i]
	href := it.PreviewURL
	if href == "" {
		href = "#" + it.ID
	}
	var media app.UI
	if it.ThumbURL != "" {
		media = app.Img().Class("gallery-thumb").Src(ui.AttrText(it.ThumbURL)).Alt(ui.AttrText(it.Name)).Loading("lazy").Attr("decoding", "async").Draggable(false)
	} else {
		media = app.Div().Class("gallery-file").Body(
			ui.Icon(linkui.FileIcon(it.Filetype)),
			app.Span().Class("gallery-ext").Text(linkui.FileExt(it.Name, it.Filetype)),
		)
	}
	tile := p.enter.On(app.A(), it.ID, func(ctx app.Context) { p.show(ctx, i) }).
		Class("gallery-tile "+linkui.FileClass(it.Filetype)).DataSet("id", ui.AttrText(it.ID)).
		Href(ui.AttrText(href)).Title(ui.AttrText(it.Name)).
		OnClick(func(ctx app.Context, e app.Event) {
			if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
				return // the browser opens the preview in a new tab or window
			}
			e.PreventDefault()
			e.StopImmediatePropagation() // go-app would follow the href
			p.show(ctx, i)
		}).
		Body(
			app.Div().Class("gallery-media").Body(media, ui.ScrubStrip(it.SpriteURL, it.SpriteFrames),
				app.If(it.PlayURL != "" && it.Duration > 0, func() app.UI {
					return app.Span().Class("thumb-badge").Body(ui.Icon("play"), app.Text(" "+ui.ClockTime(it.Duration)))
				})),
			app.Div().Class("gallery-caption").Body(
				app.Span().Class("gallery-name").Text(it.Name),
				app.Span().Class("gallery-sub").Text(linkui.FileExt(it.Name, it.Filetype)+" · "+ui.HumanBytes(it.Filesize)),
			),
		)
	if p.share.CanModify {
		return p.files.renderManaged(p, it.ID, it.Name, false, tile)
	}
	return tile
}

func (p *Page) renderViewer() app.UI {
	it := p.items[p.open]
	n := len(p.items)
	return app.Div().ID("share-viewer").Class("sv").Attr("role", "dialog").Attr("aria-modal", "true").Attr("aria-label", ui.AttrText(it.Name)).DataSet("id", ui.AttrText(it.ID)).Body(
		app.Div().Class("sv-stage").
			On("touchstart", func(ctx app.Context, e app.Event) {
				p.touchX = e.Get("changedTouches").Index(0).Get("clientX").Float()
			}).
			On("touchend", func(ctx app.Context, e app.Event) {
				// A horizontal swipe on the picture goes to the next or previous file.
				switch dx := e.Get("changedTouches").Index(0).Get("clientX").Float() - p.touchX; {
				case dx > 60:
					p.step(ctx, -1)
				case dx < -60:
					p.step(ctx, 1)
				}
			}).
			Body(
				app.Div().Class("sv-bar").Body(
					app.Span().Class("sv-count").Text(strconv.Itoa(p.open+1)+" / "+strconv.Itoa(n)),
					app.Span().Class("sv-title").Text(it.Name),
					app.Button().Type("button").ID("share-viewer-close").Class("sv-btn sv-close").Attr("aria-label", "Close (Esc)").Title("Close (Esc)").
						OnClick(func(ctx app.Context, e app.Event) { p.closeViewer(ctx) }).Body(ui.Icon("x")),
				),
				p.renderStage(it),
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-navs").Body(
						app.Button().Type("button").ID("share-viewer-prev").Class("sv-btn sv-nav sv-prev").Attr("aria-label", "Previous (←)").Title("Previous (←)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, -1) }).Body(ui.Icon("chevron-left")),
						app.Button().Type("button").ID("share-viewer-next").Class("sv-btn sv-nav sv-next").Attr("aria-label", "Next (→)").Title("Next (→)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, 1) }).Body(ui.Icon("chevron-right")),
					)
				}),
				// The neighbours' previews load while this one is looked at.
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-preload").Attr("aria-hidden", "true").Body(
						galleryPreload(p.items[(p.open+1)%n].PreviewURL),
						galleryPreload(p.items[(p.open-1+n)%n].PreviewURL),
					)
				}),
			),
		app.Aside().Class("sv-panel").Body(
			app.Div().Class("sv-head").Body(
				app.H2().Class("sv-name").Text(it.Name),
				app.If(it.Path != "", func() app.UI {
					return app.P().Class("sv-path muted small").Body(ui.Icon("folder"), app.Span().Text(it.Path))
				}),
			),
			p.renderDownloads(it),
			app.Div().Class("sv-section").Body(
				app.H3().Text("Details"),
				app.Dl().Class("meta sv-meta").Body(assetDetails(it)...),
			),
		),
	)
}

func galleryPreload(src string) app.UI {
	if src == "" {
		return nil
	}
	return ui.DecorativeImg().Src(ui.AttrText(src))
}

func (p *Page) renderStage(it model.PublicAsset) app.UI {
	switch {
	case it.PlayURL != "" && it.MediaKind == "audio":
		return app.Div().Class("sv-file").Body(
			app.Div().Class("sv-file-icon").Body(ui.Icon(linkui.FileIcon(it.Filetype))),
			app.Audio().ID("share-viewer-player").Controls(true).Preload("metadata").Src(ui.AttrText(it.PlayURL)),
		)
	case it.PlayURL != "":
		// The proxy plays (poster first) on every link that shows the file,
		// view-only ones too: watching is viewing.
		return app.Div().Class("sv-frame").Body(
			app.Video().ID("share-viewer-player").Class("sv-img sv-video").Controls(true).Preload("metadata").
				Attr("playsinline", true).Poster(ui.AttrText(it.PreviewURL)).Src(ui.AttrText(it.PlayURL)).
				// A watermarked proxy may still be being made (503): the poster shows and the player tries again.
				On("error", func(ctx app.Context, e app.Event) {
					v := ctx.JSSrc()
					ctx.After(3*time.Second, func(app.Context) { v.Call("load") })
				}),
		)
	}
	if it.PreviewURL != "" {
		// Going to the next file changes the src of the same img: until the
		// new preview has loaded, the old one must not show under the new name.
		previewCls := "sv-img"
		if !strings.HasSuffix(p.loaded, it.PreviewURL) {
			previewCls += " is-loading"
		}
		return app.Div().Class("sv-frame").Body(
			// The thumbnail is already loaded: it fills the frame until the
			// large preview arrives on top of it.
			app.If(it.ThumbURL != "", func() app.UI {
				return ui.DecorativeImg().Class("sv-img sv-img-low").Src(ui.AttrText(it.ThumbURL))
			}),
			app.Img().ID("share-viewer-img").Class(previewCls).Src(ui.AttrText(it.PreviewURL)).Alt(ui.AttrText(it.Name)).
				OnLoad(func(ctx app.Context, e app.Event) { p.loaded = ctx.JSSrc().Get("src").String() }),
		)
	}
	msg := "No preview for this file."
	if len(it.Downloads) > 0 {
		msg = "No preview for this file. Download it to open it."
	}
	return app.Div().Class("sv-file "+linkui.FileClass(it.Filetype)).Body(
		app.Div().Class("sv-file-icon").Body(ui.Icon(linkui.FileIcon(it.Filetype)), app.Span().Class("gallery-ext").Text(linkui.FileExt(it.Name, it.Filetype))),
		app.P().Text(msg),
	)
}

func (p *Page) renderDownloads(it model.PublicAsset) app.UI {
	if len(it.Downloads) == 0 {
		msg := "The person who shared this link allows previews only: files cannot be downloaded."
		if p.share.CanDownload {
			msg = "This link offers no download of this file."
		}
		return app.P().Class("sv-nodl muted small").Text(msg)
	}
	return app.Div().Class("sv-downloads").Body(
		app.Range(it.Downloads).Slice(func(i int) app.UI {
			d := it.Downloads[i]
			cls := "btn btn-secondary share-download"
			if i == 0 {
				cls = "btn btn-primary share-download"
			}
			label := cmp.Or(d.Label, d.Kind)
			return app.A().Class(cls).DataSet("kind", ui.AttrText(d.Kind)).Href(ui.AttrText(d.URL)).Download(ui.AttrText(cmp.Or(d.Name, it.Name))).Body(
				ui.Icon("download"),
				app.Span().Class("share-download-label").Text(label),
				app.If(d.Size > 0, func() app.UI { return app.Span().Class("share-download-size").Text(ui.HumanBytes(d.Size)) }),
			)
		}),
	)
}
