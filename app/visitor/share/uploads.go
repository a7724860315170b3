package share

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// visitorUploads points uploader.js (window.ferryUploads) at this link and
// reloads the link when uploads finish; uploadsPanel lists them.
type visitorUploads struct {
	key       string
	inboxOpen bool
	reloading bool // a reload after finished uploads is already planned
	completed app.Func
}

// uploadRow is one upload as ferryUploads.state() reports it.
type uploadRow struct {
	ID       int     `json:"id"`
	Name     string  `json:"name"`
	Size     int64   `json:"size"`
	Sent     int64   `json:"sent"`
	Status   string  `json:"status"` // queued, uploading, paused, done, failed, cancelled
	Error    string  `json:"error"`
	Link     string  `json:"link"`
	ParentID string  `json:"parentId"`
	Speed    float64 `json:"speed"`
	Retrying bool    `json:"retrying"`
}

func uploader() app.Value {
	if !app.IsClient {
		return app.Undefined()
	}
	return app.Window().Get("ferryUploads")
}

func (u *visitorUploads) Listen(ctx app.Context, p *Page) {
	u.completed = listen("ferry:upload-complete", ctx, p.uploaded)
}

func (u *visitorUploads) Stop() {
	unlisten("ferry:upload-complete", &u.completed)
	if up := uploader(); up.Truthy() {
		up.Set("link", "")
		up.Set("panel", true)
	}
}

// use points the uploader at link s: its uploads carry the link's key, and
// where the page lists them itself the floating panel stays hidden.
func (u *visitorUploads) use(s *model.PublicShare) {
	u.key = s.Key
	up := uploader()
	if !up.Truthy() {
		return
	}
	if !s.CanUpload {
		u.inboxOpen = false
	}
	up.Set("link", s.Key)
	up.Set("panel", !(uploadOnly(s) || inbox(s)))
}

// listen calls f on the UI goroutine for each of the window's events
// named event; unlisten stops it.
func listen(event string, ctx app.Context, f func(app.Context)) app.Func {
	if !uploader().Truthy() {
		return nil
	}
	fn := app.FuncOf(func(this app.Value, args []app.Value) any {
		ctx.Dispatch(f)
		return nil
	})
	app.Window().Call("addEventListener", event, fn)
	return fn
}

func unlisten(event string, fn *app.Func) {
	if *fn == nil {
		return
	}
	app.Window().Call("removeEventListener", event, *fn)
	(*fn).Release()
	*fn = nil
}

// linkUploads reads link key's uploads from the uploader, and the
// unfinished ones of an earlier visit.
func linkUploads(key string) (rows, unfinished []uploadRow) {
	up := uploader()
	if !up.Truthy() || key == "" {
		return nil, nil
	}
	var all []uploadRow
	if json.Unmarshal([]byte(app.Window().Get("JSON").Call("stringify", up.Call("state")).String()), &all) != nil {
		return nil, nil
	}
	for _, r := range all {
		if r.Link == key && r.Status != "cancelled" {
			rows = append(rows, r)
		}
	}
	_ = json.Unmarshal([]byte(app.Window().Get("JSON").Call("stringify", up.Call("unfinished")).String()), &unfinished)
	return rows, unfinished
}

// uploading reports whether some of rows are still to send.
func uploading(rows []uploadRow) bool {
	for _, r := range rows {
		if r.Status == "queued" || r.Status == "uploading" {
			return true
		}
	}
	return false
}

// uploaded reloads the link once uploads settle, so new files appear in a
// browsable link; at most every few seconds while many files arrive.
func (p *Page) uploaded(ctx app.Context) {
	if p.share == nil || !browsable(p.share) || p.up.reloading {
		return
	}
	wait := 300 * time.Millisecond
	if rows, _ := linkUploads(p.key); uploading(rows) {
		wait = 3 * time.Second
	}
	p.up.reloading = true
	ctx.After(wait, func(ctx app.Context) {
		p.up.reloading = false
		p.load(ctx)
	})
}

// send queues files (a FileList) for upload into folder parentID of the link.
func (p *Page) send(files app.Value, parentID string) {
	up := uploader()
	if !up.Truthy() || !files.Truthy() || files.Get("length").Int() == 0 {
		return
	}
	up.Call("add", files, map[string]any{"link": p.key, "parentId": parentID})
}

// uploadTarget is the folder uploads go to: the folder shown in a
// browsable link, else where the link files uploads.
func (p *Page) uploadTarget() string {
	if p.files.browsing() && browsable(p.share) {
		return p.files.currentID()
	}
	return p.share.UploadFolderID
}

func (p *Page) pick(ctx app.Context, e app.Event) {
	p.send(ctx.JSSrc().Get("files"), p.uploadTarget())
	ctx.JSSrc().Set("value", "")
}

func (p *Page) drop(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if up := uploader(); up.Truthy() && p.share != nil && p.share.CanUpload {
		up.Call("addDataTransfer", e.Get("dataTransfer"), map[string]any{"link": p.key, "parentId": p.uploadTarget()})
	}
}

