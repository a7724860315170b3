package app

import (
	"cmp"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/model/annotation"
)

// reviewFPS is the frame rate of a file whose own rate is not known.
const reviewFPS = 24

// frameRate is a file's frames per second: the exact rational when known
// ("30000/1001"), else the decimal one, else reviewFPS.
func frameRate(rational string, fps float64) float64 {
	if a, b, ok := strings.Cut(rational, "/"); ok {
		n, err1 := strconv.ParseFloat(a, 64)
		d, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil && n > 0 && d > 0 {
			return n / d
		}
	} else if r, err := strconv.ParseFloat(rational, 64); err == nil && r > 0 {
		return r
	}
	if fps > 0 && !math.IsInf(fps, 0) {
		return fps
	}
	return reviewFPS
}

// frameAt is the frame shown at a player's time: frame n spans
// [n/fps, (n+1)/fps).
func frameAt(t, fps float64) int {
	if t <= 0 || fps <= 0 {
		return 0
	}
	return int(math.Floor(t*fps + 1e-6))
}

// frameTime is the middle of a frame: seeking there lands on it and not on
// the boundary with its neighbour.
func frameTime(frame int, fps float64) float64 {
	return (float64(frame) + 0.5) / fps
}

// timecode writes a frame number as HH:MM:SS:FF. It counts non-drop-frame
// at the rate's whole number of frames (30 for 29.97, 24 for 23.976): the
// timecode of an NTSC file runs 0.1 % behind the clock, as an editor's
// non-drop-frame timecode does, and its separator is always ":".
func timecode(frame int, fps float64) string {
	base := max(1, int(math.Round(fps)))
	if frame < 0 {
		frame = 0
	}
	s := frame / base
	return twoDigits(s/3600) + ":" + twoDigits((s/60)%60) + ":" + twoDigits(s%60) + ":" + twoDigits(frame%base)
}

// reviewColors are the pen's colours; the first is the default.
var reviewColors = []string{"#ff3b30", "#ffcc00", "#34c759", "#0a84ff", "#ffffff"}

const (
	reviewMinZoom = 1.0
	reviewMaxZoom = 8.0
)

