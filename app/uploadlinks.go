package app

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/model"
)

var uploadLinkTabs = []struct{ key, label string }{
	{"all", "All"}, {"active", "Active"}, {"pending", "Pending"}, {"expired", "Expired"}, {"revoked", "Revoked"},
}

// uploadLinkExpiries are the choices of the Link Expires select; the
// numbers are days.
var uploadLinkExpiries = []struct{ value, label string }{
	{"7", "7 days"}, {"14", "14 days"}, {"30", "30 days"}, {"90", "90 days"}, {"never", "Never"}, {"custom", "Custom date…"},
}

// uploadLinkForm is what the create dialog holds while it is open.
type uploadLinkForm struct {
	projectID, folderID             string
	name, email, recipient          string
	expires, expiresOn, message     string
	maxFiles, maxFileMB, maxTotalMB string
	advanced, busy                  bool
	err                             string
}

// who is the recipient as a blank link name would call them.
func (f *uploadLinkForm) who() string {
	for _, s := range []string{f.recipient, f.email} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return "the recipient"
}

// uploadLinkConfirm is an action on one link waiting for a yes.
type uploadLinkConfirm struct {
	action string // "resend" or "revoke"
	link   model.UploadLink
	busy   bool
	err    string
}

// UploadLinksPage lists upload links with their figures, creates them, and
// copies, resends or revokes them. On /links/upload it shows every project
// the user can see; on /projects/{id}/upload-links one project.
type UploadLinksPage struct {
	app.Compo
	projectID string // "" means every project
	project   model.Project
	projects  []model.Project

	links   []model.UploadLink
	stats   model.UploadLinkStats
	status  string
	q       string
	loaded  bool
	err     string
	loadSeq int // answers of a superseded load are dropped
	typeSeq int // debounces the search box
	polling bool

	menuFor string // the link whose actions menu is open

	form    *uploadLinkForm
	folders []model.FolderPath
	created *model.UploadLink

	confirm *uploadLinkConfirm
	resent  *model.UploadLink
}

func (p *UploadLinksPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *UploadLinksPage) OnNav(ctx app.Context) {
	projectID := ""
	if parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/"); len(parts) == 3 && parts[0] == "projects" {
		projectID = parts[1]
	}
	if projectID != p.projectID || p.status == "" {
		p.projectID, p.project, p.projects = projectID, model.Project{}, nil
		p.links, p.stats, p.status, p.q, p.loaded, p.err = nil, model.UploadLinkStats{}, "all", "", false, ""
	}
	p.menuFor, p.form, p.created, p.confirm, p.resent = "", nil, nil, nil, nil
	// The server prerenders without a session: it would only show an error.
	if !app.IsClient {
		return
	}
	p.loadProjects(ctx)
	p.load(ctx)
}

// loadProjects fetches the project of the page, or every project for the
// picker of the create dialog.
func (p *UploadLinksPage) loadProjects(ctx app.Context) {
	projectID := p.projectID
	ctx.Async(func() {
		var pr model.Project
		var prs []model.Project
		var err error
		if projectID != "" {
			pr, err = api.Project(projectID)
		} else {
			prs, err = api.Projects(allPages())
		}
		ctx.Dispatch(func(ctx app.Context) {
			if projectID != p.projectID {
				return
			}
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			p.project, p.projects = pr, prs
		})
	})
}

func (p *UploadLinksPage) load(ctx app.Context) {
	p.loadSeq++
	seq := p.loadSeq
	q := url.Values{"status": {p.status}}
	if p.projectID != "" {
		q.Set("project_id", p.projectID)
	}
	if s := strings.TrimSpace(p.q); s != "" {
		q.Set("q", s)
	}
	filter := url.Values{}
	for k, v := range q {
		filter[k] = v
	}
	q.Set("page_size", "1000")
	ctx.Async(func() {
		var st model.UploadLinkStats
		links, err := api.UploadLinks(q)
		if err == nil {
			st, err = api.UploadLinkStats(filter)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if seq != p.loadSeq {
				return
			}
			p.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			p.links, p.stats, p.err = links, st, ""
			p.pollWhilePending(ctx)
		})
	})
}