// uploadButtons are "Upload files" and "Upload folder": file inputs dressed
// as buttons, so a test (and a keyboard) reaches the real input.
func uploadButtons(idPrefix string, primary bool, pick app.EventHandler) []app.UI {
	kind := "btn-secondary"
	if primary {
		kind = "btn-primary"
	}
	return []app.UI{
		app.Label().Class("btn "+kind+" vis-upload-btn").Body(ui.Icon("upload"), app.Span().Text("Upload files"),
			ui.HiddenFileInput().ID(idPrefix+"-file-input").Multiple(true).OnChange(pick)),
		app.Label().Class("btn btn-secondary vis-upload-btn").Body(ui.Icon("folder"), app.Span().Text("Upload folder"),
			ui.HiddenFileInput().ID(idPrefix+"-folder-input").Attr("webkitdirectory", true).Multiple(true).OnChange(pick)),
	}
}

// renderDrop is the drop zone with its buttons, then this visit's uploads.
func (p *Page) renderDrop(idPrefix string) app.UI {
	return &uploadsPanel{Prefix: idPrefix, Key: p.key, MaxBytes: p.share.MaxUploadBytes,
		OnPick: p.pick, OnDrop: p.drop}
}

// uploadsPanel is the drop zone with its buttons, then the uploads of this
// visit, and those of an earlier one that did not finish. It follows them
// in the uploader itself.
type uploadsPanel struct {
	app.Compo
	Key      string
	Prefix   string           // of its elements' ids
	MaxBytes int64            // per file, 0 for no limit
	OnPick   app.EventHandler // files were picked
	OnDrop   app.EventHandler // files were dropped

	rows       []uploadRow
	unfinished []uploadRow // of an earlier visit: picking the same files resumes them
	dragging   bool
	changed    app.Func
}

func (u *uploadsPanel) OnMount(ctx app.Context) {
	u.refresh(ctx)
	u.changed = listen("ferry:uploads-changed", ctx, u.refresh)
}

func (u *uploadsPanel) OnDismount() { unlisten("ferry:uploads-changed", &u.changed) }

func (u *uploadsPanel) refresh(ctx app.Context) { u.rows, u.unfinished = linkUploads(u.Key) }

func (u *uploadsPanel) limitText() string {
	if u.MaxBytes > 0 {
		return "Up to " + ui.HumanBytes(u.MaxBytes) + " per file."
	}
	return "Large files are fine."
}

func (u *uploadsPanel) Render() app.UI {
	idPrefix := u.Prefix
	return app.Div().Class("vis-uploader").Body(
		ui.DropZone(idPrefix+"-drop", "pub-drop vis-drop", &u.dragging, u.OnDrop).
			Body(
				app.Div().Class("pub-drop-icon").Body(ui.Icon("upload")),
				app.P().Class("pub-drop-title").Text("Drag files or folders here"),
				app.P().Class("muted small vis-limit").ID(idPrefix+"-limit").Text(u.limitText()+" If the connection drops or you close this page, choose the same files again and the upload goes on where it stopped."),
				app.Div().Class("pub-drop-actions").Body(uploadButtons(idPrefix, true, u.OnPick)...),
			),
		u.renderUnfinished(),
		u.renderUploadList(idPrefix),
	)
}

func (u *uploadsPanel) renderUnfinished() app.UI {
	n := len(u.unfinished)
	if n == 0 {
		return nil
	}
	names := make([]string, 0, 3)
	for i, r := range u.unfinished {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", n-3))
			break
		}
		names = append(names, r.Name)
	}
	return app.Div().Class("alert alert-info vis-unfinished").Attr("role", "status").Body(
		app.Strong().Text(ui.Plural(n, "unfinished upload", "unfinished uploads")+" from your last visit: "),
		app.Span().Text(strings.Join(names, ", ")+". Choose the same "+oneMany(n, "file again to go on where it stopped.", "files again to go on where they stopped.")),
	)
}

func (u *uploadsPanel) renderUploadList(idPrefix string) app.UI {
	rows := u.rows
	if len(rows) == 0 {
		return nil
	}
	done := 0
	for _, r := range rows {
		if r.Status == "done" {
			done++
		}
	}
	return app.Section().Class("vis-uploads").ID(idPrefix+"-uploads").Attr("aria-label", "Your uploads").Body(
		app.H2().Class("vis-uploads-head").Body(
			app.Span().Text("Your uploads"),
			app.Span().Class("vis-uploads-count muted").Text(fmt.Sprintf("%d of %d done", done, len(rows))),
		),
		app.Ul().Class("vis-up-list").Body(
			app.Range(rows).Slice(func(i int) app.UI { return u.renderUploadRow(rows[i]) }),
		),
		app.If(done == len(rows), func() app.UI {
			return app.P().Class("vis-up-thanks").ID(idPrefix+"-done").Body(ui.Icon("check"),
				app.Span().Text(oneMany(len(rows), "Your file has arrived.", "All your files have arrived.")+" You can add more, or close this page."))
		}),
	)
}

