package sharing

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

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
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
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
		l, err := fetch.API.ShareLink(id)
		var forms []model.ShareForm
		var wraps []model.Clickwrap
		var folders []model.FolderPath
		if err == nil {
			if l.FormID != "" {
				forms, _ = fetch.API.ShareForms()
			}
			if l.ClickwrapID != "" {
				wraps, _ = fetch.API.Clickwraps()
			}
			if l.InboxFolderID != "" {
				folders, _ = fetch.API.Folders(l.ProjectID)
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
				p.folders[f.ID] = ui.FolderLabel(f.Path)
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
		loadAccessLog(ctx, id, &p.logDone, &p.logErr, &p.log)
	case "registrations":
		var regs []model.Registration
		linkui.Fetch(ctx, func() (err error) { regs, err = fetch.API.ShareLinkRegistrations(id); return err }, &p.regDone, &p.regErr,
			func() { p.regs = regs })
	}
}

// tabs are the tabs the link has: Registrations only when it asks for
// them or has some.
func (p *sharingLinkPage) tabs() []ui.Tab {
	l := p.link
	out := []ui.Tab{{Key: "settings", Label: "Settings"}, {Key: "log", Label: "Access log"}}
	if contentsEditable(*l) {
		out = append(out, ui.Tab{Key: "contents", Label: "Contents"})
	}
	if l.RequireRegistration || l.FormID != "" || l.Registrations > 0 {
		out = append(out, ui.Tab{Key: "registrations", Label: "Registrations", Count: countOrNone(l.Registrations)})
	}
	if l.Kind != "download" {
		out = append(out, ui.Tab{Key: "email", Label: "Share via email", Count: countOrNone(l.Recipients)}, ui.Tab{Key: "embed", Label: "Embedding"})
	}
	for i := range out {
		out[i].ID = "sharing-link-tab-" + out[i].Key
	}
	return out
}

// countOrNone is a tab's count, shown only when there is something.
func countOrNone(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (p *sharingLinkPage) Render() app.UI {
	back := app.A().Class("sharing-back").ID("sharing-back").Href("/sharing").Body(ui.Icon("chevron-down"), app.Span().Text("Sharing"))
	switch {
	case !p.loaded:
		return app.Div().Body(back, ui.LoadingCard())
	case p.gone:
		return app.Div().Body(back, app.Div().Class("card").ID("sharing-gone").Body(ui.EmptyState("share", "Share not found",
			"This link was revoked, or never existed.", app.A().Class("btn btn-primary").Href("/sharing").Text("Back to Sharing"))))
	case p.link == nil:
		return app.Div().Body(back, ui.ErrorBox(p.err))
	}
	l := *p.link
	return app.Div().Class("sharing-link").ID("sharing-link").DataSet("id", l.ID).Body(
		back,
		app.Div().Class("page-head").Body(
			app.Div().Class("sharing-link-title").Body(
				app.H1().Body(app.Span().Text(l.Name), shareStatusBadge(l)),
				app.Button().Type("button").Class("slr-url sharing-url").ID("sharing-link-url").Title("Copy link").
					OnClick(func(ctx app.Context, e app.Event) { ui.CopyText(l.URL); shell.Toast(ctx, "Link copied") }, linkScope(l)).
					Body(ui.Icon("copy"), app.Span().Text(l.URL)),
			),
			app.Div().Class("page-actions").Body(
				app.A().Class("btn btn-secondary").Href(l.URL).Target("_blank").Attr("rel", "noopener").
					Body(ui.Icon("external"), app.Span().Text("Open")),
				app.Button().Type("button").Class("btn btn-secondary").ID("sharing-edit").
					OnClick(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }, linkScope(l)).
					Body(ui.Icon("edit"), app.Span().Text("Edit")),
				app.Button().Type("button").Class("btn btn-danger-ghost sharing-revoke-one").ID("sharing-revoke").
					OnClick(func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "revoke", link: l}) }, linkScope(l)).
					Text("Revoke"),
			),
		),
		ui.TabBar{Class: "sharing-link-tabs", Active: p.tab, Tabs: p.tabs(), OnSelect: p.openTab}.UI(),
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
			registration = "Custom form: " + ui.ValueOr(p.forms[l.FormID], "(a form)")
		}
	}
	clickwrap := "None"
	if l.ClickwrapID != "" {
		clickwrap = ui.ValueOr(p.wraps[l.ClickwrapID], "(a clickwrap)")
	}
	access := "Anyone with the link"
	if l.AccessControl == "emailed" {
		access = "Only from emailed links"
	}
	inbox := "None"
	if l.InboxFolderID != "" {
		inbox = ui.ValueOr(p.folders[l.InboxFolderID], "A folder of the project")
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
				ui.Button("Edit", "secondary", func(ctx app.Context, e app.Event) { openShare(ctx, shareRequest{op: "edit", link: l}) }).
					Class("btn btn-secondary btn-sm").ID("sharing-settings-edit"),
			),
			app.P().Class("sl-mode-says").Body(ui.Icon(a.icon), app.Span().Text(a.label+": "+a.says)),
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
				pair("Public description", ui.ValueOrDash(l.Description)),
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
				ui.StatCard("Views", strconv.Itoa(l.Views), false),
				ui.StatCard("Downloads", strconv.Itoa(l.Downloads), false),
				ui.StatCard("Registrations", strconv.Itoa(l.Registrations), false),
				ui.StatCard("Emailed to", strconv.Itoa(l.Recipients), false),
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

