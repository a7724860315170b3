package reviewlinks

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The owner's side of review links: the create and edit dialog (opened from
// a selection in a project), the lists on Links > Review and on a project,
// and one link's page with its approvals and comments as they come in.

// ---- one link: its items, verdicts and comments, live ----

// LinkPage is /review-links/{id}: what reviewers did through one
// link, refreshed every few seconds while it is open.
type LinkPage struct {
	app.Compo
	id      string
	link    model.ReviewLink
	project model.Project
	items   []model.ReviewLinkItem
	act     model.ReviewLinkActivity
	loaded  bool
	err     string
	pollErr string
	updated time.Time
	pollSeq int

	replyTo   string
	replyText string
	sending   bool
	replyErr  string
	busy      map[string]bool
}

// reviewLinkPollEvery is how often the page asks for new activity.
const reviewLinkPollEvery = 5 * time.Second

func (p *LinkPage) OnMount(ctx app.Context) {
	ctx.Handle(shell.ReloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *LinkPage) OnNav(ctx app.Context) {
	id := strings.TrimPrefix(ctx.Page().URL().Path, "/review-links/")
	if id != p.id {
		p.id, p.link, p.project, p.items, p.act = id, model.ReviewLink{}, model.Project{}, nil, model.ReviewLinkActivity{}
		p.loaded, p.err, p.replyTo, p.replyText = false, "", "", ""
	}
	if !app.IsClient {
		return
	}
	p.load(ctx)
	p.pollSeq++
	p.schedule(ctx, p.pollSeq)
}

func (p *LinkPage) load(ctx app.Context) {
	id := p.id
	ctx.Async(func() {
		var items []model.ReviewLinkItem
		var act model.ReviewLinkActivity
		var pr model.Project
		l, err := fetch.API.ReviewLink(id)
		if err == nil {
			items, err = fetch.API.ReviewItems(id, fetch.AllPages())
		}
		if err == nil {
			act, err = fetch.API.ReviewActivity(id)
		}
		if err == nil {
			pr, _ = fetch.API.Project(l.ProjectID)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if id != p.id {
				return
			}
			linkui.Loaded(ctx, err, &p.loaded, &p.err, func() {
				p.link, p.items, p.act, p.project, p.updated = l, items, act, pr, time.Now()
			})
		})
	})
}

// schedule polls the activity (and the link, for its view count) every few
// seconds until the page goes away or another loop replaces this one.
func (p *LinkPage) schedule(ctx app.Context, seq int) {
	ctx.After(reviewLinkPollEvery, func(ctx app.Context) {
		if seq != p.pollSeq {
			return
		}
		id := p.id
		ctx.Async(func() {
			var l model.ReviewLink
			act, err := fetch.API.ReviewActivity(id)
			if err == nil {
				l, err = fetch.API.ReviewLink(id)
			}
			ctx.Dispatch(func(ctx app.Context) {
				if seq != p.pollSeq || id != p.id {
					return
				}
				if err != nil {
					p.pollErr = err.Error()
				} else {
					p.act, p.link, p.pollErr, p.updated = act, l, "", time.Now()
				}
				p.schedule(ctx, seq)
			})
		})
	})
}

// refresh fetches the activity now, after the owner changed something.
func (p *LinkPage) refresh(ctx app.Context) {
	id := p.id
	ctx.Async(func() {
		act, err := fetch.API.ReviewActivity(id)
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil && id == p.id {
				p.act, p.updated = act, time.Now()
			}
		})
	})
}

func (p *LinkPage) reply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text, parent := strings.TrimSpace(p.replyText), p.replyTo
	if text == "" {
		p.replyErr = "Type a reply."
		return
	}
	p.sending, p.replyErr = true, ""
	ctx.Async(func() {
		c, err := fetch.API.Reply(parent, model.NewComment{Text: text})
		ctx.Dispatch(func(ctx app.Context) {
			p.sending = false
			if err != nil {
				p.replyErr = err.Error()
				return
			}
			// Show it at once; the next poll brings the server's list.
			if !p.hasComment(c.ID) {
				p.act.Comments = append(p.act.Comments, c)
			}
			p.replyTo, p.replyText = "", ""
			shell.Toast(ctx, "Reply sent")
			p.refresh(ctx)
		})
	})
}