// pollWhilePending reloads while invitations are on their way, so Pending
// turns into Active without a manual refresh.
func (p *UploadLinksPage) pollWhilePending(ctx app.Context) {
	pending := false
	for _, l := range p.links {
		pending = pending || l.Status == "pending"
	}
	if !pending || p.polling {
		return
	}
	p.polling = true
	ctx.After(5*time.Second, func(ctx app.Context) {
		p.polling = false
		p.load(ctx)
	})
}

func (p *UploadLinksPage) setStatus(ctx app.Context, status string) {
	p.status, p.menuFor = status, ""
	reload(ctx)
}

func (p *UploadLinksPage) search(ctx app.Context, e app.Event) {
	p.q = ctx.JSSrc().Get("value").String()
	p.typeSeq++
	n := p.typeSeq
	ctx.After(300*time.Millisecond, func(ctx app.Context) {
		if n == p.typeSeq {
			reload(ctx)
		}
	})
}

func (p *UploadLinksPage) openCreate(ctx app.Context, e app.Event) {
	f := &uploadLinkForm{projectID: p.projectID, expires: "30"}
	if f.projectID == "" && len(p.projects) == 1 {
		f.projectID = p.projects[0].ID
	}
	p.form, p.created, p.folders, p.menuFor = f, nil, nil, ""
	p.loadFolders(ctx, f.projectID)
}

func (p *UploadLinksPage) pickProject(ctx app.Context, e app.Event) {
	p.form.projectID, p.form.folderID, p.folders = ctx.JSSrc().Get("value").String(), "", nil
	p.loadFolders(ctx, p.form.projectID)
}

// loadFolders fills the target folder select of the create dialog.
func (p *UploadLinksPage) loadFolders(ctx app.Context, projectID string) {
	if projectID == "" {
		return
	}
	ctx.Async(func() {
		fs, err := api.Folders(projectID)
		ctx.Dispatch(func(ctx app.Context) {
			if p.form == nil || p.form.projectID != projectID {
				return
			}
			if err != nil {
				p.form.err = err.Error()
				return
			}
			p.folders = fs
		})
	})
}

// optionalLimit reads an optional whole number of the advanced options: blank is
// unlimited (nil).
func optionalLimit(s, what string) (*int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return nil, what + " must be a whole number above 0, or blank for no limit."
	}
	return &n, ""
}

func (p *UploadLinksPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f := p.form
	if f.projectID == "" {
		f.err = "Pick the project the files go into."
		return
	}
	in := model.NewUploadLink{
		ProjectID:      f.projectID,
		FolderID:       f.folderID,
		Name:           strings.TrimSpace(f.name),
		RecipientEmail: strings.TrimSpace(f.email),
		RecipientName:  strings.TrimSpace(f.recipient),
		Message:        strings.TrimSpace(f.message),
	}
	switch f.expires {
	case "never": // no expires_in_days: the link never expires
	case "custom":
		day, err := time.ParseInLocation("2006-01-02", f.expiresOn, time.Local)
		if err != nil {
			f.err = "Pick the day the link expires."
			return
		}
		// The link works through the whole chosen day.
		in.ExpiresAt = ptr(day.AddDate(0, 0, 1).Add(-time.Second))
	default:
		n, _ := strconv.Atoi(f.expires)
		in.ExpiresInDays = &n
	}
	for _, l := range []struct {
		set         func(n int)
		value, what string
	}{
		{func(n int) { in.MaxFiles = &n }, f.maxFiles, "Max files"},
		{func(n int) { in.MaxFileMB = ptr(int64(n)) }, f.maxFileMB, "Max per file"},
		{func(n int) { in.MaxTotalMB = ptr(int64(n)) }, f.maxTotalMB, "Max in total"},
	} {
		v, msg := optionalLimit(l.value, l.what)
		if msg != "" {
			f.err, f.advanced = msg, true
			return
		}
		if v != nil {
			l.set(*v)
		}
	}
	f.busy, f.err = true, ""
	ctx.Async(func() {
		out, err := api.CreateUploadLink(in)
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				f.err = err.Error()
				return
			}
			p.created = &out
			// The form goes away now, and ctx with it: the page reloads
			// through the action.
			reload(ctx)
		})
	})
}

