// Package upload is the recipient's page of an upload link (/u/{key}).
package upload

import (
	"fmt"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/fetch"
	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// Page is what an upload link's recipient sees at /u/{key}: who
// asks for files and why, the passcode from the second mail, then a drop
// zone feeding the resumable uploader and the list of what arrived.
type Page struct {
	app.Compo
	peek     func(key string) *model.PublicUploadLink // Options.PeekUpload: nil in the browser
	key      string
	fromPage bool // rendered on the server from peek (the page carries the data)
	link     *model.PublicUploadLink
	loaded   bool
	closed   string // why the link cannot be used (not found, expired, revoked)
	closedT  string
	passcode string
	err      string
	busy     bool
	dragging bool
	ready    bool
	uploads  shell.UploadListener
}

// New is the upload-link page; peek gives the server's prerender its data
// (Options.PeekUpload), nil in the browser.
func New(peek func(key string) *model.PublicUploadLink) *Page { return &Page{peek: peek} }

func (p *Page) OnInit() {
	if !app.IsClient {
		return
	}
	// The prerendered passcode gate is still in the document: start from
	// its data so the first render matches it (what was typed is put back
	// by visitor.js), then load the link with the visitor's cookie.
	p.key = strings.TrimPrefix(app.Window().URL().Path, "/u/")
	if app.Window().Get("document").Get("documentElement").Get("dataset").Get("unlocked").String() == p.key {
		return // the passcode was sent before the app ran: "Loading…" until the unlocked link arrives
	}
	var l model.PublicUploadLink
	if ui.PageData("upload-data", &l) && l.Key == p.key {
		p.link = &l
	}
}

func (p *Page) OnPreRender(ctx app.Context) {
	p.key = strings.TrimPrefix(ctx.Page().URL().Path, "/u/")
	if p.peek == nil {
		return
	}
	if l := p.peek(p.key); l != nil && l.Kind == "upload" && !l.Unlocked {
		p.link, p.fromPage = l, true
		ctx.Page().SetTitle(l.Name)
	}
}

func (p *Page) OnNav(ctx app.Context) {
	path := ctx.Page().URL().Path
	p.key = strings.TrimPrefix(path, "/u/")
	if !app.IsClient {
		return // prerendered from peek (a visitor without a session), or "Loading…"
	}
	app.Window().Get("ferryUploads").Set("link", p.key)
	p.ready = true
	p.load(ctx)
}

func (p *Page) OnMount(ctx app.Context) {
	p.uploads.Listen(ctx, p.load)
}

func (p *Page) OnDismount() {
	p.uploads.Stop()
	if app.IsClient {
		app.Window().Get("ferryUploads").Set("link", "")
	}
}

func (p *Page) load(ctx app.Context) {
	key := p.key
	ctx.Async(func() {
		l, err := fetch.API.PublicUpload(key)
		ctx.Dispatch(func(ctx app.Context) {
			p.loaded = true
			if err != nil {
				p.closedT, p.closed = closedText(err)
				return
			}
			if l.Kind != "upload" {
				p.closedT, p.closed = "Link not found", "This address is not an upload link."
				return
			}
			p.link = &l
			ctx.Page().SetTitle(l.Name)
		})
	})
}

func closedText(err error) (string, string) {
	e, ok := err.(*client.Error)
	switch {
	case ok && e.Code == "link_expired":
		return "This link has expired", e.Detail
	case ok && e.Code == "link_revoked":
		return "This link is no longer active", e.Detail
	case ok && e.Status == 404:
		return "Link not found", "Check the address in your email; it may have been mistyped."
	}
	return "Something went wrong", err.Error()
}

func (p *Page) unlock(ctx app.Context, e app.Event) {
	e.PreventDefault()
	code := strings.Join(strings.Fields(p.passcode), "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		p.err = "The passcode is the 6 digits from the second email."
		return
	}
	p.busy, p.err = true, ""
	key := p.key
	ctx.Async(func() {
		l, err := fetch.API.UnlockUpload(key, code)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				if e, ok := err.(*client.Error); ok && (e.Code == "link_expired" || e.Code == "link_revoked") {
					p.closedT, p.closed = closedText(err)
					return
				}
				p.err, p.passcode = ui.Sentence(err.Error()), ""
				if in := app.Window().GetElementByID("passcode"); in.Truthy() {
					in.Set("value", "") // cleared for the next try
					in.Call("focus")
				}
				return
			}
			p.link, p.passcode = &l, ""
			ui.FocusAfterRender("#link-drop-title")
		})
	})
}

func (p *Page) pick(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if files.Get("length").Int() > 0 {
		app.Window().Get("ferryUploads").Call("add", files, map[string]any{"link": p.key})
	}
	ctx.JSSrc().Set("value", "")
}

func (p *Page) drop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.link == nil || !p.link.Unlocked {
		return
	}
	app.Window().Get("ferryUploads").Call("addDataTransfer", e.Get("dataTransfer"), map[string]any{"link": p.key})
}

func (p *Page) Render() app.UI {
	var body app.UI
	switch {
	case p.closed != "":
		body = app.Div().Class("pub-closed").Body(
			app.Div().Class("pub-closed-icon").Body(ui.Icon("upload")),
			app.H1().ID("link-closed").Text(p.closedT),
			app.P().Class("muted").Text(p.closed),
		)
	case p.link == nil:
		body = app.Div().Class("pub-loading muted").Text("Loading…")
	default:
		body = p.renderLink()
	}
	site := "Ferry"
	if p.link != nil && p.link.SiteName != "" {
		site = p.link.SiteName
	}
	return app.Div().Class("pub").DataSet("state", ui.PageState(p.loaded, "")).Body(
		app.Header().Class("pub-top").Body(ui.Logo(), app.Span().Text(site)),
		app.Main().Class("pub-main").Body(body),
		app.If(app.IsServer && p.fromPage, func() app.UI { return ui.PageDataUI("upload-data", p.link) }),
		ui.AppReady(p.ready),
	)
}

