package reviewlinks

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/linkui"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// ---- the dialogs: create, edit, created, QR, delete ----

const reviewLinkAction = "ferry:review-link"

// reviewLinkRequest asks the review dialogs of the page to open.
type reviewLinkRequest struct {
	op        string // create, edit, qr, delete, unlock
	projectID string
	assets    []model.Asset // what create puts into the link
	link      model.ReviewLink
	after     string // where to go after a delete; "" reloads the page
}

// OpenCreate opens the dialog that makes a review link of assets.
func OpenCreate(ctx app.Context, projectID string, assets []model.Asset) {
	openReviewLink(ctx, reviewLinkRequest{op: "create", projectID: projectID, assets: assets})
}

func openReviewLink(ctx app.Context, r reviewLinkRequest) {
	ctx.NewActionWithValue(reviewLinkAction, r)
}

// reviewLinkForm is what the create or edit dialog holds.
type reviewLinkForm struct {
	link      *model.ReviewLink // nil when creating
	projectID string
	assets    []model.Asset

	name                string
	approvals, current  bool
	downloads, comments bool
	expires             bool
	expiresOn           string
	password            bool
	newPassword         string
	busy                bool
	err                 string
}

func (f *reviewLinkForm) defaultName() string {
	switch len(f.assets) {
	case 0:
		return "Review " + time.Now().Format("2 Jan 2006")
	case 1:
		return f.assets[0].Name
	}
	return app.FormatString("%s and %d more", f.assets[0].Name, len(f.assets)-1)
}

// body is the JSON of create and edit, or a message about what is missing.
func (f *reviewLinkForm) body() (model.ReviewLinkInput, string) {
	name := strings.TrimSpace(f.name)
	if name == "" {
		name = f.defaultName()
	}
	in := model.ReviewLinkInput{
		Name:               &name,
		AllowApprovals:     fetch.Ptr(f.approvals),
		CurrentVersionOnly: fetch.Ptr(f.current),
		EnableDownloading:  fetch.Ptr(f.downloads),
		EnableComments:     fetch.Ptr(f.comments),
		ExpiresAt:          model.Null[time.Time](),
	}
	if f.expires {
		day, err := time.ParseInLocation("2006-01-02", f.expiresOn, time.Local)
		if err != nil {
			return in, "Pick the day the link expires."
		}
		end := day.AddDate(0, 0, 1).Add(-time.Second)
		if end.Before(time.Now()) {
			return in, "The expiration date is in the past."
		}
		// The link works through the whole chosen day.
		in.ExpiresAt = model.Set(end)
	}
	keeps := f.link != nil && f.link.HasPassword
	switch {
	case f.password && f.newPassword != "":
		in.Password = fetch.Ptr(f.newPassword)
	case f.password && !keeps:
		return in, "Type a password, or turn the password off."
	case !f.password && keeps:
		in.RemovePassword = true
	}
	return in, ""
}

// Dialogs are the review link dialogs of a page. They stay
// mounted, so what they start always reports back here.
type Dialogs struct {
	app.Compo
	form    *reviewLinkForm
	created *model.ReviewLink
	showQR  bool // the QR code inside the created dialog
	qr      *model.ReviewLink
	confirm *reviewLinkRequest
	busy    bool
	err     string

	// Send by email, inside the created dialog.
	emailOpen           bool
	emailTo, emailMsg   string
	emailErr, emailSent string
	emailBusy           bool
}

// sendEmail mails the created link to the recipients through Ferry's
// outbox (the password never goes with it).
func (d *Dialogs) sendEmail(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if d.created == nil || d.emailBusy {
		return
	}
	id, to, msg := d.created.ID, d.emailTo, d.emailMsg
	d.emailBusy, d.emailErr, d.emailSent = true, "", ""
	ctx.Async(func() {
		out, err := fetch.API.ShareReviewLink(id, model.ReviewLinkShare{Recipients: to, Message: msg})
		ctx.Dispatch(func(ctx app.Context) {
			d.emailBusy = false
			if err != nil {
				d.emailErr = err.Error()
				return
			}
			d.emailSent = "Sent to " + strings.Join(out.SentTo, ", ") + "."
			d.emailTo, d.emailMsg = "", ""
		})
	})
}

