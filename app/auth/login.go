// Package auth is the sign-in and first-run setup pages, and the home
// route that sends a visitor to one of them or to the projects.
package auth

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// LoginPage lets a user sign in.
type LoginPage struct {
	app.Compo
	email, password string
	err             string
	busy            bool
	ready           bool
}

func (p *LoginPage) OnMount(ctx app.Context) {
	// Text that only the client sets proves the wasm took over from the prerender.
	p.ready = true
}

func (p *LoginPage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.busy, p.err = true, ""
	email, password := p.email, p.password
	ctx.Async(func() {
		_, err := fetch.API.Login(email, password)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.err = err.Error()
				return
			}
			ctx.Navigate("/projects")
		})
	})
}

func (p *LoginPage) Render() app.UI {
	label := "Log in"
	if p.busy {
		label = "Logging in…"
	}
	return authFrame("Welcome back", "Log in to share, review and receive files.",
		app.Form().ID("login-form").OnSubmit(p.submit).Body(
			ui.ErrorBox(p.err),
			ui.Field("Email", app.Input().ID("email").Type("email").Name("email").Attr("autocomplete", "username").Required(true).
				Value(p.email).OnInput(p.ValueTo(&p.email)), ""),
			ui.Field("Password", app.Input().ID("password").Type("password").Name("password").Attr("autocomplete", "current-password").Required(true).
				Value(p.password).OnInput(p.ValueTo(&p.password)), ""),
			app.Button().ID("login-submit").Type("submit").Class("btn btn-primary btn-block").Disabled(p.busy || !p.ready).Text(label),
		),
		ui.AppReady(p.ready),
	)
}

func authFrame(title, subtitle string, body ...app.UI) app.UI {
	return app.Div().Class("auth").Body(
		app.Main().Class("auth-card").Body(
			app.Div().Class("auth-brand").Body(ui.Logo(), app.Span().Text("Ferry")),
			app.H1().Text(title),
			app.P().Class("muted").Text(subtitle),
			app.Div().Body(body...),
		),
		app.Footer().Class("auth-foot muted").Text("Self-hosted asset sharing"),
	)
}

// SetupPage creates the first admin with the one-time link printed at start.
type SetupPage struct {
	app.Compo
	token, email, name, password string
	err                          string
	busy                         bool
}

func (p *SetupPage) OnNav(ctx app.Context) {
	p.token = ctx.Page().URL().Query().Get("token")
}

func (p *SetupPage) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.busy, p.err = true, ""
	in := model.SetupRequest{Token: p.token, Email: p.email, Name: p.name, Password: p.password}
	ctx.Async(func() {
		err := fetch.API.Setup(in)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.err = err.Error()
				return
			}
			ctx.Navigate("/projects")
		})
	})
}

func (p *SetupPage) Render() app.UI {
	return authFrame("Set up Ferry", "Create the first admin account. This link works once.",
		app.Form().ID("setup-form").OnSubmit(p.submit).Body(
			ui.ErrorBox(p.err),
			ui.Field("Your name", app.Input().ID("name").Required(true).Value(p.name).OnInput(p.ValueTo(&p.name)), ""),
			ui.Field("Email", app.Input().ID("email").Type("email").Required(true).Value(p.email).OnInput(p.ValueTo(&p.email)), ""),
			ui.Field("Password", app.Input().ID("password").Type("password").Attr("autocomplete", "new-password").Required(true).
				Value(p.password).OnInput(p.ValueTo(&p.password)), "At least 8 characters."),
			app.Button().ID("setup-submit").Type("submit").Class("btn btn-primary btn-block").Disabled(p.busy).Text("Create admin"),
		),
	)
}

// HomePage sends visitors to their projects or to the login page.
type HomePage struct{ app.Compo }

func (p *HomePage) OnMount(ctx app.Context) {
	ctx.Async(func() {
		_, err := fetch.API.Me()
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				ctx.Navigate("/login")
				return
			}
			ctx.Navigate("/projects")
		})
	})
}

func (p *HomePage) Render() app.UI {
	return app.Div().Class("auth").Body(ui.Spinner())
}