func (p *Page) renderLink() app.UI {
	l := p.link
	greeting := "Upload files"
	if l.RecipientName != "" {
		greeting = "Hello " + l.RecipientName
	}
	return app.Div().Class("pub-card").Body(
		app.P().Class("pub-eyebrow").Text(l.ProjectName),
		app.H1().Text(l.Name),
		app.P().Class("muted").Text(fmt.Sprintf("%s — %s invites you to send files to the project %s.", greeting, l.SenderName, l.ProjectName)),
		app.If(l.Message != "", func() app.UI {
			return app.Blockquote().Class("pub-message").Body(
				app.Range(strings.Split(l.Message, "\n")).Slice(func(i int) app.UI {
					return app.P().Text(strings.Split(l.Message, "\n")[i])
				}),
				app.Footer().Class("muted small").Text("— "+l.SenderName),
			)
		}),
		app.Ul().Class("pub-facts").Body(p.facts()...),
		app.If(!l.Unlocked, p.renderPasscode).Else(p.renderUpload),
	)
}

func (p *Page) facts() []app.UI {
	l := p.link
	var out []app.UI
	limit := func(label, value string) app.UI {
		return app.Li().Body(app.Span().Class("muted").Text(label), app.Strong().Text(value))
	}
	if l.MaxFiles != nil {
		out = append(out, limit("Files", fmt.Sprintf("up to %d (%d sent)", *l.MaxFiles, l.FilesReceived)))
	}
	if l.MaxFileBytes != nil {
		out = append(out, limit("Per file", "up to "+ui.HumanBytes(*l.MaxFileBytes)))
	}
	if l.MaxTotalBytes != nil {
		out = append(out, limit("In total", fmt.Sprintf("up to %s (%s sent)", ui.HumanBytes(*l.MaxTotalBytes), ui.HumanBytes(l.BytesReceived))))
	}
	if l.MaxFiles == nil && l.MaxFileBytes == nil && l.MaxTotalBytes == nil {
		out = append(out, limit("Limits", "no limit on number or size"))
	}
	if l.ExpiresAt != nil {
		out = append(out, limit("Open until", l.ExpiresAt.Local().Format("Mon 2 Jan 2006, 15:04")))
	} else {
		out = append(out, limit("Open until", "the sender closes it"))
	}
	return out
}

func (p *Page) renderPasscode() app.UI {
	label := "Continue"
	if p.busy {
		label = "Checking…"
	}
	return app.Form().Class("pub-passcode").ID("passcode-form").Method("post").OnSubmit(p.unlock).Body(
		app.Label().For("passcode").Class("field-label").Text("Passcode"),
		app.P().Class("field-hint").Text("Enter the 6-digit passcode from the second email we sent you."),
		app.Input().ID("passcode").Name("passcode").Class("passcode-input").
			Attr("inputmode", "numeric").Attr("autocomplete", "one-time-code").Attr("pattern", "[0-9 ]*").
			Attr("maxlength", "7").Placeholder("••••••").Required(true).AutoFocus(true).
			Value(p.passcode).OnInput(p.ValueTo(&p.passcode)),
		ui.ErrorBox(p.err),
		ui.SubmitButton("passcode-submit", label, p.busy),
	)
}

func (p *Page) renderUpload() app.UI {
	l := p.link
	return app.Div().Class("pub-upload").Body(
		ui.DropZone("link-drop", "pub-drop", &p.dragging, p.drop).
			Body(
				app.Div().Class("pub-drop-icon").Body(ui.Icon("upload")),
				app.H2().Class("pub-drop-title").ID("link-drop-title").TabIndex(-1).Text("Drag files or folders here"),
				app.P().Class("muted small").Text("Large files are fine: if the connection drops or you close this page, the upload resumes where it stopped when you pick the same files again."),
				app.Div().Class("pub-drop-actions").Body(
					app.Label().Class("btn btn-primary").Body(ui.Icon("upload"), app.Span().Text("Choose files"),
						ui.HiddenFileInput().ID("link-file-input").Multiple(true).OnChange(p.pick)),
					app.Label().Class("btn btn-secondary").Body(ui.Icon("folder"), app.Span().Text("Choose a folder"),
						ui.HiddenFileInput().ID("link-folder-input").Attr("webkitdirectory", true).Multiple(true).OnChange(p.pick)),
				),
			),
		app.Div().Class("pub-received").ID("received").Body(
			app.H2().Text(fmt.Sprintf("Received (%d)", len(l.Files))),
			app.If(len(l.Files) == 0, func() app.UI {
				return app.P().Class("muted small").Text("Nothing yet. Files appear here once they have fully arrived.")
			}).Else(func() app.UI {
				return app.Ul().Class("pub-files").Body(
					app.Range(l.Files).Slice(func(i int) app.UI {
						f := l.Files[i]
						return app.Li().Class("pub-file").Body(
							app.Span().Class("pub-file-ok").Body(ui.Icon("check")),
							app.Span().Class("pub-file-name").Text(f.Name),
							app.Span().Class("muted small").Text(ui.HumanBytes(f.Size)),
						)
					}),
				)
			}),
		),
	)
}
