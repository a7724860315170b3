package app

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// The owner's side of review links: the create and edit dialog (opened from
// a selection in a project), the lists on Links > Review and on a project,
// and one link's page with its approvals and comments as they come in.

func parentOf(c model.Comment) string {
	if c.ParentID == nil {
		return ""
	}
	return *c.ParentID
}

// rlTally counts the verdicts of a link.
type rlTally struct{ approved, changes, rejected, comments int }

func tallyOf(act model.ReviewLinkActivity) rlTally {
	var t rlTally
	for _, a := range act.Approvals {
		switch a.Status {
		case "approved":
			t.approved++
		case "needs_changes":
			t.changes++
		case "rejected":
			t.rejected++
		}
	}
	t.comments = len(act.Comments)
	return t
}

// rlStatusLabel is how a verdict reads.
func rlStatusLabel(s string) string {
	switch s {
	case "approved":
		return "Approved"
	case "needs_changes":
		return "Needs changes"
	case "rejected":
		return "Rejected"
	}
	return s
}

// approvalBadge shows a verdict, with who gave it when who is not "".
func approvalBadge(who, status string) app.UI {
	text := rlStatusLabel(status)
	if who != "" {
		text = who + " · " + text
	}
	iconName := map[string]string{"approved": "check", "needs_changes": "edit", "rejected": "x"}[status]
	return app.Span().Class("approval-badge is-"+strings.ReplaceAll(status, "_", "-")).DataSet("status", status).
		Title(rlStatusLabel(status)).Body(icon(iconName), app.Span().Text(text))
}

// rlTallyLine is the approvals summary of a link: one badge per verdict.
func rlTallyLine(t rlTally) app.UI {
	return app.Div().Class("rl-tally").Body(
		app.Span().Class("rl-tally-n is-approved").Title("Approved").Body(icon("check"), app.Span().Text(strconv.Itoa(t.approved)+" approved")),
		app.Span().Class("rl-tally-n is-needs-changes").Title("Needs changes").Body(icon("edit"), app.Span().Text(strconv.Itoa(t.changes)+" needs changes")),
		app.Span().Class("rl-tally-n is-rejected").Title("Rejected").Body(icon("x"), app.Span().Text(strconv.Itoa(t.rejected)+" rejected")),
	)
}

// rlTimecode turns a frame number of a file without a frame rate (24 fps,
// as the reviewer's page counts audio) into m:ss, or h:mm:ss.
func rlTimecode(frame int) string {
	s := frame / 24
	if s >= 3600 {
		return app.FormatString("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return app.FormatString("%02d:%02d", s/60, s%60)
}

func rlExpiry(l model.ReviewLink, now time.Time) string {
	switch {
	case l.ExpiresAt == nil:
		return "Never expires"
	case l.ExpiresAt.After(now):
		return "Expires in " + roughDuration(l.ExpiresAt.Sub(now))
	}
	return "Expired " + roughAgo(now.Sub(*l.ExpiresAt))
}

func rlExpiryDate(l model.ReviewLink) string {
	if l.ExpiresAt == nil {
		return "No expiration date"
	}
	return l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")
}

func rlStatusBadge(l model.ReviewLink) app.UI {
	switch {
	case l.Locked:
		return app.Span().Class("badge badge-red rl-status").DataSet("active", "false").
			Title("Locked after too many wrong passwords: nobody can open it until you unlock it").Text("Locked")
	case l.IsActive:
		return app.Span().Class("badge badge-green rl-status").DataSet("active", "true").Text("Active")
	case l.ExpiresAt != nil && l.ExpiresAt.Before(time.Now()):
		return app.Span().Class("badge badge-grey rl-status").DataSet("active", "false").Text("Expired")
	}
	return app.Span().Class("badge badge-grey rl-status").DataSet("active", "false").Text("Inactive")
}

// rlMailto is a mail to nobody yet with the link in it: the mail app asks
// for the recipient.
func rlMailto(l model.ReviewLink) string {
	body := "Please review " + l.Name + " and leave your comments and approvals here:\n\n" + l.ShortURL + "\n"
	if l.ExpiresAt != nil {
		body += "\nThe link works until " + l.ExpiresAt.Local().Format("2 Jan 2006") + ".\n"
	}
	q := url.Values{"subject": {"For your review: " + l.Name}, "body": {body}}
	// mailto wants %20 for spaces, not +.
	return "mailto:?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// rlIcons are icons only the review UI draws.
var rlIcons = map[string]string{
	"copy":     `<rect x="9" y="9" width="13" height="13" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>`,
	"qr":       `<rect x="3" y="3" width="7" height="7" rx="1"/><rect x="14" y="3" width="7" height="7" rx="1"/><rect x="3" y="14" width="7" height="7" rx="1"/><path d="M14 14h3v3h-3zM20 14v.01M14 20h.01M17 20h4v-3"/>`,
	"mail":     `<rect x="2" y="4" width="20" height="16" rx="2"/><path d="M22 6l-10 7L2 6"/>`,
	"lock":     `<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`,
	"external": `<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14L21 3"/>`,
	"clock":    `<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>`,
	"eye":      `<path d="M1 12s4-8 11-8 11 8 11 8-4 8-11 8S1 12 1 12z"/><circle cx="12" cy="12" r="3"/>`,
	"pen":      `<path d="M12 19l7-7 3 3-7 7-3-3z"/><path d="M18 13l-1.5-7.5L2 2l3.5 14.5L13 18l5-5z"/><path d="M2 2l7.586 7.586"/><circle cx="11" cy="11" r="2"/>`,
	"reply":    `<path d="M9 17l-5-5 5-5"/><path d="M20 18v-2a4 4 0 0 0-4-4H4"/>`,
	"search":   `<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`,
	"live":     `<circle cx="12" cy="12" r="4" fill="currentColor" stroke="none"/>`,
}

func rlIcon(name string) app.UI {
	p, ok := rlIcons[name]
	if !ok {
		return icon(name)
	}
	return app.Raw(`<svg class="ic" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` + p + `</svg>`)
}

// go-app keeps an element's handler when the new one comes from the same
// function literal (it compares code pointers), so a handler made for one
// row can stay on an element that now shows another. Handlers here capture
// only their (stable) component and read what they act on from the
// element: its id, or the data-id of the row around it.

// closestData is the data-<key> of the nearest element around the event's
// source that has one.
func closestData(ctx app.Context, key string) string {
	el := ctx.JSSrc().Call("closest", "[data-"+key+"]")
	if el.IsNull() || el.IsUndefined() {
		return ""
	}
	return el.Get("dataset").Get(key).String()
}

// rlSwitch is an on/off toggle with a hint under its label; onChange reads
// the input's id to know which.
func rlSwitch(id, label, hint string, on bool, onChange app.EventHandler) app.UI {
	return app.Label().Class("sl-switch rl-switch").Body(
		app.Input().Type("checkbox").ID(id).Attr("role", "switch").Checked(on).OnChange(onChange),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(hint != "", func() app.UI { return app.Span().Class("sl-check-hint").Text(hint) }),
		),
	)
}

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
		AllowApprovals:     ptr(f.approvals),
		CurrentVersionOnly: ptr(f.current),
		EnableDownloading:  ptr(f.downloads),
		EnableComments:     ptr(f.comments),
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
		in.Password = ptr(f.newPassword)
	case f.password && !keeps:
		return in, "Type a password, or turn the password off."
	case !f.password && keeps:
		in.RemovePassword = true
	}
	return in, ""
}

