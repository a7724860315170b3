package review

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/model/annotation"
)

// The viewer is made of child components, each with its own Render and
// state: the stage (the picture with zoom and pan, or the player), the
// annotator (the drawing layer over it), the player's transport and the
// panel (decision and comments). The page hands them what they show as
// fields and hears from them through viewerHost.

// viewerHost is what the viewer's parts tell the page: the state more than
// one of them shows lives in the page.
type viewerHost interface {
	closeViewer(ctx app.Context)
	step(ctx app.Context, d int)
	pickVersion(ctx app.Context, id string)
	loaded(ctx app.Context, id string, w, h int)
	timeChanged(ctx app.Context, cur, dur float64) bool
	played(ctx app.Context)
	seeked(ctx app.Context, t float64)
	toggleAnnotate(ctx app.Context)
	setColor(ctx app.Context, c string)
	undo(ctx app.Context)
	clearDrawing(ctx app.Context)
	addStroke(ctx app.Context, s model.AnnotationShape)
	selectComment(ctx app.Context, c model.Comment)
	showComment(ctx app.Context, c model.Comment)
	reply(ctx app.Context, id string)
	posted(ctx app.Context, of string, c model.Comment, top bool)
	decided(ctx app.Context, i int, id, status string)
	setClosed(err error)
}

func (p *Page) renderViewer() app.UI {
	it, _ := p.item()
	s := p.shown()
	w, h := p.dims(s)
	var comments []model.Comment
	if p.commentsOf == s.id {
		comments = p.comments
	}
	r := p.review
	return app.Div().ID("review-viewer").Class("sv rv-viewer").Attr("role", "dialog").Attr("aria-modal", "true").
		Attr("aria-label", ui.AttrText(s.name)).DataSet("id", ui.AttrText(s.id)).Body(
		&stage{
			Item: it, Shown: s, Index: p.open, Count: len(r.Items), W: w, H: h,
			Annotating: p.annotating, Color: p.color, Strokes: len(p.shapes), Overlay: p.overlay(),
			Time:     playerTime{Cur: p.curTime, Dur: p.duration(), FPS: p.fps(), Frames: p.frames(s)},
			Comments: comments, Selected: p.selected, Host: p,
		},
		&panel{
			Key: p.key, Item: it, Index: p.open, Shown: s, Reviewer: r.ReviewerName,
			Approvals: r.AllowApprovals, Commenting: r.EnableComments,
			Comments: comments, Loading: p.commentsOf != s.id && p.listErr == "", ListErr: p.listErr,
			Selected: p.selected, ReplyTo: p.replyTo, At: p.curTime,
			CanDraw: (s.kind == "image" || s.kind == "video") && w > 0, Annotating: p.annotating,
			Drawing: p.drawing(s), FPS: p.fps(), Host: p,
		},
	)
}

// dims is the size of the picture or video frame drawings are made on.
func (p *Page) dims(s reviewShown) (int, int) {
	if s.width > 0 && s.height > 0 {
		return s.width, s.height
	}
	if p.natural.of == s.id {
		return p.natural.w, p.natural.h
	}
	return 0, 0
}

// loaded hears the size the shown picture or video has.
func (p *Page) loaded(ctx app.Context, id string, w, h int) {
	if w > 0 && h > 0 && p.natural != (natural{w, h, id}) {
		p.natural = natural{w, h, id}
		return
	}
	ctx.PreventUpdate()
}

// timeChanged hears the player's time; the page draws again only when the
// frame or the duration changed.
func (p *Page) timeChanged(ctx app.Context, cur, dur float64) bool {
	fps := p.fps()
	changed := ui.FrameAt(cur, fps) != ui.FrameAt(p.curTime, fps)
	p.curTime = cur
	if dur > 0 && dur != p.mediaDur {
		p.mediaDur, changed = dur, true
	}
	return changed
}

// played: the drawing shown was of the paused frame.
func (p *Page) played(ctx app.Context) { p.selected = "" }

// seeked: the player went to another frame; the drawing shown was of another.
func (p *Page) seeked(ctx app.Context, t float64) { p.selected, p.curTime = "", t }

// The drawing.

func (p *Page) toggleAnnotate(ctx app.Context) {
	p.annotating = !p.annotating
	if !p.annotating {
		return
	}
	p.selected = "" // the canvas shows the new drawing, not a comment's
	if m := mediaElement(); m.Truthy() {
		m.Call("pause")
		p.curTime = m.Get("currentTime").Float()
	}
	// On a phone the composer is below the picture: bring the picture back.
	if v := app.Window().GetElementByID("review-viewer"); v.Truthy() && v.Get("scrollTop").Float() > 0 {
		v.Call("scrollTo", map[string]any{"top": 0, "behavior": "smooth"})
	}
}

func (p *Page) setColor(ctx app.Context, c string) { p.color = c }

func (p *Page) addStroke(ctx app.Context, s model.AnnotationShape) { p.shapes = append(p.shapes, s) }

func (p *Page) undo(ctx app.Context) {
	if len(p.shapes) > 0 {
		p.shapes = p.shapes[:len(p.shapes)-1]
	}
}

func (p *Page) clearDrawing(ctx app.Context) { p.shapes = nil }

// drawing is the drawing of the next comment, nil without one.
func (p *Page) drawing(s reviewShown) *model.Annotation {
	w, h := p.dims(s)
	if len(p.shapes) == 0 {
		return nil
	}
	return &model.Annotation{Width: float64(w), Height: float64(h), Shapes: p.shapes}
}

// overlay is the drawing on the picture: the one being made, else the
// selected comment's.
func (p *Page) overlay() *model.Annotation {
	s := p.shown()
	if p.annotating || (p.selected == "" && len(p.shapes) > 0) {
		if w, _ := p.dims(s); w == 0 {
			return nil
		}
		return p.drawing(s)
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

// The comments.

// selectComment shows a comment's drawing and goes to its time.
func (p *Page) selectComment(ctx app.Context, c model.Comment) {
	if p.selected == c.ID && c.Timestamp == nil {
		p.selected = ""
		return
	}
	p.showComment(ctx, c)
	if c.Annotation != nil && p.annotating {
		p.annotating = false // the drawing in progress stays; the comment's shows
	}
}

// showComment goes to a comment's time and shows its drawing.
func (p *Page) showComment(ctx app.Context, c model.Comment) {
	p.selected = c.ID
	if c.Timestamp == nil {
		return
	}
	if t, ok := seekFrame(int(*c.Timestamp), p.fps()); ok {
		p.curTime = t
	}
}

func (p *Page) reply(ctx app.Context, id string) { p.replyTo = id }

// posted hears the panel's new comment on file of.
func (p *Page) posted(ctx app.Context, of string, c model.Comment, top bool) {
	if p.open < 0 || p.shown().id != of {
		return
	}
	if p.commentsOf == of && !p.hasComment(c.ID) {
		p.comments = append(p.comments, c)
	}
	if p.shown().current {
		p.review.Items[p.open].CommentCount++
	}
	if !top {
		p.replyTo = ""
		return
	}
	p.shapes, p.annotating = nil, false
	p.selected = c.ID // its drawing stays on the picture
}

func (p *Page) hasComment(id string) bool {
	for _, c := range p.comments {
		if c.ID == id {
			return true
		}
	}
	return false
}

// decided hears the panel's decision on item i.
func (p *Page) decided(ctx app.Context, i int, id, status string) {
	if p.review == nil || i >= len(p.review.Items) || p.review.Items[i].ID != id {
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
