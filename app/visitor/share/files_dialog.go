package share

import (
	"strconv"
	"strings"

	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actionCloseDialog asks the files dialog to close (the page's Escape).
const actionCloseDialog = "share-close-dialog"

// fileAction is what the visitor asked of the files dialog.
type fileAction struct {
	kind   string // rename, move, copy, delete, folder
	ids    []string
	names  []string
	name   string // rename: the name it has
	target string // move and copy: the folder shown
}

// filesDialog is the rename, move, copy, delete or new folder dialog of a
// full-access link. It keeps what the visitor types and picks, does the
// change item by item, and tells the page when it is done.
type filesDialog struct {
	app.Compo
	Key      string
	Action   fileAction
	Folders  folderList
	Path     string // the folder shown
	ParentID string // its id: where a new folder goes
	OnClose  func(ctx app.Context)
	OnDone   func(ctx app.Context, kind string)
	OnReload func(ctx app.Context) // part of the change was done
	OnClosed func(err error)       // the link went

	owner  ui.Owner
	asked  string // the Action the state below belongs to
	name   string // rename and new folder
	target string // move and copy: the folder picked
	err    string
	busy   bool
}

func (fd *filesDialog) OnInit() {
	fd.asked, fd.name, fd.target, fd.err = fd.Action.key(), fd.Action.name, fd.Action.target, ""
}

// key tells one change asked of the dialog from another.
func (a fileAction) key() string { return a.kind + "\x00" + strings.Join(a.ids, ",") }

func (fd *filesDialog) OnMount(ctx app.Context) {
	fd.owner.Set(ctx)
	ctx.Handle(actionCloseDialog, func(ctx app.Context, _ app.Action) { fd.cancel(ctx, app.Event{}) })
}

// OnUpdate starts again when the page asks for another change.
func (fd *filesDialog) OnUpdate(ctx app.Context) {
	if !fd.busy && fd.Action.key() != fd.asked {
		fd.OnInit()
	}
}

// cancel closes the dialog, unless its change is under way.
func (fd *filesDialog) cancel(ctx app.Context, e app.Event) {
	if !fd.busy {
		fd.OnClose(ctx)
	}
}

func (fd *filesDialog) Render() app.UI {
	d := fd.Action
	submitLabel := map[string]string{"rename": "Rename", "move": "Move here", "copy": "Copy here", "delete": "Delete", "folder": "Create folder"}[d.kind]
	if fd.busy {
		submitLabel = map[string]string{"rename": "Renaming…", "move": "Moving…", "copy": "Copying…", "delete": "Deleting…", "folder": "Creating…"}[d.kind]
	}
	what := ""
	if len(d.names) == 1 {
		what = "“" + d.names[0] + "”"
	} else {
		what = ui.Plural(len(d.names), "item", "items")
	}
	var title string
	var body []app.UI
	switch d.kind {
	case "rename":
		title = "Rename " + what
		body = []app.UI{fd.nameInput("New name")}
	case "folder":
		title = "New folder"
		body = []app.UI{fd.nameInput("Folder name"),
			app.P().Class("muted small").Text("In " + fd.Folders.label(fd.Path) + ".")}
	case "move", "copy":
		title = map[string]string{"move": "Move ", "copy": "Copy "}[d.kind] + what
		body = []app.UI{app.P().Class("muted small vis-pick-hint").Text("Choose the folder to " + d.kind + " to."), fd.renderFolderPicker()}
	case "delete":
		title = "Delete " + what + "?"
		folders := 0
		for _, id := range d.ids {
			if _, ok := fd.Folders.byID(id); ok {
				folders++
			}
		}
		warn := "The file is deleted for everyone with this link and for its owner. This cannot be undone."
		if len(d.ids) > 1 {
			warn = "They are deleted for everyone with this link and for their owner. This cannot be undone."
		}
		if folders > 0 {
			warn = "Folders go with everything inside them. " + warn
		}
		body = []app.UI{
			app.P().Text(warn),
			app.If(len(d.names) > 1, func() app.UI {
				shown := d.names
				more := 0
				if len(shown) > 6 {
					shown, more = shown[:5], len(shown)-5
				}
				return app.Ul().Class("vis-delete-list").Body(
					app.Range(shown).Slice(func(i int) app.UI { return app.Li().Text(shown[i]) }),
					app.If(more > 0, func() app.UI { return app.Li().Class("muted").Text("and " + strconv.Itoa(more) + " more") }),
				)
			}),
		}
	}
	body = append(body, ui.ErrorBox(fd.err))
	submitCls := "btn btn-primary"
	if d.kind == "delete" {
		submitCls = "btn btn-danger"
	}
	disabled := fd.busy || ((d.kind == "move" || d.kind == "copy") && fd.target == "")
	return app.Div().Class("vis-dialog").ID("share-dialog").DataSet("kind", d.kind).Body(
		app.Form().OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			fd.apply(ctx)
		}).Body(
			ui.Dialog(title, fd.cancel, body,
				ui.Button("Cancel", "secondary", fd.cancel).Disabled(fd.busy),
				app.Button().Type("submit").ID("share-dialog-submit").Class(submitCls).Disabled(disabled).Text(submitLabel),
			),
		),
	)
}