func (d *Dialogs) OnMount(ctx app.Context) {
	ctx.Handle(reviewLinkAction, func(ctx app.Context, a app.Action) {
		r, ok := a.Value.(reviewLinkRequest)
		if !ok {
			return
		}
		d.form, d.created, d.showQR, d.qr, d.confirm, d.busy, d.err = nil, nil, false, nil, nil, false, ""
		d.emailOpen, d.emailTo, d.emailMsg, d.emailErr, d.emailSent = false, "", "", "", ""
		switch r.op {
		case "create":
			d.form = &reviewLinkForm{projectID: r.projectID, assets: r.assets, approvals: true, downloads: true, comments: true}
		case "edit":
			l := r.link
			f := &reviewLinkForm{link: &l, projectID: l.ProjectID, name: l.Name, approvals: l.AllowApprovals,
				current: l.CurrentVersionOnly, downloads: l.EnableDownloading, comments: l.EnableComments, password: l.HasPassword}
			if l.ExpiresAt != nil {
				f.expires, f.expiresOn = true, l.ExpiresAt.Local().Format("2006-01-02")
			}
			d.form = f
		case "qr":
			l := r.link
			d.qr = &l
		case "delete":
			d.confirm = &r
		case "unlock":
			d.unlock(ctx, r.link)
		}
	})
}

// unlock opens a link that locked itself after wrong passwords.
func (d *Dialogs) unlock(ctx app.Context, l model.ReviewLink) {
	ctx.Async(func() {
		_, err := fetch.API.UpdateReviewLink(l.ID, model.ReviewLinkInput{Locked: fetch.Ptr(false)})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				shell.Toast(ctx, "Could not unlock: "+err.Error())
				return
			}
			shell.Toast(ctx, "Link unlocked")
			shell.Reload(ctx)
		})
	})
}

// onSwitch sets the option of the toggle that changed.
func (d *Dialogs) onSwitch(ctx app.Context, e app.Event) {
	f := d.form
	if f == nil {
		return
	}
	on := ctx.JSSrc().Get("checked").Bool()
	switch ctx.JSSrc().Get("id").String() {
	case "rl-allow-approvals":
		f.approvals = on
	case "rl-comments":
		f.comments = on
	case "rl-downloads":
		f.downloads = on
	case "rl-current-version":
		f.current = on
	case "rl-expires-toggle":
		f.expires = on
		if on && f.expiresOn == "" {
			f.expiresOn = time.Now().AddDate(0, 0, 14).Format("2006-01-02")
		}
	case "rl-password-toggle":
		f.password = on
	}
}

// onInput keeps what is typed into the field that changed.
func (d *Dialogs) onInput(ctx app.Context, e app.Event) {
	f := d.form
	if f == nil {
		return
	}
	v := ctx.JSSrc().Get("value").String()
	switch ctx.JSSrc().Get("id").String() {
	case "rl-name":
		f.name = v
	case "rl-expires":
		f.expiresOn = v
	case "rl-password":
		f.newPassword = v
	}
}

func (d *Dialogs) generate(ctx app.Context, e app.Event) {
	if d.form == nil {
		return
	}
	d.form.newPassword = linkui.RandomPassword()
	ui.CopyText(d.form.newPassword)
	shell.Toast(ctx, "Password copied")
}

func (d *Dialogs) copyCreated(ctx app.Context, e app.Event) {
	if d.created != nil {
		ui.CopyText(d.created.ShortURL)
		shell.Toast(ctx, "Link copied")
	}
}

func (d *Dialogs) close(ctx app.Context, e app.Event) {
	if d.busy || (d.form != nil && d.form.busy) {
		return
	}
	d.form, d.created, d.showQR, d.qr, d.confirm, d.err = nil, nil, false, nil, nil, ""
}

