package uploadlinks

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func (p *Page) Render() app.UI {
	subtitle := "Passcode-protected links that let photographers, agencies and collaborators send files into your projects, no account needed."
	var crumbs app.UI
	if p.scope.Project() != "" {
		subtitle = "Passcode-protected links that let photographers, agencies and collaborators send files into this project, no account needed."
		crumbs = linkui.ProjectCrumbs(p.project)
	}
	return linkui.ListPage{
		Section: "upload", Loaded: p.loaded, Err: p.err,
		Top:   []app.UI{crumbs},
		Title: "Upload Links", Subtitle: subtitle,
		Actions: []app.UI{app.Button().Type("button").Class("btn btn-primary").ID("create-upload-link").OnClick(p.openCreate).Body(
			ui.Icon("plus"), app.Span().Text("Create Upload Link"))},
		Stats: linkui.Stats("ul-stats",
			ui.KeyedStatCard("total", "Total Links", strconv.Itoa(p.stats.TotalLinks), false),
			ui.KeyedStatCard("files", "Files Received", strconv.Itoa(p.stats.FilesReceived), false),
			ui.KeyedStatCard("bytes", "Total Uploaded", ui.HumanBytes(p.stats.BytesReceived), false),
			ui.KeyedStatCard("expiring", "Expiring Soon", strconv.Itoa(p.stats.ExpiringSoon), p.stats.ExpiringSoon > 0),
		),
		Toolbar: linkui.Toolbar("", ui.TabBar{Class: "ul-tabs", TabClass: "ul-tab", Active: p.status, Tabs: uploadLinkTabs,
			OnSelect: p.setStatus},
			ui.Search("", "ul-search", "Search upload links", "Search name or recipient email", p.q, p.search)),
		List: p.renderLinks(),
		Bottom: []app.UI{
			p.renderCreate(),
			p.renderConfirm(),
			app.If(p.resent != nil, func() app.UI {
				l := p.resent
				closeFn := func(ctx app.Context, e app.Event) { p.resent = nil }
				return ui.Dialog("New passcode for \""+l.Name+"\"", closeFn, []app.UI{
					app.P().Class("muted").Text("Both emails are on their way again to " + l.RecipientEmail + ": the upload link, and this passcode separately."),
					passcodeBox(l.Passcode),
				}, ui.Button("Close", "primary", closeFn).ID("ul-resent-close"))
			}),
		},
	}.UI()
}

func (p *Page) renderLinks() app.UI {
	q := strings.TrimSpace(p.q)
	noMatch := linkui.Empty{ID: "ul-empty", Icon: "upload", Title: "No matching links",
		Text: "No upload link matches \"" + q + "\" by name or recipient email."}
	if q == "" {
		noMatch.Title, noMatch.Text = "No "+p.status+" links", uploadLinkEmptyText[p.status]
	}
	return linkui.ListState{Loaded: p.loaded, Err: p.err, Held: len(p.links), Shown: len(p.links), Scoped: p.status != "all" || q != ""}.UI(
		linkui.Empty{ID: "ul-empty", Icon: "upload", Title: "No upload links yet",
			Text: "Send a photographer, agency or collaborator a link, and their files land straight in your project. " +
				"They get the link and a 6-digit passcode in two separate emails; no account needed.",
			Action: ui.Button("Create Upload Link", "primary", p.openCreate)},
		noMatch,
		func() app.UI {
			return app.Div().Class("ul-grid").ID("ul-list").Body(app.Range(p.links).Slice(func(i int) app.UI {
				return p.renderCard(p.links[i])
			}))
		})
}

var uploadLinkEmptyText = map[string]string{
	"active":  "Links ready for uploads show up here once both invitation emails are delivered.",
	"pending": "Links whose invitation emails are still on their way show up here.",
	"expired": "Links past their expiry date show up here. Files already uploaded stay in the project.",
	"revoked": "Links you revoked show up here. Files already uploaded stay in the project.",
}

func uploadLinkStatusBadge(status string) app.UI {
	switch status {
	case "active":
		return ui.Badge("Active", "blue")
	case "pending":
		return app.Span().Class("badge badge-amber").Title("Waiting for the invitation emails to go out").Text("Pending")
	case "expired":
		return ui.Badge("Expired", "grey")
	case "revoked":
		return ui.Badge("Revoked", "red")
	}
	return ui.Badge(status, "grey")
}