// reviewLinkDialogs are the review link dialogs of a page. They stay
// mounted, so what they start always reports back here.
type reviewLinkDialogs struct {
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
func (d *reviewLinkDialogs) sendEmail(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if d.created == nil || d.emailBusy {
		return
	}
	id, to, msg := d.created.ID, d.emailTo, d.emailMsg
	d.emailBusy, d.emailErr, d.emailSent = true, "", ""
	ctx.Async(func() {
		out, err := api.ShareReviewLink(id, model.ReviewLinkShare{Recipients: to, Message: msg})
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

func (d *reviewLinkDialogs) OnMount(ctx app.Context) {
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
func (d *reviewLinkDialogs) unlock(ctx app.Context, l model.ReviewLink) {
	ctx.Async(func() {
		_, err := api.UpdateReviewLink(l.ID, model.ReviewLinkInput{Locked: ptr(false)})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				toast(ctx, "Could not unlock: "+err.Error())
				return
			}
			toast(ctx, "Link unlocked")
			reload(ctx)
		})
	})
}

// onSwitch sets the option of the toggle that changed.
func (d *reviewLinkDialogs) onSwitch(ctx app.Context, e app.Event) {
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
func (d *reviewLinkDialogs) onInput(ctx app.Context, e app.Event) {
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

func (d *reviewLinkDialogs) generate(ctx app.Context, e app.Event) {
	if d.form == nil {
		return
	}
	d.form.newPassword = randomPassword()
	copyText(d.form.newPassword)
	toast(ctx, "Password copied")
}

func (d *reviewLinkDialogs) copyCreated(ctx app.Context, e app.Event) {
	if d.created != nil {
		copyText(d.created.ShortURL)
		toast(ctx, "Link copied")
	}
}

func (d *reviewLinkDialogs) close(ctx app.Context, e app.Event) {
	if d.busy || (d.form != nil && d.form.busy) {
		return
	}
	d.form, d.created, d.showQR, d.qr, d.confirm, d.err = nil, nil, false, nil, nil, ""
}

func (d *reviewLinkDialogs) submit(ctx app.Context, e app.Event) {
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
			l, err = api.UpdateReviewLink(f.link.ID, in)
		} else {
			l, err = api.CreateReviewLink(f.projectID, in)
			if err == nil && len(ids) > 0 {
				if l2, err2 := api.AddReviewAssets(l.ID, ids); err2 != nil {
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
				toast(ctx, "Review link created")
			} else {
				toast(ctx, "Review link saved")
			}
			reload(ctx)
		})
	})
}

func (d *reviewLinkDialogs) remove(ctx app.Context, e app.Event) {
	r := d.confirm
	d.busy, d.err = true, ""
	ctx.Async(func() {
		err := api.DeleteReviewLink(r.link.ID)
		ctx.Dispatch(func(ctx app.Context) {
			d.busy = false
			if err != nil {
				d.err = err.Error()
				return
			}
			d.confirm = nil
			toast(ctx, "Review link deleted")
			if r.after != "" {
				ctx.Navigate(r.after)
				return
			}
			reload(ctx)
		})
	})
}

func (d *reviewLinkDialogs) Render() app.UI {
	switch {
	case d.form != nil:
		return d.renderForm()
	case d.created != nil:
		return d.renderCreated()
	case d.qr != nil:
		l := *d.qr
		return dialog("QR code", d.close, []app.UI{rlQR(l)},
			app.A().Class("btn btn-secondary").ID("rl-qr-png").Href("/api/v2/review_links/"+l.ID+"/qr.png?download=1").Attr("download", "").
				Body(icon("download"), app.Span().Text("Download PNG")),
			app.A().Class("btn btn-secondary").ID("rl-qr-svg").Href("/api/v2/review_links/"+l.ID+"/qr.svg?download=1").Attr("download", "").
				Body(icon("download"), app.Span().Text("Download SVG")),
			button("Close", "secondary", d.close).ID("rl-qr-close"),
		)
	case d.confirm != nil:
		l := d.confirm.link
		return dialog("Delete \""+l.Name+"\"?", d.close, []app.UI{
			errorBox(d.err),
			app.P().Text("Reviewers can no longer open this link, and the link's page with its approvals and views goes away. This cannot be undone."),
			app.P().Class("muted small rl-confirm-note").Text("The files stay in the project. To send them for review again, create a new link."),
		},
			button("Cancel", "ghost", d.close),
			button(map[bool]string{true: "Deleting…", false: "Delete link"}[d.busy], "danger", d.remove).ID("rl-delete-confirm").Disabled(d.busy),
		)
	}
	return app.Span().Class("review-link-dialogs")
}

func (d *reviewLinkDialogs) renderForm() app.UI {
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
	return dialog(title, d.close, []app.UI{
		app.Form().ID("rl-form").Class("rl-form").OnSubmit(d.submit).Body(
			app.If(f.link == nil, func() app.UI {
				return app.Div().Class("rl-picked").Body(
					app.Div().Class("rl-picked-thumbs").Body(app.Range(picked).Slice(func(i int) app.UI {
						return rlThumb(picked[i], "rl-picked-thumb")
					})),
					app.Span().Class("muted small").Text(plural(len(f.assets), "file goes", "files go")+" into the link. Reviewers need no account."),
				)
			}),
			errorBox(f.err),
			field("Link name", app.Input().ID("rl-name").MaxLength(200).Placeholder(f.defaultName()).
				Value(f.name).OnInput(d.onInput), ""),
			app.FieldSet().Class("sl-fieldset rl-options").Body(
				app.Legend().Class("field-label").Text("Reviewers can"),
				rlSwitch("rl-allow-approvals", "Approve", "Mark each file approved, needs changes or rejected", f.approvals, d.onSwitch),
				rlSwitch("rl-comments", "Comment", "Leave comments, with timecodes on video and drawings on images", f.comments, d.onSwitch),
				rlSwitch("rl-downloads", "Download", "Download the files they review", f.downloads, d.onSwitch),
				rlSwitch("rl-current-version", "See the current version only", "Hide earlier versions of version stacks", f.current, d.onSwitch),
			),
			rlSwitch("rl-expires-toggle", "Set expiration date", "", f.expires, d.onSwitch),
			app.If(f.expires, func() app.UI {
				return app.Div().Class("sl-sub").Body(
					field("Expires on", app.Input().ID("rl-expires").Type("date").Required(true).Min(tomorrow).
						Value(f.expiresOn).OnInput(d.onInput), "The link works until the end of that day."),
				)
			}),
			rlSwitch("rl-password-toggle", "Set password", "", f.password, d.onSwitch),
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
							button("Generate", "secondary", d.generate).ID("rl-generate"),
						),
						app.Span().Class("field-hint").Text(hint),
					),
				)
			}),
			app.If(keeps && !f.password, func() app.UI {
				return app.P().Class("field-hint sl-sub").Text("Saving removes the password: anyone with the link can open it.")
			}),
			app.Div().Class("form-actions").Body(
				button("Cancel", "ghost", d.close),
				app.Button().Type("submit").ID("rl-submit").Class("btn btn-primary").Disabled(f.busy).Text(submit),
			),
		),
	})
}