func (d *Dialogs) submit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f := d.form
	in, msg := f.body()
	if msg != "" {
		f.err = msg
		return
	}
	var ids []string
	for _, a := range f.assets {
		ids = append(ids, a.ID)
	}
	f.busy, f.err = true, ""
	ctx.Async(func() {
		var l model.ReviewLink
		var err error
		if f.link != nil {
			l, err = fetch.API.UpdateReviewLink(f.link.ID, in)
		} else {
			l, err = fetch.API.CreateReviewLink(f.projectID, in)
			if err == nil && len(ids) > 0 {
				if l2, err2 := fetch.API.AddReviewAssets(l.ID, ids); err2 != nil {
					err = &client.Error{Detail: "The link was made, but the files could not be added to it: " + err2.Error()}
				} else {
					l = l2
				}
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			f.busy = false
			if err != nil {
				f.err = err.Error()
				return
			}
			d.form = nil
			if f.link == nil {
				d.created = &l
				shell.Toast(ctx, "Review link created")
			} else {
				shell.Toast(ctx, "Review link saved")
			}
			shell.Reload(ctx)
		})
	})
}

func (d *Dialogs) remove(ctx app.Context, e app.Event) {
	r := d.confirm
	d.busy, d.err = true, ""
	ctx.Async(func() {
		err := fetch.API.DeleteReviewLink(r.link.ID)
		ctx.Dispatch(func(ctx app.Context) {
			d.busy = false
			if err != nil {
				d.err = err.Error()
				return
			}
			d.confirm = nil
			shell.Toast(ctx, "Review link deleted")
			if r.after != "" {
				ctx.Navigate(r.after)
				return
			}
			shell.Reload(ctx)
		})
	})
}

func (d *Dialogs) Render() app.UI {
	switch {
	case d.form != nil:
		return d.renderForm()
	case d.created != nil:
		return d.renderCreated()
	case d.qr != nil:
		l := *d.qr
		return ui.Dialog("QR code", d.close, []app.UI{rlQR(l)},
			app.A().Class("btn btn-secondary").ID("rl-qr-png").Href("/api/v2/review_links/"+l.ID+"/qr.png?download=1").Attr("download", "").
				Body(ui.Icon("download"), app.Span().Text("Download PNG")),
			app.A().Class("btn btn-secondary").ID("rl-qr-svg").Href("/api/v2/review_links/"+l.ID+"/qr.svg?download=1").Attr("download", "").
				Body(ui.Icon("download"), app.Span().Text("Download SVG")),
			ui.Button("Close", "secondary", d.close).ID("rl-qr-close"),
		)
	case d.confirm != nil:
		l := d.confirm.link
		return ui.Dialog("Delete \""+l.Name+"\"?", d.close, []app.UI{
			ui.ErrorBox(d.err),
			app.P().Text("Reviewers can no longer open this link, and the link's page with its approvals and views goes away. This cannot be undone."),
			app.P().Class("muted small rl-confirm-note").Text("The files stay in the project. To send them for review again, create a new link."),
		},
			ui.Button("Cancel", "ghost", d.close),
			ui.Button(map[bool]string{true: "Deleting…", false: "Delete link"}[d.busy], "danger", d.remove).ID("rl-delete-confirm").Disabled(d.busy),
		)
	}
	return app.Span().Class("review-link-dialogs")
}