func (p *LinkPage) hasComment(id string) bool {
	for _, c := range p.act.Comments {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (p *LinkPage) setCompleted(ctx app.Context, c model.Comment, done bool) {
	if p.busy == nil {
		p.busy = map[string]bool{}
	}
	p.busy[c.ID] = true
	ctx.Async(func() {
		_, err := fetch.API.UpdateComment(c.ID, model.CommentPatch{Completed: &done})
		ctx.Dispatch(func(ctx app.Context) {
			delete(p.busy, c.ID)
			if err != nil {
				p.err = err.Error()
				return
			}
			for i := range p.act.Comments {
				if p.act.Comments[i].ID == c.ID {
					p.act.Comments[i].Completed = done
				}
			}
			shell.Toast(ctx, map[bool]string{true: "Marked as done", false: "Opened again"}[done])
			p.refresh(ctx)
		})
	})
}

// linkAction runs the data-op of the clicked button on the link shown.
func (p *LinkPage) linkAction(ctx app.Context, e app.Event) {
	l := p.link
	op := ui.ClosestData(ctx, "op")
	switch op {
	case "copy":
		ui.CopyText(l.ShortURL)
		shell.Toast(ctx, "Link copied")
	case "delete":
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l, after: "/projects/" + l.ProjectID + "/review-links"})
	default:
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l})
	}
}

// comment is the comment around the clicked element.
func (p *LinkPage) comment(ctx app.Context) (model.Comment, bool) {
	id := ui.ClosestData(ctx, "id")
	for _, c := range p.act.Comments {
		if c.ID == id {
			return c, true
		}
	}
	return model.Comment{}, false
}

func (p *LinkPage) startReply(ctx app.Context, e app.Event) {
	if c, ok := p.comment(ctx); ok {
		p.replyTo, p.replyText, p.replyErr = c.ID, "", ""
	}
}

func (p *LinkPage) toggleDone(ctx app.Context, e app.Event) {
	if c, ok := p.comment(ctx); ok {
		p.setCompleted(ctx, c, !c.Completed)
	}
}

// itemOf finds the item an asset id belongs to: the item's asset, or the
// newest version of a stack the reviewer saw.
func (p *LinkPage) itemOf(assetID string) int {
	for i, it := range p.items {
		if it.AssetID == assetID || it.Asset.ID == assetID || (it.Asset.CoverAssetID != "" && it.Asset.CoverAssetID == assetID) {
			return i
		}
	}
	return -1
}