func (p *UploadLinksPage) closeCreate(ctx app.Context, e app.Event) {
	if p.form != nil && p.form.busy {
		return
	}
	p.form, p.created = nil, nil
}

func (p *UploadLinksPage) copyURL(ctx app.Context, l model.UploadLink) {
	p.menuFor = ""
	copyText(l.URL)
	toast(ctx, "Link copied")
}

func (p *UploadLinksPage) ask(action string, l model.UploadLink) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.menuFor, p.confirm = "", &uploadLinkConfirm{action: action, link: l}
	}
}

// confirmed carries out the confirmed action. The dialog stays open until
// the answer arrives, so ctx is still mounted when it does.
func (p *UploadLinksPage) confirmed(ctx app.Context, e app.Event) {
	c := p.confirm
	c.busy, c.err = true, ""
	ctx.Async(func() {
		var out model.UploadLink
		var err error
		if c.action == "resend" {
			out, err = api.ResendUploadLink(c.link.ID)
		} else {
			err = api.DeleteUploadLink(c.link.ID)
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			if err != nil {
				c.err = err.Error()
				return
			}
			p.confirm = nil
			if c.action == "resend" {
				p.resent = &out
				toast(ctx, "Invitation emails resent")
			} else {
				toast(ctx, "Link revoked")
			}
			reload(ctx)
		})
	})
}

func (p *UploadLinksPage) Render() app.UI {
	subtitle := "Passcode-protected links that let photographers, agencies and collaborators send files into your projects, no account needed."
	var crumbs app.UI
	if p.projectID != "" {
		subtitle = "Passcode-protected links that let photographers, agencies and collaborators send files into this project, no account needed."
		var root []model.Asset
		if p.project.ID != "" {
			root = []model.Asset{{ID: p.project.RootAssetID, Name: p.project.Name}}
		}
		crumbs = breadcrumbs(p.project, root)
	}
	return frame("upload", pageState(p.loaded, p.err), []app.UI{
		crumbs,
		pageHeader("Upload Links", subtitle,
			app.Button().Type("button").Class("btn btn-primary").ID("create-upload-link").OnClick(p.openCreate).Body(
				icon("plus"), app.Span().Text("Create Upload Link"))),
		errorBox(p.err),
		app.Div().Class("stats ul-stats").Body(
			uploadLinkStat("total", "Total Links", strconv.Itoa(p.stats.TotalLinks), false),
			uploadLinkStat("files", "Files Received", strconv.Itoa(p.stats.FilesReceived), false),
			uploadLinkStat("bytes", "Total Uploaded", humanBytes(p.stats.BytesReceived), false),
			uploadLinkStat("expiring", "Expiring Soon", strconv.Itoa(p.stats.ExpiringSoon), p.stats.ExpiringSoon > 0),
		),
		app.Div().Class("ul-toolbar").Body(
			app.Div().Class("tabs ul-tabs").Attr("role", "tablist").Body(app.Range(uploadLinkTabs).Slice(func(i int) app.UI {
				t := uploadLinkTabs[i]
				cls := "tab ul-tab"
				if p.status == t.key {
					cls += " on"
				}
				return app.Button().Type("button").Class(cls).DataSet("status", t.key).Attr("role", "tab").
					Attr("aria-selected", strconv.FormatBool(p.status == t.key)).Text(t.label).
					OnClick(func(ctx app.Context, e app.Event) { p.setStatus(ctx, t.key) }, app.EventScope(t.key))
			})),
			app.Label().Class("ul-search").Body(
				uploadLinkIcon("search"),
				app.Span().Class("sr-only").Text("Search upload links"),
				app.Input().Type("search").ID("ul-search").Placeholder("Search name or recipient email").
					Value(p.q).OnInput(p.search),
			),
		),
		p.renderLinks(),
		p.renderCreate(),
		p.renderConfirm(),
		app.If(p.resent != nil, func() app.UI {
			l := p.resent
			closeFn := func(ctx app.Context, e app.Event) { p.resent = nil }
			return dialog("New passcode for \""+l.Name+"\"", closeFn, []app.UI{
				app.P().Class("muted").Text("Both emails are on their way again to " + l.RecipientEmail + ": the upload link, and this passcode separately."),
				passcodeBox(l.Passcode),
			}, button("Close", "primary", closeFn).ID("ul-resent-close"))
		}),
	})
}