// ReviewerPage is what a reviewer without an account sees at /r/{key}: the
// password if the link has one, their name, then the items with approval
// badges, and a viewer where they approve each item and comment on it, at
// a time of a video and with a drawing on the picture.
//
// Nothing is prerendered but a spinner: the link's state depends on the
// reviewer's cookie.
type ReviewerPage struct {
	app.Compo
	mctx   app.Context // the component's own context: outlives the elements that start requests
	key    string
	review *model.PublicReview
	ready  bool

	closedT, closed, closedID string // why the link cannot be used
	failed                    bool   // the server could not be reached: offer a retry

	password string
	name     string
	renaming bool // the reviewer asked to change their name
	err      string
	busy     bool

	// The viewer.
	open       int    // index into review.Items, -1 when closed
	version    string // asset id of the version shown, "" for the item's own
	comments   []model.Comment
	commentsOf string // asset id the comments belong to
	listErr    string
	selected   string // the comment whose drawing and time are shown
	text       string
	atTime     bool    // attach the player's time to the comment
	curTime    float64 // the player's time, seconds
	mediaDur   float64 // the player's duration, seconds, once known
	replyTo    string
	replyText  string
	posting    bool
	postErr    string
	deciding   bool
	decideErr  string
	pollStop   chan struct{}
	keys       app.Func

	// Zoom and pan of a picture.
	zoom, tx, ty float64
	pointers     map[int][2]float64 // pointers down on the stage, by id
	gesture      [2]float64         // where the drag last was, or the pinch's last distance in [0]
	hiLoaded     string             // the original that has loaded for the close-up
	natW, natH   int                // the shown picture's or video's own size, once loaded
	natOf        string             // the asset id natW/natH belong to
	lowFailed    string             // a rendition that failed to load: show the original

	// The drawing of the next comment.
	annotating bool
	shapes     []model.AnnotationShape
	drawing    bool
	color      string
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

func (p *ReviewerPage) OnInit() {
	p.open = -1
	p.zoom = 1
	p.atTime = true
	p.color = reviewColors[0]
}

func (p *ReviewerPage) OnNav(ctx app.Context) {
	key := strings.TrimPrefix(ctx.Page().URL().Path, "/r/")
	if p.key != "" && key != p.key {
		p.closeViewer(ctx)
		p.review, p.closedT, p.err, p.password = nil, "", "", ""
	}
	p.key = key
	if !app.IsClient {
		return // prerendered as a spinner: the link's state needs the reviewer's cookie
	}
	p.ready = true
	p.load(ctx)
}

func (p *ReviewerPage) OnMount(ctx app.Context) {
	p.mctx = ctx
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

func (p *ReviewerPage) OnDismount() {
	p.stopPoll()
	if p.keys != nil {
		app.Window().Call("removeEventListener", "keydown", p.keys)
		p.keys.Release()
		p.keys = nil
	}
	galleryLockScroll(false)
}

// async runs f off the UI goroutine through the component's own context, so
// its answer is applied even when the element that started it is gone.
func (p *ReviewerPage) async(ctx app.Context, f func(app.Context) func(app.Context)) {
	c := ctx
	if p.mctx.Context != nil {
		c = p.mctx
	}
	c.Async(func() {
		done := f(c)
		c.Dispatch(done)
	})
}

func (p *ReviewerPage) load(ctx app.Context) {
	key := p.key
	p.async(ctx, func(app.Context) func(app.Context) {
		r, err := api.PublicReview(key)
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
			p.closedT, p.failed = "", false
			p.use(ctx, &r)
		}
	})
}

func (p *ReviewerPage) retry(ctx app.Context, e app.Event) {
	p.closedT, p.failed = "", false
	p.load(ctx)
}

// use shows r, keeping the viewer on the same item if it is still there.
func (p *ReviewerPage) use(ctx app.Context, r *model.PublicReview) {
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

func (p *ReviewerPage) setClosed(err error) {
	p.closedID, p.failed = "review-closed", false
	e, ok := err.(*client.Error)
	switch {
	case ok && e.Status == 404:
		p.closedID = "review-missing"
		p.closedT, p.closed = "Share not found", "This link does not exist or its owner has revoked it. Check the address you were given."
	case ok && e.Code == "link_expired":
		p.closedT, p.closed = "This link has expired", "Ask the person who sent it for a new link."
	case ok && e.Code == "link_locked":
		p.closedT, p.closed = "This link is locked", cmp.Or(sentence(e.Detail), "Too many wrong passwords were tried. Ask the person who sent it to unlock it.")
	case ok && e.Status == 410:
		p.closedT, p.closed = "This link is no longer active", cmp.Or(sentence(e.Detail), "Ask the person who sent it for a new link.")
	case ok:
		p.closedT, p.closed = "Something went wrong", sentence(err.Error())
	default:
		p.closedT, p.closed, p.failed = "Cannot reach the server", sentence(err.Error()), true
	}
	p.closeViewer(p.mctx)
}

// isClosedErr reports whether err says the link itself cannot be used.
func isClosedErr(err error) bool {
	e, ok := err.(*client.Error)
	return ok && (e.Status == 404 || e.Status == 410 || e.Code == "link_locked")
}

func (p *ReviewerPage) unlock(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.busy {
		return
	}
	if p.password == "" {
		p.err = "Enter the password you were given with the link."
		return
	}
	p.busy, p.err = true, ""
	key, pw := p.key, p.password
	p.async(ctx, func(app.Context) func(app.Context) {
		r, err := api.UnlockReview(key, pw)
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
				p.err = sentence(err.Error())
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

func (p *ReviewerPage) saveName(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(p.name)
	if p.busy {
		return
	}
	if name == "" {
		p.err = "Enter your name: the people who asked for your review see it beside your comments and decisions."
		return
	}
	p.busy, p.err = true, ""
	key := p.key
	p.async(ctx, func(app.Context) func(app.Context) {
		r, err := api.SetReviewer(key, name)
		return func(ctx app.Context) {
			p.busy = false
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if err != nil {
				p.err = sentence(err.Error())
				return
			}
			p.renaming = false
			p.use(ctx, &r)
			focusAfterRender("#review-title")
		}
	})
}

// The viewer.

func (p *ReviewerPage) item() (model.PublicReviewItem, bool) {
	if p.review == nil || p.open < 0 || p.open >= len(p.review.Items) {
		return model.PublicReviewItem{}, false
	}
	return p.review.Items[p.open], true
}

// shown is the version of the open item the viewer shows.
func (p *ReviewerPage) shown() reviewShown {
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

func (p *ReviewerPage) show(ctx app.Context, i int) {
	if p.review == nil || i < 0 || i >= len(p.review.Items) {
		return
	}
	first := p.open < 0
	p.open, p.version = i, ""
	p.resetView()
	p.loadComments(ctx)
	p.startPoll(ctx)
	if first {
		galleryLockScroll(true)
		ctx.Defer(func(ctx app.Context) {
			if b := app.Window().GetElementByID("review-viewer-close"); b.Truthy() {
				b.Call("focus", map[string]any{"preventScroll": true})
			}
		})
	}
}

// resetView forgets what belongs to the file shown before.
func (p *ReviewerPage) resetView() {
	p.comments, p.commentsOf, p.listErr = nil, "", ""
	p.selected, p.replyTo, p.replyText, p.postErr, p.decideErr = "", "", "", "", ""
	p.zoom, p.tx, p.ty, p.pointers = 1, 0, 0, nil
	p.annotating, p.shapes, p.drawing = false, nil, false
	p.curTime, p.mediaDur = 0, 0
}

func (p *ReviewerPage) closeViewer(ctx app.Context) {
	if p.open < 0 {
		return
	}
	id := ""
	if it, ok := p.item(); ok {
		id = it.ID
	}
	p.open, p.version = -1, ""
	p.resetView()
	p.stopPoll()
	galleryLockScroll(false)
	if ctx.Context == nil || id == "" {
		return
	}
	ctx.Defer(func(ctx app.Context) {
		tile := app.Window().Get("document").Call("querySelector", `.review-item[data-id="`+cssString(id)+`"]`)
		if tile.Truthy() {
			tile.Call("focus", map[string]any{"preventScroll": true})
		}
	})
}

func (p *ReviewerPage) step(ctx app.Context, d int) {
	if p.open < 0 || p.review == nil || len(p.review.Items) < 2 {
		return
	}
	n := len(p.review.Items)
	p.show(ctx, (p.open+d+n)%n)
}

func (p *ReviewerPage) onKey(ctx app.Context, key string, typing bool) {
	if p.open < 0 {
		ctx.PreventUpdate()
		return
	}
	switch {
	case key == "Escape" && p.annotating:
		p.annotating, p.drawing = false, false
		p.repaint(ctx)
	case key == "Escape" && p.replyTo != "":
		p.replyTo, p.replyText = "", ""
	case key == "Escape" && !typing:
		p.closeViewer(ctx)
	case (key == "ArrowLeft" || key == "ArrowRight") && !typing && p.shown().kind == "video" && p.player().Truthy():
		// On a video the arrows step frames; the buttons go to other items.
		if key == "ArrowLeft" {
			p.stepFrame(ctx, -1)
		} else {
			p.stepFrame(ctx, 1)
		}
	case key == "ArrowLeft" && !typing:
		p.step(ctx, -1)
	case key == "ArrowRight" && !typing:
		p.step(ctx, 1)
	default:
		ctx.PreventUpdate()
	}
}

func (p *ReviewerPage) pickVersion(ctx app.Context, e app.Event) {
	it, ok := p.item()
	if !ok {
		return
	}
	v := ctx.JSSrc().Get("value").String()
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

// Comments.

func (p *ReviewerPage) loadComments(ctx app.Context) {
	if p.review == nil || !p.review.EnableComments {
		return
	}
	key, id := p.key, p.shown().id
	p.async(ctx, func(app.Context) func(app.Context) {
		cs, err := api.PublicComments(key, id)
		return func(ctx app.Context) {
			if p.open < 0 || p.shown().id != id {
				return // the viewer moved on
			}
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if err != nil {
				p.listErr = sentence(err.Error())
				return
			}
			p.listErr = ""
			p.comments, p.commentsOf = cs, id
			if p.open >= 0 && p.shown().current {
				p.review.Items[p.open].CommentCount = len(cs)
			}
		}
	})
}

// startPoll fetches the open file's comments every 5 s, so a reviewer sees
// the others' as they come.
func (p *ReviewerPage) startPoll(ctx app.Context) {
	if p.pollStop != nil || p.review == nil || !p.review.EnableComments {
		return
	}
	stop := make(chan struct{})
	p.pollStop = stop
	c := ctx
	if p.mctx.Context != nil {
		c = p.mctx
	}
	c.Async(func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-c.Done():
				return
			case <-t.C:
				c.Dispatch(func(ctx app.Context) {
					if p.pollStop == stop && p.open >= 0 {
						p.loadComments(ctx)
					}
				})
			}
		}
	})
}

func (p *ReviewerPage) stopPoll() {
	if p.pollStop != nil {
		close(p.pollStop)
		p.pollStop = nil
	}
}

func (p *ReviewerPage) postComment(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text := strings.TrimSpace(p.text)
	if p.posting {
		return
	}
	if text == "" {
		p.postErr = "Write a comment first."
		if len(p.shapes) > 0 {
			p.postErr = "Say what your drawing points at."
		}
		return
	}
	s := p.shown()
	body := model.NewComment{Text: text}
	if isTimed(s.kind) && p.atTime {
		body.Timestamp = ptr(float64(frameAt(p.playerTime(), p.fps())))
	}
	if len(p.shapes) > 0 {
		w, h := p.dims(s)
		b, err := json.Marshal(model.Annotation{Width: float64(w), Height: float64(h), Shapes: p.shapes})
		if err == nil {
			body.Annotation = ptr(string(b))
		}
	}
	p.posting, p.postErr = true, ""
	p.submitComment(ctx, s.id, body, func(ctx app.Context, c model.Comment) {
		p.text = ""
		if in := app.Window().GetElementByID("comment-text"); in.Truthy() {
			in.Set("value", "")
		}
		p.shapes, p.annotating, p.drawing = nil, false, false
		p.selected = c.ID // its drawing stays on the picture
		p.repaint(ctx)
	})
}

func (p *ReviewerPage) postReply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text := strings.TrimSpace(p.replyText)
	if p.posting || p.replyTo == "" {
		return
	}
	if text == "" {
		p.postErr = "Write a reply first."
		return
	}
	p.posting, p.postErr = true, ""
	body := model.NewComment{Text: text, ParentID: p.replyTo}
	p.submitComment(ctx, p.shown().id, body, func(ctx app.Context, c model.Comment) {
		p.replyTo, p.replyText = "", ""
	})
}

func (p *ReviewerPage) submitComment(ctx app.Context, id string, body model.NewComment, done func(app.Context, model.Comment)) {
	key := p.key
	p.async(ctx, func(app.Context) func(app.Context) {
		c, err := api.PublicComment(key, id, body)
		return func(ctx app.Context) {
			p.posting = false
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if p.open < 0 || p.shown().id != id {
				return
			}
			if err != nil {
				p.postErr = sentence(err.Error())
				return
			}
			if p.commentsOf == id && !p.hasComment(c.ID) {
				p.comments = append(p.comments, c)
			}
			if p.shown().current {
				p.review.Items[p.open].CommentCount++
			}
			done(ctx, c)
		}
	})
}

func (p *ReviewerPage) hasComment(id string) bool {
	for _, c := range p.comments {
		if c.ID == id {
			return true
		}
	}
	return false
}

// selectComment shows a comment's drawing and goes to its time.
func (p *ReviewerPage) selectComment(ctx app.Context, c model.Comment) {
	if p.selected == c.ID && c.Timestamp == nil {
		p.selected = ""
		p.repaint(ctx)
		return
	}
	p.selected = c.ID
	if c.Timestamp != nil {
		p.seekFrame(int(int(*c.Timestamp)))
	}
	if c.Annotation != nil && p.annotating {
		p.annotating = false // the drawing in progress stays; the comment's shows
	}
	p.repaint(ctx)
}

// Approvals.

func (p *ReviewerPage) decide(ctx app.Context, status string) {
	it, ok := p.item()
	if !ok || p.deciding {
		return
	}
	if it.MyApproval == status {
		status = "" // pressing the chosen decision again takes it back
	}
	var verdict *string
	if status != "" {
		verdict = &status
	}
	p.deciding, p.decideErr = true, ""
	key, id, i := p.key, it.ID, p.open
	p.async(ctx, func(app.Context) func(app.Context) {
		err := api.SetApproval(key, id, verdict)
		return func(ctx app.Context) {
			p.deciding = false
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if p.review == nil || i >= len(p.review.Items) || p.review.Items[i].ID != id {
				return
			}
			if err != nil {
				p.decideErr = sentence(err.Error())
				return
			}
			item := &p.review.Items[i]
			item.MyApproval = status
			me := p.review.ReviewerName
			var rest []model.PublicReviewApproval
			for _, a := range item.Approvals {
				if !strings.EqualFold(a.ReviewerName, me) {
					rest = append(rest, a)
				}
			}
			if status != "" {
				rest = append(rest, model.PublicReviewApproval{ReviewerName: me, Status: status})
			}
			item.Approvals = rest
		}
	})
}

// The player.

func isTimed(kind string) bool { return kind == "video" || kind == "audio" }

func (p *ReviewerPage) player() app.Value {
	return app.Window().GetElementByID("review-media")
}

func (p *ReviewerPage) playerTime() float64 {
	if m := p.player(); m.Truthy() {
		return m.Get("currentTime").Float()
	}
	return p.curTime
}

func (p *ReviewerPage) seek(t float64) {
	if m := p.player(); m.Truthy() {
		m.Call("pause")
		m.Set("currentTime", t)
		p.curTime = t
	}
}

// fps is the frame rate of the file shown. Another version of an item
// has no rate of its own in the review: it is taken to be the item's.
func (p *ReviewerPage) fps() float64 {
	it, _ := p.item()
	return frameRate(it.FrameRate, it.FPS)
}

// clock writes a frame of the file shown: a timecode for a video, the
// time (m:ss) for audio.
func (p *ReviewerPage) clock(frame int) string {
	if p.shown().kind == "video" {
		return timecode(frame, p.fps())
	}
	s := int(float64(frame) / p.fps())
	if s >= 3600 {
		return strconv.Itoa(s/3600) + ":" + twoDigits((s/60)%60) + ":" + twoDigits(s%60)
	}
	return twoDigits(s/60) + ":" + twoDigits(s%60)
}

// seekFrame pauses on a frame, at its middle.
func (p *ReviewerPage) seekFrame(frame int) {
	p.seek(frameTime(max(0, frame), p.fps()))
}

// stepFrame pauses and goes d frames on, within the file.
func (p *ReviewerPage) stepFrame(ctx app.Context, d int) {
	m := p.player()
	if !m.Truthy() || p.annotating {
		return // a drawing in progress is of the frame shown
	}
	m.Call("pause")
	fps := p.fps()
	n := frameAt(m.Get("currentTime").Float(), fps) + d
	if dur := p.duration(); dur > 0 {
		n = min(n, max(0, int(math.Ceil(dur*fps))-1))
	}
	if it, _ := p.item(); it.Frames > 0 && p.shown().current {
		n = min(n, int(it.Frames)-1)
	}
	p.selected = ""
	p.seekFrame(max(0, n))
	p.repaint(ctx)
}

// duration is the length of the file shown, seconds: the player's once
// known, else the item's.
func (p *ReviewerPage) duration() float64 {
	if p.mediaDur > 0 && !math.IsInf(p.mediaDur, 0) && !math.IsNaN(p.mediaDur) {
		return p.mediaDur
	}
	if it, _ := p.item(); p.shown().current {
		return it.Duration
	}
	return 0
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Zoom and pan.

// dims is the size of the picture or video frame drawings are made on.
func (p *ReviewerPage) dims(s reviewShown) (int, int) {
	if s.width > 0 && s.height > 0 {
		return s.width, s.height
	}
	if p.natOf == s.id {
		return p.natW, p.natH
	}
	return 0, 0
}

func (p *ReviewerPage) natural(ctx app.Context, id string, w, h int) {
	if w > 0 && h > 0 && (p.natOf != id || p.natW != w || p.natH != h) {
		p.natOf, p.natW, p.natH = id, w, h
		p.repaint(ctx)
		return
	}
	ctx.PreventUpdate()
}

// zoomAt sets the zoom, keeping the point (x, y) of the window where it is.
func (p *ReviewerPage) zoomAt(z, x, y float64) {
	z = math.Max(reviewMinZoom, math.Min(reviewMaxZoom, z))
	fit := app.Window().GetElementByID("review-fit")
	if !fit.Truthy() {
		return
	}
	r := fit.Call("getBoundingClientRect")
	cx := r.Get("left").Float() + r.Get("width").Float()/2
	cy := r.Get("top").Float() + r.Get("height").Float()/2
	if math.IsNaN(x) {
		x, y = cx, cy
	}
	old := p.zoom
	k := 1 - z/old
	p.tx += (x - cx) * k
	p.ty += (y - cy) * k
	p.zoom = z
	p.clampPan(r.Get("width").Float()/old, r.Get("height").Float()/old)
}

// clampPan keeps some of the picture in the middle of the stage.
func (p *ReviewerPage) clampPan(w, h float64) {
	if p.zoom <= 1.001 {
		p.zoom, p.tx, p.ty = 1, 0, 0
		return
	}
	mx, my := w*p.zoom/2, h*p.zoom/2
	p.tx = math.Max(-mx, math.Min(mx, p.tx))
	p.ty = math.Max(-my, math.Min(my, p.ty))
}

func (p *ReviewerPage) zoomButton(d float64) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if d == 0 {
			p.zoom, p.tx, p.ty = 1, 0, 0
			return
		}
		p.zoomAt(p.zoom*d, math.NaN(), math.NaN())
	}
}

func (p *ReviewerPage) onWheel(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	dy := e.Get("deltaY").Float()
	if e.Get("deltaMode").Int() == 1 {
		dy *= 16 // lines
	}
	p.zoomAt(p.zoom*math.Exp(-dy*0.0015), e.Get("clientX").Float(), e.Get("clientY").Float())
}

func (p *ReviewerPage) onDoubleClick(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" || p.annotating {
		ctx.PreventUpdate()
		return
	}
	if p.zoom > 1 {
		p.zoom, p.tx, p.ty = 1, 0, 0
		return
	}
	p.zoomAt(2.5, e.Get("clientX").Float(), e.Get("clientY").Float())
}

func pointerXY(e app.Event) [2]float64 {
	return [2]float64{e.Get("clientX").Float(), e.Get("clientY").Float()}
}

func (p *ReviewerPage) onPointerDown(ctx app.Context, e app.Event) {
	if p.shown().kind != "image" || p.annotating || e.Get("button").Int() != 0 {
		ctx.PreventUpdate()
		return
	}
	if p.pointers == nil {
		p.pointers = map[int][2]float64{}
	}
	p.pointers[e.Get("pointerId").Int()] = pointerXY(e)
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	p.gestureStart()
	ctx.PreventUpdate()
}

// gestureStart remembers where a drag or a pinch starts from.
func (p *ReviewerPage) gestureStart() {
	pts := p.points()
	switch len(pts) {
	case 1:
		p.gesture = pts[0]
	case 2:
		p.gesture = [2]float64{math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1]), 0}
	}
}