func (p *sharingLinkPage) renderLog(l model.ShareLink) app.UI {
	return app.Div().Class("card sharing-pane").ID("sharing-log").Body(
		app.Div().Class("sharing-pane-head").Body(
			app.P().Class("muted small").Text(app.FormatString("%s · %s · %s",
				ui.Plural(l.Views, "view", "views"), ui.Plural(l.Downloads, "download", "downloads"), shareUses(l))),
			app.A().Class("btn btn-secondary btn-sm").ID("sharing-log-csv").Href("/api/v2/share_links/"+l.ID+"/access_log?format=csv").
				Attr("download", "").Body(ui.Icon("download"), app.Span().Text("Download CSV")),
		),
		accessLog(p.logDone, p.logErr, p.log),
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
	body := ui.Part(p.regDone, p.regErr, len(p.regs),
		ui.EmptyState("user-check", "No registrations yet", "Visitors who register before opening the link show up here, newest first.", nil),
		func() app.UI {
			return app.Div().Class("table-card").Body(app.Table().Class("table sharing-regs stack-phone").ID("sharing-regs").Body(
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
						app.Td().DataSet("label", "Name").Text(ui.ValueOrDash(r.Name)),
						app.Td().DataSet("label", "Company").Text(ui.ValueOrDash(r.Company)),
						app.Td().DataSet("label", "Email").Text(ui.ValueOrDash(r.Email)),
						app.Range(labels).Slice(func(j int) app.UI {
							return app.Td().DataSet("label", labels[j]).Text(ui.ValueOrDash(answers[labels[j]]))
						}),
						app.If(l.ClickwrapID != "", func() app.UI {
							return app.Td().DataSet("label", "Clickwrap").Text(map[bool]string{true: "Accepted", false: "—"}[r.ClickwrapAccepted])
						}),
						app.Td().Class("mono").DataSet("label", "Address").Title(r.UserAgent).Text(r.Address),
					)
				})),
			))
		})
	return app.Div().Class("card sharing-pane").ID("sharing-registrations").Body(
		app.Div().Class("sharing-pane-head").Body(
			app.P().Class("muted small").Text(ui.Plural(len(p.regs), "registration", "registrations")+". Revoking the link deletes them; to keep them, expire the link instead."),
			app.A().Class("btn btn-secondary btn-sm").ID("sharing-regs-csv").Href("/api/v2/share_links/"+l.ID+"/registrations?format=csv").
				Attr("download", "").Body(ui.Icon("download"), app.Span().Text("Export CSV")),
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
			ui.Button("Copy embed code", "primary", func(ctx app.Context, e app.Event) { ui.CopyText(l.EmbedCode); shell.Toast(ctx, "Embed code copied") }).
				ID("sharing-embed-copy"),
			app.A().Class("btn btn-secondary").Href(l.EmbedURL).Target("_blank").Attr("rel", "noopener").
				Body(ui.Icon("external"), app.Span().Text("Preview")),
		),
	)
}
