package review

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

func (p *Page) renderPanel(it model.PublicReviewItem, s reviewShown) app.UI {
	r := p.review
	info := linkui.FileExt(s.name, s.filetype)
	if s.versions > 1 && s.index > 0 {
		info = "Version " + strconv.Itoa(s.index) + " of " + strconv.Itoa(s.versions) + " · " + info
	}
	if s.current {
		info += " · " + ui.HumanBytes(it.Filesize)
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

func (p *Page) renderDecision(it model.PublicReviewItem, s reviewShown) app.UI {
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
		ui.ErrorBox(p.decideErr),
		app.If(len(others) > 0, func() app.UI {
			return app.Ul().Class("rv-others").Body(
				app.Range(others).Slice(func(i int) app.UI {
					a := others[i]
					return app.Li().Class("rv-other").Body(
						app.Span().Class("avatar sm").Text(ui.Initials(a.ReviewerName)),
						app.Span().Class("rv-other-name").Text(a.ReviewerName),
						reviewStatusBadge(a.Status, ""),
					)
				}),
			)
		}),
	)
}

func (p *Page) renderComments(s reviewShown) app.UI {
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
		ui.ErrorBox(p.listErr),
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

func (p *Page) renderComment(c model.Comment, replies []model.Comment) app.UI {
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
	return app.Div().Class(cls).DataSet("id", ui.AttrText(c.ID)).Body(
		app.Div().Class("comment-main").
			OnClick(func(ctx app.Context, e app.Event) { p.selectComment(ctx, c) }).
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
										p.selected = c.ID
										p.seekFrame(int(int(*c.Timestamp)))
										p.repaint(ctx)
									}).
									Body(ui.Icon("play"), app.Span().Text(p.clock(int(int(*c.Timestamp)))))
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
				ui.ErrorBox(p.postErr),
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
func (p *Page) submitOnCtrlEnter(h app.EventHandler) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if e.Get("key").String() == "Enter" && (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()) {
			h(ctx, e)
			return
		}
		ctx.PreventUpdate()
	}
}

func (p *Page) renderComposer(s reviewShown) app.UI {
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
		app.If(p.replyTo == "", func() app.UI { return ui.ErrorBox(p.postErr) }),
		app.Div().Class("rv-composer-bar").Body(
			app.If(isTimed(s.kind), func() app.UI {
				cls := "rv-chip rv-at"
				if p.atTime {
					cls += " on"
				}
				return app.Button().Type("button").ID("comment-at-time").Class(cls).Attr("aria-pressed", strconv.FormatBool(p.atTime)).
					Title("Attach the player's time to the comment").
					OnClick(func(ctx app.Context, e app.Event) { p.atTime = !p.atTime }).
					Body(ui.Icon("clock"), app.Span().Text(p.clock(ui.FrameAt(p.curTime, p.fps()))))
			}),
			app.If(canDraw, func() app.UI {
				text := "Draw"
				if len(p.shapes) > 0 {
					text = "Drawing · " + strconv.Itoa(len(p.shapes))
				}
				return app.Button().Type("button").ID("annotate").Class(drawCls).Attr("aria-pressed", strconv.FormatBool(p.annotating)).
					Title("Draw on the "+drawTarget(s.kind)).
					OnClick(p.toggleAnnotate).Body(ui.Icon("edit"), app.Span().Text(text))
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
