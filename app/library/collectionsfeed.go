package library

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// CollectionsPage is a project's collections feed (Picvario, seed 001) at
// /projects/{id}/collections: every collection as a card, hidden ones with
// "Show hidden". Ticking cards selects them for the bulk-actions bar at the
// bottom (Share, Open, Clear); clicking a card opens the right sidebar,
// whose Share tab lists the collection's links and has "Create link".
type CollectionsPage struct {
	app.Compo
	projectID  string
	project    model.Project
	colls      []model.Collection // hidden ones too
	shared     map[string]int     // active links per collection
	showHidden bool
	mayShare   bool // the user may create links (else Copy link)
	selected   map[string]bool
	loaded     bool
	err        string

	focus    string            // the collection in the sidebar
	tab      string            // the sidebar's tab: info or share
	links    []model.ShareLink // the focused collection's links
	linksFor string            // the collection links were loaded for
}

// CollectionsRoute is the feed's address pattern.
const CollectionsRoute = "^/projects/[^/]+/collections$"

func (p *CollectionsPage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *CollectionsPage) OnNav(ctx app.Context) {
	parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/")
	if len(parts) == 3 {
		p.projectID = parts[1]
	}
	p.selected, p.focus, p.tab, p.links, p.linksFor = map[string]bool{}, "", "share", nil, ""
	p.loaded, p.err = false, ""
	ctx.LocalStorage().Get(showHiddenKey, &p.showHidden)
	if !app.IsClient { // the server prerenders without a session
		return
	}
	p.load(ctx)
}

func (p *CollectionsPage) load(ctx app.Context) {
	id, focus := p.projectID, p.focus
	ctx.Async(func() {
		pr, err := fetch.API.Project(id)
		var colls []model.Collection
		var shared map[string]int
		var links []model.ShareLink
		mayShare := true
		if err == nil {
			colls, err = fetch.API.CollectionsWithHidden(id)
		}
		if err == nil {
			mayShare = mayShareFrom(pr.RootAssetID)
		}
		if err == nil {
			shared, _ = fetch.API.Shared(id)
			if focus != "" {
				links, _ = fetch.API.ShareLinks(url.Values{"target_id": {focus}})
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = fetch.LoadError(ctx, err)
				return
			}
			p.project, p.colls, p.shared, p.mayShare, p.err = pr, colls, shared, mayShare, ""
			if focus == p.focus {
				p.links, p.linksFor = links, focus
			}
			if _, ok := p.byID(p.focus); !ok {
				p.focus = ""
			}
		})
	})
}

func (p *CollectionsPage) byID(id string) (model.Collection, bool) {
	for _, c := range p.colls {
		if c.ID == id {
			return c, true
		}
	}
	return model.Collection{}, false
}

// shown are the cards: hidden collections only with "Show hidden".
func (p *CollectionsPage) shown() []model.Collection {
	var out []model.Collection
	for _, c := range p.colls {
		if !c.Hidden || p.showHidden {
			out = append(out, c)
		}
	}
	return out
}

func (p *CollectionsPage) selectedIDs() []string {
	var out []string
	for _, c := range p.colls {
		if p.selected[c.ID] {
			out = append(out, c.ID)
		}
	}
	return out
}

// open shows collection id in the sidebar, on tab.
func (p *CollectionsPage) open(ctx app.Context, id, tab string) {
	p.focus, p.tab = id, tab
	if p.linksFor != id {
		p.links, p.linksFor = nil, ""
		ctx.Async(func() {
			links, err := fetch.API.ShareLinks(url.Values{"target_id": {id}})
			ctx.Dispatch(func(ctx app.Context) {
				if err == nil && p.focus == id {
					p.links, p.linksFor = links, id
				}
			})
		})
	}
}

// share opens the share dialog for collection c.
func (p *CollectionsPage) share(ctx app.Context, c model.Collection) {
	sharing.Create(ctx, "public", sharing.Target{Type: "collection", ID: c.ID, ProjectID: c.ProjectID, Name: c.Name})
}