// uploadLinkStat is a stat card tests and scripts can find by its key.
func uploadLinkStat(key, label, value string, highlight bool) app.UI {
	return app.Div().Class("stat-card").DataSet("stat", key).Body(statCard(label, value, highlight))
}

func (p *UploadLinksPage) renderLinks() app.UI {
	switch {
	case !p.loaded:
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	case len(p.links) == 0 && p.err != "":
		return nil
	case len(p.links) == 0 && p.status == "all" && strings.TrimSpace(p.q) == "":
		return app.Div().Class("card").ID("ul-empty").Body(emptyState("upload", "No upload links yet",
			"Send a photographer, agency or collaborator a link, and their files land straight in your project. "+
				"They get the link and a 6-digit passcode in two separate emails; no account needed.",
			button("Create Upload Link", "primary", p.openCreate)))
	case len(p.links) == 0:
		title, text := "No matching links", "No upload link matches \""+strings.TrimSpace(p.q)+"\" by name or recipient email."
		if strings.TrimSpace(p.q) == "" {
			title, text = "No "+p.status+" links", uploadLinkEmptyText[p.status]
		}
		return app.Div().Class("card").ID("ul-empty").Body(emptyState("upload", title, text, nil))
	}
	return app.Div().Class("ul-grid").ID("ul-list").Body(app.Range(p.links).Slice(func(i int) app.UI {
		return p.renderCard(p.links[i])
	}))
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
		return badge("Active", "blue")
	case "pending":
		return app.Span().Class("badge badge-amber").Title("Waiting for the invitation emails to go out").Text("Pending")
	case "expired":
		return badge("Expired", "grey")
	case "revoked":
		return badge("Revoked", "red")
	}
	return badge(status, "grey")
}

func (p *UploadLinksPage) renderCard(l model.UploadLink) app.UI {
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
						OnClick(func(ctx app.Context, e app.Event) { p.copyURL(ctx, l) }, ulScope(l)).Body(uploadLinkIcon("copy")),
					app.A().Class("icon-btn ul-open").Href(l.URL).Target("_blank").Rel("noopener").Title("Open in new tab").
						Attr("aria-label", "Open "+l.Name+" in a new tab").Body(uploadLinkIcon("external")),
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
						}, app.EventScope(l.ID, l.Status, l.UpdatedAt.UnixNano(), menuOpen)).Body(uploadLinkIcon("more")),
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
		app.If(p.projectID == "", func() app.UI {
			return app.A().Class("ul-project").Href("/projects/"+l.ProjectID+"/upload-links").Title("Upload links of "+l.ProjectName).
				Body(icon("folder"), app.Span().Text(l.ProjectName))
		}),
		app.Div().Class("ul-recipient").Body(
			app.Span().Class("avatar sm").Text(initials(who)),
			app.Div().Class("ul-who").Body(
				app.Div().Class("ul-recipient-name").Text(who),
				app.If(l.RecipientName != "", func() app.UI {
					return app.Div().Class("muted small ul-email").Title(l.RecipientEmail).Text(l.RecipientEmail)
				}),
			),
		),
		app.Div().Class("ul-figures").Body(
			app.Div().Body(
				app.Div().Class("ul-figure ul-files").Text(strconv.Itoa(l.FilesReceived)),
				app.Div().Class("muted small").Text(map[bool]string{true: "file received", false: "files received"}[l.FilesReceived == 1]),
			),
			app.Div().Body(
				app.Div().Class("ul-figure ul-bytes").Text(humanBytes(l.BytesReceived)),
				app.Div().Class("muted small").Text("uploaded"),
			),
		),
		app.If(limits != "", func() app.UI { return app.Div().Class("muted small ul-limits").Text(limits) }),
		app.Div().Class("ul-foot").Body(
			app.Span().Class("ul-expiry").Title(uploadLinkExpiryDate(l)).Body(uploadLinkIcon("clock"), app.Span().Text(uploadLinkExpiry(l, time.Now()))),
			app.If(l.FolderName != "", func() app.UI {
				return app.Span().Class("ul-folder").Title("Uploads go into the folder "+l.FolderName).Body(icon("download"), app.Span().Text(l.FolderName))
			}),
		),
	)
}

