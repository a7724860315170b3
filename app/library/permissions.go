package library

import (
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// permissionsDialog is a folder's Permissions dialog; closed calls back.
func permissionsDialog(f *model.Asset, project model.Project, closed func()) app.UI {
	name := f.Name
	if f.ParentID == "" {
		name += " (project top)"
	}
	done := func(ctx app.Context, e app.Event) { closed() }
	return app.Div().Class("priv-dialog").Body(ui.Dialog("Permissions of "+name, done,
		[]app.UI{&folderPermissions{Folder: *f, Project: project}},
		ui.Button("Done", "secondary", done).ID("perm-done"),
	))
}

// folderPermissions is the body of a folder's Permissions dialog (admins):
// the users and groups holding rights on it, set on it or inherited from
// a folder above, each editable; an edit of an inherited row sets a rule
// on this folder that overrides it here and below.
type folderPermissions struct {
	app.Compo
	Folder  model.Asset
	Project model.Project // its members are who a user's rule reaches

	perms  []model.FolderPermission
	users  []model.User
	groups []model.Group
	loaded bool
	err    string

	holder    string // "user:<id>" or "group:<id>" picked to add
	addAccess string
	addShare  bool
	busy      bool
}

func (p *folderPermissions) OnMount(ctx app.Context) {
	p.addAccess, p.addShare = "download", true
	p.load(ctx)
}

func (p *folderPermissions) load(ctx app.Context) {
	id := p.Folder.ID
	ctx.Async(func() {
		perms, err := fetch.API.FolderPermissions(id)
		var us []model.User
		var gs []model.Group
		if err == nil {
			us, err = fetch.API.Users(fetch.AllPages())
		}
		if err == nil {
			gs, err = fetch.API.Groups()
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = err.Error()
				return
			}
			p.perms, p.users, p.groups, p.err = perms, us, gs, ""
		})
	})
}

// put records a holder's rights on this folder.
func (p *folderPermissions) put(ctx app.Context, kind, id, access string, share bool, done func()) {
	folder := p.Folder.ID
	ctx.Async(func() {
		var err error
		in := model.Privilege{Access: access, Share: share}
		if kind == model.HolderGroup {
			_, err = fetch.API.SetGroupPrivilege(id, folder, in)
		} else {
			_, err = fetch.API.SetPrivilege(id, folder, in)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if done != nil {
				done()
			}
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, "Permissions saved")
			p.load(ctx)
		})
	})
}

func (p *folderPermissions) remove(ctx app.Context, r model.FolderPermission) {
	folder := p.Folder.ID
	ctx.Async(func() {
		var err error
		if r.HolderType == model.HolderGroup {
			err = fetch.API.DeleteGroupPrivilege(r.HolderID, folder)
		} else {
			err = fetch.API.DeletePrivilege(r.HolderID, folder)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err.Error()
				return
			}
			shell.Toast(ctx, r.Name+" inherits again here")
			p.load(ctx)
		})
	})
}

func (p *folderPermissions) add(ctx app.Context, e app.Event) {
	e.PreventDefault()
	kind, id, ok := strings.Cut(p.holder, ":")
	if !ok {
		p.err = "Pick a group or a member."
		return
	}
	p.busy = true
	p.put(ctx, kind, id, p.addAccess, p.addShare, func() { p.busy, p.holder = false, "" })
}

// inProject reports whether user id belongs to the folder's project: a
// rule for anyone else applies once they are added to it.
func (p *folderPermissions) inProject(id string) bool {
	return p.Project.OwnerID == id || slices.Contains(p.Project.MemberIDs, id)
}

// setHere reports whether a holder already has a rule on this folder.
func (p *folderPermissions) setHere(kind, id string) bool {
	for _, r := range p.perms {
		if r.HolderType == kind && r.HolderID == id && !r.Inherited {
			return true
		}
	}
	return false
}

func (p *folderPermissions) Render() app.UI {
	return app.Div().Class("priv perm").ID("permissions").DataSet("state", ui.PageState(p.loaded, p.err)).Body(
		app.P().Class("muted small priv-intro").Text("Rights set on a folder hold in the folders inside it unless one of them sets its own. A member gets the most of their own rights and their groups'. Without any rule members have full access; admins always do."),
		ui.ErrorBox(p.err),
		p.renderRows(),
		p.renderAdd(),
	)
}

