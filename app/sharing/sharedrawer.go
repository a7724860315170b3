package sharing

import (
	"cmp"
	"encoding/json"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/ferryhq/ferry/app/shell"
	"github.com/ferryhq/ferry/app/ui"
	"github.com/ferryhq/ferry/model"
)

// The share drawer (Files.com's "New share"): a collapsible drawer at the
// bottom of Files that collects files and folders, dropped on it or added
// with a row's chain-link "Add to share" button, from any folder of one
// project, until "Create link" opens the share dialog for them. It lives
// in the tab's session storage, so it stays while the user moves between
// folders, and "New share" on the Sharing page opens it in Files.

const (
	drawerAction       = "ferry:share-drawer"  // a drawerRequest for the drawer
	shareCreatedAction = "ferry:share-created" // the share dialogs made a link (model.ShareLink)
	drawerKey          = "ferry.shareDrawer"   // session storage
	dragAssetType      = "application/x-ferry-asset"
)

// drawerState is what the drawer holds, kept in session storage.
type drawerState struct {
	Open      bool          `json:"open"`
	Collapsed bool          `json:"collapsed"`
	ProjectID string        `json:"project_id"`
	Items     []model.Asset `json:"items"`
	Creating  bool          `json:"creating"` // its Create link opened the dialog: a new link empties it
}

// drawerRequest asks the drawer to open or to take assets.
type drawerRequest struct {
	Op     string // open or add
	Assets []model.Asset
}

// OpenDrawer opens the share drawer of the page (and of the next pages).
func OpenDrawer(ctx app.Context) { ctx.NewActionWithValue(drawerAction, drawerRequest{Op: "open"}) }

// AddToDrawer puts assets in the share drawer, opening it.
func AddToDrawer(ctx app.Context, as ...model.Asset) {
	ctx.NewActionWithValue(drawerAction, drawerRequest{Op: "add", Assets: as})
}

// newShareFromAnywhere opens the drawer for the next Files page: "New
// share" on a page without it (Sharing).
func newShareFromAnywhere(ctx app.Context) {
	var s drawerState
	ctx.SessionStorage().Get(drawerKey, &s)
	s.Open, s.Collapsed = true, false
	ctx.SessionStorage().Set(drawerKey, s)
	if s.ProjectID != "" {
		ctx.Navigate("/projects/" + s.ProjectID)
		return
	}
	ctx.Navigate("/projects")
}

// Drawer is the drawer. Pages of Files put one in their content.
type Drawer struct {
	app.Compo
	Hint  string // what to do when empty, where rows cannot be added
	state drawerState
	over  bool // something is dragged over it
}

func (d *Drawer) OnMount(ctx app.Context) {
	ctx.SessionStorage().Get(drawerKey, &d.state)
	ctx.Handle(drawerAction, func(ctx app.Context, a app.Action) {
		r, ok := a.Value.(drawerRequest)
		if !ok {
			return
		}
		d.state.Open, d.state.Collapsed = true, false
		if r.Op == "add" {
			d.add(ctx, r.Assets)
		}
		d.save(ctx)
		ui.FocusAfterRender("#share-drawer-handle")
	})
	ctx.Handle(shareCreatedAction, func(ctx app.Context, a app.Action) {
		if l, ok := a.Value.(model.ShareLink); ok && d.state.Creating && d.madeFromHere(l) {
			d.state = drawerState{}
			d.save(ctx)
		}
	})
}

// madeFromHere tells the link its Create link made from another made
// after its dialog was cancelled: one item is the link's target, several
// made a new collection in the drawer's project.
func (d *Drawer) madeFromHere(l model.ShareLink) bool {
	if len(d.state.Items) == 1 {
		return l.TargetID == d.state.Items[0].ID
	}
	return l.TargetType == "collection" && l.ProjectID == d.state.ProjectID
}

func (d *Drawer) save(ctx app.Context) { ctx.SessionStorage().Set(drawerKey, d.state) }

