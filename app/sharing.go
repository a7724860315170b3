package app

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// SharingPage is Sharing: every share link the user may see (admins: all
// of them) with search, filters and revoking, one link's page, and for
// admins the custom forms, clickwraps and site settings of share links.
//
//	/sharing                 share links
//	/sharing/links/{id}      one link
//	/sharing/forms           custom forms (admins)
//	/sharing/clickwraps      clickwraps (admins)
//	/sharing/settings        sharing settings (admins)
type SharingPage struct {
	app.Compo
	tab    string
	linkID string
	me     model.Me
}

var sharingTabs = []struct{ key, label, href, iconName string }{
	{"links", "Share links", "/sharing", "chain"},
	{"forms", "Custom forms", "/sharing/forms", "form"},
	{"clickwraps", "Clickwraps", "/sharing/clickwraps", "shield"},
	{"settings", "Settings", "/sharing/settings", "settings"},
}

func (p *SharingPage) OnMount(ctx app.Context) {
	ctx.ObserveState("me", &p.me)
}

func (p *SharingPage) OnNav(ctx app.Context) {
	parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/")
	p.tab, p.linkID = "links", ""
	switch {
	case len(parts) >= 3 && parts[1] == "links":
		p.linkID = parts[2]
	case len(parts) == 2:
		p.tab = parts[1]
	}
}

func (p *SharingPage) admin() bool { return p.me.Role == "admin" }