func (p *UploadLinksPage) renderMenu(l model.UploadLink) app.UI {
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
				Body(uploadLinkIcon("copy"), app.Span().Text("Copy upload URL")),
			app.A().Class("menu-item ul-menu-open").Attr("role", "menuitem").Href(l.URL).Target("_blank").Rel("noopener").
				OnClick(func(ctx app.Context, e app.Event) { p.menuFor = "" }).
				Body(uploadLinkIcon("external"), app.Span().Text("Open in new tab")),
			app.If(canResend, func() app.UI {
				return app.Button().Type("button").Class("menu-item ul-menu-resend").Attr("role", "menuitem").
					OnClick(p.ask("resend", l), ulScope(l)).Body(mailIcon(), app.Span().Text("Resend emails"))
			}),
			app.If(canRevoke, func() app.UI {
				return app.Button().Type("button").Class("menu-item danger ul-menu-revoke").Attr("role", "menuitem").
					OnClick(p.ask("revoke", l), ulScope(l)).Body(uploadLinkIcon("ban"), app.Span().Text("Revoke"))
			}),
		),
	)
}

func (p *UploadLinksPage) renderCreate() app.UI {
	if p.form == nil {
		return nil
	}
	if l := p.created; l != nil {
		return dialog("Upload link created", p.closeCreate, []app.UI{
			app.Div().Class("alert alert-success").Text("Invitations are on their way to " + l.RecipientEmail + ": one email with the link, another with the passcode."),
			passcodeBox(l.Passcode),
			app.Div().Class("field-label ul-url-label").Text("Upload URL"),
			app.Div().Class("copy-row").Body(
				app.Code().ID("ul-url").Text(l.URL),
				button("Copy", "secondary", func(ctx app.Context, e app.Event) { copyText(l.URL); toast(ctx, "Link copied") }).ID("ul-url-copy"),
			),
		}, button("Close", "primary", p.closeCreate).ID("ul-done"))
	}
	f := p.form
	var body []app.UI
	if p.projectID == "" && p.projects != nil && len(p.projects) == 0 {
		body = []app.UI{emptyState("folder", "No projects yet", "Upload links deliver files into a project. Create a project first.",
			app.A().Class("btn btn-primary").Href("/projects").Text("Go to Projects"))}
		return dialog("Create Upload Link", p.closeCreate, body)
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
			errorBox(f.err),
			app.If(p.projectID == "", func() app.UI {
				return field("Project", app.Select().ID("ul-project").Required(true).OnChange(p.pickProject).Body(
					app.Option().Value("").Selected(f.projectID == "").Text("Choose a project…"),
					app.Range(p.projects).Slice(func(i int) app.UI {
						pr := p.projects[i]
						return app.Option().Value(pr.ID).Selected(pr.ID == f.projectID).Text(pr.Name)
					}),
				), "")
			}),
			field("Link name", app.Input().ID("ul-name").AutoFocus(true).MaxLength(200).
				Placeholder("e.g. Harbour shoot – Mia Chen").Value(f.name).OnInput(p.ValueTo(&f.name)),
				"Name the shoot or the recipient, to tell links apart later. Left blank: “Upload from "+f.who()+"”."),
			app.Div().Class("ul-row").Body(
				field("Recipient email", app.Input().ID("ul-email").Type("email").Required(true).Attr("autocomplete", "off").
					Placeholder("mia@agency.com").Value(f.email).OnInput(p.ValueTo(&f.email)), ""),
				field("Recipient name", app.Input().ID("ul-recipient").Attr("autocomplete", "off").
					Placeholder("Mia Chen").Value(f.recipient).OnInput(p.ValueTo(&f.recipient)), ""),
			),
			app.Div().Class("ul-row").Body(
				field("Link Expires", app.Select().ID("ul-expires").OnChange(p.ValueTo(&f.expires)).Body(
					app.Range(uploadLinkExpiries).Slice(func(i int) app.UI {
						o := uploadLinkExpiries[i]
						return app.Option().Value(o.value).Selected(f.expires == o.value).Text(o.label)
					}),
				), ""),
				app.If(f.expires == "custom", func() app.UI {
					return field("Expires on", app.Input().ID("ul-expires-date").Type("date").Required(true).Min(tomorrow).
						Value(f.expiresOn).OnInput(p.ValueTo(&f.expiresOn)), "The link works until the end of that day.")
				}),
			),
			field("Message (optional)", app.Textarea().ID("ul-message").Rows(3).MaxLength(2000).
				Placeholder("The shoot, what you need, how to name files…").Text(f.message).OnInput(p.ValueTo(&f.message)),
				"Appears in the invitation email."),
			app.Button().Type("button").Class("ul-adv-toggle").ID("ul-advanced").Attr("aria-expanded", strconv.FormatBool(f.advanced)).
				OnClick(func(ctx app.Context, e app.Event) { f.advanced = !f.advanced }).Body(
				uploadLinkIcon(map[bool]string{true: "chevron-down", false: "chevron-right"}[f.advanced]),
				app.Span().Text(map[bool]string{true: "Hide advanced options", false: "Show advanced options"}[f.advanced]),
			),
			app.If(f.advanced, func() app.UI {
				return app.Div().Class("ul-advanced").Body(
					app.P().Class("muted small ul-adv-note").Text("Leave blank for no limit. A total cap keeps storage use predictable when several people upload."),
					app.Div().Class("ul-row ul-row-3").Body(
						field("Max files", p.limitInput("ul-max-files", &f.maxFiles), ""),
						field("Max per file (MB)", p.limitInput("ul-max-file-mb", &f.maxFileMB), ""),
						field("Max in total (MB)", p.limitInput("ul-max-total-mb", &f.maxTotalMB), ""),
					),
					field("Save uploads into", app.Select().ID("ul-folder").OnChange(p.ValueTo(&f.folderID)).Body(
						app.Option().Value("").Selected(f.folderID == "").Text("New folder named after the link"),
						app.Range(p.folders).Slice(func(i int) app.UI {
							fp := p.folders[i]
							return app.Option().Value(fp.ID).Selected(fp.ID == f.folderID).Text(projectName + fp.Path)
						}),
					), ""),
				)
			}),
			app.Div().Class("form-actions").Body(
				button("Cancel", "ghost", p.closeCreate),
				app.Button().Type("submit").ID("ul-submit").Class("btn btn-primary").Disabled(f.busy).
					Text(map[bool]string{true: "Creating…", false: "Create & Send Invitation"}[f.busy]),
			),
		),
	}
	return dialog("Create Upload Link", p.closeCreate, body)
}

