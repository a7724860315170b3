package review

import (
	"cmp"
	"encoding/json"
	"strconv"
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
	p.owner.Async(ctx, func() func(app.Context) {
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
	c := p.owner.Ctx(ctx)
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

// postComment sends the comment, with the player's time and the drawing.
func (pn *panel) postComment(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text := strings.TrimSpace(pn.text)
	if pn.posting {
		return
	}
	if text == "" {
		pn.postErr = "Write a comment first."
		if pn.Drawing != nil {
			pn.postErr = "Say what your drawing points at."
		}
		return
	}
	s := pn.Shown
	body := model.NewComment{Text: text}
	if isTimed(s.kind) && pn.atTime {
		at := pn.At
		if m := mediaElement(); m.Truthy() {
			at = m.Get("currentTime").Float()
		}
		body.Timestamp = fetch.Ptr(float64(ui.FrameAt(at, pn.FPS)))
	}
	if pn.Drawing != nil {
		if b, err := json.Marshal(*pn.Drawing); err == nil {
			body.Annotation = fetch.Ptr(string(b))
		}
	}
	pn.posting, pn.postErr = true, ""
	pn.submit(ctx, s.id, body, func(ctx app.Context, c model.Comment) {
		pn.text = ""
		if in := app.Window().GetElementByID("comment-text"); in.Truthy() {
			in.Set("value", "")
		}
		pn.Host.posted(ctx, s.id, c, true)
	})
}

func (pn *panel) postReply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text := strings.TrimSpace(pn.replyText)
	if pn.posting || pn.ReplyTo == "" {
		return
	}
	if text == "" {
		pn.postErr = "Write a reply first."
		return
	}
	pn.posting, pn.postErr = true, ""
	id := pn.Shown.id
	pn.submit(ctx, id, model.NewComment{Text: text, ParentID: pn.ReplyTo}, func(ctx app.Context, c model.Comment) {
		pn.replyText = ""
		pn.Host.posted(ctx, id, c, false)
	})
}

func (pn *panel) submit(ctx app.Context, id string, body model.NewComment, done func(app.Context, model.Comment)) {
	key := pn.Key
	pn.owner.Async(ctx, func() func(app.Context) {
		c, err := fetch.API.PublicComment(key, id, body)
		return func(ctx app.Context) {
			pn.posting = false
			if isClosedErr(err) {
				pn.Host.setClosed(err)
				return
			}
			if pn.Shown.id != id {
				return // the viewer moved on
			}
			if err != nil {
				pn.postErr = ui.Sentence(err.Error())
				return
			}
			done(ctx, c)
		}
	})
}

func (pn *panel) renderComments(s reviewShown) app.UI {
	var top []model.Comment
	replies := map[string][]model.Comment{}
	for _, c := range pn.Comments {
		if c.ParentID != nil && *c.ParentID != "" {
			replies[*c.ParentID] = append(replies[*c.ParentID], c)
		} else {
			top = append(top, c)
		}
	}
	count := len(pn.Comments)
	loading := pn.Loading
	return app.Section().Class("rv-section rv-comments").Body(
		app.H3().Body(app.Text("Comments"), app.If(count > 0, func() app.UI {
			return app.Span().Class("rv-comments-count").Text(strconv.Itoa(count))
		})),
		ui.ErrorBox(pn.ListErr),
		app.Div().Class("rv-thread").ID("review-comments").Body(
			app.If(loading, func() app.UI {
				return app.P().Class("muted small rv-empty").Text("Loading comments…")
			}).ElseIf(len(top) == 0, func() app.UI {
				return app.P().Class("muted small rv-empty").Text("No comments yet. Be the first: say what works and what should change.")
			}).Else(func() app.UI {
				return app.Range(top).Slice(func(i int) app.UI { return pn.renderComment(top[i], replies[top[i].ID]) })
			}),
		),
		pn.renderComposer(s),
	)
}

func (pn *panel) renderComment(c model.Comment, replies []model.Comment) app.UI {
	cls := "comment"
	if c.ParentID != nil && *c.ParentID != "" {
		cls += " is-reply"
	}
	if c.ID == pn.Selected {
		cls += " is-selected"
	}
	if c.Completed {
		cls += " is-done"
	}
	top := c.ParentID == nil || *c.ParentID == ""
	lines := strings.Split(c.Text, "\n")
	return app.Div().Class(cls).DataSet("id", ui.AttrText(c.ID)).Body(
		app.Div().Class("comment-main").
			OnClick(func(ctx app.Context, e app.Event) { pn.Host.selectComment(ctx, c) }).
			Body(
				app.Div().Class("comment-head").Body(
					app.Span().Class("avatar sm").Text(ui.Initials(c.AuthorName)),
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
										pn.Host.showComment(ctx, c)
									}).
									Body(ui.Icon("play"), app.Span().Text(clockText(pn.Shown.kind, int(*c.Timestamp), pn.FPS)))
							}),
							app.If(c.Annotation != nil, func() app.UI {
								return app.Span().Class("comment-drawn").Body(ui.Icon("edit"), app.Span().Text("Drawing"))
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
						pn.replyText, pn.postErr = "", ""
						pn.Host.reply(ctx, c.ID)
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
				app.Range(replies).Slice(func(i int) app.UI { return pn.renderComment(replies[i], nil) }),
			)
		}),
		app.If(pn.ReplyTo == c.ID, func() app.UI {
			label := "Reply"
			if pn.posting {
				label = "Sending…"
			}
			return app.Form().Class("rv-reply").ID("reply-form").OnSubmit(pn.postReply).Body(
				app.Textarea().ID("reply-text").Attr("rows", 2).Placeholder("Reply to "+cmp.Or(c.AuthorName, "this comment")+"…").
					Attr("aria-label", "Your reply").OnInput(pn.ValueTo(&pn.replyText)).
					On("keydown", submitOnCtrlEnter(pn.postReply)),
				ui.ErrorBox(pn.postErr),
				app.Div().Class("rv-reply-actions").Body(
					app.Button().Type("button").Class("btn btn-ghost").Text("Cancel").
						OnClick(func(ctx app.Context, e app.Event) {
							pn.replyText, pn.postErr = "", ""
							pn.Host.reply(ctx, "")
						}),
					app.Button().Type("submit").ID("reply-submit").Class("btn btn-primary rv-send").Disabled(pn.posting).Text(label),
				),
			)
		}),
	)
}

