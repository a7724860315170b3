package sharing

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// shareStatusBadge shows a link's status.
func shareStatusBadge(l model.ShareLink) app.UI {
	switch l.Status {
	case "active":
		return ui.Badge("Active", "green")
	case "expired":
		return ui.Badge("Expired", "grey")
	case "used_up":
		return app.Span().Class("badge badge-amber").Title("All its uses are used up; raise Max uses to open it again").Text("Used up")
	case "locked":
		return app.Span().Class("badge badge-red").Title("Locked after too many wrong passwords").Text("Locked")
	case "target_deleted":
		return app.Span().Class("badge badge-red").Title("What this link shared was deleted; visitors are told so").Text("Target deleted")
	}
	return ui.Badge(l.Status, "grey")
}

// shareExpiry says when a link stops, or stopped, working: a day more
// than two days ahead.
func shareExpiry(l model.ShareLink, now time.Time) string {
	if l.ExpiresAt != nil && l.ExpiresAt.Sub(now) > 48*time.Hour {
		return "Expires " + l.ExpiresAt.Local().Format("2 Jan 2006")
	}
	return linkui.Expiry(l.ExpiresAt, now)
}

func shareUses(l model.ShareLink) string {
	if l.MaxUses != nil {
		return app.FormatString("%d / %d uses", l.Uses, *l.MaxUses)
	}
	return ui.Plural(l.Uses, "use", "uses")
}

func shareKindLabel(kind string) string {
	if kind == "download" {
		return "Download link"
	}
	return "Public link"
}

// ActiveLinks counts the links that work now.
func ActiveLinks(ls []model.ShareLink) int {
	n := 0
	for _, l := range ls {
		if l.Status == "active" {
			n++
		}
	}
	return n
}

// ChainIcon marks what n active links share; nothing when n is 0.
func ChainIcon(n int) app.UI {
	if n <= 0 {
		return nil
	}
	label := "Public link is active."
	if n > 1 {
		label = app.FormatString("Public link is active. (%d links)", n)
	}
	return app.Span().Class("chain-icon").Title(label).Attr("aria-label", label).Attr("role", "img").DataSet("links", n).Body(ui.Icon("chain"))
}

// LinksLostNote warns what deleting something shared ends.
func LinksLostNote(n int) string {
	if n <= 0 {
		return ""
	}
	return " Access via " + ui.Plural(n, "link", "links") + " will be lost."
}