// add takes assets of one project, each once. A share holds one project's
// files: an asset of another project than those held is refused, and
// nothing held is lost.
func (d *Drawer) add(ctx app.Context, as []model.Asset) {
	added := 0
	for _, a := range as {
		if a.ID == "" || a.AttachmentOf != "" {
			continue
		}
		if len(d.state.Items) > 0 && d.state.ProjectID != a.ProjectID {
			shell.Toast(ctx, "A share holds files of one project: create this link, or clear the drawer, first")
			return
		}
		if d.has(a.ID) {
			continue
		}
		d.state.Creating = false // still building: a link made elsewhere leaves it
		d.state.ProjectID = a.ProjectID
		d.state.Items = append(d.state.Items, a)
		added++
	}
	if added > 0 {
		shell.Toast(ctx, "Added "+ui.Plural(added, "item", "items")+" to the share")
	}
}

func (d *Drawer) has(id string) bool {
	for _, it := range d.state.Items {
		if it.ID == id {
			return true
		}
	}
	return false
}

// target is what Create link shares: one file or folder as itself,
// several as a new collection.
func (d *Drawer) target() Target {
	items := d.state.Items
	if len(items) == 1 {
		a := items[0]
		typ := "asset"
		if a.Type == "folder" {
			typ = "folder"
		}
		return Target{Type: typ, ID: a.ID, ProjectID: a.ProjectID, Name: a.Name, Assets: items}
	}
	return Target{Type: "assets", ProjectID: d.state.ProjectID, Assets: items}
}

func (d *Drawer) create(ctx app.Context, e app.Event) {
	if len(d.state.Items) == 0 {
		return
	}
	d.state.Creating = true
	d.save(ctx)
	openShare(ctx, shareRequest{op: "create", kind: "public", target: d.target()})
}

func (d *Drawer) remove(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("dataset").Get("id").String()
	for i, it := range d.state.Items {
		if it.ID == id {
			d.state.Items = append(d.state.Items[:i], d.state.Items[i+1:]...)
			break
		}
	}
	d.save(ctx)
}

func (d *Drawer) close(ctx app.Context, e app.Event) {
	d.state = drawerState{}
	d.save(ctx)
}

func (d *Drawer) toggle(ctx app.Context, e app.Event) {
	d.state.Collapsed = !d.state.Collapsed
	d.save(ctx)
}

// dragging reports whether an item of Files is dragged (not files from
// the desktop, which are uploads).
func Dragging(e app.Event) bool {
	types := e.Get("dataTransfer").Get("types")
	return types.Truthy() && types.Call("includes", dragAssetType).Bool()
}

func (d *Drawer) dragOver(ctx app.Context, e app.Event) {
	if Dragging(e) {
		e.PreventDefault()
		e.Call("stopPropagation")
		d.over = true
	}
}

func (d *Drawer) drop(ctx app.Context, e app.Event) {
	d.over = false
	if !Dragging(e) {
		return
	}
	e.PreventDefault()
	e.Call("stopPropagation")
	var a model.Asset
	if json.Unmarshal([]byte(e.Get("dataTransfer").Call("getData", dragAssetType).String()), &a) == nil {
		d.state.Open, d.state.Collapsed = true, false
		d.add(ctx, []model.Asset{a})
		d.save(ctx)
	}
}

// DragAsset is a Files row's dragstart: it carries the asset to the drawer.
func DragAsset(a model.Asset) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		b, err := json.Marshal(a)
		if err != nil {
			return
		}
		dt := e.Get("dataTransfer")
		dt.Call("setData", dragAssetType, string(b))
		dt.Set("effectAllowed", "copyLink")
	}
}

// AddShareButton is a row's chain-link "Add to share" button.
func AddShareButton(a model.Asset, scope app.EventOption) app.UI {
	return app.Button().Type("button").Class("icon-btn add-share").DataSet("id", a.ID).
		Title("Add to share").Attr("aria-label", "Add "+a.Name+" to share").
		OnClick(func(ctx app.Context, e app.Event) {
			// Stopped here: go-app's window handler would follow the tile's link.
			e.PreventDefault()
			e.Call("stopPropagation")
			AddToDrawer(ctx, a)
		}, scope).Body(ui.Icon("chain"))
}