func (p *ReviewerPage) points() [][2]float64 {
	var out [][2]float64
	for _, pt := range p.pointers {
		out = append(out, pt)
	}
	return out
}

func (p *ReviewerPage) onPointerMove(ctx app.Context, e app.Event) {
	id := e.Get("pointerId").Int()
	if _, ok := p.pointers[id]; !ok {
		ctx.PreventUpdate()
		return
	}
	p.pointers[id] = pointerXY(e)
	pts := p.points()
	switch len(pts) {
	case 1:
		if p.zoom <= 1 {
			ctx.PreventUpdate()
			return
		}
		p.tx += pts[0][0] - p.gesture[0]
		p.ty += pts[0][1] - p.gesture[1]
		p.gesture = pts[0]
		if fit := app.Window().GetElementByID("review-fit"); fit.Truthy() {
			r := fit.Call("getBoundingClientRect")
			p.clampPan(r.Get("width").Float()/p.zoom, r.Get("height").Float()/p.zoom)
		}
	case 2:
		d := math.Hypot(pts[0][0]-pts[1][0], pts[0][1]-pts[1][1])
		if p.gesture[0] > 0 {
			p.zoomAt(p.zoom*d/p.gesture[0], (pts[0][0]+pts[1][0])/2, (pts[0][1]+pts[1][1])/2)
		}
		p.gesture[0] = d
	default:
		ctx.PreventUpdate()
	}
}

func (p *ReviewerPage) onPointerUp(ctx app.Context, e app.Event) {
	delete(p.pointers, e.Get("pointerId").Int())
	p.gestureStart()
	ctx.PreventUpdate()
}

// Drawing.