func (p *SharingPage) Render() app.UI {
	var content app.UI
	switch {
	case !app.IsClient:
		// The server prerenders without a session.
		content = app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
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
	return frame("sharing", pageState(app.IsClient && p.me.ID != "", ""), []app.UI{
		&shareDialogs{},
		app.If(p.linkID == "", func() app.UI {
			return app.Div().Body(
				pageHeader("Sharing", subtitle,
					app.A().Class("btn btn-secondary").ID("sharing-new").Href("/projects").
						Title("Open a project, pick files or a folder, and click Share").
						Body(icon("plus"), app.Span().Text("New share link"))),
				app.If(p.admin(), func() app.UI {
					return app.Nav().Class("tabs sharing-tabs").Attr("aria-label", "Sharing sections").Body(app.Range(sharingTabs).Slice(func(i int) app.UI {
						t := sharingTabs[i]
						cls := "tab"
						if p.tab == t.key {
							cls += " on"
						}
						return app.A().Class(cls).ID("sharing-tab-"+t.key).Href(t.href).
							Attr("aria-current", map[bool]string{true: "page", false: "false"}[p.tab == t.key]).
							Body(shareIcon(t.iconName), app.Span().Text(t.label))
					}))
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
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { s.load(ctx) })
	s.load(ctx)
}

func (s *sharingLinks) load(ctx app.Context) {
	ctx.Async(func() {
		ls, err := api.ShareLinks(url.Values{"view": {"sharing"}})
		ctx.Dispatch(func(ctx app.Context) {
			s.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				s.err = err.Error()
				return
			}
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].InsertedAt.After(ls[j].InsertedAt) })
			s.links, s.err = ls, ""
		})
	})
}

// shown is the links that pass the search and the filters.
func (s *sharingLinks) shown() []model.ShareLink {
	q := strings.ToLower(strings.TrimSpace(s.q))
	var out []model.ShareLink
	for _, l := range s.links {
		if s.status != "" && l.Status != s.status {
			continue
		}
		if s.actions != "" && linkActions(l) != s.actions {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(strings.Join([]string{l.Name, l.Note, l.Key, l.OwnerName, l.TargetName}, "\n")), q) {
			continue
		}
		out = append(out, l)
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
	s.busy, s.confirmErr = true, ""
	ctx.Async(func() {
		out, err := api.RevokeShareLinks(ids)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = false
			if err != nil {
				s.confirmErr = err.Error()
				return
			}
			s.confirmAll = false
			msg := "Revoked " + plural(out.Revoked, "link", "links")
			if out.Skipped > 0 {
				msg += app.FormatString("; %d not yours to revoke", out.Skipped)
			}
			toast(ctx, msg)
			reload(ctx)
		})
	})
}

func (s *sharingLinks) Render() app.UI {
	shown := s.shown()
	return app.Div().Class("sharing-links").DataSet("state", pageState(s.loaded, s.err)).Body(
		errorBox(s.err),
		app.Div().Class("sharing-toolbar").Body(
			app.Label().Class("ul-search sharing-search").Body(
				shareIcon("search"),
				app.Span().Class("sr-only").Text("Search share links"),
				app.Input().Type("search").ID("sharing-search").Placeholder("Search name, note, key or creator").
					Value(s.q).OnInput(s.ValueTo(&s.q)),
			),
			app.Label().Class("sharing-filter").Body(
				app.Span().Class("sr-only").Text("Status"),
				app.Select().ID("sharing-status").OnChange(s.ValueTo(&s.status)).Body(
					app.Option().Value("").Selected(s.status == "").Text("Any status"),
					app.Range(shareLinkTabs[1:]).Slice(func(i int) app.UI {
						t := shareLinkTabs[1:][i]
						return app.Option().Value(t.key).Selected(s.status == t.key).Text(t.label)
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
				Body(icon("trash"), app.Span().Text("Revoke all")),
		),
		s.renderTable(shown),
		app.If(s.confirmAll, func() app.UI { return s.renderConfirmAll(shown) }),
	)
}

func (s *sharingLinks) countLabel(n int) string {
	if n == len(s.links) {
		return plural(n, "link", "links")
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
	title := "Revoke " + plural(n, "share link", "share links") + "?"
	names := shown
	if len(names) > 5 {
		names = names[:5]
	}
	return dialog(title, closeIt, []app.UI{
		errorBox(s.confirmErr),
		app.Div().ID("sharing-revoke-all-dialog").Body(revokeWarning(n)...),
		app.Ul().Class("sharing-revoke-list").Body(
			app.Range(names).Slice(func(i int) app.UI {
				l := names[i]
				return app.Li().Body(app.Strong().Text(l.Name), app.Span().Class("muted small").Text(" · "+shareShortURL(l.URL)))
			}),
			app.If(n > len(names), func() app.UI {
				return app.Li().Class("muted").Text(app.FormatString("and %d more", n-len(names)))
			}),
		),
		app.If(s.q != "" || s.status != "" || s.actions != "", func() app.UI {
			return app.P().Class("muted small").Text("Only the links the list shows now are revoked; links hidden by the search or the filters stay.")
		}),
	},
		button("Cancel", "ghost", closeIt),
		button(map[bool]string{true: "Revoking…", false: "Revoke " + plural(n, "link", "links")}[s.busy], "danger", s.revokeAll).
			ID("sharing-revoke-all-confirm").Disabled(s.busy),
	)
}

func (s *sharingLinks) renderTable(shown []model.ShareLink) app.UI {
	switch {
	case !s.loaded:
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	case len(s.links) == 0 && s.err != "":
		return nil
	case len(s.links) == 0:
		text := "Open a project, pick files or a folder and click Share: every link you make shows up here, with who has it and how it is protected."
		return app.Div().Class("card").ID("sharing-empty").Body(emptyState("share", "No share links", text,
			app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects")))
	case len(shown) == 0:
		return app.Div().Class("card").ID("sharing-empty").Body(emptyState("search", "No matching links",
			"No link matches the search and the filters.", nil))
	}
	return app.Div().Class("card table-card sharing-card").Body(app.Table().Class("table sharing-table stack-phone").ID("sharing-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("URL"), app.Th().Text("Creator"), app.Th().Text("Created"), app.Th().Text("Expires"),
			app.Th().Text("Uses"), app.Th().Text("Security"), app.Th().Text("Allowed actions"), app.Th().Text("Note"), srTh("Actions"),
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
				OnClick(stop(func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }), linkScope(l)).
				Body(shareIcon("copy"), app.Span().Text(shareShortURL(l.URL))),
		),
		app.Td().Class("sharing-td-creator").DataSet("label", "Creator").Text(valueOrDash(l.OwnerName)),
		app.Td().Class("nowrap").DataSet("label", "Created").Title(l.InsertedAt.Local().Format("2 Jan 2006, 15:04")).
			Text(shortDate(l.InsertedAt)),
		app.Td().Class("nowrap").DataSet("label", "Expires").Title(shareExpiryDate(l)).Text(sharingExpires(l)),
		app.Td().Class("nowrap sharing-uses").DataSet("label", "Uses").Body(sharingUses(l)),
		app.Td().DataSet("label", "Security").Body(securityBadges(l)),
		app.Td().DataSet("label", "Allowed actions").Body(actionsLabel(l)),
		app.Td().Class("sharing-note").DataSet("label", "Note").Title(l.Note).Body(app.Span().Class("note-clamp").Text(valueOrDash(l.Note))),
		app.Td().Class("row-actions sharing-actions").Body(
			app.Button().Type("button").Class("btn btn-ghost sharing-edit").Attr("aria-label", "Edit "+l.Name).
				OnClick(stop(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }), linkScope(l)).
				Title("Edit").Body(icon("edit"), app.Span().Class("sharing-btn-text").Text("Edit")),
			app.Button().Type("button").Class("btn btn-danger-ghost sharing-revoke").Attr("aria-label", "Revoke "+l.Name).
				OnClick(stop(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "revoke", link: l}) }), linkScope(l)).
				Title("Revoke").Body(icon("trash"), app.Span().Class("sharing-btn-text").Text("Revoke")),
		),
	)
}

func sharingExpires(l model.ShareLink) string {
	if l.ExpiresAt == nil {
		return "Never"
	}
	return shortDate(*l.ExpiresAt)
}

// shortDate drops the year of dates in this year.
func shortDate(t time.Time) string {
	t = t.Local()
	if t.Year() == time.Now().Year() {
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
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
		return app.Span().Class("sec-mark sec-"+m.key).Title(m.title).Body(shareIcon(m.iconName), app.Span().Text(m.label))
	}))
}

func actionsLabel(l model.ShareLink) app.UI {
	a := shareActionOf(linkActions(l))
	return app.Span().Class("act-mark act-"+a.key).Title(a.says).Body(shareIcon(a.icon), app.Span().Text(a.label))
}

// sharingLinkPage is one link under Sharing: its settings, access log,
// registrations, recipients and embed code.
type sharingLinkPage struct {
	app.Compo
	LinkID string

	link    *model.ShareLink
	loaded  bool
	err     string
	gone    bool
	tab     string
	log     []model.AccessLogEntry
	logErr  string
	logDone bool
	regs    []model.Registration
	regErr  string
	regDone bool
	forms   map[string]string
	wraps   map[string]string
	folders map[string]string
}

func (p *sharingLinkPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
	p.tab = "settings"
	p.load(ctx)
}

func (p *sharingLinkPage) OnUpdate(ctx app.Context) {
	if p.link != nil && p.link.ID != p.LinkID {
		p.link, p.loaded, p.tab = nil, false, "settings"
		p.load(ctx)
	}
}

func (p *sharingLinkPage) load(ctx app.Context) {
	id := p.LinkID
	ctx.Async(func() {
		l, err := api.ShareLink(id)
		var forms []model.ShareForm
		var wraps []model.Clickwrap
		var folders []model.FolderPath
		if err == nil {
			if l.FormID != "" {
				forms, _ = api.ShareForms()
			}
			if l.ClickwrapID != "" {
				wraps, _ = api.Clickwraps()
			}
			if l.InboxFolderID != "" {
				folders, _ = api.Folders(l.ProjectID)
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if id != p.LinkID {
				return
			}
			p.loaded = true
			if err != nil {
				if e, ok := err.(*client.Error); ok && e.Status == 404 {
					p.gone = true
				}
				p.err = err.Error()
				return
			}
			p.link, p.err = &l, ""
			p.forms, p.wraps, p.folders = map[string]string{}, map[string]string{}, map[string]string{}
			for _, f := range forms {
				p.forms[f.ID] = f.Title
			}
			for _, c := range wraps {
				p.wraps[c.ID] = c.Name
			}
			for _, f := range folders {
				p.folders[f.ID] = folderLabel(f.Path)
			}
			p.openTab(ctx, p.tab)
		})
	})
}

func (p *sharingLinkPage) openTab(ctx app.Context, tab string) {
	p.tab = tab
	id := p.LinkID
	switch tab {
	case "log":
		ctx.Async(func() {
			entries, err := api.ShareLinkAccessLog(id)
			ctx.Dispatch(func(ctx app.Context) {
				p.logDone = true
				if err != nil {
					p.logErr = err.Error()
					return
				}
				sort.SliceStable(entries, func(i, j int) bool { return entries[i].Time.After(entries[j].Time) })
				p.log, p.logErr = entries, ""
			})
		})
	case "registrations":
		ctx.Async(func() {
			regs, err := api.ShareLinkRegistrations(id)
			ctx.Dispatch(func(ctx app.Context) {
				p.regDone = true
				if err != nil {
					p.regErr = err.Error()
					return
				}
				p.regs, p.regErr = regs, ""
			})
		})
	}
}

// tabs are the tabs the link has: Registrations only when it asks for
// them or has some.
func (p *sharingLinkPage) tabs() [][2]string {
	l := p.link
	out := [][2]string{{"settings", "Settings"}, {"log", "Access log"}}
	if contentsEditable(*l) {
		out = append(out, [2]string{"contents", "Contents"})
	}
	if l.RequireRegistration || l.FormID != "" || l.Registrations > 0 {
		out = append(out, [2]string{"registrations", "Registrations"})
	}
	if l.Kind != "download" {
		out = append(out, [2]string{"email", "Share via email"}, [2]string{"embed", "Embedding"})
	}
	return out
}

func (p *sharingLinkPage) Render() app.UI {
	back := app.A().Class("sharing-back").ID("sharing-back").Href("/sharing").Body(shareIcon("chevron"), app.Span().Text("Sharing"))
	switch {
	case !p.loaded:
		return app.Div().Body(back, app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner"))))
	case p.gone:
		return app.Div().Body(back, app.Div().Class("card").ID("sharing-gone").Body(emptyState("share", "Share not found",
			"This link was revoked, or never existed.", app.A().Class("btn btn-primary").Href("/sharing").Text("Back to Sharing"))))
	case p.link == nil:
		return app.Div().Body(back, errorBox(p.err))
	}
	l := *p.link
	tabs := p.tabs()
	return app.Div().Class("sharing-link").ID("sharing-link").DataSet("id", l.ID).Body(
		back,
		app.Div().Class("page-head").Body(
			app.Div().Class("sharing-link-title").Body(
				app.H1().Body(app.Span().Text(l.Name), shareStatusBadge(l)),
				app.Button().Type("button").Class("slr-url sharing-url").ID("sharing-link-url").Title("Copy link").
					OnClick(func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }, linkScope(l)).
					Body(shareIcon("copy"), app.Span().Text(l.URL)),
			),
			app.Div().Class("page-actions").Body(
				app.A().Class("btn btn-secondary").Href(l.URL).Target("_blank").Attr("rel", "noopener").
					Body(shareIcon("external"), app.Span().Text("Open")),
				app.Button().Type("button").Class("btn btn-secondary").ID("sharing-edit").
					OnClick(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }, linkScope(l)).
					Body(icon("edit"), app.Span().Text("Edit")),
				app.Button().Type("button").Class("btn btn-danger-ghost sharing-revoke-one").ID("sharing-revoke").
					OnClick(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "revoke", link: l}) }, linkScope(l)).
					Text("Revoke"),
			),
		),
		app.Div().Class("tabs sharing-link-tabs").Attr("role", "tablist").Body(app.Range(tabs).Slice(func(i int) app.UI {
			t := tabs[i]
			cls := "tab"
			if p.tab == t[0] {
				cls += " on"
			}
			return app.Button().Type("button").Class(cls).ID("sharing-link-tab-"+t[0]).Attr("role", "tab").
				Attr("aria-selected", strconv.FormatBool(p.tab == t[0])).
				OnClick(func(ctx app.Context, e app.Event) { p.openTab(ctx, t[0]) }).Body(
				app.Text(t[1]),
				app.If(t[0] == "registrations" && l.Registrations > 0, func() app.UI {
					return app.Span().Class("tab-count").Text(strconv.Itoa(l.Registrations))
				}),
				app.If(t[0] == "email" && l.Recipients > 0, func() app.UI {
					return app.Span().Class("tab-count").Text(strconv.Itoa(l.Recipients))
				}),
			)
		})),
		p.renderTab(l),
	)
}

