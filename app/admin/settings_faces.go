package admin

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// faceSettingsForm is the Face search section of Settings.
type faceSettingsForm struct {
	st   *model.FaceSettings
	busy bool
	err  string
}

func (p *SettingsPage) loadFaces(ctx app.Context) {
	ctx.Async(func() {
		if st, err := fetch.API.FaceSettings(); err == nil {
			ctx.Dispatch(func(ctx app.Context) { p.faces.st = &st })
		}
	})
}

// changeFaces switches face search on or off, or purges its data.
func (p *SettingsPage) changeFaces(ctx app.Context, change func() (model.FaceSettings, error), done string) {
	p.faces.busy, p.faces.err = true, ""
	ctx.Async(func() {
		st, err := change()
		ctx.Dispatch(func(ctx app.Context) {
			p.faces.busy = false
			if err != nil {
				p.faces.err = err.Error()
				return
			}
			p.faces.st = &st
			shell.Toast(ctx, done)
		})
	})
}

func (p *SettingsPage) renderFaces() app.UI {
	st := p.faces.st
	if st == nil {
		return app.Span()
	}
	state := ui.Badge("Off", "grey")
	switch {
	case !st.Available:
		state = ui.Badge("Not available", "amber")
	case st.Enabled && (st.Busy || st.Queued > 0):
		state = ui.Badge("Indexing", "blue")
	case st.Enabled:
		state = ui.Badge("On", "green")
	}
	progress := strconv.Itoa(st.Indexed) + " photos indexed, " + ui.Plural(st.Faces, "face", "faces") + " of " +
		ui.Plural(st.People, "person", "people")
	if st.Queued > 0 {
		progress += ", " + strconv.Itoa(st.Queued) + " waiting"
	}
	return app.Section().Class("settings-section").ID("faces").Body(
		app.Div().Class("section-head").Body(
			app.H2().Text("Face search"),
			app.P().Class("muted").Text("Lets visitors of share links that allow it find the photos a person is in, by picking a face or sending a selfie."),
		),
		app.Div().Class("card").Body(
			app.Div().Class("pane-title").Body(app.P().ID("faces-progress").Text(progress), state),
			app.If(!st.Available, func() app.UI {
				return app.P().ID("faces-unavailable").Class("pane-note muted").Text(st.Unavailable)
			}),
			app.P().ID("faces-stored").Class("pane-note muted").Text(st.Stored),
			ui.ErrorBox(p.faces.err),
			app.Div().Class("form-actions").Body(
				app.If(st.Enabled, func() app.UI {
					return ui.Button("Switch off", "secondary", func(ctx app.Context, e app.Event) {
						p.changeFaces(ctx, func() (model.FaceSettings, error) { return fetch.API.SetFaceSearch(false) }, "Face search switched off")
					}).ID("faces-toggle").Disabled(p.faces.busy)
				}).Else(func() app.UI {
					return ui.Button("Switch on", "primary", func(ctx app.Context, e app.Event) {
						if !app.Window().Call("confirm", "Switch on face search? "+st.Stored).Bool() {
							return
						}
						p.changeFaces(ctx, func() (model.FaceSettings, error) { return fetch.API.SetFaceSearch(true) }, "Face search switched on")
					}).ID("faces-toggle").Disabled(p.faces.busy || !st.Available)
				}),
				ui.Button("Purge all face data", "danger", func(ctx app.Context, e app.Event) {
					if !app.Window().Call("confirm", "Delete every face, face crop and person found so far, and switch face search off? Links then offer no search by people until it is switched on and the photos are indexed again.").Bool() {
						return
					}
					p.changeFaces(ctx, fetch.API.PurgeFaces, "All face data deleted")
				}).ID("faces-purge").Disabled(p.faces.busy || st.Faces == 0 && st.Indexed == 0 && !st.Enabled),
			),
		),
	)
}