func (p *LinkPage) Render() app.UI {
	l := p.link
	if !p.loaded || p.err != "" && l.ID == "" {
		return shell.Frame("review", ui.PageState(p.loaded, p.err), []app.UI{
			&Dialogs{},
			ui.ErrorBox(p.err),
			app.If(!p.loaded, func() app.UI {
				return ui.LoadingCard()
			}),
		})
	}
	t := tallyOf(p.act)
	var crumbs app.UI
	if p.project.ID != "" {
		crumbs = app.Nav().Class("crumbs").Attr("aria-label", "Breadcrumbs").Body(
			app.A().Href("/projects").Text("Projects"),
			app.Span().Class("crumb-sep").Text("/"), app.A().Href("/projects/"+p.project.ID).Text(p.project.Name),
			app.Span().Class("crumb-sep").Text("/"), app.A().ID("rl-crumb-list").Href("/projects/"+p.project.ID+"/review-links").Text("Review Links"),
		)
	}
	return shell.Frame("review", ui.PageState(p.loaded, p.err), []app.UI{
		&Dialogs{},
		crumbs,
		app.Div().Class("page-head rl-page-head").Body(
			app.Div().Class("rl-title-wrap").Body(
				app.H1().Class("rl-title").Text(l.Name),
				app.Div().Class("rl-sub").Body(
					rlStatusBadge(l),
					app.Span().Class("rl-live").Title("Checks for new activity every 5 seconds").Body(
						ui.Icon("live"), app.Span().Text("Live · updated "+p.updated.Local().Format("15:04:05"))),
				),
			),
			app.Div().Class("page-actions").Body(
				app.If(l.Locked, func() app.UI {
					return ui.Button("Unlock", "secondary", p.linkAction).DataSet("op", "unlock").ID("rl-unlock")
				}),
				app.A().Class("btn btn-secondary").Href(l.ShortURL).Target("_blank").Rel("noopener").Body(ui.Icon("external"), app.Span().Text("Open")),
				ui.Button("Edit", "secondary", p.linkAction).DataSet("op", "edit").ID("rl-edit"),
				app.Button().Type("button").Class("btn btn-danger-ghost rl-delete-page").ID("rl-delete").Title("Delete link").
					DataSet("op", "delete").OnClick(p.linkAction).Body(ui.Icon("trash"), app.Span().Text("Delete")),
			),
		),
		ui.ErrorBox(p.err),
		app.If(p.pollErr != "", func() app.UI {
			return app.Div().Class("alert alert-info rl-poll-err").Text("Could not check for new activity: " + p.pollErr + ". Trying again in a few seconds.")
		}),
		app.Div().Class("card rl-linkbar").Body(
			app.Div().Class("copy-row rl-copy-row").Body(
				app.Code().ID("rl-page-url").Text(l.ShortURL),
				ui.Button("Copy", "primary", p.linkAction).DataSet("op", "copy").ID("rl-page-copy"),
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-page-qr").DataSet("op", "qr").OnClick(p.linkAction).
					Body(ui.Icon("qr"), app.Span().Text("QR")),
				app.A().Class("btn btn-secondary").ID("rl-page-email").Href(rlMailto(l)).Title("Opens in your mail app").
					Body(ui.Icon("mail"), app.Span().Text("Email")),
			),
			app.Div().Class("rl-optline muted small").Body(
				app.Span().Title(rlExpiryDate(l)).Body(ui.Icon("clock"), app.Text(rlExpiry(l, time.Now()))),
				rlOpt("Approvals", l.AllowApprovals), rlOpt("Comments", l.EnableComments), rlOpt("Downloads", l.EnableDownloading),
				app.If(l.CurrentVersionOnly, func() app.UI { return app.Span().Text("Current version only") }),
				app.If(l.HasPassword, func() app.UI { return app.Span().Body(ui.Icon("lock"), app.Text("Password")) }),
			),
		),
		app.Div().Class("stats rl-stats rl-page-stats").Body(
			ui.KeyedStatCard("items", "Items", strconv.Itoa(len(p.items)), false),
			ui.KeyedStatCard("views", "Views", strconv.Itoa(l.ViewCount), false),
			ui.KeyedStatCard("approved", "Approved", strconv.Itoa(t.approved), false),
			ui.KeyedStatCard("changes", "Needs changes", strconv.Itoa(t.changes), t.changes > 0),
			ui.KeyedStatCard("rejected", "Rejected", strconv.Itoa(t.rejected), t.rejected > 0),
			ui.KeyedStatCard("comments", "Comments", strconv.Itoa(t.comments), false),
		),
		app.Div().Class("rl-layout").Body(
			app.Div().Class("rl-main").ID("rl-items").Body(p.renderItems()...),
			app.Aside().Class("rl-side").Attr("aria-label", "Reviewers").Body(p.renderReviewers()),
		),
	})
}

func rlOpt(label string, on bool) app.UI {
	if on {
		return app.Span().Class("rl-opt on").Body(ui.Icon("check"), app.Text(label))
	}
	return app.Span().Class("rl-opt off").Body(ui.Icon("x"), app.Text(label))
}

// renderItems is one card per file, and one more for activity on files no
// longer in the link.
func (p *LinkPage) renderItems() []app.UI {
	approvals := make([][]model.Approval, len(p.items)+1)
	comments := make([][]model.Comment, len(p.items)+1)
	other := len(p.items)
	for _, a := range p.act.Approvals {
		i := p.itemOf(a.AssetID)
		if i < 0 {
			i = other
		}
		approvals[i] = append(approvals[i], a)
	}
	for _, c := range p.act.Comments {
		i := p.itemOf(c.AssetID)
		if i < 0 {
			i = other
		}
		comments[i] = append(comments[i], c)
	}
	if len(p.items) == 0 && len(comments[other]) == 0 && len(approvals[other]) == 0 {
		return []app.UI{app.Div().Class("card").Body(ui.EmptyState("file", "No files in this link",
			"The files of this link were removed from it or deleted.", nil))}
	}
	var out []app.UI
	for i, it := range p.items {
		out = append(out, p.renderItem(it.Asset, it.AssetID, approvals[i], comments[i]))
	}
	if len(comments[other]) > 0 || len(approvals[other]) > 0 {
		out = append(out, p.renderItem(model.Asset{Name: "Earlier versions and removed files"}, "", approvals[other], comments[other]))
	}
	return out
}