func (fd *filesDialog) nameInput(label string) app.UI {
	return app.Label().Class("field").Body(
		app.Span().Class("field-label").Text(label),
		app.Input().Type("text").ID("vis-dialog-name").Value(fd.name).Required(true).Attr("maxlength", "255").
			Attr("autocomplete", "off").OnInput(func(ctx app.Context, e app.Event) {
			fd.name, fd.err = ctx.JSSrc().Get("value").String(), ""
		}),
	)
}

// renderFolderPicker lists the link's folders as a tree. A folder cannot
// go into itself or below itself.
func (fd *filesDialog) renderFolderPicker() app.UI {
	var moving []string
	for _, id := range fd.Action.ids {
		if f, ok := fd.Folders.byID(id); ok {
			moving = append(moving, f.Path)
		}
	}
	blocked := func(f visFolder) bool {
		for _, m := range moving {
			if f.Path == m || strings.HasPrefix(f.Path, m+"/") {
				return true
			}
		}
		return false
	}
	folders := fd.Folders
	return app.Div().Class("vis-picker").ID("share-folder-picker").Attr("role", "radiogroup").Attr("aria-label", "Folders").Body(
		app.Range(folders).Slice(func(i int) app.UI {
			f := folders[i]
			off := blocked(f)
			cls := "vis-pick"
			if fd.target == f.ID {
				cls += " is-picked"
			}
			return app.Label().Class(cls).DataSet("path", ui.AttrText(f.Path)).Style("padding-left", strconv.Itoa(12+f.Depth*20)+"px").Body(
				app.Input().Type("radio").Name("vis-target").Value(f.ID).Checked(fd.target == f.ID).Disabled(off).
					OnChange(func(ctx app.Context, e app.Event) {
						fd.target, fd.err = ctx.JSSrc().Get("value").String(), ""
					}),
				ui.Icon("folder"),
				app.Span().Class("vis-pick-name").Text(f.Name),
				app.If(f.Path == fd.Path, func() app.UI { return app.Span().Class("muted small").Text("(this folder)") }),
			)
		}),
	)
}

// applyDialog does what the dialog asks, one item after another, then
// shows the link again; on a refusal the dialog stays with the server's reason.
func (fd *filesDialog) apply(ctx app.Context) {
	d := fd.Action
	if fd.busy {
		return
	}
	name := strings.TrimSpace(fd.name)
	if (d.kind == "rename" || d.kind == "folder") && name == "" {
		fd.err = "Enter a name."
		return
	}
	target := fd.target
	if (d.kind == "move" || d.kind == "copy") && target == "" {
		fd.err = "Choose a folder."
		return
	}
	fd.busy, fd.err = true, ""
	ctx = fd.owner.Ctx(ctx) // the element that asked may go; the dialog stays until it is done
	key, c := fd.Key, publicAPI(fd.Key)
	parent := fd.ParentID
	ctx.Async(func() {
		var err error
		done := 0
		switch d.kind {
		case "folder":
			_, err = c.CreatePublicFolder(key, model.NewPublicFolder{ParentID: parent, Name: name})
		default:
			for _, id := range d.ids {
				switch d.kind {
				case "rename":
					_, err = c.UpdatePublicAsset(key, id, model.AssetPatch{Name: &name})
				case "move":
					_, err = c.UpdatePublicAsset(key, id, model.AssetPatch{ParentID: &target})
				case "copy":
					_, err = c.CopyPublicAsset(key, id, model.CopyTo{ParentID: target})
				case "delete":
					err = c.DeletePublicAsset(key, id)
				}
				if err != nil {
					break
				}
				done++
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			fd.busy = false
			if e, ok := err.(*client.Error); ok && e.Status == 410 {
				fd.OnClosed(err)
				return
			}
			if err != nil {
				msg := ui.Sentence(err.Error())
				if done > 0 {
					msg = "Done for " + ui.Plural(done, "item", "items") + ", then: " + msg
				}
				fd.err = msg
				fd.OnReload(ctx)
				return
			}
			fd.OnDone(ctx, d.kind)
		})
	})
}
