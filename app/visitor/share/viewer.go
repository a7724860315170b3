package share

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// viewer is the file a visitor opened, over the gallery: the picture or
// player (a swipe goes to the next file), previous and next, and a panel
// with the downloads and details. It keeps the swipe and which preview has
// loaded; the page keeps which file is open.
type viewer struct {
	app.Compo
	Items       []model.PublicAsset
	Index       int  // of the file shown in Items
	CanDownload bool // the link allows downloads (of other files)
	OnClose     func(ctx app.Context)
	OnStep      func(ctx app.Context, d int)

	touchX float64 // where a swipe started
	loaded string  // the preview that has loaded (absolute URL)
}

func (v *viewer) Render() app.UI {
	it := v.Items[v.Index]
	n := len(v.Items)
	return app.Div().ID("share-viewer").Class("sv").Attr("role", "dialog").Attr("aria-modal", "true").Attr("aria-label", ui.AttrText(it.Name)).DataSet("id", ui.AttrText(it.ID)).Body(
		app.Div().Class("sv-stage").
			On("touchstart", func(ctx app.Context, e app.Event) {
				v.touchX = e.Get("changedTouches").Index(0).Get("clientX").Float()
			}).
			On("touchend", func(ctx app.Context, e app.Event) {
				// A horizontal swipe on the picture goes to the next or previous file.
				switch dx := e.Get("changedTouches").Index(0).Get("clientX").Float() - v.touchX; {
				case dx > 60:
					v.OnStep(ctx, -1)
				case dx < -60:
					v.OnStep(ctx, 1)
				}
			}).
			Body(
				app.Div().Class("sv-bar").Body(
					app.Span().Class("sv-count").Text(strconv.Itoa(v.Index+1)+" / "+strconv.Itoa(n)),
					app.Span().Class("sv-title").Text(it.Name),
					app.Button().Type("button").ID("share-viewer-close").Class("sv-btn sv-close").Attr("aria-label", "Close (Esc)").Title("Close (Esc)").
						OnClick(func(ctx app.Context, e app.Event) { v.OnClose(ctx) }).Body(ui.Icon("x")),
				),
				v.renderStage(it),
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-navs").Body(
						app.Button().Type("button").ID("share-viewer-prev").Class("sv-btn sv-nav sv-prev").Attr("aria-label", "Previous (←)").Title("Previous (←)").
							OnClick(func(ctx app.Context, e app.Event) { v.OnStep(ctx, -1) }).Body(ui.Icon("chevron-left")),
						app.Button().Type("button").ID("share-viewer-next").Class("sv-btn sv-nav sv-next").Attr("aria-label", "Next (→)").Title("Next (→)").
							OnClick(func(ctx app.Context, e app.Event) { v.OnStep(ctx, 1) }).Body(ui.Icon("chevron-right")),
					)
				}),
				// The neighbours' previews load while this one is looked at.
				app.If(n > 1, func() app.UI {
					return app.Div().Class("sv-preload").Attr("aria-hidden", "true").Body(
						galleryPreload(v.Items[(v.Index+1)%n].PreviewURL),
						galleryPreload(v.Items[(v.Index-1+n)%n].PreviewURL),
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
			v.renderDownloads(it),
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

func (v *viewer) renderStage(it model.PublicAsset) app.UI {
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
					player := ctx.JSSrc()
					ctx.After(3*time.Second, func(app.Context) { player.Call("load") })
				}),
		)
	}
	if it.PreviewURL != "" {
		// Going to the next file changes the src of the same img: until the
		// new preview has loaded, the old one must not show under the new name.
		previewCls := "sv-img"
		if !strings.HasSuffix(v.loaded, it.PreviewURL) {
			previewCls += " is-loading"
		}
		return app.Div().Class("sv-frame").Body(
			// The thumbnail is already loaded: it fills the frame until the
			// large preview arrives on top of it.
			app.If(it.ThumbURL != "", func() app.UI {
				return ui.DecorativeImg().Class("sv-img sv-img-low").Src(ui.AttrText(it.ThumbURL))
			}),
			app.Img().ID("share-viewer-img").Class(previewCls).Src(ui.AttrText(it.PreviewURL)).Alt(ui.AttrText(it.Name)).
				OnLoad(func(ctx app.Context, e app.Event) { v.loaded = ctx.JSSrc().Get("src").String() }),
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

func (v *viewer) renderDownloads(it model.PublicAsset) app.UI {
	if len(it.Downloads) == 0 {
		msg := "The person who shared this link allows previews only: files cannot be downloaded."
		if v.CanDownload {
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
