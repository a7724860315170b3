package linkui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
)

// Confirm is the question before an action that cannot be undone (delete,
// revoke, resend): what it loses, and the button that does it.
type Confirm struct {
	Title       string
	Err         string
	Body        []app.UI
	Label, Busy string // the button's label, and its label while it runs ("" keeps Label)
	Kind        string // the button's kind: danger or primary
	ID          string // the button's id
	Running     bool
	OnCancel    app.EventHandler
	OnConfirm   app.EventHandler
}

// UI draws the dialog.
func (c Confirm) UI() app.UI {
	label := c.Label
	if c.Running && c.Busy != "" {
		label = c.Busy
	}
	return ui.Dialog(c.Title, c.OnCancel, append([]app.UI{ui.ErrorBox(c.Err)}, c.Body...),
		ui.Button("Cancel", "ghost", c.OnCancel),
		ui.Button(label, c.Kind, c.OnConfirm).ID(c.ID).Disabled(c.Running),
	)
}

// Send runs send away from the page with *busy set while it runs. When it
// fails its error goes into *errMsg, else done runs. The element that
// started it must stay mounted until the answer arrives: a dialog stays
// open while busy.
func Send(ctx app.Context, busy *bool, errMsg *string, send func() error, done func(ctx app.Context)) {
	*busy, *errMsg = true, ""
	ctx.Async(func() {
		err := send()
		ctx.Dispatch(func(ctx app.Context) {
			*busy = false
			if err != nil {
				*errMsg = err.Error()
				return
			}
			done(ctx)
		})
	})
}

// Fetch gets a part of a page (an access log, a list) away from the page
// through get: when the answer arrives *done is set, and *errMsg says why
// it failed or keep takes what get fetched.
func Fetch(ctx app.Context, get func() error, done *bool, errMsg *string, keep func()) {
	ctx.Async(func() {
		err := get()
		ctx.Dispatch(func(ctx app.Context) {
			*done = true
			if err != nil {
				*errMsg = err.Error()
				return
			}
			*errMsg = ""
			keep()
		})
	})
}

// CopyButton copies text and says what was copied ("Link copied").
func CopyButton(label, kind, text, copied string) app.HTMLButton {
	return ui.Button(label, kind, func(ctx app.Context, e app.Event) {
		ui.CopyText(text)
		shell.Toast(ctx, copied)
	})
}

// CopyRow is an address in code (codeID) with the button that copies it.
func CopyRow(codeID, url string, copyButton app.UI) app.UI {
	return app.Div().Class("copy-row").Body(app.Code().ID(codeID).Text(url), copyButton)
}

// Created is what the dialog of a new link shows: a note on what it gives,
// its name and address with a Copy button, and actions under them. Its
// elements are <prefix>-created, <prefix>-created-url and
// <prefix>-created-actions.
type Created struct {
	Prefix     string
	Note       string
	Name, URL  string
	CopyButton app.UI
	Actions    []app.UI
	More       []app.UI // under the actions: forms and panels they open
}

// UI draws the body of the dialog.
func (c Created) UI() app.UI {
	body := append([]app.UI{
		app.Div().Class("alert alert-success").Text(c.Note),
		app.Div().Class("field-label").Text(c.Name),
		CopyRow(c.Prefix+"-created-url", c.URL, c.CopyButton),
		app.Div().Class(c.Prefix + "-created-actions").Body(c.Actions...),
	}, c.More...)
	return app.Div().Class(c.Prefix + "-created").ID(c.Prefix + "-created").Body(body...)
}

// CreatedNote is what a new link gives (s), with what protects it.
func CreatedNote(s string, hasPassword bool, expiresAt *time.Time) string {
	if hasPassword {
		s += " They need the password you set."
	}
	if expiresAt != nil {
		s += " It works until " + expiresAt.Local().Format("2 Jan 2006") + "."
	}
	return s
}

// ActionButton is a secondary button with an icon, as under a new link.
func ActionButton(id, iconName, label string, onClick app.EventHandler) app.HTMLButton {
	return app.Button().Type("button").Class("btn btn-secondary").ID(id).OnClick(onClick).
		Body(ui.Icon(iconName), app.Span().Text(label))
}

// QR is the QR code of a link: its image, served by the API under base
// (/api/v2/share_links/ID), and its downloads. Its elements are
// <prefix>-qr-img, <prefix>-qr-png and <prefix>-qr-svg.
type QR struct {
	Prefix string
	Base   string
	URL    string
	Class  string // added to the box's "sl-qr-box"
	ID     string // the box's id; "" for none
}

// Box is the code with the link's address under it.
func (q QR) Box() app.UI {
	cls := "sl-qr-box"
	if q.Class != "" {
		cls += " " + q.Class
	}
	box := app.Div().Class(cls)
	if q.ID != "" {
		box = box.ID(q.ID)
	}
	return box.Body(
		app.Img().Class("sl-qr-img").ID(q.Prefix+"-qr-img").Src(q.Base+"/qr.svg").Alt("QR code of "+q.URL),
		app.P().Class("muted small sl-qr-url").Text(q.URL),
		app.P().Class("field-hint").Text("Print it or put it on a slide: the camera of a phone opens the link."),
	)
}

// Downloads are the PNG and SVG download buttons of a kind, labelled
// prefix+"PNG" ("Download PNG").
func (q QR) Downloads(kind, label string) []app.UI {
	dl := func(ext string) app.UI {
		return app.A().Class("btn btn-"+kind).ID(q.Prefix+"-qr-"+ext).Href(q.Base+"/qr."+ext+"?download=1").Attr("download", "").
			Body(ui.Icon("download"), app.Span().Text(label+map[string]string{"png": "PNG", "svg": "SVG"}[ext]))
	}
	return []app.UI{dl("png"), dl("svg")}
}

// Dialog is the QR code in a dialog of its own, with its downloads and a
// Close button (<prefix>-qr-close).
func (q QR) Dialog(onClose app.EventHandler) app.UI {
	d := q.Downloads("secondary", "Download ")
	return ui.Dialog("QR code", onClose, []app.UI{q.Box()},
		d[0], d[1], ui.Button("Close", "secondary", onClose).ID(q.Prefix+"-qr-close"))
}

// ToggleButton is a secondary button with an icon that shows or hides
// something (aria-expanded says which).
func ToggleButton(id, iconName, label string, open bool, onClick app.EventHandler) app.HTMLButton {
	return ActionButton(id, iconName, label, onClick).Attr("aria-expanded", strconv.FormatBool(open))
}

// Unlock opens a link that locked itself after wrong passwords through
// unlock and says how it went; after it worked, then runs and the lists
// reload.
func Unlock(ctx app.Context, unlock func() error, then func()) {
	ctx.Async(func() {
		err := unlock()
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				shell.Toast(ctx, "Could not unlock: "+err.Error())
				return
			}
			then()
			shell.Toast(ctx, "Link unlocked")
			shell.Reload(ctx)
		})
	})
}