func (d *reviewLinkDialogs) renderCreated() app.UI {
	l := *d.created
	note := "Anyone with this link can review " + plural(l.ItemCount, "file", "files") + " after giving their name; no account needed."
	if l.HasPassword {
		note += " They need the password you set."
	}
	if l.ExpiresAt != nil {
		note += " It works until " + l.ExpiresAt.Local().Format("2 Jan 2006") + "."
	}
	return dialog("Review link created", d.close, []app.UI{
		app.Div().Class("rl-created").ID("rl-created").Body(
			app.Div().Class("alert alert-success").Text(note),
			app.Div().Class("field-label").Text(l.Name),
			app.Div().Class("copy-row").Body(
				app.Code().ID("rl-created-url").Text(l.ShortURL),
				button("Copy", "primary", d.copyCreated).ID("rl-copy"),
			),
			app.Div().Class("rl-created-actions").Body(
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-qr").Attr("aria-expanded", strconv.FormatBool(d.showQR)).
					OnClick(func(ctx app.Context, e app.Event) { d.showQR = !d.showQR }).
					Body(rlIcon("qr"), app.Span().Text(map[bool]string{true: "Hide QR code", false: "QR code"}[d.showQR])),
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-email-open").
					OnClick(func(ctx app.Context, e app.Event) { d.emailOpen = !d.emailOpen }).
					Body(rlIcon("mail"), app.Span().Text("Send by email")),
				app.A().Class("btn btn-ghost").ID("rl-email").Href(rlMailto(l)).Title("Opens in your mail app").
					Body(app.Span().Text("Mail app")),
			),
			app.If(d.emailOpen, func() app.UI {
				return app.Form().Class("rl-email-form").ID("rl-email-form").OnSubmit(d.sendEmail).Body(
					field("Recipients", app.Input().ID("rl-email-to").Type("text").Placeholder("mia@client.com, tom@client.com").
						Value(d.emailTo).OnInput(d.ValueTo(&d.emailTo)), "Separate addresses with commas. The password, if any, is not sent."),
					field("Message (optional)", app.Textarea().ID("rl-email-message").Text(d.emailMsg).OnInput(d.ValueTo(&d.emailMsg)), ""),
					errorBox(d.emailErr),
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
							Body(icon("download"), app.Span().Text("PNG")),
						app.A().Class("btn btn-ghost").ID("rl-qr-svg").Href("/api/v2/review_links/"+l.ID+"/qr.svg?download=1").Attr("download", "").
							Body(icon("download"), app.Span().Text("SVG")),
					),
				)
			}),
		),
	},
		app.A().Class("btn btn-secondary").ID("rl-open-activity").Href("/review-links/"+l.ID).Text("See activity"),
		button("Done", "primary", d.close).ID("rl-done"),
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
		return decorativeImg().Class("rl-thumb " + cls).Loading("lazy").Src("/api/v2/assets/" + thumbID(a) + "/proxies/thumb")
	}
	return app.Div().Class("rl-thumb rl-thumb-icon " + cls).Body(icon(kindIcon(a)))
}