func (d *Dialogs) renderForm() app.UI {
	f := d.form
	title := "Create review link"
	if f.link != nil {
		title = "Edit review link"
	}
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	keeps := f.link != nil && f.link.HasPassword
	picked := f.assets
	if len(picked) > 4 {
		picked = picked[:4]
	}
	submit := map[bool]string{true: "Creating…", false: "Create review link"}[f.busy]
	if f.link != nil {
		submit = map[bool]string{true: "Saving…", false: "Save changes"}[f.busy]
	}
	return ui.Dialog(title, d.close, []app.UI{
		app.Form().ID("rl-form").Class("rl-form").OnSubmit(d.submit).Body(
			app.If(f.link == nil, func() app.UI {
				return app.Div().Class("rl-picked").Body(
					app.Div().Class("rl-picked-thumbs").Body(app.Range(picked).Slice(func(i int) app.UI {
						return rlThumb(picked[i], "rl-picked-thumb")
					})),
					app.Span().Class("muted small").Text(ui.Plural(len(f.assets), "file goes", "files go")+" into the link. Reviewers need no account."),
				)
			}),
			ui.ErrorBox(f.err),
			ui.Field("Link name", app.Input().ID("rl-name").MaxLength(200).Placeholder(f.defaultName()).
				Value(f.name).OnInput(d.onInput), ""),
			app.FieldSet().Class("sl-fieldset rl-options").Body(
				app.Legend().Class("field-label").Text("Reviewers can"),
				ui.Switch("rl-allow-approvals", "Approve", "Mark each file approved, needs changes or rejected", f.approvals, d.onSwitch),
				ui.Switch("rl-comments", "Comment", "Leave comments, with timecodes on video and drawings on images", f.comments, d.onSwitch),
				ui.Switch("rl-downloads", "Download", "Download the files they review", f.downloads, d.onSwitch),
				ui.Switch("rl-current-version", "See the current version only", "Hide earlier versions of version stacks", f.current, d.onSwitch),
			),
			ui.Switch("rl-expires-toggle", "Set expiration date", "", f.expires, d.onSwitch),
			app.If(f.expires, func() app.UI {
				return app.Div().Class("sl-sub").Body(
					ui.Field("Expires on", app.Input().ID("rl-expires").Type("date").Required(true).Min(tomorrow).
						Value(f.expiresOn).OnInput(d.onInput), "The link works until the end of that day."),
				)
			}),
			ui.Switch("rl-password-toggle", "Set password", "", f.password, d.onSwitch),
			app.If(f.password, func() app.UI {
				placeholder, hint := "Password", "Send it to reviewers separately from the link."
				if keeps {
					placeholder, hint = "New password", "Leave blank to keep the current password; a new one replaces it and ends the visits of everyone who unlocked with the old one."
				}
				return app.Div().Class("sl-sub").Body(
					app.Label().Class("field").Body(
						app.Span().Class("sr-only").Text("Password"),
						app.Div().Class("sl-inline").Body(
							app.Input().ID("rl-password").Type("text").Attr("autocomplete", "new-password").Attr("spellcheck", "false").
								Placeholder(placeholder).Value(f.newPassword).OnInput(d.onInput),
							ui.Button("Generate", "secondary", d.generate).ID("rl-generate"),
						),
						app.Span().Class("field-hint").Text(hint),
					),
				)
			}),
			app.If(keeps && !f.password, func() app.UI {
				return app.P().Class("field-hint sl-sub").Text("Saving removes the password: anyone with the link can open it.")
			}),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", d.close),
				app.Button().Type("submit").ID("rl-submit").Class("btn btn-primary").Disabled(f.busy).Text(submit),
			),
		),
	})
}

