package admin

import (
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// UsersPage lets admins add users, reset passwords, change roles and disable accounts.
type UsersPage struct {
	app.Compo
	list ui.List[model.User]

	adding                     bool
	newName, newEmail, newPass string
	newRole                    string
	formErr                    string

	resetFor *model.User
	resetPW  string

	privFor *model.User
}

func (p *UsersPage) OnMount(ctx app.Context) { p.list.Mount(ctx, shell.ReloadAction, p.load) }

func (p *UsersPage) load(ctx app.Context) {
	p.list.Load(ctx, func() ([]model.User, error) { return fetch.API.Users(fetch.AllPages()) }, nil)
}

func (p *UsersPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	in := model.NewUser{Name: p.newName, Email: p.newEmail, Password: p.newPass, Role: p.newRole}
	ui.Run(ctx, &p.formErr, nil, func() error {
		_, err := fetch.API.CreateUser(in)
		return err
	}, func(ctx app.Context) {
		p.adding, p.newName, p.newEmail, p.newPass = false, "", "", ""
		shell.Toast(ctx, "User added")
		shell.Reload(ctx)
	})
}

func (p *UsersPage) patch(ctx app.Context, id string, body model.UserPatch, done string) {
	p.list.Change(ctx, func() error {
		_, err := fetch.API.UpdateUser(id, body)
		return err
	}, func(ctx app.Context) {
		shell.Toast(ctx, done)
		shell.Reload(ctx)
	})
}

// userText is what the search of users looks in.
func userText(u model.User) string { return u.Name + " " + u.Email + " " + u.Role }

func (p *UsersPage) Render() app.UI {
	return shell.Frame("users", p.list.State(), append([]app.UI{
		ui.PageHeader("Users", "People who can log in to this Ferry.",
			ui.Button("Add user", "primary", func(ctx app.Context, e app.Event) {
				p.adding, p.newRole = true, "member"
			}).ID("add-user")),
		ui.ErrorBox(p.list.Err),
		p.list.SearchBox("users-search", "Search users", "Search name, email or role"),
		p.list.Body(userText, app.Div().Class("card").Body(ui.EmptyState("users", "No users yet", "Add the people who should log in to this Ferry.", nil)), p.renderTable),
	}, p.renderDialogs()...))
}

func (p *UsersPage) renderTable(users []model.User) app.UI {
	return app.Div().Class("card table-card").Body(
		app.Table().Class("table").ID("users-table").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text("Name"), app.Th().Text("Email"), app.Th().Text("Role"), app.Th().Text("Status"), ui.SrTh("Actions"),
			)),
			app.TBody().Body(app.Range(users).Slice(func(i int) app.UI {
				u := users[i]
				status := ui.Badge("Active", "green")
				if u.Disabled {
					status = ui.Badge("Disabled", "grey")
				}
				other := "admin"
				if u.Role == "admin" {
					other = "member"
				}
				return app.Tr().Body(
					app.Td().Class("nowrap").Body(app.Span().Class("avatar sm").Text(ui.Initials(u.Name)), app.Text(u.Name)),
					app.Td().Class("muted").DataSet("email", u.Email).Text(u.Email),
					app.Td().Body(ui.Badge(u.Role, "blue")),
					app.Td().Body(status),
					app.Td().Class("row-actions").Body(
						ui.Button("Make "+other, "ghost", func(ctx app.Context, e app.Event) {
							p.patch(ctx, u.ID, model.UserPatch{Role: &other}, u.Name+" is now "+other)
						}),
						ui.Button("Privileges", "ghost", func(ctx app.Context, e app.Event) {
							uu := u
							p.privFor = &uu
						}).Class("btn btn-ghost user-privileges").Attr("aria-label", "Privileges of "+u.Name),
						ui.Button("Reset password", "ghost", func(ctx app.Context, e app.Event) {
							uu := u
							p.resetFor, p.resetPW = &uu, ""
						}),
						app.If(!u.Disabled, func() app.UI {
							return ui.Button("Disable", "danger-ghost", func(ctx app.Context, e app.Event) {
								if app.Window().Call("confirm", "Disable "+u.Name+"? They are logged out at once and cannot log in until enabled again.").Bool() {
									p.patch(ctx, u.ID, model.UserPatch{Disabled: fetch.Ptr(true)}, u.Name+" disabled")
								}
							})
						}).Else(func() app.UI {
							return ui.Button("Enable", "ghost", func(ctx app.Context, e app.Event) {
								p.patch(ctx, u.ID, model.UserPatch{Disabled: fetch.Ptr(false)}, u.Name+" enabled")
							})
						}),
					),
				)
			})),
		),
	)
}