func (p *sharingLinkPage) renderTab(l model.ShareLink) app.UI {
	switch p.tab {
	case "log":
		return p.renderLog(l)
	case "registrations":
		return p.renderRegistrations(l)
	case "email":
		return app.Div().Class("card sharing-pane").Body(&shareEmailPanel{Link: l})
	case "embed":
		return p.renderEmbed(l)
	case "contents":
		if contentsEditable(l) {
			return app.Div().Class("card sharing-pane").Body(&linkContents{Link: l})
		}
	}
	return p.renderSettings(l)
}

func (p *sharingLinkPage) renderSettings(l model.ShareLink) app.UI {
	a := shareActionOf(linkActions(l))
	yesNo := func(b bool) string { return map[bool]string{true: "Yes", false: "No"}[b] }
	registration := "Not required"
	if l.RequireRegistration || l.FormID != "" {
		registration = "Standard form (name, company, email)"
		if l.FormID != "" {
			registration = "Custom form: " + valueOr(p.forms[l.FormID], "(a form)")
		}
	}
	clickwrap := "None"
	if l.ClickwrapID != "" {
		clickwrap = valueOr(p.wraps[l.ClickwrapID], "(a clickwrap)")
	}
	access := "Anyone with the link"
	if l.AccessControl == "emailed" {
		access = "Only from emailed links"
	}
	inbox := "None"
	if l.InboxFolderID != "" {
		inbox = valueOr(p.folders[l.InboxFolderID], "A folder of the project")
	}
	maxUp := "The site's limit"
	if l.MaxUploadMB != nil {
		maxUp = strconv.FormatInt(*l.MaxUploadMB, 10) + " MB"
	}
	uses := app.FormatString("%d, no maximum", l.Uses)
	if l.MaxUses != nil {
		uses = app.FormatString("%d of %d", l.Uses, *l.MaxUses)
	}
	downloads := shareDownloadsSummary(l)
	pair := func(k, v string) app.UI {
		return app.Div().Class("meta-pair").Body(app.Dt().Text(k), app.Dd().Text(v))
	}
	return app.Div().Class("sharing-settings-grid").Body(
		app.Div().Class("card sharing-pane").Body(
			app.Div().Class("sharing-pane-head").Body(
				app.H2().Text("Settings"),
				button("Edit", "secondary", func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }).
					Class("btn btn-secondary btn-sm").ID("sharing-settings-edit"),
			),
			app.P().Class("sl-mode-says").Body(shareIcon(a.icon), app.Span().Text(a.label+": "+a.says)),
			app.Dl().Class("meta sharing-meta").ID("sharing-meta").Body(
				pair("Shares", shareTargetLabel(l.TargetType)+": "+l.TargetName),
				pair("URL key", l.Key),
				pair("Expires", shareExpiryDate(l)),
				pair("Uses", uses),
				pair("Password", yesNo(l.HasPassword)),
				pair("Registration", registration),
				pair("Clickwrap", clickwrap),
				pair("Access control", access),
				app.If(l.Kind != "download" && !uploadMode(a.key), func() app.UI { return pair("Associated inbox", inbox) }),
				app.If(l.UploadEnabled || uploadMode(a.key), func() app.UI { return pair("Max upload size", maxUp) }),
				app.If(l.Kind != "download", func() app.UI { return pair("Downloads", downloads) }),
				app.If(l.Kind != "download", func() app.UI { return pair("Watermark previews", yesNo(l.Watermark)) }),
				pair("Public description", valueOrDash(l.Description)),
				pair("Created", l.InsertedAt.Local().Format("2 Jan 2006, 15:04")+shareOwner(l)),
			),
		),
		app.Div().Class("card sharing-pane sharing-note-pane").Body(
			app.H2().Text("Internal note"),
			app.If(l.Note != "", func() app.UI { return app.P().Class("sharing-note-text").Text(l.Note) }).
				Else(func() app.UI {
					return app.P().Class("muted small").Text("No note. Edit the link to add one: it helps tell links apart here.")
				}),
			app.Div().Class("stats sharing-figures").Body(
				statCard("Views", strconv.Itoa(l.Views), false),
				statCard("Downloads", strconv.Itoa(l.Downloads), false),
				statCard("Registrations", strconv.Itoa(l.Registrations), false),
				statCard("Emailed to", strconv.Itoa(l.Recipients), false),
			),
		),
	)
}

