package sharing

import (
	"regexp"
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

// The governance part of the share dialog: allowed actions, the inbox and
// upload limit, the custom URL key, the internal note, registration,
// clickwrap and access control; the share-via-email dialog; the question
// before revoking. The rules themselves live on the server (docs/sharing.md);
// the dialog only disables what the server would refuse and says why.

// shareAction is one of the five allowed actions of a link.
type shareActionChoice struct {
	key, label, icon string
	says             string // what visitors can do, shown below the picker
	need             string // the access the creator needs on the folder
	upload           bool   // needs a link to a single folder
}

var shareActions = []shareActionChoice{
	{"preview", "Previews only", "eye", "Visitors can preview items in your share link, but cannot download.", "preview", false},
	{"download", "Downloads", "download", "Visitors can download items in your share link.", "download", false},
	{"upload", "Uploads", "upload", "Visitors can upload to folders in your share link.", "upload", true},
	{"upload_download", "Uploads and downloads", "updown", "Visitors can upload or download items in your share link.", "upload", true},
	{"full", "Full access", "full", "Visitors have full access, and can upload, download, modify or delete items in your share link.", "full", true},
}

func shareActionOf(key string) shareActionChoice {
	for _, a := range shareActions {
		if a.key == key {
			return a
		}
	}
	return shareActions[1]
}

// uploadMode reports whether visitors upload through the link's own folder.
func uploadMode(actions string) bool { return shareActionOf(actions).upload }

var urlKeyChars = regexp.MustCompile(`^[A-Za-z0-9]*$`)

// keyProblem says what is wrong with a custom URL key, or "".
func keyProblem(k string) string {
	switch {
	case !urlKeyChars.MatchString(k):
		return "Letters and digits only: no spaces, dashes or other signs."
	case len(k) < 3:
		return "At least 3 letters or digits."
	case len(k) > 64:
		return "At most 64 letters or digits."
	}
	return ""
}

// singleFolder reports whether the link shares one folder, which upload
// modes need.
func (f *shareForm) singleFolder() bool {
	t := f.target
	return t.Type == "folder" || (t.Type == "asset" && len(t.Assets) == 1 && t.Assets[0].Type == "folder")
}

// privAsset is the asset whose folder privileges bound the link.
func (f *shareForm) privAsset() string {
	t := f.target
	switch {
	case t.Type == "asset" || t.Type == "folder":
		return t.ID
	case len(t.Assets) > 0:
		return t.Assets[0].ID
	}
	return ""
}

// actionReason says why visitors cannot be given actions, or "". What the
// link already allows stays available, so an edit can keep it.
func (f *shareForm) actionReason(key string) string {
	if f.link != nil && f.link.AllowedActions == key {
		return ""
	}
	a := shareActionOf(key)
	if a.upload && !f.singleFolder() {
		return "Uploads need a link to a single folder, not to files."
	}
	if f.priv != nil && ui.AccessRank(f.priv.Access) < ui.AccessRank(a.need) {
		return "Your privileges on this folder (" + ui.AccessLabel(f.priv.Access) + ") do not allow " + strings.ToLower(a.label) + "."
	}
	return ""
}

// blocked says why the link cannot be created at all, or "".
func (f *shareForm) blocked() string {
	if f.link != nil {
		return ""
	}
	if f.priv != nil && !f.priv.Share {
		return "You cannot create share links from this folder: an admin turned sharing off for you here."
	}
	if f.kind == "download" && f.settings != nil && f.settings.RequirePassword {
		return "This site requires a password on every new share link, and direct download links cannot have one: create a public link instead."
	}
	return ""
}

// downloadsOff says why the download options do not apply, or "".
func (f *shareForm) downloadsOff() string {
	switch f.actions {
	case "preview":
		return "Previews only: visitors cannot download."
	case "upload":
		return "Uploads only: visitors cannot see or download the contents."
	}
	return ""
}

// passwordLock says why the password cannot be turned off, or "".
func (f *shareForm) passwordLock() string {
	if f.passwordRequired && f.protection.Password {
		return "Required: this site password-protects every new share link."
	}
	return ""
}

func (f *shareForm) expiryHint() string {
	s := "The link works until the end of that day."
	if f.link == nil && f.settings != nil && f.settings.DefaultExpirationDays != nil {
		s += " The site's default is " + ui.Plural(*f.settings.DefaultExpirationDays, "day", "days") + "."
	}
	return s
}

// governance adds the governance fields to in, or says what to fix.
func (f *shareForm) governance(in *model.ShareLinkPatch) string {
	if f.settings != nil && f.settings.AllowCustomURLs {
		k := strings.TrimSpace(f.key)
		changed := k != "" && (f.link == nil || k != f.link.Key)
		if changed {
			if msg := keyProblem(k); msg != "" {
				f.keyErr = msg
				return "Fix the URL key: " + msg
			}
			in.Key = &k
		}
	}
	in.Note = fetch.Ptr(strings.TrimSpace(f.note))
	if f.kind == "download" {
		return ""
	}
	if msg := f.actionReason(f.actions); msg != "" {
		return msg
	}
	in.AllowedActions = fetch.Ptr(f.actions)
	inbox := f.inbox
	if uploadMode(f.actions) {
		inbox = ""
	}
	in.InboxFolderID = &inbox
	in.MaxUploadMB = model.Null[int64]()
	if s := strings.TrimSpace(f.maxUploadMB); s != "" && (uploadMode(f.actions) || inbox != "") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return "Max upload size must be a whole number of megabytes above 0, or blank for the site's limit."
		}
		in.MaxUploadMB = model.Set(int64(n))
	}
	in.RequireRegistration = fetch.Ptr(f.register)
	form := ""
	if f.register {
		form = f.formID
	}
	in.FormID = &form
	in.ClickwrapID = fetch.Ptr(f.clickwrapID)
	in.AccessControl = fetch.Ptr(f.accessControl)
	return ""
}

