package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// User is a row of the Users page.
type User struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
}

// UsersPage lets admins add users, reset passwords, change roles and disable accounts.
type UsersPage struct {
	app.Compo
	users []User
	err   string

	adding                     bool
	newName, newEmail, newPass string
	newRole                    string
	formErr                    string

	resetFor *User
	resetPW  string
}

func (p *UsersPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
	p.load(ctx)
}

func (p *UsersPage) load(ctx app.Context) {
	ctx.Async(func() {
		var us []User
		err := call("GET", "/api/v2/users?page_size=1000", nil, &us)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			p.users, p.err = us, ""
		})
	})
}

func (p *UsersPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	in := map[string]string{"name": p.newName, "email": p.newEmail, "password": p.newPass, "role": p.newRole}
	ctx.Async(func() {
		err := call("POST", "/api/v2/users", in, nil)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.adding, p.newName, p.newEmail, p.newPass, p.formErr = false, "", "", "", ""
			toast(ctx, "User added")
			reload(ctx)
		})
	})
}

func (p *UsersPage) patch(ctx app.Context, id string, body map[string]any, done string) {
	ctx.Async(func() {
		err := call("PUT", "/api/v2/users/"+id, body, nil)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			p.err = ""
			toast(ctx, done)
			reload(ctx)
		})
	})
}

func (p *UsersPage) Render() app.UI {
	return frame("users", []app.UI{
		pageHeader("Users", "People who can log in to this Ferry.",
			button("Add user", "primary", func(ctx app.Context, e app.Event) {
				p.adding, p.newRole = true, "member"
			}).ID("add-user")),
		errorBox(p.err),
		app.Div().Class("card table-card").Body(
			app.Table().Class("table").Body(
				app.THead().Body(app.Tr().Body(
					app.Th().Text("Name"), app.Th().Text("Email"), app.Th().Text("Role"), app.Th().Text("Status"), app.Th().Text(""),
				)),
				app.TBody().Body(app.Range(p.users).Slice(func(i int) app.UI {
					u := p.users[i]
					status := badge("Active", "green")
					if u.Disabled {
						status = badge("Disabled", "grey")
					}
					other := "admin"
					if u.Role == "admin" {
						other = "member"
					}
					return app.Tr().Body(
						app.Td().Body(app.Span().Class("avatar sm").Text(initials(u.Name)), app.Text(u.Name)),
						app.Td().Class("muted").Text(u.Email),
						app.Td().Body(badge(u.Role, "blue")),
						app.Td().Body(status),
						app.Td().Class("row-actions").Body(
							button("Make "+other, "ghost", func(ctx app.Context, e app.Event) {
								p.patch(ctx, u.ID, map[string]any{"role": other}, u.Name+" is now "+other)
							}),
							button("Reset password", "ghost", func(ctx app.Context, e app.Event) {
								uu := u
								p.resetFor, p.resetPW = &uu, ""
							}),
							app.If(!u.Disabled, func() app.UI {
								return button("Disable", "danger-ghost", func(ctx app.Context, e app.Event) {
									if app.Window().Call("confirm", "Disable "+u.Name+"? They are logged out at once and cannot log in until enabled again.").Bool() {
										p.patch(ctx, u.ID, map[string]any{"disabled": true}, u.Name+" disabled")
									}
								})
							}).Else(func() app.UI {
								return button("Enable", "ghost", func(ctx app.Context, e app.Event) {
									p.patch(ctx, u.ID, map[string]any{"disabled": false}, u.Name+" enabled")
								})
							}),
						),
					)
				})),
			),
		),
		app.If(p.adding, func() app.UI {
			return dialog("Add user", func(ctx app.Context, e app.Event) { p.adding = false }, []app.UI{
				app.Form().ID("add-user-form").OnSubmit(p.create).Body(
					errorBox(p.formErr),
					field("Name", app.Input().ID("new-name").Required(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					field("Email", app.Input().ID("new-email").Type("email").Required(true).Value(p.newEmail).OnInput(p.ValueTo(&p.newEmail)), ""),
					field("Password", app.Input().ID("new-password").Type("password").Attr("autocomplete", "new-password").Required(true).Value(p.newPass).OnInput(p.ValueTo(&p.newPass)), "At least 8 characters; share it with them privately."),
					field("Role", app.Select().ID("new-role").OnChange(p.ValueTo(&p.newRole)).Body(
						app.Option().Value("member").Selected(p.newRole == "member").Text("Member: sees their projects"),
						app.Option().Value("admin").Selected(p.newRole == "admin").Text("Admin: sees and manages everything"),
					), ""),
					app.Div().Class("form-actions").Body(
						button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.adding = false }),
						app.Button().Type("submit").ID("add-user-submit").Class("btn btn-primary").Text("Add user"),
					),
				),
			})
		}),
		app.If(p.resetFor != nil, func() app.UI {
			u := p.resetFor
			return dialog("Reset password for "+u.Name, func(ctx app.Context, e app.Event) { p.resetFor = nil }, []app.UI{
				app.P().Class("muted").Text("Their current sessions end; they log in with the new password."),
				field("New password", app.Input().Type("password").Attr("autocomplete", "new-password").Value(p.resetPW).OnInput(p.ValueTo(&p.resetPW)), "At least 8 characters."),
			},
				button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.resetFor = nil }),
				button("Set password", "primary", func(ctx app.Context, e app.Event) {
					id, pw := u.ID, p.resetPW
					p.resetFor = nil
					p.patch(ctx, id, map[string]any{"password": pw}, "Password changed")
				}),
			)
		}),
	})
}
