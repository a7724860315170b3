package reviewlinks

import (
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
	protection          linkui.Protection
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
	}
	var msg string
	if in.ExpiresAt, msg = f.protection.ExpiresAt(); msg != "" {
		return in, msg
	}
	var missing bool
	if in.Password, in.RemovePassword, missing = f.protection.PasswordChange(); missing {
		return in, "Type a password or click Generate, or turn off the password."
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
			d.form = &reviewLinkForm{projectID: r.projectID, assets: r.assets, approvals: true, downloads: true, comments: true,
				protection: linkui.Protection{Prefix: "rl"}}
		case "edit":
			l := r.link
			d.form = &reviewLinkForm{link: &l, projectID: l.ProjectID, name: l.Name, approvals: l.AllowApprovals,
				current: l.CurrentVersionOnly, downloads: l.EnableDownloading, comments: l.EnableComments,
				protection: linkui.ProtectionOf("rl", l.ExpiresAt, l.HasPassword)}
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
	linkui.Unlock(ctx, func() error {
		_, err := fetch.API.UpdateReviewLink(l.ID, model.ReviewLinkInput{Locked: fetch.Ptr(false)})
		return err
	}, func() {})
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
	linkui.Send(ctx, &d.busy, &d.err, func() error { return fetch.API.DeleteReviewLink(r.link.ID) }, func(ctx app.Context) {
		d.confirm = nil
		shell.Toast(ctx, "Review link deleted")
		if r.after != "" {
			ctx.Navigate(r.after)
			return
		}
		shell.Reload(ctx)
	})
}

func (d *Dialogs) Render() app.UI {
	switch {
	case d.form != nil:
		return d.renderForm()
	case d.created != nil:
		return d.renderCreated()
	case d.qr != nil:
		return rlQR(*d.qr).Dialog(d.close)
	case d.confirm != nil:
		return linkui.Confirm{
			Title: "Delete \"" + d.confirm.link.Name + "\"?", Err: d.err,
			Body: []app.UI{
				app.P().Text("Reviewers can no longer open this link, and the link's page with its approvals and views goes away. This cannot be undone."),
				app.P().Class("muted small rl-confirm-note").Text("The files stay in the project. To send them for review again, create a new link."),
			},
			Label: "Delete link", Busy: "Deleting…", Kind: "danger", ID: "rl-delete-confirm", Running: d.busy,
			OnCancel: d.close, OnConfirm: d.remove,
		}.UI()
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
				Value(f.name).OnInput(d.ValueTo(&f.name)), ""),
			app.FieldSet().Class("sl-fieldset rl-options").Body(
				app.Legend().Class("field-label").Text("Reviewers can"),
				ui.Switch("rl-allow-approvals", "Approve", "Mark each file approved, needs changes or rejected", f.approvals, d.onSwitch),
				ui.Switch("rl-comments", "Comment", "Leave comments, with timecodes on video and drawings on images", f.comments, d.onSwitch),
				ui.Switch("rl-downloads", "Download", "Download the files they review", f.downloads, d.onSwitch),
				ui.Switch("rl-current-version", "See the current version only", "Hide earlier versions of version stacks", f.current, d.onSwitch),
			),
			f.protection.ExpiryUI(tomorrow, 14, "The link works until the end of that day.", func() {}),
			f.protection.PasswordUI("", "Send it to reviewers separately from the link."),
			app.Div().Class("form-actions").Body(
				ui.Button("Cancel", "ghost", d.close),
				app.Button().Type("submit").ID("rl-submit").Class("btn btn-primary").Disabled(f.busy).Text(submit),
			),
		),
	})
}

func (d *Dialogs) renderCreated() app.UI {
	l := *d.created
	qr := rlQR(l)
	return ui.Dialog("Review link created", d.close, []app.UI{
		linkui.Created{
			Prefix: "rl",
			Note: linkui.CreatedNote("Anyone with this link can review "+ui.Plural(l.ItemCount, "file", "files")+" after giving their name; no account needed.",
				l.HasPassword, l.ExpiresAt),
			Name: l.Name, URL: l.ShortURL,
			CopyButton: linkui.CopyButton("Copy", "primary", l.ShortURL, "Link copied").ID("rl-copy"),
			Actions: []app.UI{
				linkui.ToggleButton("rl-qr", "qr", map[bool]string{true: "Hide QR code", false: "QR code"}[d.showQR], d.showQR,
					func(ctx app.Context, e app.Event) { d.showQR = !d.showQR }),
				linkui.ActionButton("rl-email-open", "mail", "Send by email", func(ctx app.Context, e app.Event) { d.emailOpen = !d.emailOpen }),
				app.A().Class("btn btn-ghost").ID("rl-email").Href(rlMailto(l)).Title("Opens in your mail app").
					Body(app.Span().Text("Mail app")),
			},
			More: []app.UI{
				app.If(d.emailOpen, d.renderEmail),
				app.If(d.showQR, func() app.UI {
					return app.Div().Class("rl-created-qr").Body(qr.Box(), app.Div().Class("rl-qr-downloads").Body(qr.Downloads("ghost", "")...))
				}),
			},
		}.UI(),
	},
		app.A().Class("btn btn-secondary").ID("rl-open-activity").Href("/review-links/"+l.ID).Text("See activity"),
		ui.Button("Done", "primary", d.close).ID("rl-done"),
	)
}

// renderEmail is the form that mails the new link.
func (d *Dialogs) renderEmail() app.UI {
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
}

// rlQR is the QR code of a link with its address under it.
func rlQR(l model.ReviewLink) linkui.QR {
	return linkui.QR{Prefix: "rl", Base: "/api/v2/review_links/" + l.ID, URL: l.ShortURL, Class: "rl-qr-box"}
}

// rlThumb is the thumbnail of an asset, or its kind's icon.
func rlThumb(a model.Asset, cls string) app.UI {
	if a.Type != "folder" && a.ProxyStatus == "ready" {
		return ui.DecorativeImg().Class("rl-thumb " + cls).Loading("lazy").Src("/api/v2/assets/" + ui.ThumbID(a) + "/proxies/thumb")
	}
	return app.Div().Class("rl-thumb rl-thumb-icon " + cls).Body(ui.Icon(ui.KindIcon(a)))
}