// shareDownloadsSummary says what a link lets visitors download.
func shareDownloadsSummary(l model.ShareLink) string {
	switch linkActions(l) {
	case "preview":
		return "None (previews only)"
	case "upload":
		return "None (uploads only)"
	}
	var parts []string
	if l.AllowOriginal {
		parts = append(parts, "originals")
	}
	if len(l.AllowProxies) > 0 {
		parts = append(parts, "proxies ("+strings.Join(l.AllowProxies, ", ")+")")
	}
	if l.AllowAttachments {
		parts = append(parts, "attachments")
	}
	if len(parts) == 0 {
		return "None: view only"
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func valueOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (p *sharingLinkPage) renderLog(l model.ShareLink) app.UI {
	var body app.UI
	switch {
	case !p.logDone:
		body = app.Div().Class("empty").Body(app.Div().Class("spinner"))
	case p.logErr != "":
		body = errorBox(p.logErr)
	case len(p.log) == 0:
		body = emptyState("globe", "Nobody has used this link yet", "Each visit and download through the link shows up here, newest first.", nil)
	default:
		body = accessLogTable(p.log)
	}
	return app.Div().Class("card sharing-pane").ID("sharing-log").Body(
		app.Div().Class("sharing-pane-head").Body(
			app.P().Class("muted small").Text(app.FormatString("%s · %s · %s",
				plural(l.Views, "view", "views"), plural(l.Downloads, "download", "downloads"), shareUses(l))),
			app.A().Class("btn btn-secondary btn-sm").ID("sharing-log-csv").Href("/api/v2/share_links/"+l.ID+"/access_log?format=csv").
				Attr("download", "").Body(icon("download"), app.Span().Text("Download CSV")),
		),
		body,
	)
}

func (p *sharingLinkPage) renderRegistrations(l model.ShareLink) app.UI {
	// One column per question, in the order they were first answered.
	var labels []string
	seen := map[string]bool{}
	for _, r := range p.regs {
		for _, a := range r.Answers {
			if !seen[a.Label] {
				seen[a.Label] = true
				labels = append(labels, a.Label)
			}
		}
	}
	var body app.UI
	switch {
	case !p.regDone:
		body = app.Div().Class("empty").Body(app.Div().Class("spinner"))
	case p.regErr != "":
		body = errorBox(p.regErr)
	case len(p.regs) == 0:
		body = emptyState("user-check", "No registrations yet", "Visitors who register before opening the link show up here, newest first.", nil)
	default:
		body = app.Div().Class("table-card").Body(app.Table().Class("table sharing-regs stack-phone").ID("sharing-regs").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text("Time"), app.Th().Text("Name"), app.Th().Text("Company"), app.Th().Text("Email"),
				app.Range(labels).Slice(func(i int) app.UI { return app.Th().Text(labels[i]) }),
				app.If(l.ClickwrapID != "", func() app.UI { return app.Th().Text("Clickwrap") }),
				app.Th().Text("Address"),
			)),
			app.TBody().Body(app.Range(p.regs).Slice(func(i int) app.UI {
				r := p.regs[i]
				answers := map[string]string{}
				for _, a := range r.Answers {
					answers[a.Label] = a.Value
				}
				return app.Tr().Class("sharing-reg").Body(
					app.Td().Class("nowrap").DataSet("label", "Time").Title(r.InsertedAt.Local().Format("2 Jan 2006, 15:04:05")).
						Text(r.InsertedAt.Local().Format("2 Jan, 15:04")),
					app.Td().DataSet("label", "Name").Text(valueOrDash(r.Name)),
					app.Td().DataSet("label", "Company").Text(valueOrDash(r.Company)),
					app.Td().DataSet("label", "Email").Text(valueOrDash(r.Email)),
					app.Range(labels).Slice(func(j int) app.UI {
						return app.Td().DataSet("label", labels[j]).Text(valueOrDash(answers[labels[j]]))
					}),
					app.If(l.ClickwrapID != "", func() app.UI {
						return app.Td().DataSet("label", "Clickwrap").Text(map[bool]string{true: "Accepted", false: "—"}[r.ClickwrapAccepted])
					}),
					app.Td().Class("mono").DataSet("label", "Address").Title(r.UserAgent).Text(r.Address),
				)
			})),
		))
	}
	return app.Div().Class("card sharing-pane").ID("sharing-registrations").Body(
		app.Div().Class("sharing-pane-head").Body(
			app.P().Class("muted small").Text(plural(len(p.regs), "registration", "registrations")+". Revoking the link deletes them; to keep them, expire the link instead."),
			app.A().Class("btn btn-secondary btn-sm").ID("sharing-regs-csv").Href("/api/v2/share_links/"+l.ID+"/registrations?format=csv").
				Attr("download", "").Body(icon("download"), app.Span().Text("Export CSV")),
		),
		body,
	)
}