// submitOnCtrlEnter sends a form with Ctrl+Enter or ⌘+Enter.
func submitOnCtrlEnter(h app.EventHandler) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Enter" && (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()) {
			h(ctx, e)
			return
		}
		ctx.PreventUpdate()
	}
}

func (pn *panel) renderComposer(s reviewShown) app.UI {
	label := "Comment"
	if pn.posting && pn.ReplyTo == "" {
		label = "Sending…"
	}
	drawCls := "rv-chip rv-draw"
	if pn.Annotating {
		drawCls += " on"
	}
	return app.Form().Class("rv-composer").ID("comment-form").OnSubmit(pn.postComment).Body(
		app.Textarea().ID("comment-text").Attr("rows", 3).Placeholder("Leave a comment…").Attr("aria-label", "Your comment").
			OnInput(pn.ValueTo(&pn.text)).On("keydown", submitOnCtrlEnter(pn.postComment)),
		app.If(pn.ReplyTo == "", func() app.UI { return ui.ErrorBox(pn.postErr) }),
		app.Div().Class("rv-composer-bar").Body(
			app.If(isTimed(s.kind), func() app.UI {
				cls := "rv-chip rv-at"
				if pn.atTime {
					cls += " on"
				}
				return app.Button().Type("button").ID("comment-at-time").Class(cls).Attr("aria-pressed", strconv.FormatBool(pn.atTime)).
					Title("Attach the player's time to the comment").
					OnClick(func(ctx app.Context, e app.Event) { pn.atTime = !pn.atTime }).
					Body(ui.Icon("clock"), app.Span().Text(clockText(s.kind, ui.FrameAt(pn.At, pn.FPS), pn.FPS)))
			}),
			app.If(pn.CanDraw, func() app.UI {
				text := "Draw"
				if pn.Drawing != nil {
					text = "Drawing · " + strconv.Itoa(len(pn.Drawing.Shapes))
				}
				return app.Button().Type("button").ID("annotate").Class(drawCls).Attr("aria-pressed", strconv.FormatBool(pn.Annotating)).
					Title("Draw on the "+drawTarget(s.kind)).
					OnClick(func(ctx app.Context, e app.Event) { pn.Host.toggleAnnotate(ctx) }).Body(ui.Icon("edit"), app.Span().Text(text))
			}),
			app.Span().Class("rv-composer-gap"),
			app.Button().Type("submit").ID("comment-submit").Class("btn btn-primary rv-send").Disabled(pn.posting).Text(label),
		),
		app.P().Class("rv-as muted").Text("Commenting as "+pn.Reviewer+" · Ctrl+Enter sends"),
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