// loadGovernance fetches what the dialog needs to offer the right choices:
// the site's sharing settings, the forms and clickwraps, the user's
// privileges on the shared folder and the project's folders. What does not
// load leaves every choice offered: the server decides.
func (d *Dialogs) loadGovernance(ctx app.Context, f *shareForm) {
	asset, project := f.privAsset(), f.target.ProjectID
	ctx.Async(func() {
		set, setErr := fetch.API.SharingSettings()
		var priv model.Privilege
		privErr := error(nil)
		if asset != "" {
			priv, privErr = fetch.API.MyPrivilege(asset)
		}
		var forms []model.ShareForm
		var wraps []model.Clickwrap
		var folders []model.FolderPath
		if f.kind == "public" {
			forms, _ = fetch.API.ShareForms()
			wraps, _ = fetch.API.Clickwraps()
			if project != "" {
				folders, _ = fetch.API.Folders(project)
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if d.form != f {
				return
			}
			f.forms, f.clickwraps, f.folders = forms, wraps, folders
			if asset != "" && privErr == nil && priv.Access != "" {
				f.priv = &priv
				if f.link == nil && f.actionReason(f.actions) != "" {
					f.actions = "preview"
				}
			}
			if setErr != nil {
				return
			}
			f.settings = &set
			if f.link != nil {
				return
			}
			if days := set.DefaultExpirationDays; days != nil && !f.expiresTouched {
				f.protection.Expires, f.protection.ExpiresOn = true, time.Now().AddDate(0, 0, *days).Format("2006-01-02")
			}
			if set.RequirePassword && f.kind == "public" {
				f.protection.Password, f.passwordRequired = true, true
			}
		})
	})
}

