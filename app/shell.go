package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"

	"github.com/ferryhq/ferry/model"
)

// frame is the app shell around a page: the sidebar (navigation and
// account menu), the page content, and the toaster. Content is passed as
// children of plain elements, not as a component field, so go-app diffs it
// like any other markup. state is the page's pageState, shown on <main> as
// data-state.
func frame(active, state string, content []app.UI) app.UI {
	return app.Div().Class("shell").Body(
		&sidebar{Active: active},
		app.Main().Class("content").DataSet("page", active).DataSet("state", state).Body(content...),
		&toaster{},
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

// toaster shows short confirmations sent with toast().
type toaster struct {
	app.Compo
	toast   string
	toastAt time.Time
}

const toastAction = "toast"

// pageState is what a page's root says in data-state: "loading" until its
// data has arrived, then "ready", or "error" when loading failed. The
// attribute changes in the same render as the content, so whoever sees
// "ready" (the browser tests) sees the data drawn.
func pageState(loaded bool, err string) string {
	switch {
	case !loaded:
		return "loading"
	case err != "":
		return "error"
	}
	return "ready"
}

// reloadAction asks the mounted page to load its data again. A handler
// whose element just went away (a dialog that closed) cannot update the
// page through its own context, so it sends this action instead.
const reloadAction = "ferry:reload"

func reload(ctx app.Context) { ctx.NewAction(reloadAction) }

// toast shows a short confirmation in the corner.
func toast(ctx app.Context, msg string) { ctx.NewActionWithValue(toastAction, msg) }

func (t *toaster) OnMount(ctx app.Context) {
	ctx.Handle(toastAction, func(ctx app.Context, a app.Action) {
		msg, _ := a.Value.(string)
		t.toast, t.toastAt = msg, time.Now()
		at := t.toastAt
		ctx.After(2500*time.Millisecond, func(ctx app.Context) {
			if t.toastAt == at {
				t.toast = ""
			}
		})
	})
}

func (t *toaster) Render() app.UI {
	if t.toast == "" {
		return app.Span().Class("toast-slot")
	}
	return app.Div().Class("toast").Attr("role", "status").Text(t.toast)
}

func (s *sidebar) OnMount(ctx app.Context) {
	var cached model.Me
	ctx.GetState("me", &cached)
	if cached.ID != "" {
		s.me = &cached
	}
	ctx.Async(func() {
		me, err := api.Me()
		ctx.Dispatch(func(ctx app.Context) {
			s.meLoaded = true
			if err != nil {
				if isUnauthorized(err) {
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
		api.Logout()
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
		app.Nav().Class("nav").Attr("aria-label", "Main").DataSet("state", pageState(s.meLoaded, s.meErr)).DataSet("role", s.role()).Body(
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

// uploadListener calls a page's load when uploader.js reports a finished
// upload (the window event ferry:upload-complete).
type uploadListener struct{ fn app.Func }

func (l *uploadListener) listen(ctx app.Context, load func(app.Context)) {
	if !app.IsClient {
		return
	}
	l.fn = app.FuncOf(func(this app.Value, args []app.Value) any {
		ctx.Dispatch(func(ctx app.Context) { load(ctx) })
		return nil
	})
	app.Window().Call("addEventListener", "ferry:upload-complete", l.fn)
}

func (l *uploadListener) stop() {
	if l.fn != nil {
		app.Window().Call("removeEventListener", "ferry:upload-complete", l.fn)
		l.fn.Release()
		l.fn = nil
	}
}
