// Package uploadlinks is the members' page of upload links: the list with
// its stats, creating a link, resending its mails, revoking it.
package uploadlinks

import (
	"net/url"
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

var uploadLinkTabs = []ui.Tab{
	{Key: "all", Label: "All"}, {Key: "active", Label: "Active"}, {Key: "pending", Label: "Pending"},
	{Key: "expired", Label: "Expired"}, {Key: "revoked", Label: "Revoked"},
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

// Page lists upload links with their figures, creates them, and
// copies, resends or revokes them. On /links/upload it shows every project
// the user can see; on /projects/{id}/upload-links one project.
type Page struct {
	app.Compo
	scope    linkui.Scope
	project  model.Project
	projects []model.Project

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

func (p *Page) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *Page) OnNav(ctx app.Context) {
	if p.scope.Nav(ctx.Page().URL().Path) {
		p.project, p.projects = model.Project{}, nil
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
func (p *Page) loadProjects(ctx app.Context) {
	projectID := p.scope.Project()
	ctx.Async(func() {
		var pr model.Project
		var prs []model.Project
		var err error
		if projectID != "" {
			pr, err = fetch.API.Project(projectID)
		} else {
			prs, err = fetch.API.Projects(fetch.AllPages())
		}
		ctx.Dispatch(func(ctx app.Context) {
			if projectID != p.scope.Project() {
				return
			}
			if err != nil {
				p.err = fetch.LoadError(ctx, err)
				return
			}
			p.project, p.projects = pr, prs
		})
	})
}

func (p *Page) load(ctx app.Context) {
	p.loadSeq++
	seq := p.loadSeq
	q := url.Values{"status": {p.status}}
	if p.scope.Project() != "" {
		q.Set("project_id", p.scope.Project())
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
		links, err := fetch.API.UploadLinks(q)
		if err == nil {
			st, err = fetch.API.UploadLinkStats(filter)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if seq != p.loadSeq {
				return
			}
			linkui.Loaded(ctx, err, &p.loaded, &p.err, func() {
				p.links, p.stats = links, st
				p.pollWhilePending(ctx)
			})
		})
	})
}

// pollWhilePending reloads while invitations are on their way, so Pending
// turns into Active without a manual refresh.
func (p *Page) pollWhilePending(ctx app.Context) {
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

func (p *Page) setStatus(ctx app.Context, status string) {
	p.status, p.menuFor = status, ""
	shell.Reload(ctx)
}

func (p *Page) search(ctx app.Context, e app.Event) {
	p.q = ctx.JSSrc().Get("value").String()
	p.typeSeq++
	n := p.typeSeq
	ctx.After(300*time.Millisecond, func(ctx app.Context) {
		if n == p.typeSeq {
			shell.Reload(ctx)
		}
	})
}

func (p *Page) openCreate(ctx app.Context, e app.Event) {
	f := &uploadLinkForm{projectID: p.scope.Project(), expires: "30"}
	if f.projectID == "" && len(p.projects) == 1 {
		f.projectID = p.projects[0].ID
	}
	p.form, p.created, p.folders, p.menuFor = f, nil, nil, ""
	p.loadFolders(ctx, f.projectID)
}

func (p *Page) pickProject(ctx app.Context, e app.Event) {
	p.form.projectID, p.form.folderID, p.folders = ctx.JSSrc().Get("value").String(), "", nil
	p.loadFolders(ctx, p.form.projectID)
}

// loadFolders fills the target folder select of the create dialog.
func (p *Page) loadFolders(ctx app.Context, projectID string) {
	if projectID == "" {
		return
	}
	ctx.Async(func() {
		fs, err := fetch.API.Folders(projectID)
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

func (p *Page) create(ctx app.Context, e app.Event) {
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
		in.ExpiresAt = fetch.Ptr(day.AddDate(0, 0, 1).Add(-time.Second))
	default:
		n, _ := strconv.Atoi(f.expires)
		in.ExpiresInDays = &n
	}
	for _, l := range []struct {
		set         func(n int)
		value, what string
	}{
		{func(n int) { in.MaxFiles = &n }, f.maxFiles, "Max files"},
		{func(n int) { in.MaxFileMB = fetch.Ptr(int64(n)) }, f.maxFileMB, "Max per file"},
		{func(n int) { in.MaxTotalMB = fetch.Ptr(int64(n)) }, f.maxTotalMB, "Max in total"},
	} {
		v, msg := linkui.OptionalLimit(l.value, l.what)
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
		out, err := fetch.API.CreateUploadLink(in)
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				f.err = err.Error()
				return
			}
			p.created = &out
			// The form goes away now, and ctx with it: the page reloads
			// through the action.
			shell.Reload(ctx)
		})
	})
}

func (p *Page) closeCreate(ctx app.Context, e app.Event) {
	if p.form != nil && p.form.busy {
		return
	}
	p.form, p.created = nil, nil
}

func (p *Page) copyURL(ctx app.Context, l model.UploadLink) {
	p.menuFor = ""
	ui.CopyText(l.URL)
	shell.Toast(ctx, "Link copied")
}

func (p *Page) ask(action string, l model.UploadLink) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.menuFor, p.confirm = "", &uploadLinkConfirm{action: action, link: l}
	}
}

// confirmed carries out the confirmed action. The dialog stays open until
// the answer arrives, so ctx is still mounted when it does.
func (p *Page) confirmed(ctx app.Context, e app.Event) {
	c := p.confirm
	var out model.UploadLink
	linkui.Send(ctx, &c.busy, &c.err, func() (err error) {
		if c.action == "resend" {
			out, err = fetch.API.ResendUploadLink(c.link.ID)
			return err
		}
		return fetch.API.DeleteUploadLink(c.link.ID)
	}, func(ctx app.Context) {
		p.confirm = nil
		if c.action == "resend" {
			p.resent = &out
			shell.Toast(ctx, "Invitation emails resent")
		} else {
			shell.Toast(ctx, "Link revoked")
		}
		shell.Reload(ctx)
	})
}