// limitInput is a number field of the advanced options; blank is no limit.
func (p *UploadLinksPage) limitInput(id string, v *string) app.UI {
	return app.Input().ID(id).Type("number").Min(1).Step(1).Attr("inputmode", "numeric").Placeholder("Unlimited").
		Value(*v).OnInput(p.ValueTo(v))
}

func (p *UploadLinksPage) renderConfirm() app.UI {
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
		return dialog("Resend invitation emails?", cancel, []app.UI{
			errorBox(c.err),
			app.P().Text("Ferry sends both emails again to " + who + ": the upload link, and a new 6-digit passcode in a separate email."),
			app.P().Class("muted small ul-confirm-note").Text(resendNote(l)),
		},
			button("Cancel", "ghost", cancel),
			button(map[bool]string{true: "Sending…", false: "Resend emails"}[c.busy], "primary", p.confirmed).ID("ul-resend-confirm").Disabled(c.busy),
		)
	}
	project := l.ProjectName
	if project == "" {
		project = "the project"
	}
	return dialog("Revoke \""+l.Name+"\"?", cancel, []app.UI{
		errorBox(c.err),
		app.P().Text("Revoking is permanent: " + who + " can no longer upload through this link, and it cannot be reactivated."),
		app.If(l.UploadsActive > 0, func() app.UI {
			return app.P().Class("ul-confirm-note").Text(plural(l.UploadsActive, "upload", "uploads") + " under way through it stop, and their partial files are removed.")
		}),
		app.P().Class("muted small ul-confirm-note").Text("Files already uploaded stay in " + project + ". To collect more files later, create a new link."),
	},
		button("Cancel", "ghost", cancel),
		button(map[bool]string{true: "Revoking…", false: "Revoke link"}[c.busy], "danger", p.confirmed).ID("ul-revoke-confirm").Disabled(c.busy),
	)
}