func (p *ReviewerPage) toggleAnnotate(ctx app.Context, e app.Event) {
	p.annotating = !p.annotating
	p.drawing = false
	if p.annotating {
		p.selected = "" // the canvas shows the new drawing, not a comment's
		p.pointers = nil
		if m := p.player(); m.Truthy() {
			m.Call("pause")
			p.curTime = m.Get("currentTime").Float()
			p.atTime = true // the drawing is of this frame
		}
		// On a phone the composer is below the picture: bring the picture back.
		if v := app.Window().GetElementByID("review-viewer"); v.Truthy() && v.Get("scrollTop").Float() > 0 {
			v.Call("scrollTo", map[string]any{"top": 0, "behavior": "smooth"})
		}
	}
	p.repaint(ctx)
}

// canvasPoint turns a pointer's position into the drawing's coordinates.
func (p *ReviewerPage) canvasPoint(ctx app.Context, e app.Event) ([2]float64, bool) {
	w, h := p.dims(p.shown())
	if w == 0 {
		return [2]float64{}, false
	}
	r := ctx.JSSrc().Call("getBoundingClientRect")
	rw, rh := r.Get("width").Float(), r.Get("height").Float()
	if rw <= 0 || rh <= 0 {
		return [2]float64{}, false
	}
	x := (e.Get("clientX").Float() - r.Get("left").Float()) / rw * float64(w)
	y := (e.Get("clientY").Float() - r.Get("top").Float()) / rh * float64(h)
	x = math.Max(0, math.Min(float64(w), x))
	y = math.Max(0, math.Min(float64(h), y))
	return [2]float64{math.Round(x*10) / 10, math.Round(y*10) / 10}, true
}

func (p *ReviewerPage) drawStart(ctx app.Context, e app.Event) {
	pt, ok := p.canvasPoint(ctx, e)
	if !p.annotating || !ok {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	p.drawing = true
	p.shapes = append(p.shapes, model.AnnotationShape{Type: "path", Color: p.color, Points: [][2]float64{pt}})
	p.paint()
	ctx.PreventUpdate()
}

func (p *ReviewerPage) drawMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if !p.drawing || len(p.shapes) == 0 {
		return
	}
	pt, ok := p.canvasPoint(ctx, e)
	if !ok {
		return
	}
	s := &p.shapes[len(p.shapes)-1]
	last := s.Points[len(s.Points)-1]
	if math.Hypot(pt[0]-last[0], pt[1]-last[1]) < 1 {
		return
	}
	s.Points = append(s.Points, pt)
	p.paint()
}

func (p *ReviewerPage) drawEnd(ctx app.Context, e app.Event) {
	if !p.drawing {
		ctx.PreventUpdate()
		return
	}
	p.drawing = false
	if n := len(p.shapes); n > 0 && len(p.shapes[n-1].Points) == 1 {
		// A tap is a dot.
		pt := p.shapes[n-1].Points[0]
		p.shapes[n-1].Points = append(p.shapes[n-1].Points, [2]float64{pt[0] + 0.1, pt[1] + 0.1})
	}
	p.paint()
	// The composer shows how many strokes there are: it needs a render.
}

func (p *ReviewerPage) undo(ctx app.Context, e app.Event) {
	if len(p.shapes) > 0 {
		p.shapes = p.shapes[:len(p.shapes)-1]
	}
	p.repaint(ctx)
}

func (p *ReviewerPage) clearDrawing(ctx app.Context, e app.Event) {
	p.shapes = nil
	p.repaint(ctx)
}

// overlay is the drawing on the picture: the one being made, else the
// selected comment's.
func (p *ReviewerPage) overlay() *model.Annotation {
	s := p.shown()
	if p.annotating || (p.selected == "" && len(p.shapes) > 0) {
		w, h := p.dims(s)
		if w == 0 || len(p.shapes) == 0 {
			return nil
		}
		return &model.Annotation{Width: float64(w), Height: float64(h), Shapes: p.shapes}
	}
	for _, c := range p.comments {
		if c.ID == p.selected && c.Annotation != nil {
			a, err := annotation.Parse(*c.Annotation)
			w, h := p.dims(s)
			if a.Frameio != nil && (w == 0 || h == 0) {
				return nil // fractions of a frame whose size is not known yet
			}
			if d := a.Doc(float64(w), float64(h)); err == nil && d.Width > 0 && d.Height > 0 {
				return &d
			}
		}
	}
	return nil
}

// repaint draws the overlay once the coming render has put the canvas in place.
func (p *ReviewerPage) repaint(ctx app.Context) {
	if ctx.Context == nil {
		return
	}
	ctx.Defer(func(ctx app.Context) { p.paint() })
}

// paint draws the overlay on the canvas.
func (p *ReviewerPage) paint() {
	if !app.IsClient {
		return
	}
	c := app.Window().GetElementByID("review-canvas")
	if !c.Truthy() {
		return
	}
	g := c.Call("getContext", "2d")
	cw, ch := c.Get("width").Float(), c.Get("height").Float()
	g.Call("setTransform", 1, 0, 0, 1, 0, 0)
	g.Call("clearRect", 0, 0, cw, ch)
	d := p.overlay()
	if d == nil {
		return
	}
	g.Call("setTransform", cw/d.Width, 0, 0, ch/d.Height, 0, 0)
	lw := math.Max(d.Width, d.Height) / 220
	g.Set("lineJoin", "round")
	g.Set("lineCap", "round")
	for _, pass := range []int{0, 1} {
		for _, s := range d.Shapes {
			if len(s.Points) == 0 {
				continue
			}
			// A dark halo first, so any colour reads on any picture.
			if pass == 0 {
				g.Set("strokeStyle", "rgba(0,0,0,0.35)")
				g.Set("lineWidth", lw*1.9)
			} else {
				g.Set("strokeStyle", cmp.Or(s.Color, reviewColors[0]))
				g.Set("lineWidth", lw)
			}
			g.Call("beginPath")
			paintShape(g, s, lw)
			g.Call("stroke")
		}
	}
}

func paintShape(g app.Value, s model.AnnotationShape, lw float64) {
	pts := s.Points
	switch {
	case s.Type == "rect" && len(pts) >= 2:
		g.Call("rect", pts[0][0], pts[0][1], pts[len(pts)-1][0]-pts[0][0], pts[len(pts)-1][1]-pts[0][1])
	case s.Type == "arrow" && len(pts) >= 2:
		a, b := pts[0], pts[len(pts)-1]
		g.Call("moveTo", a[0], a[1])
		g.Call("lineTo", b[0], b[1])
		ang := math.Atan2(b[1]-a[1], b[0]-a[0])
		head := lw * 5
		for _, da := range []float64{-0.45, 0.45} {
			g.Call("moveTo", b[0], b[1])
			g.Call("lineTo", b[0]-head*math.Cos(ang+da), b[1]-head*math.Sin(ang+da))
		}
	default:
		g.Call("moveTo", pts[0][0], pts[0][1])
		for _, pt := range pts[1:] {
			g.Call("lineTo", pt[0], pt[1])
		}
	}
}

// Rendering.

func (p *ReviewerPage) Render() app.UI {
	var body app.UI
	r := p.review
	switch {
	case p.closedT != "":
		body = p.renderClosed()
	case r == nil:
		body = app.Div().Class("gal-loading").Body(app.Div().Class("spinner"), app.Span().Class("sr-only").Text("Loading…"))
	case r.NeedsPassword:
		body = p.renderPassword()
	case r.ReviewerName == "" || p.renaming:
		body = p.renderName()
	default:
		body = p.renderItems()
	}
	site := "Ferry"
	if r != nil && r.SiteName != "" {
		site = r.SiteName
	}
	_, viewing := p.item()
	viewing = viewing && p.closedT == "" && r != nil && !r.NeedsPassword && r.ReviewerName != "" && !p.renaming
	top := app.Header().Class("pub-top gal-top").Body(logo(), app.Span().Text(site))
	main := app.Main().Class("gal-main rv-main").Body(body)
	if viewing {
		top, main = top.Attr("inert", "inert"), main.Attr("inert", "inert")
	}
	// Ready once the link has answered: with the review, or why it is closed.
	return app.Div().Class("pub gal rv").DataSet("state", pageState(r != nil || p.closedT != "", "")).Body(
		top,
		main,
		app.If(viewing, p.renderViewer),
		appReady(p.ready),
	)
}

func (p *ReviewerPage) renderClosed() app.UI {
	iconName := "review"
	if p.closedID == "review-closed" && !p.failed {
		iconName = "lock"
	}
	return app.Div().Class("pub-closed gal-closed").ID(p.closedID).Body(
		app.Div().Class("pub-closed-icon").Body(galleryIcon(iconName)),
		app.H1().Text(p.closedT),
		app.P().Class("muted").Text(p.closed),
		app.If(p.failed, func() app.UI {
			return app.Div().Class("gal-closed-actions").Body(button("Try again", "secondary", p.retry))
		}),
	)
}

