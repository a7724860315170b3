package library

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func (p *PeoplePage) Render() app.UI {
	title := "People"
	if p.project.Name != "" {
		title = "People in " + p.project.Name
	}
	hidden := 0
	for _, pp := range p.people {
		if pp.Hidden {
			hidden++
		}
	}
	return shell.Frame("projects", ui.PageState(p.loaded, p.err), []app.UI{
		app.Nav().Class("crumbs").Body(
			app.A().ID("people-back").Href("/projects/"+p.projectID).Text(ui.ValueOr(p.project.Name, "Project")),
			app.Span().Class("muted").Text(" / People"),
		),
		ui.PageHeader(title, "Who face search found in this project's photos. Name people, merge two that are one, move a wrong face out, or hide someone from every link.",
			app.If(hidden > 0, func() app.UI {
				label := "Show hidden (" + strconv.Itoa(hidden) + ")"
				if p.showHidden {
					label = "Leave out hidden"
				}
				return ui.Button(label, "secondary", func(ctx app.Context, e app.Event) { p.showHidden = !p.showHidden }).ID("people-show-hidden")
			}),
		),
		ui.ErrorBox(p.err),
		app.If(p.open != nil, func() app.UI { return p.renderPanel() }),
		p.renderGrid(),
	})
}

func (p *PeoplePage) renderGrid() app.UI {
	people := p.shown()
	if p.loaded && p.err == "" && len(people) == 0 {
		return app.Div().Class("card").ID("people-empty").Body(ui.EmptyState("users", "No people yet",
			"People appear once face search has indexed photos with faces in this project.", nil))
	}
	return app.Div().ID("people-grid").Class("people-grid").Body(app.Range(people).Slice(func(i int) app.UI {
		pp := people[i]
		open := p.open != nil && p.open.Person.ID == pp.ID
		return app.Button().Type("button").Class("person-card").DataSet("person", pp.ID).
			Aria("pressed", strconv.FormatBool(open)).
			OnClick(func(ctx app.Context, e app.Event) { p.show(ctx, pp.ID) }, app.EventScope(pp.ID)).
			Body(
				app.Img().Class("person-cover").Src(pp.CoverURL).Alt(personLabel(pp)).Loading("lazy"),
				app.Span().Class("person-name").Text(personLabel(pp)),
				app.Span().Class("person-count muted small").Text(ui.Plural(pp.Photos, "photo", "photos")),
				app.If(pp.Hidden, func() app.UI { return ui.Badge("Hidden", "grey") }),
			)
	}))
}

func (p *PeoplePage) renderPanel() app.UI {
	d := p.open
	pp := d.Person
	var others []model.ProjectPerson
	for _, o := range p.people {
		if o.ID != pp.ID {
			others = append(others, o)
		}
	}
	return app.Section().ID("person-panel").Class("card person-panel").DataSet("person", pp.ID).Body(
		app.Div().Class("person-head").Body(
			app.Img().Class("person-cover lg").Src(pp.CoverURL).Alt(personLabel(pp)),
			app.Form().Class("person-rename").ID("person-rename").OnSubmit(p.rename).Body(
				app.Label().Class("sr-only").For("person-name-input").Text("Name"),
				app.Input().ID("person-name-input").Placeholder("Add a name").MaxLength(100).Value(p.name).OnInput(p.ValueTo(&p.name)),
				app.Button().Type("submit").ID("person-save").Class("btn btn-primary").Disabled(p.busy).Text("Save name"),
			),
			app.Button().Type("button").Class("icon-btn").ID("person-close").Title("Close").Attr("aria-label", "Close").
				OnClick(func(ctx app.Context, e app.Event) { p.open = nil }).Body(ui.Icon("x")),
		),
		app.P().ID("person-summary").Class("muted").Text(ui.Plural(pp.Photos, "photo", "photos")+", "+ui.Plural(pp.Faces, "face", "faces")),
		ui.ErrorBox(p.panelErr),
		app.Div().Class("person-actions").Body(
			app.If(len(others) > 0, func() app.UI {
				return app.Div().Class("person-merge").Body(
					app.Label().Class("sr-only").For("person-merge-select").Text("Merge with"),
					app.Select().ID("person-merge-select").OnChange(p.ValueTo(&p.mergeID)).Body(
						app.Option().Value("").Selected(p.mergeID == "").Text("Merge with…"),
						app.Range(others).Slice(func(i int) app.UI {
							o := others[i]
							return app.Option().Value(o.ID).Selected(p.mergeID == o.ID).
								Text(personLabel(o) + " (" + ui.Plural(o.Photos, "photo", "photos") + ")")
						}),
					),
					ui.Button("Merge", "secondary", func(ctx app.Context, e app.Event) { p.merge(ctx) }).ID("person-merge").
						Disabled(p.busy || p.mergeID == ""),
				)
			}),
			app.If(pp.Hidden, func() app.UI {
				return ui.Button("Show in links", "secondary", func(ctx app.Context, e app.Event) { p.setHidden(ctx, false) }).ID("person-hide").Disabled(p.busy)
			}).Else(func() app.UI {
				return ui.Button("Hide", "secondary", func(ctx app.Context, e app.Event) { p.setHidden(ctx, true) }).ID("person-hide").Disabled(p.busy)
			}),
		),
		app.If(len(d.Faces) > 1, func() app.UI {
			return app.Div().Class("person-section").Body(
				app.H3().Text("Faces"),
				app.P().Class("muted small").Text("A face that is someone else? Move it out to a person of its own."),
				app.Div().ID("person-faces").Class("person-faces").Body(app.Range(d.Faces).Slice(func(i int) app.UI {
					f := d.Faces[i]
					return app.Div().Class("person-face").DataSet("face", f.ID).Body(
						app.Img().Class("person-cover").Src(f.ThumbURL).Alt("A face").Loading("lazy"),
						app.Button().Type("button").Class("btn btn-ghost face-split").Disabled(p.busy).
							OnClick(func(ctx app.Context, e app.Event) { p.split(ctx, f.ID) }, app.EventScope(f.ID)).Text("Not this person"),
					)
				})),
			)
		}),
		app.Div().Class("person-section").Body(
			app.H3().Text("Photos"),
			app.Div().ID("person-photos").Class("person-photos").Body(app.Range(d.AssetIDs).Slice(func(i int) app.UI {
				id := d.AssetIDs[i]
				return app.A().Class("person-photo").DataSet("id", id).Href("/assets/" + id).Body(
					app.Img().Src("/api/v2/assets/" + id + "/proxies/thumb").Alt("A photo of this person").Loading("lazy"),
				)
			})),
		),
	)
}