func (p *CollectionsPage) Render() app.UI {
	shown := p.shown()
	hidden := len(p.colls) - len(shown)
	if p.showHidden {
		hidden = 0
		for _, c := range p.colls {
			if c.Hidden {
				hidden++
			}
		}
	}
	var body app.UI
	switch {
	case !p.loaded:
		body = ui.LoadingCard()
	case p.err != "":
		body = app.Div()
	case len(shown) == 0:
		body = app.Div().Class("card").ID("coll-feed-empty").Body(ui.EmptyState("collection", "No collections yet",
			"Select files in the project and click Collect: a collection is a named set of files and folders to share.", nil))
	default:
		body = app.Div().Class("coll-feed").ID("coll-feed").Body(app.Range(shown).Slice(func(i int) app.UI { return p.renderCard(shown[i]) }))
	}
	focused, hasFocus := p.byID(p.focus)
	cls := "coll-page"
	if hasFocus {
		cls += " has-side"
	}
	return shell.Frame("projects", ui.PageState(p.loaded, p.err), []app.UI{
		&sharing.Dialogs{},
		shell.Breadcrumbs(p.project, p.projectCrumb()),
		ui.PageHeader("Collections", "Named sets of files and folders of "+p.project.Name+": select one to share it, or open its Share tab.",
			app.If(hidden > 0 || p.showHidden, func() app.UI {
				return app.Label().Class("coll-toggle small").Body(
					app.Input().Type("checkbox").ID("feed-show-hidden").Checked(p.showHidden).OnChange(func(ctx app.Context, e app.Event) {
						p.showHidden = ctx.JSSrc().Get("checked").Bool()
						ctx.LocalStorage().Set(showHiddenKey, p.showHidden)
					}),
					app.Span().Text(app.FormatString("Show hidden (%d)", hidden)),
				)
			}),
			app.A().Class("btn btn-secondary").ID("feed-files").Href("/projects/"+p.projectID).Body(ui.Icon("folder"), app.Span().Text("Files")),
		),
		ui.ErrorBox(p.err),
		app.Div().Class(cls).Body(
			body,
			app.If(hasFocus, func() app.UI { return p.renderSide(focused) }),
		),
		app.If(len(p.selectedIDs()) > 0, p.renderBulkBar),
	})
}

func (p *CollectionsPage) renderCard(c model.Collection) app.UI {
	cls := "coll-card card"
	if p.selected[c.ID] {
		cls += " is-selected"
	}
	if p.focus == c.ID {
		cls += " is-focused"
	}
	var cover app.UI = app.Div().Class("coll-cover-icon").Body(ui.Icon("collection"))
	if len(c.AssetIDs) > 0 {
		cover = app.Div().Class("coll-cover-icon").Body(ui.Icon("collection"),
			app.Img().Class("coll-cover-img").Alt("").Attr("role", "presentation").Loading("lazy").
				Src("/api/v2/assets/"+c.AssetIDs[0]+"/proxies/thumb").
				On("error", func(ctx app.Context, e app.Event) { ctx.JSSrc().Get("style").Set("display", "none") }))
	}
	scope := app.EventScope(c.ID)
	return app.Article().Class(cls).DataSet("id", c.ID).DataSet("hidden", c.Hidden).Body(
		app.Button().Type("button").Class("coll-card-open").Title("Show "+c.Name+" in the sidebar").
			OnClick(func(ctx app.Context, e app.Event) { p.open(ctx, c.ID, "share") }, scope).Body(
			app.Div().Class("coll-cover").Body(cover),
			app.Div().Class("coll-card-body").Body(
				app.Div().Class("coll-card-name").Title(c.Name).Body(sharing.ChainIcon(p.shared[c.ID]),
					app.If(c.Hidden, func() app.UI { return ui.Icon("eye-off") }), app.Span().Text(c.Name)),
				app.Div().Class("muted small").Text(ui.Plural(len(c.AssetIDs), "item", "items")+" · "+c.InsertedAt.Local().Format("2 Jan 2006")),
			),
		),
		app.Input().Type("checkbox").Class("coll-check").Attr("aria-label", "Select "+c.Name).Checked(p.selected[c.ID]).
			OnChange(func(ctx app.Context, e app.Event) {
				on := ctx.JSSrc().Get("checked").Bool()
				p.selected[c.ID] = on
				if on {
					p.open(ctx, c.ID, p.tab)
				} else if ids := p.selectedIDs(); p.focus == c.ID && len(ids) > 0 {
					p.open(ctx, ids[0], p.tab) // the sidebar follows the selection
				}
			}, scope),
	)
}

