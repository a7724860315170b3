package share

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// visitorFaces is what the gallery is filtered by: the person or selfie
// chosen in the face strip, and the photos that matched.
type visitorFaces struct {
	person  string          // the chosen person, "" for none
	selfie  bool            // the gallery shows a selfie's matches
	matches map[string]bool // the photos shown while filtering
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

// faceStrip is a visitor's search by people: the people of the link's
// photos (it loads them when it appears), and a selfie to find oneself.
// The page filters the gallery by what the visitor picks.
type faceStrip struct {
	app.Compo
	Key     string
	Person  string // the person the gallery is filtered by
	Selfie  bool   // the gallery shows a selfie's matches
	Matches int    // how many photos the gallery shows of them
	OnMatch func(ctx app.Context, person string, selfie bool, ids []string)
	OnClear func(ctx app.Context)

	owner  ui.Owner // outlives the elements that start requests
	loaded bool
	people []model.PersonTile
	busy   bool
	err    string
}

func (f *faceStrip) OnMount(ctx app.Context) {
	f.owner.Set(ctx)
	if !app.IsClient {
		return
	}
	key := f.Key
	ctx.Async(func() {
		out, err := publicAPI(key).PublicPeople(key)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.err = err.Error()
				return
			}
			f.loaded, f.err = true, ""
			f.people = out.People
		})
	})
}

func (f *faceStrip) active() bool { return f.Person != "" || f.Selfie }

// showMatches filters the gallery to the photos a person or selfie matched.
func (p *Page) showMatches(ids []string) {
	p.faces.matches = map[string]bool{}
	for _, id := range ids {
		p.faces.matches[id] = true
	}
	p.use(p.share)
}

// matched filters the gallery to what the face strip found.
func (p *Page) matched(ctx app.Context, person string, selfie bool, ids []string) {
	p.faces.person, p.faces.selfie = person, selfie
	p.showMatches(ids)
}

func (p *Page) clearFaces(ctx app.Context) {
	p.faces = visitorFaces{}
	p.use(p.share)
}

func (f *faceStrip) choosePerson(ctx app.Context, id string) {
	if id == "" || id == f.Person {
		f.err = ""
		f.OnClear(ctx)
		return
	}
	key := f.Key
	f.busy, f.err = true, ""
	ctx = f.owner.Ctx(ctx)
	ctx.Async(func() {
		out, err := publicAPI(key).PublicPersonPhotos(key, id)
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				f.err = err.Error()
				return
			}
			f.OnMatch(ctx, id, false, out.AssetIDs)
		})
	})
}

// sendSelfie posts the picked picture; the server compares it and forgets it.
func (f *faceStrip) sendSelfie(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() == 0 {
		return
	}
	file := files.Index(0)
	ctx.JSSrc().Set("value", "")
	typ := file.Get("type").String()
	if typ != "image/jpeg" && typ != "image/png" {
		f.err = "Choose a JPEG or PNG photo of your face."
		return
	}
	if file.Get("size").Int() > 10<<20 {
		f.err = "That photo is over 10 MB; choose a smaller one."
		return
	}
	f.busy, f.err = true, ""
	key := f.Key
	ctx = f.owner.Ctx(ctx)
	// The link's session travels as publicAPI sends it: the header where
	// the browser keeps one (invitations, embeds without cookies).
	var session [][2]string
	if s := shareSession(key); s != "" {
		session = append(session, [2]string{"Ferry-Session", s})
	}
	fetch.SendFile("POST", "/api/v2/public/links/"+key+"/selfie", typ, file, func(out model.PeoplePhotos, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				f.err = err.Error()
				return
			}
			f.OnMatch(ctx, "", true, out.AssetIDs)
		})
	}, session...)
}

func (f *faceStrip) Render() app.UI {
	var status string
	switch {
	case f.busy:
		status = "Looking…"
	case f.Selfie:
		status = ui.Plural(f.Matches, "photo", "photos") + " with you"
	case f.Person != "":
		status = ui.Plural(f.Matches, "photo", "photos") + " of this person"
	}
	return app.Section().ID("face-search").Class("card face-search").Body(
		app.Div().Class("face-head").Body(
			app.H2().Text("Find people"),
			app.If(f.active(), func() app.UI {
				return ui.Button("Show all photos", "ghost", func(ctx app.Context, e app.Event) {
					f.err = ""
					f.OnClear(ctx)
				}).ID("face-clear")
			}),
		),
		app.If(len(f.people) > 0, func() app.UI {
			return app.Div().ID("face-strip").Class("face-strip").Body(
				app.Range(f.people).Slice(func(i int) app.UI {
					pp := f.people[i]
					return app.Button().Type("button").Class("face-chip").
						DataSet("person", ui.AttrText(pp.ID)).Aria("pressed", strconv.FormatBool(pp.ID == f.Person)).
						Title(ui.AttrText(personTitle(pp))).
						OnClick(func(ctx app.Context, e app.Event) { f.choosePerson(ctx, pp.ID) }).
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
			app.Input().Type("file").Class("sr-only").ID("selfie-input").Accept("image/jpeg,image/png").Disabled(f.busy).OnChange(f.sendSelfie),
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