func (d *Dialogs) renderCreated() app.UI {
	l := *d.created
	note := "Anyone with this link can review " + ui.Plural(l.ItemCount, "file", "files") + " after giving their name; no account needed."
	if l.HasPassword {
		note += " They need the password you set."
	}
	if l.ExpiresAt != nil {
		note += " It works until " + l.ExpiresAt.Local().Format("2 Jan 2006") + "."
	}
	return ui.Dialog("Review link created", d.close, []app.UI{
		app.Div().Class("rl-created").ID("rl-created").Body(
			app.Div().Class("alert alert-success").Text(note),
			app.Div().Class("field-label").Text(l.Name),
			app.Div().Class("copy-row").Body(
				app.Code().ID("rl-created-url").Text(l.ShortURL),
				ui.Button("Copy", "primary", d.copyCreated).ID("rl-copy"),
			),
			app.Div().Class("rl-created-actions").Body(
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-qr").Attr("aria-expanded", strconv.FormatBool(d.showQR)).
					OnClick(func(ctx app.Context, e app.Event) { d.showQR = !d.showQR }).
					Body(ui.Icon("qr"), app.Span().Text(map[bool]string{true: "Hide QR code", false: "QR code"}[d.showQR])),
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-email-open").
					OnClick(func(ctx app.Context, e app.Event) { d.emailOpen = !d.emailOpen }).
					Body(ui.Icon("mail"), app.Span().Text("Send by email")),
				app.A().Class("btn btn-ghost").ID("rl-email").Href(rlMailto(l)).Title("Opens in your mail app").
					Body(app.Span().Text("Mail app")),
			),
			app.If(d.emailOpen, func() app.UI {
				return app.Form().Class("rl-email-form").ID("rl-email-form").OnSubmit(d.sendEmail).Body(
					ui.Field("Recipients", app.Input().ID("rl-email-to").Type("text").Placeholder("mia@client.com, tom@client.com").
						Value(d.emailTo).OnInput(d.ValueTo(&d.emailTo)), "Separate addresses with commas. The password, if any, is not sent."),
					ui.Field("Message (optional)", app.Textarea().ID("rl-email-message").Text(d.emailMsg).OnInput(d.ValueTo(&d.emailMsg)), ""),
					ui.ErrorBox(d.emailErr),
					app.If(d.emailSent != "", func() app.UI { return app.Div().Class("alert alert-success").ID("rl-email-sent").Text(d.emailSent) }),
					app.Div().Class("form-actions").Body(
						app.Button().Type("submit").ID("rl-email-send").Class("btn btn-primary").Disabled(d.emailBusy).Text("Send"),
					),
				)
			}),
			app.If(d.showQR, func() app.UI {
				return app.Div().Class("rl-created-qr").Body(
					rlQR(l),
					app.Div().Class("rl-qr-downloads").Body(
						app.A().Class("btn btn-ghost").ID("rl-qr-png").Href("/api/v2/review_links/"+l.ID+"/qr.png?download=1").Attr("download", "").
							Body(ui.Icon("download"), app.Span().Text("PNG")),
						app.A().Class("btn btn-ghost").ID("rl-qr-svg").Href("/api/v2/review_links/"+l.ID+"/qr.svg?download=1").Attr("download", "").
							Body(ui.Icon("download"), app.Span().Text("SVG")),
					),
				)
			}),
		),
	},
		app.A().Class("btn btn-secondary").ID("rl-open-activity").Href("/review-links/"+l.ID).Text("See activity"),
		ui.Button("Done", "primary", d.close).ID("rl-done"),
	)
}

// rlQR is the QR code of a link with its address under it.
func rlQR(l model.ReviewLink) app.UI {
	return app.Div().Class("sl-qr-box rl-qr-box").Body(
		app.Img().Class("sl-qr-img").ID("rl-qr-img").Src("/api/v2/review_links/"+l.ID+"/qr.svg").Alt("QR code of "+l.ShortURL),
		app.P().Class("muted small sl-qr-url").Text(l.ShortURL),
		app.P().Class("field-hint").Text("Print it or put it on a slide: the camera of a phone opens the link."),
	)
}

// rlThumb is the thumbnail of an asset, or its kind's icon.
func rlThumb(a model.Asset, cls string) app.UI {
	if a.Type != "folder" && a.ProxyStatus == "ready" {
		return ui.DecorativeImg().Class("rl-thumb " + cls).Loading("lazy").Src("/api/v2/assets/" + ui.ThumbID(a) + "/proxies/thumb")
	}
	return app.Div().Class("rl-thumb rl-thumb-icon " + cls).Body(ui.Icon(ui.KindIcon(a)))
}
