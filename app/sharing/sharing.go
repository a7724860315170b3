package sharing

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Page is Sharing: every share link the user may see (admins: all
// of them) with search, filters and revoking, one link's page, and for
// admins the custom forms, clickwraps and site settings of share links.
//
//	/sharing                 share links
//	/sharing/links/{id}      one link
//	/sharing/forms           custom forms (admins)
//	/sharing/clickwraps      clickwraps (admins)
//	/sharing/settings        sharing settings (admins)
type Page struct {
	app.Compo
	tab    string
	linkID string
	me     model.Me
}

var sharingTabs = []ui.NavTab{
	{Key: "links", Label: "Share links", Href: "/sharing", Icon: "chain"},
	{Key: "forms", Label: "Custom forms", Href: "/sharing/forms", Icon: "form"},
	{Key: "clickwraps", Label: "Clickwraps", Href: "/sharing/clickwraps", Icon: "shield"},
	{Key: "settings", Label: "Settings", Href: "/sharing/settings", Icon: "settings"},
}

func (p *Page) OnMount(ctx app.Context) {
	ctx.ObserveState("me", &p.me)
}

func (p *Page) OnNav(ctx app.Context) {
	parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/")
	p.tab, p.linkID = "links", ""
	switch {
	case len(parts) >= 3 && parts[1] == "links":
		p.linkID = parts[2]
	case len(parts) == 2:
		p.tab = parts[1]
	}
}

func (p *Page) admin() bool { return p.me.Role == "admin" }

func (p *Page) Render() app.UI {
	var content app.UI
	switch {
	case !app.IsClient:
		// The server prerenders without a session.
		content = ui.LoadingCard()
	case p.linkID != "":
		content = &sharingLinkPage{LinkID: p.linkID}
	case p.tab == "forms" && p.admin():
		content = &sharingForms{}
	case p.tab == "clickwraps" && p.admin():
		content = &sharingClickwraps{}
	case p.tab == "settings" && p.admin():
		content = &sharingSettings{}
	default:
		content = &sharingLinks{Admin: p.admin()}
	}
	subtitle := "The share links you made: who has them, what they allow, and how they are protected."
	if p.admin() {
		subtitle = "Every share link on this site, and the rules they follow."
	}
	return shell.Frame("sharing", ui.PageState(app.IsClient && p.me.ID != "", ""), []app.UI{
		&Dialogs{},
		app.If(p.linkID == "", func() app.UI {
			return app.Div().Body(
				ui.PageHeader("Sharing", subtitle,
					app.Button().Type("button").Class("btn btn-secondary").ID("sharing-new").
						Title("Opens the share drawer in Files: add files and folders to it, then create the link").
						OnClick(func(ctx app.Context, e app.Event) { newShareFromAnywhere(ctx) }).
						Body(ui.Icon("plus"), app.Span().Text("New share"))),
				app.If(p.admin(), func() app.UI {
					return ui.NavTabs("sharing-tabs", "Sharing sections", "sharing-tab-", p.tab, sharingTabs)
				}),
			)
		}),
		content,
	})
}

// sharingLinks is the Share links tab.
type sharingLinks struct {
	app.Compo
	Admin bool

	links   []model.ShareLink
	loaded  bool
	err     string
	q       string
	status  string
	actions string

	confirmAll bool
	busy       bool
	confirmErr string
}

func (s *sharingLinks) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { s.load(ctx) })
	s.load(ctx)
}

func (s *sharingLinks) load(ctx app.Context) {
	loadShareLinks(ctx, url.Values{"view": {"sharing"}}, &s.loaded, &s.err, &s.links)
}

// shown is the links that pass the search and the filters.
func (s *sharingLinks) shown() []model.ShareLink {
	var out []model.ShareLink
	for _, l := range s.links {
		if s.status != "" && l.Status != s.status {
			continue
		}
		if s.actions != "" && linkActions(l) != s.actions {
			continue
		}
		if linkui.Matches(s.q, strings.Join([]string{l.Name, l.Note, l.Key, l.OwnerName, l.TargetName}, "\n")) {
			out = append(out, l)
		}
	}
	return out
}