func (p *UsersPage) renderDialogs() []app.UI {
	return []app.UI{
		app.If(p.adding, func() app.UI {
			return ui.Dialog("Add user", func(ctx app.Context, e app.Event) { p.adding = false }, []app.UI{
				app.Form().ID("add-user-form").OnSubmit(p.create).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().ID("new-name").Required(true).Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					ui.Field("Email", app.Input().ID("new-email").Type("email").Required(true).Value(p.newEmail).OnInput(p.ValueTo(&p.newEmail)), ""),
					ui.Field("Password", app.Input().ID("new-password").Type("password").Attr("autocomplete", "new-password").Required(true).Value(p.newPass).OnInput(p.ValueTo(&p.newPass)), "At least 8 characters; share it with them privately."),
					ui.Field("Role", app.Select().ID("new-role").OnChange(p.ValueTo(&p.newRole)).Body(
						app.Option().Value("member").Selected(p.newRole == "member").Text("Member: sees their projects"),
						app.Option().Value("admin").Selected(p.newRole == "admin").Text("Admin: sees and manages everything"),
					), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.adding = false }),
						app.Button().Type("submit").ID("add-user-submit").Class("btn btn-primary").Text("Add user"),
					),
				),
			})
		}),
		app.If(p.privFor != nil, func() app.UI {
			u := *p.privFor
			return app.Div().Class("priv-dialog").Body(ui.Dialog("Privileges of "+u.Name, func(ctx app.Context, e app.Event) { p.privFor = nil },
				[]app.UI{&userPrivileges{User: u}},
				ui.Button("Done", "secondary", func(ctx app.Context, e app.Event) { p.privFor = nil }).ID("priv-done"),
			))
		}),
		app.If(p.resetFor != nil, func() app.UI {
			u := p.resetFor
			return ui.Dialog("Reset password for "+u.Name, func(ctx app.Context, e app.Event) { p.resetFor = nil }, []app.UI{
				app.P().Class("muted").Text("Their current sessions end; they log in with the new password."),
				ui.Field("New password", app.Input().Type("password").Attr("autocomplete", "new-password").Value(p.resetPW).OnInput(p.ValueTo(&p.resetPW)), "At least 8 characters."),
			},
				ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.resetFor = nil }),
				ui.Button("Set password", "primary", func(ctx app.Context, e app.Event) {
					id, pw := u.ID, p.resetPW
					p.resetFor = nil
					p.patch(ctx, id, model.UserPatch{Password: &pw}, "Password changed")
				}),
			)
		}),
	}
}

// userPrivileges is a user's folder rules: per folder (and the folders
// below it) what they may do with files and whether they may make share
// links. Each change is saved at once.
type userPrivileges struct {
	app.Compo
	User model.User

	list     ui.List[model.Privilege] // the rules
	projects []model.Project

	adding             bool
	addProject, addDir string
	addAccess          string
	addShare           bool
	folders            []model.FolderPath
	addErr             string
	busy               bool
}

func (p *userPrivileges) OnMount(ctx app.Context) { p.list.Mount(ctx, shell.ReloadAction, p.load) }