// ---- the lists: Links > Review and a project's Review Links ----

// ReviewLinksPage lists review links with their figures: every project's
// on /links/review, one project's on /projects/{id}/review-links.
type ReviewLinksPage struct {
	app.Compo
	projectID string // "" means every project
	project   model.Project
	names     map[string]string // project names, for every project's list

	links   []model.ReviewLink
	tallies map[string]rlTally
	status  string
	q       string
	loaded  bool
	err     string
	loadSeq int
}

var reviewLinkTabs = []struct{ key, label string }{{"all", "All"}, {"active", "Active"}, {"inactive", "Inactive"}}

func (p *ReviewLinksPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *ReviewLinksPage) OnNav(ctx app.Context) {
	projectID := ""
	if parts := strings.Split(strings.Trim(ctx.Page().URL().Path, "/"), "/"); len(parts) == 3 && parts[0] == "projects" {
		projectID = parts[1]
	}
	if projectID != p.projectID || p.status == "" {
		p.projectID, p.project, p.names = projectID, model.Project{}, nil
		p.links, p.tallies, p.status, p.q, p.loaded, p.err = nil, nil, "all", "", false, ""
	}
	// The server prerenders without a session: it would only show an error.
	if !app.IsClient {
		return
	}
	p.load(ctx)
}

func (p *ReviewLinksPage) load(ctx app.Context) {
	p.loadSeq++
	seq, projectID := p.loadSeq, p.projectID
	ctx.Async(func() {
		var links []model.ReviewLink
		var pr model.Project
		var prs []model.Project
		var err error
		if projectID != "" {
			pr, err = api.Project(projectID)
			if err == nil {
				links, err = api.ReviewLinks(projectID, allPages())
			}
		} else {
			links, err = api.ReviewLinks("", allPages())
			if err == nil {
				prs, _ = api.Projects(allPages())
			}
		}
		// The verdicts are extra: without them the list still shows.
		tallies := map[string]rlTally{}
		if err == nil {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, l := range links {
				wg.Add(1)
				go func(id string) {
					defer wg.Done()
					if act, err := api.ReviewActivity(id); err == nil {
						mu.Lock()
						tallies[id] = tallyOf(act)
						mu.Unlock()
					}
				}(l.ID)
			}
			wg.Wait()
		}
		ctx.Dispatch(func(ctx app.Context) {
			if seq != p.loadSeq {
				return
			}
			p.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			sort.SliceStable(links, func(i, j int) bool { return links[i].InsertedAt.After(links[j].InsertedAt) })
			p.links, p.tallies, p.project, p.err = links, tallies, pr, ""
			if prs != nil {
				p.names = map[string]string{}
				for _, x := range prs {
					p.names[x.ID] = x.Name
				}
			}
		})
	})
}

func (p *ReviewLinksPage) shown() []model.ReviewLink {
	q := strings.ToLower(strings.TrimSpace(p.q))
	var out []model.ReviewLink
	for _, l := range p.links {
		if (p.status == "active" && !l.IsActive) || (p.status == "inactive" && l.IsActive) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.Name+" "+p.names[l.ProjectID]), q) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (p *ReviewLinksPage) Render() app.UI {
	subtitle := "Links where clients comment on and approve your work, no account needed. Select files in a project and click Review to make one."
	var crumbs, action app.UI
	if p.projectID != "" {
		subtitle = "Links where clients comment on and approve files of this project, no account needed."
		var root []model.Asset
		if p.project.ID != "" {
			root = []model.Asset{{ID: p.project.RootAssetID, Name: p.project.Name}}
		}
		crumbs = breadcrumbs(p.project, root)
		action = app.A().Class("btn btn-primary").ID("rl-pick-files").Href("/projects/"+p.projectID).
			Body(icon("plus"), app.Span().Text("Select files to review"))
	}
	counts := map[string]int{"all": len(p.links)}
	views := 0
	var sum rlTally
	for _, l := range p.links {
		if l.IsActive {
			counts["active"]++
		} else {
			counts["inactive"]++
		}
		views += l.ViewCount
		t := p.tallies[l.ID]
		sum.approved += t.approved
		sum.changes += t.changes
		sum.rejected += t.rejected
	}
	return frame("review", pageState(p.loaded, p.err), []app.UI{
		&reviewLinkDialogs{},
		crumbs,
		pageHeader("Review Links", subtitle, action),
		errorBox(p.err),
		app.Div().Class("stats rl-stats").Body(
			uploadLinkStat("links", "Review links", strconv.Itoa(len(p.links)), false),
			uploadLinkStat("views", "Views", strconv.Itoa(views), false),
			uploadLinkStat("approved", "Approved", strconv.Itoa(sum.approved), false),
			uploadLinkStat("changes", "Needs changes", strconv.Itoa(sum.changes), sum.changes > 0),
			uploadLinkStat("rejected", "Rejected", strconv.Itoa(sum.rejected), sum.rejected > 0),
		),
		app.Div().Class("ul-toolbar").Body(
			app.Div().Class("tabs").Attr("role", "tablist").Body(app.Range(reviewLinkTabs).Slice(func(i int) app.UI {
				t := reviewLinkTabs[i]
				cls := "tab rl-tab"
				if p.status == t.key {
					cls += " on"
				}
				return app.Button().Type("button").Class(cls).DataSet("status", t.key).Attr("role", "tab").
					Attr("aria-selected", strconv.FormatBool(p.status == t.key)).
					OnClick(func(ctx app.Context, e app.Event) { p.status = t.key }).Body(
					app.Text(t.label), app.Span().Class("tab-count").Text(strconv.Itoa(counts[t.key])),
				)
			})),
			app.Label().Class("ul-search").Body(
				rlIcon("search"),
				app.Span().Class("sr-only").Text("Search review links"),
				app.Input().Type("search").ID("rl-search").Placeholder("Search name or project").Value(p.q).OnInput(p.ValueTo(&p.q)),
			),
		),
		p.renderLinks(),
	})
}