func (p *sharingLinkPage) renderEmbed(l model.ShareLink) app.UI {
	if l.EmbedCode == "" {
		return app.Div().Class("card sharing-pane").Body(app.P().Class("muted").Text("This link cannot be embedded."))
	}
	return app.Div().Class("card sharing-pane").ID("sharing-embed").Body(
		app.H2().Text("Embed this link in a web page"),
		app.P().Class("muted small").Text("Paste this code into the HTML of your page where the files should appear. Visitors browse and download them there; passwords, registration and the link's other rules still apply."),
		app.Pre().Class("sharing-code").ID("sharing-embed-code").Text(l.EmbedCode),
		app.Div().Class("copy-row").Body(
			button("Copy embed code", "primary", func(ctx app.Context, e app.Event) { copyText(l.EmbedCode); toast(ctx, "Embed code copied") }).
				ID("sharing-embed-copy"),
			app.A().Class("btn btn-secondary").Href(l.EmbedURL).Target("_blank").Attr("rel", "noopener").
				Body(shareIcon("external"), app.Span().Text("Preview")),
		),
	)
}

// sharingSettings is the Settings tab: the site's rules for share links.
type sharingSettings struct {
	app.Compo
	loaded            bool
	err, saveErr      string
	customURLs, reqPW bool
	days              string
	saving            bool
}