func (u *uploadsPanel) renderUploadRow(r uploadRow) app.UI {
	pct := 0.0
	if r.Size > 0 {
		pct = 100 * float64(min(r.Sent, r.Size)) / float64(r.Size)
	} else if r.Status == "done" {
		pct = 100
	}
	var meta string
	switch r.Status {
	case "queued":
		meta = "Waiting"
	case "paused":
		meta = fmt.Sprintf("Paused · %d %%", int(pct))
	case "done":
		meta = "Uploaded · " + ui.HumanBytes(r.Size)
	case "failed":
		meta = "Failed: " + ui.Sentence(r.Error)
	default:
		meta = fmt.Sprintf("%d %% · %s of %s", int(pct), ui.HumanBytes(r.Sent), ui.HumanBytes(r.Size))
		if r.Speed > 0 {
			meta += " · " + ui.HumanBytes(int64(r.Speed)) + "/s"
		}
		if r.Retrying {
			meta = "Connection lost, retrying… · " + fmt.Sprintf("%d %%", int(pct))
		}
	}
	ic := "file"
	switch r.Status {
	case "done":
		ic = "check"
	case "failed":
		ic = "x"
	}
	act := func(method, label, iconName string) app.UI {
		return app.Button().Type("button").Class("icon-btn vis-up-act").DataSet("action", method).
			Attr("aria-label", label+" "+r.Name).Title(label).
			OnClick(func(ctx app.Context, e app.Event) {
				id, _ := strconv.Atoi(dataOf(ctx, "upload"))
				if up := uploader(); up.Truthy() && id > 0 {
					up.Call(dataOf(ctx, "action"), id)
					u.refresh(ctx)
				}
			}).Body(ui.Icon(iconName))
	}
	return app.Li().Class("vis-up").DataSet("upload", r.ID).DataSet("status", r.Status).Title(r.Name).Body(
		app.Span().Class("vis-up-ic").Body(ui.Icon(ic)),
		app.Div().Class("vis-up-main").Body(
			app.Div().Class("vis-up-name").Text(r.Name),
			app.If(r.Status != "done" && r.Status != "failed", func() app.UI { return ui.ProgressBar(pct) }),
			app.Div().Class("vis-up-meta").Text(meta),
		),
		app.Div().Class("vis-up-actions").Body(
			app.If(r.Status == "uploading" || r.Status == "queued", func() app.UI { return act("pause", "Pause", "pause") }),
			app.If(r.Status == "paused", func() app.UI { return act("resume", "Resume", "play") }),
			app.If(r.Status == "failed", func() app.UI { return act("resume", "Try again", "upload") }),
			app.If(r.Status == "failed", func() app.UI { return act("cancel", "Remove", "x") }).
				ElseIf(r.Status != "done", func() app.UI { return act("cancel", "Cancel", "x") }),
		),
	)
}

// renderUploadOnly is the page of an "upload" link: what is asked and by
// whom, then the drop zone. The folder's contents are never shown.
func (p *Page) renderUploadOnly() app.UI {
	s := p.share
	facts := shareFacts(s, "Open until")
	return app.Div().Class("pub-card vis-upload-page").ID("share-upload-page").Body(
		app.P().Class("pub-eyebrow").Text("Send files"),
		app.H1().ID("share-title").Text(shareName(s)),
		app.If(s.Description != "", func() app.UI {
			lines := strings.Split(s.Description, "\n")
			return app.Div().Class("gal-desc vis-desc").Body(
				app.Range(lines).Slice(func(i int) app.UI { return app.P().Text(lines[i]) }),
			)
		}),
		app.Div().Class("gal-facts").Body(facts...),
		app.P().Class("muted small vis-private").Body(ui.Icon("lock"),
			app.Span().Text("Only "+cmp.Or(s.OwnerName, "the person who shared this link")+" sees what you send; this page does not show the folder's files.")),
		p.renderDrop("share"),
	)
}

// The inbox of a preview or download link.

func (p *Page) renderInboxButton() app.UI {
	label := "Send files"
	if p.up.inboxOpen {
		label = "Hide upload"
	}
	return app.Button().Type("button").ID("share-inbox-toggle").Class("btn btn-secondary gal-send").
		Attr("aria-expanded", strconv.FormatBool(p.up.inboxOpen)).Attr("aria-controls", "share-inbox").
		OnClick(func(ctx app.Context, e app.Event) {
			p.up.inboxOpen = !p.up.inboxOpen
		}).Body(ui.Icon("upload"), app.Span().Text(label))
}

func (p *Page) renderInbox() app.UI {
	s := p.share
	return app.Section().Class("card vis-inbox").ID("share-inbox").Attr("aria-label", "Send files").Body(
		app.Div().Class("vis-inbox-head").Body(
			app.H2().Text("Send files to "+cmp.Or(s.OwnerName, "the owner")),
			app.P().Class("muted small").Text("What you send goes to "+cmp.Or(s.OwnerName, "the person who shared this link")+" only; it does not appear on this page."),
		),
		p.renderDrop("share-inbox"),
	)
}

// oneMany picks the text for one thing or for several.
func oneMany(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
