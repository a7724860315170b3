// Package review is the reviewer's page of a review link (/r/{key}):
// gate, item grid, viewer with player, drawing, comments and decisions.
package review

import (
	"cmp"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// reviewColors are the pen's colours; the first is the default.
var reviewColors = []string{"#ff3b30", "#ffcc00", "#34c759", "#0a84ff", "#ffffff"}

const (
	reviewMinZoom = 1.0
	reviewMaxZoom = 8.0
)

// Page is what a reviewer without an account sees at /r/{key}: the
// password if the link has one, their name, then the items with approval
// badges, and a viewer where they approve each item and comment on it, at
// a time of a video and with a drawing on the picture.
//
// The server prerenders the gate a reviewer without a session sees
// (password or name, see OnPreRender); anything past it depends on the
// reviewer's cookie and is drawn by the app.
type Page struct {
	app.Compo
	owner  ui.Owner // the page's own context: outlives the elements that start requests
	key    string
	peek   func(key string) *model.PublicReview // Options.PeekReview: nil in the browser
	review *model.PublicReview
	ready  bool

	closed linkui.Closed // why the link cannot be used

	password string
	name     string
	renaming bool // the reviewer asked to change their name
	err      string
	busy     bool

	// The viewer. What more than one of its parts shows lives here; each
	// part keeps its own state (stage: zoom; panel: the composer and the
	// decision; annotator: the stroke being drawn).
	open       int    // index into review.Items, -1 when closed
	version    string // asset id of the version shown, "" for the item's own
	comments   []model.Comment
	commentsOf string // asset id the comments belong to
	listErr    string
	selected   string  // the comment whose drawing and time are shown
	replyTo    string  // the comment the reviewer answers
	curTime    float64 // the player's time, seconds
	mediaDur   float64 // the player's duration, seconds, once known
	natural    natural // the shown picture's own size, once loaded
	pollStop   chan struct{}
	keys       app.Func
	enter      ui.EnterOpener // the tiles open on Enter's release

	// The drawing of the next comment.
	annotating bool
	shapes     []model.AnnotationShape
	color      string
}

// natural is the size of a picture or video frame as it loaded.
type natural struct {
	w, h int
	of   string // the asset id w and h belong to
}

// reviewShown is the file the viewer shows: an item's version.
type reviewShown struct {
	id, name, kind, filetype string
	thumb, preview, large    string
	media, download          string
	width, height            int
	current                  bool // the item's own version, the one approvals are about
	index, versions          int  // the version's number, and how many there are
}

// New is the review page; peek gives the server's prerender the gate a
// reviewer without a session sees (Options.PeekReview), nil in the browser.
func New(peek func(key string) *model.PublicReview) *Page { return &Page{peek: peek} }

// OnPreRender draws the gate (password or name) for a reviewer without a
// session, so they can type before the wasm runs; the app then loads the
// link itself (which starts their session).
func (p *Page) OnPreRender(ctx app.Context) {
	p.key = strings.TrimPrefix(ctx.Page().URL().Path, "/r/")
	if p.peek == nil {
		return
	}
	if r := p.peek(p.key); r != nil && r.Kind == "review" && r.ReviewerName == "" { // Render draws its gate, never its items
		p.review = r
		ctx.Page().SetTitle(r.Name)
	}
}

func (p *Page) OnInit() {
	p.open = -1
	p.color = reviewColors[0]
}

func (p *Page) OnNav(ctx app.Context) {
	key := strings.TrimPrefix(ctx.Page().URL().Path, "/r/")
	if p.key != "" && key != p.key {
		p.closeViewer(ctx)
		p.review, p.closed, p.err, p.password = nil, linkui.Closed{}, "", ""
	}
	p.key = key
	if !app.IsClient {
		return // prerendered with the gate (OnPreRender), or a spinner
	}
	p.ready = true
	p.load(ctx)
}

func (p *Page) OnMount(ctx app.Context) {
	p.owner.Set(ctx)
	if !app.IsClient {
		return
	}
	p.keys = app.FuncOf(func(this app.Value, args []app.Value) any {
		key := args[0].Get("key").String()
		tag := strings.ToLower(args[0].Get("target").Get("tagName").String())
		typing := tag == "input" || tag == "textarea" || tag == "select" || args[0].Get("target").Get("isContentEditable").Truthy()
		if (key == "ArrowLeft" || key == "ArrowRight") && !typing {
			// On a video the arrows step frames: not the player's own 5 s seek.
			if m := app.Window().GetElementByID("review-media"); m.Truthy() && strings.EqualFold(m.Get("tagName").String(), "video") {
				args[0].Call("preventDefault")
			}
		}
		ctx.Dispatch(func(ctx app.Context) { p.onKey(ctx, key, typing) })
		return nil
	})
	app.Window().Call("addEventListener", "keydown", p.keys)
}

func (p *Page) OnDismount() {
	p.stopPoll()
	if p.keys != nil {
		app.Window().Call("removeEventListener", "keydown", p.keys)
		p.keys.Release()
		p.keys = nil
	}
	linkui.LockScroll(false)
}

func (p *Page) load(ctx app.Context) {
	key := p.key
	p.owner.Async(ctx, func() func(app.Context) {
		r, err := fetch.API.PublicReview(key)
		return func(ctx app.Context) {
			if err == nil && r.Kind != "review" {
				err = &client.Error{Status: 404}
			}
			if err != nil {
				if _, ok := err.(*client.Error); !ok && p.review != nil {
					return // keep the page on a network hiccup
				}
				p.setClosed(err)
				return
			}
			p.closed = linkui.Closed{}
			p.use(ctx, &r)
		}
	})
}

func (p *Page) retry(ctx app.Context, e app.Event) {
	p.closed = linkui.Closed{}
	p.load(ctx)
}

// use shows r, keeping the viewer on the same item if it is still there.
func (p *Page) use(ctx app.Context, r *model.PublicReview) {
	openID := ""
	if it, ok := p.item(); ok {
		openID = stackOrID(it)
	}
	p.review = r
	p.open = -1
	for i, it := range r.Items {
		if openID != "" && stackOrID(it) == openID {
			p.open = i
		}
	}
	if p.open < 0 && openID != "" {
		p.closeViewer(ctx)
	}
	ctx.Page().SetTitle("%s", reviewName(r))
}

// stackOrID names an item across its versions.
func stackOrID(it model.PublicReviewItem) string { return cmp.Or(it.StackID, it.ID) }

func reviewName(r *model.PublicReview) string { return cmp.Or(strings.TrimSpace(r.Name), "Review") }

func (p *Page) setClosed(err error) {
	p.closed = linkui.ClosedBy(err, "review", "sent it")
	p.closeViewer(p.owner.Ctx(app.Context{}))
}

// isClosedErr reports whether err says the link itself cannot be used.
func isClosedErr(err error) bool {
	e, ok := err.(*client.Error)
	return ok && (e.Status == 404 || e.Status == 410 || e.Code == "link_locked")
}

func (p *Page) unlock(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if !ui.Begin(&p.busy, &p.err, p.password, "Enter the password you were given with the link.") {
		return
	}
	key, pw := p.key, p.password
	p.owner.Async(ctx, func() func(app.Context) {
		r, err := fetch.API.UnlockReview(key, pw)
		return func(ctx app.Context) {
			p.busy = false
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if err == nil && r.NeedsPassword {
				err = &client.Error{Detail: "the server did not accept the password"}
			}
			p.password = ""
			if err != nil {
				p.err = ui.Sentence(err.Error())
				if in := app.Window().GetElementByID("review-password"); in.Truthy() {
					in.Set("value", "")
					in.Call("focus")
				}
				return
			}
			p.use(ctx, &r)
		}
	})
}

func (p *Page) saveName(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(p.name)
	if !ui.Begin(&p.busy, &p.err, name, "Enter your name: the people who asked for your review see it beside your comments and decisions.") {
		return
	}
	key := p.key
	p.owner.Async(ctx, func() func(app.Context) {
		r, err := fetch.API.SetReviewer(key, name)
		return func(ctx app.Context) {
			p.busy = false
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if err != nil {
				p.err = ui.Sentence(err.Error())
				return
			}
			p.renaming = false
			p.use(ctx, &r)
			ui.FocusAfterRender("#review-title")
		}
	})
}

// The viewer.

func (p *Page) item() (model.PublicReviewItem, bool) {
	if p.review == nil || p.open < 0 || p.open >= len(p.review.Items) {
		return model.PublicReviewItem{}, false
	}
	return p.review.Items[p.open], true
}

// shown is the version of the open item the viewer shows.
func (p *Page) shown() reviewShown {
	it, _ := p.item()
	s := reviewShown{id: it.ID, name: it.Name, kind: it.Kind, filetype: it.Filetype, thumb: it.ThumbURL,
		preview: it.PreviewURL, large: it.LargeURL, media: it.MediaURL, download: it.DownloadURL,
		width: it.Width, height: it.Height, current: true, versions: len(it.Versions)}
	for i, v := range it.Versions {
		if v.ID == it.ID {
			s.index = cmp.Or(v.Index, len(it.Versions)-i)
		}
	}
	if p.version == "" || p.version == it.ID {
		return s
	}
	for i, v := range it.Versions {
		if v.ID != p.version {
			continue
		}
		// Another version: the same kind of file, at its own addresses.
		base := "/api/v2/public/links/" + p.key + "/assets/" + v.ID
		s.id, s.name, s.current = v.ID, cmp.Or(v.Name, it.Name), false
		s.index = cmp.Or(v.Index, len(it.Versions)-i)
		s.width, s.height = 0, 0
		s.media = ""
		if it.MediaURL != "" { // the original plays only where downloading is allowed
			s.media = base + "/original"
		}
		if it.ThumbURL != "" {
			s.thumb, s.preview, s.large = base+"/thumb", base+"/preview", base+"/large"
		}
		if it.DownloadURL != "" {
			s.download = base + "/original?download=1"
		}
	}
	return s
}

func (p *Page) show(ctx app.Context, i int) {
	if p.review == nil || i < 0 || i >= len(p.review.Items) {
		return
	}
	first := p.open < 0
	p.open, p.version = i, ""
	p.resetView()
	p.loadComments(ctx)
	p.startPoll(ctx)
	if first {
		linkui.LockScroll(true)
		ctx.Defer(func(ctx app.Context) {
			if b := app.Window().GetElementByID("review-viewer-close"); b.Truthy() {
				b.Call("focus", map[string]any{"preventScroll": true})
			}
		})
	}
}

// resetView forgets what belongs to the file shown before. The viewer's
// parts forget their own when the file they are given changes.
func (p *Page) resetView() {
	p.comments, p.commentsOf, p.listErr = nil, "", ""
	p.selected, p.replyTo = "", ""
	p.annotating, p.shapes = false, nil
	p.curTime, p.mediaDur = 0, 0
}

func (p *Page) closeViewer(ctx app.Context) {
	if p.open < 0 {
		return
	}
	ctx = p.owner.Ctx(ctx) // the focus moves after the viewer that asked is gone
	id := ""
	if it, ok := p.item(); ok {
		id = it.ID
	}
	p.open, p.version = -1, ""
	p.resetView()
	p.stopPoll()
	linkui.LockScroll(false)
	if ctx.Context == nil || id == "" {
		return
	}
	ctx.Defer(func(ctx app.Context) {
		tile := app.Window().Get("document").Call("querySelector", `.review-item[data-id="`+ui.CSSString(id)+`"]`)
		if tile.Truthy() {
			tile.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *Page) step(ctx app.Context, d int) {
	if p.open < 0 || p.review == nil || len(p.review.Items) < 2 {
		return
	}
	n := len(p.review.Items)
	p.show(ctx, (p.open+d+n)%n)
}

func (p *Page) onKey(ctx app.Context, key string, typing bool) {
	if p.open < 0 {
		ctx.PreventUpdate()
		return
	}
	switch {
	case key == "Escape" && p.annotating:
		p.annotating = false
	case key == "Escape" && p.replyTo != "":
		p.replyTo = ""
	case key == "Escape" && !typing:
		p.closeViewer(ctx)
	case (key == "ArrowLeft" || key == "ArrowRight") && !typing && p.shown().kind == "video" && mediaElement().Truthy():
		// On a video the arrows step frames (the player does it); the
		// buttons go to other items.
		d := 1
		if key == "ArrowLeft" {
			d = -1
		}
		ctx.NewActionWithValue(actionStepFrame, d)
	case key == "ArrowLeft" && !typing:
		p.step(ctx, -1)
	case key == "ArrowRight" && !typing:
		p.step(ctx, 1)
	default:
		ctx.PreventUpdate()
	}
}

// pickVersion shows version v of the open item.
func (p *Page) pickVersion(ctx app.Context, v string) {
	it, ok := p.item()
	if !ok {
		return
	}
	if v == it.ID {
		v = ""
	}
	if v == p.version {
		return
	}
	p.version = v
	p.resetView()
	p.loadComments(ctx)
}