func (s *sharingSettings) OnMount(ctx app.Context) {
	ctx.Async(func() {
		set, err := api.SharingSettings()
		ctx.Dispatch(func(ctx app.Context) {
			s.loaded = true
			if err != nil {
				s.err = err.Error()
				return
			}
			s.customURLs, s.reqPW, s.days = set.AllowCustomURLs, set.RequirePassword, ""
			if set.DefaultExpirationDays != nil {
				s.days = strconv.Itoa(*set.DefaultExpirationDays)
			}
		})
	})
}

func (s *sharingSettings) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	var days *int
	if d := strings.TrimSpace(s.days); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 3650 {
			s.saveErr = "Default expiration is a whole number of days from 1 to 3650, or blank for never."
			return
		}
		days = &n
	}
	in := model.SharingSettings{AllowCustomURLs: s.customURLs, RequirePassword: s.reqPW, DefaultExpirationDays: days}
	s.saving, s.saveErr = true, ""
	ctx.Async(func() {
		_, err := api.SetSharingSettings(in)
		ctx.Dispatch(func(ctx app.Context) {
			s.saving = false
			if err != nil {
				s.saveErr = err.Error()
				return
			}
			toast(ctx, "Sharing settings saved")
		})
	})
}

func (s *sharingSettings) Render() app.UI {
	if !s.loaded {
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	}
	if s.err != "" {
		return errorBox(s.err)
	}
	return app.Form().Class("card sharing-pane sharing-settings").ID("sharing-settings-form").OnSubmit(s.save).Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Share link settings"),
			app.P().Class("muted small").Text("They apply to every user's new links; existing links keep what they have."),
		),
		errorBox(s.saveErr),
		app.Div().Class("sharing-setting").Body(
			shareSwitch("ss-custom-urls", "Allow share links to use custom URLs", s.customURLs, "", func(on bool) { s.customURLs = on }),
			app.P().Class("field-hint sl-sub").Text("Users may replace the random URL key of a link with a friendly name of letters and digits."),
			app.Div().Class("callout callout-warn sl-sub").ID("ss-custom-warning").Body(
				shareIcon("shield"),
				app.Div().Body(
					app.Strong().Text("A custom URL can be guessed"),
					app.P().Text("Such friendly names can pose a security risk: they can potentially be guessed in a similar way as commonly used passwords. Protect sensitive links with a password or registration."),
				),
			),
		),
		app.Div().Class("sharing-setting").Body(
			shareSwitch("ss-require-password", "Password protect all new share and review links", s.reqPW, "", func(on bool) { s.reqPW = on }),
			app.P().Class("field-hint sl-sub").Text("New links cannot be created without a password; direct download links, which take none, are refused. Audit existing links in the Security column."),
		),
		app.Div().Class("sharing-setting").Body(
			field("Default expiration (days)", app.Input().ID("ss-expiration").Type("number").Min(1).Max(3650).Step(1).
				Attr("inputmode", "numeric").Placeholder("Never").Value(s.days).OnInput(s.ValueTo(&s.days)),
				"New links expire this many days after they are made, unless their creator picks another date. Minimum 1; blank: links never expire by default."),
		),
		app.Div().Class("form-actions").Body(
			app.Button().Type("submit").ID("ss-save").Class("btn btn-primary").Disabled(s.saving).
				Text(map[bool]string{true: "Saving…", false: "Save settings"}[s.saving]),
		),
	)
}