func (p *Page) renderCard(l model.UploadLink) app.UI {
	cls := "card ul-card"
	if l.Status == "expired" || l.Status == "revoked" {
		cls += " is-faded"
	}
	menuOpen := p.menuFor == l.ID
	if menuOpen {
		cls += " menu-open"
	}
	who := l.RecipientName
	if who == "" {
		who = l.RecipientEmail
	}
	limits := uploadLinkLimits(l)
	return app.Div().Class(cls).DataSet("id", l.ID).DataSet("status", l.Status).Body(
		app.Div().Class("ul-head").Body(
			app.H2().Class("ul-name").Title(l.Name).Text(l.Name),
			app.Div().Class("ul-actions").Body(
				app.Div().Class("ul-quick").Body(
					app.Button().Type("button").Class("icon-btn ul-copy").Title("Copy upload URL").Attr("aria-label", "Copy upload URL of "+l.Name).
						OnClick(func(ctx app.Context, e app.Event) { p.copyURL(ctx, l) }, ulScope(l)).Body(ui.Icon("copy")),
					app.A().Class("icon-btn ul-open").Href(l.URL).Target("_blank").Rel("noopener").Title("Open in new tab").
						Attr("aria-label", "Open "+l.Name+" in a new tab").Body(ui.Icon("external")),
				),
				app.Div().Class("ul-more-wrap").Body(
					app.Button().Type("button").Class("icon-btn ul-more").Title("More actions").Attr("aria-label", "More actions for "+l.Name).
						Attr("aria-haspopup", "menu").Attr("aria-expanded", strconv.FormatBool(menuOpen)).
						OnClick(func(ctx app.Context, e app.Event) {
							if menuOpen {
								p.menuFor = ""
							} else {
								p.menuFor = l.ID
							}
						}, app.EventScope(l.ID, l.Status, l.UpdatedAt.UnixNano(), menuOpen)).Body(ui.Icon("more")),
					app.If(menuOpen, func() app.UI { return p.renderMenu(l) }),
				),
			),
		),
		app.Div().Class("ul-badges").Body(
			uploadLinkStatusBadge(l.Status),
			app.If(l.Locked, func() app.UI {
				return app.Span().Class("badge badge-red ul-locked").Title("Locked after too many wrong passcodes; resend the emails to unlock it").Text("Locked")
			}),
			app.If(l.SetupComplete, func() app.UI {
				return app.Span().Class("badge badge-green ul-setup").Title("Both invitation emails were delivered").Text("Setup complete")
			}),
		),
		uploadLinkMailError(l),
		app.If(p.scope.Project() == "", func() app.UI {
			return linkui.ProjectChip("/projects/"+l.ProjectID+"/upload-links", "Upload links of "+l.ProjectName, l.ProjectName)
		}),
		app.Div().Class("ul-recipient").Body(
			app.Span().Class("avatar sm").Text(ui.Initials(who)),
			app.Div().Class("ul-who").Body(
				app.Div().Class("ul-recipient-name").Text(who),
				app.If(l.RecipientName != "", func() app.UI {
					return app.Div().Class("muted small ul-email").Title(l.RecipientEmail).Text(l.RecipientEmail)
				}),
			),
		),
		app.Div().Class("ul-figures").Body(
			linkui.Figure("ul-files", strconv.Itoa(l.FilesReceived), map[bool]string{true: "file received", false: "files received"}[l.FilesReceived == 1]),
			linkui.Figure("ul-bytes", ui.HumanBytes(l.BytesReceived), "uploaded"),
		),
		app.If(limits != "", func() app.UI { return app.Div().Class("muted small ul-limits").Text(limits) }),
		app.Div().Class("ul-foot").Body(
			linkui.ExpiryChip(uploadLinkExpiryDate(l), uploadLinkExpiry(l, time.Now())),
			app.If(l.FolderName != "", func() app.UI {
				return app.Span().Class("ul-folder").Title("Uploads go into the folder "+l.FolderName).Body(ui.Icon("download"), app.Span().Text(l.FolderName))
			}),
		),
	)
}