func (p *LinkPage) renderItem(a model.Asset, assetID string, approvals []model.Approval, comments []model.Comment) app.UI {
	sort.SliceStable(approvals, func(i, j int) bool { return approvals[i].ReviewerName < approvals[j].ReviewerName })
	// Threads: top-level comments oldest first, each followed by its replies.
	byParent := map[string][]model.Comment{}
	ids := map[string]bool{}
	for _, c := range comments {
		ids[c.ID] = true
	}
	var top []model.Comment
	for _, c := range comments {
		if pid := parentOf(c); pid != "" && ids[pid] {
			byParent[pid] = append(byParent[pid], c)
		} else {
			top = append(top, c)
		}
	}
	oldest := func(cs []model.Comment) {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].InsertedAt.Before(cs[j].InsertedAt) })
	}
	oldest(top)
	// Timestamps are frames at the file's own rate: a video's shows as
	// its timecode, as on the reviewer's page.
	rate, rational := 0.0, ""
	if a.Properties != nil {
		rational = a.Properties.FrameRate
	}
	if a.FPS > 0 || rational != "" {
		rate = ui.FrameRate(rational, a.FPS)
	}
	var thread []app.UI
	for _, c := range top {
		thread = append(thread, p.renderComment(c, false, rate))
		replies := byParent[c.ID]
		oldest(replies)
		for _, r := range replies {
			thread = append(thread, p.renderComment(r, true, rate))
		}
		if p.replyTo == c.ID {
			thread = append(thread, p.renderReplyForm())
		}
	}
	meta := ui.KindLabel(a)
	if a.Filesize > 0 {
		meta += " · " + ui.HumanBytes(a.Filesize)
	}
	return app.Div().Class("card rl-item").DataSet("asset", assetID).Body(
		app.Div().Class("rl-item-head").Body(
			app.If(assetID != "", func() app.UI {
				return app.A().Class("rl-item-thumb").Href("/assets/" + assetID).Body(rlThumb(a, ""))
			}).Else(func() app.UI {
				return app.Div().Class("rl-item-thumb").Body(app.Div().Class("rl-thumb rl-thumb-icon").Body(ui.Icon("layers")))
			}),
			app.Div().Class("rl-item-info").Body(
				app.If(assetID != "", func() app.UI {
					return app.A().Class("rl-item-name").Href("/assets/" + assetID).Title(a.Name).Text(a.Name)
				}).Else(func() app.UI { return app.Div().Class("rl-item-name").Text(a.Name) }),
				app.If(assetID != "", func() app.UI { return app.Div().Class("muted small").Text(meta) }),
				app.Div().Class("rl-approvals").Body(
					app.If(len(approvals) == 0, func() app.UI {
						return app.Span().Class("muted small rl-no-verdict").Text("No verdict yet")
					}),
					app.Range(approvals).Slice(func(i int) app.UI { return approvalBadge(approvals[i].ReviewerName, approvals[i].Status) }),
				),
			),
			app.Span().Class("rl-item-count muted small").Text(ui.Plural(len(comments), "comment", "comments")),
		),
		app.If(len(thread) > 0, func() app.UI { return app.Div().Class("rl-thread").Body(thread...) }),
	)
}

func (p *LinkPage) renderComment(c model.Comment, reply bool, rate float64) app.UI {
	cls := "review-comment rl-comment"
	if reply {
		cls += " is-reply"
	}
	if c.Completed {
		cls += " is-done"
	}
	author := c.AuthorName
	if author == "" {
		author = "Someone"
	}
	fromTeam := c.OwnerID != nil && *c.OwnerID != ""
	return app.Div().Class(cls).DataSet("id", c.ID).Body(
		app.Span().Class(map[bool]string{true: "avatar sm rl-avatar is-team", false: "avatar sm rl-avatar"}[fromTeam]).Text(ui.Initials(author)),
		app.Div().Class("rl-comment-body").Body(
			app.Div().Class("rl-comment-head").Body(
				app.Span().Class("rl-author").Text(author),
				app.If(fromTeam, func() app.UI { return app.Span().Class("badge badge-blue rl-team").Text("Team") }),
				app.Span().Class("muted small rl-when").Title(c.InsertedAt.Local().Format("Mon 2 Jan 2006, 15:04:05")).Text(ui.RelTime(c.InsertedAt)),
				app.If(c.Timestamp != nil, func() app.UI {
					if rate > 0 {
						return app.Span().Class("rl-timecode").Title(app.FormatString("Frame %d at %s fps", int(*c.Timestamp), strconv.FormatFloat(rate, 'f', -1, 64))).
							Text(ui.Timecode(int(*c.Timestamp), rate))
					}
					return app.Span().Class("rl-timecode").Title(app.FormatString("Frame %d at 24 fps", int(*c.Timestamp))).Text(rlTimecode(int(int(*c.Timestamp))))
				}),
				app.If(c.Page != nil, func() app.UI { return app.Span().Class("rl-chip").Text(app.FormatString("Page %d", *c.Page)) }),
				app.If(c.Annotation != nil && *c.Annotation != "", func() app.UI {
					return app.Span().Class("rl-chip rl-annotation").Title("The reviewer drew on the file").Body(ui.Icon("pen"), app.Text("Annotation"))
				}),
				app.If(c.Completed, func() app.UI { return app.Span().Class("badge badge-green rl-done").Text("Done") }),
			),
			app.P().Class("rl-text").Text(c.Text),
			app.Div().Class("rl-comment-actions").Body(
				app.If(!reply, func() app.UI {
					return app.Button().Type("button").Class("rl-link-btn rl-reply-btn").
						OnClick(p.startReply).
						Body(ui.Icon("reply"), app.Span().Text("Reply"))
				}),
				app.If(!reply, func() app.UI {
					label := map[bool]string{true: "Open again", false: "Mark as done"}[c.Completed]
					return app.Button().Type("button").Class("rl-link-btn rl-complete-btn").Disabled(p.busy[c.ID]).
						OnClick(p.toggleDone).
						Body(ui.Icon("check"), app.Span().Text(label))
				}),
			),
		),
	)
}