// renderNoSharing says when the user may not share from here.
func (d *Dialogs) renderNoSharing() app.UI {
	msg := d.form.blocked()
	if msg == "" {
		return nil
	}
	return app.Div().Class("callout callout-warn sl-no-share").ID("sl-no-share").Body(
		ui.Icon("lock"),
		app.Div().Body(app.Strong().Text("Sharing is off here"), app.P().Text(msg)),
	)
}

// renderActions is the allowed-actions picker and what the choice lets
// visitors do.
func (d *Dialogs) renderActions() app.UI {
	f := d.form
	chosen := shareActionOf(f.actions)
	var reasons []string
	seen := map[string]bool{}
	for _, a := range shareActions {
		if r := f.actionReason(a.key); r != "" && !seen[r] {
			seen[r] = true
			reasons = append(reasons, r)
		}
	}
	return app.FieldSet().Class("sl-fieldset sl-modes-set").Body(
		app.Legend().Class("field-label").Text("Allowed actions"),
		app.Div().Class("sl-modes").ID("sl-actions").Attr("role", "radiogroup").Body(app.Range(shareActions).Slice(func(i int) app.UI {
			a := shareActions[i]
			reason := f.actionReason(a.key)
			cls := "sl-mode"
			if f.actions == a.key {
				cls += " on"
			}
			if reason != "" {
				cls += " is-off"
			}
			title := a.says
			if reason != "" {
				title = reason
			}
			return app.Label().Class(cls).Title(title).DataSet("action", a.key).Body(
				app.Input().Type("radio").Class("sr-only").Name("sl-actions").ID("sl-action-"+a.key).Value(a.key).
					Checked(f.actions == a.key).Disabled(reason != "").
					OnChange(func(ctx app.Context, e app.Event) { f.actions = a.key }),
				app.Span().Class("sl-mode-icon").Body(ui.Icon(a.icon)),
				app.Span().Class("sl-mode-label").Text(a.label),
			)
		})),
		app.P().Class("sl-mode-says").ID("sl-actions-says").Body(ui.Icon(chosen.icon), app.Span().Text(chosen.says)),
		app.Range(reasons).Slice(func(i int) app.UI {
			return app.P().Class("field-hint sl-mode-reason").Text(reasons[i])
		}),
	)
}

// renderUploads is the associated inbox of preview and download links, and
// the upload size limit of links that take uploads.
func (d *Dialogs) renderUploads() app.UI {
	f := d.form
	up := uploadMode(f.actions)
	limit := func() app.UI {
		return ui.Field("Max upload size (MB)", app.Input().ID("sl-max-upload").Type("number").Min(1).Step(1).
			Attr("inputmode", "numeric").Placeholder("Site limit").Value(f.maxUploadMB).OnInput(d.ValueTo(&f.maxUploadMB)),
			"Per file. Blank: the site's limit.")
	}
	if up {
		return app.Div().Class("sl-row sl-uploads").Body(limit())
	}
	return app.Div().Class("sl-uploads").Body(
		ui.Field("Associated inbox", app.Select().ID("sl-inbox").OnChange(d.ValueTo(&f.inbox)).Body(
			app.Option().Value("").Selected(f.inbox == "").Text("None: visitors cannot upload"),
			app.Range(f.folders).Slice(func(i int) app.UI {
				fp := f.folders[i]
				return app.Option().Value(fp.ID).Selected(f.inbox == fp.ID).Text(ui.FolderLabel(fp.Path))
			}),
			app.If(f.inbox != "" && !hasFolder(f.folders, f.inbox), func() app.UI {
				return app.Option().Value(f.inbox).Selected(true).Text("The current inbox folder")
			}),
		), "Visitors can also upload files, which land in this folder; they never see what it holds."),
		app.If(f.inbox != "", func() app.UI { return app.Div().Class("sl-sub").Body(limit()) }),
	)
}