func (p *userPrivileges) load(ctx app.Context) {
	id := p.User.ID
	var projects []model.Project
	p.list.Load(ctx, func() ([]model.Privilege, error) {
		rules, err := fetch.API.Privileges(id)
		if err == nil {
			projects, err = fetch.API.Projects(fetch.AllPages())
		}
		return rules, err
	}, func() {
		sort.SliceStable(projects, func(i, j int) bool { return strings.ToLower(projects[i].Name) < strings.ToLower(projects[j].Name) })
		p.projects = projects
		rules := p.list.Items
		sort.SliceStable(rules, func(i, j int) bool {
			if rules[i].ProjectID != rules[j].ProjectID {
				return p.projectName(rules[i].ProjectID) < p.projectName(rules[j].ProjectID)
			}
			return rules[i].FolderPath < rules[j].FolderPath
		})
	})
}

func (p *userPrivileges) projectName(id string) string {
	for _, pr := range p.projects {
		if pr.ID == id {
			return pr.Name
		}
	}
	return ""
}

// put saves a rule, then loads the list again; busy, when not nil, says
// it is under way.
func (p *userPrivileges) put(ctx app.Context, folderID, access string, share bool, busy *bool, done func()) {
	id := p.User.ID
	ui.Run(ctx, &p.list.Err, busy, func() error {
		_, err := fetch.API.SetPrivilege(id, folderID, model.Privilege{Access: access, Share: share})
		return err
	}, func(ctx app.Context) {
		if done != nil {
			done()
		}
		shell.Toast(ctx, "Privileges saved")
		shell.Reload(ctx)
	})
}

func (p *userPrivileges) remove(ctx app.Context, r model.Privilege) {
	id := p.User.ID
	p.list.Change(ctx, func() error { return fetch.API.DeletePrivilege(id, r.FolderID) }, func(ctx app.Context) {
		shell.Toast(ctx, "Rule removed: "+r.FolderPath+" inherits again")
		shell.Reload(ctx)
	})
}

func (p *userPrivileges) pickProject(ctx app.Context, e app.Event) {
	pid := ctx.JSSrc().Get("value").String()
	p.addProject, p.addDir, p.folders = pid, "", nil
	if pid == "" {
		return
	}
	ctx.Async(func() {
		fs, err := fetch.API.Folders(pid)
		ctx.Dispatch(func(ctx app.Context) {
			if p.addProject != pid {
				return
			}
			if err != nil {
				p.addErr = err.Error()
				return
			}
			sort.SliceStable(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
			p.folders = fs
		})
	})
}

func (p *userPrivileges) add(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.addDir == "" {
		p.addErr = "Pick a project and a folder."
		return
	}
	p.addErr = ""
	p.put(ctx, p.addDir, p.addAccess, p.addShare, &p.busy, func() { p.adding = false })
}

func (p *userPrivileges) Render() app.UI {
	if p.User.Role == "admin" {
		return app.Div().Class("priv").Body(app.P().Class("alert alert-info").Text(
			"Admins have every privilege on every folder: rules apply to members. Make " + p.User.Name + " a member to limit what they may do."))
	}
	return app.Div().Class("priv").ID("privileges").Body(
		app.P().Class("muted small priv-intro").Text("Without a rule, members have full access to the folders of their projects, with share links on. A rule on a folder also applies to the folders inside it, unless they have a rule of their own."),
		ui.ErrorBox(p.list.Err),
		p.renderRules(),
		app.If(!p.adding, func() app.UI {
			return app.Button().Type("button").Class("btn btn-secondary").ID("priv-add").
				OnClick(func(ctx app.Context, e app.Event) {
					p.adding, p.addProject, p.addDir, p.addAccess, p.addShare, p.addErr, p.folders = true, "", "", "download", true, "", nil
				}).Body(ui.Icon("plus"), app.Span().Text("Add folder rule"))
		}).Else(func() app.UI { return p.renderAdd() }),
	)
}

func (p *userPrivileges) renderRules() app.UI {
	switch {
	case !p.list.Loaded:
		return ui.Loading()
	case len(p.list.Items) == 0:
		return app.P().Class("priv-none").ID("priv-none").Text(p.User.Name + " has no folder rules of their own: full access and share links everywhere they can see, unless a group they are in has rules there (Groups).")
	}
	return app.Div().Class("table-card priv-scroll").Body(app.Table().Class("table priv-table stack-phone").ID("priv-table").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("Folder"), app.Th().Text("Access"), app.Th().Text("Share links"), ui.SrTh("Actions"))),
		app.TBody().Body(app.Range(p.list.Items).Slice(func(i int) app.UI {
			r := p.list.Items[i]
			scope := app.EventScope(r.FolderID, r.Access, r.Share)
			return app.Tr().Class("priv-row").DataSet("folder", r.FolderID).Body(
				app.Td().DataSet("label", "Folder").Body(
					app.Div().Class("muted small").Text(ui.ValueOr(p.projectName(r.ProjectID), "Project")),
					app.Div().Class("priv-path").Text(ui.FolderLabel(r.FolderPath)),
				),
				app.Td().DataSet("label", "Access").Body(app.Select().Class("priv-access").Attr("aria-label", "Access to "+r.FolderPath).
					OnChange(func(ctx app.Context, e app.Event) {
						p.put(ctx, r.FolderID, ctx.JSSrc().Get("value").String(), r.Share, nil, nil)
					}, scope).Body(ui.AccessOptions(r.Access)...)),
				app.Td().DataSet("label", "Share links").Body(app.Label().Class("sl-switch priv-share").Body(
					app.Input().Type("checkbox").Attr("role", "switch").Checked(r.Share).Attr("aria-label", "Share links from "+r.FolderPath).
						OnChange(func(ctx app.Context, e app.Event) {
							p.put(ctx, r.FolderID, r.Access, ctx.JSSrc().Get("checked").Bool(), nil, nil)
						}, scope),
					app.Span().Class("sl-check-text").Body(app.Span().Class("sl-check-label").Text(map[bool]string{true: "On", false: "Off"}[r.Share])),
				)),
				app.Td().Class("row-actions").Body(
					app.Button().Type("button").Class("icon-btn priv-remove").Title("Remove rule: inherit again").
						Attr("aria-label", "Remove the rule on "+r.FolderPath).
						OnClick(func(ctx app.Context, e app.Event) { p.remove(ctx, r) }, scope).Body(ui.Icon("trash")),
				),
			)
		})),
	))
}

