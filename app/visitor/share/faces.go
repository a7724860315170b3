package share

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// visitorFaces is a visitor's search by people: the strip, the person or
// selfie the gallery is filtered by, and the photos that matched.
type visitorFaces struct {
	loaded  bool
	people  []model.PersonTile
	person  string          // the chosen person, "" for none
	selfie  bool            // the gallery shows a selfie's matches
	matches map[string]bool // the photos shown while filtering
	busy    bool
	err     string
}

func (f *visitorFaces) active() bool { return f.person != "" || f.selfie }

// filter keeps the items that matched while a person or a selfie is chosen.
func (f *visitorFaces) filter(items []model.PublicAsset) []model.PublicAsset {
	if !f.active() {
		return items
	}
	var out []model.PublicAsset
	for _, it := range items {
		if f.matches[it.ID] {
			out = append(out, it)
		}
	}
	return out
}

func (p *Page) loadPeople(ctx app.Context) {
	if p.mounted != nil {
		// The page's own context: the password form that asked for this
		// is gone by the time the answer comes, and go-app drops what is
		// dispatched on a dismounted element's context.
		ctx = *p.mounted
	}
	key := p.key
	ctx.Async(func() {
		out, err := publicAPI(key).PublicPeople(key)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.faces.err = err.Error()
				return
			}
			p.faces.loaded, p.faces.err = true, ""
			p.faces.people = out.People
		})
	})
}

// showMatches filters the gallery to the photos a person or selfie matched.
func (p *Page) showMatches(ids []string) {
	p.faces.matches = map[string]bool{}
	for _, id := range ids {
		p.faces.matches[id] = true
	}
	p.use(p.share)
}

func (p *Page) choosePerson(ctx app.Context, id string) {
	if id == "" || id == p.faces.person {
		p.clearFaces()
		return
	}
	key := p.key
	p.faces.busy, p.faces.err = true, ""
	ctx.Async(func() {
		out, err := publicAPI(key).PublicPersonPhotos(key, id)
		ctx.Dispatch(func(ctx app.Context) {
			p.faces.busy = false
			if err != nil {
				p.faces.err = err.Error()
				return
			}
			p.faces.person, p.faces.selfie = id, false
			p.showMatches(out.AssetIDs)
		})
	})
}

func (p *Page) clearFaces() {
	p.faces.person, p.faces.selfie, p.faces.err, p.faces.matches = "", false, "", nil
	p.use(p.share)
}

// sendSelfie posts the picked picture; the server compares it and forgets it.
func (p *Page) sendSelfie(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() == 0 {
		return
	}
	file := files.Index(0)
	ctx.JSSrc().Set("value", "")
	typ := file.Get("type").String()
	if typ != "image/jpeg" && typ != "image/png" {
		p.faces.err = "Choose a JPEG or PNG photo of your face."
		return
	}
	if file.Get("size").Int() > 10<<20 {
		p.faces.err = "That photo is over 10 MB; choose a smaller one."
		return
	}
	p.faces.busy, p.faces.err = true, ""
	// The link's session travels as publicAPI sends it: the header where
	// the browser keeps one (invitations, embeds without cookies).
	var session [][2]string
	if s := shareSession(p.key); s != "" {
		session = append(session, [2]string{"Ferry-Session", s})
	}
	fetch.SendFile("POST", "/api/v2/public/links/"+p.key+"/selfie", typ, file, func(out model.PeoplePhotos, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			p.faces.busy = false
			if err != nil {
				p.faces.err = err.Error()
				return
			}
			p.faces.person, p.faces.selfie = "", true
			p.showMatches(out.AssetIDs)
		})
	}, session...)
}

func (p *Page) renderFaces() app.UI {
	f := &p.faces
	var status string
	switch {
	case f.busy:
		status = "Looking…"
	case f.selfie:
		status = ui.Plural(len(f.matches), "photo", "photos") + " with you"
	case f.person != "":
		status = ui.Plural(len(f.matches), "photo", "photos") + " of this person"
	}
	return app.Section().ID("face-search").Class("card face-search").Body(
		app.Div().Class("face-head").Body(
			app.H2().Text("Find people"),
			app.If(f.active(), func() app.UI {
				return ui.Button("Show all photos", "ghost", func(ctx app.Context, e app.Event) { p.clearFaces() }).ID("face-clear")
			}),
		),
		app.If(len(f.people) > 0, func() app.UI {
			return app.Div().ID("face-strip").Class("face-strip").Body(
				app.Range(f.people).Slice(func(i int) app.UI {
					pp := f.people[i]
					return app.Button().Type("button").Class("face-chip").
						DataSet("person", ui.AttrText(pp.ID)).Aria("pressed", strconv.FormatBool(pp.ID == f.person)).
						Title(ui.AttrText(personTitle(pp))).
						OnClick(func(ctx app.Context, e app.Event) { p.choosePerson(ctx, pp.ID) }).
						Body(
							app.Img().Class("face-thumb").Src(ui.AttrText(pp.ThumbURL)).Alt("A person in these photos").Loading("lazy"),
							app.Span().Class("face-count").Text(strconv.Itoa(pp.Photos)),
							app.If(pp.Name != "", func() app.UI { return app.Span().Class("face-name").Text(ui.AttrText(pp.Name)) }),
						)
				}),
			)
		}).ElseIf(f.loaded, func() app.UI {
			return app.P().ID("face-none").Class("muted").Text("No one appears in more than one photo here yet.")
		}),
		app.Div().Class("face-selfie").Body(
			app.Label().Class("btn btn-secondary").For("selfie-input").Body(ui.Icon("image"), app.Span().Text("Find me with a selfie")),
			app.Input().Type("file").Class("sr-only").ID("selfie-input").Accept("image/jpeg,image/png").Disabled(f.busy).OnChange(p.sendSelfie),
			app.P().ID("selfie-notice").Class("muted face-notice").Text("Your selfie is compared with the faces in these photos and then discarded: it is never stored."),
		),
		app.If(status != "", func() app.UI { return app.P().ID("face-status").Class("face-status").Text(status) }),
		ui.ErrorBox(f.err),
	)
}

// personTitle is a face chip's tooltip: the name, when the link shows it,
// and the number of photos.
func personTitle(pp model.PersonTile) string {
	n := ui.Plural(pp.Photos, "photo", "photos")
	if pp.Name != "" {
		return pp.Name + ", " + n
	}
	return n
}
