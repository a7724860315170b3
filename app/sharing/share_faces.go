package sharing

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
)

// loadFaceSetting learns whether face search is on, so the share dialog
// offers "Allow search by people in photo" only then.
func (d *Dialogs) loadFaceSetting(ctx app.Context) {
	ctx.Async(func() {
		if st, err := fetch.API.FaceSettings(); err == nil {
			ctx.Dispatch(func(ctx app.Context) { d.faces = &st })
		}
	})
}

func (d *Dialogs) renderFaceOption() app.UI {
	f := d.form
	return app.Div().Body(
		shareCheck("sl-allow-faces", "Allow search by people in photo",
			"Visitors see the people in these photos and can pick one, or send a selfie, to see only their photos",
			f.faceSearch, "", func(on bool) { f.faceSearch = on }),
		app.If(f.faceSearch, func() app.UI {
			return shareCheck("sl-person-names", "Show people's names",
				"The names members gave in the project's People view appear under the faces",
				f.personNames, "", func(on bool) { f.personNames = on })
		}),
	)
}