// sharingClickwraps is the Clickwraps tab.
type sharingClickwraps struct {
	app.Compo
	items  []model.Clickwrap
	loaded bool
	err    string

	editing  *model.Clickwrap
	formErr  string
	saving   bool
	deleting *model.Clickwrap
}

func (s *sharingClickwraps) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { s.load(ctx) })
	s.load(ctx)
}

func (s *sharingClickwraps) load(ctx app.Context) {
	ctx.Async(func() {
		cs, err := api.Clickwraps()
		ctx.Dispatch(func(ctx app.Context) {
			s.loaded = true
			if err != nil {
				s.err = err.Error()
				return
			}
			sort.SliceStable(cs, func(i, j int) bool { return strings.ToLower(cs[i].Name) < strings.ToLower(cs[j].Name) })
			s.items, s.err = cs, ""
		})
	})
}

func (s *sharingClickwraps) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c := s.editing
	if strings.TrimSpace(c.Name) == "" || strings.TrimSpace(c.Body) == "" {
		s.formErr = "Give the clickwrap a name and its terms."
		return
	}
	id, in := c.ID, model.ClickwrapInput{Name: strings.TrimSpace(c.Name), Body: c.Body}
	submit(ctx, &s.saving, &s.formErr, func() error { _, err := api.SaveClickwrap(id, in); return err }, "", "", "Clickwrap saved", func() { s.editing = nil })
}

func (s *sharingClickwraps) remove(ctx app.Context, e app.Event) {
	id := s.deleting.ID
	submit(ctx, &s.saving, &s.formErr, func() error { return api.DeleteClickwrap(id) }, "clickwrap_in_use",
		"Share links use this clickwrap: take it off them first.", "Clickwrap deleted", func() { s.deleting = nil })
}