func (p *ReviewLinksPage) renderLinks() app.UI {
	shown := p.shown()
	switch {
	case !p.loaded:
		return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
	case len(p.links) == 0 && p.err != "":
		return nil
	case len(p.links) == 0:
		href := "/projects"
		if p.projectID != "" {
			href = "/projects/" + p.projectID
		}
		return app.Div().Class("card").ID("rl-empty").Body(emptyState("review", "No review links yet",
			"Select files in a project and click Review: clients get one link where they comment on each file and approve it or ask for changes. Their verdicts show up here as they come in.",
			app.A().Class("btn btn-primary").Href(href).Text(map[bool]string{true: "Go to the project", false: "Go to Projects"}[p.projectID != ""])))
	case len(shown) == 0:
		return app.Div().Class("card").ID("rl-empty").Body(emptyState("review", "No matching links", "No review link on this tab matches the search.", nil))
	}
	return app.Div().Class("rl-grid").ID("rl-list").Body(app.Range(shown).Slice(func(i int) app.UI {
		return p.renderCard(shown[i])
	}))
}

// rlActions are the buttons of a link: copy, QR, unlock, edit and delete.
// Each says its operation in data-op for onAction.
func rlActions(l model.ReviewLink, onAction app.EventHandler) app.UI {
	act := func(op, cls, iconName, label string) app.UI {
		return app.Button().Type("button").Class("icon-btn "+cls).DataSet("op", op).Title(label).
			Attr("aria-label", label+": "+l.Name).OnClick(onAction).Body(rlIcon(iconName))
	}
	return app.Div().Class("rl-actions").Body(
		act("copy", "rl-copy-btn", "copy", "Copy link"),
		act("qr", "rl-qr-btn", "qr", "QR code"),
		app.If(l.Locked, func() app.UI { return act("unlock", "rl-unlock-btn", "lock", "Unlock") }),
		act("edit", "rl-edit-btn", "edit", "Edit link"),
		act("delete", "rl-delete-btn danger", "trash", "Delete link"),
	)
}

// onAction runs the data-op of the clicked button on the link of its row.
func (p *ReviewLinksPage) onAction(ctx app.Context, e app.Event) {
	e.PreventDefault()
	id, op := closestData(ctx, "id"), closestData(ctx, "op")
	for _, l := range p.links {
		if l.ID != id {
			continue
		}
		if op == "copy" {
			copyText(l.ShortURL)
			toast(ctx, "Link copied")
			return
		}
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l})
		return
	}
}

func (p *ReviewLinksPage) renderCard(l model.ReviewLink) app.UI {
	cls := "card rl-card review-link-row"
	if !l.IsActive {
		cls += " is-faded"
	}
	t, known := p.tallies[l.ID]
	return app.Div().Class(cls).DataSet("id", l.ID).DataSet("active", strconv.FormatBool(l.IsActive)).Body(
		app.Div().Class("rl-card-head").Body(
			app.A().Class("rl-name").Href("/review-links/"+l.ID).Title(l.Name).Text(l.Name),
			rlActions(l, p.onAction),
		),
		app.Div().Class("rl-badges").Body(
			rlStatusBadge(l),
			app.If(l.HasPassword, func() app.UI {
				return app.Span().Class("badge badge-grey rl-pw").Title("Password protected").Body(rlIcon("lock"), app.Span().Text("Password"))
			}),
			app.If(p.projectID == "" && p.names[l.ProjectID] != "", func() app.UI {
				return app.A().Class("ul-project").Href("/projects/"+l.ProjectID+"/review-links").Title("Review links of "+p.names[l.ProjectID]).
					Body(icon("folder"), app.Span().Text(p.names[l.ProjectID]))
			}),
		),
		app.If(l.ShortURL != "", func() app.UI {
			return app.Button().Type("button").Class("slr-url rl-url").DataSet("op", "copy").Title("Copy link").
				OnClick(p.onAction).Text(shareShortURLOf(l.ShortURL))
		}).Else(func() app.UI {
			// Only its creator, the project's owner and admins see a link's address.
			return app.P().Class("muted small rl-url").Text("Made by " + l.OwnerName)
		}),
		app.Div().Class("ul-figures rl-figures").Body(
			app.Div().Body(
				app.Div().Class("ul-figure rl-items").Text(strconv.Itoa(l.ItemCount)),
				app.Div().Class("muted small").Text(map[bool]string{true: "item", false: "items"}[l.ItemCount == 1]),
			),
			app.Div().Body(
				app.Div().Class("ul-figure rl-views").Text(strconv.Itoa(l.ViewCount)),
				app.Div().Class("muted small").Text(map[bool]string{true: "view", false: "views"}[l.ViewCount == 1]),
			),
			app.Div().Body(
				app.Div().Class("ul-figure rl-comments").Text(map[bool]string{true: strconv.Itoa(t.comments), false: "–"}[known]),
				app.Div().Class("muted small").Text(map[bool]string{true: "comment", false: "comments"}[t.comments == 1]),
			),
		),
		app.If(known, func() app.UI { return rlTallyLine(t) }),
		app.Div().Class("ul-foot").Body(
			app.Span().Class("ul-expiry").Title(rlExpiryDate(l)).Body(rlIcon("clock"), app.Span().Text(rlExpiry(l, time.Now()))),
			app.A().Class("rl-activity-link").Href("/review-links/"+l.ID).Text("Activity →"),
		),
	)
}