// ConfirmWithLinks asks msg, naming the share links the delete would leave
// without a target (read by affected; n, the count known, when they cannot
// be read), and runs then if the member agrees.
func ConfirmWithLinks(ctx app.Context, affected func() ([]model.ShareLink, error), msg string, n int, then func(app.Context)) {
	ctx.Async(func() {
		out, err := affected()
		ctx.Dispatch(func(ctx app.Context) {
			note := LinksLostNote(n)
			if err == nil {
				note = LinksLostNote(len(out))
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

// PageHeaderLinked is pageHeader with the chain icon of what the page
// shows when it has active links.
func PageHeaderLinked(title string, active int, actions ...app.UI) app.UI {
	return app.Div().Class("page-head").Body(
		app.Div().Body(app.H1().Class("sl-title").Body(app.Span().Text(title), ChainIcon(active))),
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
		return linkui.IconAction(cls, iconName, label, l.Name).OnClick(h, linkScope(l))
	}
	return app.Div().Class("sl-actions").Body(
		act("sl-edit", "edit", "Edit link", req("edit")),
		act("sl-copy", "copy", "Copy link", func(ctx app.Context, e app.Event) { ui.CopyText(l.URL); shell.Toast(ctx, "Link copied") }),
		app.If(l.EmbedCode != "", func() app.UI {
			return act("sl-embed", "code", "Copy embed code", func(ctx app.Context, e app.Event) {
				ui.CopyText(l.EmbedCode)
				shell.Toast(ctx, "Embed code copied")
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
			app.Span().Class("slr-kind").Title(shareKindLabel(l.Kind)).Body(ui.Icon(map[bool]string{true: "download", false: "chain"}[l.Kind == "download"])),
			app.Span().Class("slr-name").Title(l.Name).Text(l.Name),
		),
		app.Button().Type("button").Class("slr-url").Title("Copy link").
			OnClick(func(ctx app.Context, e app.Event) { ui.CopyText(l.URL); shell.Toast(ctx, "Link copied") }, linkScope(l)).Text(linkui.ShortURL(l.URL)),
		app.Div().Class("slr-meta muted small").Body(
			shareStatusBadge(l),
			app.Span().Title(shareExpiryDate(l)).Text(shareExpiry(l, time.Now())),
			app.Span().Text(shareUses(l)),
			app.If(l.HasPassword, func() app.UI { return app.Span().Class("slr-pw").Title("Password protected").Body(ui.Icon("lock")) }),
		),
		shareLinkActions(l),
	)
}

func shareExpiryDate(l model.ShareLink) string {
	return linkui.ExpiryDate(l.ExpiresAt, "No expiration date")
}

// LinkList is the links of a Share section.
func LinkList(links []model.ShareLink, empty string) app.UI {
	if len(links) == 0 {
		if empty == "" {
			return nil
		}
		return app.P().Class("muted small sl-none").Text(empty)
	}
	return app.Div().Class("sl-list").Body(app.Range(links).Slice(func(i int) app.UI { return shareLinkRow(links[i]) }))
}

// MenuItem is an entry of a share menu; a reason disables it.
func MenuItem(id, iconName, label, reason string, h app.EventHandler) app.UI {
	b := app.Button().Type("button").ID(id).Class("menu-item sl-menu-item").Attr("role", "menuitem").Disabled(reason != "").Title(reason)
	if h != nil {
		b = b.OnClick(h)
	}
	return b.Body(
		ui.Icon(iconName),
		app.Span().Class("sl-menu-text").Body(
			app.Span().Text(label),
			app.If(reason != "", func() app.UI { return app.Span().Class("sl-menu-reason").Text(reason) }),
		),
	)
}

// Menu is the dropdown of a Share button; a click outside closes it.
// FirstMenuItem is the first item of an open share menu that can be used,
// where the keyboard focus goes when the menu opens.
const FirstMenuItem = "#share-menu [role=menuitem]:not(:disabled)"

// ToggleMenu opens the share menu which (closing it when it is the one
// open, *open "" when none is) and moves focus to its first item.
func ToggleMenu(open *string, which string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if *open == which {
			*open = ""
		} else {
			*open = which
			ui.FocusAfterRender(FirstMenuItem)
		}
	}
}

func Menu(closeMenu app.EventHandler, items ...app.UI) app.UI {
	return app.Div().Body(
		app.Div().Class("sl-menu-shield").OnClick(closeMenu),
		app.Div().Class("sl-menu").ID("share-menu").Attr("role", "menu").On("keydown", ui.MenuKeys(closeMenu)).Body(items...),
	)
}

// Button is a Share button that opens a menu.
func Button(id, label, kind string, open bool, toggle app.EventHandler) app.HTMLButton {
	return app.Button().Type("button").Class("btn btn-"+kind+" sl-share-btn").ID(id).Attr("aria-haspopup", "menu").
		Attr("aria-expanded", strconv.FormatBool(open)).OnClick(toggle).Body(ui.Icon("share"), app.Span().Text(label))
}

// LinksPage is Links > Share: every share link the user can see,
// with what it shares, its figures and the same actions as everywhere.
type LinksPage struct {
	app.Compo
	links  []model.ShareLink
	loaded bool
	err    string
	status string
	q      string
}

var shareLinkTabs = []ui.Tab{
	{Key: "all", Label: "All"}, {Key: "active", Label: "Active"}, {Key: "expired", Label: "Expired"},
	{Key: "used_up", Label: "Used up"}, {Key: "locked", Label: "Locked"},
}

func (p *LinksPage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *LinksPage) OnNav(ctx app.Context) {
	if p.status == "" {
		p.status = "all"
	}
	// The server prerenders without a session: it would only show an error.
	if app.IsClient {
		p.load(ctx)
	}
}

func (p *LinksPage) load(ctx app.Context) { loadShareLinks(ctx, nil, &p.loaded, &p.err, &p.links) }

// loadShareLinks fetches the share links of query q into *links, newest
// first; *loaded is set when the answer arrives, and *errMsg says why it did
// not.
func loadShareLinks(ctx app.Context, q url.Values, loaded *bool, errMsg *string, links *[]model.ShareLink) {
	ctx.Async(func() {
		ls, err := fetch.API.ShareLinks(q)
		ctx.Dispatch(func(ctx app.Context) {
			linkui.Loaded(ctx, err, loaded, errMsg, func() {
				sort.SliceStable(ls, func(i, j int) bool { return ls[i].InsertedAt.After(ls[j].InsertedAt) })
				*links = ls
			})
		})
	})
}

// shown is the links of the tab that match the search.
func (p *LinksPage) shown() []model.ShareLink {
	var out []model.ShareLink
	for _, l := range p.links {
		if (p.status == "all" || l.Status == p.status) && linkui.Matches(p.q, l.Name+" "+l.TargetName+" "+l.Key+" "+l.OwnerName) {
			out = append(out, l)
		}
	}
	return out
}

func (p *LinksPage) Render() app.UI {
	counts := map[string]int{"all": len(p.links)}
	views, downloads := 0, 0
	for _, l := range p.links {
		counts[l.Status]++
		views += l.Views
		downloads += l.Downloads
	}
	shown := p.shown()
	return linkui.ListPage{
		Section: "share", Loaded: p.loaded, Err: p.err,
		Top:   []app.UI{&Dialogs{}},
		Title: "Share links", Subtitle: "Public and direct-download links to assets, collections and folders. Create them with Share on a file, a selection, a collection or a folder.",
		Stats: linkui.Stats("sl-stats",
			ui.StatCard("Links", strconv.Itoa(len(p.links)), false),
			ui.StatCard("Active", strconv.Itoa(counts["active"]), false),
			ui.StatCard("Views", strconv.Itoa(views), false),
			ui.StatCard("Downloads", strconv.Itoa(downloads), false),
		),
		Toolbar: linkui.Toolbar("sl-toolbar", ui.TabBar{TabClass: "sl-tab", Active: p.status, Tabs: linkui.Counted(shareLinkTabs, counts),
			OnSelect: func(ctx app.Context, key string) { p.status = key }},
			ui.Search("", "sl-search", "Search share links", "Search name or what it shares", p.q, p.ValueTo(&p.q))),
		List: linkui.ListState{Loaded: p.loaded, Err: p.err, Held: len(p.links), Shown: len(shown)}.UI(
			linkui.Empty{ID: "sl-empty", Icon: "share", Title: "No share links yet",
				Text:   "Open a file, select files or a collection, or open a folder in a project, and click Share. Every link you make shows up here with its views and downloads.",
				Action: app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects")},
			linkui.Empty{ID: "sl-empty", Icon: "share", Title: "No matching links", Text: "No link on this tab matches the search."},
			func() app.UI {
				return app.Div().Class("card table-card").Body(app.Table().Class("table sl-table").ID("sl-table").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Text("Link"), app.Th().Text("Shares"), app.Th().Text("Status"), app.Th().Text("Usage"), ui.SrTh("Actions"),
					)),
					app.TBody().Body(app.Range(shown).Slice(func(i int) app.UI { return p.renderRow(shown[i]) })),
				))
			}),
	}.UI()
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

func (p *LinksPage) renderRow(l model.ShareLink) app.UI {
	cls := "share-link-row sl-tr"
	if l.Status != "active" {
		cls += " is-faded"
	}
	return app.Tr().Class(cls).DataSet("id", l.ID).DataSet("status", l.Status).Body(
		app.Td().Class("sl-td-name").Body(
			app.Div().Class("slr-head").Body(
				app.Span().Class("slr-kind").Title(shareKindLabel(l.Kind)).Body(ui.Icon(map[bool]string{true: "download", false: "chain"}[l.Kind == "download"])),
				app.Span().Class("slr-name").Title(l.Name).Text(l.Name),
				app.If(l.HasPassword, func() app.UI { return app.Span().Class("slr-pw").Title("Password protected").Body(ui.Icon("lock")) }),
			),
			app.Button().Type("button").Class("slr-url").Title("Copy link").
				OnClick(func(ctx app.Context, e app.Event) { ui.CopyText(l.URL); shell.Toast(ctx, "Link copied") }, linkScope(l)).Text(linkui.ShortURL(l.URL)),
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
			app.Div().Class("muted small").Text(ui.Plural(l.Views, "view", "views")+" · "+ui.Plural(l.Downloads, "download", "downloads")),
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
