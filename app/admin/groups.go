package admin

import (
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// GroupsPage is Settings → Groups for admins: named sets of users that
// folder permissions can be given to (Files → a folder's Permissions).
type GroupsPage struct {
	app.Compo
	list  ui.List[model.Group]
	users []model.User

	// editing is the group in the dialog (ID "" for a new one).
	editing *model.Group
	name    string
	members map[string]bool
	formErr string
	busy    bool
}

func (p *GroupsPage) OnMount(ctx app.Context) { p.list.Mount(ctx, shell.ReloadAction, p.load) }

func (p *GroupsPage) load(ctx app.Context) {
	var us []model.User
	p.list.Load(ctx, func() ([]model.Group, error) {
		gs, err := fetch.API.Groups()
		if err == nil {
			us, err = fetch.API.Users(fetch.AllPages())
		}
		return gs, err
	}, func() { p.users = us })
}

func (p *GroupsPage) userName(id string) string {
	for _, u := range p.users {
		if u.ID == id {
			return u.Name
		}
	}
	return "(removed user)"
}

func (p *GroupsPage) open(g model.Group) {
	p.editing, p.name, p.formErr, p.members = &g, g.Name, "", map[string]bool{}
	for _, id := range g.UserIDs {
		p.members[id] = true
	}
}

func (p *GroupsPage) save(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, name := p.editing.ID, p.name
	ids := []string{}
	for _, u := range p.users {
		if p.members[u.ID] {
			ids = append(ids, u.ID)
		}
	}
	ui.Run(ctx, &p.formErr, &p.busy, func() error {
		var err error
		in := model.GroupPatch{Name: &name, UserIDs: &ids}
		if id == "" {
			_, err = fetch.API.CreateGroup(in)
		} else {
			_, err = fetch.API.UpdateGroup(id, in)
		}
		return err
	}, func(ctx app.Context) {
		p.editing = nil
		shell.Toast(ctx, "Group "+strings.TrimSpace(name)+" saved")
		shell.Reload(ctx)
	})
}

func (p *GroupsPage) remove(ctx app.Context, g model.Group) {
	msg := "Delete the group " + g.Name + "? Its " + ui.Plural(len(g.UserIDs), "member", "members") +
		" lose the folder permissions it gave them at once; their own stay."
	if !app.Window().Call("confirm", msg).Bool() {
		return
	}
	p.list.Change(ctx, func() error { return fetch.API.DeleteGroup(g.ID) }, func(ctx app.Context) {
		shell.Toast(ctx, "Group "+g.Name+" deleted")
		shell.Reload(ctx)
	})
}

// groupText is what the search of groups looks in: the name and the
// members' names.
func (p *GroupsPage) groupText(g model.Group) string {
	t := g.Name
	for _, id := range g.UserIDs {
		t += " " + p.userName(id)
	}
	return t
}

func (p *GroupsPage) Render() app.UI {
	return shell.Frame("groups", p.list.State(), []app.UI{
		ui.PageHeader("Groups", "Named sets of users. Give a group rights on a folder from Files → the folder's Permissions; each member gets the most of their own rights and their groups'.",
			ui.Button("New group", "primary", func(ctx app.Context, e app.Event) { p.open(model.Group{}) }).ID("new-group")),
		ui.ErrorBox(p.list.Err),
		p.list.SearchBox("groups-search", "Search groups", "Search group or member"),
		p.list.Body(p.groupText, app.Div().Class("card").ID("groups-empty").Body(ui.EmptyState("users", "No groups yet",
			"Make a group for a team (Editors, Freelancers) and give it rights on folders once instead of per person.", nil)), p.renderList),
		app.If(p.editing != nil, func() app.UI { return p.renderDialog() }),
	})
}

func (p *GroupsPage) renderList(groups []model.Group) app.UI {
	return app.Div().Class("card table-card").Body(app.Table().Class("table stack-phone").ID("groups-table").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("Group"), app.Th().Text("Members"), app.Th().Text(""))),
		app.TBody().Body(app.Range(groups).Slice(func(i int) app.UI {
			g := groups[i]
			names := make([]string, len(g.UserIDs))
			for j, id := range g.UserIDs {
				names[j] = p.userName(id)
			}
			slices.Sort(names)
			scope := app.EventScope(g.ID, g.UpdatedAt.UnixNano())
			return app.Tr().Class("group-row").DataSet("id", g.ID).Body(
				app.Td().DataSet("label", "Group").Body(app.Strong().Class("group-name").Text(g.Name)),
				app.Td().DataSet("label", "Members").Class("group-members").Body(app.Div().Body(
					app.Span().Class("muted small").Text(ui.Plural(len(names), "member", "members")+": "),
					app.Span().Text(ui.ValueOr(strings.Join(names, ", "), "nobody yet")),
				)),
				app.Td().Class("row-actions").Body(
					app.Button().Type("button").Class("btn btn-ghost group-edit").Attr("aria-label", "Edit "+g.Name).
						OnClick(func(ctx app.Context, e app.Event) { p.open(g) }, scope).Text("Edit"),
					app.Button().Type("button").Class("btn btn-danger-ghost group-delete").Attr("aria-label", "Delete "+g.Name).
						OnClick(func(ctx app.Context, e app.Event) { p.remove(ctx, g) }, scope).Text("Delete"),
				),
			)
		})),
	))
}

func (p *GroupsPage) renderDialog() app.UI {
	title := "New group"
	if p.editing.ID != "" {
		title = "Edit " + p.editing.Name
	}
	closeDialog := func(ctx app.Context, e app.Event) { p.editing = nil }
	return ui.Dialog(title, closeDialog, []app.UI{
		app.Form().ID("group-form").OnSubmit(p.save).Body(
			ui.ErrorBox(p.formErr),
			ui.Field("Name", app.Input().ID("group-name").Required(true).AutoFocus(true).Value(p.name).OnInput(p.ValueTo(&p.name)), ""),
			app.Div().Class("field").Body(
				app.Span().Class("field-label").Text("Members"),
				app.Div().Class("group-pick").ID("group-members").Body(app.Range(p.users).Slice(func(i int) app.UI {
					u := p.users[i]
					return app.Label().Class("group-pick-row").Body(
						app.Input().Type("checkbox").Value(u.ID).Checked(p.members[u.ID]).
							OnChange(func(ctx app.Context, e app.Event) { p.members[u.ID] = ctx.JSSrc().Get("checked").Bool() }, app.EventScope(u.ID)),
						app.Span().Class("avatar sm").Text(ui.Initials(u.Name)),
						app.Span().Class("group-pick-name").Text(u.Name),
						app.Span().Class("muted small group-pick-email").Text(u.Email),
						app.If(u.Role == "admin", func() app.UI { return ui.Badge("admin", "blue") }),
					)
				})),
				app.Span().Class("field-hint").Text("Admins have every right anyway; groups shape what members may do."),
			),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", closeDialog),
				app.Button().Type("submit").ID("group-save").Class("btn btn-primary").Disabled(p.busy).Text("Save group"),
			),
		),
	})
}
