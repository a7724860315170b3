// Package reviewlinks is the members' pages of review links: the list with
// its tallies, one link's page, and the dialogs that create, edit and
// share them.
package reviewlinks

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
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
	projectID string // "" means every project
	project   model.Project
	names     map[string]string // project names, for every project's list

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
	projectID := ""
	if parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/"); len(parts) == 3 && parts[0] == "projects" {
		projectID = parts[1]
	}
	if projectID != p.projectID || p.status == "" {
		p.projectID, p.project, p.names = projectID, model.Project{}, nil
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
	seq, projectID := p.loadSeq, p.projectID
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
			p.loaded = true
			if err != nil {
				if fetch.IsUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			sort.SliceStable(links, func(i, j int) bool { return links[i].InsertedAt.After(links[j].InsertedAt) })
			p.links, p.tallies, p.project, p.err = links, tallies, pr, ""
			if prs != nil {
				p.names = map[string]string{}
				for _, x := range prs {
					p.names[x.ID] = x.Name
				}
			}
		})
	})
}

func (p *Page) shown() []model.ReviewLink {
	q := strings.ToLower(strings.TrimSpace(p.q))
	var out []model.ReviewLink
	for _, l := range p.links {
		if (p.status == "active" && !l.IsActive) || (p.status == "inactive" && l.IsActive) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.Name+" "+p.names[l.ProjectID]), q) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (p *Page) Render() app.UI {
	subtitle := "Links where clients comment on and approve your work, no account needed. Select files in a project and click Review to make one."
	var crumbs, action app.UI
	if p.projectID != "" {
		subtitle = "Links where clients comment on and approve files of this project, no account needed."
		var root []model.Asset
		if p.project.ID != "" {
			root = []model.Asset{{ID: p.project.RootAssetID, Name: p.project.Name}}
		}
		crumbs = shell.Breadcrumbs(p.project, root)
		action = app.A().Class("btn btn-primary").ID("rl-pick-files").Href("/projects/"+p.projectID).
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
	return shell.Frame("review", ui.PageState(p.loaded, p.err), []app.UI{
		&Dialogs{},
		crumbs,
		ui.PageHeader("Review Links", subtitle, action),
		ui.ErrorBox(p.err),
		app.Div().Class("stats rl-stats").Body(
			ui.KeyedStatCard("links", "Review links", strconv.Itoa(len(p.links)), false),
			ui.KeyedStatCard("views", "Views", strconv.Itoa(views), false),
			ui.KeyedStatCard("approved", "Approved", strconv.Itoa(sum.approved), false),
			ui.KeyedStatCard("changes", "Needs changes", strconv.Itoa(sum.changes), sum.changes > 0),
			ui.KeyedStatCard("rejected", "Rejected", strconv.Itoa(sum.rejected), sum.rejected > 0),
		),
		linkui.Toolbar("", ui.TabBar{TabClass: "rl-tab", Active: p.status, Tabs: linkui.Counted(reviewLinkTabs, counts),
			OnSelect: func(ctx app.Context, key string) { p.status = key }},
			ui.Search("", "rl-search", "Search review links", "Search name or project", p.q, p.ValueTo(&p.q))),
		p.renderLinks(),
	})
}

func (p *Page) renderLinks() app.UI {
	shown := p.shown()
	switch {
	case !p.loaded:
		return ui.LoadingCard()
	case len(p.links) == 0 && p.err != "":
		return nil
	case len(p.links) == 0:
		href := "/projects"
		if p.projectID != "" {
			href = "/projects/" + p.projectID
		}
		return app.Div().Class("card").ID("rl-empty").Body(ui.EmptyState("review", "No review links yet",
			"Select files in a project and click Review: clients get one link where they comment on each file and approve it or ask for changes. Their verdicts show up here as they come in.",
			app.A().Class("btn btn-primary").Href(href).Text(map[bool]string{true: "Go to the project", false: "Go to Projects"}[p.projectID != ""])))
	case len(shown) == 0:
		return app.Div().Class("card").ID("rl-empty").Body(ui.EmptyState("review", "No matching links", "No review link on this tab matches the search.", nil))
	}
	return app.Div().Class("rl-grid").ID("rl-list").Body(app.Range(shown).Slice(func(i int) app.UI {
		return p.renderCard(shown[i])
	}))
}

// rlActions are the buttons of a link: copy, QR, unlock, edit and delete.
// Each says its operation in data-op for onAction.
func rlActions(l model.ReviewLink, onAction app.EventHandler) app.UI {
	act := func(op, cls, iconName, label string) app.UI {
		return app.Button().Type("button").Class("icon-btn "+cls).DataSet("op", op).Title(label).
			Attr("aria-label", label+": "+l.Name).OnClick(onAction).Body(ui.Icon(iconName))
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
			app.If(p.projectID == "" && p.names[l.ProjectID] != "", func() app.UI {
				return app.A().Class("ul-project").Href("/projects/"+l.ProjectID+"/review-links").Title("Review links of "+p.names[l.ProjectID]).
					Body(ui.Icon("folder"), app.Span().Text(p.names[l.ProjectID]))
			}),
		),
		app.If(l.ShortURL != "", func() app.UI {
			return app.Button().Type("button").Class("slr-url rl-url").DataSet("op", "copy").Title("Copy link").
				OnClick(p.onAction).Text(shareShortURLOf(l.ShortURL))
		}).Else(func() app.UI {
			// Only its creator, the project's owner and admins see a link's address.
			return app.P().Class("muted small rl-url").Text("Made by " + l.OwnerName)
		}),
		app.Div().Class("ul-figures rl-figures").Body(
			app.Div().Body(
				app.Div().Class("ul-figure rl-items").Text(strconv.Itoa(l.ItemCount)),
				app.Div().Class("muted small").Text(map[bool]string{true: "item", false: "items"}[l.ItemCount == 1]),
			),
			app.Div().Body(
				app.Div().Class("ul-figure rl-views").Text(strconv.Itoa(l.ViewCount)),
				app.Div().Class("muted small").Text(map[bool]string{true: "view", false: "views"}[l.ViewCount == 1]),
			),
			app.Div().Body(
				app.Div().Class("ul-figure rl-comments").Text(map[bool]string{true: strconv.Itoa(t.comments), false: "–"}[known]),
				app.Div().Class("muted small").Text(map[bool]string{true: "comment", false: "comments"}[t.comments == 1]),
			),
		),
		app.If(known, func() app.UI { return rlTallyLine(t) }),
		app.Div().Class("ul-foot").Body(
			app.Span().Class("ul-expiry").Title(rlExpiryDate(l)).Body(ui.Icon("clock"), app.Span().Text(rlExpiry(l, time.Now()))),
			app.A().Class("rl-activity-link").Href("/review-links/"+l.ID).Text("Activity →"),
		),
	)
}

// shareShortURLOf drops the scheme: the rest is what people read.
func shareShortURLOf(u string) string {
	if x, err := url.Parse(u); err == nil && x.Host != "" {
		return x.Host + x.Path
	}
	return u
}
