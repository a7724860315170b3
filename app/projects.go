package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ProjectsPage lists the projects the user can see.
type ProjectsPage struct {
	app.Compo
}

func (p *ProjectsPage) Render() app.UI {
	return &shell{Active: "projects", Content: []app.UI{
		pageHeader("Projects", "Photos, video and documents, organised in projects."),
		app.Div().Class("card").ID("projects-empty").Body(emptyState("folder", "No projects yet",
			"Projects hold your assets. Creating projects and uploading arrives with the next release of this build.", nil)),
	}}
}