// shareShortURLOf drops the scheme: the rest is what people read.
func shareShortURLOf(u string) string {
	if x, err := url.Parse(u); err == nil && x.Host != "" {
		return x.Host + x.Path
	}
	return u
}

// ---- one link: its items, verdicts and comments, live ----

// ReviewLinkPage is /review-links/{id}: what reviewers did through one
// link, refreshed every few seconds while it is open.
type ReviewLinkPage struct {
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

func (p *ReviewLinkPage) OnMount(ctx app.Context) {
	ctx.Handle(reloadAction, func(ctx app.Context, _ app.Action) { p.load(ctx) })
}

func (p *ReviewLinkPage) OnNav(ctx app.Context) {
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

func (p *ReviewLinkPage) load(ctx app.Context) {
	id := p.id
	ctx.Async(func() {
		var items []model.ReviewLinkItem
		var act model.ReviewLinkActivity
		var pr model.Project
		l, err := api.ReviewLink(id)
		if err == nil {
			items, err = api.ReviewItems(id, allPages())
		}
		if err == nil {
			act, err = api.ReviewActivity(id)
		}
		if err == nil {
			pr, _ = api.Project(l.ProjectID)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if id != p.id {
				return
			}
			p.loaded = true
			if err != nil {
				if isUnauthorized(err) {
					ctx.Navigate("/login")
				}
				p.err = err.Error()
				return
			}
			p.link, p.items, p.act, p.project, p.err, p.updated = l, items, act, pr, "", time.Now()
		})
	})
}

// schedule polls the activity (and the link, for its view count) every few
// seconds until the page goes away or another loop replaces this one.
func (p *ReviewLinkPage) schedule(ctx app.Context, seq int) {
	ctx.After(reviewLinkPollEvery, func(ctx app.Context) {
		if seq != p.pollSeq {
			return
		}
		id := p.id
		ctx.Async(func() {
			var l model.ReviewLink
			act, err := api.ReviewActivity(id)
			if err == nil {
				l, err = api.ReviewLink(id)
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
func (p *ReviewLinkPage) refresh(ctx app.Context) {
	id := p.id
	ctx.Async(func() {
		act, err := api.ReviewActivity(id)
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil && id == p.id {
				p.act, p.updated = act, time.Now()
			}
		})
	})
}

func (p *ReviewLinkPage) reply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	text, parent := strings.TrimSpace(p.replyText), p.replyTo
	if text == "" {
		p.replyErr = "Type a reply."
		return
	}
	p.sending, p.replyErr = true, ""
	ctx.Async(func() {
		c, err := api.Reply(parent, model.NewComment{Text: text})
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
			toast(ctx, "Reply sent")
			p.refresh(ctx)
		})
	})
}

func (p *ReviewLinkPage) hasComment(id string) bool {
	for _, c := range p.act.Comments {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (p *ReviewLinkPage) setCompleted(ctx app.Context, c model.Comment, done bool) {
	if p.busy == nil {
		p.busy = map[string]bool{}
	}
	p.busy[c.ID] = true
	ctx.Async(func() {
		_, err := api.UpdateComment(c.ID, model.CommentPatch{Completed: &done})
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
			toast(ctx, map[bool]string{true: "Marked as done", false: "Opened again"}[done])
			p.refresh(ctx)
		})
	})
}

// linkAction runs the data-op of the clicked button on the link shown.
func (p *ReviewLinkPage) linkAction(ctx app.Context, e app.Event) {
	l := p.link
	op := closestData(ctx, "op")
	switch op {
	case "copy":
		copyText(l.ShortURL)
		toast(ctx, "Link copied")
	case "delete":
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l, after: "/projects/" + l.ProjectID + "/review-links"})
	default:
		openReviewLink(ctx, reviewLinkRequest{op: op, link: l})
	}
}

// comment is the comment around the clicked element.
func (p *ReviewLinkPage) comment(ctx app.Context) (model.Comment, bool) {
	id := closestData(ctx, "id")
	for _, c := range p.act.Comments {
		if c.ID == id {
			return c, true
		}
	}
	return model.Comment{}, false
}