// linkActions is a link's allowed actions; direct links only download.
func linkActions(l model.ShareLink) string {
	if l.AllowedActions == "" || l.Kind == "download" {
		return "download"
	}
	return l.AllowedActions
}

func (s *sharingLinks) revokeAll(ctx app.Context, e app.Event) {
	shown := s.shown()
	ids := make([]string, len(shown))
	for i, l := range shown {
		ids[i] = l.ID
	}
	var out model.RevokeAnswer
	linkui.Send(ctx, &s.busy, &s.confirmErr, func() (err error) { out, err = fetch.API.RevokeShareLinks(ids); return err }, func(ctx app.Context) {
		s.confirmAll = false
		msg := "Revoked " + ui.Plural(out.Revoked, "link", "links")
		if out.Skipped > 0 {
			msg += app.FormatString("; %d not yours to revoke", out.Skipped)
		}
		shell.Toast(ctx, msg)
		shell.Reload(ctx)
	})
}

func (s *sharingLinks) Render() app.UI {
	shown := s.shown()
	return app.Div().Class("sharing-links").DataSet("state", ui.PageState(s.loaded, s.err)).Body(
		ui.ErrorBox(s.err),
		app.Div().Class("sharing-toolbar").Body(
			ui.Search("sharing-search", "sharing-search", "Search share links", "Search name, note, key or creator", s.q, s.ValueTo(&s.q)),
			app.Label().Class("sharing-filter").Body(
				app.Span().Class("sr-only").Text("Status"),
				app.Select().ID("sharing-status").OnChange(s.ValueTo(&s.status)).Body(
					app.Option().Value("").Selected(s.status == "").Text("Any status"),
					app.Range(shareLinkTabs[1:]).Slice(func(i int) app.UI {
						t := shareLinkTabs[1:][i]
						return app.Option().Value(t.Key).Selected(s.status == t.Key).Text(t.Label)
					}),
					app.Option().Value("target_deleted").Selected(s.status == "target_deleted").Text("Target deleted"),
				),
			),
			app.Label().Class("sharing-filter").Body(
				app.Span().Class("sr-only").Text("Allowed actions"),
				app.Select().ID("sharing-actions").OnChange(s.ValueTo(&s.actions)).Body(
					app.Option().Value("").Selected(s.actions == "").Text("Any allowed actions"),
					app.Range(shareActions).Slice(func(i int) app.UI {
						a := shareActions[i]
						return app.Option().Value(a.key).Selected(s.actions == a.key).Text(a.label)
					}),
				),
			),
			app.Span().Class("sharing-count muted small").ID("sharing-count").Text(s.countLabel(len(shown))),
			app.Button().Type("button").Class("btn btn-danger-ghost").ID("sharing-revoke-all").Disabled(len(shown) == 0).
				Title("Revoke every link the list shows now").
				OnClick(func(ctx app.Context, e app.Event) { s.confirmAll, s.confirmErr = true, "" }).
				Body(ui.Icon("trash"), app.Span().Text("Revoke all")),
		),
		s.renderTable(shown),
		app.If(s.confirmAll, func() app.UI { return s.renderConfirmAll(shown) }),
	)
}

func (s *sharingLinks) countLabel(n int) string {
	if n == len(s.links) {
		return ui.Plural(n, "link", "links")
	}
	return app.FormatString("%d of %d links", n, len(s.links))
}