func (p *ReviewerPage) renderPassword() app.UI {
	r := p.review
	label := "Continue"
	if p.busy {
		label = "Checking…"
	}
	text := "This review is protected with a password. Enter it to continue."
	if r.OwnerName != "" {
		text = r.OwnerName + " protected this review with a password. Enter it to continue."
	}
	return app.Div().Class("pub-card gal-lockcard").Body(
		app.Div().Class("gal-lock").Body(galleryIcon("lock")),
		app.H1().Text(reviewName(r)),
		app.P().Class("muted").Text(text),
		app.Form().Class("gal-password").ID("review-password-form").OnSubmit(p.unlock).Body(
			app.Label().For("review-password").Class("field-label").Text("Password"),
			app.Input().Type("password").ID("review-password").Name("password").
				Attr("autocomplete", "current-password").Required(true).AutoFocus(true).
				Value(p.password).OnInput(p.ValueTo(&p.password)),
			errorBox(p.err),
			app.Button().Type("submit").ID("review-password-submit").Class("btn btn-primary btn-block").Disabled(p.busy).Text(label),
		),
		app.If(r.ExpiresAt != nil, func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text("Open until " + galleryDate(*r.ExpiresAt))
		}),
	)
}

func (p *ReviewerPage) renderName() app.UI {
	r := p.review
	label := "Start reviewing"
	if p.renaming {
		label = "Save name"
	}
	if p.busy {
		label = "Saving…"
	}
	who := cmp.Or(r.OwnerName, "The sender")
	asks := who + " asks for your feedback on " + plural(len(r.Items), "item", "items") + "."
	var can []string
	if r.AllowApprovals {
		can = append(can, "approve each one or ask for changes")
	}
	if r.EnableComments {
		can = append(can, "comment on them")
	}
	if len(can) > 0 {
		asks += " You can " + strings.Join(can, " and ") + "."
	}
	value := p.name
	if p.renaming && value == "" {
		value = r.ReviewerName
	}
	return app.Div().Class("pub-card gal-lockcard rv-namecard").Body(
		app.Div().Class("gal-lock").Body(icon("review")),
		app.P().Class("pub-eyebrow").Text("Review"),
		app.H1().Text(reviewName(r)),
		app.P().Class("muted").Text(asks),
		app.Form().Class("gal-password").ID("reviewer-name-form").OnSubmit(p.saveName).Body(
			app.Label().For("reviewer-name").Class("field-label").Text("Your name"),
			app.Input().Type("text").ID("reviewer-name").Name("name").Attr("autocomplete", "name").
				Attr("maxlength", "80").Placeholder("e.g. Jane Cooper").Required(true).AutoFocus(true).
				Value(value).OnInput(p.ValueTo(&p.name)),
			app.P().Class("field-hint").Text("Shown beside your comments and decisions."),
			errorBox(p.err),
			app.Button().Type("submit").ID("reviewer-name-submit").Class("btn btn-primary btn-block").Disabled(p.busy).Text(label),
			app.If(p.renaming, func() app.UI {
				return app.Button().Type("button").Class("btn btn-ghost rv-cancel").Text("Cancel").
					OnClick(func(ctx app.Context, e app.Event) { p.renaming, p.err, p.name = false, "", "" })
			}),
		),
		app.If(r.ExpiresAt != nil, func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text("Open until " + galleryDate(*r.ExpiresAt))
		}),
	)
}

func (p *ReviewerPage) renderItems() app.UI {
	r := p.review
	decided := 0
	for _, it := range r.Items {
		if it.MyApproval != "" {
			decided++
		}
	}
	var facts []app.UI
	if r.OwnerName != "" {
		facts = append(facts, app.Span().Class("gal-fact gal-owner").Body(
			app.Span().Class("avatar sm").Text(initials(r.OwnerName)),
			app.Span().Text("From "+r.OwnerName),
		))
	}
	if r.ExpiresAt != nil {
		facts = append(facts, app.Span().Class("gal-fact").Body(galleryIcon("clock"), app.Span().Text("Open until "+galleryDate(*r.ExpiresAt))))
	}
	facts = append(facts, app.Span().Class("gal-fact").Body(galleryIcon("image"), app.Span().Text(plural(len(r.Items), "item", "items"))))
	facts = append(facts, app.Span().Class("gal-fact rv-me").Body(
		app.Span().Class("avatar sm rv-avatar-me").Text(initials(r.ReviewerName)),
		app.Span().ID("reviewer-as").Text("Reviewing as "+r.ReviewerName),
		app.Button().Type("button").ID("reviewer-rename").Class("rv-link").Text("Change").
			OnClick(func(ctx app.Context, e app.Event) { p.renaming, p.err, p.name = true, "", r.ReviewerName }),
	))
	return app.Div().Class("gal-page").Body(
		app.Header().Class("gal-head").Body(
			app.Div().Class("gal-head-text").Body(
				app.P().Class("pub-eyebrow gal-eyebrow").Body(icon("review"), app.Span().Text("Review")),
				app.H1().ID("review-title").TabIndex(-1).Text(reviewName(r)),
				app.Div().Class("gal-facts").Body(facts...),
			),
			app.If(r.AllowApprovals && len(r.Items) > 0, func() app.UI {
				pct := 100 * float64(decided) / float64(len(r.Items))
				return app.Div().Class("rv-progress").Body(
					app.Div().Class("rv-progress-text").Body(
						app.Strong().Text(strconv.Itoa(decided)+" of "+strconv.Itoa(len(r.Items))),
						app.Span().Class("muted").Text(" decided"),
					),
					progressBar(pct),
				)
			}),
		),
		app.If(len(r.Items) == 0, func() app.UI {
			return app.Div().Class("card gal-empty").Body(emptyState("review", "Nothing to review yet", "The items of this review were removed, or none have been added yet.", nil))
		}).Else(func() app.UI {
			return app.Div().Class("gallery-grid rv-grid").Body(
				app.Range(r.Items).Slice(func(i int) app.UI { return p.renderTile(i) }),
			)
		}),
	)
}

func (p *ReviewerPage) renderTile(i int) app.UI {
	it := p.review.Items[i]
	var media app.UI
	if it.ThumbURL != "" {
		media = app.Img().Class("gallery-thumb").Src(attrText(it.ThumbURL)).Alt(attrText(it.Name)).Loading("lazy").Attr("decoding", "async").Draggable(false)
	} else {
		media = app.Div().Class("gallery-file").Body(
			galleryIcon(reviewKindIcon(it.Kind)),
			app.Span().Class("gallery-ext").Text(galleryExt(it.Name, it.Filetype)),
		)
	}
	sub := galleryExt(it.Name, it.Filetype) + " · " + humanBytes(it.Filesize)
	return app.A().Class("gallery-tile review-item is-"+reviewKindIcon(it.Kind)).DataSet("id", attrText(it.ID)).
		DataSet("approval", it.MyApproval).Href("#"+attrText(it.ID)).Title(attrText(it.Name)).
		OnClick(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			e.StopImmediatePropagation() // go-app would follow the href
			p.show(ctx, i)
		}).
		Body(
			app.Div().Class("gallery-media").Body(
				media,
				app.If(it.Kind == "video" || it.Kind == "audio", func() app.UI {
					return app.Span().Class("rv-play").Body(icon("play"))
				}),
				app.If(len(it.Versions) > 1, func() app.UI {
					return app.Span().Class("rv-tile-version").Text("V" + strconv.Itoa(len(it.Versions)))
				}),
				app.If(it.MyApproval != "", func() app.UI { return reviewStatusBadge(it.MyApproval, "rv-tile-status") }),
			),
			app.Div().Class("gallery-caption rv-caption").Body(
				app.Div().Class("rv-caption-text").Body(
					app.Span().Class("gallery-name").Text(it.Name),
					app.Span().Class("gallery-sub").Text(sub),
				),
				app.If(it.CommentCount > 0, func() app.UI {
					return app.Span().Class("rv-count").Attr("title", plural(it.CommentCount, "comment", "comments")).Body(
						icon("review"), app.Span().Text(strconv.Itoa(it.CommentCount)),
					)
				}),
			),
		)
}

func reviewKindIcon(kind string) string {
	switch kind {
	case "image", "video", "audio", "pdf":
		return kind
	}
	return "file"
}

var reviewStatusText = map[string]string{"approved": "Approved", "needs_changes": "Needs changes", "rejected": "Rejected"}

func reviewStatusBadge(status, cls string) app.UI {
	return app.Span().Class("rv-status rv-status-"+status+" "+cls).Body(
		reviewStatusIcon(status), app.Span().Text(cmp.Or(reviewStatusText[status], status)),
	)
}

