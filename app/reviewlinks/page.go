// Package reviewlinks is the members' pages of review links: the list with
// its tallies, one link's page, and the dialogs that create, edit and
// share them.
package reviewlinks

import (
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// ---- the lists: Links > Review and a project's Review Links ----

// Page lists review links with their figures: every project's
// on /links/review, one project's on /projects/{id}/review-links.
type Page struct {
	app.Compo
	scope   linkui.Scope
	project model.Project
	names   map[string]string // project names, for every project's list

	links   []model.ReviewLink
	tallies map[string]rlTally
	status  string
	q       string
	loaded  bool
	err     string
	loadSeq int
}

var reviewLinkTabs = []ui.Tab{{Key: "all", Label: "All"}, {Key: "active", Label: "Active"}, {Key: "inactive", Label: "Inactive"}}

func (p *Page) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *Page) OnNav(ctx app.Context) {
	if p.scope.Nav(ctx.Page().URL().Path) {
		p.project, p.names = model.Project{}, nil
		p.links, p.tallies, p.status, p.q, p.loaded, p.err = nil, nil, "all", "", false, ""
	}
	// The server prerenders without a session: it would only show an error.
	if !app.IsClient {
		return
	}
	p.load(ctx)
}

func (p *Page) load(ctx app.Context) {
	p.loadSeq++
	seq, projectID := p.loadSeq, p.scope.Project()
	ctx.Async(func() {
		var links []model.ReviewLink
		var pr model.Project
		var prs []model.Project
		var err error
		if projectID != "" {
			pr, err = fetch.API.Project(projectID)
			if err == nil {
				links, err = fetch.API.ReviewLinks(projectID, fetch.AllPages())
			}
		} else {
			links, err = fetch.API.ReviewLinks("", fetch.AllPages())
			if err == nil {
				prs, _ = fetch.API.Projects(fetch.AllPages())
			}
		}
		// The verdicts are extra: without them the list still shows.
		tallies := map[string]rlTally{}
		if err == nil {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, l := range links {
				wg.Add(1)
				go func(id string) {
					defer wg.Done()
					if act, err := fetch.API.ReviewActivity(id); err == nil {
						mu.Lock()
						tallies[id] = tallyOf(act)
						mu.Unlock()
					}
				}(l.ID)
			}
			wg.Wait()
		}
		ctx.Dispatch(func(ctx app.Context) {
			if seq != p.loadSeq {
				return
			}
			linkui.Loaded(ctx, err, &p.loaded, &p.err, func() {
				sort.SliceStable(links, func(i, j int) bool { return links[i].InsertedAt.After(links[j].InsertedAt) })
				p.links, p.tallies, p.project = links, tallies, pr
				if prs != nil {
					p.names = map[string]string{}
					for _, x := range prs {
						p.names[x.ID] = x.Name
					}
				}
			})
		})
	})
}

func (p *Page) shown() []model.ReviewLink {
	var out []model.ReviewLink
	for _, l := range p.links {
		if (p.status == "active" && !l.IsActive) || (p.status == "inactive" && l.IsActive) {
			continue
		}
		if linkui.Matches(p.q, l.Name+" "+p.names[l.ProjectID]) {
			out = append(out, l)
		}
	}
	return out
}

func (p *Page) Render() app.UI {
	subtitle := "Links where clients comment on and approve your work, no account needed. Select files in a project and click Review to make one."
	var crumbs, action app.UI
	if p.scope.Project() != "" {
		subtitle = "Links where clients comment on and approve files of this project, no account needed."
		crumbs = linkui.ProjectCrumbs(p.project)
		action = app.A().Class("btn btn-primary").ID("rl-pick-files").Href("/projects/"+p.scope.Project()).
			Body(ui.Icon("plus"), app.Span().Text("Select files to review"))
	}
	counts := map[string]int{"all": len(p.links)}
	views := 0
	var sum rlTally
	for _, l := range p.links {
		if l.IsActive {
			counts["active"]++
		} else {
			counts["inactive"]++
		}
		views += l.ViewCount
		t := p.tallies[l.ID]
		sum.approved += t.approved
		sum.changes += t.changes
		sum.rejected += t.rejected
	}
	return linkui.ListPage{
		Section: "review", Loaded: p.loaded, Err: p.err,
		Top:   []app.UI{&Dialogs{}, crumbs},
		Title: "Review Links", Subtitle: subtitle, Actions: []app.UI{action},
		Stats: linkui.Stats("rl-stats",
			ui.KeyedStatCard("links", "Review links", strconv.Itoa(len(p.links)), false),
			ui.KeyedStatCard("views", "Views", strconv.Itoa(views), false),
			ui.KeyedStatCard("approved", "Approved", strconv.Itoa(sum.approved), false),
			ui.KeyedStatCard("changes", "Needs changes", strconv.Itoa(sum.changes), sum.changes > 0),
			ui.KeyedStatCard("rejected", "Rejected", strconv.Itoa(sum.rejected), sum.rejected > 0),
		),
		Toolbar: linkui.Toolbar("", ui.TabBar{TabClass: "rl-tab", Active: p.status, Tabs: linkui.Counted(reviewLinkTabs, counts),
			OnSelect: func(ctx app.Context, key string) { p.status = key }},
			ui.Search("", "rl-search", "Search review links", "Search name or project", p.q, p.ValueTo(&p.q))),
		List: p.renderLinks(),
	}.UI()
}