func (s *sharingLinks) renderConfirmAll(shown []model.ShareLink) app.UI {
	n := len(shown)
	closeIt := func(ctx app.Context, e app.Event) {
		if !s.busy {
			s.confirmAll = false
		}
	}
	title := "Revoke " + ui.Plural(n, "share link", "share links") + "?"
	names := shown
	if len(names) > 5 {
		names = names[:5]
	}
	return linkui.Confirm{Title: title, Err: s.confirmErr, Body: []app.UI{
		app.Div().ID("sharing-revoke-all-dialog").Body(revokeWarning(n)...),
		app.Ul().Class("sharing-revoke-list").Body(
			app.Range(names).Slice(func(i int) app.UI {
				l := names[i]
				return app.Li().Body(app.Strong().Text(l.Name), app.Span().Class("muted small").Text(" · "+linkui.ShortURL(l.URL)))
			}),
			app.If(n > len(names), func() app.UI {
				return app.Li().Class("muted").Text(app.FormatString("and %d more", n-len(names)))
			}),
		),
		app.If(s.q != "" || s.status != "" || s.actions != "", func() app.UI {
			return app.P().Class("muted small").Text("Only the links the list shows now are revoked; links hidden by the search or the filters stay.")
		}),
	},
		Label: "Revoke " + ui.Plural(n, "link", "links"), Busy: "Revoking…", Kind: "danger", ID: "sharing-revoke-all-confirm", Running: s.busy,
		OnCancel: closeIt, OnConfirm: s.revokeAll,
	}.UI()
}

func (s *sharingLinks) renderTable(shown []model.ShareLink) app.UI {
	return linkui.ListState{Loaded: s.loaded, Err: s.err, Held: len(s.links), Shown: len(shown)}.UI(
		linkui.Empty{ID: "sharing-empty", Icon: "share", Title: "No share links",
			Text:   "Open a project, pick files or a folder and click Share: every link you make shows up here, with who has it and how it is protected.",
			Action: app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects")},
		linkui.Empty{ID: "sharing-empty", Icon: "search", Title: "No matching links", Text: "No link matches the search and the filters."},
		func() app.UI { return sharingTable(shown) })
}

func sharingTable(shown []model.ShareLink) app.UI {
	return app.Div().Class("card table-card sharing-card").Body(app.Table().Class("table sharing-table stack-phone").ID("sharing-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("URL"), app.Th().Text("Creator"), app.Th().Text("Created"), app.Th().Text("Expires"),
			app.Th().Text("Uses"), app.Th().Text("Security"), app.Th().Text("Allowed actions"), app.Th().Text("Note"), ui.SrTh("Actions"),
		)),
		app.TBody().Body(app.Range(shown).Slice(func(i int) app.UI { return sharingRow(shown[i]) })),
	))
}