func (p *Page) renderMenu(l model.UploadLink) app.UI {
	// Expired links take no resend (the server refuses it); revoked ones
	// take nothing.
	canResend := l.Status == "active" || l.Status == "pending"
	canRevoke := l.Status != "revoked"
	return app.Div().Body(
		// The shield closes the menu on a click anywhere else.
		app.Div().Class("ul-menu-shield").OnClick(func(ctx app.Context, e app.Event) { p.menuFor = "" }),
		app.Div().Class("ul-menu").Attr("role", "menu").Body(
			app.Button().Type("button").Class("menu-item ul-menu-copy").Attr("role", "menuitem").
				OnClick(func(ctx app.Context, e app.Event) { p.copyURL(ctx, l) }, ulScope(l)).
				Body(ui.Icon("copy"), app.Span().Text("Copy upload URL")),
			app.A().Class("menu-item ul-menu-open").Attr("role", "menuitem").Href(l.URL).Target("_blank").Rel("noopener").
				OnClick(func(ctx app.Context, e app.Event) { p.menuFor = "" }).
				Body(ui.Icon("external"), app.Span().Text("Open in new tab")),
			app.If(canResend, func() app.UI {
				return app.Button().Type("button").Class("menu-item ul-menu-resend").Attr("role", "menuitem").
					OnClick(p.ask("resend", l), ulScope(l)).Body(ui.Icon("mail"), app.Span().Text("Resend emails"))
			}),
			app.If(canRevoke, func() app.UI {
				return app.Button().Type("button").Class("menu-item danger ul-menu-revoke").Attr("role", "menuitem").
					OnClick(p.ask("revoke", l), ulScope(l)).Body(ui.Icon("ban"), app.Span().Text("Revoke"))
			}),
		),
	)
}