func (d *Drawer) Render() app.UI {
	s := d.state
	if !s.Open {
		return app.Div().Class("share-drawer-off")
	}
	cls := "share-drawer"
	if s.Collapsed {
		cls += " is-collapsed"
	}
	if d.over {
		cls += " is-over"
	}
	count := itemsText(s.Items)
	if len(s.Items) == 0 {
		count = "Empty"
	}
	chevron := "chevron-down"
	if s.Collapsed {
		chevron = "up"
	}
	return app.Div().Class("share-drawer-space").Body(
		app.Aside().Class(cls).ID("share-drawer").Attr("aria-label", "New share").DataSet("count", len(s.Items)).
			On("dragenter", d.dragOver).On("dragover", d.dragOver).
			On("dragleave", func(ctx app.Context, e app.Event) { d.over = false }).
			On("drop", d.drop).Body(
			app.Div().Class("sd-head").Body(
				app.Button().Type("button").ID("share-drawer-handle").Class("sd-handle").
					Attr("aria-expanded", strconv.FormatBool(!s.Collapsed)).Attr("aria-controls", "share-drawer-body").
					OnClick(d.toggle).Body(ui.Icon(chevron), app.Span().Class("sd-title").Text("New share"),
					app.Span().Class("sd-count").ID("share-drawer-count").Text(count)),
				app.Div().Class("sd-actions").Body(
					app.Button().Type("button").ID("share-drawer-create").Class("btn btn-primary btn-sm").
						Disabled(len(s.Items) == 0).OnClick(d.create).Body(ui.Icon("chain"), app.Span().Text("Create link")),
					app.Button().Type("button").ID("share-drawer-close").Class("icon-btn").Title("Close and empty the drawer").
						Attr("aria-label", "Close the share drawer").OnClick(d.close).Body(ui.Icon("x")),
				),
			),
			app.If(!s.Collapsed, func() app.UI {
				return app.Div().Class("sd-body").ID("share-drawer-body").Body(
					app.If(len(s.Items) == 0, func() app.UI {
						return app.P().Class("sd-empty muted small").ID("share-drawer-empty").
							Text(cmp.Or(d.Hint, "Drag files and folders here, or use a row's chain icon (Add to share). A share holds any number of files and folders of one project."))
					}).Else(func() app.UI {
						return app.Ul().Class("sd-items").Body(app.Range(s.Items).Slice(func(i int) app.UI {
							a := s.Items[i]
							meta := ui.HumanBytes(a.Filesize)
							if a.Type == "folder" {
								meta = "Folder · " + ui.Plural(a.ItemCount, "item", "items")
							}
							return app.Li().Class("sd-item").DataSet("id", a.ID).Body(
								app.Span().Class("sd-icon").Body(ui.Icon(ui.KindIcon(a))),
								app.Span().Class("sd-name").Title(a.Name).Text(a.Name),
								app.Span().Class("sd-meta muted small").Text(meta),
								app.Button().Type("button").Class("icon-btn sd-remove").DataSet("id", a.ID).
									Attr("aria-label", "Remove "+a.Name+" from the share").Title("Remove").
									OnClick(d.remove, app.EventScope(a.ID)).Body(ui.Icon("x")),
							)
						}))
					}),
				)
			}),
		),
	)
}

// itemsText counts files and folders: "3 files", "2 folders", "3 files and 1 folder".
func itemsText(as []model.Asset) string {
	folders := 0
	for _, a := range as {
		if a.Type == "folder" {
			folders++
		}
	}
	files := len(as) - folders
	switch {
	case folders == 0:
		return ui.Plural(files, "file", "files")
	case files == 0:
		return ui.Plural(folders, "folder", "folders")
	}
	return ui.Plural(files, "file", "files") + " and " + ui.Plural(folders, "folder", "folders")
}