func hasFolder(fs []model.FolderPath, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

// renderKey is the custom URL key, when the site allows custom URLs.
func (d *Dialogs) renderKey() app.UI {
	f := d.form
	if f.settings == nil || !f.settings.AllowCustomURLs {
		return nil
	}
	placeholder := "Random letters and digits"
	return app.Label().Class("field sl-key-field").Body(
		app.Span().Class("field-label").Text("URL key"),
		app.Div().Class("sl-key-row").Body(
			app.Span().Class("sl-key-prefix").Text(linkui.ShortURL(internalURL("/s/"))),
			app.Input().ID("sl-key").MaxLength(64).Attr("spellcheck", "false").Attr("autocomplete", "off").
				Attr("aria-invalid", strconv.FormatBool(f.keyErr != "")).Placeholder(placeholder).Value(f.key).
				OnInput(func(ctx app.Context, e app.Event) {
					f.key = ctx.JSSrc().Get("value").String()
					f.keyErr = ""
					if f.key != "" && !urlKeyChars.MatchString(f.key) {
						f.keyErr = keyProblem(f.key)
					}
				}),
		),
		app.If(f.keyErr != "", func() app.UI {
			return app.Span().Class("field-error").ID("sl-key-error").Attr("role", "alert").Text(f.keyErr)
		}).Else(func() app.UI {
			return app.Span().Class("field-hint").Text("Letters and digits only. A readable key is easier to guess than a random one; blank keeps a random key.")
		}),
	)
}

// renderNote is the internal note.
func (d *Dialogs) renderNote() app.UI {
	f := d.form
	return ui.Field("Internal note", app.Textarea().ID("sl-note").Rows(2).MaxLength(2000).
		Placeholder("What this link is for, who has it").Text(f.note).OnInput(d.ValueTo(&f.note)),
		"Helps tell links apart on the Sharing page; never shown to visitors.")
}

// renderGate is what stands between visitors and the files: registration,
// a custom form, a clickwrap and access control.
func (d *Dialogs) renderGate() app.UI {
	f := d.form
	return app.FieldSet().Class("sl-fieldset sl-gate").Body(
		app.Legend().Class("field-label").Text("Visitors"),
		ui.ReasonSwitch("sl-register", "Require registration", f.register, "", func(on bool) { f.register = on }),
		app.If(f.register, func() app.UI {
			return app.Div().Class("sl-sub").Body(
				app.P().Class("field-hint sl-gate-hint").Text("Visitors give their name, company and email (name and a valid email are required) before they see anything. Registrations show on the link's page under Sharing."),
				ui.Field("Custom form", app.Select().ID("sl-form-select").OnChange(d.ValueTo(&f.formID)).Body(
					app.Option().Value("").Selected(f.formID == "").Text("Standard registration (name, company, email)"),
					app.Range(f.forms).Slice(func(i int) app.UI {
						fm := f.forms[i]
						return app.Option().Value(fm.ID).Selected(f.formID == fm.ID).Text(fm.Title)
					}),
				), "Admins make forms under Sharing > Custom forms."),
			)
		}),
		ui.Field("Clickwrap", app.Select().ID("sl-clickwrap").OnChange(d.ValueTo(&f.clickwrapID)).Body(
			app.Option().Value("").Selected(f.clickwrapID == "").Text("None"),
			app.Range(f.clickwraps).Slice(func(i int) app.UI {
				c := f.clickwraps[i]
				return app.Option().Value(c.ID).Selected(f.clickwrapID == c.ID).Text(c.Name)
			}),
		), "Visitors must agree to these terms before access."),
		app.Div().Class("field").Body(
			app.Span().Class("field-label").Text("Access control"),
			app.Div().Class("sl-radios").Attr("role", "radiogroup").Body(
				shareRadio("sl-access-anyone", "sl-access", "Anyone with the link", "Unless a password or registration stops them.",
					f.accessControl != "emailed", func() { f.accessControl = "anyone" }),
				shareRadio("sl-access-emailed", "sl-access", "Only from emailed links",
					"Each recipient's emailed link works in the first browser that opens it; another browser is refused and the recipient gets a fresh link.",
					f.accessControl == "emailed", func() { f.accessControl = "emailed" }),
			),
		),
	)
}

// shareRadio is a radio button with a description.
func shareRadio(id, name, label, hint string, on bool, set func()) app.UI {
	return app.Label().Class("sl-check sl-radio").Body(
		app.Input().Type("radio").ID(id).Name(name).Checked(on).OnChange(func(ctx app.Context, e app.Event) { set() }),
		app.Span().Class("sl-check-text").Body(
			app.Span().Class("sl-check-label").Text(label),
			app.If(hint != "", func() app.UI { return app.Span().Class("sl-check-hint").Text(hint) }),
		),
	)
}

// revokeWarning says what revoking n links loses.
func revokeWarning(n int) []app.UI {
	what := "the link, its settings, its registrations, its email recipients and its access log"
	them := "it"
	if n > 1 {
		what = "the links, their settings, their registrations, their email recipients and their access logs"
		them = "them"
	}
	return []app.UI{
		app.P().Text("Revoking is permanent: " + what + " are deleted, and visitors get “Share not found”. There is no way to reactivate " + them + "."),
		app.P().Class("muted small sl-confirm-note").Text("To stop a link but keep its access log and registrations, edit it and set an expiration date or a maximum of uses instead."),
	}
}

// renderEmail is the share-via-email dialog.
func (d *Dialogs) renderEmail() app.UI {
	l := *d.email
	return ui.Dialog("Share via email", d.close, []app.UI{
		app.Div().Class("sl-email-dialog").ID("sl-email-dialog").Body(&shareEmailPanel{Link: l}),
	}, ui.Button("Close", "secondary", d.close).ID("sl-email-close"))
}

// shareEmailPanel sends a link by email and lists who it went to. The
// dialog and the link's page under Sharing both use it.
type shareEmailPanel struct {
	app.Compo
	Link model.ShareLink

	to, message, company, note string
	busy                       bool
	err                        string

	loadedFor  string
	recipients []model.ShareRecipient
	loaded     bool
	loadErr    string
}

func (p *shareEmailPanel) OnMount(ctx app.Context) { p.load(ctx) }

func (p *shareEmailPanel) OnUpdate(ctx app.Context) {
	if p.Link.ID != p.loadedFor {
		p.to, p.message, p.company, p.note, p.err = "", "", "", "", ""
		p.load(ctx)
	}
}

func (p *shareEmailPanel) load(ctx app.Context) {
	id := p.Link.ID
	p.loadedFor = id
	ctx.Async(func() {
		rs, err := fetch.API.ShareLinkRecipients(id)
		ctx.Dispatch(func(ctx app.Context) {
			if p.loadedFor != id {
				return
			}
			p.loaded = true
			if err != nil {
				p.loadErr = err.Error()
				return
			}
			p.recipients, p.loadErr = rs, ""
		})
	})
}

func (p *shareEmailPanel) send(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if strings.TrimSpace(p.to) == "" {
		p.err = "Type at least one email address."
		return
	}
	in := model.ShareEmail{
		To: strings.TrimSpace(p.to), Message: strings.TrimSpace(p.message),
		Company: strings.TrimSpace(p.company), Note: strings.TrimSpace(p.note),
	}
	id := p.Link.ID
	p.busy, p.err = true, ""
	ctx.Async(func() {
		added, err := fetch.API.EmailShareLink(id, in)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.err = err.Error()
				return
			}
			p.to, p.message = "", ""
			shell.Toast(ctx, "Sent to "+ui.Plural(len(added), "recipient", "recipients"))
			p.load(ctx)
			shell.Reload(ctx)
		})
	})
}

