// Package shell is the frame around the signed-in pages: the sidebar with
// the navigation and the signed-in user, and the toasts.
package shell

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Frame is the app shell around a page: the sidebar (navigation and
// account menu), the page content, and the toaster. Content is passed as
// children of plain elements, not as a component field, so go-app diffs it
// like any other markup. state is the page's pageState, shown on <main> as
// data-state.
func Frame(active, state string, content []app.UI) app.UI {
	return app.Div().Class("shell").Body(
		&sidebar{Active: active},
		app.Main().Class("content").DataSet("page", active).DataSet("state", state).Body(content...),
		&Toaster{},
	)
}

// sidebar is the navigation and the account menu.
type sidebar struct {
	app.Compo
	Active string

	me       *model.Me
	menuOpen bool
	// meLoaded and meErr are the answer of this mount's /api/v2/me: until
	// then me may be the one remembered from an earlier page.
	meLoaded bool
	meErr    string
}

// Toaster shows the short confirmations sent with Toast.
type Toaster struct {
	app.Compo
	text    string
	toastAt time.Time
}

const toastAction = "toast"

// ReloadAction asks the mounted page to load its data again. A handler
// whose element just went away (a dialog that closed) cannot update the
// page through its own context, so it sends this action instead.
const ReloadAction = "ferry:reload"

// Reload sends ReloadAction.
func Reload(ctx app.Context) { ctx.NewAction(ReloadAction) }

// Toast shows a short confirmation in the corner.
func Toast(ctx app.Context, msg string) { ctx.NewActionWithValue(toastAction, msg) }

func (t *Toaster) OnMount(ctx app.Context) {
	ctx.Handle(toastAction, func(ctx app.Context, a app.Action) {
		msg, _ := a.Value.(string)
		t.text, t.toastAt = msg, time.Now()
		at := t.toastAt
		ctx.After(2500*time.Millisecond, func(ctx app.Context) {
			if t.toastAt == at {
				t.text = ""
			}
		})
	})
}

func (t *Toaster) Render() app.UI {
	if t.text == "" {
		return app.Span().Class("toast-slot")
	}
	return app.Div().Class("toast").Attr("role", "status").Text(t.text)
}

func (s *sidebar) OnMount(ctx app.Context) {
	var cached model.Me
	ctx.GetState("me", &cached)
	if cached.ID != "" {
		s.me = &cached
	}
	ctx.Async(func() {
		me, err := fetch.API.Me()
		ctx.Dispatch(func(ctx app.Context) {
			s.meLoaded = true
			if err != nil {
				if fetch.IsUnauthorized(err) {
					ctx.DelState("me")
					ctx.Navigate("/login")
				}
				s.meErr = err.Error()
				return
			}
			s.me, s.meErr = &me, ""
			ctx.SetState("me", me)
		})
	})
}

func (s *sidebar) logout(ctx app.Context, e app.Event) {
	ctx.Async(func() {
		fetch.API.Logout()
		ctx.Dispatch(func(ctx app.Context) {
			ctx.DelState("me")
			ctx.Navigate("/login")
		})
	})
}

func (s *sidebar) navItem(href, iconName, label, key string) app.UI {
	cls := "nav-item"
	if s.Active == key {
		cls += " active"
	}
	return app.A().Class(cls).Href(href).Body(ui.Icon(iconName), app.Span().Text(label))
}

func (s *sidebar) Render() app.UI {
	admin := s.me != nil && s.me.Role == "admin"
	site := "Ferry"
	if s.me != nil && s.me.SiteName != "" {
		site = s.me.SiteName
	}
	return app.Aside().Class("sidebar").Attr("aria-label", "Sidebar").Body(
		app.A().Class("brand").Href("/projects").Body(ui.Logo(), app.Span().Text(site)),
		// data-state is "ready" (and data-role set) once the signed-in
		// user is known, so the admin links are drawn or left out for good.
		app.Nav().Class("nav").Attr("aria-label", "Main").DataSet("state", ui.PageState(s.meLoaded, s.meErr)).DataSet("role", s.role()).Body(
			s.navItem("/projects", "folder", "Projects", "projects"),
			s.navItem("/sharing", "globe", "Sharing", "sharing"),
			app.Div().Class("nav-group").Text("Links"),
			s.navItem("/links/share", "share", "Share", "share"),
			s.navItem("/links/review", "review", "Review", "review"),
			s.navItem("/links/upload", "upload", "Upload", "upload"),
			app.If(admin, func() app.UI {
				return app.Div().Class("nav-admin").Body(
					app.Div().Class("nav-group").Text("Admin"),
					s.navItem("/users", "users", "Users", "users"),
					s.navItem("/settings/groups", "users", "Groups", "groups"),
					s.navItem("/settings", "settings", "Settings", "settings"),
				)
			}),
		),
		app.Div().Class("account").Body(
			app.Button().Type("button").Class("account-btn").ID("account-menu").
				OnClick(func(ctx app.Context, e app.Event) { s.menuOpen = !s.menuOpen }).Body(
				app.Span().Class("avatar").Text(ui.Initials(s.name())),
				app.Span().Class("account-name").Text(s.name()),
			),
			app.If(s.menuOpen, func() app.UI {
				return app.Div().Class("menu").Body(
					app.If(s.me != nil, func() app.UI { return app.Div().Class("menu-head muted").Text(s.me.Email) }),
					app.A().Class("menu-item").Href("/account/tokens").Body(ui.Icon("key"), app.Span().Text("API tokens")),
					app.A().Class("menu-item").Href("/settings/api").Body(ui.Icon("file"), app.Span().Text("API documentation")),
					app.Button().Type("button").Class("menu-item").ID("logout").OnClick(s.logout).Body(ui.Icon("logout"), app.Span().Text("Log out")),
				)
			}),
		),
	)
}

func (s *sidebar) role() string {
	if s.me == nil {
		return ""
	}
	return s.me.Role
}

func (s *sidebar) name() string {
	if s.me == nil {
		return "…"
	}
	return s.me.Name
}

// UploadListener calls a page's load when uploader.js reports a finished
// upload (the window event ferry:upload-complete).
type UploadListener struct{ fn app.Func }

// Listen calls load on each finished upload until Stop.
func (l *UploadListener) Listen(ctx app.Context, load func(app.Context)) {
	if !app.IsClient {
		return
	}
	l.fn = app.FuncOf(func(this app.Value, args []app.Value) any {
		ctx.Dispatch(func(ctx app.Context) { load(ctx) })
		return nil
	})
	app.Window().Call("addEventListener", "ferry:upload-complete", l.fn)
}

// Stop stops listening.
func (l *UploadListener) Stop() {
	if l.fn != nil {
		app.Window().Call("removeEventListener", "ferry:upload-complete", l.fn)
		l.fn.Release()
		l.fn = nil
	}
}

// Breadcrumbs links Projects, the project and the folders down to a page.
func Breadcrumbs(project model.Project, crumbs []model.Asset) app.UI {
	return app.Nav().Class("crumbs").Attr("aria-label", "Breadcrumbs").Body(
		app.A().Href("/projects").Text("Projects"),
		app.Range(crumbs).Slice(func(i int) app.UI {
			c := crumbs[i]
			name, href := c.Name, "/projects/"+project.ID+"/folders/"+c.ID
			if c.ParentID == "" {
				name, href = project.Name, "/projects/"+project.ID
			}
			return app.Span().Body(app.Span().Class("crumb-sep").Text("/"), app.A().Href(href).Text(name))
		}),
	)
}
