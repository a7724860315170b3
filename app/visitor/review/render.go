package review

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/ui"
)

// Rendering.

func (p *Page) Render() app.UI {
	var body app.UI
	r := p.review
	switch {
	case p.closed.IsClosed():
		body = p.closed.UI("review", p.retry)
	case r == nil:
		body = app.Div().Class("gal-loading").Body(ui.Spinner(), app.Span().Class("sr-only").Text("Loading…"))
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
	viewing = viewing && !p.closed.IsClosed() && r != nil && !r.NeedsPassword && r.ReviewerName != "" && !p.renaming
	top := app.Header().Class("pub-top gal-top").Body(ui.Logo(), app.Span().Text(site))
	main := app.Main().Class("gal-main rv-main").Body(body)
	if viewing {
		top, main = top.Attr("inert", "inert"), main.Attr("inert", "inert")
	}
	// Ready once the link has answered: with the review, or why it is closed.
	return app.Div().Class("pub gal rv").DataSet("state", ui.PageState(r != nil || p.closed.IsClosed(), "")).Body(
		top,
		main,
		app.If(viewing, p.renderViewer),
		ui.AppReady(p.ready),
	)
}

func (p *Page) renderPassword() app.UI {
	r := p.review
	text := "This review is protected with a password. Enter it to continue."
	if r.OwnerName != "" {
		text = r.OwnerName + " protected this review with a password. Enter it to continue."
	}
	foot := ""
	if r.ExpiresAt != nil {
		foot = "Open until " + ui.DayDate(*r.ExpiresAt)
	}
	return linkui.PasswordGate{Kind: "review", Title: reviewName(r), Lead: text, Submit: "Continue", Foot: foot,
		Password: p.password, Busy: p.busy, Err: p.err, OnInput: p.ValueTo(&p.password), OnSubmit: p.unlock}.UI()
}

func (p *Page) renderName() app.UI {
	r := p.review
	label := "Start reviewing"
	if p.renaming {
		label = "Save name"
	}
	if p.busy {
		label = "Saving…"
	}
	who := cmp.Or(r.OwnerName, "The sender")
	asks := who + " asks for your feedback on " + ui.Plural(len(r.Items), "item", "items") + "."
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
		app.Div().Class("gal-lock").Body(ui.Icon("review")),
		app.P().Class("pub-eyebrow").Text("Review"),
		app.H1().Text(reviewName(r)),
		app.P().Class("muted").Text(asks),
		app.Form().Class("gal-password").ID("reviewer-name-form").Method("post").OnSubmit(p.saveName).Body(
			app.Label().For("reviewer-name").Class("field-label").Text("Your name"),
			app.Input().Type("text").ID("reviewer-name").Name("name").Attr("autocomplete", "name").
				Attr("maxlength", "80").Placeholder("e.g. Jane Cooper").Required(true).AutoFocus(true).
				Value(value).OnInput(p.ValueTo(&p.name)),
			app.P().Class("field-hint").Text("Shown beside your comments and decisions."),
			ui.ErrorBox(p.err),
			ui.SubmitButton("reviewer-name-submit", label, p.busy),
			app.If(p.renaming, func() app.UI {
				return app.Button().Type("button").Class("btn btn-ghost rv-cancel").Text("Cancel").
					OnClick(func(ctx app.Context, e app.Event) { p.renaming, p.err, p.name = false, "", "" })
			}),
		),
		app.If(r.ExpiresAt != nil, func() app.UI {
			return app.P().Class("muted small gal-lock-foot").Text("Open until " + ui.DayDate(*r.ExpiresAt))
		}),
	)
}

func (p *Page) renderItems() app.UI {
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
			app.Span().Class("avatar sm").Text(ui.Initials(r.OwnerName)),
			app.Span().Text("From "+r.OwnerName),
		))
	}
	if r.ExpiresAt != nil {
		facts = append(facts, app.Span().Class("gal-fact").Body(ui.Icon("clock"), app.Span().Text("Open until "+ui.DayDate(*r.ExpiresAt))))
	}
	facts = append(facts, app.Span().Class("gal-fact").Body(ui.Icon("image"), app.Span().Text(ui.Plural(len(r.Items), "item", "items"))))
	facts = append(facts, app.Span().Class("gal-fact rv-me").Body(
		app.Span().Class("avatar sm rv-avatar-me").Text(ui.Initials(r.ReviewerName)),
		app.Span().ID("reviewer-as").Text("Reviewing as "+r.ReviewerName),
		app.Button().Type("button").ID("reviewer-rename").Class("rv-link").Text("Change").
			OnClick(func(ctx app.Context, e app.Event) { p.renaming, p.err, p.name = true, "", r.ReviewerName }),
	))
	return app.Div().Class("gal-page").Body(
		app.Header().Class("gal-head").Body(
			app.Div().Class("gal-head-text").Body(
				app.P().Class("pub-eyebrow gal-eyebrow").Body(ui.Icon("review"), app.Span().Text("Review")),
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
					ui.ProgressBar(pct),
				)
			}),
		),
		app.If(len(r.Items) == 0, func() app.UI {
			return app.Div().Class("card gal-empty").Body(ui.EmptyState("review", "Nothing to review yet", "The items of this review were removed, or none have been added yet.", nil))
		}).Else(func() app.UI {
			return app.Div().Class("gallery-grid rv-grid").Body(
				app.Range(r.Items).Slice(func(i int) app.UI { return p.renderTile(i) }),
			)
		}),
	)
}

func (p *Page) renderTile(i int) app.UI {
	it := p.review.Items[i]
	var media app.UI
	if it.ThumbURL != "" {
		media = app.Img().Class("gallery-thumb").Src(ui.AttrText(it.ThumbURL)).Alt(ui.AttrText(it.Name)).Loading("lazy").Attr("decoding", "async").Draggable(false)
	} else {
		media = app.Div().Class("gallery-file").Body(
			ui.Icon(reviewKindIcon(it.Kind)),
			app.Span().Class("gallery-ext").Text(linkui.FileExt(it.Name, it.Filetype)),
		)
	}
	sub := linkui.FileExt(it.Name, it.Filetype) + " · " + ui.HumanBytes(it.Filesize)
	return p.enter.On(app.A(), it.ID, func(ctx app.Context) { p.show(ctx, i) }).
		Class("gallery-tile review-item is-"+reviewKindIcon(it.Kind)).DataSet("id", ui.AttrText(it.ID)).
		DataSet("approval", it.MyApproval).Href("#"+ui.AttrText(it.ID)).Title(ui.AttrText(it.Name)).
		OnClick(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			e.StopImmediatePropagation() // go-app would follow the href
			p.show(ctx, i)
		}).
		Body(
			app.Div().Class("gallery-media").Body(
				media,
				app.If(it.Kind == "video" || it.Kind == "audio", func() app.UI {
					return app.Span().Class("rv-play").Body(ui.Icon("play"))
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
					return app.Span().Class("rv-count").Attr("title", ui.Plural(it.CommentCount, "comment", "comments")).Body(
						ui.Icon("review"), app.Span().Text(strconv.Itoa(it.CommentCount)),
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
		return ui.Icon("check")
	case "needs_changes":
		return ui.Icon("edit")
	}
	return ui.Icon("x")
}