func reviewStatusIcon(status string) app.UI {
	switch status {
	case "approved":
		return icon("check")
	case "needs_changes":
		return icon("edit")
	}
	return icon("x")
}

// The viewer.

func (p *ReviewerPage) renderViewer() app.UI {
	it, _ := p.item()
	s := p.shown()
	n := len(p.review.Items)
	return app.Div().ID("review-viewer").Class("sv rv-viewer").Attr("role", "dialog").Attr("aria-modal", "true").
		Attr("aria-label", attrText(s.name)).DataSet("id", attrText(s.id)).Body(
		app.Div().Class("rv-stage").Body(
			app.Div().Class("rv-bar").Body(
				app.Button().Type("button").ID("review-viewer-close").Class("sv-btn").Attr("aria-label", "Back to all items (Esc)").Title("Back to all items (Esc)").
					OnClick(func(ctx app.Context, e app.Event) { p.closeViewer(ctx) }).Body(galleryIcon("chevron-left")),
				app.Div().Class("rv-bar-title").Body(
					app.Span().Class("sv-title").Text(s.name),
					app.Span().Class("sv-count").Text(strconv.Itoa(p.open+1)+" of "+strconv.Itoa(n)),
				),
				p.renderVersions(it, s),
				app.If(s.download != "", func() app.UI {
					return app.A().ID("review-download").Class("sv-btn rv-download").Href(attrText(s.download)).Download(attrText(s.name)).
						Attr("aria-label", "Download").Title("Download the original").Body(icon("download"))
				}),
				app.If(n > 1, func() app.UI {
					return app.Div().Class("rv-steps").Body(
						app.Button().Type("button").ID("review-prev").Class("sv-btn").Attr("aria-label", "Previous (←)").Title("Previous (←)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, -1) }).Body(galleryIcon("chevron-left")),
						app.Button().Type("button").ID("review-next").Class("sv-btn").Attr("aria-label", "Next (→)").Title("Next (→)").
							OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, 1) }).Body(galleryIcon("chevron-right")),
					)
				}),
			),
			p.renderStage(s),
			p.renderTransport(s),
			p.renderTools(s),
		),
		p.renderPanel(it, s),
	)
}

func (p *ReviewerPage) renderVersions(it model.PublicReviewItem, s reviewShown) app.UI {
	if len(it.Versions) < 2 {
		return nil
	}
	return app.Label().Class("rv-version").Body(
		app.Span().Class("sr-only").Text("Version"),
		app.Select().ID("version-select").OnChange(p.pickVersion).Body(
			app.Range(it.Versions).Slice(func(i int) app.UI {
				v := it.Versions[i]
				label := "V" + strconv.Itoa(cmp.Or(v.Index, len(it.Versions)-i))
				if i == 0 {
					label += " · newest"
				}
				return app.Option().Value(attrText(v.ID)).Selected(v.ID == s.id).Text(label)
			}),
		),
	)
}

func (p *ReviewerPage) renderStage(s reviewShown) app.UI {
	switch s.kind {
	case "image":
		src := cmp.Or(s.large, s.preview, s.media)
		if p.lowFailed == src && s.media != "" {
			src = s.media
		}
		if src == "" {
			break
		}
		return p.renderFit(s,
			app.Img().ID("review-img").Class("rv-img").Src(attrText(src)).Alt(attrText(s.name)).Draggable(false).
				OnLoad(func(ctx app.Context, e app.Event) {
					p.natural(ctx, s.id, ctx.JSSrc().Get("naturalWidth").Int(), ctx.JSSrc().Get("naturalHeight").Int())
				}).
				On("error", func(ctx app.Context, e app.Event) {
					if src != s.media {
						p.lowFailed = src // no rendition of this version: the original
					}
				}),
			// The original, for the close-up, once zoomed in.
			app.If(p.zoom > 1.3 && s.media != "" && src != s.media && browserImage(s.filetype), func() app.UI {
				cls := "rv-img rv-img-hi"
				if p.hiLoaded == s.media {
					cls += " is-loaded"
				}
				return decorativeImg().Class(cls).Src(attrText(s.media)).Draggable(false).
					OnLoad(func(ctx app.Context, e app.Event) { p.hiLoaded = s.media })
			}),
		)
	case "video":
		return p.renderFit(s,
			app.Video().ID("review-media").Class("rv-video").Src(attrText(s.media)).Poster(attrText(s.preview)).
				Controls(!p.annotating).Attr("playsinline", true).Attr("preload", "metadata").
				On("loadedmetadata", func(ctx app.Context, e app.Event) {
					p.natural(ctx, s.id, ctx.JSSrc().Get("videoWidth").Int(), ctx.JSSrc().Get("videoHeight").Int())
				}).
				On("timeupdate", p.onTime).
				On("seeked", p.onTime).
				On("durationchange", p.onTime).
				On("play", func(ctx app.Context, e app.Event) {
					if p.selected != "" {
						p.selected = "" // the drawing was of the paused frame
						p.repaint(ctx)
					}
				}),
		)
	case "audio":
		return app.Div().Class("rv-area").Body(
			app.Div().Class("rv-audio").Body(
				app.Div().Class("sv-file-icon is-audio").Body(galleryIcon("audio"), app.Span().Class("gallery-ext").Text(galleryExt(s.name, s.filetype))),
				app.Audio().ID("review-media").Class("rv-audio-player").Src(attrText(s.media)).Controls(true).Attr("preload", "metadata").
					On("timeupdate", p.onTime).On("seeked", p.onTime),
			),
		)
	case "pdf":
		return app.Div().Class("rv-area rv-area-pdf").Body(
			app.IFrame().ID("review-pdf").Class("rv-pdf").Src(attrText(s.media)).Title(attrText(s.name)),
		)
	}
	msg := "No preview for this file."
	if s.download != "" {
		msg = "No preview for this file. Download it to open it."
	}
	return app.Div().Class("rv-area").Body(
		app.Div().Class("sv-file "+galleryFileClass(s.filetype)).Body(
			app.Div().Class("sv-file-icon").Body(galleryIcon(galleryFileIcon(s.filetype)), app.Span().Class("gallery-ext").Text(galleryExt(s.name, s.filetype))),
			app.P().Text(msg),
		),
	)
}

// drawTarget names what a drawing is made on.
func drawTarget(kind string) string {
	if kind == "video" {
		return "frame"
	}
	return "picture"
}

func browserImage(filetype string) bool {
	switch filetype {
	case "image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "image/svg+xml":
		return true
	}
	return false
}

func (p *ReviewerPage) onTime(ctx app.Context, e app.Event) {
	t := ctx.JSSrc().Get("currentTime").Float()
	fps := p.fps()
	changed := frameAt(t, fps) != frameAt(p.curTime, fps)
	p.curTime = t
	if d := ctx.JSSrc().Get("duration"); d.Truthy() && d.Float() != p.mediaDur {
		p.mediaDur, changed = d.Float(), true
	}
	if !changed {
		ctx.PreventUpdate() // the timecode shows frames
	}
}