func (p *folderPermissions) renderRows() app.UI {
	switch {
	case !p.loaded:
		return ui.Loading()
	case len(p.perms) == 0:
		return app.P().Class("priv-none").ID("perm-none").Text("No rules here or above: members of the project have full access and may share.")
	}
	return app.Div().Class("table-card priv-scroll").Body(app.Table().Class("table priv-table stack-phone").ID("perm-table").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("Who"), app.Th().Text("Access"), app.Th().Text("Share links"), app.Th().Text("Set on"), app.Th().Text(""))),
		app.TBody().Body(app.Range(p.perms).Slice(func(i int) app.UI {
			r := p.perms[i]
			scope := app.EventScope(r.HolderType, r.HolderID, r.Access, r.Share, r.FromFolderID)
			who := app.Div().Class("perm-who").Body(app.Span().Class("avatar sm").Text(ui.Initials(r.Name)), app.Span().Class("perm-name").Text(ui.ValueOr(r.Name, "(removed)")))
			if r.HolderType == model.HolderGroup {
				who = app.Div().Class("perm-who").Body(app.Span().Class("avatar sm perm-group").Body(ui.Icon("users")), app.Span().Class("perm-name").Text(r.Name), ui.Badge("group", "blue"))
			}
			from := app.Span().Class("badge badge-green perm-here").Text("This folder")
			if r.Inherited {
				from = app.Span().Class("badge badge-grey perm-inherited").Title("Inherited: change it here to override it for this folder and below").
					Text("Inherited from " + ui.FolderLabel(r.FromPath))
			}
			return app.Tr().Class("perm-row").DataSet("holder", r.HolderID).DataSet("inherited", r.Inherited).Body(
				app.Td().DataSet("label", "Who").Body(who),
				app.Td().DataSet("label", "Access").Body(app.Select().Class("priv-access perm-access").Attr("aria-label", "Access of "+r.Name).
					OnChange(func(ctx app.Context, e app.Event) {
						p.put(ctx, r.HolderType, r.HolderID, ctx.JSSrc().Get("value").String(), r.Share, nil)
					}, scope).Body(ui.AccessOptions(r.Access)...)),
				app.Td().DataSet("label", "Share links").Body(app.Label().Class("sl-switch priv-share").Body(
					app.Input().Type("checkbox").Attr("role", "switch").Checked(r.Share).Attr("aria-label", "Share links for "+r.Name).
						OnChange(func(ctx app.Context, e app.Event) {
							p.put(ctx, r.HolderType, r.HolderID, r.Access, ctx.JSSrc().Get("checked").Bool(), nil)
						}, scope),
					app.Span().Class("sl-check-text").Body(app.Span().Class("sl-check-label").Text(map[bool]string{true: "On", false: "Off"}[r.Share])),
				)),
				app.Td().DataSet("label", "Set on").Body(from),
				app.Td().Class("row-actions").Body(app.If(!r.Inherited, func() app.UI {
					return app.Button().Type("button").Class("icon-btn perm-remove").Title("Remove the rule: inherit again").
						Attr("aria-label", "Remove the rule of "+r.Name).
						OnClick(func(ctx app.Context, e app.Event) { p.remove(ctx, r) }, scope).Body(ui.Icon("trash"))
				})),
			)
		})),
	))
}

func (p *folderPermissions) renderAdd() app.UI {
	return app.Form().Class("priv-add-form").ID("perm-add-form").OnSubmit(p.add).Body(
		app.Div().Class("field-label").Text("Add a group or member"),
		app.Div().Class("priv-add-row").Body(
			ui.Field("Who", app.Select().ID("perm-holder").OnChange(p.ValueTo(&p.holder)).Body(
				app.Option().Value("").Selected(p.holder == "").Text("Pick a group or member"),
				app.OptGroup().Label("Groups").Body(app.Range(p.groups).Slice(func(i int) app.UI {
					g := p.groups[i]
					v := model.HolderGroup + ":" + g.ID
					return app.Option().Value(v).Selected(p.holder == v).Disabled(p.setHere(model.HolderGroup, g.ID)).Text(g.Name)
				})),
				app.OptGroup().Label("Members").Body(app.Range(p.users).Slice(func(i int) app.UI {
					u := p.users[i]
					if u.Role == "admin" || u.Disabled {
						return nil
					}
					v := model.HolderUser + ":" + u.ID
					label := u.Name + " (" + u.Email + ")"
					if !p.inProject(u.ID) {
						label += " · not in this project yet"
					}
					return app.Option().Value(v).Selected(p.holder == v).Disabled(p.setHere(model.HolderUser, u.ID)).Text(label)
				})),
			), ""),
			ui.Field("Access", app.Select().ID("perm-access").OnChange(p.ValueTo(&p.addAccess)).Body(ui.AccessOptions(p.addAccess)...),
				"Previews only < Download < Upload < Full."),
		),
		app.Div().Class("perm-add-foot").Body(
			ui.ReasonSwitch("perm-share", "May create share links here", p.addShare, "", func(on bool) { p.addShare = on }),
			app.Button().Type("submit").ID("perm-add-submit").Class("btn btn-primary").Disabled(p.busy || p.holder == "").Text("Add"),
		),
	)
}