func (p *Page) renderCreate() app.UI {
	if p.form == nil {
		return nil
	}
	if l := p.created; l != nil {
		return ui.Dialog("Upload link created", p.closeCreate, []app.UI{
			app.Div().Class("alert alert-success").Text("Invitations are on their way to " + l.RecipientEmail + ": one email with the link, another with the passcode."),
			passcodeBox(l.Passcode),
			app.Div().Class("field-label ul-url-label").Text("Upload URL"),
			linkui.CopyRow("ul-url", l.URL, linkui.CopyButton("Copy", "secondary", l.URL, "Link copied").ID("ul-url-copy")),
		}, ui.Button("Close", "primary", p.closeCreate).ID("ul-done"))
	}
	f := p.form
	var body []app.UI
	if p.scope.Project() == "" && p.projects != nil && len(p.projects) == 0 {
		body = []app.UI{ui.EmptyState("folder", "No projects yet", "Upload links deliver files into a project. Create a project first.",
			app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects"))}
		return ui.Dialog("Create Upload Link", p.closeCreate, body)
	}
	projectName := p.project.Name
	for _, pr := range p.projects {
		if pr.ID == f.projectID {
			projectName = pr.Name
		}
	}
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	body = []app.UI{
		app.Form().ID("ul-form").Class("ul-form").OnSubmit(p.create).Body(
			ui.ErrorBox(f.err),
			app.If(p.scope.Project() == "", func() app.UI {
				return ui.Field("Project", app.Select().ID("ul-project").Required(true).OnChange(p.pickProject).Body(
					app.Option().Value("").Selected(f.projectID == "").Text("Choose a project…"),
					app.Range(p.projects).Slice(func(i int) app.UI {
						pr := p.projects[i]
						return app.Option().Value(pr.ID).Selected(pr.ID == f.projectID).Text(pr.Name)
					}),
				), "")
			}),
			ui.Field("Link name", app.Input().ID("ul-name").AutoFocus(true).MaxLength(200).
				Placeholder("e.g. Harbour shoot – Mia Chen").Value(f.name).OnInput(p.ValueTo(&f.name)),
				"Name the shoot or the recipient, to tell links apart later. Left blank: “Upload from "+f.who()+"”."),
			app.Div().Class("ul-row").Body(
				ui.Field("Recipient email", app.Input().ID("ul-email").Type("email").Required(true).Attr("autocomplete", "off").
					Placeholder("mia@agency.com").Value(f.email).OnInput(p.ValueTo(&f.email)), ""),
				ui.Field("Recipient name", app.Input().ID("ul-recipient").Attr("autocomplete", "off").
					Placeholder("Mia Chen").Value(f.recipient).OnInput(p.ValueTo(&f.recipient)), ""),
			),
			app.Div().Class("ul-row").Body(
				ui.Field("Link Expires", app.Select().ID("ul-expires").OnChange(p.ValueTo(&f.expires)).Body(
					app.Range(uploadLinkExpiries).Slice(func(i int) app.UI {
						o := uploadLinkExpiries[i]
						return app.Option().Value(o.value).Selected(f.expires == o.value).Text(o.label)
					}),
				), ""),
				app.If(f.expires == "custom", func() app.UI {
					return ui.Field("Expires on", app.Input().ID("ul-expires-date").Type("date").Required(true).Min(tomorrow).
						Value(f.expiresOn).OnInput(p.ValueTo(&f.expiresOn)), "The link works until the end of that day.")
				}),
			),
			ui.Field("Message (optional)", app.Textarea().ID("ul-message").Rows(3).MaxLength(2000).
				Placeholder("The shoot, what you need, how to name files…").Text(f.message).OnInput(p.ValueTo(&f.message)),
				"Appears in the invitation email."),
			app.Button().Type("button").Class("ul-adv-toggle").ID("ul-advanced").Attr("aria-expanded", strconv.FormatBool(f.advanced)).
				OnClick(func(ctx app.Context, e app.Event) { f.advanced = !f.advanced }).Body(
				ui.Icon(map[bool]string{true: "chevron-down", false: "chevron-right"}[f.advanced]),
				app.Span().Text(map[bool]string{true: "Hide advanced options", false: "Show advanced options"}[f.advanced]),
			),
			app.If(f.advanced, func() app.UI {
				return app.Div().Class("ul-advanced").Body(
					app.P().Class("muted small ul-adv-note").Text("Leave blank for no limit. A total cap keeps storage use predictable when several people upload."),
					app.Div().Class("ul-row ul-row-3").Body(
						ui.Field("Max files", p.limitInput("ul-max-files", &f.maxFiles), ""),
						ui.Field("Max per file (MB)", p.limitInput("ul-max-file-mb", &f.maxFileMB), ""),
						ui.Field("Max in total (MB)", p.limitInput("ul-max-total-mb", &f.maxTotalMB), ""),
					),
					ui.Field("Save uploads into", app.Select().ID("ul-folder").OnChange(p.ValueTo(&f.folderID)).Body(
						app.Option().Value("").Selected(f.folderID == "").Text("New folder named after the link"),
						app.Range(p.folders).Slice(func(i int) app.UI {
							fp := p.folders[i]
							return app.Option().Value(fp.ID).Selected(fp.ID == f.folderID).Text(projectName + fp.Path)
						}),
					), ""),
				)
			}),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", p.closeCreate),
				app.Button().Type("submit").ID("ul-submit").Class("btn btn-primary").Disabled(f.busy).
					Text(map[bool]string{true: "Creating…", false: "Create & Send Invitation"}[f.busy]),
			),
		),
	}
	return ui.Dialog("Create Upload Link", p.closeCreate, body)
}

// limitInput is a number field of the advanced options; blank is no limit.
func (p *Page) limitInput(id string, v *string) app.UI {
	return app.Input().ID(id).Type("number").Min(1).Step(1).Attr("inputmode", "numeric").Placeholder("Unlimited").
		Value(*v).OnInput(p.ValueTo(v))
}

func (p *Page) renderConfirm() app.UI {
	c := p.confirm
	if c == nil {
		return nil
	}
	cancel := func(ctx app.Context, e app.Event) {
		if !c.busy {
			p.confirm = nil
		}
	}
	l := c.link
	who := l.RecipientEmail
	if l.RecipientName != "" {
		who = l.RecipientName + " (" + l.RecipientEmail + ")"
	}
	if c.action == "resend" {
		return linkui.Confirm{
			Title: "Resend invitation emails?", Err: c.err,
			Body: []app.UI{
				app.P().Text("Ferry sends both emails again to " + who + ": the upload link, and a new 6-digit passcode in a separate email."),
				app.P().Class("muted small ul-confirm-note").Text(resendNote(l)),
			},
			Label: "Resend emails", Busy: "Sending…", Kind: "primary", ID: "ul-resend-confirm", Running: c.busy,
			OnCancel: cancel, OnConfirm: p.confirmed,
		}.UI()
	}
	project := l.ProjectName
	if project == "" {
		project = "the project"
	}
	return linkui.Confirm{
		Title: "Revoke \"" + l.Name + "\"?", Err: c.err,
		Body: []app.UI{
			app.P().Text("Revoking is permanent: " + who + " can no longer upload through this link, and it cannot be reactivated."),
			app.If(l.UploadsActive > 0, func() app.UI {
				return app.P().Class("ul-confirm-note").Text(ui.Plural(l.UploadsActive, "upload", "uploads") + " under way through it stop, and their partial files are removed.")
			}),
			app.P().Class("muted small ul-confirm-note").Text("Files already uploaded stay in " + project + ". To collect more files later, create a new link."),
		},
		Label: "Revoke link", Busy: "Revoking…", Kind: "danger", ID: "ul-revoke-confirm", Running: c.busy,
		OnCancel: cancel, OnConfirm: p.confirmed,
	}.UI()
}