func (p *shareEmailPanel) Render() app.UI {
	l := p.Link
	return app.Div().Class("sl-email").Body(
		app.Form().ID("sl-email-form").OnSubmit(p.send).Body(
			app.If(l.AccessControl == "emailed", func() app.UI {
				return app.P().Class("alert alert-info sl-email-bound").Text("Only from emailed links: each recipient gets a link of their own, which works in the first browser that opens it.")
			}),
			ui.ErrorBox(p.err),
			ui.Field("To", app.Input().ID("sl-email-to").Type("text").Attr("inputmode", "email").Attr("autocomplete", "off").
				Placeholder("alice@example.com, bob@example.com").Value(p.to).OnInput(p.ValueTo(&p.to)),
				"Separate addresses with commas; up to 50."),
			ui.Field("Add a custom message", app.Textarea().ID("sl-email-message").Rows(3).MaxLength(4000).
				Placeholder("Optional: a few words above the link").Text(p.message).OnInput(p.ValueTo(&p.message)), ""),
			app.Div().Class("sl-row sl-row-2").Body(
				ui.Field("Company", app.Input().ID("sl-email-company").MaxLength(200).Placeholder("Optional").
					Value(p.company).OnInput(p.ValueTo(&p.company)), ""),
				ui.Field("Note", app.Input().ID("sl-email-note").MaxLength(500).Placeholder("Optional").
					Value(p.note).OnInput(p.ValueTo(&p.note)), ""),
			),
			app.Div().Class("sl-email-actions").Body(
				app.Span().Class("field-hint").Text("Company and note are for you: they show in the table below, not in the email."),
				app.Button().Type("submit").ID("sl-email-send").Class("btn btn-primary").Disabled(p.busy).Body(
					ui.Icon("mail"), app.Span().Text(map[bool]string{true: "Sending…", false: "Send email"}[p.busy]),
				),
			),
		),
		app.H3().Class("sl-email-head").Text("Recipients"),
		p.renderRecipients(),
	)
}

