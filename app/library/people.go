package library

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/model"
)

// PeoplePage is a project's People view (/projects/{id}/people): the
// people face search found in the project's photos the member may see,
// to name, merge, split and hide. What members say here is what the face
// strip of the project's share links shows (names only where a link
// allows them).
type PeoplePage struct {
	app.Compo
	projectID  string
	project    model.Project
	people     []model.ProjectPerson // hidden ones too
	showHidden bool
	loaded     bool
	err        string

	open     *model.PersonDetail // the person whose photos are shown
	name     string              // the name being typed for open
	mergeID  string              // the person chosen to merge into open
	busy     bool
	panelErr string
}

// PeopleRoute is the People view's address pattern.
const PeopleRoute = "^/projects/[^/]+/people$"

func (p *PeoplePage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *PeoplePage) OnNav(ctx app.Context) {
	parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/")
	if len(parts) == 3 {
		p.projectID = parts[1]
	}
	p.open, p.loaded, p.err = nil, false, ""
	if !app.IsClient { // the server prerenders without a session
		return
	}
	p.load(ctx)
}

func (p *PeoplePage) load(ctx app.Context) {
	id := p.projectID
	ctx.Async(func() {
		pr, err := fetch.API.Project(id)
		var people []model.ProjectPerson
		if err == nil {
			people, err = fetch.API.ProjectPeople(id, true)
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.err = err.Error()
				return
			}
			p.project, p.people, p.err = pr, people, ""
			if p.open != nil {
				p.show(ctx, p.open.Person.ID)
			}
		})
	})
}

// shown are the people the grid shows: hidden ones only when asked.
func (p *PeoplePage) shown() []model.ProjectPerson {
	out := []model.ProjectPerson{}
	for _, pp := range p.people {
		if p.showHidden || !pp.Hidden {
			out = append(out, pp)
		}
	}
	return out
}

// show opens a person's panel with their faces and photos.
func (p *PeoplePage) show(ctx app.Context, personID string) {
	project := p.projectID
	ctx.Async(func() {
		d, err := fetch.API.ProjectPerson(project, personID)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.open, p.panelErr = nil, ""
				p.err = err.Error()
				return
			}
			if p.open == nil || p.open.Person.ID != d.Person.ID {
				p.name, p.mergeID, p.panelErr = d.Person.Name, "", ""
				p.setNameField(ctx)
			}
			p.open = &d
		})
	})
}

// change runs an edit of the open person, then reloads the view and shows
// the person it answers (a merge keeps the open one, a split opens the new).
func (p *PeoplePage) change(ctx app.Context, edit func() (model.ProjectPerson, error), done string) {
	p.busy, p.panelErr = true, ""
	ctx.Async(func() {
		pp, err := edit()
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.panelErr = err.Error()
				return
			}
			p.name, p.mergeID = pp.Name, ""
			p.setNameField(ctx)
			p.open = &model.PersonDetail{Person: pp}
			shell.Toast(ctx, done)
			p.load(ctx)
		})
	})
}

func (p *PeoplePage) rename(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.open == nil {
		return
	}
	project, id, name := p.projectID, p.open.Person.ID, strings.TrimSpace(p.name)
	done := "Name cleared"
	if name != "" {
		done = "Named " + name
	}
	p.change(ctx, func() (model.ProjectPerson, error) {
		return fetch.API.UpdatePerson(project, id, model.PersonPatch{Name: &name})
	}, done)
}

func (p *PeoplePage) setHidden(ctx app.Context, hidden bool) {
	project, id := p.projectID, p.open.Person.ID
	done := "Shown again in links"
	if hidden {
		done = "Hidden: links no longer show this person"
	}
	p.change(ctx, func() (model.ProjectPerson, error) {
		return fetch.API.UpdatePerson(project, id, model.PersonPatch{Hidden: &hidden})
	}, done)
}

func (p *PeoplePage) merge(ctx app.Context) {
	if p.open == nil || p.mergeID == "" {
		return
	}
	other := personLabel(p.person(p.mergeID))
	if !app.Window().Call("confirm", "Merge "+other+" into "+personLabel(p.open.Person)+
		"? Their photos then show as one person here and in links.").Bool() {
		return
	}
	project, into, from := p.projectID, p.open.Person.ID, p.mergeID
	p.change(ctx, func() (model.ProjectPerson, error) { return fetch.API.MergePeople(project, into, from) }, "People merged")
}

func (p *PeoplePage) split(ctx app.Context, faceID string) {
	project := p.projectID
	p.change(ctx, func() (model.ProjectPerson, error) { return fetch.API.SplitFace(project, faceID) }, "Face moved to a person of its own")
}

// setNameField puts p.name in the name field after the next render: the
// field is reused from person to person, and once typed into, a new value
// attribute no longer changes what it shows.
func (p *PeoplePage) setNameField(ctx app.Context) {
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID("person-name-input"); el.Truthy() {
			el.Set("value", p.name)
		}
	})
}

func (p *PeoplePage) person(id string) model.ProjectPerson {
	for _, pp := range p.people {
		if pp.ID == id {
			return pp
		}
	}
	return model.ProjectPerson{ID: id}
}

// personLabel is a person's name, or what stands for it.
func personLabel(pp model.ProjectPerson) string {
	if pp.Name != "" {
		return pp.Name
	}
	return "Unnamed person"
}