func (p *ReviewLinkPage) startReply(ctx app.Context, e app.Event) {
	if c, ok := p.comment(ctx); ok {
		p.replyTo, p.replyText, p.replyErr = c.ID, "", ""
	}
}

func (p *ReviewLinkPage) toggleDone(ctx app.Context, e app.Event) {
	if c, ok := p.comment(ctx); ok {
		p.setCompleted(ctx, c, !c.Completed)
	}
}

// itemOf finds the item an asset id belongs to: the item's asset, or the
// newest version of a stack the reviewer saw.
func (p *ReviewLinkPage) itemOf(assetID string) int {
	for i, it := range p.items {
		if it.AssetID == assetID || it.Asset.ID == assetID || (it.Asset.CoverAssetID != "" && it.Asset.CoverAssetID == assetID) {
			return i
		}
	}
	return -1
}

func (p *ReviewLinkPage) Render() app.UI {
	l := p.link
	if !p.loaded || p.err != "" && l.ID == "" {
		return frame("review", pageState(p.loaded, p.err), []app.UI{
			&reviewLinkDialogs{},
			errorBox(p.err),
			app.If(!p.loaded, func() app.UI {
				return app.Div().Class("card").Body(app.Div().Class("empty").Body(app.Div().Class("spinner")))
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
	return frame("review", pageState(p.loaded, p.err), []app.UI{
		&reviewLinkDialogs{},
		crumbs,
		app.Div().Class("page-head rl-page-head").Body(
			app.Div().Class("rl-title-wrap").Body(
				app.H1().Class("rl-title").Text(l.Name),
				app.Div().Class("rl-sub").Body(
					rlStatusBadge(l),
					app.Span().Class("rl-live").Title("Checks for new activity every 5 seconds").Body(
						rlIcon("live"), app.Span().Text("Live · updated "+p.updated.Local().Format("15:04:05"))),
				),
			),
			app.Div().Class("page-actions").Body(
				app.If(l.Locked, func() app.UI {
					return button("Unlock", "secondary", p.linkAction).DataSet("op", "unlock").ID("rl-unlock")
				}),
				app.A().Class("btn btn-secondary").Href(l.ShortURL).Target("_blank").Rel("noopener").Body(rlIcon("external"), app.Span().Text("Open")),
				button("Edit", "secondary", p.linkAction).DataSet("op", "edit").ID("rl-edit"),
				app.Button().Type("button").Class("btn btn-danger-ghost rl-delete-page").ID("rl-delete").Title("Delete link").
					DataSet("op", "delete").OnClick(p.linkAction).Body(icon("trash"), app.Span().Text("Delete")),
			),
		),
		errorBox(p.err),
		app.If(p.pollErr != "", func() app.UI {
			return app.Div().Class("alert alert-info rl-poll-err").Text("Could not check for new activity: " + p.pollErr + ". Trying again in a few seconds.")
		}),
		app.Div().Class("card rl-linkbar").Body(
			app.Div().Class("copy-row rl-copy-row").Body(
				app.Code().ID("rl-page-url").Text(l.ShortURL),
				button("Copy", "primary", p.linkAction).DataSet("op", "copy").ID("rl-page-copy"),
				app.Button().Type("button").Class("btn btn-secondary").ID("rl-page-qr").DataSet("op", "qr").OnClick(p.linkAction).
					Body(rlIcon("qr"), app.Span().Text("QR")),
				app.A().Class("btn btn-secondary").ID("rl-page-email").Href(rlMailto(l)).Title("Opens in your mail app").
					Body(rlIcon("mail"), app.Span().Text("Email")),
			),
			app.Div().Class("rl-optline muted small").Body(
				app.Span().Title(rlExpiryDate(l)).Body(rlIcon("clock"), app.Text(rlExpiry(l, time.Now()))),
				rlOpt("Approvals", l.AllowApprovals), rlOpt("Comments", l.EnableComments), rlOpt("Downloads", l.EnableDownloading),
				app.If(l.CurrentVersionOnly, func() app.UI { return app.Span().Text("Current version only") }),
				app.If(l.HasPassword, func() app.UI { return app.Span().Body(rlIcon("lock"), app.Text("Password")) }),
			),
		),
		app.Div().Class("stats rl-stats rl-page-stats").Body(
			uploadLinkStat("items", "Items", strconv.Itoa(len(p.items)), false),
			uploadLinkStat("views", "Views", strconv.Itoa(l.ViewCount), false),
			uploadLinkStat("approved", "Approved", strconv.Itoa(t.approved), false),
			uploadLinkStat("changes", "Needs changes", strconv.Itoa(t.changes), t.changes > 0),
			uploadLinkStat("rejected", "Rejected", strconv.Itoa(t.rejected), t.rejected > 0),
			uploadLinkStat("comments", "Comments", strconv.Itoa(t.comments), false),
		),
		app.Div().Class("rl-layout").Body(
			app.Div().Class("rl-main").ID("rl-items").Body(p.renderItems()...),
			app.Aside().Class("rl-side").Attr("aria-label", "Reviewers").Body(p.renderReviewers()),
		),
	})
}

func rlOpt(label string, on bool) app.UI {
	if on {
		return app.Span().Class("rl-opt on").Body(icon("check"), app.Text(label))
	}
	return app.Span().Class("rl-opt off").Body(icon("x"), app.Text(label))
}

// renderItems is one card per file, and one more for activity on files no
// longer in the link.
func (p *ReviewLinkPage) renderItems() []app.UI {
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
		return []app.UI{app.Div().Class("card").Body(emptyState("file", "No files in this link",
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

func (p *ReviewLinkPage) renderItem(a model.Asset, assetID string, approvals []model.Approval, comments []model.Comment) app.UI {
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
		rate = frameRate(rational, a.FPS)
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
	meta := kindLabel(a)
	if a.Filesize > 0 {
		meta += " · " + humanBytes(a.Filesize)
	}
	return app.Div().Class("card rl-item").DataSet("asset", assetID).Body(
		app.Div().Class("rl-item-head").Body(
			app.If(assetID != "", func() app.UI {
				return app.A().Class("rl-item-thumb").Href("/assets/" + assetID).Body(rlThumb(a, ""))
			}).Else(func() app.UI {
				return app.Div().Class("rl-item-thumb").Body(app.Div().Class("rl-thumb rl-thumb-icon").Body(icon("layers")))
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
			app.Span().Class("rl-item-count muted small").Text(plural(len(comments), "comment", "comments")),
		),
		app.If(len(thread) > 0, func() app.UI { return app.Div().Class("rl-thread").Body(thread...) }),
	)
}

func (p *ReviewLinkPage) renderComment(c model.Comment, reply bool, rate float64) app.UI {
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
		app.Span().Class(map[bool]string{true: "avatar sm rl-avatar is-team", false: "avatar sm rl-avatar"}[fromTeam]).Text(initials(author)),
		app.Div().Class("rl-comment-body").Body(
			app.Div().Class("rl-comment-head").Body(
				app.Span().Class("rl-author").Text(author),
				app.If(fromTeam, func() app.UI { return app.Span().Class("badge badge-blue rl-team").Text("Team") }),
				app.Span().Class("muted small rl-when").Title(c.InsertedAt.Local().Format("Mon 2 Jan 2006, 15:04:05")).Text(relTime(c.InsertedAt)),
				app.If(c.Timestamp != nil, func() app.UI {
					if rate > 0 {
						return app.Span().Class("rl-timecode").Title(app.FormatString("Frame %d at %s fps", int(*c.Timestamp), strconv.FormatFloat(rate, 'f', -1, 64))).
							Text(timecode(int(*c.Timestamp), rate))
					}
					return app.Span().Class("rl-timecode").Title(app.FormatString("Frame %d at 24 fps", int(*c.Timestamp))).Text(rlTimecode(int(int(*c.Timestamp))))
				}),
				app.If(c.Page != nil, func() app.UI { return app.Span().Class("rl-chip").Text(app.FormatString("Page %d", *c.Page)) }),
				app.If(c.Annotation != nil && *c.Annotation != "", func() app.UI {
					return app.Span().Class("rl-chip rl-annotation").Title("The reviewer drew on the file").Body(rlIcon("pen"), app.Text("Annotation"))
				}),
				app.If(c.Completed, func() app.UI { return app.Span().Class("badge badge-green rl-done").Text("Done") }),
			),
			app.P().Class("rl-text").Text(c.Text),
			app.Div().Class("rl-comment-actions").Body(
				app.If(!reply, func() app.UI {
					return app.Button().Type("button").Class("rl-link-btn rl-reply-btn").
						OnClick(p.startReply).
						Body(rlIcon("reply"), app.Span().Text("Reply"))
				}),
				app.If(!reply, func() app.UI {
					label := map[bool]string{true: "Open again", false: "Mark as done"}[c.Completed]
					return app.Button().Type("button").Class("rl-link-btn rl-complete-btn").Disabled(p.busy[c.ID]).
						OnClick(p.toggleDone).
						Body(icon("check"), app.Span().Text(label))
				}),
			),
		),
	)
}

func (p *ReviewLinkPage) renderReplyForm() app.UI {
	return app.Form().Class("rl-reply").ID("rl-reply-form").OnSubmit(p.reply).Body(
		errorBox(p.replyErr),
		app.Textarea().ID("rl-reply-text").Rows(2).MaxLength(5000).AutoFocus(true).Placeholder("Write a reply; the reviewer sees it on the link.").
			Text(p.replyText).OnInput(p.ValueTo(&p.replyText)),
		app.Div().Class("rl-reply-actions").Body(
			button("Cancel", "ghost", func(ctx app.Context, e app.Event) { p.replyTo = "" }),
			app.Button().Type("submit").Class("btn btn-primary btn-sm").ID("rl-reply-send").Disabled(p.sending).
				Text(map[bool]string{true: "Sending…", false: "Reply"}[p.sending]),
		),
	)
}

// renderReviewers is who opened the link, how often, and their verdicts.
func (p *ReviewLinkPage) renderReviewers() app.UI {
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
				bits = append(bits, plural(w.views, "view", "views"))
			}
			if w.verdicts > 0 {
				bits = append(bits, plural(w.verdicts, "verdict", "verdicts"))
			}
			if w.says > 0 {
				bits = append(bits, plural(w.says, "comment", "comments"))
			}
			return app.Div().Class("rl-reviewer").DataSet("name", w.name).Body(
				app.Span().Class("avatar sm rl-avatar").Text(initials(name)),
				app.Div().Class("rl-reviewer-info").Body(
					app.Div().Class("rl-reviewer-name").Text(name),
					app.Div().Class("muted small rl-reviewer-views").Text(strings.Join(bits, " · ")),
					app.If(!w.last.IsZero(), func() app.UI {
						return app.Div().Class("muted small").Title(w.last.Local().Format("Mon 2 Jan 2006, 15:04")).Text("Last seen " + relTime(w.last))
					}),
				),
			)
		}),
	)
}
