package share

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// galleryGrid is a link's files as tiles, grouped by folder, each folder
// named when there are several; a tile opens the viewer. It keeps which
// tile Enter went down on.
type galleryGrid struct {
	app.Compo
	Items  []model.PublicAsset
	Groups []shareGroup
	Title  string                                    // the link's folder's name, for the files right in it
	Manage func(id, name string, tile app.UI) app.UI // nil unless the visitor may change files
	OnOpen func(ctx app.Context, i int)

	enter ui.EnterOpener
}

func (g *galleryGrid) Render() app.UI {
	return app.Div().Class("gal-groups").Body(
		app.Range(g.Groups).Slice(func(i int) app.UI { return g.renderGroup(g.Groups[i]) }),
	)
}

func (gg *galleryGrid) renderGroup(g shareGroup) app.UI {
	showLabel := len(gg.Groups) > 1 || g.path != ""
	label := g.path
	if label == "" {
		label = cmp.Or(gg.Title, "Top level")
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
			app.Range(g.items).Slice(func(i int) app.UI {
				t := g.items[i]
				tile := galleryTile(gg.Items[t], t, &gg.enter, gg.OnOpen)
				if gg.Manage != nil {
					return gg.Manage(gg.Items[t].ID, gg.Items[t].Name, tile)
				}
				return tile
			}),
		),
	)
}

// renderTile is the tile of item i of the browser.
func (p *Page) renderTile(i int) app.UI {
	it := p.items[i]
	tile := galleryTile(it, i, &p.enter, p.show)
	if p.share.CanModify {
		return p.manage(it.ID, it.Name, tile)
	}
	return tile
}

// manage puts a checkbox and a "…" menu on a tile of a full link.
func (p *Page) manage(id, name string, tile app.UI) app.UI {
	return p.files.renderManaged(p, id, name, false, tile)
}

// galleryTile is the tile of it, item i; it opens on a click or Enter.
func galleryTile(it model.PublicAsset, i int, enter *ui.EnterOpener, open func(ctx app.Context, i int)) app.UI {
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
	return enter.On(app.A(), it.ID, func(ctx app.Context) { open(ctx, i) }).
		Class("gallery-tile "+linkui.FileClass(it.Filetype)).DataSet("id", ui.AttrText(it.ID)).
		Href(ui.AttrText(href)).Title(ui.AttrText(it.Name)).
		OnClick(func(ctx app.Context, e app.Event) {
			if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
				return // the browser opens the preview in a new tab or window
			}
			e.PreventDefault()
			e.StopImmediatePropagation() // go-app would follow the href
			open(ctx, i)
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
}