// renderBulkBar is the bottom bar of the selection: Share (one collection
// at a time: a link shares one collection), Open and Clear.
func (p *CollectionsPage) renderBulkBar() app.UI {
	ids := p.selectedIDs()
	one, _ := p.byID(ids[0])
	shareTitle := "Create a link to " + one.Name
	if len(ids) > 1 {
		shareTitle = "A link shares one collection: select only the one to share"
	}
	return app.Div().Class("bulk-bar").ID("coll-bulk-bar").Attr("role", "region").Attr("aria-label", "Selected collections").Body(
		app.Span().Class("bulk-count").ID("coll-bulk-count").Text(ui.Plural(len(ids), "collection", "collections")+" selected"),
		app.Div().Class("bulk-actions").Body(
			app.Button().Type("button").Class("btn btn-primary").ID("coll-bulk-share").Title(shareTitle).Disabled(len(ids) != 1 || !p.mayShare).
				OnClick(func(ctx app.Context, e app.Event) {
					if c, ok := p.byID(p.selectedIDs()[0]); ok && len(p.selectedIDs()) == 1 {
						p.open(ctx, c.ID, "share") // the new link shows in its Share tab
						p.share(ctx, c)
					}
				}).Body(ui.Icon("share"), app.Span().Text(map[bool]string{true: "Share", false: app.FormatString("Share 1/%d", len(ids))}[len(ids) == 1])),
			app.A().Class("btn btn-secondary").ID("coll-bulk-open").Href("/projects/"+p.projectID+"?collection="+one.ID).
				Body(ui.Icon("folder"), app.Span().Text("Open")),
			ui.Button("Clear", "ghost", func(ctx app.Context, e app.Event) { p.selected = map[string]bool{} }).ID("coll-bulk-clear"),
		),
	)
}

// renderSide is the right sidebar of collection c: Info and Share tabs.
func (p *CollectionsPage) renderSide(c model.Collection) app.UI {
	return app.Aside().Class("coll-side card").ID("coll-side").Attr("aria-label", c.Name).DataSet("id", c.ID).Body(
		app.Div().Class("coll-side-head").Body(
			app.H2().Class("coll-side-title").Title(c.Name).Text(c.Name),
			app.Button().Type("button").Class("icon-btn").ID("coll-side-close").Attr("aria-label", "Close the sidebar").
				OnClick(func(ctx app.Context, e app.Event) { p.focus = "" }).Body(ui.Icon("x")),
		),
		ui.TabBar{Class: "coll-side-tabs", Active: p.tab, Tabs: []ui.Tab{
			{Key: "info", Label: "Info", ID: "coll-tab-info"},
			{Key: "share", Label: "Share", ID: "coll-tab-share", Count: countText(len(p.links))},
		}, OnSelect: func(ctx app.Context, key string) { p.tab = key }}.UI(),
		app.If(p.tab == "share", func() app.UI {
			return app.Div().Class("coll-side-body").ID("coll-side-share").Body(
				app.If(p.mayShare, func() app.UI {
					return app.Button().Type("button").Class("btn btn-primary coll-create-link").ID("coll-create-link").
						OnClick(func(ctx app.Context, e app.Event) { p.share(ctx, c) }).Body(ui.Icon("chain"), app.Span().Text("Create link"))
				}).Else(func() app.UI {
					return copyLinkButton("coll-copy-link", func(ctx app.Context, e app.Event) {
						sharing.CopyInternal(ctx, "/projects/"+p.projectID+"?collection="+c.ID)
					})
				}),
				app.If(p.linksFor != c.ID, func() app.UI { return ui.Loading() }).Else(func() app.UI {
					return sharing.LinkList(p.links, "No links to this collection yet.")
				}),
			)
		}).Else(func() app.UI {
			return app.Dl().Class("meta coll-side-body").ID("coll-side-info").Body(
				app.Dt().Text("Items"), app.Dd().Text(ui.Plural(len(c.AssetIDs), "item", "items")),
				app.Dt().Text("Created"), app.Dd().Text(c.InsertedAt.Local().Format("2 Jan 2006, 15:04")),
				app.Dt().Text("Visibility"), app.Dd().Text(map[bool]string{true: "Hidden: listed only with Show hidden; links still work", false: "Listed"}[c.Hidden]),
				app.Dt().Text("Open"), app.Dd().Body(app.A().ID("coll-side-open").Href("/projects/"+p.projectID+"?collection="+c.ID).Text("Show its files")),
			)
		}),
	)
}

func countText(n int) string {
	if n == 0 {
		return ""
	}
	return app.FormatString("%d", n)
}

// projectCrumb leads back to the project's files.
func (p *CollectionsPage) projectCrumb() []model.Asset {
	if p.project.RootAssetID == "" {
		return nil
	}
	return []model.Asset{{ID: p.project.RootAssetID, Name: p.project.Name}}
}