func (p *userPrivileges) renderAdd() app.UI {
	return app.Form().Class("priv-add-form").ID("priv-add-form").OnSubmit(p.add).Body(
		app.Div().Class("field-label").Text("Add folder rule"),
		ui.ErrorBox(p.addErr),
		app.Div().Class("priv-add-row").Body(
			ui.Field("Project", app.Select().ID("priv-project").OnChange(p.pickProject).Body(
				app.Option().Value("").Selected(p.addProject == "").Text("Pick a project"),
				app.Range(p.projects).Slice(func(i int) app.UI {
					pr := p.projects[i]
					return app.Option().Value(pr.ID).Selected(p.addProject == pr.ID).Text(pr.Name)
				}),
			), ""),
			ui.Field("Folder", app.Select().ID("priv-folder").Disabled(p.addProject == "").OnChange(p.ValueTo(&p.addDir)).Body(
				app.Option().Value("").Selected(p.addDir == "").Text(map[bool]string{true: "Pick a folder", false: "Pick a project first"}[p.addProject != ""]),
				app.Range(p.folders).Slice(func(i int) app.UI {
					f := p.folders[i]
					return app.Option().Value(f.ID).Selected(p.addDir == f.ID).Text(ui.FolderLabel(f.Path))
				}),
			), ""),
		),
		app.Div().Class("priv-add-row").Body(
			ui.Field("Access", app.Select().ID("priv-access").OnChange(p.ValueTo(&p.addAccess)).Body(ui.AccessOptions(p.addAccess)...),
				"Previews only < Download < Upload < Full (rename, move, delete)."),
			app.Div().Class("field").Body(
				app.Span().Class("field-label").Text("Share links"),
				ui.ReasonSwitch("priv-share", "May create share links here", p.addShare, "", func(on bool) { p.addShare = on }),
			),
		),
		app.Div().Class("form-actions").Body(
			ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.adding = false }),
			app.Button().Type("submit").ID("priv-add-submit").Class("btn btn-primary").Disabled(p.busy).Text("Add rule"),
		),
	)
}
