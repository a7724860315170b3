package review

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// Comments.

func (p *Page) loadComments(ctx app.Context) {
	if p.review == nil || !p.review.EnableComments {
		return
	}
	key, id := p.key, p.shown().id
	p.async(ctx, func(app.Context) func(app.Context) {
		cs, err := fetch.API.PublicComments(key, id)
		return func(ctx app.Context) {
			if p.open < 0 || p.shown().id != id {
				return // the viewer moved on
			}
			if isClosedErr(err) {
				p.setClosed(err)
				return
			}
			if err != nil {
				p.listErr = ui.Sentence(err.Error())
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
func (p *Page) startPoll(ctx app.Context) {
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

func (p *Page) stopPoll() {
	if p.pollStop != nil {
		close(p.pollStop)
		p.pollStop = nil
	}
}

func (p *Page) postComment(ctx app.Context, e app.Event) {
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
		body.Timestamp = fetch.Ptr(float64(ui.FrameAt(p.playerTime(), p.fps())))
	}
	if len(p.shapes) > 0 {
		w, h := p.dims(s)
		b, err := json.Marshal(model.Annotation{Width: float64(w), Height: float64(h), Shapes: p.shapes})
		if err == nil {
			body.Annotation = fetch.Ptr(string(b))
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

func (p *Page) postReply(ctx app.Context, e app.Event) {
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

func (p *Page) submitComment(ctx app.Context, id string, body model.NewComment, done func(app.Context, model.Comment)) {
	key := p.key
	p.async(ctx, func(app.Context) func(app.Context) {
		c, err := fetch.API.PublicComment(key, id, body)
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
				p.postErr = ui.Sentence(err.Error())
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

func (p *Page) hasComment(id string) bool {
	for _, c := range p.comments {
		if c.ID == id {
			return true
		}
	}
	return false
}

// selectComment shows a comment's drawing and goes to its time.
func (p *Page) selectComment(ctx app.Context, c model.Comment) {
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

func (p *Page) decide(ctx app.Context, status string) {
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
		err := fetch.API.SetApproval(key, id, verdict)
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
				p.decideErr = ui.Sentence(err.Error())
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
