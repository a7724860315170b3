package library

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Hidden collections (Picvario, seed 001): kept out of the strip unless
// "Show hidden" is on, yet they open, and their links work, as any other.

// showHiddenKey remembers the "Show hidden" toggle in the browser.
const showHiddenKey = "ferry.showHiddenCollections"

// stripColls are the collections the strip lists: hidden ones only with
// "Show hidden" on, and always the one open.
func (p *FolderPage) stripColls() []model.Collection {
	var out []model.Collection
	for _, c := range p.colls {
		if !c.Hidden || p.showHidden || (p.coll != nil && p.coll.ID == c.ID) {
			out = append(out, c)
		}
	}
	return out
}

func (p *FolderPage) hiddenCount() int {
	n := 0
	for _, c := range p.colls {
		if c.Hidden {
			n++
		}
	}
	return n
}

func (p *FolderPage) toggleShowHidden(ctx app.Context, e app.Event) {
	p.showHidden = !p.showHidden
	ctx.LocalStorage().Set(showHiddenKey, p.showHidden)
}

// setHidden hides or unhides the collection shown.
func (p *FolderPage) setHidden(hidden bool) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		id := p.coll.ID
		ctx.Async(func() {
			_, err := fetch.API.UpdateCollection(id, model.CollectionPatch{Hidden: &hidden})
			ctx.Dispatch(func(ctx app.Context) {
				if err != nil {
					p.err = err.Error()
					return
				}
				if hidden {
					shell.Toast(ctx, "Collection hidden: its links keep working")
				} else {
					shell.Toast(ctx, "Collection shown in the list again")
				}
				shell.Reload(ctx)
			})
		})
	}
}

// collect makes a collection of the selected items, hidden if asked.
func (p *FolderPage) collect(hidden bool) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		var ids []string
		for _, a := range p.items {
			if p.selected[a.ID] {
				ids = append(ids, a.ID)
			}
		}
		projectID := p.project.ID
		ctx.Async(func() {
			col, err := fetch.API.CreateCollection(projectID, model.NewCollection{AssetIDs: ids, Hidden: hidden})
			ctx.Dispatch(func(ctx app.Context) {
				if err != nil {
					p.err = err.Error()
					return
				}
				p.selected = map[string]bool{}
				if hidden {
					shell.Toast(ctx, "Created the hidden collection \""+col.Name+"\"")
				} else {
					shell.Toast(ctx, "Created \""+col.Name+"\"")
				}
				shell.Reload(ctx)
			})
		})
	}
}

// renderCollectActions are "Collect n selected" and its hidden twin.
func (p *FolderPage) renderCollectActions(n int) app.UI {
	return app.Div().Class("collect-actions").Body(
		ui.Button(app.FormatString("Collect %d selected", n), "secondary", p.collect(false)).ID("make-collection"),
		app.Button().Type("button").Class("icon-btn").ID("make-hidden-collection").
			Title("Collect as a hidden collection: listed only with \"Show hidden\", its links still work").
			Attr("aria-label", "Collect as a hidden collection").OnClick(p.collect(true)).Body(ui.Icon("eye-off")),
	)
}

// renderCollectionActions are Hide or Unhide and Delete of the collection shown.
func (p *FolderPage) renderCollectionActions() app.UI {
	hide := ui.Button("Hide", "ghost", p.setHidden(true)).ID("hide-collection").
		Title("Hide: listed only with \"Show hidden\"; its links keep working")
	if p.coll.Hidden {
		hide = ui.Button("Unhide", "ghost", p.setHidden(false)).ID("unhide-collection").Title("List it again for everyone")
	}
	return app.Div().Class("project-actions").Body(
		app.If(p.coll.Hidden, func() app.UI { return ui.Badge("Hidden", "grey") }),
		hide,
		app.Button().Type("button").Class("icon-btn danger").Title("Delete collection").Attr("aria-label", "Delete collection").ID("delete-collection").
			OnClick(p.deleteCollection).Body(ui.Icon("trash")),
	)
}

// renderCollections is the strip of the project's collections.
func (p *FolderPage) renderCollections() app.UI {
	if len(p.colls) == 0 {
		return nil
	}
	shown, hidden := p.stripColls(), p.hiddenCount()
	return app.Div().Class("coll-strip").ID("coll-strip").Body(
		app.Span().Class("muted small").Text("Collections"),
		app.If(p.coll != nil, func() app.UI {
			return app.A().Class("chip-link").Href("/projects/" + p.project.ID).Text("All files")
		}),
		app.Range(shown).Slice(func(i int) app.UI {
			c := shown[i]
			cls := "chip-link"
			if p.coll != nil && p.coll.ID == c.ID {
				cls += " on"
			}
			title := ""
			if c.Hidden {
				cls += " coll-hidden"
				title = "Hidden collection"
			}
			return app.A().Class(cls).Href("/projects/"+p.project.ID+"?collection="+c.ID).DataSet("id", c.ID).
				DataSet("hidden", strconv.FormatBool(c.Hidden)).Title(title).Body(
				sharing.ChainIcon(p.shared[c.ID]),
				app.If(c.Hidden, func() app.UI { return ui.Icon("eye-off") }),
				app.Text(app.FormatString("%s · %d", c.Name, len(c.AssetIDs))),
				app.If(c.Hidden, func() app.UI { return app.Span().Class("sr-only").Text(" (hidden)") }),
			)
		}),
		app.If(hidden > 0, func() app.UI {
			return app.Label().Class("coll-toggle small").Body(
				app.Input().Type("checkbox").ID("show-hidden-collections").Checked(p.showHidden).OnChange(p.toggleShowHidden),
				app.Span().Text(app.FormatString("Show hidden (%d)", hidden)),
			)
		}),
	)
}