func (p *LinkPage) renderReplyForm() app.UI {
	return app.Form().Class("rl-reply").ID("rl-reply-form").OnSubmit(p.reply).Body(
		ui.ErrorBox(p.replyErr),
		app.Textarea().ID("rl-reply-text").Rows(2).MaxLength(5000).AutoFocus(true).Placeholder("Write a reply; the reviewer sees it on the link.").
			Text(p.replyText).OnInput(p.ValueTo(&p.replyText)),
		app.Div().Class("rl-reply-actions").Body(
			ui.Button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.replyTo = "" }),
			app.Button().Type("submit").Class("btn btn-primary btn-sm").ID("rl-reply-send").Disabled(p.sending).
				Text(map[bool]string{true: "Sending…", false: "Reply"}[p.sending]),
		),
	)
}

// renderReviewers is who opened the link, how often, and their verdicts.
func (p *LinkPage) renderReviewers() app.UI {
	type who struct {
		name           string
		views          int
		last           time.Time
		verdicts, says int
	}
	byName := map[string]*who{}
	get := func(n string) *who {
		if byName[n] == nil {
			byName[n] = &who{name: n}
		}
		return byName[n]
	}
	for _, v := range p.act.Views {
		w := get(v.ReviewerName)
		w.views += v.Count
	}
	for _, a := range p.act.Approvals {
		get(a.ReviewerName).verdicts++
	}
	for _, c := range p.act.Comments {
		if c.OwnerID == nil || *c.OwnerID == "" {
			get(c.AuthorName).says++
		}
	}
	var list []*who
	for _, w := range byName {
		list = append(list, w)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].views != list[j].views {
			return list[i].views > list[j].views
		}
		return list[i].name < list[j].name
	})
	return app.Div().Class("card rl-reviewers").ID("rl-reviewers").Body(
		app.H3().Text("Reviewers"),
		app.If(len(list) == 0, func() app.UI {
			return app.P().Class("muted small").Text("Nobody has opened the link yet. Reviewers give their name when they open it, and show up here.")
		}),
		app.Range(list).Slice(func(i int) app.UI {
			w := list[i]
			name := w.name
			if name == "" {
				name = "Not named yet"
			}
			var bits []string
			if w.views > 0 {
				bits = append(bits, ui.Plural(w.views, "view", "views"))
			}
			if w.verdicts > 0 {
				bits = append(bits, ui.Plural(w.verdicts, "verdict", "verdicts"))
			}
			if w.says > 0 {
				bits = append(bits, ui.Plural(w.says, "comment", "comments"))
			}
			return app.Div().Class("rl-reviewer").DataSet("name", w.name).Body(
				app.Span().Class("avatar sm rl-avatar").Text(ui.Initials(name)),
				app.Div().Class("rl-reviewer-info").Body(
					app.Div().Class("rl-reviewer-name").Text(name),
					app.Div().Class("muted small rl-reviewer-views").Text(strings.Join(bits, " · ")),
					app.If(!w.last.IsZero(), func() app.UI {
						return app.Div().Class("muted small").Title(w.last.Local().Format("Mon 2 Jan 2006, 15:04")).Text("Last seen " + ui.RelTime(w.last))
					}),
				),
			)
		}),
	)
}
