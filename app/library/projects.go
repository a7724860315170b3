package library

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/sharing"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// ProjectsPage lists the projects the user can see and creates new ones.
type ProjectsPage struct {
	app.Compo
	projects []model.Project
	loaded   bool
	err      string

	creating bool
	newName  string
	formErr  string
}

func (p *ProjectsPage) OnMount(ctx app.Context) { p.load(ctx) }

func (p *ProjectsPage) load(ctx app.Context) {
	ctx.Async(func() {
		ps, err := fetch.API.Projects(fetch.AllPages())
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = err.Error()
				return
			}
			p.projects, p.err = ps, ""
		})
	})
}

func (p *ProjectsPage) create(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := p.newName
	ctx.Async(func() {
		pr, err := fetch.API.CreateProject(name)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.formErr = err.Error()
				return
			}
			p.creating, p.newName, p.formErr = false, "", ""
			ctx.Navigate("/projects/" + pr.ID)
		})
	})
}

func (p *ProjectsPage) Render() app.UI {
	newBtn := ui.Button("New project", "primary", func(ctx app.Context, e app.Event) { p.creating, p.formErr = true, "" }).ID("new-project")
	var body app.UI
	switch {
	case !p.loaded:
		body = ui.LoadingCard()
	case len(p.projects) == 0 && p.err == "":
		body = app.Div().Class("card").ID("projects-empty").Body(ui.EmptyState("folder", "No projects yet",
			"Projects hold your photos, video and documents. Create one, then drop files onto it.",
			ui.Button("Create your first project", "primary", func(ctx app.Context, e app.Event) { p.creating = true })))
	default:
		body = app.Div().Class("project-grid").ID("project-list").Body(app.Range(p.projects).Slice(func(i int) app.UI {
			pr := p.projects[i]
			return app.A().Class("project-card card").Href("/projects/"+pr.ID).Body(
				app.Div().Class("project-icon").Body(ui.Icon("folder")),
				app.Div().Body(
					app.Div().Class("project-name").Text(pr.Name),
					app.Div().Class("muted small").Text("Updated "+ui.RelTime(pr.UpdatedAt)),
				),
			)
		}))
	}
	return shell.Frame("projects", ui.PageState(p.loaded, p.err), []app.UI{
		&sharing.Dialogs{},
		ui.PageHeader("Projects", "Photos, video and documents, organised in projects.", newBtn),
		ui.ErrorBox(p.err),
		body,
		app.If(p.creating, func() app.UI {
			return ui.Dialog("New project", func(ctx app.Context, e app.Event) { p.creating = false }, []app.UI{
				app.Form().ID("new-project-form").OnSubmit(p.create).Body(
					ui.ErrorBox(p.formErr),
					ui.Field("Name", app.Input().ID("project-name").Required(true).AutoFocus(true).Placeholder("e.g. Spring campaign 2027").
						Value(p.newName).OnInput(p.ValueTo(&p.newName)), ""),
					app.Div().Class("form-actions").Body(
						ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.creating = false }),
						app.Button().Type("submit").ID("project-create").Class("btn btn-primary").Text("Create project"),
					),
				),
			})
		}),
		&sharing.Drawer{Hint: "Open a project, then drag its files and folders here or use a row's chain icon (Add to share)."},
	})
}
