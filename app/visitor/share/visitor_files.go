package share

import (
	"cmp"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The folder browser of upload_download and full links: breadcrumbs, the
// current folder's subfolders and files, uploads and new folders into it,
// and in full links a selection with move, copy and delete, and a "…" menu
// per item with rename, move, copy and delete.

// visitorFiles is the browser's state.
type visitorFiles struct {
	on       bool
	folders  folderList // the link's folder first, then the tree in path order
	path     string     // the folder shown ("" the link's own)
	selected map[string]bool
	menu     string      // id of the item whose "…" menu is open
	dialog   *fileAction // what the open files dialog is asked to do
}

// visFolder is a folder of the link with its path inside the link, worked
// out from parent ids so it matches the items' paths ("Day 2/Selects").
type visFolder struct {
	ID, ParentID, Name, Path string
	Depth                    int
}

// folderList is the folders of a link.
type folderList []visFolder

func (f *visitorFiles) browsing() bool { return f.on }

// use takes the folder tree of s, keeping the folder shown when it still exists.
func (f *visitorFiles) use(s *model.PublicShare) {
	f.on = (browsable(s) || mixed(s)) && shareGate(s) == ""
	f.folders = nil
	if !f.on {
		return
	}
	f.folders = folderTree(s)
	if _, ok := f.byPath(f.path); !ok {
		f.path = ""
	}
	// What was selected and is gone (deleted, moved away) is no longer selected.
	keep := map[string]bool{}
	for _, it := range s.Items {
		keep[it.ID] = true
	}
	for _, d := range f.folders {
		keep[d.ID] = true
	}
	for id := range f.selected {
		if !keep[id] {
			delete(f.selected, id)
		}
	}
	if f.menu != "" && !keep[f.menu] {
		f.menu = ""
	}
}

// folderTree orders the link's folders with their paths. The link's own
// folder (the one without a parent in the list: the upload folder, or the
// one with no parent id) may or may not be in the list; either way it
// comes first, with path "".
func folderTree(s *model.PublicShare) []visFolder {
	if mixed(s) {
		return sharedFolders(s)
	}
	ids := map[string]model.PublicFolder{}
	for _, d := range s.Folders {
		ids[d.ID] = d
	}
	rootID := ""
	for _, d := range s.Folders {
		if _, inside := ids[d.ParentID]; !inside && (d.ID == s.UploadFolderID || d.ParentID == "") {
			rootID = d.ID
		}
	}
	if rootID == "" {
		rootID = s.UploadFolderID
		for _, d := range s.Folders {
			if _, inside := ids[d.ParentID]; !inside && rootID == "" {
				rootID = d.ParentID
			}
		}
	}
	paths := map[string]string{rootID: ""}
	var pathOf func(id string, depth int) (string, bool)
	pathOf = func(id string, depth int) (string, bool) {
		if p, ok := paths[id]; ok {
			return p, true
		}
		d, ok := ids[id]
		if !ok || depth > 64 {
			return "", false
		}
		parent, ok := pathOf(d.ParentID, depth+1)
		if !ok {
			return "", false
		}
		p := d.Name
		if parent != "" {
			p = parent + "/" + d.Name
		}
		paths[id] = p
		return p, true
	}
	out := []visFolder{{ID: rootID, Name: cmp.Or(s.Title, shareName(s))}}
	for _, d := range s.Folders {
		if d.ID == rootID {
			continue
		}
		p, ok := pathOf(d.ID, 0)
		if !ok {
			p = strings.Trim(d.Path, "/") // not under the link's folder by ids: trust the server's path
		}
		if p == "" {
			continue
		}
		out = append(out, visFolder{ID: d.ID, ParentID: d.ParentID, Name: d.Name, Path: p, Depth: strings.Count(p, "/") + 1})
	}
	sort.SliceStable(out[1:], func(i, j int) bool { return galleryPathLess(out[1+i].Path, out[1+j].Path) })
	return out
}

func (f *visitorFiles) byPath(path string) (visFolder, bool) { return f.folders.byPath(path) }

func (f *visitorFiles) byID(id string) (visFolder, bool) { return f.folders.byID(id) }

func (l folderList) byPath(path string) (visFolder, bool) {
	for _, d := range l {
		if d.Path == path {
			return d, true
		}
	}
	return visFolder{}, false
}

func (l folderList) byID(id string) (visFolder, bool) {
	for _, d := range l {
		if d.ID == id {
			return d, true
		}
	}
	return visFolder{}, false
}

// label names a folder by its path, the link's own by its name.
func (l folderList) label(path string) string {
	if path == "" {
		return l[0].Name
	}
	return path
}

// currentID is the id of the folder shown, where uploads and new folders go.
func (f *visitorFiles) currentID() string {
	d, _ := f.byPath(f.path)
	return d.ID
}

// subfolders are the folders right inside the one shown.
func (f *visitorFiles) subfolders() []visFolder {
	var out []visFolder
	for _, d := range f.folders[min(1, len(f.folders)):] {
		if parentPath(d.Path) == f.path {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

func parentPath(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i]
	}
	return ""
}

// current is the shown folder's files, in the server's order, as the
// viewer's list and one group.
func (f *visitorFiles) current(items []model.PublicAsset) ([]model.PublicAsset, []shareGroup) {
	var out []model.PublicAsset
	g := shareGroup{path: f.path}
	for _, it := range items {
		if it.Path == f.path {
			g.items = append(g.items, len(out))
			out = append(out, it)
		}
	}
	return out, []shareGroup{g}
}

// count is how many files a folder holds, subfolders included.
func folderCount(items []model.PublicAsset, path string) int {
	n := 0
	for _, it := range items {
		if it.Path == path || strings.HasPrefix(it.Path, path+"/") {
			n++
		}
	}
	return n
}

func (p *Page) openFolder(ctx app.Context, path string) {
	p.files.path, p.files.menu = path, ""
	p.files.selected = nil
	p.items, p.groups = p.files.current(p.share.Items)
	p.open = -1
}

func (p *Page) toggleSelected(id string, on bool) {
	if p.files.selected == nil {
		p.files.selected = map[string]bool{}
	}
	if on {
		p.files.selected[id] = true
	} else {
		delete(p.files.selected, id)
	}
}

// selection lists the selected items and folders in page order.
func (p *Page) selection() (ids, names []string) {
	for _, d := range p.files.subfolders() {
		if p.files.selected[d.ID] {
			ids, names = append(ids, d.ID), append(names, d.Name)
		}
	}
	for _, it := range p.items {
		if p.files.selected[it.ID] {
			ids, names = append(ids, it.ID), append(names, it.Name)
		}
	}
	return ids, names
}

// ---- rendering --------------------------------------------------------------------

func (p *Page) renderBrowser() app.UI {
	s := p.share
	subs := p.files.subfolders()
	ids, _ := p.selection()
	return app.Section().Class("vis-browser").ID("share-browser").DataSet("path", ui.AttrText(p.files.path)).Body(
		app.Div().Class("vis-toolbar").Body(
			p.renderCrumbs(),
			app.If(s.CanUpload && browsable(s), func() app.UI {
				return app.Div().Class("vis-tools").Body(
					app.Button().Type("button").ID("share-new-folder").Class("btn btn-secondary").
						OnClick(func(ctx app.Context, e app.Event) {
							p.files.dialog = &fileAction{kind: "folder"}
							focusSoon(ctx, "vis-dialog-name")
						}).Body(ui.Icon("plus"), app.Span().Text("New folder")),
					app.Div().Class("vis-tools-upload").Body(uploadButtons("share", true, p.pick)...),
				)
			}),
		),
		app.If(s.CanModify && len(ids) > 0, func() app.UI { return p.renderSelectionBar(ids) }),
		app.If(len(subs) == 0 && len(p.items) == 0, func() app.UI {
			text := "No files in this folder yet."
			if s.CanUpload && browsable(s) {
				text += " Drop files here or use Upload files."
			}
			return app.Div().Class("card gal-empty vis-empty").Body(ui.EmptyState("folder", "This folder is empty", text, nil))
		}).Else(func() app.UI {
			return app.Div().Class("gallery-grid vis-grid").Body(
				app.Range(subs).Slice(func(i int) app.UI { return p.renderFolderTile(subs[i]) }),
				app.Range(p.items).Slice(func(i int) app.UI { return p.renderTile(i) }),
			)
		}),
	).
		On("dragover", func(ctx app.Context, e app.Event) {
			ctx.PreventUpdate()
			if s.CanUpload && browsable(s) {
				e.PreventDefault()
			}
		}).
		On("drop", p.drop)
}

func (p *Page) renderCrumbs() app.UI {
	var parts []string
	if p.files.path != "" {
		parts = strings.Split(p.files.path, "/")
	}
	root := p.files.folders[0].Name
	crumb := func(label, path string, last bool) app.UI {
		id := ""
		if path == "" {
			id = "share-crumb-root"
		}
		if last {
			return app.Span().ID(id).Class("vis-crumb is-current").Attr("aria-current", "page").Body(app.Span().Text(label))
		}
		return app.Button().Type("button").ID(id).Class("vis-crumb").DataSet("path", ui.AttrText(path)).
			OnClick(func(ctx app.Context, e app.Event) { p.openFolder(ctx, ownData(ctx, "path")) }).Body(app.Span().Text(label))
	}
	items := []app.UI{ui.Icon("folder"), crumb(root, "", len(parts) == 0)}
	for i := range parts {
		items = append(items, app.Span().Class("vis-crumb-sep").Attr("aria-hidden", "true").Text("/"),
			crumb(parts[i], strings.Join(parts[:i+1], "/"), i == len(parts)-1))
	}
	return app.Nav().Class("vis-crumbs").ID("share-crumbs").Attr("aria-label", "Folders").Body(items...)
}

func (p *Page) renderFolderTile(d visFolder) app.UI {
	n := folderCount(p.share.Items, d.Path)
	tile := app.Button().Type("button").Class("gallery-tile vis-folder").DataSet("id", ui.AttrText(d.ID)).
		DataSet("path", ui.AttrText(d.Path)).Title(ui.AttrText(d.Name)).
		OnClick(func(ctx app.Context, e app.Event) { p.openFolder(ctx, ownData(ctx, "path")) }).
		Body(
			app.Div().Class("gallery-media").Body(
				app.Div().Class("gallery-file vis-folder-art").Body(ui.Icon("folder")),
			),
			app.Div().Class("gallery-caption").Body(
				app.Span().Class("gallery-name").Text(d.Name),
				app.Span().Class("gallery-sub").Text("Folder · "+ui.Plural(n, "file", "files")),
			),
		)
	if p.share.CanModify {
		return p.files.renderManaged(p, d.ID, d.Name, true, tile)
	}
	return tile
}

// renderManaged puts a checkbox and a "…" menu on a tile of a full link.
func (f *visitorFiles) renderManaged(p *Page, id, name string, folder bool, tile app.UI) app.UI {
	selected := f.selected[id]
	cls := "vis-managed"
	if selected {
		cls += " is-selected"
	}
	menuOpen := f.menu == id
	return app.Div().Class(cls).DataSet("id", ui.AttrText(id)).Body(
		tile,
		app.Input().Type("checkbox").Class("vis-check").Checked(selected).Attr("aria-label", ui.AttrText("Select "+name)).
			OnChange(func(ctx app.Context, e app.Event) {
				p.toggleSelected(dataOf(ctx, "id"), ctx.JSSrc().Get("checked").Bool())
			}),
		app.Button().Type("button").Class("vis-more").Attr("aria-label", ui.AttrText("Actions for "+name)).Title("Actions").
			Attr("aria-haspopup", "menu").Attr("aria-expanded", strconv.FormatBool(menuOpen)).
			OnClick(func(ctx app.Context, e app.Event) {
				if id := dataOf(ctx, "id"); f.menu != id {
					f.menu = id
				} else {
					f.menu = ""
				}
			}).Body(app.Span().Attr("aria-hidden", "true").Text("…")),
		app.If(menuOpen, func() app.UI {
			item := func(action, label, iconName string, danger bool) app.UI {
				c := "menu-item"
				if danger {
					c += " danger"
				}
				return app.Button().Type("button").Class(c).Attr("role", "menuitem").DataSet("action", action).
					OnClick(func(ctx app.Context, e app.Event) {
						f.menu = ""
						id := dataOf(ctx, "id")
						p.startAction(ctx, dataOf(ctx, "action"), []string{id}, []string{p.nameOf(id)})
					}).Body(ui.Icon(iconName), app.Span().Text(label))
			}
			return app.Div().Body(
				app.Div().Class("vis-menu-shield").OnClick(func(ctx app.Context, e app.Event) { f.menu = "" }),
				app.Div().Class("menu vis-menu").Attr("role", "menu").Body(
					item("rename", "Rename", "edit", false),
					item("move", "Move", "move", false),
					item("copy", "Copy", "layers", false),
					item("delete", "Delete", "trash", true),
				),
			)
		}),
	)
}

func (p *Page) renderSelectionBar(ids []string) app.UI {
	act := func(action, label, iconName, cls string) app.UI {
		return app.Button().Type("button").Class("btn "+cls).ID("share-selection-"+action).DataSet("action", action).
			OnClick(func(ctx app.Context, e app.Event) {
				if ids, names := p.selection(); len(ids) > 0 {
					p.startAction(ctx, dataOf(ctx, "action"), ids, names)
				}
			}).
			Body(ui.Icon(iconName), app.Span().Text(label))
	}
	return app.Div().Class("vis-selbar").ID("share-selection").Attr("role", "region").Attr("aria-label", "Selection").Body(
		app.Span().Class("vis-selbar-count").Text(ui.Plural(len(ids), "item", "items")+" selected"),
		app.Div().Class("vis-selbar-actions").Body(
			act("move", "Move", "move", "btn-ghost"),
			act("copy", "Copy", "layers", "btn-ghost"),
			act("delete", "Delete", "trash", "btn-danger-ghost"),
			app.Button().Type("button").Class("btn btn-ghost").ID("share-selection-clear").
				OnClick(func(ctx app.Context, e app.Event) { p.files.selected = nil }).Text("Clear"),
		),
	)
}

func (p *Page) startAction(ctx app.Context, action string, ids, names []string) {
	d := &fileAction{kind: action, ids: ids, names: names}
	switch action {
	case "rename":
		d.name = names[0]
		focusSoon(ctx, "vis-dialog-name")
	case "move", "copy":
		d.target = p.files.currentID()
	}
	p.files.dialog = d
}

// dataOf reads data-key of the event's element or its nearest ancestor
// that has one. Handlers read what they act on from the page, not from
// their closure: go-app keeps an element's first handler when a re-render
// brings another closure of the same function, so a captured id would go
// stale when the list under it changes.
func dataOf(ctx app.Context, key string) string {
	el := ctx.JSSrc().Call("closest", "[data-"+key+"]")
	if !el.Truthy() {
		return ""
	}
	v := el.Get("dataset").Get(key)
	if !v.Truthy() {
		return ""
	}
	return v.String()
}

// ownData reads data-key of the element the handler is on ("" without one).
func ownData(ctx app.Context, key string) string {
	v := ctx.JSSrc().Get("dataset").Get(key)
	if !v.Truthy() {
		return ""
	}
	return v.String()
}

// nameOf is the name of an item or folder of the link.
func (p *Page) nameOf(id string) string {
	if d, ok := p.files.byID(id); ok {
		return d.Name
	}
	for _, it := range p.share.Items {
		if it.ID == id {
			return it.Name
		}
	}
	return id
}

func focusSoon(ctx app.Context, id string) {
	ctx.Defer(func(ctx app.Context) {
		if el := app.Window().GetElementByID(id); el.Truthy() {
			el.Call("focus")
			if el.Get("select").Truthy() {
				el.Call("select")
			}
		}
	})
}

// closeDialog closes the files dialog: the page's Escape asks it, and it
// stays while its change is under way.
func (p *Page) closeDialog(ctx app.Context) { ctx.NewAction(actionCloseDialog) }

// dialogDone hears that the files dialog did what it was asked.
func (p *Page) dialogDone(ctx app.Context, kind string) {
	p.files.dialog = nil
	if kind != "rename" && kind != "folder" {
		p.files.selected = nil
	}
	shell.Toast(ctx, map[string]string{"rename": "Renamed", "move": "Moved", "copy": "Copied", "delete": "Deleted", "folder": "Folder created"}[kind])
	p.load(ctx)
}

// dialogClosed hears that the link went while the dialog worked.
func (p *Page) dialogClosed(err error) {
	p.files.dialog = nil
	p.setClosed(err)
}