// renderTransport is under a video: the timeline with a marker at each
// timed comment, then a frame back, the timecode and a frame on.
func (p *ReviewerPage) renderTransport(s reviewShown) app.UI {
	if s.kind != "video" {
		return nil
	}
	fps := p.fps()
	frame := frameAt(p.curTime, fps)
	dur := p.duration()
	type mark struct {
		c   model.Comment
		pos float64
	}
	var marks []mark
	if dur > 0 && p.commentsOf == s.id {
		for _, c := range p.comments {
			if c.Timestamp != nil && (c.ParentID == nil || *c.ParentID == "") {
				marks = append(marks, mark{c, math.Min(100, math.Max(0, frameTime(int(*c.Timestamp), fps)/dur*100))})
			}
		}
	}
	played := 0.0
	if dur > 0 {
		played = math.Min(100, p.curTime/dur*100)
	}
	return app.Div().Class("rv-transport").Body(
		app.Div().ID("review-timeline").Class("rv-timeline").Title("Comments on the timeline").
			OnClick(func(ctx app.Context, e app.Event) {
				r := ctx.JSSrc().Call("getBoundingClientRect")
				if w := r.Get("width").Float(); w > 0 && dur > 0 {
					x := (e.Get("clientX").Float() - r.Get("left").Float()) / w
					p.selected = ""
					p.seekFrame(frameAt(math.Max(0, math.Min(1, x))*dur, fps))
					p.repaint(ctx)
				}
			}).Body(
			app.Div().Class("rv-timeline-played").Style("width", strconv.FormatFloat(played, 'f', 2, 64)+"%"),
			app.Range(marks).Slice(func(i int) app.UI {
				m := marks[i]
				cls := "rv-marker"
				if m.c.ID == p.selected {
					cls += " on"
				}
				label := timecode(int(*m.c.Timestamp), fps) + " · " + cmp.Or(m.c.AuthorName, "Someone") + ": " + m.c.Text
				return app.Button().Type("button").Class(cls).DataSet("id", attrText(m.c.ID)).DataSet("frame", int(*m.c.Timestamp)).
					Style("left", strconv.FormatFloat(m.pos, 'f', 3, 64)+"%").Attr("aria-label", label).Title(label).
					OnClick(func(ctx app.Context, e app.Event) {
						e.StopImmediatePropagation()
						p.selectComment(ctx, m.c)
					})
			}),
		),
		app.Div().Class("rv-transport-row").Body(
			app.Button().Type("button").ID("frame-prev").Class("rv-tool rv-tool-icon").Attr("aria-label", "Previous frame (←)").Title("Previous frame (←)").Disabled(p.annotating).
				OnClick(func(ctx app.Context, e app.Event) { p.stepFrame(ctx, -1) }).Body(galleryIcon("chevron-left")),
			app.Span().ID("review-timecode").Class("rv-timecode").Attr("aria-live", "off").DataSet("frame", frame).
				Title(app.FormatString("Frame %d at %s fps (non-drop-frame timecode)", frame, strconv.FormatFloat(fps, 'f', -1, 64))).
				Text(timecode(frame, fps)),
			app.Button().Type("button").ID("frame-next").Class("rv-tool rv-tool-icon").Attr("aria-label", "Next frame (→)").Title("Next frame (→)").Disabled(p.annotating).
				OnClick(func(ctx app.Context, e app.Event) { p.stepFrame(ctx, 1) }).Body(galleryIcon("chevron-right")),
		),
	)
}

// renderFit puts media in a box of the picture's proportions that fits the
// stage, with the drawing canvas over it; zoom and pan move the box.
func (p *ReviewerPage) renderFit(s reviewShown, media ...app.UI) app.UI {
	w, h := p.dims(s)
	fit := app.Div().ID("review-fit").Class("rv-fit")
	if w > 0 && h > 0 {
		ratio := strconv.FormatFloat(float64(w)/float64(h), 'f', 5, 64)
		fit = fit.Style("aspect-ratio", strconv.Itoa(w)+" / "+strconv.Itoa(h)).
			Style("width", "min(100cqw, calc(100cqh * "+ratio+"))")
	} else {
		fit = fit.Class("rv-fit-free")
	}
	if p.zoom != 1 || p.tx != 0 || p.ty != 0 {
		fit = fit.Style("transform", "translate("+px(p.tx)+", "+px(p.ty)+") scale("+strconv.FormatFloat(p.zoom, 'f', 4, 64)+")")
	}
	cls := "rv-area"
	switch {
	case p.annotating:
		cls += " is-drawing"
	case p.zoom > 1:
		cls += " is-zoomed"
	}
	cw, ch := reviewCanvasSize(w, h)
	canvasCls := "rv-canvas"
	if p.annotating {
		canvasCls += " is-active"
	}
	body := append(media, app.If(cw > 0, func() app.UI {
		return app.Canvas().ID("review-canvas").Class(canvasCls).Width(cw).Height(ch).
			On("pointerdown", p.drawStart).
			On("pointermove", p.drawMove).
			On("pointerup", p.drawEnd).
			On("pointercancel", p.drawEnd)
	}))
	return app.Div().Class(cls).
		On("wheel", p.onWheel).
		On("dblclick", p.onDoubleClick).
		On("pointerdown", p.onPointerDown).
		On("pointermove", p.onPointerMove).
		On("pointerup", p.onPointerUp).
		On("pointercancel", p.onPointerUp).
		Body(fit.Body(body...))
}

// reviewCanvasSize is the canvas's own resolution: the picture's, at most
// 1600 px on the long side.
func reviewCanvasSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	k := math.Min(1, 1600/float64(max(w, h)))
	return max(1, int(float64(w)*k)), max(1, int(float64(h)*k))
}

func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "px" }

// renderTools is the zoom controls of a picture, and the pen's while drawing.
func (p *ReviewerPage) renderTools(s reviewShown) app.UI {
	if p.annotating {
		return app.Div().Class("rv-tools rv-pen").Body(
			app.Span().Class("rv-tools-hint").Text("Draw on the "+drawTarget(s.kind)),
			app.Div().Class("rv-swatches").Attr("role", "radiogroup").Attr("aria-label", "Colour").Body(
				app.Range(reviewColors).Slice(func(i int) app.UI {
					c := reviewColors[i]
					cls := "rv-swatch"
					if c == p.color {
						cls += " on"
					}
					return app.Button().Type("button").Class(cls).Style("--swatch", c).Attr("role", "radio").
						Attr("aria-checked", strconv.FormatBool(c == p.color)).Attr("aria-label", "Colour "+c).
						OnClick(func(ctx app.Context, e app.Event) { p.color = c })
				}),
			),
			app.Button().Type("button").ID("annotate-undo").Class("rv-tool").Disabled(len(p.shapes) == 0).Text("Undo").OnClick(p.undo),
			app.Button().Type("button").ID("annotate-clear").Class("rv-tool").Disabled(len(p.shapes) == 0).Text("Clear").OnClick(p.clearDrawing),
			app.Button().Type("button").ID("annotate-done").Class("rv-tool rv-tool-done").Text("Done").OnClick(p.toggleAnnotate),
		)
	}
	if s.kind != "image" {
		return nil
	}
	return app.Div().Class("rv-tools rv-zoom").Body(
		app.Button().Type("button").ID("zoom-out").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom out").Title("Zoom out").
			Disabled(p.zoom <= reviewMinZoom).OnClick(p.zoomButton(1/1.5)).Body(app.Span().Text("−")),
		app.Button().Type("button").ID("zoom-reset").Class("rv-tool rv-zoom-level").Title("Fit to the screen").
			OnClick(p.zoomButton(0)).Text(strconv.Itoa(int(math.Round(p.zoom*100)))+"%"),
		app.Button().Type("button").ID("zoom-in").Class("rv-tool rv-tool-icon").Attr("aria-label", "Zoom in").Title("Zoom in").
			Disabled(p.zoom >= reviewMaxZoom).OnClick(p.zoomButton(1.5)).Body(app.Span().Text("+")),
	)
}

func (p *ReviewerPage) renderPanel(it model.PublicReviewItem, s reviewShown) app.UI {
	r := p.review
	info := galleryExt(s.name, s.filetype)
	if s.versions > 1 && s.index > 0 {
		info = "Version " + strconv.Itoa(s.index) + " of " + strconv.Itoa(s.versions) + " · " + info
	}
	if s.current {
		info += " · " + humanBytes(it.Filesize)
		if it.Width > 0 && it.Height > 0 {
			info += " · " + strconv.Itoa(it.Width) + " × " + strconv.Itoa(it.Height)
		}
	}
	return app.Aside().Class("rv-panel").Body(
		app.Div().Class("rv-panel-head").Body(
			app.H2().Class("sv-name").Text(s.name),
			app.P().Class("muted small").Text(info),
		),
		app.If(r.AllowApprovals, func() app.UI { return p.renderDecision(it, s) }),
		app.If(r.EnableComments, func() app.UI { return p.renderComments(s) }).Else(func() app.UI {
			return app.P().Class("rv-note muted small").Text("Comments are turned off for this review.")
		}),
	)
}

func (p *ReviewerPage) renderDecision(it model.PublicReviewItem, s reviewShown) app.UI {
	me := p.review.ReviewerName
	var others []model.PublicReviewApproval
	for _, a := range it.Approvals {
		if !strings.EqualFold(a.ReviewerName, me) {
			others = append(others, a)
		}
	}
	choice := func(id, status, label string) app.UI {
		cls := "rv-decide-btn rv-decide-" + status
		on := it.MyApproval == status
		if on {
			cls += " on"
		}
		return app.Button().Type("button").ID(id).Class(cls).Attr("aria-pressed", strconv.FormatBool(on)).Disabled(p.deciding || !s.current).
			OnClick(func(ctx app.Context, e app.Event) { p.decide(ctx, status) }).
			Body(reviewStatusIcon(status), app.Span().Text(label))
	}
	return app.Section().Class("rv-section rv-decision").Body(
		app.H3().Text("Your decision"),
		app.Div().Class("rv-decide").Attr("role", "group").Attr("aria-label", "Your decision").Body(
			choice("approve", "approved", "Approve"),
			choice("needs-changes", "needs_changes", "Needs changes"),
			choice("reject", "rejected", "Reject"),
		),
		app.If(!s.current, func() app.UI {
			return app.P().Class("muted small").Text("Decisions are about the newest version.")
		}),
		errorBox(p.decideErr),
		app.If(len(others) > 0, func() app.UI {
			return app.Ul().Class("rv-others").Body(
				app.Range(others).Slice(func(i int) app.UI {
					a := others[i]
					return app.Li().Class("rv-other").Body(
						app.Span().Class("avatar sm").Text(initials(a.ReviewerName)),
						app.Span().Class("rv-other-name").Text(a.ReviewerName),
						reviewStatusBadge(a.Status, ""),
					)
				}),
			)
		}),
	)
}