// sharingRow is a link of the Sharing list; a click opens its page.
func sharingRow(l model.ShareLink) app.UI {
	cls := "sharing-row"
	if l.Status != "active" {
		cls += " is-faded"
	}
	href := "/sharing/links/" + l.ID
	stop := func(h app.EventHandler) app.EventHandler {
		return func(ctx app.Context, e app.Event) {
			e.StopImmediatePropagation()
			h(ctx, e)
		}
	}
	return app.Tr().Class(cls).DataSet("id", l.ID).DataSet("key", l.Key).DataSet("status", l.Status).
		OnClick(func(ctx app.Context, e app.Event) {
			// A click on a link or a button inside the row acts on its own.
			if t := e.Get("target"); t.Truthy() && t.Call("closest", "a,button,input,select").Truthy() {
				return
			}
			ctx.Navigate(href)
		}, linkScope(l)).Body(
		app.Td().Class("sharing-td-url").DataSet("label", "URL").Body(
			app.Div().Class("sharing-name").Body(
				app.A().Href(href).Title(l.Name).Text(l.Name),
				app.If(l.Status != "active", func() app.UI { return shareStatusBadge(l) }),
			),
			app.Button().Type("button").Class("slr-url sharing-url").Title("Copy link: "+l.URL).
				OnClick(stop(func(ctx app.Context, e app.Event) { ui.CopyText(l.URL); shell.Toast(ctx, "Link copied") }), linkScope(l)).
				Body(ui.Icon("copy"), app.Span().Text(linkui.ShortURL(l.URL))),
		),
		app.Td().Class("sharing-td-creator").DataSet("label", "Creator").Text(ui.ValueOrDash(l.OwnerName)),
		app.Td().Class("nowrap").DataSet("label", "Created").Title(l.InsertedAt.Local().Format("2 Jan 2006, 15:04")).
			Text(ui.ShortDate(l.InsertedAt)),
		app.Td().Class("nowrap").DataSet("label", "Expires").Title(shareExpiryDate(l)).Text(sharingExpires(l)),
		app.Td().Class("nowrap sharing-uses").DataSet("label", "Uses").Body(sharingUses(l)),
		app.Td().DataSet("label", "Security").Body(securityBadges(l)),
		app.Td().DataSet("label", "Allowed actions").Body(actionsLabel(l)),
		app.Td().Class("sharing-note").DataSet("label", "Note").Title(l.Note).Body(app.Span().Class("note-clamp").Text(ui.ValueOrDash(l.Note))),
		app.Td().Class("row-actions sharing-actions").Body(
			app.Button().Type("button").Class("btn btn-ghost sharing-edit").Attr("aria-label", "Edit "+l.Name).
				OnClick(stop(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }), linkScope(l)).
				Title("Edit").Body(ui.Icon("edit"), app.Span().Class("sharing-btn-text").Text("Edit")),
			app.Button().Type("button").Class("btn btn-danger-ghost sharing-revoke").Attr("aria-label", "Revoke "+l.Name).
				OnClick(stop(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "revoke", link: l}) }), linkScope(l)).
				Title("Revoke").Body(ui.Icon("trash"), app.Span().Class("sharing-btn-text").Text("Revoke")),
		),
	)
}

func sharingExpires(l model.ShareLink) string {
	if l.ExpiresAt == nil {
		return "Never"
	}
	return ui.ShortDate(*l.ExpiresAt)
}

func sharingUses(l model.ShareLink) app.UI {
	max := "∞"
	title := "No maximum"
	if l.MaxUses != nil {
		max, title = strconv.Itoa(*l.MaxUses), ""
	}
	return app.Span().Title(title).Body(
		app.Strong().Text(strconv.Itoa(l.Uses)), app.Span().Class("muted").Text(" / "+max),
	)
}

// securityBadges are the protections of a link, as icons with labels.
func securityBadges(l model.ShareLink) app.UI {
	type mark struct{ key, iconName, label, title string }
	var ms []mark
	if l.HasPassword {
		ms = append(ms, mark{"password", "lock", "Password", "Visitors need a password"})
	}
	if l.RequireRegistration || l.FormID != "" {
		ms = append(ms, mark{"registration", "user-check", "Registration", "Visitors register before access"})
	}
	if l.ClickwrapID != "" {
		ms = append(ms, mark{"clickwrap", "shield", "Terms", "Visitors accept a clickwrap"})
	}
	if l.AccessControl == "emailed" {
		ms = append(ms, mark{"emailed", "mail", "Emailed only", "Only from emailed links, one browser each"})
	}
	if len(ms) == 0 {
		return app.Span().Class("sec-none muted small").Title("Anyone with the link can open it").Text("Open")
	}
	return app.Div().Class("sec-marks").Body(app.Range(ms).Slice(func(i int) app.UI {
		m := ms[i]
		return app.Span().Class("sec-mark sec-"+m.key).Title(m.title).Body(ui.Icon(m.iconName), app.Span().Text(m.label))
	}))
}

func actionsLabel(l model.ShareLink) app.UI {
	a := shareActionOf(linkActions(l))
	return app.Span().Class("act-mark act-"+a.key).Title(a.says).Body(ui.Icon(a.icon), app.Span().Text(a.label))
}