func (p *Page) renderLinks() app.UI {
	shown := p.shown()
	href := "/projects"
	if p.scope.Project() != "" {
		href = "/projects/" + p.scope.Project()
	}
	return linkui.ListState{Loaded: p.loaded, Err: p.err, Held: len(p.links), Shown: len(shown)}.UI(
		linkui.Empty{ID: "rl-empty", Icon: "review", Title: "No review links yet",
			Text:   "Select files in a project and click Review: clients get one link where they comment on each file and approve it or ask for changes. Their verdicts show up here as they come in.",
			Action: app.A().Class("btn btn-primary").Href(href).Text(map[bool]string{true: "Go to the project", false: "Go to Projects"}[p.scope.Project() != ""])},
		linkui.Empty{ID: "rl-empty", Icon: "review", Title: "No matching links", Text: "No review link on this tab matches the search."},
		func() app.UI {
			return app.Div().Class("rl-grid").ID("rl-list").Body(app.Range(shown).Slice(func(i int) app.UI {
				return p.renderCard(shown[i])
			}))
		})
}

// rlActions are the buttons of a link: copy, QR, unlock, edit and delete.
// Each says its operation in data-op for onAction.
func rlActions(l model.ReviewLink, onAction app.EventHandler) app.UI {
	act := func(op, cls, iconName, label string) app.UI {
		return linkui.IconAction(cls, iconName, label, l.Name).DataSet("op", op).OnClick(onAction)
	}
	return app.Div().Class("rl-actions").Body(
		act("copy", "rl-copy-btn", "copy", "Copy link"),
		act("qr", "rl-qr-btn", "qr", "QR code"),
		app.If(l.Locked, func() app.UI { return act("unlock", "rl-unlock-btn", "lock", "Unlock") }),
		act("edit", "rl-edit-btn", "edit", "Edit link"),
		act("delete", "rl-delete-btn danger", "trash", "Delete link"),
	)
}

// onAction runs the data-op of the clicked button on the link of its row.
func (p *Page) onAction(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, op := ui.ClosestData(ctx, "id"), ui.ClosestData(ctx, "op")
	for _, l := range p.links {
		if l.ID != id {
			continue
		}
		if op == "copy" {
			ui.CopyText(l.ShortURL)
			shell.Toast(ctx, "Link copied")
			return
		}
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l})
		return
	}
}

func (p *Page) renderCard(l model.ReviewLink) app.UI {
	cls := "card rl-card review-link-row"
	if !l.IsActive {
		cls += " is-faded"
	}
	t, known := p.tallies[l.ID]
	return app.Div().Class(cls).DataSet("id", l.ID).DataSet("active", strconv.FormatBool(l.IsActive)).Body(
		app.Div().Class("rl-card-head").Body(
			app.A().Class("rl-name").Href("/review-links/"+l.ID).Title(l.Name).Text(l.Name),
			rlActions(l, p.onAction),
		),
		app.Div().Class("rl-badges").Body(
			rlStatusBadge(l),
			app.If(l.HasPassword, func() app.UI {
				return app.Span().Class("badge badge-grey rl-pw").Title("Password protected").Body(ui.Icon("lock"), app.Span().Text("Password"))
			}),
			app.If(p.scope.Project() == "" && p.names[l.ProjectID] != "", func() app.UI {
				return linkui.ProjectChip("/projects/"+l.ProjectID+"/review-links", "Review links of "+p.names[l.ProjectID], p.names[l.ProjectID])
			}),
		),
		app.If(l.ShortURL != "", func() app.UI {
			return app.Button().Type("button").Class("slr-url rl-url").DataSet("op", "copy").Title("Copy link").
				OnClick(p.onAction).Text(linkui.ShortURL(l.ShortURL))
		}).Else(func() app.UI {
			// Only its creator, the project's owner and admins see a link's address.
			return app.P().Class("muted small rl-url").Text("Made by " + l.OwnerName)
		}),
		app.Div().Class("ul-figures rl-figures").Body(
			linkui.Figure("rl-items", strconv.Itoa(l.ItemCount), map[bool]string{true: "item", false: "items"}[l.ItemCount == 1]),
			linkui.Figure("rl-views", strconv.Itoa(l.ViewCount), map[bool]string{true: "view", false: "views"}[l.ViewCount == 1]),
			linkui.Figure("rl-comments", map[bool]string{true: strconv.Itoa(t.comments), false: "–"}[known],
				map[bool]string{true: "comment", false: "comments"}[t.comments == 1]),
		),
		app.If(known, func() app.UI { return rlTallyLine(t) }),
		app.Div().Class("ul-foot").Body(
			linkui.ExpiryChip(rlExpiryDate(l), rlExpiry(l, time.Now())),
			app.A().Class("rl-activity-link").Href("/review-links/"+l.ID).Text("Activity →"),
		),
	)
}