func resendNote(l model.UploadLink) string {
	s := "The new passcode replaces the old one; a recipient already signed in stays signed in."
	if l.Locked {
		s += " This also unlocks the link."
	}
	return s
}

// passcodeBox shows a passcode the one time the API hands it out.
func passcodeBox(code string) app.UI {
	return app.Div().Class("ul-passcode-box").Body(
		app.Div().Class("field-label").Text("Passcode"),
		app.Div().Class("ul-passcode-row").Body(
			app.Code().Class("ul-passcode").ID("ul-passcode").Text(code),
			button("Copy", "secondary", func(ctx app.Context, e app.Event) { copyText(code); toast(ctx, "Passcode copied") }).ID("ul-passcode-copy"),
		),
		app.P().Class("field-hint").Text("Shown once; it was also emailed separately to the recipient."),
	)
}

// uploadLinkExpiry says when a link stops, or stopped, taking uploads.
func uploadLinkExpiry(l model.UploadLink, now time.Time) string {
	switch {
	case l.Status == "revoked" && l.RevokedAt != nil:
		return "Revoked " + roughAgo(now.Sub(*l.RevokedAt))
	case l.ExpiresAt == nil:
		return "Never expires"
	case l.ExpiresAt.After(now):
		return "Expires in " + roughDuration(l.ExpiresAt.Sub(now))
	}
	return "Expired " + roughAgo(now.Sub(*l.ExpiresAt))
}

func roughAgo(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return roughDuration(d) + " ago"
}

func uploadLinkExpiryDate(l model.UploadLink) string {
	if l.ExpiresAt == nil {
		return "No expiry date; revoke the link when you no longer need it."
	}
	return l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")
}

// roughDuration is d in the largest whole unit that fits: minutes, hours, days.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return plural(max(1, int(d.Minutes())), "minute", "minutes")
	case d < 24*time.Hour:
		return plural(int(math.Round(d.Hours())), "hour", "hours")
	}
	return plural(int(math.Round(d.Hours()/24)), "day", "days")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// uploadLinkLimits sums up the file limits of a link, or "" when it has none.
func uploadLinkLimits(l model.UploadLink) string {
	var parts []string
	if l.MaxFiles != nil {
		parts = append(parts, "up to "+plural(*l.MaxFiles, "file", "files"))
	}
	if l.MaxFileMB != nil {
		parts = append(parts, megabytes(*l.MaxFileMB)+" per file")
	}
	if l.MaxTotalMB != nil {
		parts = append(parts, megabytes(*l.MaxTotalMB)+" in total")
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " · ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// megabytes is a limit in MB (MiB, as the server counts it) the way the app
// shows sizes, without a trailing ".0".
func megabytes(mb int64) string {
	return strings.Replace(humanBytes(mb<<20), ".0 ", " ", 1)
}

// uploadLinkIcons are icons only this page draws.
var uploadLinkIcons = map[string]string{
	"more":          `<circle cx="12" cy="5" r="1.3"/><circle cx="12" cy="12" r="1.3"/><circle cx="12" cy="19" r="1.3"/>`,
	"copy":          `<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"external":      `<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14L21 3"/>`,
	"clock":         `<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`,
	"ban":           `<circle cx="12" cy="12" r="10"/><path d="M4.9 4.9l14.2 14.2"/>`,
	"search":        `<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`,
	"chevron-right": `<path d="M9 18l6-6-6-6"/>`,
	"chevron-down":  `<path d="M6 9l6 6 6-6"/>`,
}

func uploadLinkIcon(name string) app.UI {
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + uploadLinkIcons[name] + `</svg>`)
}

// ulScope ties a card's handlers to the link it shows: go-app keeps an
// element's handler while its function is the same code, so a card that
// now shows another link would otherwise act on the one it showed before.
func ulScope(l model.UploadLink) app.EventOption {
	return app.EventScope(l.ID + "/" + l.Status + "/" + l.UpdatedAt.Format(time.RFC3339Nano))
}