func (p *shareEmailPanel) renderRecipients() app.UI {
	return ui.Part(p.loaded, p.loadErr, len(p.recipients),
		app.P().Class("muted small sl-none").ID("sl-recipients-none").Text("Nobody has been sent this link by email yet."),
		p.recipientsTable)
}

func (p *shareEmailPanel) recipientsTable() app.UI {
	return app.Div().Class("table-card sl-recipients-scroll").Body(app.Table().Class("table sl-recipients stack-phone").ID("sl-recipients").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("Company"), app.Th().Text("Note"), app.Th().Text("Email"), app.Th().Text("Sent"), app.Th().Text("Status"),
		)),
		app.TBody().Body(app.Range(p.recipients).Slice(func(i int) app.UI {
			r := p.recipients[i]
			return app.Tr().Class("sl-recipient").Body(
				app.Td().DataSet("label", "Company").Text(ui.ValueOrDash(r.Company)),
				app.Td().DataSet("label", "Note").Class("muted").Text(ui.ValueOrDash(r.Note)),
				app.Td().DataSet("label", "Email").Class("sl-recipient-email").Text(r.Email),
				app.Td().DataSet("label", "Sent").Class("nowrap").Title(r.SentAt.Local().Format("2 Jan 2006, 15:04")).
					Text(r.SentAt.Local().Format("2 Jan 2006")+sendsNote(r.Sends)),
				app.Td().DataSet("label", "Status").Body(recipientBadge(r)),
			)
		})),
	))
}

func sendsNote(n int) string {
	if n > 1 {
		return app.FormatString(" (%d sends)", n)
	}
	return ""
}

func recipientBadge(r model.ShareRecipient) app.UI {
	switch {
	case r.Bound:
		return app.Span().Class("badge badge-green").Title("Opened, and bound to the browser that opened it").Text("Bound")
	case r.OpenedAt != nil:
		return ui.Badge("Opened", "blue")
	}
	return ui.Badge("Not opened", "grey")
}