// submit runs one request of an admin editor: busy while it runs, its
// error in *errMsg (with hint first when the server answers code inUse),
// else done, a toast and a reload of the lists.
func submit(ctx app.Context, busy *bool, errMsg *string, send func() error, inUse, hint, okMsg string, done func()) {
	*busy, *errMsg = true, ""
	ctx.Async(func() {
		err := send()
		ctx.Dispatch(func(ctx app.Context) {
			*busy = false
			if err != nil {
				*errMsg = err.Error()
				if e, ok := err.(*client.Error); ok && inUse != "" && e.Code == inUse {
					*errMsg = hint + " (" + e.Error() + ")"
				}
				return
			}
			done()
			toast(ctx, okMsg)
			reload(ctx)
		})
	})
}

func (s *sharingClickwraps) Render() app.UI {
	closeIt := func(ctx app.Context, e app.Event) {
		if !s.saving {
			s.editing, s.deleting = nil, nil
		}
	}
	return app.Div().Class("sharing-clickwraps").Body(
		app.Div().Class("sharing-pane-head sharing-section-head").Body(
			app.P().Class("muted").Text("Terms visitors must accept before a share link opens. Pick one in a link's settings."),
			button("New clickwrap", "primary", func(ctx app.Context, e app.Event) { s.editing, s.formErr = &model.Clickwrap{}, "" }).ID("sharing-new-clickwrap"),
		),
		errorBox(s.err),
		s.renderList(),
		app.If(s.editing != nil, func() app.UI {
			c := s.editing
			title := "New clickwrap"
			if c.ID != "" {
				title = "Edit clickwrap"
			}
			return dialog(title, closeIt, []app.UI{
				app.Form().ID("cw-form").OnSubmit(s.save).Body(
					errorBox(s.formErr),
					field("Name", app.Input().ID("cw-name").MaxLength(200).Required(true).Placeholder("e.g. Press embargo terms").
						Value(c.Name).OnInput(s.ValueTo(&c.Name)), "Only shown internally, to pick it for a link."),
					field("Terms", app.Textarea().ID("cw-body").Rows(10).MaxLength(20000).Required(true).
						Placeholder("The terms visitors agree to, as plain text").Text(c.Body).OnInput(s.ValueTo(&c.Body)),
						"Visitors read these and tick “I agree” before they see the files."),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", closeIt),
						app.Button().Type("submit").ID("cw-save").Class("btn btn-primary").Disabled(s.saving).
							Text(map[bool]string{true: "Saving…", false: "Save clickwrap"}[s.saving]),
					),
				),
			})
		}),
		app.If(s.deleting != nil, func() app.UI {
			return dialog("Delete \""+s.deleting.Name+"\"?", closeIt, []app.UI{
				errorBox(s.formErr),
				app.P().Text("Links that use it must drop it first. Acceptances already recorded in registrations stay."),
			},
				button("Cancel", "ghost", closeIt),
				button("Delete clickwrap", "danger", s.remove).ID("cw-delete-confirm").Disabled(s.saving),
			)
		}),
	)
}

func (s *sharingClickwraps) renderList() app.UI {
	switch {
	case !s.loaded:
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	case len(s.items) == 0 && s.err == "":
		return app.Div().Class("card").ID("cw-empty").Body(emptyState("shield", "No clickwraps yet",
			"A clickwrap is terms a visitor must accept before a share link opens, such as an embargo or a licence.", nil))
	case len(s.items) == 0:
		return nil
	}
	return app.Div().Class("card table-card").Body(app.Table().Class("table sharing-simple stack-phone").ID("cw-table").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("Name"), app.Th().Text("Terms"), app.Th().Text("Updated"), srTh("Actions"))),
		app.TBody().Body(app.Range(s.items).Slice(func(i int) app.UI {
			c := s.items[i]
			return app.Tr().Class("cw-row").DataSet("id", c.ID).Body(
				app.Td().DataSet("label", "Name").Body(app.Strong().Text(c.Name)),
				app.Td().Class("muted small sharing-excerpt").DataSet("label", "Terms").Text(excerpt(c.Body, 140)),
				app.Td().Class("nowrap muted").DataSet("label", "Updated").Text(c.UpdatedAt.Local().Format("2 Jan 2006")),
				app.Td().Class("row-actions").Body(
					button("Edit", "ghost", func(ctx app.Context, e app.Event) { cc := c; s.editing, s.formErr = &cc, "" }).Class("btn btn-ghost cw-edit"),
					button("Delete", "danger-ghost", func(ctx app.Context, e app.Event) { cc := c; s.deleting, s.formErr = &cc, "" }).Class("btn btn-danger-ghost cw-delete"),
				),
			)
		})),
	))
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