func (p *ReviewerPage) renderComments(s reviewShown) app.UI {
	var top []model.Comment
	replies := map[string][]model.Comment{}
	for _, c := range p.comments {
		if c.ParentID != nil && *c.ParentID != "" {
			replies[*c.ParentID] = append(replies[*c.ParentID], c)
		} else {
			top = append(top, c)
		}
	}
	count := len(p.comments)
	loading := p.commentsOf != s.id && p.listErr == ""
	return app.Section().Class("rv-section rv-comments").Body(
		app.H3().Body(app.Text("Comments"), app.If(count > 0, func() app.UI {
			return app.Span().Class("rv-comments-count").Text(strconv.Itoa(count))
		})),
		errorBox(p.listErr),
		app.Div().Class("rv-thread").ID("review-comments").Body(
			app.If(loading, func() app.UI {
				return app.P().Class("muted small rv-empty").Text("Loading comments…")
			}).ElseIf(len(top) == 0, func() app.UI {
				return app.P().Class("muted small rv-empty").Text("No comments yet. Be the first: say what works and what should change.")
			}).Else(func() app.UI {
				return app.Range(top).Slice(func(i int) app.UI { return p.renderComment(top[i], replies[top[i].ID]) })
			}),
		),
		p.renderComposer(s),
	)
}

func (p *ReviewerPage) renderComment(c model.Comment, replies []model.Comment) app.UI {
	cls := "comment"
	if c.ParentID != nil && *c.ParentID != "" {
		cls += " is-reply"
	}
	if c.ID == p.selected {
		cls += " is-selected"
	}
	if c.Completed {
		cls += " is-done"
	}
	top := c.ParentID == nil || *c.ParentID == ""
	lines := strings.Split(c.Text, "\n")
	return app.Div().Class(cls).DataSet("id", attrText(c.ID)).Body(
		app.Div().Class("comment-main").
			OnClick(func(ctx app.Context, e app.Event) { p.selectComment(ctx, c) }).
			Body(
				app.Div().Class("comment-head").Body(
					app.Span().Class("avatar sm").Text(initials(c.AuthorName)),
					app.Span().Class("comment-author").Text(cmp.Or(c.AuthorName, "Someone")),
					app.Span().Class("comment-when muted").Title(c.InsertedAt.Local().Format("2 Jan 2006, 15:04")).Text(reviewAgo(c.InsertedAt)),
				),
				app.Div().Class("comment-body").Body(
					app.If(c.Timestamp != nil || c.Annotation != nil, func() app.UI {
						return app.Div().Class("comment-tags").Body(
							app.If(c.Timestamp != nil, func() app.UI {
								return app.Button().Type("button").Class("comment-timestamp").Title("Go to this moment").
									OnClick(func(ctx app.Context, e app.Event) {
										e.StopImmediatePropagation()
										p.selected = c.ID
										p.seekFrame(int(int(*c.Timestamp)))
										p.repaint(ctx)
									}).
									Body(icon("play"), app.Span().Text(p.clock(int(int(*c.Timestamp)))))
							}),
							app.If(c.Annotation != nil, func() app.UI {
								return app.Span().Class("comment-drawn").Body(icon("edit"), app.Span().Text("Drawing"))
							}),
						)
					}),
					app.Range(lines).Slice(func(i int) app.UI { return app.P().Text(lines[i]) }),
				),
			),
		app.If(top, func() app.UI {
			return app.Div().Class("comment-actions").Body(
				app.Button().Type("button").Class("reply-button rv-link").Text("Reply").
					OnClick(func(ctx app.Context, e app.Event) {
						p.replyTo, p.replyText, p.postErr = c.ID, "", ""
						ctx.Defer(func(ctx app.Context) {
							if in := app.Window().GetElementByID("reply-text"); in.Truthy() {
								in.Call("focus")
							}
						})
					}),
			)
		}),
		app.If(len(replies) > 0, func() app.UI {
			return app.Div().Class("comment-replies").Body(
				app.Range(replies).Slice(func(i int) app.UI { return p.renderComment(replies[i], nil) }),
			)
		}),
		app.If(p.replyTo == c.ID, func() app.UI {
			label := "Reply"
			if p.posting {
				label = "Sending…"
			}
			return app.Form().Class("rv-reply").ID("reply-form").OnSubmit(p.postReply).Body(
				app.Textarea().ID("reply-text").Attr("rows", 2).Placeholder("Reply to "+cmp.Or(c.AuthorName, "this comment")+"…").
					Attr("aria-label", "Your reply").OnInput(p.ValueTo(&p.replyText)).
					On("keydown", p.submitOnCtrlEnter(p.postReply)),
				errorBox(p.postErr),
				app.Div().Class("rv-reply-actions").Body(
					app.Button().Type("button").Class("btn btn-ghost").Text("Cancel").
						OnClick(func(ctx app.Context, e app.Event) { p.replyTo, p.replyText, p.postErr = "", "", "" }),
					app.Button().Type("submit").ID("reply-submit").Class("btn btn-primary rv-send").Disabled(p.posting).Text(label),
				),
			)
		}),
	)
}

// submitOnCtrlEnter sends a form with Ctrl+Enter or ⌘+Enter.
func (p *ReviewerPage) submitOnCtrlEnter(h app.EventHandler) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Enter" && (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()) {
			h(ctx, e)
			return
		}
		ctx.PreventUpdate()
	}
}

func (p *ReviewerPage) renderComposer(s reviewShown) app.UI {
	w, _ := p.dims(s)
	canDraw := (s.kind == "image" || s.kind == "video") && w > 0
	label := "Comment"
	if p.posting && p.replyTo == "" {
		label = "Sending…"
	}
	drawCls := "rv-chip rv-draw"
	if p.annotating {
		drawCls += " on"
	}
	return app.Form().Class("rv-composer").ID("comment-form").OnSubmit(p.postComment).Body(
		app.Textarea().ID("comment-text").Attr("rows", 3).Placeholder("Leave a comment…").Attr("aria-label", "Your comment").
			OnInput(p.ValueTo(&p.text)).On("keydown", p.submitOnCtrlEnter(p.postComment)),
		app.If(p.replyTo == "", func() app.UI { return errorBox(p.postErr) }),
		app.Div().Class("rv-composer-bar").Body(
			app.If(isTimed(s.kind), func() app.UI {
				cls := "rv-chip rv-at"
				if p.atTime {
					cls += " on"
				}
				return app.Button().Type("button").ID("comment-at-time").Class(cls).Attr("aria-pressed", strconv.FormatBool(p.atTime)).
					Title("Attach the player's time to the comment").
					OnClick(func(ctx app.Context, e app.Event) { p.atTime = !p.atTime }).
					Body(galleryIcon("clock"), app.Span().Text(p.clock(frameAt(p.curTime, p.fps()))))
			}),
			app.If(canDraw, func() app.UI {
				text := "Draw"
				if len(p.shapes) > 0 {
					text = "Drawing · " + strconv.Itoa(len(p.shapes))
				}
				return app.Button().Type("button").ID("annotate").Class(drawCls).Attr("aria-pressed", strconv.FormatBool(p.annotating)).
					Title("Draw on the "+drawTarget(s.kind)).
					OnClick(p.toggleAnnotate).Body(icon("edit"), app.Span().Text(text))
			}),
			app.Span().Class("rv-composer-gap"),
			app.Button().Type("submit").ID("comment-submit").Class("btn btn-primary rv-send").Disabled(p.posting).Text(label),
		),
		app.P().Class("rv-as muted").Text("Commenting as "+p.review.ReviewerName+" · Ctrl+Enter sends"),
	)
}

// reviewAgo says how long ago t was, briefly.
func reviewAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h ago"
	case t.Year() == time.Now().Year():
		return t.Local().Format("2 Jan, 15:04")
	}
	return t.Local().Format("2 Jan 2006")
}
